#!/bin/sh
# bench-cli — `plural bench` end to end (no root needed): help texts, usage
# errors (one line, exit 2), reports in text/JSON/CSV, time, ingest,
# compare with a chart, a tiny STREAM run, NUMA on fixture trees.
. "$(dirname "$0")/../lib/common.sh"
require_cmd python3
FIX=$(cd "$(dirname "$0")/../../lib/bench/tests/fixtures" && pwd)
[ -x "$PLURAL" ] || skip "plural not built at $PLURAL"

# expect_usage_error ARGS...: exit 2 and exactly one line on stderr.
expect_usage_error() {
    "$PLURAL" "$@" >"$T/out" 2>"$T/err" && fail "'$*' succeeded"
    rc=$?
    [ "$rc" -eq 2 ] || fail "'$*' exited $rc, not 2 ($(cat "$T/err"))"
    [ "$(wc -l <"$T/err")" -eq 1 ] || fail "'$*' printed more than one line: $(cat "$T/err")"
    grep -q '^plural bench' "$T/err" || fail "'$*' message does not name the command: $(cat "$T/err")"
}

# json_get FILE EXPR: evaluates a Python expression on the parsed report `r`.
json_get() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print($2)" "$1"; }

# Help texts.
"$PLURAL" bench --help >"$T/help" || fail "bench --help"
for sub in cpu mem numa time ingest compare; do
    grep -q "^  $sub " "$T/help" || fail "bench --help does not list $sub"
    "$PLURAL" bench $sub --help >"$T/h" || fail "bench $sub --help failed"
    grep -q "^usage: plural bench $sub" "$T/h" || fail "bench $sub --help has no usage line"
done

# Usage errors.
expect_usage_error bench
expect_usage_error bench nosuch
expect_usage_error bench cpu --bogus
expect_usage_error bench cpu --rounds 0
expect_usage_error bench cpu --digits-log2
expect_usage_error bench cpu --digits-log2 40
grep -q "memory" "$T/err" || fail "--digits-log2 40: no word about memory: $(cat "$T/err")"
expect_usage_error bench cpu --format yaml
expect_usage_error bench mem --ntimes 1
expect_usage_error bench mem --array-size 10
expect_usage_error bench mem --memnode 1000
expect_usage_error bench numa --reserve-mib x
expect_usage_error bench time --rounds 2
expect_usage_error bench compare
echo "1 2 x" > "$T/bad.samples"
expect_usage_error bench ingest --samples "$T/bad.samples"
expect_usage_error bench ingest --rounds 3

# cpu: JSON on stdout, CSV to a file, warm-up marked, digits verified, no
# progress line when stderr is not a terminal.
"$PLURAL" bench cpu --digits-log2 12 --rounds 3 --format json --csv "$T/cpu.csv" \
    >"$T/cpu.json" 2>"$T/cpu.err" || fail "bench cpu failed: $(cat "$T/cpu.err")"
[ ! -s "$T/cpu.err" ] || fail "bench cpu wrote to stderr in a pipe: $(cat "$T/cpu.err")"
[ "$(json_get "$T/cpu.json" "r['series'][0]['summary']['n']")" = 3 ] || fail "cpu: n != 3"
[ "$(json_get "$T/cpu.json" "len(r['series'][0]['samples'])")" = 4 ] || fail "cpu: not 4 samples"
[ "$(json_get "$T/cpu.json" "r['series'][0]['samples'][0]['warmup']")" = True ] || fail "cpu: warm-up not marked"
[ "$(json_get "$T/cpu.json" "r['params']['digits']")" = 4096 ] || fail "cpu: digits"
json_get "$T/cpu.json" "r['params']['verified']" | grep -q "passed, up to 4096" || fail "cpu: not verified"
[ "$(head -1 "$T/cpu.csv")" = "benchmark,series,unit,round,warmup,value" ] || fail "cpu: CSV header"
[ "$(wc -l <"$T/cpu.csv")" -eq 9 ] || fail "cpu: CSV rows (4 rounds x time, cpu_time + header)"
[ "$(json_get "$T/cpu.json" "[s['name'] for s in r['series']]")" = "['time', 'cpu_time']" ] || fail "cpu: series"
"$PLURAL" bench cpu --digits 100 --rounds 2 --warmup 0 --print-digits "$T/pi.txt" >/dev/null || fail "cpu --digits"
[ "$(cat "$T/pi.txt")" = "3.1415926535897932384626433832795028841971693993751058209749445923078164062862089986280348253421170679" ] \
    || fail "cpu: 100 digits wrong: $(cat "$T/pi.txt")"

# time: this process times a command; a failing command fails the run.
"$PLURAL" bench time --rounds 3 --warmup 1 --json "$T/time.json" -- sh -c 'echo hello' \
    >"$T/time.txt" 2>"$T/time.err" || fail "bench time failed"
