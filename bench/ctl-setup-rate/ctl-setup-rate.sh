#!/bin/bash
# ctl-setup-rate.sh — flow setups per second and setup latency of
# plural-controller --app l2 against ovs-testcontroller, in the same run,
# measured by the same cbench-like generator (ctl-setup-rate.c).
#
#   bench/ctl-setup-rate/ctl-setup-rate.sh [BUILD-DIR] [ROUNDS]
#   env: SWITCHES (16) MACS (1000) WINDOW (64) DURATION_MS (5000)
#
# Rounds alternate between the two controllers (fresh processes each
# round); throughput runs use SWITCHES x WINDOW outstanding PACKET_INs,
# latency runs one switch with one outstanding PACKET_IN.  Prints each
# round, then medians and the plural/ovs ratio.  Both controllers and the
# generator share this machine's cores: it compares, it does not certify.
set -eu
BUILD=${1:-$(cd "$(dirname "$0")/../.." && pwd)/build}
ROUNDS=${2:-5}
SWITCHES=${SWITCHES:-16}; MACS=${MACS:-1000}; WINDOW=${WINDOW:-64}; DURATION_MS=${DURATION_MS:-5000}
GEN=$BUILD/bench/ctl-setup-rate/ctl-setup-rate
CONTROLLER=$BUILD/src/controller/plural-controller
for f in "$GEN" "$CONTROLLER"; do
    [ -x "$f" ] || { echo "ctl-setup-rate: $f not built (meson compile -C $BUILD)" >&2; exit 1; }
done
command -v ovs-testcontroller >/dev/null || { echo "ctl-setup-rate: needs ovs-testcontroller (openvswitch-testcontroller)" >&2; exit 1; }
T=$(mktemp -d /tmp/ctl-setup-rate.XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT

port() { echo $(( 20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000 )); }

start() {   # start NAME PORT
    case $1 in
    plural) "$CONTROLLER" --app l2 --listen "ptcp:$2:127.0.0.1" --log-level warn 2>>"$T/plural.log" & ;;
    ovs)    ovs-testcontroller -O OpenFlow10 --unixctl="$T/otc.ctl" "ptcp:$2:127.0.0.1" 2>>"$T/ovs.log" & ;;
    esac
    pid=$!
    for _ in $(seq 50); do
        ss -Hltn "sport = :$2" | grep -q . && return 0
        sleep 0.1
    done
    echo "ctl-setup-rate: $1 did not listen" >&2; exit 1
}

stop() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; pid=""; }

echo "# ctl-setup-rate: $SWITCHES switches x $MACS MACs, window $WINDOW, ${DURATION_MS} ms per run, $ROUNDS rounds"
echo "# round controller flows/s lat_median_us(loaded) lat_p99_us(loaded) lat_median_us(1x1) lat_p99_us(1x1)"
for r in $(seq "$ROUNDS"); do
    for c in plural ovs; do
        p=$(port)
        start "$c" "$p"
        load=$("$GEN" --target "tcp:127.0.0.1:$p" --switches "$SWITCHES" --macs "$MACS" \
               --window "$WINDOW" --duration-ms "$DURATION_MS" --json)
        one=$("$GEN" --target "tcp:127.0.0.1:$p" --switches 1 --macs "$MACS" --window 1 \
              --duration-ms $(( DURATION_MS / 2 )) --json)
        stop
        python3 - "$r" "$c" "$load" "$one" <<'PY' | tee -a "$T/rows"
import json, sys
l, o = json.loads(sys.argv[3]), json.loads(sys.argv[4])
print(sys.argv[1], sys.argv[2], int(l["flows_per_s"]), l["latency_median_us"], l["latency_p99_us"],
      o["latency_median_us"], o["latency_p99_us"], l["switches_up"])
PY
    done
done
python3 - "$T/rows" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
def med(c, i): return statistics.median(float(r[i]) for r in rows if r[1] == c)
print("# medians over rounds")
for c in ("plural", "ovs"):
    print("%-7s %10.0f flows/s  loaded latency median %8.1f us p99 %8.1f us  unloaded median %6.1f us p99 %6.1f us"
          % (c, med(c, 2), med(c, 3), med(c, 4), med(c, 5), med(c, 6)))
print("ratio plural/ovs: flows/s %.2f  unloaded median latency %.2f"
      % (med("plural", 2) / med("ovs", 2), med("plural", 5) / med("ovs", 5)))
PY
