#!/bin/bash
# fault-slicer-kill: plural-switchd (fail-mode secure) -> plural-slicer ->
# plural-controller (l2) for slice "red" (untagged traffic).  The slicer is
# killed (SIGKILL) during a ping at 20/s from a to b: the switch keeps the
# flows it has, nothing is lost.  The slicer is started again from its
# state file: the switch reconnects, red's controller gets the switch back
# and traffic flows.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/ctl-lib.sh"
. "$(dirname "$0")/trust/fault-lib.sh"
SLICER=$PLURAL_BUILD/src/slicer/plural-slicer
require_root
require_controller
require_cmd ping
[ -x "$SWITCHD" ] || skip "plural-switchd not built"
[ -x "$SLICER" ] || skip "plural-slicer not built"

fault_topology
CPORT=$(free_port)
SPORT=$(free_port)
controller_start red "$S" --app l2 --listen "ptcp:$CPORT:127.0.0.1"
cat >"$T/slices.json" <<EOT
{"slices": [
  {"name": "red", "controller": "tcp:127.0.0.1:$CPORT", "ports": "all",
   "flowspace": [{"match": "dl_vlan=0xffff", "priority": 100, "perms": "rw"}]}
]}
EOT
slicer_start() {
    ip netns exec "$S" "$SLICER" --listen "ptcp:$SPORT:127.0.0.1" --config "$T/slices.json" \
        --state "$T/state.json" --ctl "$T/slicer.ctl" >>"$T/slicer.log" 2>&1 &
    echo $! >"$T/slicer.pid"
    on_exit "kill_pidfile $T/slicer.pid"
    wait_for 10 "$PLURAL" slice --ctl "$T/slicer.ctl" list >/dev/null ||
        fail "plural-slicer does not answer: $(cat "$T/slicer.log")"
}
slicer_start
fault_switchd --controller "tcp:127.0.0.1:$SPORT"
wait_for 20 ctl_switches_up red 1 || fail "red's controller did not get the switch: $(cat "$T/slicer.log")"
ip netns exec "$P-a" ping -c 3 -i 0.2 -W 2 10.0.0.2 >"$T/warm.txt" 2>&1 || fail "warm-up ping: $(cat "$T/warm.txt")"
wait_for 10 sh -c "[ \$('$PLURAL' switch --ctl '$T/switchd.ctl' dump-flows | grep -c actions=output) -ge 2 ]" ||
    fail "no flows installed through the slicer: $(sws dump-flows)"

# 1. Kill the slicer during a 10 s ping.
fault_ping_start 200 "$T/ping1.txt"
wait_for 10 sh -c "[ \$(grep -c 'bytes from' '$T/ping1.txt') -ge 40 ]" || fail "ping did not start"
kill -KILL "$(cat "$T/slicer.pid")"
wait_for 10 sh -c "! '$PLURAL' switch --ctl '$T/switchd.ctl' show | grep -q 'tcp:127.0.0.1:$SPORT: ACTIVE'" ||
    fail "the switch did not notice the slicer's death"
wait "$ping_pid"
set -- $(fault_loss "$T/ping1.txt")
log "slicer killed: ping across the outage $2/$1"
[ "$1" -eq 200 ] && [ "$2" -eq "$1" ] || fail "lost $(($1 - $2)) of $1 packets with the slicer dead"

# 2. Restart from the state file: everything reconnects, traffic flows.
slicer_start
wait_for 30 sh -c "'$PLURAL' switch --ctl '$T/switchd.ctl' show | grep -q 'tcp:127.0.0.1:$SPORT: ACTIVE'" ||
    fail "the switch did not reconnect to the restarted slicer: $(sws show)"
wait_for 30 ctl_switches_up red 1 || fail "red's controller did not get the switch back"
fault_ping_start 40 "$T/ping2.txt"
wait "$ping_pid"
set -- $(fault_loss "$T/ping2.txt")
log "after the slicer restarted: ping $2/$1"
[ "$2" -ge 30 ] || fail "traffic did not resume after the slicer restarted: $(tail -n 3 "$T/ping2.txt")"
pass "0 lost of 200 with the slicer dead; $2/$1 after its restart"
