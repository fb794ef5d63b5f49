#!/bin/bash
# slice-fair-xdp — per-slice fairness where the drops happen, with the XDP
# fast path: one trunk, two slices by VLAN (weights 1:1), both slices'
# flows on the slow path (ENQUEUE: never cached in the kernel), VLAN 10
# flooding unpaced with an AF_XDP sender, VLAN 20 paced well below its
# share.  The slow path (AF_XDP ring, the switch's thread) saturates; the
# switch's per-slice policers must hold the flood to its share, so that:
#   - the victim gets at least 0.8 of what it offered (a loose bound: the
#     benchmark bench/slice-fair measures the real figure), and
#   - the flood was really throttled: frames dropped by its own policer.
# Runs bench/slice-fair once (it never fails on numbers) and checks its JSON.
. "$(dirname "$0")/../lib/common.sh"
require_root
require_cmd ip ethtool taskset python3
here=$(cd "$(dirname "$0")/../.." && pwd)
"$here/bench/slice-fair" --rounds 1 --seconds 3 --sizes 64 --weights 1:1 --modes xdp \
    --sched on --path slow --victim-rate 20000 --build "$PLURAL_BUILD" \
    --json "$T/fair.json" >"$T/fair.out" 2>&1 || fail "bench/slice-fair failed: $(tail -20 "$T/fair.out")"
cat "$T/fair.out" >&2
python3 - "$T/fair.json" <<'PY' || fail "fairness bound not met (see above)"
import json, sys
d = json.load(open(sys.argv[1]))
r = [x for x in d["rounds_detail"] if x.get("path") == "slow"][0]
v, f = r["victim"], r["flood"]
ratio = v["delivered"] / v["offered"] if v["offered"] else 0
print("victim offered %d delivered %d (%.2f); flood offered %d delivered %d, policed %d, ring %d"
      % (v["offered"], v["delivered"], ratio, f["offered"], f["delivered"], f["drop_police"],
         f["drop_ring"]), file=sys.stderr)
ok = v["offered"] > 0 and ratio >= 0.8 and f["drop_police"] > 0
sys.exit(0 if ok else 1)
PY
pass "victim slice kept its frames through a saturated slow path; the flood was policed"
