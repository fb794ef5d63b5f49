#!/bin/bash
# switch-timeouts — idle and hard timeouts expire flows and send FLOW_REMOVED
# (with the right reason and counters) to the controller that asked for it,
# with the switch's clock driven by `plural switch clock stop/warp`: no
# sleeping, no timing assertion.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/switch-common.sh"
require_switchd

c=$(free_port)
# idle 5 s on in_port=1, hard 10 s on in_port=2, permanent on in_port=3
# (that one without SEND_FLOW_REM: it must never be reported).
ofpeer --listen "$c" --log "$T/c.log" hello features expect FEATURES_REPLY \
    flow-mod "priority=10,in_port=1,idle=5,send_flow_rem,cookie=0x11,output=2" \
    flow-mod "priority=10,in_port=2,hard=10,send_flow_rem,cookie=0x22,output=1" \
    flow-mod "priority=10,in_port=3,idle=1,cookie=0x33,output=1" \
    barrier expect BARRIER_REPLY serve >"$T/c.out" 2>"$T/c.err" &
on_exit "kill $! 2>/dev/null"
wait_for 10 listening "$c" || fail "ofpeer did not listen"
switchd_start s --port dummy:p1 --port dummy:p2 --port dummy:p3 \
    --controller "tcp:127.0.0.1:$c" --fail-mode secure
wait_log "$T/c.log" 'recv BARRIER_REPLY' || fail "no BARRIER_REPLY"

nflows() { sw s dump-flows | grep -c 'actions='; }
[ "$(nflows)" = 3 ] || fail "expected 3 flows, got: $(sw s dump-flows)"

sw s clock stop || fail "clock stop failed"
f=$(frame udp 02:00:00:00:00:01 02:00:00:00:00:02 10.0.0.1 10.0.0.2 1000 2000)
sw s clock warp 3000
sw s inject 1 "$f"                  # t=3: flow 1 used (idle timer restarts)
wait_for 5 sh -c "'$PLURAL' switch --ctl '$T/s.ctl' dump-flows | grep -q 'n_packets=1'" ||
    fail "the frame did not hit flow 1"
sw s clock warp 3000                # t=6: flow 3 idle since 0 -> gone
wait_for 5 sh -c "[ \$('$PLURAL' switch --ctl '$T/s.ctl' dump-flows | grep -c actions=) = 2 ]" ||
    fail "flow 3 (idle 1 s) did not expire: $(sw s dump-flows)"
sw s dump-flows | grep -q 'in_port=1' || fail "flow 1 expired although used 3 s ago"
grep -q 'recv FLOW_REMOVED' "$T/c.log" && fail "FLOW_REMOVED sent without SEND_FLOW_REM or too early"

sw s clock warp 3000                # t=9: flow 1 idle for 6 s -> removed
wait_log "$T/c.log" 'recv FLOW_REMOVED .*cookie=0x11 priority=10 reason=0 idle_timeout=5 packet_count=1 byte_count=72' ||
    fail "no FLOW_REMOVED (idle) for flow 1: $(grep FLOW_REMOVED "$T/c.log")"
sw s dump-flows | grep -q 'in_port=2' || fail "flow 2 (hard 10 s) expired too early"

sw s clock warp 2000                # t=11: flow 2 reaches its hard timeout
wait_log "$T/c.log" 'recv FLOW_REMOVED .*cookie=0x22 priority=10 reason=1 ' ||
    fail "no FLOW_REMOVED (hard) for flow 2: $(grep FLOW_REMOVED "$T/c.log")"
[ "$(nflows)" = 0 ] || fail "flows left: $(sw s dump-flows)"
[ "$(grep -c 'recv FLOW_REMOVED' "$T/c.log")" = 2 ] || fail "expected exactly 2 FLOW_REMOVED"
sw s clock resume || fail "clock resume failed"
finish
