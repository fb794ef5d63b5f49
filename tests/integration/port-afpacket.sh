#!/bin/sh
# port-afpacket: an afpacket port on one end of a veth pair in a namespace.
#  - frames of 60..1518 bytes, untagged, 802.1Q, 802.1ad and priority-tagged,
#    sent from the peer, arrive intact (the tag the kernel strips is put back);
#  - frames sent through the port arrive intact at the peer;
#  - peer link down/up and admin down/up are reported;
#  - with tx checksum offload on at the peer, UDP/TCP from the peer's stack
#    arrive with their partial checksum and its offsets (vnet header), which
#    complete to a valid checksum; with PLURAL_AFPACKET_VNET=off the port
#    completes them itself.
# The peer is a plain AF_PACKET socket (test-port-io), not our port code.
. "$(dirname "$0")/../lib/common.sh"
require_root
require_cmd ip ethtool
IO=$PLURAL_BUILD/lib/dp/test-port-io
[ -x "$IO" ] || fail "missing $IO (build first)"

netns_add "${P}a"
netns_add "${P}b"
veth_add "${P}a" "${P}x" "${P}b" "${P}y"

# Every RX ring version x TX path (the environment knobs of port-afpacket.c).
MODES="v3,sendmmsg v3,ring v2,sendmmsg"
for m in $MODES; do
    export PLURAL_AFPACKET_RX=${m%,*} PLURAL_AFPACKET_TX=${m#*,}
    "$IO" io "afpacket:${P}x" "${P}a" "${P}b" "${P}y" || fail "io over veth ($m)"
    "$IO" link "afpacket:${P}x" "${P}a" "${P}b" "${P}y" || fail "link changes ($m)"
done
unset PLURAL_AFPACKET_RX PLURAL_AFPACKET_TX
# A spec without a type means afpacket.
"$IO" io "${P}x" "${P}a" "${P}b" "${P}y" >/dev/null || fail "io with bare name"

# Partial checksums: the peer's stack sends with tx offload on.
ip netns exec "${P}b" ethtool -K "${P}y" tx on >/dev/null 2>&1 ||
    fail "cannot turn tx offload on"
ip -n "${P}a" addr add 10.77.0.1/24 dev "${P}x"
ip -n "${P}b" addr add 10.77.0.2/24 dev "${P}y"
mac=$(cat "/sys/class/net/${P}x/address" 2>/dev/null ||
      ip netns exec "${P}a" cat "/sys/class/net/${P}x/address")
ip -n "${P}b" neigh replace 10.77.0.1 lladdr "$mac" dev "${P}y" nud permanent
# The kernel of namespace a would answer; keep it quiet so only the port sees.
ip netns exec "${P}a" sh -c "echo 1 > /proc/sys/net/ipv4/icmp_echo_ignore_all"
for rx in v3 v2; do
    for vnet in on off; do
        PLURAL_AFPACKET_RX=$rx PLURAL_AFPACKET_VNET=$vnet \
            "$IO" csum "afpacket:${P}x" "${P}a" "${P}b" 10.77.0.1 ||
            fail "partial checksums ($rx, vnet header $vnet)"
    done
done

# Errors a caller sees.
ip netns exec "${P}a" "$IO" io "afpacket:${P}nope" - - x 2>"$T/err.log" &&
    fail "opening a missing interface succeeded"
grep -q "${P}nope" "$T/err.log" || fail "error message does not name the interface"
pass