grep -q hello "$T/time.err" || fail "bench time: the command's output did not go to stderr"
[ "$(json_get "$T/time.json" "r['timing']")" = external ] || fail "time: not marked external"
[ "$(json_get "$T/time.json" "r['series'][0]['summary']['n']")" = 3 ] || fail "time: n != 3"
"$PLURAL" bench time --rounds 2 -- false 2>"$T/err" && fail "bench time of 'false' succeeded"
grep -q "exited with status 1" "$T/err" || fail "time: no reason given: $(cat "$T/err")"

# ingest: samples from stdin, known statistics (1..5: mean 3, s = 1.5811,
# t(0.975, 4) = 2.776445, half-width 1.963243).
printf '# host-side timings\n1 2\n3, 4\n5\n' |
    "$PLURAL" bench ingest --name guest --format json >"$T/ing.json" || fail "ingest failed"
[ "$(json_get "$T/ing.json" "r['series'][0]['summary']['mean']")" = 3.0 ] || fail "ingest: mean"
[ "$(json_get "$T/ing.json" "round(r['series'][0]['summary']['ci_half'], 6)")" = 1.963243 ] || fail "ingest: CI"
[ "$(json_get "$T/ing.json" "r['series'][0]['summary']['median']")" = 3.0 ] || fail "ingest: median"
printf '10\n2\n4\n4\n6\n' > "$T/samples"
"$PLURAL" bench ingest --samples "$T/samples" --warmup 1 --json "$T/ing2.json" >/dev/null || fail "ingest --samples"
[ "$(json_get "$T/ing2.json" "r['series'][0]['summary']['mean']")" = 4.0 ] || fail "ingest: warm-up not excluded"

# compare: table with ratios, and a PNG chart when gnuplot is here.
"$PLURAL" bench compare --labels one,two "$T/ing.json" "$T/ing2.json" >"$T/cmp" || fail "compare failed"
grep -q "two .* 1.333" "$T/cmp" || fail "compare: ratio 4/3 missing: $(cat "$T/cmp")"
expect_usage_error bench compare --series copy "$T/ing.json" "$T/cpu.json"
grep -q "has no series 'copy'" "$T/err" || fail "compare: missing series not named: $(cat "$T/err")"
echo '{"x": 1}' > "$T/bad.json"
"$PLURAL" bench compare "$T/bad.json" 2>"$T/err" && fail "compare of a non-report succeeded"
grep -q "not a plural bench report" "$T/err" || fail "compare: bad report not explained"
if command -v gnuplot >/dev/null 2>&1; then
    "$PLURAL" bench compare "$T/ing.json" "$T/ing2.json" --plot "$T/c.png" >/dev/null || fail "compare --plot failed"
    [ "$(head -c 4 "$T/c.png" | od -An -c | tr -d ' ')" = "211PNG" ] || fail "compare: not a PNG"
fi

# mem: a tiny STREAM run (below the cache rule: warned), validated.
"$PLURAL" bench mem --array-size 100000 --ntimes 3 --rounds 2 --threads 2 \
    --json "$T/mem.json" >"$T/mem.txt" 2>"$T/mem.err" || fail "bench mem failed: $(cat "$T/mem.err")"
if [ -d /sys/devices/system/cpu/cpu0/cache/index0 ]; then
    grep -q "below STREAM's minimum" "$T/mem.err" || fail "mem: no warning for a small array"
fi
[ "$(json_get "$T/mem.json" "[s['name'] for s in r['series']]")" = "['copy', 'scale', 'add', 'triad']" ] || fail "mem: series"
json_get "$T/mem.json" "r['params']['validation']" | grep -q passed || fail "mem: validation"
[ "$(json_get "$T/mem.json" "r['params']['threads']")" = 2 ] || fail "mem: threads"

# numa on fixture trees.
"$PLURAL" bench numa --sysfs-root "$FIX/node4" >"$T/n4" || fail "numa node4"
grep -q "NUMA topology: 4 nodes, 24 CPUs, 50.0 GiB" "$T/n4" || fail "numa: topology line: $(cat "$T/n4")"
grep -q "Largest VM that fits one node: 6 vCPUs, 11.50 GiB" "$T/n4" || fail "numa: advice"
"$PLURAL" bench numa --sysfs-root "$FIX/node2" --format json >"$T/n2.json" || fail "numa node2"
[ "$(json_get "$T/n2.json" "r['largest_node_local_vm']['vcpus']")" = 8 ] || fail "numa: node2 vcpus"
[ "$(json_get "$T/n2.json" "r['nodes'][1]['distances']")" = "[21, 10]" ] || fail "numa: distances"
"$PLURAL" bench numa --sysfs-root "$FIX/node1" | grep -q "2 vCPUs, 7.00 GiB" || fail "numa node1"
"$PLURAL" bench numa --sysfs-root /nonexistent 2>/dev/null && fail "numa on a missing tree succeeded"
pass
