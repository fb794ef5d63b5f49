#!/bin/bash
# fault-controller-kill: the controller dies, the switch (fail-mode secure)
# keeps forwarding the flows it has: a ping at 20/s from a to b running
# across the kill and the outage loses nothing.  The controller comes back
# on the same port: the switch reconnects, the controller resynchronises
# (clears the table, relearns, installs flows) and traffic flows again.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/ctl-lib.sh"
. "$(dirname "$0")/trust/fault-lib.sh"
require_root
require_controller
require_cmd ping
[ -x "$SWITCHD" ] || skip "plural-switchd not built"

fault_topology
PORT=$(free_port)
controller_start ctl "$S" --app l2 --listen "ptcp:$PORT:127.0.0.1"
fault_switchd --controller "tcp:127.0.0.1:$PORT"
wait_for 20 ctl_switches_up ctl 1 || fail "the switch did not connect"
ip netns exec "$P-a" ping -c 3 -i 0.2 -W 2 10.0.0.2 >"$T/warm.txt" 2>&1 || fail "warm-up ping: $(cat "$T/warm.txt")"
wait_for 10 sh -c "[ \$('$PLURAL' switch --ctl '$T/switchd.ctl' dump-flows | grep -c actions=output) -ge 2 ]" ||
    fail "no flows installed: $(sws dump-flows)"
flows_before=$(sws dump-flows | grep -c actions=output)

# 1. Kill the controller in the middle of a 10 s ping.
fault_ping_start 200 "$T/ping1.txt"
wait_for 10 sh -c "[ \$(grep -c 'bytes from' '$T/ping1.txt') -ge 40 ]" || fail "ping did not start: $(cat "$T/ping1.txt")"
kill -KILL "$(cat "$T/ctl.pid")"
wait_for 10 sh -c "! '$PLURAL' switch --ctl '$T/switchd.ctl' show | grep -q 'tcp:127.0.0.1:$PORT: ACTIVE'" ||
    fail "the switch did not notice the controller's death: $(sws show)"
killed_at=$(fault_replies "$T/ping1.txt")
wait "$ping_pid"
set -- $(fault_loss "$T/ping1.txt")
sent=$1 received=$2
log "controller killed after $killed_at replies; ping across the outage: $sent sent, $received received"
[ "$sent" -eq 200 ] || fail "ping summary: $(tail -n 3 "$T/ping1.txt")"
[ "$received" -eq "$sent" ] || fail "lost $((sent - received)) of $sent packets with the controller dead (fail-secure must keep forwarding)"
[ "$(sws dump-flows | grep -c actions=output)" -ge "$flows_before" ] || fail "flows lost while the controller was dead"

# 2. The controller returns: reconnect, resynchronise, traffic flows.
controller_start ctl "$S" --app l2 --listen "ptcp:$PORT:127.0.0.1"
wait_for 30 ctl_switches_up ctl 1 || fail "the switch did not reconnect: $(sws show)"
fault_ping_start 40 "$T/ping2.txt"
wait "$ping_pid"
set -- $(fault_loss "$T/ping2.txt")
log "after the controller returned: $1 sent, $2 received"
[ "$2" -ge 30 ] || fail "traffic did not resume after the controller returned: $(tail -n 3 "$T/ping2.txt")"
fm=$(ctl_stat ctl flow_mod)
macs=$(ctl ctl mac-table | grep -c "^  port")
[ "$fm" -ge 2 ] && [ "$macs" -ge 2 ] || fail "controller did not resynchronise: $fm flow_mods, $macs MACs"
pass "0 lost of $sent across the kill; resynchronised: $macs MACs, $fm flow_mods"
