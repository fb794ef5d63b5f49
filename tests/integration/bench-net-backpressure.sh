#!/bin/sh
# bench-net-backpressure — the generator at maximum rate into a veth whose
# peer queues into a NAPI ring (GRO on, threaded NAPI) pushes back; the
# generator waits and retries instead of aborting (trafgen 0.6.8 aborts
# here) and loses nothing: the receiver counts exactly the 150000 frames
# sent, in order, through lib/dp's afpacket port (port_send(): sendmmsg;
# what it does not take is sent again); with AF_XDP
# (which cannot retry) TX excludes the device's drops and matches RX.  No
# timing assertion: the rate is whatever the machine gives.
. "$(dirname "$0")/../lib/common.sh"
require_root
require_cmd ip ethtool
[ -x "$PLURAL" ] || skip "plural not built at $PLURAL"

A=${P}pa B=${P}pb
netns_add "$A"
netns_add "$B"
# No IPv6: the kernel's own router/neighbour solicitations would share the
# device's tx_dropped counter that the AF_XDP run below reads.
for ns in "$A" "$B"; do
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 net.ipv6.conf.all.disable_ipv6=1 || true
done
VETH_OFFLOADS=off   # plural bench's own packet code on both ends, no switch.
veth_add "$A" "${P}a" "$B" "${P}b"
# veth has a NAPI ring (which fills and stops the sender) only with GRO or XDP.
ip netns exec "$B" ethtool -K "${P}b" gro on >/dev/null 2>&1 || true
ip netns exec "$B" sh -c "echo 1 > /sys/class/net/${P}b/threaded" 2>/dev/null ||
    log "threaded NAPI not available; testing the plain veth path"
# 150000 64-byte frames fit in the receiver's 32 MiB ring even if it is
# descheduled for the whole burst: ring drops would not be our loss.
COUNT=150000

for method in afpacket; do
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
# AF_XDP cannot retry what the device dropped: the generator takes the
# device's drops out of its TX count, so RX == TX still and the receiver's
# loss is exactly those drops.
ip netns exec "$B" "$PLURAL" bench net recv --dev "${P}b" --duration 120 \
    --expect "$COUNT" --interval 0.2 >"$T/recv.out" 2>"$T/recv.log" &
recv_pid=$!
wait_for 10 grep -q "^recv ready" "$T/recv.out" || fail "receiver did not start"
ip netns exec "$A" "$PLURAL" bench net gen --dev "${P}a" --size 64 --count "$COUNT" \
    --method xdp >"$T/gen.out" 2>"$T/gen.log" || fail "generator (xdp) failed: $(cat "$T/gen.log")"
tx=$(sed -n 's/^tx total=\([0-9]*\) .*/\1/p' "$T/gen.out")
drops=$(sed -n 's/^tx total=.* device_drops=\([0-9]*\).*/\1/p' "$T/gen.out")
[ -n "$tx" ] && [ -n "$drops" ] || fail "xdp: no TX total"
# The receiver cannot know that dropped frames will never come: once its
# per-interval lines show the TX count (or after 30 s: a loaded machine), stop it.
wait_for 30 grep -q "^rx t=.* total=$tx " "$T/recv.out" || log "receiver short of $tx"
kill -TERM "$recv_pid"
wait "$recv_pid" || fail "receiver failed"
grep "total=" "$T/gen.out" "$T/recv.out" >&2
[ $((tx + drops)) -eq "$COUNT" ] || fail "xdp: TX $tx + device drops $drops != $COUNT"
grep -q "^rx total=$tx .* lost=$drops ooo=0 ring_drops=0 " "$T/recv.out" ||
    fail "xdp: RX is not TX=$tx with lost=$drops"
# A receiver stopped for a whole burst of 30000 frames loses none: its
# ring (64 MiB: 32768 TPACKET_V2 slots) holds them until it runs again
# (the port's default 4 MiB ring, 2048 slots, would drop most of them).
BURST=30000
ip netns exec "$B" "$PLURAL" bench net recv --dev "${P}b" --duration 120 \
    --expect "$BURST" >"$T/recv.out" 2>"$T/recv.log" &
recv_pid=$!
wait_for 10 grep -q "^recv ready" "$T/recv.out" || fail "receiver did not start"
kill -STOP "$recv_pid"
ip netns exec "$A" "$PLURAL" bench net gen --dev "${P}a" --size 64 --count "$BURST" \
    --method afpacket >"$T/gen.out" 2>"$T/gen.log" || fail "generator (burst) failed"
kill -CONT "$recv_pid"
wait "$recv_pid" || fail "receiver failed"
grep "total=" "$T/gen.out" "$T/recv.out" >&2
grep -q "^rx total=$BURST .* lost=0 ooo=0 ring_drops=0 " "$T/recv.out" ||
    fail "a stopped receiver lost frames of a $BURST-frame burst"
pass "maximum rate with back-pressure: RX == TX == $COUNT for afpacket; xdp: RX == TX, lost == device drops; a receiver stopped for a $BURST-frame burst lost none"
