#!/bin/sh
# bench-net-iperf — `plural bench net iperf` drives a real iperf3 run
# between two namespaces (2 s, TCP, 1500-byte writes; then UDP 64-byte
# datagrams at a modest rate), reads TX at the sender and RX at the
# receiver from iperf3's JSON, and writes them as a plural-bench report.
. "$(dirname "$0")/../lib/common.sh"
require_root
require_cmd ip iperf3 python3
[ -x "$PLURAL" ] || skip "plural not built at $PLURAL"

A=${P}ia B=${P}ib
netns_add "$A"
netns_add "$B"
veth_add "$A" "${P}a" "$B" "${P}b"
ip -n "$A" addr add 10.251.0.1/24 dev "${P}a"
ip -n "$B" addr add 10.251.0.2/24 dev "${P}b"
PORT=$(free_port)
ip netns exec "$B" iperf3 -s -D -B 10.251.0.2 -p "$PORT" --pidfile "$T/iperf3.pid" \
    --logfile "$T/iperf3-server.log" || fail "cannot start iperf3 server"
on_exit "kill_pidfile $T/iperf3.pid"
wait_for 10 sh -c "ip netns exec $B ss -Hltn 'sport = :$PORT' | grep -q ." ||
    fail "iperf3 server not listening"

# check JSON: both series have one positive sample and a summary.
check() {
    python3 - "$1" <<'PY' || fail "bad report $1"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["benchmark"] == "net-iperf", r["benchmark"]
s = {x["name"]: x for x in r["series"]}
for name in ("tx", "rx"):
    samples = [x for x in s[name]["samples"] if not x["warmup"]]
    assert len(samples) == 1 and samples[0]["value"] > 0, (name, samples)
    assert s[name]["unit"] == "Mbit/s"
    print(name, samples[0]["value"], "Mbit/s", file=sys.stderr)
PY
}

"$PLURAL" bench net iperf --server 10.251.0.2 --port "$PORT" --netns "$A" --time 2 \
    --len 1500 --rounds 1 --warmup 0 --json "$T/tcp.json" >"$T/tcp.out" 2>"$T/tcp.log" ||
    fail "iperf TCP run failed: $(tail -1 "$T/tcp.log")"
cat "$T/tcp.out" >&2
check "$T/tcp.json"
grep -q "^tx " "$T/tcp.out" && grep -q "^rx " "$T/tcp.out" || fail "no tx/rx lines in the text report"

"$PLURAL" bench net iperf --server 10.251.0.2 --port "$PORT" --netns "$A" --time 2 \
    --len 64 --udp --bitrate 20M --rounds 1 --warmup 0 --json "$T/udp.json" \
    >"$T/udp.out" 2>"$T/udp.log" || fail "iperf UDP run failed: $(tail -1 "$T/udp.log")"
check "$T/udp.json"

# A server that is not there: a clear failure, exit 1.
"$PLURAL" bench net iperf --server 10.251.0.2 --port "$(free_port)" --netns "$A" \
    --time 1 --rounds 1 --warmup 0 >/dev/null 2>"$T/refused.log" && fail "no server, yet success"
grep -q "unable to connect\|Connection refused" "$T/refused.log" || fail "unclear error: $(cat "$T/refused.log")"
pass "iperf3 TCP and UDP runs read"
