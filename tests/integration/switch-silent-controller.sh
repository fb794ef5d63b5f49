#!/bin/bash
# switch-silent-controller — "connected to a controller" means an OpenFlow
# session (HELLO exchanged, echo probe answered), not a TCP connection
# (issue 12 item 4):
#   1. a controller that accepts TCP and never speaks (a real listener in
#      python3 that never reads or writes): with --fail-mode standalone the
#      switch keeps acting as a learning switch; with secure, every table
#      miss is dropped and counted in dp_drop_no_match;
#   2. a controller that installed an emergency flow and is then SIGSTOPped:
#      the echo probe (5 s of silence, then 5 s more; driven with `plural
#      switch clock warp`) drops it, the switch enters emergency mode and
#      the fail mode applies to misses.  No root.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/switch-common.sh"
require_switchd

popn() { sw "$1" pop-sent "$2" | grep -c .; }
counter() { sw "$1" counters | awk -v n="$2" '$1 == n { print $2 }'; }
ab=$(frame udp 02:00:00:00:00:0a 02:00:00:00:00:0b 10.0.0.1 10.0.0.2 1 2)
ba=$(frame udp 02:00:00:00:00:0b 02:00:00:00:00:0a 10.0.0.2 10.0.0.1 2 1)

# 1. A silent TCP listener: accepts every connection, never reads or writes.
c=$(free_port)
"$PYTHON" -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(16)
held = []
while True:
    conn, _ = s.accept()
    held.append(conn)
    print("accepted", flush=True)
' "$c" >"$T/silent.log" 2>&1 &
on_exit "kill $! 2>/dev/null"
wait_for 10 listening "$c" || fail "the silent listener did not listen"

switchd_start a --port dummy:p1 --port dummy:p2 --port dummy:p3 \
    --controller "tcp:127.0.0.1:$c" --fail-mode standalone
switchd_start b --port dummy:p1 --port dummy:p2 \
    --controller "tcp:127.0.0.1:$c" --fail-mode secure
wait_for 10 sh -c "[ \$(grep -c accepted '$T/silent.log') -ge 2 ]" ||
    fail "the switches did not connect to the silent listener"

sw a inject 1 "$ab"
[ "$(popn a 2)" = 1 ] && [ "$(popn a 3)" = 1 ] ||
    fail "standalone with a silent controller: the miss was not flooded"
sw a show | grep -q 'fail mode: standalone (in effect' ||
    fail "standalone: a silent TCP peer counts as a controller: $(sw a show)"
sw a inject 2 "$ba"                 # 0a was learned on port 1.
[ "$(popn a 1)" = 1 ] && [ "$(popn a 3)" = 0 ] ||
    fail "standalone with a silent controller: not a learning switch"

before=$(counter b dp_drop_no_match)
for i in 1 2 3; do sw b inject 1 "$ab"; done
[ "$(popn b 2)" = 0 ] || fail "secure with a silent controller: a miss was forwarded"
after=$(counter b dp_drop_no_match)
[ "$after" -eq $((${before:-0} + 3)) ] ||
    fail "secure with a silent controller: 3 misses, dp_drop_no_match $before -> $after"

# 2. A real controller installs an emergency flow (in_port=1 -> 3), then is
# SIGSTOPped (python3 runs directly, not through the ofpeer function, so
# that $! is the peer itself).
c2=$(free_port)
"$PYTHON" "$HERE_INTEROP/ofpeer.py" --listen "$c2" --log "$T/c.log" hello features expect FEATURES_REPLY \
    flow-mod "priority=10,in_port=1,flags=4,output=3" \
    barrier expect BARRIER_REPLY serve >"$T/c.out" 2>"$T/c.err" &
cpid=$!
on_exit "kill -CONT $cpid 2>/dev/null; kill $cpid 2>/dev/null"
wait_for 10 listening "$c2" || fail "ofpeer did not listen"
switchd_start e --port dummy:p1 --port dummy:p2 --port dummy:p3 \
    --controller "tcp:127.0.0.1:$c2" --fail-mode standalone
wait_log "$T/c.log" 'recv BARRIER_REPLY' || fail "the controller got no BARRIER_REPLY: $(cat "$T/c.err")"
sw e show | grep -q 'in effect' && fail "a controller with a session is not counted: $(sw e show)"
sw e inject 2 "$ba"                 # A miss goes to the controller.
wait_log "$T/c.log" 'recv PACKET_IN' || fail "no PACKET_IN while the controller is up"
[ "$(popn e 1)" = 0 ] && [ "$(popn e 3)" = 0 ] || fail "a miss was flooded although a controller is up"

kill -STOP "$cpid"
sw e clock stop || fail "clock stop failed"
sw e clock warp 5000                # Silence: the switch sends an echo.
wait_for 10 sh -c "'$PLURAL' switch --ctl '$T/e.ctl' show | grep -q 'controller.*IDLE'" ||
    fail "no echo probe after 5 s of silence: $(sw e show | grep -A2 controllers)"
sw e clock warp 5000                # No reply: the session is dropped.
wait_for 10 sh -c "'$PLURAL' switch --ctl '$T/e.ctl' show | grep -q EMERGENCY" ||
    fail "a SIGSTOPped controller did not put the switch in emergency mode: $(sw e show)"
sw e show | grep -q 'in effect' || fail "the fail mode is not in effect: $(sw e show)"
sw e counters | grep -Eq 'ofp_emergency_entered +[1-9]' || fail "emergency entry not counted"
sw e inject 1 "$ab"                 # The emergency flow.
[ "$(popn e 3)" = 1 ] && [ "$(popn e 2)" = 0 ] || fail "emergency mode does not use the emergency flow"
sw e inject 2 "$ba"                 # A miss: standalone floods it.
[ "$(popn e 1)" = 1 ] && [ "$(popn e 3)" = 1 ] || fail "standalone does not apply after the controller stopped"
kill -CONT "$cpid"
finish
