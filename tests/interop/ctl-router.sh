#!/bin/bash
# The seed's routing topology; data plane = $CTL_DATAPLANE (ovs: Open vSwitch
# userspace datapath, default; switchd: plural-switchd):
#   host A (10.0.1.2/24) -- [OVS br0, programmed by plural-controller --app router] -- host B (10.0.2.2/24)
# B also owns 10.0.3.1 and 10.0.4.1 (loopback), reached by static routes via B.
# Checks, in the mode given as $1 (proactive or reactive): ICMP time exceeded
# for TTL 1, ping A->B with the TTL decremented on the controller path,
# static routes, ICMP net unreachable, ping of the router, a 5 s iperf3 TCP
# run (proactive: no PACKET_IN during it), run-time route add/del, and a
# garbage-sending peer that is disconnected while the switch keeps working.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/ctl-lib.sh"
MODE=${1:-proactive}
[ -n "${CTL_DATAPLANE:-}" ] || CTL_DATAPLANE=ovs
require_root
require_controller
require_cmd ping iperf3 python3

A=$P-a; B=$P-b; S=$P-s
netns_add "$A"; netns_add "$B"; netns_add "$S"
veth_add "$A" a0 "$S" "$P-sa"
veth_add "$B" b0 "$S" "$P-sb"
host_add "$A" a0 10.0.1.2/24 10.0.1.1
host_add "$B" b0 10.0.2.2/24 10.0.2.1
ip -n "$B" addr add 10.0.3.1/32 dev lo
ip -n "$B" addr add 10.0.4.1/32 dev lo

PORT=$(free_port)
cat >"$T/router.conf" <<CONF
# plural router: two nets
mode $MODE
idle-timeout 30
interface eth1 port 1 mac 02:00:00:00:01:01 ip 10.0.1.1/24
interface eth2 port 2 mac 02:00:00:00:02:01 ip 10.0.2.1/24
route 10.0.3.0/24 via 10.0.2.2
CONF
controller_start ctl "$S" --app router --config "$T/router.conf" \
    --listen "ptcp:$PORT:127.0.0.1" --log-level info

dataplane_start "$S" "$PORT" "$P-sa" "$P-sb"
wait_for 20 ctl_switches_up ctl 1 || fail "the switch did not connect to the controller"
wait_for 10 ctl_ports_up ctl 2 || fail "ports not up: $(ctl ctl show)"
log "switch connected ($CTL_DATAPLANE, $MODE mode)"

# 1. TTL 1 -> ICMP time exceeded from the router (first packet: controller path).
out=$(ip netns exec "$A" ping -c 1 -t 1 -W 3 10.0.2.2 2>&1)
echo "$out" | grep -q "From 10.0.1.1.*Time to live exceeded" ||
    fail "no ICMP time exceeded for TTL 1: $out"

# 2. A -> B: works; B sees the first echo request (routed by the
#    controller: B is not resolved yet) with TTL 64 - 1.  The sniffer says
#    when its socket is bound (ttl-ready); only then does A ping.
ip netns exec "$B" /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
s.bind(("b0", 0)); s.settimeout(10)
open(sys.argv[1], "w").close()
while True:
    f = s.recv(2048)
    ip = f[14:]
    if ip[9] == 1 and ip[12:16] == bytes([10, 0, 1, 2]) and ip[20] == 8:
        print(ip[8]); break
' "$T/ttl-ready" >"$T/ttl-at-b" 2>&1 &
sniffer=$!
wait_for 10 test -e "$T/ttl-ready" || fail "the sniffer on B did not start: $(cat "$T/ttl-at-b")"
out=$(ip netns exec "$A" ping -c 3 -i 0.3 -W 3 10.0.2.2 2>&1)
echo "$out" | grep -q " 0% packet loss" || fail "ping A->B lost packets: $out"
wait $sniffer
[ "$(cat "$T/ttl-at-b")" = 63 ] || fail "B got the first echo request with TTL $(cat "$T/ttl-at-b"), not 63"

# 3. static route via B, ping of the router itself, unknown destination.
ip netns exec "$A" ping -c 2 -i 0.3 -W 3 10.0.3.1 >/dev/null 2>&1 || fail "no route to 10.0.3.1 via B"
ip netns exec "$A" ping -c 1 -W 3 10.0.1.1 >/dev/null 2>&1 || fail "the router does not answer pings"
out=$(ip netns exec "$A" ping -c 1 -W 3 10.99.0.1 2>&1)
echo "$out" | grep -q "From 10.0.1.1.*Destination Net Unreachable" ||
    fail "no ICMP net unreachable for 10.99.0.1: $out"

# 4. state through plural ctl.
ctl ctl arp | grep -q "^10.0.2.2 .*reachable" || fail "ARP cache lacks 10.0.2.2: $(ctl ctl arp)"
ctl ctl route | grep -q "^10.0.3.0/24 .*10.0.2.2" || fail "route table: $(ctl ctl route)"
ctl ctl --json dump | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["stats"]["ttl_exceeded"] >= 1' ||
    fail "dump lacks the ttl_exceeded count"
nflows=$(ctl ctl flows | grep -c priority=)
[ "$nflows" -ge 1 ] || fail "no flows tracked: $(ctl ctl flows)"

# 5. run-time routes: an unreachable next hop is refused in one line; add
#    and delete change forwarding.
if err=$(ctl ctl route add 10.0.4.0/24 via 10.7.7.7 2>&1); then
    fail "route to an unreachable next hop was accepted"
