#!/bin/bash
# switch-netns — two hosts in network namespaces joined through plural-switchd
# (afpacket ports on veths, default offloads), controlled by ovs-testcontroller
# (an L2 learning controller): ping works and a 5 s iperf3 TCP run moves data.
# The switch and the controller run in their own namespace, so the
# controller's port cannot collide with another run's.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/switch-common.sh"
require_root
require_cmd ovs-testcontroller iperf3 ping
require_switchd

NS=$P-sw H1=$P-h1 H2=$P-h2
netns_add "$NS"; netns_add "$H1"; netns_add "$H2"
veth_add "$H1" eth0 "$NS" "${P}a"
veth_add "$H2" eth0 "$NS" "${P}b"
ip -n "$H1" addr add 10.0.0.1/24 dev eth0
ip -n "$H2" addr add 10.0.0.2/24 dev eth0

port=$(free_port)
ip netns exec "$NS" ovs-testcontroller -O OpenFlow10 "ptcp:$port:127.0.0.1" \
    --pidfile="$T/ctl.pid" --unixctl="$T/controller.ctl" --detach --log-file="$T/controller.log" ||
    fail "ovs-testcontroller did not start"
on_exit "kill_pidfile $T/ctl.pid"

ip netns exec "$NS" "$SWITCHD" --ctl "$T/s.ctl" --pidfile "$T/s.pid" \
    --log-file "$T/s.log" --detach --dpid 0x1 --port "${P}a" --port "${P}b" \
    --controller "tcp:127.0.0.1:$port" --fail-mode secure ||
    fail "plural-switchd did not start"
on_exit "kill_pidfile $T/s.pid"
SWITCHDS="$SWITCHDS s"
wait_for 10 sh -c "'$PLURAL' switch --ctl '$T/s.ctl' show | grep -q 'ACTIVE'" ||
    fail "switch not connected to the controller: $(sw s show)"

ip netns exec "$H1" ping -c 3 -i 0.2 -W 2 10.0.0.2 >"$T/ping.log" 2>&1 || { sw s show; sw s dump-flows; sw s dump-ports; sw s counters; false; } ||
    fail "ping h1 -> h2 failed: $(cat "$T/ping.log")"
log "ping: $(tail -n 2 "$T/ping.log" | head -n 1)"

ip netns exec "$H2" iperf3 -s -1 -D -B 10.0.0.2 --logfile "$T/iperf-server.log" ||
    fail "iperf3 server did not start"
wait_for 5 sh -c "ip netns exec $H2 ss -Hltn 'sport = :5201' | grep -q ." ||
    fail "iperf3 server does not listen"
ip netns exec "$H1" iperf3 -c 10.0.0.2 -t 5 -J >"$T/iperf.json" 2>"$T/iperf.err" ||
    fail "iperf3 failed: $(cat "$T/iperf.err") $(tail -n 5 "$T/iperf.json")"
bps=$("$PYTHON" -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"]))' "$T/iperf.json") ||
    fail "cannot read iperf3 result"
[ "$bps" -gt 0 ] || fail "iperf3 moved no data"
log "iperf3: $((bps / 1000000)) Mbit/s received"

flows=$(sw s dump-flows)
echo "$flows" | grep -q 'actions=output' || fail "controller installed no flows: $flows"
finish
