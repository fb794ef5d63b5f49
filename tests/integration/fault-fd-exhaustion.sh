#!/bin/bash
# fault-fd-exhaustion (issue 12, item 5): each daemon (plural-switchd,
# plural-controller, plural-slicer) runs with `ulimit -n 64` (soft and hard,
# so raising the soft limit does not help) in its own namespace while 100
# idle TCP peers connect to its listener: accept() fails with EMFILE.  The
# daemon must not spin (CPU over 2 s below 20% of one core), must not flood
# its log (at most 5 lines about accept), its control socket must answer
# meanwhile, and once the peers are gone it accepts and serves a new peer.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/res-lib.sh"
res_require
HZ=$(getconf CLK_TCK)

for kind in switchd controller slicer; do
    res_start "$kind" 64
    res_peers idle "$PORT" 100 4 >"$T/peers-$kind.out" 2>&1 &
    peers=$!
    sleep 1.5
    t0=$(res_cpu_ticks)
    sleep 2
    t1=$(res_cpu_ticks)
    res_ctl || fail "$kind: the control socket does not answer while descriptors are exhausted"
    wait "$peers"
    cpu_pct=$(( (t1 - t0) * 100 / (2 * HZ) ))
    accept_lines=$(grep -c "accept" "$T/$kind.log")
    log "$kind: $(cat "$T/peers-$kind.out"); CPU ${cpu_pct}% of a core over 2 s;" \
        "$accept_lines log lines about accept; log $(stat -c %s "$T/$kind.log") bytes"
    grep -q "opened" "$T/peers-$kind.out" || fail "$kind: peers: $(cat "$T/peers-$kind.out")"
    [ "$cpu_pct" -lt 20 ] || fail "$kind: busy loop: ${cpu_pct}% CPU while accept() fails"
    [ "$accept_lines" -le 5 ] || fail "$kind: log flood: $accept_lines lines about accept: $(grep accept "$T/$kind.log" | tail -3)"
    # Recovery: descriptors are free again, a new peer is served.
    ok=
    for i in $(seq 1 30); do
        if res_peers echo "$PORT" >"$T/echo-$kind.out" 2>&1; then ok=1; break; fi
        sleep 0.2
    done
    [ -n "$ok" ] || fail "$kind: no service after the peers left: $(cat "$T/echo-$kind.out")"
    res_stop
done
pass "no busy loop, no log flood, control socket answers, service resumes (switchd, controller, slicer)"
