#!/bin/sh
# bench-net-gen-recv — plural's packet generator -> receiver over a veth pair
# between two namespaces, paced at 10 kpps: the receiver counts exactly what
# the sender counted (20000 frames, no loss, in order) for 60-, 1514- and
# 9000-byte frames (MTU raised to 9000) with the default method (AF_XDP
# where it works, else lib/dp's afpacket port; the output names it),
# afpacket, a VLAN-tagged run over afpacket and AF_XDP (copy mode) into a
# receiver on lib/dp's afxdp port (--method afxdp); both print
# per-second lines; the JSON reports carry the totals.  No timing assertion:
# a paced run on an idle veth loses nothing, whatever the machine's speed.
. "$(dirname "$0")/../lib/common.sh"
require_root
require_cmd ip
[ -x "$PLURAL" ] || skip "plural not built at $PLURAL"

A=${P}na B=${P}nb
netns_add "$A"
netns_add "$B"
VETH_OFFLOADS=off   # plural bench's own packet code on both ends, no switch.
veth_add "$A" "${P}a" "$B" "${P}b"
ip -n "$A" link set "${P}a" mtu 9000
ip -n "$B" link set "${P}b" mtu 9000

COUNT=20000
RATE=10000

# run SIZE [GEN OPTIONS...]: one generator -> receiver run, checked; the
# receiver uses --method $RECV_METHOD.
RECV_METHOD=afpacket
run() {
    size=$1; shift
    log "size $size $* (receiver: $RECV_METHOD)"
    rm -f "$T/recv.out"
    ip netns exec "$B" "$PLURAL" bench net recv --dev "${P}b" --duration 60 --method "$RECV_METHOD" \
        --expect "$COUNT" --json "$T/recv-$size.json" >"$T/recv.out" 2>"$T/recv.log" &
    recv_pid=$!
    wait_for 10 grep -q "^recv ready" "$T/recv.out" || fail "receiver did not start"
    ip netns exec "$A" "$PLURAL" bench net gen --dev "${P}a" --size "$size" \
        --rate "$RATE" --count "$COUNT" --json "$T/gen-$size.json" "$@" \
        >"$T/gen.out" 2>"$T/gen.log" || fail "generator failed (size $size)"
    wait "$recv_pid" || fail "receiver failed (size $size)"
    cat "$T/gen.out" "$T/recv.out" >&2

    grep -q "^tx total=$COUNT " "$T/gen.out" || fail "size $size: TX is not $COUNT"
    grep -q "^rx total=$COUNT .* lost=0 ooo=0 " "$T/recv.out" ||
        fail "size $size: RX is not $COUNT without loss and reordering"
    grep -q "^tx t=1\.[0-9]* pps=" "$T/gen.out" || fail "size $size: no per-second TX line"
    grep -q "^rx t=[0-9.]* pps=[1-9]" "$T/recv.out" || fail "size $size: no per-second RX line"
    grep -q "\"tx_frames\": $COUNT" "$T/gen-$size.json" || fail "size $size: TX missing in JSON"
    grep -q "\"rx_frames\": $COUNT" "$T/recv-$size.json" || fail "size $size: RX missing in JSON"
    grep -q "\"lost\": 0" "$T/recv-$size.json" || fail "size $size: loss in JSON"
}

# method_was NAME: the total line and the JSON report name the method used.
method_was() {
    grep -q "^tx total=.* method=$1\$" "$T/gen.out" || fail "method: wanted $1: $(tail -1 "$T/gen.out")"
    grep -q "\"method\": \"$1\"" "$T/gen-$size.json" || fail "method $1 missing in JSON"
}
# The default (auto) takes AF_XDP where it works (it does on this kernel's
# veth: the explicit xdp run below must work too), and afpacket for
# frames larger than an AF_XDP chunk.
run 60
method_was xdp
run 1514
method_was xdp
run 9000
method_was afpacket
run 60 --method afpacket
method_was afpacket
run 64 --vlan 10 --method ring      # the old name of the AF_PACKET path
method_was afpacket
RECV_METHOD=afxdp
run 1514 --method xdp
method_was xdp
grep -q "^recv ready dev=${P}b method=afxdp" "$T/recv.out" || fail "receiver did not use afxdp"
pass "generator and receiver agree at 60, 1514, 9000 bytes, with a VLAN tag, over auto (AF_XDP, afpacket), afpacket and AF_XDP, received through lib/dp's afpacket and afxdp ports"
