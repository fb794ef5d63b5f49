#!/bin/sh
# slice-two-slices — one switch, two slices at once: slice "ip" (VLAN 10)
# routed by plural-controller's router app, slice "clean" (VLAN 20: TCP
# port 5001 and Ethertype 0x88B5) driven by the cleanslate app, both behind
# plural-slicer, carrying traffic between two namespace hosts at the same
# time.  Data plane: Open vSwitch (userspace) by default, plural-switchd
# with SLICE_DATAPLANE=switchd.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/ctl-lib.sh"
. "$(dirname "$0")/slice-lib.sh"
CTL_DATAPLANE=${SLICE_DATAPLANE:-ovs}
require_root
require_controller
require_slicer
require_cmd ping iperf3 python3
CSTOOL=$PLURAL_BUILD/apps/plural-cleanslate
[ -x "$CSTOOL" ] || skip "plural-cleanslate not built at $CSTOOL"

topo_tagged
RPORT=$(free_port); CPORT=$(free_port); SPORT=$(free_port)

cat >"$T/router.conf" <<CONF
mode proactive
idle-timeout 60
interface eth1 port 1 mac 02:00:00:00:01:01 ip 10.0.1.1/24 vlan 10
interface eth2 port 2 mac 02:00:00:00:02:01 ip 10.0.2.1/24 vlan 10
CONF
cat >"$T/cs.conf" <<CONF
node 1 port 1
node 2 port 2
flow vlan 20 tcp-port 5001 between 1 2
arp vlan 20 between 1 2
CONF
cat >"$T/slices.json" <<JSON
{"slices": [
  {"name": "ip", "controller": "tcp:127.0.0.1:$RPORT",
   "flowspace": [{"match": "dl_vlan=10", "priority": 100, "perms": "rw"}]},
  {"name": "clean", "controller": "tcp:127.0.0.1:$CPORT",
   "flowspace": [{"match": "dl_vlan=20", "priority": 100, "perms": "rw"}
                ]}
]}
JSON
controller_start router "$S" --app router --config "$T/router.conf" --listen "ptcp:$RPORT:127.0.0.1"
controller_start clean "$S" --app cleanslate --config "$T/cs.conf" --listen "ptcp:$CPORT:127.0.0.1"
slicer_start "$S" --listen "ptcp:$SPORT:127.0.0.1" --config "$T/slices.json" --state "$T/state.json"
sliced_switch_start "$SPORT" "$P-sa" "$P-sb"
wait_for 30 slice_up ip 1 || fail "slice ip not connected: $(slice list)"
wait_for 30 slice_up clean 1 || fail "slice clean not connected: $(slice list)"
wait_for 20 ctl_switches_up router 1 || fail "router app has no switch"
wait_for 20 ctl_switches_up clean 1 || fail "cleanslate app has no switch"
log "slices up: $(slice list | tr '\n' '|')"
if [ "$CTL_DATAPLANE" = switchd ]; then
    # The slicer's VLAN map to the switch: per-slice fair scheduling.
    slice --switch-ctl "$T/switchd.ctl" push-map || fail "push-map failed"
fi

# Both slices at once: TCP on VLAN 20 (cleanslate) while pings are routed
# on VLAN 10 (router).  iperf3 is paced at 50 Mbit/s: on 2 cores an
# unpaced flow saturates the userspace switch and a ping may be lost,
# which is the data-plane fairness question, not the slicer's.
ip netns exec "$B" iperf3 -s -1 -p 5001 -B 10.20.0.2 >"$T/iperf3-server.log" 2>&1 &
on_exit "kill $! 2>/dev/null"
wait_for 5 sh -c "ip netns exec $B ss -Hltn 'sport = :5001' | grep -q ." || fail "iperf3 server did not start"
ip netns exec "$A" iperf3 -c 10.20.0.2 -p 5001 -t 3 -b 50M -J >"$T/iperf3.json" 2>&1 &
iperf_pid=$!
out=$(ip netns exec "$A" ping -c 5 -i 0.3 -W 3 10.0.2.2 2>&1)
echo "$out" | grep -q " 0% packet loss" || fail "ping over slice ip lost packets: $out"
wait $iperf_pid || fail "iperf3 over slice clean failed: $(tail -5 "$T/iperf3.json")"
mbps=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(int(d["end"]["sum_received"]["bits_per_second"]/1e6))' "$T/iperf3.json")
[ "$mbps" -gt 0 ] || fail "no TCP throughput on slice clean"
log "slice clean TCP: $mbps Mbit/s while slice ip routed 5/5 pings"

# Clean-slate frames (Ethertype 0x88B5, VLAN 20 on the trunk) through slice clean.
ip netns exec "$B" "$CSTOOL" recv --dev b20 --addr 2 --count 2 --timeout 5 >"$T/recv.out" 2>&1 &
rpid=$!
sleep 0.3
ip netns exec "$A" "$CSTOOL" send --dev a20 --from 1 --to 2 --count 2 "hello" || fail "cs send failed"
wait $rpid || fail "node 2 did not receive the frames: $(cat "$T/recv.out")"

# Every flow in the switch lies in one slice's flowspace.
dump_flows >"$T/flows.txt" || fail "dump-flows failed"
n=$(grep -c "actions=" "$T/flows.txt" || true)
[ "$n" -ge 4 ] || fail "too few flows in the switch: $(cat "$T/flows.txt")"
bad=$(grep "actions=" "$T/flows.txt" | grep -v -e "dl_vlan=10[, ]" -e "dl_vlan=20[, ]" || true)
[ -z "$bad" ] || fail "flows outside every flowspace: $bad"
log "$n flows in the switch, all inside a slice's flowspace"

slice stats ip | grep -q "flow_mods_sent *[1-9]" || fail "slice ip sent no flows: $(slice stats ip)"
slice stats clean | grep -q "flow_mods_sent *[1-9]" || fail "slice clean sent no flows: $(slice stats clean)"
slice stats ip | grep -q "packet_ins *[1-9]" || fail "slice ip saw no PACKET_IN: $(slice stats ip)"
if [ "$CTL_DATAPLANE" = switchd ]; then
    slice --switch-ctl "$T/switchd.ctl" stats >"$T/stats.txt" || fail "stats failed"
    grep -A20 "^data plane" "$T/stats.txt" >&2
    # Frames of a slice: forwarded by the user-space scheduler
    # (TX_PACKETS), or seen by the XDP fast path (XDP_OFFERED).
    for sl in ip clean; do
        awk -v s="$sl" '$2 == s && $4 + $9 > 0 { ok = 1 } END { exit !ok }' "$T/stats.txt" ||
            fail "no data-plane packets counted for slice $sl: $(cat "$T/stats.txt")"
    done
fi
slicer_check
pass "two slices carried traffic at the same time ($n flows, clean $mbps Mbit/s)"
