#!/bin/bash
# fault-controller-flood: misbehaving peers on plural-switchd's management
# port — one floods FLOW_MODs, one floods PACKET_OUTs (to port 3, a sink
# host), one asks for 60 KB echo replies and never reads — for 4 seconds,
# while a ping at 20/s runs from a to b through flows the l2 controller
# installed.  The switch does not stall: its control socket answers during
# the flood, the controller stays connected, the ping gets its replies, the
# non-reader's queue is bounded (ofp_tx_dropped counts what was dropped).
# Loss and counters are printed.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/ctl-lib.sh"
. "$(dirname "$0")/trust/fault-lib.sh"
TLS_PEER=${TLS_PEER:-$PLURAL_BUILD/tests/integration/trust/tls-peer}
require_root
require_controller
require_cmd ping timeout
[ -x "$SWITCHD" ] || skip "plural-switchd not built"
[ -x "$TLS_PEER" ] || skip "no $TLS_PEER"

fault_topology
PORT=$(free_port)
M=$(free_port)
controller_start ctl "$S" --app l2 --listen "ptcp:$PORT:127.0.0.1"
fault_switchd --controller "tcp:127.0.0.1:$PORT" --listen "ptcp:$M:127.0.0.1"
wait_for 20 ctl_switches_up ctl 1 || fail "the switch did not connect"
ip netns exec "$P-a" ping -c 3 -i 0.2 -W 2 10.0.0.2 >"$T/warm.txt" 2>&1 || fail "warm-up ping: $(cat "$T/warm.txt")"
counter() { sws counters | awk -v n="$1" '$1 == n { print $2 }'; }
dropped_before=$(counter ofp_tx_dropped)

fault_ping_start 100 "$T/ping.txt"
wait_for 10 sh -c "[ \$(grep -c 'bytes from' '$T/ping.txt') -ge 5 ]" || fail "ping did not start"
pids=""
for kind in flow-mod packet-out no-read; do
    ip netns exec "$S" "$TLS_PEER" flood "tcp:127.0.0.1:$M" $kind --seconds 4 >"$T/flood-$kind.out" 2>&1 &
    pids="$pids $!"
    on_exit "kill $! 2>/dev/null"
done
# During the flood: the control socket answers, the controller is still there.
wait_for 10 sh -c "grep -q . '$T/flood-flow-mod.out' || [ \$(grep -c 'bytes from' '$T/ping.txt') -ge 30 ]"
start=$(date +%s%N)
timeout 5 "$PLURAL" switch --ctl "$T/switchd.ctl" show >"$T/show.txt" 2>&1 ||
    fail "the switch's control socket did not answer within 5 s during the flood"
show_ms=$(( ($(date +%s%N) - start) / 1000000 ))
grep -q "tcp:127.0.0.1:$PORT: ACTIVE" "$T/show.txt" || fail "controller not ACTIVE during the flood: $(cat "$T/show.txt")"
wait $pids
wait "$ping_pid"
set -- $(fault_loss "$T/ping.txt")
sent=$1 received=$2
cat "$T"/flood-*.out
dropped=$(( $(counter ofp_tx_dropped) - dropped_before ))
log "during the flood: control socket answered in $show_ms ms; ping $received/$sent; ofp_tx_dropped +$dropped; flow_mods $(counter ofp_flow_mods), packet_outs $(counter ofp_packet_out)"
[ "$sent" -gt 0 ] && [ $((received * 2)) -ge "$sent" ] ||
    fail "the data plane stalled: ping $received/$sent during the flood"
[ "$dropped" -gt 0 ] || fail "the non-reading peer's replies were not dropped (unbounded queue?)"
[ "$(counter ofp_flow_mods)" -gt 0 ] && [ "$(counter ofp_packet_out)" -gt 0 ] || fail "the floods did not arrive"
sws show | grep -q "tcp:127.0.0.1:$PORT: ACTIVE" || fail "controller lost after the flood: $(sws show)"
ip netns exec "$P-a" ping -c 5 -i 0.1 -W 2 10.0.0.2 >"$T/after.txt" 2>&1 || fail "no traffic after the flood: $(cat "$T/after.txt")"
pass "control socket ${show_ms} ms, ping $received/$sent during the flood, $dropped replies dropped for the non-reader"