fi
[ "$(echo "$err" | wc -l)" = 1 ] && echo "$err" | grep -q "next hop 10.7.7.7 is unreachable" ||
    fail "bad error for unreachable next hop: $err"
ip netns exec "$A" ping -c 1 -W 2 10.0.4.1 >/dev/null 2>&1 && fail "10.0.4.1 reachable before its route exists"
ctl ctl route add 10.0.4.0/24 via 10.0.2.2 || fail "route add failed"
wait_for 5 ip netns exec "$A" ping -c 1 -W 1 10.0.4.1 || fail "10.0.4.1 unreachable after route add"
wait_for 10 dp_has_flow "$S" "nw_dst=10\.0\.4\." ||
    fail "no flow for 10.0.4.0/24 in the switch after route add: $(dp_flows "$S" 2>&1)"
ctl ctl route del 10.0.4.0/24 || fail "route del failed"
# The reply to `route del` means the controller sent the FLOW_MOD, not that
# the switch applied it: wait until the switch's own table has no flow for
# 10.0.4.0/24 left (reactive: the /32 flow of 10.0.4.1; proactive: the
# route's flow), then the next packet must reach the controller.
wait_for 10 dp_lacks_flow "$S" "nw_dst=10\.0\.4\." ||
    fail "the switch still has a flow for 10.0.4.0/24 after route del: $(dp_flows "$S" 2>&1)"
out=$(ip netns exec "$A" ping -c 1 -W 3 10.0.4.1 2>&1)
echo "$out" | grep -q "Destination Net Unreachable" || fail "10.0.4.1 still routed after route del: $out"

# 6. A peer that sends garbage is disconnected as the peer's fault; the
#    switch keeps being served.
ip netns exec "$S" bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT; printf '\x01\x0a\x00\x04\x00\x00\x00\x01' >&3; sleep 0.5" 2>/dev/null
ip netns exec "$S" bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT; printf '\x01\x00\x00\x08\x00\x00\x00\x01\x01\x0a\x00\x0c\x00\x00\x00\x02\x00\x00\x00\x00' >&3; sleep 0.5" 2>/dev/null
wait_for 5 grep -q "peer.*length < 8" "$T/ctl.log" || fail "framing garbage was not logged as the peer's fault"
wait_for 5 grep -q "peer.*malformed OFPT_PACKET_IN" "$T/ctl.log" || fail "malformed PACKET_IN not logged as the peer's fault"
ctl_switches_up ctl 1 || fail "the real switch was affected by the garbage peers"
ip netns exec "$A" ping -c 1 -W 3 10.0.2.2 >/dev/null 2>&1 || fail "forwarding broke after the garbage peers"

# 7. iperf3, 5 s TCP A -> B.  Proactive: not one PACKET_IN while it runs
#    (hosts get permanent neighbour entries so their ARP refreshes do not
#    count as traffic).
ip netns exec "$A" ip neigh replace 10.0.1.1 lladdr 02:00:00:00:01:01 nud permanent dev a0
ip netns exec "$B" ip neigh replace 10.0.2.1 lladdr 02:00:00:00:02:01 nud permanent dev b0
ip netns exec "$B" iperf3 -s -1 -B 10.0.2.2 >"$T/iperf3-server.log" 2>&1 &
on_exit "kill $! 2>/dev/null"
wait_for 10 sh -c "ip netns exec $B ss -Hltn 'sport = :5201' | grep -q ." ||
    fail "iperf3 server on B does not listen: $(cat "$T/iperf3-server.log")"
pin_before=$(ctl_stat ctl packet_in)
ip netns exec "$A" iperf3 -c 10.0.2.2 -t 5 -J >"$T/iperf3.json" 2>"$T/iperf3.log" ||
    fail "iperf3 failed: $(tail -5 "$T/iperf3.json" "$T/iperf3.log")"
pin_after=$(ctl_stat ctl packet_in)
mbps=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(int(d["end"]["sum_received"]["bits_per_second"]/1e6))' "$T/iperf3.json")
[ "$mbps" -gt 0 ] || fail "iperf3 moved no data"
log "iperf3 A->B: $mbps Mbit/s; PACKET_IN during the run: $((pin_after - pin_before))"
if [ "$MODE" = proactive ] && [ "$pin_after" != "$pin_before" ]; then
    fail "proactive mode: $((pin_after - pin_before)) PACKET_INs during an established iperf3 run"
fi
if [ "$MODE" = reactive ]; then
    ctl ctl flows | grep -q "idle_timeout=30" || fail "reactive flows lack the idle timeout: $(ctl ctl flows)"
    if [ "$CTL_DATAPLANE" = switchd ]; then
        # Idle timeouts expire in the switch (its clock warped past 30 s);
        # FLOW_REMOVED keeps the controller's list of installed flows in sync.
        "$PLURAL" switch --ctl "$T/switchd.ctl" clock warp 31000 >/dev/null ||
            fail "cannot warp plural-switchd's clock"
        wait_for 10 sh -c "! \"$PLURAL\" ctl --ctl $T/ctl.ctl flows | grep -q idle_timeout=30" ||
            fail "expired flows still listed: $(ctl ctl flows)"
        [ "$(ctl_stat ctl flow_removed)" -ge 1 ] || fail "no FLOW_REMOVED received"
    fi
fi
pass "$MODE mode over $CTL_DATAPLANE"
