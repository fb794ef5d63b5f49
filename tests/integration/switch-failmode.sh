#!/bin/bash
# switch-failmode — what plural-switchd does without a controller:
# standalone acts as a learning switch (NORMAL), secure drops table misses;
# a controller that installed emergency flows and then goes away leaves the
# switch on its emergency flow table (OpenFlow 1.0 §4.4).  No root.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/switch-common.sh"
require_switchd

popn() { sw "$1" pop-sent "$2" | grep -c .; }

# Standalone: an unknown destination is flooded; once learned, unicast.
switchd_start a --port dummy:p1 --port dummy:p2 --port dummy:p3 --fail-mode standalone
sw a show | grep -q 'fail mode: standalone' || fail "show does not say standalone"
ab=$(frame udp 02:00:00:00:00:0a 02:00:00:00:00:0b 10.0.0.1 10.0.0.2 1 2)
ba=$(frame udp 02:00:00:00:00:0b 02:00:00:00:00:0a 10.0.0.2 10.0.0.1 2 1)
sw a inject 1 "$ab"
[ "$(popn a 2)" = 1 ] && [ "$(popn a 3)" = 1 ] || fail "standalone: unknown destination not flooded"
sw a inject 2 "$ba"                 # 0a was learned on port 1.
[ "$(popn a 1)" = 1 ] && [ "$(popn a 3)" = 0 ] || fail "standalone: learned destination not unicast"
sw a inject 1 "$ab"                 # 0b was learned on port 2.
[ "$(popn a 2)" = 1 ] && [ "$(popn a 3)" = 0 ] || fail "standalone: second direction not unicast"

# Secure: the same frame is dropped and counted.
switchd_start b --port dummy:p1 --port dummy:p2 --fail-mode secure
before=$(sw b counters | awk '$1 == "dp_drop_no_match" { print $2 }')
sw b inject 1 "$ab"
[ "$(popn b 2)" = 0 ] || fail "secure: a table miss was forwarded"
after=$(sw b counters | awk '$1 == "dp_drop_no_match" { print $2 }')
[ "$after" -gt "${before:-0}" ] || fail "secure: the miss was not counted ($before -> $after)"

# Emergency: the controller installs a normal flow (to port 2) and an
# emergency flow (to port 3), then disconnects.
c=$(free_port)
ofpeer --listen "$c" --log "$T/c.log" hello features expect FEATURES_REPLY \
    flow-mod "priority=10,in_port=1,output=2" \
    flow-mod "priority=10,in_port=1,flags=4,output=3" \
    barrier expect BARRIER_REPLY >"$T/c.out" 2>"$T/c.err" &
cpid=$!
on_exit "kill $cpid 2>/dev/null"
wait_for 10 listening "$c" || fail "ofpeer did not listen"
switchd_start e --port dummy:p1 --port dummy:p2 --port dummy:p3 \
    --controller "tcp:127.0.0.1:$c" --fail-mode secure
wait "$cpid" || fail "controller script failed: $(cat "$T/c.err")"
wait_for 10 sh -c "'$PLURAL' switch --ctl '$T/e.ctl' show | grep -q EMERGENCY" ||
    fail "the switch did not enter emergency mode: $(sw e show)"
sw e inject 1 "$ab"
[ "$(popn e 3)" = 1 ] && [ "$(popn e 2)" = 0 ] || fail "emergency mode does not use the emergency flow"
sw e counters | grep -Eq 'ofp_emergency_entered +[1-9]' || fail "emergency entry not counted"
finish
