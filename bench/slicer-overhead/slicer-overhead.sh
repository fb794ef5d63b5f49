#!/bin/bash
# slicer-overhead.sh — what plural-slicer costs a slice's controller:
# cbench-style flow setups (bench/ctl-setup-rate: emulated switches send
# PACKET_INs for M MACs, every FLOW_MOD naming a PACKET_IN's buffer_id is
# one response) against `plural-controller --app l2`, directly and
# through plural-slicer, in the same run, alternating, for 1, 100 and
# 1,000 slices: one live slice (the l2 controller, every untagged packet)
# and N-1 slices whose controllers are down (tcp:127.0.0.1:1, one VLAN
# each).
#
#   bench/slicer-overhead/slicer-overhead.sh [BUILD-DIR] [ROUNDS]
#   env: SLICES ("1 100 1000") SWITCHES (16) MACS (1000) WINDOW (64)
#        DURATION_MS (5000)
#
# Throughput: SWITCHES switches with WINDOW outstanding PACKET_INs each.
# Latency: one switch, one PACKET_IN outstanding.  Prints each run, then
# per slice count the medians over rounds, the ratios through/direct
# (throughput: higher is better; latency: lower is better) and the
# through-slicer figure against the first slice count's.  Rounds are the
# outer loop, so every slice count sees the same spread of machine load.  The
# generator, the slicer and the controller share this machine's cores.
# cbench (oflops) is not packaged in Debian; ctl-setup-rate is plural's
# cbench-equivalent (see its header).
set -eu
BUILD=${1:-$(cd "$(dirname "$0")/../.." && pwd)/build}
ROUNDS=${2:-3}
SLICES=${SLICES:-1 100 1000}
SWITCHES=${SWITCHES:-16}; MACS=${MACS:-1000}; WINDOW=${WINDOW:-64}; DURATION_MS=${DURATION_MS:-5000}
GEN=$BUILD/bench/ctl-setup-rate/ctl-setup-rate
CONTROLLER=$BUILD/src/controller/plural-controller
SLICER=$BUILD/src/slicer/plural-slicer
for f in "$GEN" "$CONTROLLER" "$SLICER"; do
    [ -x "$f" ] || { echo "slicer-overhead: $f not built (meson compile -C $BUILD)" >&2; exit 1; }
done
T=$(mktemp -d /tmp/slicer-overhead.XXXXXX)
pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$T"; }
trap cleanup EXIT

port() {
    while :; do
        p=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000 ))
        ss -Hltn "sport = :$p" | grep -q . || { echo "$p"; return; }
    done
}
wait_listen() {
    for _ in $(seq 100); do
        ss -Hltn "sport = :$1" | grep -q . && return 0
        sleep 0.1
    done
    echo "slicer-overhead: nothing listens on $1" >&2; exit 1
}
stop_all() { for p in $pids; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null || true; done; pids=""; }

slices_json() {   # slices_json N CONTROLLER-PORT
    python3 - "$1" "$2" <<'PY'
import json, sys
n, port = int(sys.argv[1]), int(sys.argv[2])
s = [{"name": "live", "controller": "tcp:127.0.0.1:%d" % port, "ports": "all",
      "flowspace": [{"match": "dl_vlan=0xffff"}]}]
for i in range(1, n):
    s.append({"name": "dead%d" % i, "controller": "tcp:127.0.0.1:1", "ports": "all",
              "flowspace": [{"match": "dl_vlan=%d" % i}]})
print(json.dumps({"slices": s}))
PY
}

# run MODE(direct|slicer) N -> "flows_per_s lat_median_us lat_p99_us"
run() {
    cp=$(port)
    "$CONTROLLER" --app l2 --listen "ptcp:$cp:127.0.0.1" --log-level warn 2>>"$T/controller.log" &
    pids="$pids $!"
    wait_listen "$cp"
    target=$cp
    if [ "$1" = slicer ]; then
        sp=$(port)
        slices_json "$2" "$cp" >"$T/slices.json"
        "$SLICER" --listen "ptcp:$sp:127.0.0.1" --config "$T/slices.json" --log-level warn \
            2>>"$T/slicer.log" &
        pids="$pids $!"
        wait_listen "$sp"
        target=$sp
    fi
    load=$("$GEN" --target "tcp:127.0.0.1:$target" --switches "$SWITCHES" --macs "$MACS" \
           --window "$WINDOW" --duration-ms "$DURATION_MS" --start-delay-ms 1000 --json)
    one=$("$GEN" --target "tcp:127.0.0.1:$target" --switches 1 --macs "$MACS" --window 1 \
          --duration-ms $(( DURATION_MS / 2 )) --start-delay-ms 1000 --json)
    rss=0
    if [ "$1" = slicer ]; then
        rss=$(awk '/VmRSS/ {print $2}' "/proc/${pids##* }/status")
    fi
    stop_all
    python3 - "$load" "$one" "$rss" <<'PY'
import json, sys
l, o = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(int(l["flows_per_s"]), l["switches_up"], o["latency_median_us"], o["latency_p99_us"], sys.argv[3])
PY
}

echo "# slicer-overhead: $SWITCHES switches x $MACS MACs, window $WINDOW, ${DURATION_MS} ms per run, $ROUNDS rounds"
echo "# slices round path flows/s switches_up lat_median_us(1x1) lat_p99_us(1x1) slicer_rss_kB"
# Rounds outermost: every slice count sees the same spread of machine load.
for r in $(seq "$ROUNDS"); do
    for n in $SLICES; do
        for m in direct slicer; do
            echo "$n $r $m $(run "$m" "$n")" | tee -a "$T/rows"
        done
    done
done
python3 - "$T/rows" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
ns = list(dict.fromkeys(r[0] for r in rows))
rounds = sorted({r[1] for r in rows}, key=int)
def val(n, r, path, i):
    return float(next(x for x in rows if x[0] == n and x[1] == r and x[2] == path)[i])
def ratios(n, i):
    # Per round: the slicer run and the direct run just before it share
    # the machine's load; the median of these ratios is the figure.
    return [val(n, r, "slicer", i) / val(n, r, "direct", i) for r in rounds
            if val(n, r, "direct", i)]
print("# medians over rounds of the per-round ratio through the slicer / direct")
for n in ns:
    med = lambda path, i: statistics.median(float(x[i]) for x in rows if x[0] == n and x[2] == path)
    print("slices %5s: throughput %.2fx direct (medians: direct %.0f, slicer %.0f flows/s);"
          " latency %.2fx direct (medians %.1f / %.1f us); slicer RSS %.0f kB"
          % (n, statistics.median(ratios(n, 3)), med("direct", 3), med("slicer", 3),
             statistics.median(ratios(n, 5)), med("direct", 5), med("slicer", 5), med("slicer", 7)))
for n in ns[1:]:
    rel = [a / b for a, b in zip(ratios(n, 3), ratios(ns[0], 3)) if b]
    print("slices %5s: throughput ratio %.2fx the %s-slice ratio (median over rounds)"
          % (n, statistics.median(rel), ns[0]))
PY
