#!/bin/bash
# The cleanslate app through $CTL_DATAPLANE (ovs or switchd):
#  1. PLURAL-CS frames (Ethertype 0x88B5, addresses in the destination MAC)
#     between two hosts with plural-cleanslate send/recv, both directions
#     (over lib/dp's afpacket port one way, its afxdp port the other);
#  2. forwarding by VLAN id + TCP port: on VLAN 10, TCP to port 5001
#     passes; TCP to port 5002, ICMP, and VLAN 11 do not.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/ctl-lib.sh"
require_root
require_controller
require_cmd python3
CSTOOL=$PLURAL_BUILD/apps/plural-cleanslate
[ -x "$CSTOOL" ] || skip "plural-cleanslate not built at $CSTOOL"

A=$P-a; B=$P-b; S=$P-s
netns_add "$A"; netns_add "$B"; netns_add "$S"
# No IPv6 on the hosts: its neighbour discovery would reach the controller
# as PACKET_INs, which step 2 counts.
for ns in "$A" "$B"; do
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
veth_add "$A" a0 "$S" "$P-sa"
veth_add "$B" b0 "$S" "$P-sb"
cat >"$T/cs.conf" <<CONF
# PLURAL-CS nodes: address -> port
node 1 port 1
node 2 port 2
# network B of the seed: VLAN 10, TCP port 5001 only (plus its ARP)
flow vlan 10 tcp-port 5001 between 1 2
arp vlan 10 between 1 2
CONF
PORT=$(free_port)
controller_start ctl "$S" --app cleanslate --config "$T/cs.conf" --listen "ptcp:$PORT:127.0.0.1"
dataplane_start "$S" "$PORT" "$P-sa" "$P-sb"
wait_for 20 ctl_switches_up ctl 1 || fail "the switch did not connect"
wait_for 10 ctl_ports_up ctl 2 || fail "ports not up: $(ctl ctl show)"
# 2 node flows, 2 TCP flows, 2 ARP flows: sent by the controller, then in
# the switch's own table (the switch applies them after the controller's
# list shows them).
wait_for 10 sh -c "[ \$(\"$PLURAL\" ctl --ctl $T/ctl.ctl flows | grep -c priority=) -ge 6 ]" ||
    fail "flows not installed: $(ctl ctl flows)"
dp_has_6_flows() { [ "$(dp_flows "$S" | grep -c "actions=")" -ge 6 ]; }
wait_for 10 dp_has_6_flows || fail "flows not in the switch: $(dp_flows "$S" 2>&1)"

# 1. PLURAL-CS both ways: the tool's ports are lib/dp's afpacket one way
#    and afxdp (AF_XDP, plural's XDP program on the host's veth) the other.
"$CSTOOL" recv --dev a0 --addr 1 --method carrier-pigeon 2>"$T/usage.err"
[ $? -eq 2 ] && grep -q "bad --method" "$T/usage.err" || fail "bad --method not refused: $(cat "$T/usage.err")"
for dir in "$A a0 1 $B b0 2 afpacket" "$B b0 2 $A a0 1 afxdp"; do
    set -- $dir
    ip netns exec "$4" "$CSTOOL" recv --dev "$5" --addr "$6" --count 3 --timeout 10 --method "$7" \
        >"$T/recv.out" 2>&1 &
    rpid=$!
    wait_for 10 grep -q "receiving on $5" "$T/recv.out" ||
        fail "the receiver on $5 did not start: $(cat "$T/recv.out")"
    ip netns exec "$1" "$CSTOOL" send --dev "$2" --from "$3" --to "$6" --count 3 --method "$7" \
        "hello from $3" || fail "send failed ($7)"
    wait $rpid || fail "node $6 did not receive 3 frames from $3 ($7): $(cat "$T/recv.out")"
    grep -q "^from $3 to $6 len [0-9]*: hello from $3$" "$T/recv.out" || fail "bad frames: $(cat "$T/recv.out")"
