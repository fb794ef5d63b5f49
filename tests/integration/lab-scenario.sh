#!/bin/sh
# plural lab run --quick: the cpu scenario (native, container, TCG guest)
# and the routing scenario (native, container, plural-switchd and Open
# vSwitch under the router app) write JSON, CSV,
# a PNG and a Markdown report whose numbers are the ones the bench reports
# measured in this run; the shared-dataplane scenario (what `make demo`
# runs: two virtual networks on one plural-switchd through plural-slicer,
# vs native, Open vSwitch and a routing guest) reports positive rates,
# every clean-slate frame delivered, the router's controller inside a
# container and the clean-slate controller inside a guest.
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

"$PLURAL" lab run routing --quick --platforms native,container,plural,ovs --results "$res/rt" > "$T/rt.log" 2>&1 || { cat "$T/rt.log"; fail "lab run routing"; }
for f in report.md summary.json native.json container.json plural.json ovs.json routing.png; do
    [ -s "$res/rt/$f" ] || { cat "$T/rt.log"; ls -la "$res/rt" >&2; fail "routing: no $f"; }
done

# The same checks for what `make demo` runs.
if [ -x "$PLURAL_BUILD/src/switchd/plural-switchd" ] && [ -x "$PLURAL_BUILD/src/slicer/plural-slicer" ]; then
    "$PLURAL" lab run shared-dataplane --quick --results "$res/sd" > "$T/sd.log" 2>&1 || { cat "$T/sd.log"; fail "lab run shared-dataplane"; }
    for f in report.md summary.json summary.csv native.json plural.json shared-dataplane.png topology.yml cleanslate.conf; do
        [ -s "$res/sd/$f" ] || { cat "$T/sd.log"; ls -la "$res/sd" >&2; fail "shared-dataplane: no $f"; }
    done
    for p in ovs vm-router; do
        [ -s "$res/sd/$p.json" ] || grep -q "| $p | .*skipped" "$res/sd/report.md" ||
            fail "shared-dataplane: $p neither measured nor skipped with a reason"
    done
    # Guests need QEMU and a kernel (CI installs both); without them the
    # clean-slate controller runs on the host and the report says why.
    NO_GUESTS=
    command -v qemu-system-x86_64 >/dev/null && ls /boot/vmlinuz-* >/dev/null 2>&1 || NO_GUESTS=1
    NO_GUESTS=$NO_GUESTS python3 - "$res/sd" <<'PY' || { cat "$T/sd.log"; fail "shared-dataplane summary"; }
import json, sys, os
d = sys.argv[1]
summ = json.load(open(os.path.join(d, "summary.json")))
cs = summ["cleanslate"]
assert cs["ok"] and cs["sent"] > 0 and cs["delivered"] == cs["sent"], cs
md = open(os.path.join(d, "report.md")).read()
assert "%d of %d PLURAL-CS frames" % (cs["delivered"], cs["sent"]) in md
# The router's controller ran inside container pk (cgroups and netns).
pl = summ["controllers"]["prt"]
assert pl["container"] == "pk" and pl["in_cgroups"] and pl["in_netns"] and pl["pid"] > 0, pl
assert "Controller prt (router app) ran inside container node pk: pid %d checked in" % pl["pid"] in md
# The clean-slate network's controller ran inside guest pv (this machine
# runs QEMU guests under TCG), reached by the slicer over its link.
cs = summ["controllers"]["pcs"]
if os.environ.get("NO_GUESTS"):
    assert cs.get("host"), cs
else:
    assert cs["vm"] == "pv" and cs["running"] and cs["guest_pid"] > 0, cs
    assert cs["target"] == "tcp:10.22.9.2:6653" and cs["accel"] in ("tcg", "kvm"), cs
    assert "Controller pcs (cleanslate app) ran inside vm node pv (QEMU, %s): guest pid %d running" % (cs["accel"], cs["guest_pid"]) in md
names = [p["platform"] for p in summ["platforms"] if "report" in p]
assert names[:2] == ["native", "plural"], names
for p in summ["platforms"]:
    for s in p.get("series", []):
        assert s["summary"]["mean"] > 0 and s["ratio_to_reference"] > 0, (p["platform"], s)
print("ok")
PY
    sd_dir="$res/sd"
else
    echo "shared-dataplane: plural-switchd or plural-slicer not built, scenario not run"
    sd_dir=
fi

# The report's numbers are the runs' own: recompute each mean from the
# samples of the bench reports and find it in report.md.
python3 "$(dirname "$0")/lab/check-report.py" "$res/cpu" "$res/rt" $sd_dir ||
    fail "report numbers do not match the measured samples"
pass
