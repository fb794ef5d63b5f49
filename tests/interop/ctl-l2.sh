#!/bin/bash
# The l2 app (learning switch) carries traffic between three namespace hosts
# on one subnet through $CTL_DATAPLANE (ovs or switchd): pings all pairs,
# then checks the MAC table and that flows were installed (later pings go
# through the data plane).
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/ctl-lib.sh"
require_root
require_controller
require_cmd ping python3

S=$P-s
netns_add "$S"
for h in a b c; do
    netns_add "$P-$h"
    veth_add "$P-$h" "${h}0" "$S" "$P-s$h"
done
host_add "$P-a" a0 10.0.0.1/24 ""
host_add "$P-b" b0 10.0.0.2/24 ""
host_add "$P-c" c0 10.0.0.3/24 ""

PORT=$(free_port)
controller_start ctl "$S" --app l2 --listen "ptcp:$PORT:127.0.0.1"
dataplane_start "$S" "$PORT" "$P-sa" "$P-sb" "$P-sc"
wait_for 20 ctl_switches_up ctl 1 || fail "the switch did not connect"
wait_for 10 ctl_ports_up ctl 3 || fail "ports not up: $(ctl ctl show)"

for pair in "a 10.0.0.2" "a 10.0.0.3" "b 10.0.0.3" "c 10.0.0.1"; do
    set -- $pair
    out=$(ip netns exec "$P-$1" ping -c 3 -i 0.2 -W 3 "$2" 2>&1)
    echo "$out" | grep -q " 0% packet loss" || fail "ping $1 -> $2: $out"
done
macs=$(ctl ctl mac-table | grep -c "^  port")
[ "$macs" -ge 3 ] || fail "MAC table has $macs entries: $(ctl ctl mac-table)"
flows=$(ctl_stat ctl flow_mod)
[ "$flows" -ge 4 ] || fail "only $flows flow_mods sent"
# Established pairs now go through installed flows: a burst of pings adds
# far fewer PACKET_INs than packets.
before=$(ctl_stat ctl packet_in)
ip netns exec "$P-a" ping -c 20 -i 0.01 -W 2 10.0.0.2 >/dev/null 2>&1 || fail "ping burst failed"
after=$(ctl_stat ctl packet_in)
[ $((after - before)) -lt 20 ] || fail "every packet of an established pair reached the controller"
pass "l2 over ${CTL_DATAPLANE:-ovs}: $macs MACs, $flows flow_mods"