done

# 2. VLAN 10 + TCP 5001 passes; TCP 5002, ICMP and VLAN 11 do not.  The
#    kernel here may lack 802.1Q interfaces, so tagged frames are built and
#    sniffed with raw sockets.  A sends the three that must not pass, then
#    the one that must; B records every frame from A until that last one
#    arrives (frames of one port leave the switch in order), and the three
#    must have gone to the controller (PACKET_INs: no flow matched them).
cat >"$T/vlan.py" <<'PY'
import socket, struct, sys, select, time
def frame(vid, proto, dport):
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40, 1, 0, 64, proto, 0,
                     bytes([10, 10, 0, 1]), bytes([10, 10, 0, 2]))
    l4 = struct.pack("!HHIIBBHHH", 40000, dport, 1, 0, 0x50, 0x02, 65535, 0, 0) if proto == 6 \
        else struct.pack("!BBHHHII", 8, 0, 0, 1, 1, 0, 0)
    eth = bytes.fromhex("020000000b00" "020000000a00") + struct.pack("!HHH", 0x8100, vid, 0x0800)
    return eth + ip + l4
if sys.argv[1] == "send":
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((sys.argv[2], 0))
    for case in sys.argv[3:]:
        vid, proto, port = map(int, case.split(":"))
        s.send(frame(vid, proto, port))
else:                                           # recv IF READY-FILE TIMEOUT
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    s.bind((sys.argv[2], 0))
    s.setsockopt(263, 8, 1)                     # PACKET_AUXDATA
    open(sys.argv[3], "w").close()
    seen = set()
    end = time.time() + float(sys.argv[4])
    while time.time() < end and "10:6:5001" not in seen:
        if not select.select([s], [], [], 0.1)[0]:
            continue
        data, anc, _, _ = s.recvmsg(4096, 4096)
        vid = None
        for lvl, typ, d in anc:
            if lvl == 263 and typ == 8 and len(d) >= 20:
                st, _, _, _, _, tci = struct.unpack("IIIHHH", d[:18])
                if st & 0x10: vid = tci & 0xfff  # TP_STATUS_VLAN_VALID
        ip = data[14:]
        if data[12:14] == b"\x81\x00":
            vid = struct.unpack("!H", data[14:16])[0] & 0xfff
            ip = data[18:]
        if len(ip) < 24 or ip[0] >> 4 != 4 or ip[12:16] != bytes([10, 10, 0, 1]):
            continue
        port = struct.unpack("!H", ip[22:24])[0] if ip[9] == 6 else 0
        seen.add("%s:%d:%d" % (vid, ip[9], port))
    print(" ".join(sorted(seen)))
PY
unmatched() {
    ctl ctl --json dump | python3 -c 'import json, sys; print(json.load(sys.stdin)["unmatched_packet_ins"])'
}
unmatched_at_least() { [ "$(unmatched)" -ge "$1" ]; }
ip netns exec "$B" python3 "$T/vlan.py" recv b0 "$T/vlan-ready" 20 >"$T/vlan.out" 2>&1 &
rpid=$!
wait_for 10 test -e "$T/vlan-ready" || fail "the receiver on B did not start: $(cat "$T/vlan.out")"
before=$(unmatched)
ip netns exec "$A" python3 "$T/vlan.py" send a0 10:6:5002 10:1:0 11:6:5001 10:6:5001 ||
    fail "could not send tagged frames"
wait $rpid
got=$(cat "$T/vlan.out")
[ "$got" = "10:6:5001" ] || fail "expected only VLAN 10 TCP/5001 to pass, B saw: '$got'"
wait_for 10 unmatched_at_least $((before + 3)) ||
    fail "the 3 frames that must not pass did not reach the controller: $(( $(unmatched) - before )) did"
pass "cleanslate over ${CTL_DATAPLANE:-ovs}"
