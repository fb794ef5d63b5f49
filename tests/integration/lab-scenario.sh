#!/bin/sh
# plural lab run --quick: the cpu scenario (native, container, TCG guest)
# and the routing scenario (native and container routers) write JSON, CSV,
# a PNG and a Markdown report whose numbers are the ones the bench reports
# measured in this run.
. "$(dirname "$0")/../lib/common.sh"
require_root
require_cmd iperf3 gnuplot python3

res="$T/results"
"$PLURAL" lab run cpu --quick --results "$res/cpu" > "$T/cpu.log" 2>&1 || { cat "$T/cpu.log"; fail "lab run cpu"; }
for f in report.md summary.json summary.csv native.json native.csv container.json cpu.png topology.yml; do
    [ -s "$res/cpu/$f" ] || { cat "$T/cpu.log"; fail "cpu: no $f"; }
done
if [ -s "$res/cpu/vm.json" ]; then
    grep -q "Guests ran with accelerator: vm=" "$res/cpu/report.md" || fail "accelerator not reported"
else
    grep -q "| vm | .*skipped" "$res/cpu/report.md" || fail "vm neither measured nor skipped with a reason"
fi

"$PLURAL" lab run routing --quick --platforms native,container --results "$res/rt" > "$T/rt.log" 2>&1 || { cat "$T/rt.log"; fail "lab run routing"; }
for f in report.md summary.json native.json container.json routing.png; do
    [ -s "$res/rt/$f" ] || { cat "$T/rt.log"; ls -la "$res/rt" >&2; fail "routing: no $f"; }
done

# The report's numbers are the runs' own: recompute each mean from the
# samples of the bench reports and find it in report.md.
python3 - "$res/cpu" "$res/rt" <<'PY' || fail "report numbers do not match the measured samples"
import json, sys, os
for d in sys.argv[1:]:
    md = open(os.path.join(d, "report.md")).read()
    summ = json.load(open(os.path.join(d, "summary.json")))
    measured = [p for p in summ["platforms"] if "report" in p]
    assert len(measured) >= 2, d
    for p in measured:
        rep = json.load(open(p["report"]))
        assert rep["rounds"] == 3, rep["rounds"]
        for s in rep["series"]:
            vals = [x["value"] for x in s["samples"] if not x["warmup"]]
            assert len(vals) == 3
            mean = sum(vals) / len(vals)
            assert all(v > 0 for v in vals), (p, vals)
            assert abs(mean - s["summary"]["mean"]) <= 1e-9 * max(1, abs(mean)), (mean, s["summary"])
            cell = "| %s | %s | 3 | %s " % (p["platform"], s["name"], "%.6g" % mean)
            assert cell in md, (cell, d)
print("ok")
PY
pass
