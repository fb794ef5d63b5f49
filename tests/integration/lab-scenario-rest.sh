#!/bin/sh
# plural lab run --quick for the scenarios lab-scenario.sh does not run:
# mem (native, container, TCG guest), numa (topology and advisor), p2p-64
# (native, container, guests with virtio and e1000 NICs), p2p-1500 (native,
# container) and isolation (CPU load of plural-switchd and ovs-vswitchd,
# idle and under traffic).  Each writes its report files, and every number
# in report.md is recomputed from the run's own samples (check-report.py).
. "$(dirname "$0")/../lib/common.sh"
require_root
require_cmd iperf3 gnuplot python3

res="$T/results"
check="$(dirname "$0")/lab/check-report.py"
run_scenario() {   # run_scenario NAME FILES... (extra options in $OPTS)
    name=$1; shift
    # shellcheck disable=SC2086
    "$PLURAL" lab run "$name" --quick $OPTS --results "$res/$name" > "$T/$name.log" 2>&1 ||
        { cat "$T/$name.log"; fail "lab run $name"; }
    for f in report.md summary.json summary.csv "$@"; do
        [ -s "$res/$name/$f" ] || { cat "$T/$name.log"; ls -la "$res/$name" >&2; fail "$name: no $f"; }
    done
}

OPTS= run_scenario mem native.json container.json mem.png topology.yml
OPTS= run_scenario numa native.json
grep -q "^| native | NUMA node 0: CPUs " "$res/numa/report.md" || fail "numa: no node line"
grep -q "per core (threshold)" "$res/numa/report.md" || fail "numa: no threshold"
python3 - "$res/numa/summary.json" <<'PY' || fail "numa summary"
import json, sys
n = json.load(open(sys.argv[1]))["platforms"][0]["numa"]
assert n["nodes"] and n["n_cpus"] > 0 and n["threshold_bytes"] > 0, n
assert n["largest_node_local_vm"]["vcpus"] > 0, n
PY
OPTS= run_scenario p2p-64 native.json container.json p2p-64.png
for p in vm-virtio vm-e1000; do
    [ -s "$res/p2p-64/$p.json" ] || grep -q "| $p | .*skipped" "$res/p2p-64/report.md" ||
        fail "p2p-64: $p neither measured nor skipped with a reason"
done
OPTS="--platforms native,container" run_scenario p2p-1500 native.json container.json p2p-1500.png
python3 "$check" "$res/mem" "$res/p2p-64" "$res/p2p-1500" || fail "report numbers do not match the samples"

if [ -x "$PLURAL_BUILD/src/switchd/plural-switchd" ]; then
    OPTS= run_scenario isolation plural-idle.json plural-traffic.json isolation.png
    # Idle CPU shares may be 0 %.
    python3 "$check" --allow-zero "$res/isolation" || fail "isolation numbers do not match the samples"
    # With the XDP fast path most forwarding runs in the kernel's softirq,
    # not in the switch's process: the load shows in one or the other.
    python3 - "$res/isolation/plural-traffic.json" <<'PY' || fail "isolation: no load measured under traffic"
import json, sys
rep = json.load(open(sys.argv[1]))
mean = {s["name"]: s["summary"]["mean"] for s in rep["series"]}
assert mean.get("cpu", 0) > 0 or mean.get("softirq", 0) > 0, mean
PY
fi
pass "mem, numa, p2p-64, p2p-1500, isolation: reports from the run's own samples"
