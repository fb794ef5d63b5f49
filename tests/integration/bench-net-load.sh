#!/bin/sh
# bench-net-load — `plural bench load` measures a busy loop running inside a
# network namespace (--netns, summed over its processes) and by --pid, and
# an idle namespace near 0.  Wide bands (busy > 20%, idle < 5% of one core):
# they tell spinning from sleeping on a loaded 2-core machine, not time code.
. "$(dirname "$0")/../lib/common.sh"
require_root
require_cmd ip
[ -x "$PLURAL" ] || skip "plural not built at $PLURAL"

BUSY=${P}busy IDLE=${P}idle
netns_add "$BUSY"
netns_add "$IDLE"
ip netns exec "$BUSY" sh -c 'while :; do :; done' &
busy_pid=$!
on_exit "kill $busy_pid"
ip netns exec "$IDLE" sleep 60 &
idle_pid=$!
on_exit "kill $idle_pid"

# mean_cpu FILE: the mean of the "cpu" series in a load JSON report.
mean_cpu() {
    python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))
print(int([s for s in r["series"] if s["name"] == "cpu"][0]["summary"]["mean"]))' "$1"
}

"$PLURAL" bench load --netns "$BUSY" --interval 1 --duration 2 --json "$T/busy.json" \
    >"$T/busy.out" 2>&1 || fail "load --netns failed"
cat "$T/busy.out" >&2
grep -q "^load t=1\.[0-9]* cpu=" "$T/busy.out" || fail "no per-interval line"
busy=$(mean_cpu "$T/busy.json")
[ "$busy" -gt 20 ] || fail "busy namespace measured at $busy%"

"$PLURAL" bench load --netns "$IDLE" --interval 1 --duration 2 --json "$T/idle.json" \
    >"$T/idle.out" 2>&1 || fail "load --netns (idle) failed"
idle=$(mean_cpu "$T/idle.json")
[ "$idle" -lt 5 ] || fail "idle namespace measured at $idle%"

# The busy loop is a child of `ip netns exec` (it execs sh): by pid too.
"$PLURAL" bench load --pid "$busy_pid" --interval 1 --duration 1 --json "$T/pid.json" \
    >"$T/pid.out" 2>&1 || fail "load --pid failed"
pid=$(mean_cpu "$T/pid.json")
[ "$pid" -gt 20 ] || fail "busy process measured at $pid%"
pass "busy namespace $busy%, idle namespace $idle%, busy pid $pid%"
