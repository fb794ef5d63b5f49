#!/bin/bash
# slice-dataplane — the slicer's VLAN -> slice map pushed to plural-switchd
# (`plural slice push-map`), which then schedules its forwarding per slice;
# `plural slice stats --switch-ctl` shows each slice's data-plane packets,
# bytes, drops and CPU share.  No root: dummy ports, frames injected from
# the switch's control socket.  (Fair shares under overload are measured
# by the unit test lib/dp/tests/test-slice-sched.c.)
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/switch-common.sh"
. "$(dirname "$0")/slice-lib.sh"
require_switchd
require_slicer

switchd_start s --dpid 0x5 --port dummy:sp1 --port dummy:sp2 --port dummy:sp3 --fail-mode secure
cat >"$T/slices.json" <<JSON
{"slices": [
  {"name": "ip", "controller": "tcp:127.0.0.1:1", "weight": 1,
   "flowspace": [{"match": "dl_vlan=10"}]},
  {"name": "clean", "controller": "tcp:127.0.0.1:1", "weight": 3,
   "flowspace": [{"match": "dl_vlan=20-21"}]}
]}
JSON
slicer_start "" --listen "ptcp:0:127.0.0.1" --config "$T/slices.json"

slice --switch-ctl "$T/s.ctl" push-map || fail "push-map failed"
stats() { "$PLURAL" ctl --ctl "$T/s.ctl" slice/stats; }
stats | grep -q "scheduler: enabled" || fail "scheduler not enabled: $(stats)"
stats | grep -Eq "^2 +clean +3 " || fail "clean (id 2, weight 3) not mapped: $(stats)"

sw s add-flow "priority=10,in_port=1,actions=output:2" || fail "add-flow failed"
for v in 10 10 10 20 21; do
    f=$(frame udp 02:00:00:00:00:01 02:00:00:00:00:02 10.0.0.1 10.0.0.2 1000 2000 0 $v)
    sw s inject 1 "$f" || fail "inject failed"
done
untagged=$(frame udp 02:00:00:00:00:01 02:00:00:00:00:02 10.0.0.1 10.0.0.2 1000 2000)
sw s inject 1 "$untagged" || fail "inject failed"
wait_for 5 sh -c "'$PLURAL' ctl --ctl '$T/s.ctl' slice/stats | grep -Eq '^2 +clean +3 +2 '" ||
    fail "clean did not forward 2 frames: $(stats)"
stats | grep -Eq "^1 +ip +1 +3 " || fail "ip did not forward 3 frames: $(stats)"
stats | grep -Eq "^0 +\(unsliced\) +1 +1 " || fail "the untagged frame is not in slice 0: $(stats)"
n=$(sw s pop-sent 2 | grep -c .)
[ "$n" = 6 ] || fail "port 2 sent $n frames, not 6"

out=$(slice --switch-ctl "$T/s.ctl" stats 2>&1) || fail "stats failed: $out"
echo "$out" | grep -q "^data plane" || fail "stats lacks the data plane: $out"
echo "$out" | grep -q "CPU_%" || fail "stats lacks the CPU share: $out"
slice --switch-ctl "$T/s.ctl" --json stats | "$PYTHON" -c '
import json, sys
text = sys.stdin.read()
d = json.JSONDecoder()
slicer, end = d.raw_decode(text)
dp, _ = d.raw_decode(text[end:].lstrip())
assert "ip" in slicer and dp["enabled"], (slicer, dp)
assert {s["name"]: s["tx_packets"] for s in dp["slices"]}["clean"] == 2, dp
' || fail "JSON stats wrong"
"$PLURAL" ctl --ctl "$T/s.ctl" slice/map-clear || fail "map-clear failed"
stats | grep -q "scheduler: disabled" || fail "scheduler still enabled"
sw s inject 1 "$untagged" || fail "inject failed"
wait_for 5 sh -c "[ -n \"\$('$PLURAL' switch --ctl '$T/s.ctl' pop-sent 2)\" ]" ||
    fail "no forwarding after map-clear"
slicer_check
finish
