#!/bin/sh
# slice-move — `plural slice set-controller` moves slice "ip" (VLAN 10) from
# one router controller to a second one while a ping runs through it: no
# reply is lost and the slice's flows stay installed.  Then the slicer is
# restarted from its state file alone: the slices (with the new controller)
# come back and traffic still flows.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/ctl-lib.sh"
. "$(dirname "$0")/slice-lib.sh"
CTL_DATAPLANE=${SLICE_DATAPLANE:-ovs}
require_root
require_controller
require_slicer
require_cmd ping

topo_tagged
RPORT=$(free_port); RPORT2=$(free_port); SPORT=$(free_port)
cat >"$T/router.conf" <<CONF
mode proactive
idle-timeout 600
interface eth1 port 1 mac 02:00:00:00:01:01 ip 10.0.1.1/24 vlan 10
interface eth2 port 2 mac 02:00:00:00:02:01 ip 10.0.2.1/24 vlan 10
CONF
controller_start router1 "$S" --app router --config "$T/router.conf" --listen "ptcp:$RPORT:127.0.0.1"
# The second control plane keeps what the first installed.
controller_start router2 "$S" --app router --config "$T/router.conf" --keep-flows \
    --listen "ptcp:$RPORT2:127.0.0.1"
slicer_start "$S" --listen "ptcp:$SPORT:127.0.0.1" --state "$T/state.json"
slice add ip "tcp:127.0.0.1:$RPORT" flowspace=dl_vlan=10 ports=1,2 || fail "slice add failed"
sliced_switch_start "$SPORT" "$P-sa" "$P-sb"
wait_for 30 slice_up ip 1 || fail "slice ip not connected: $(slice list)"
wait_for 20 ctl_switches_up router1 1 || fail "router1 has no switch"

ip netns exec "$A" ping -c 2 -i 0.3 -W 3 10.0.2.2 >/dev/null 2>&1 || fail "no ping before the move"
ip_flows() { dump_flows | grep "dl_vlan=10" | sed 's/.*priority=/priority=/' | sort; }
ip_flows >"$T/flows-before"
[ -s "$T/flows-before" ] || fail "slice ip has no flows"

ip netns exec "$A" ping -c 40 -i 0.1 -W 2 10.0.2.2 >"$T/ping.out" 2>&1 &
ping_pid=$!
sleep 1
slice set-controller ip "tcp:127.0.0.1:$RPORT2" || fail "set-controller failed"
wait_for 20 ctl_switches_up router2 1 || fail "router2 did not get the switch"
wait_for 10 ctl_switches_up router1 0 || fail "router1 still has the switch"
kill_pidfile "$T/router1.pid"           # The old control plane is gone.
wait $ping_pid
grep -q " 0% packet loss" "$T/ping.out" || fail "replies lost during the move: $(tail -3 "$T/ping.out")"
ip_flows >"$T/flows-after"
missing=$(comm -23 "$T/flows-before" "$T/flows-after")
[ -z "$missing" ] || fail "flows lost in the move: $missing"
slice show ip | grep -q "controller: tcp:127.0.0.1:$RPORT2" || fail "show: $(slice show ip)"
grep -q "tcp:127.0.0.1:$RPORT2" "$T/state.json" || fail "state file not updated"
log "moved during $(grep -o '[0-9]* received' "$T/ping.out") pings, $(wc -l <"$T/flows-before") flows kept"

# Restart the slicer from its state file only.
slicer_stop
slicer_start "$S" --listen "ptcp:$SPORT:127.0.0.1" --state "$T/state.json"
slice list | grep -q "^ip .*tcp:127.0.0.1:$RPORT2" || fail "slice not restored: $(slice list)"
wait_for 30 slice_up ip 1 || fail "switch did not come back: $(slice list)"
ip netns exec "$A" ping -c 3 -i 0.3 -W 3 10.0.2.2 >/dev/null 2>&1 || fail "no ping after the restart"
slicer_check
pass "set-controller moved slice ip with 0% loss; state survived a restart"
