#!/bin/bash
# fault-switch-restart: plural-switchd is killed (SIGKILL) and started
# again with the same ports and controller: it reconnects, the controller
# reinstalls flows, traffic resumes.  A ping at 20/s runs through it all;
# the test prints the outage and the time from the restart to the first
# reply (measured, not asserted).
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
fm_before=$(ctl_stat ctl flow_mod)

fault_ping_start 400 "$T/ping.txt"
wait_for 10 sh -c "[ \$(grep -c 'bytes from' '$T/ping.txt') -ge 20 ]" || fail "ping did not start"
killed=$(date +%s.%N)
fault_switchd_kill
restarted=$(date +%s.%N)
fault_switchd --controller "tcp:127.0.0.1:$PORT"
wait_for 30 ctl_switches_up ctl 1 || fail "the restarted switch did not reconnect: $(sws show)"
# The first reply after the restart (ping -D: "[EPOCH] ... bytes from").
wait_for 30 sh -c "awk -v t=$restarted '/bytes from/ { gsub(/[][]/, \"\", \$1); if (\$1 > t) { found = 1 } } END { exit !found }' '$T/ping.txt'" ||
    fail "traffic did not resume after the restart: $(tail -n 5 "$T/ping.txt")"
first=$(awk -v t="$restarted" '/bytes from/ { gsub(/[][]/, "", $1); if ($1 > t) { print $1; exit } }' "$T/ping.txt")
last_before=$(awk -v t="$killed" '/bytes from/ { gsub(/[][]/, "", $1); if ($1 <= t) last = $1 } END { print last }' "$T/ping.txt")
kill "$ping_pid" 2>/dev/null
fm_after=$(ctl_stat ctl flow_mod)
# (The controller's counters are per switch connection: fm_after counts
# the new session only.)
[ "$fm_after" -ge 1 ] || fail "the controller installed nothing after the restart"
wait_for 10 sh -c "'$PLURAL' switch --ctl '$T/switchd.ctl' dump-flows | grep -q actions=output" || fail "no flows in the restarted switch: $(sws dump-flows)"
resume_ms=$(awk -v a="$restarted" -v b="$first" 'BEGIN { printf "%d", (b - a) * 1000 }')
outage_ms=$(awk -v a="$last_before" -v b="$first" 'BEGIN { printf "%d", (b - a) * 1000 }')
echo "switch restart: traffic resumed ${resume_ms} ms after the restart (outage ${outage_ms} ms between the last reply before the kill and the first after)"
pass "resumed ${resume_ms} ms after restart, outage ${outage_ms} ms; flow_mods: $fm_before before, $fm_after after"
