#!/bin/sh
# slice-testcontroller — any OpenFlow 1.0 controller can be a slice: Open
# vSwitch's ovs-testcontroller (an L2 learning switch that uses buffer_ids)
# drives slice "l2" (VLAN 20) while plural-controller's router drives slice
# "ip" (VLAN 10); both carry pings.  Its flows land inside VLAN 20.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/ctl-lib.sh"
. "$(dirname "$0")/slice-lib.sh"
CTL_DATAPLANE=${SLICE_DATAPLANE:-ovs}
require_root
require_controller
require_slicer
require_cmd ping ovs-testcontroller

topo_tagged
RPORT=$(free_port); LPORT=$(free_port); SPORT=$(free_port)
cat >"$T/router.conf" <<CONF
mode reactive
idle-timeout 60
interface eth1 port 1 mac 02:00:00:00:01:01 ip 10.0.1.1/24 vlan 10
interface eth2 port 2 mac 02:00:00:00:02:01 ip 10.0.2.1/24 vlan 10
CONF
controller_start router "$S" --app router --config "$T/router.conf" --listen "ptcp:$RPORT:127.0.0.1"
ip netns exec "$S" ovs-testcontroller -O OpenFlow10 "ptcp:$LPORT:127.0.0.1" \
    --pidfile="$T/testcontroller.pid" --unixctl="$T/testcontroller.ctl" --detach \
    --log-file="$T/testcontroller.log" ||
    fail "ovs-testcontroller did not start"
on_exit "kill_pidfile $T/testcontroller.pid"
slicer_start "$S" --listen "ptcp:$SPORT:127.0.0.1" --state "$T/state.json"
slice add ip "tcp:127.0.0.1:$RPORT" flowspace=dl_vlan=10 || fail "slice add ip failed"
slice add l2 "tcp:127.0.0.1:$LPORT" flowspace=dl_vlan=20 max-buffers=64 || fail "slice add l2 failed"
sliced_switch_start "$SPORT" "$P-sa" "$P-sb"
wait_for 30 slice_up ip 1 || fail "slice ip not connected: $(slice list)"
wait_for 30 slice_up l2 1 || fail "slice l2 not connected: $(slice list)"

out=$(ip netns exec "$A" ping -c 4 -i 0.3 -W 3 10.20.0.2 2>&1)
echo "$out" | grep -q " 0% packet loss" || fail "ping over slice l2 (ovs-testcontroller) failed: $out"
out=$(ip netns exec "$A" ping -c 4 -i 0.3 -W 3 10.0.2.2 2>&1)
echo "$out" | grep -q " 0% packet loss" || fail "ping over slice ip (router) failed: $out"

dump_flows >"$T/flows.txt" || fail "dump-flows failed"
l2=$(grep -c "dl_vlan=20" "$T/flows.txt" || true)
[ "$l2" -ge 2 ] || fail "ovs-testcontroller's flows missing: $(cat "$T/flows.txt")"
bad=$(grep "actions=" "$T/flows.txt" | grep -v -e "dl_vlan=10[, ]" -e "dl_vlan=20[, ]" || true)
[ -z "$bad" ] || fail "flows outside every flowspace: $bad"
slice stats l2 | grep -q "packet_ins *[1-9]" || fail "no PACKET_IN to l2: $(slice stats l2)"
slicer_check
pass "ovs-testcontroller and the router share the switch ($l2 learned flows in VLAN 20)"
