#!/bin/bash
# slice-automap — plural-slicer --switch-ctl keeps plural-switchd's
# per-slice scheduler map in step with the slices, without push-map:
#   - started before the switches: the pushes fail and are retried; once a
#     switch connects to the slicer it gets its map;
#   - `plural slice set clean weight=5`, `add`, `del`: the switches' map
#     (slice/stats) follows;
#   - per switch (DPID=PATH): a flowspace entry for one dpid is in that
#     switch's map only;
#   - a switch restarted without its map gets it again when it reconnects.
# No root: dummy ports.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/switch-common.sh"
. "$(dirname "$0")/slice-lib.sh"
require_switchd
require_slicer

cat >"$T/slices.json" <<JSON
{"slices": [
  {"name": "ip", "controller": "tcp:127.0.0.1:1", "weight": 1,
   "flowspace": [{"match": "dl_vlan=10"}]},
  {"name": "clean", "controller": "tcp:127.0.0.1:1", "weight": 3,
   "flowspace": [{"match": "dl_vlan=20-21"}, {"dpid": "0x6", "match": "dl_vlan=40"}]}
]}
JSON
slicer_start "" --listen "ptcp:0:127.0.0.1" --config "$T/slices.json" \
    --switch-ctl "0x5=$T/s5.ctl" --switch-ctl "6=unix:$T/s6.ctl"
sport=$(sed -n 's/.*listening for switches on TCP port \([0-9]*\).*/\1/p' "$T/slicer.log" | head -n1)
[ -n "$sport" ] || fail "no slicer port: $(cat "$T/slicer.log")"

# No switch yet: the first pushes fail, the slicer says so and retries.
wait_log "$T/slicer.log" "slice map to $T/s5.ctl: cannot connect" ||
    fail "no failed push logged: $(cat "$T/slicer.log")"
slice map-status | grep -q "$T/s5.ctl (dpid 0000000000000005): .*not in sync" ||
    fail "map-status: $(slice map-status)"

stats() { "$PLURAL" ctl --ctl "$T/$1.ctl" slice/stats; }
# has SWITCH REGEX: slice/stats of SWITCH has a line matching REGEX.
has() { stats "$1" | grep -Eq "$2"; }
for d in 5 6; do
    switchd_start s$d --dpid 0x$d --port dummy:p${d}1 --port dummy:p${d}2 \
        --controller "tcp:127.0.0.1:$sport" --fail-mode secure
done
for d in 5 6; do
    wait_for 10 has s$d "^2 +clean +3 " || fail "s$d did not get the map: $(stats s$d); $(slice map-status)"
    has s$d "scheduler: enabled" || fail "s$d: scheduler off: $(stats s$d)"
    has s$d "^1 +ip +1 " || fail "s$d: ip not mapped: $(stats s$d)"
done
slice map-status | grep -q "$T/s6.ctl (dpid 0000000000000006): idle, in sync" ||
    fail "map-status: $(slice map-status)"
slice map-status | grep -q "map: 1:ip:1:10 2:clean:3:20,21,40" ||
    fail "s6's map lacks its own VLAN 40: $(slice map-status)"
slice map-status | grep -q "map: 1:ip:1:10 2:clean:3:20,21$" ||
    fail "s5's map is not its own: $(slice map-status)"

# Run-time changes reach the data plane without push-map.
slice set clean weight=5 || fail "set weight failed"
for d in 5 6; do
    wait_for 10 has s$d "^2 +clean +5 " || fail "s$d: weight 5 not pushed: $(stats s$d)"
done
slice add web tcp:127.0.0.1:1 flowspace=dl_vlan=30 weight=2 || fail "add failed"
wait_for 10 has s5 "^3 +web +2 " || fail "s5: web not pushed: $(stats s5)"
slice del ip || fail "del failed"
wait_for 10 has s5 "^1 +clean +5 " || fail "s5: ids not renumbered after del: $(stats s5)"
has s5 "^2 +web +2 " || fail "s5: web not id 2: $(stats s5)"
# A change that leaves the map alone pushes nothing.
n=$(grep -c "slice map pushed to $T/s5.ctl" "$T/slicer.log")
slice set web max-flows=7 || fail "set max-flows failed"
slice show web | grep -q "max-flows 7" || fail "max-flows not set"
[ "$(grep -c "slice map pushed to $T/s5.ctl" "$T/slicer.log")" = "$n" ] ||
    fail "an unchanged map was pushed again"

# The manual command still works.
slice --switch-ctl "$T/s5.ctl" push-map | grep -q "pushed 2 slice(s)" || fail "push-map failed"

# s6 restarted: empty map until it reconnects to the slicer, then its map again.
n=$(grep -c "slice map pushed to $T/s6.ctl" "$T/slicer.log")
pid=$(cat "$T/s6.pid")
kill "$pid"
wait_for 5 sh -c "! kill -0 $pid" || fail "s6 did not stop"
switchd_start s6 --dpid 0x6 --port dummy:p61 --port dummy:p62 \
    --controller "tcp:127.0.0.1:$sport" --fail-mode secure
wait_for 10 has s6 "^1 +clean +5 " || fail "restarted s6 did not get its map back: $(stats s6)"
has s6 "^2 +web +2 " || fail "restarted s6: web missing: $(stats s6)"
[ "$(grep -c "slice map pushed to $T/s6.ctl" "$T/slicer.log")" -gt "$n" ] ||
    fail "no push to the restarted s6"

slicer_check
finish
