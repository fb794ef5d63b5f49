#!/bin/sh
# bench-net-backpressure — the generator at maximum rate into a veth whose
# peer queues into a NAPI ring (GRO on, threaded NAPI) pushes back; the
# generator waits and retries instead of aborting (trafgen 0.6.8 aborts
# here) and loses nothing: the receiver counts exactly the 150000 frames
# sent, in order, with both the TX ring and the sendmmsg method.  No timing
# assertion: the rate is whatever the machine gives.
. "$(dirname "$0")/../lib/common.sh"
require_root
require_cmd ip ethtool
[ -x "$PLURAL" ] || skip "plural not built at $PLURAL"

A=${P}pa B=${P}pb
netns_add "$A"
netns_add "$B"
veth_add "$A" "${P}a" "$B" "${P}b"
# veth has a NAPI ring (which fills and stops the sender) only with GRO or XDP.
ip netns exec "$B" ethtool -K "${P}b" gro on >/dev/null 2>&1 || true
ip netns exec "$B" sh -c "echo 1 > /sys/class/net/${P}b/threaded" 2>/dev/null ||
    log "threaded NAPI not available; testing the plain veth path"
# 150000 64-byte frames fit in the receiver's 32 MiB ring even if it is
# descheduled for the whole burst: ring drops would not be our loss.
COUNT=150000

for method in ring mmsg; do
    ip netns exec "$B" "$PLURAL" bench net recv --dev "${P}b" --duration 120 \
        --expect "$COUNT" >"$T/recv.out" 2>"$T/recv.log" &
    recv_pid=$!
    wait_for 10 grep -q "^recv ready" "$T/recv.out" || fail "receiver did not start"
    ip netns exec "$A" "$PLURAL" bench net gen --dev "${P}a" --size 64 --count "$COUNT" \
        --method "$method" >"$T/gen.out" 2>"$T/gen.log" || fail "generator ($method) failed"
    wait "$recv_pid" || fail "receiver failed"
    grep "total=" "$T/gen.out" "$T/recv.out" >&2
    grep -q "^tx total=$COUNT .* errors=0 " "$T/gen.out" || fail "$method: TX is not $COUNT"
    grep -q "^rx total=$COUNT .* lost=0 ooo=0 ring_drops=0 " "$T/recv.out" ||
        fail "$method: RX is not exactly $COUNT in order"
done
pass "maximum rate with back-pressure: RX == TX == $COUNT for ring and mmsg"
