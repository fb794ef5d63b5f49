#!/usr/bin/env python3
"""switch-flow-race.py — sender and receiver of sequence-numbered frames for
switch-flow-race.sh.

  send IFACE FILE   sends UDP frames as fast as it can on IFACE (raw
                    AF_PACKET), each with a 64-bit sequence number; on
                    SIGUSR1 it appends the last sequence number it has sent
                    to FILE; stops on SIGTERM.
  recv IFACE FILE   counts the frames received on IFACE; on SIGUSR1 it
                    appends "MAXSEQ COUNT" of what it has seen to FILE;
                    stops on SIGTERM.
Frames: Ethernet II, IPv4 10.77.0.1 -> 10.77.0.2, UDP 4000 -> 4001,
payload "plrace" + seq (8 bytes, big endian).
"""
import signal
import socket
import struct
import sys

MAGIC = b"plrace"


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def frame(src_mac, dst_mac, seq):
    payload = MAGIC + struct.pack("!Q", seq) + b"\0" * 18
    udp_len = 8 + len(payload)
    src, dst = socket.inet_aton("10.77.0.1"), socket.inet_aton("10.77.0.2")
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, 0, 0, 64, 17, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    udp = struct.pack("!HHHH", 4000, 4001, udp_len, 0) + payload
    return dst_mac + src_mac + b"\x08\x00" + ip + udp


def main():
    mode, iface, out = sys.argv[1], sys.argv[2], sys.argv[3]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
    s.bind((iface, 0))
    state = {"seq": 0, "max": 0, "count": 0, "stop": False}

    def report(signum, frm):
        with open(out, "a") as f:
            if mode == "send":
                f.write("%d\n" % state["seq"])
            else:
                f.write("%d %d\n" % (state["max"], state["count"]))

    def stop(signum, frm):
        state["stop"] = True

    signal.signal(signal.SIGUSR1, report)
    signal.signal(signal.SIGTERM, stop)
    with open(out, "a") as f:
        f.write("ready\n")
    if mode == "send":
        mac = open("/sys/class/net/%s/address" % iface).read().strip()
        src = bytes(int(x, 16) for x in mac.split(":"))
        dst = b"\x02\x00\x00\x00\x00\x02"
        while not state["stop"]:
            state["seq"] += 1
            try:
                s.send(frame(src, dst, state["seq"]))
            except OSError:
                state["seq"] -= 1       # Not sent: the number is reused.
    else:
        s.settimeout(0.2)
        while not state["stop"]:
            try:
                data = s.recv(2048)
            except (socket.timeout, InterruptedError):
                continue
            except OSError:
                break                   # The namespace is going away.
            i = data.find(MAGIC)
            if i < 0 or len(data) < i + 14:
                continue
            seq = struct.unpack("!Q", data[i + 6:i + 14])[0]
            state["count"] += 1
            if seq > state["max"]:
                state["max"] = seq


if __name__ == "__main__":
    main()
