#!/usr/bin/python3
"""frames — prints test frames as hex, with correct IPv4/UDP/TCP checksums.

    frames.py udp  DL_SRC DL_DST NW_SRC NW_DST TP_SRC TP_DST [TOS] [VLAN]
    frames.py tcp  DL_SRC DL_DST NW_SRC NW_DST TP_SRC TP_DST [TOS] [VLAN]
    frames.py arp  DL_SRC SENDER_IP TARGET_IP

TOS is the IPv4 TOS byte (default 0); VLAN a VID to tag the frame with
(default: untagged, "-" also means untagged).  The payload is fixed, so
the same arguments always give the same bytes: a test builds the frame it
injects and, with the rewritten field values, the frame it expects out.
"""
import socket
import struct
import sys


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def csum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return (~total) & 0xffff


def l4(proto, src, dst, sport, dport):
    payload = b"plural-test-payload-0123456789"
    if proto == 17:
        hdr = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
    else:
        hdr = struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 5 << 4, 0x18, 65535, 0, 0)
    seg = hdr + payload
    pseudo = src + dst + struct.pack("!BBH", 0, proto, len(seg))
    c = csum(pseudo + seg)
    if proto == 17:
        c = c or 0xffff
        return seg[:6] + struct.pack("!H", c) + seg[8:]
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def ipv4(args, proto):
    dl_src, dl_dst, nw_src, nw_dst, sport, dport = args[:6]
    tos = int(args[6], 0) if len(args) > 6 else 0
    vlan = args[7] if len(args) > 7 else "-"
    src, dst = socket.inet_aton(nw_src), socket.inet_aton(nw_dst)
    seg = l4(proto, src, dst, int(sport), int(dport))
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, tos, 20 + len(seg), 0x1234, 0x4000,
                     64, proto, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    eth = mac(dl_dst) + mac(dl_src)
    if vlan != "-":
        eth += struct.pack("!HH", 0x8100, int(vlan))
    return eth + struct.pack("!H", 0x0800) + ip + seg


def arp(args):
    dl_src, spa, tpa = args
    body = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, mac(dl_src),
                       socket.inet_aton(spa), b"\0" * 6, socket.inet_aton(tpa))
    return b"\xff" * 6 + mac(dl_src) + struct.pack("!H", 0x0806) + body


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    kind, args = sys.argv[1], sys.argv[2:]
    if kind in ("udp", "tcp") and 6 <= len(args) <= 8:
        frame = ipv4(args, 17 if kind == "udp" else 6)
    elif kind == "arp" and len(args) == 3:
        frame = arp(args)
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)
    print(frame.hex())


if __name__ == "__main__":
    main()
