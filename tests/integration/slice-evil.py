#!/usr/bin/python3
"""slice-evil — a misbehaving OpenFlow 1.0 controller for plural-slicer's
adversarial test (slice-adversarial.sh).  It listens on 127.0.0.1:PORT, the
slicer connects to it as the controller of its slice (VLAN 20), and it tries
to reach outside its flowspace:

  1. installs a legitimate flow (no VLAN given: must come back as VLAN 20);
  2. FLOW_MOD matching VLAN 10            -> expects FLOW_MOD_FAILED/EPERM
  3. FLOW_MOD rewriting into VLAN 10      -> expects BAD_ACTION/EPERM
  4. FLOW_MOD output to a port not its own (only with --foreign-port)
  5. PACKET_OUT of a VLAN 10 frame        -> expects BAD_REQUEST/EPERM
  6. flow stats and aggregate stats of everything: only its own flow
  7. DELETE of every flow, then a barrier: must succeed (confined)
  8. watches PACKET_INs for --watch seconds: none may be VLAN 10

Prints one line per check ("ok ..." or "FAIL ...") and, at the end,
"packet_in vlan10=N vlan20=M other=K".  Exit 0 when every check passed.
Standard library only.
"""
import socket
import struct
import sys
import time

OFPT = dict(HELLO=0, ERROR=1, ECHO_REQUEST=2, ECHO_REPLY=3, FEATURES_REQUEST=5,
            FEATURES_REPLY=6, PACKET_IN=10, PACKET_OUT=13, FLOW_MOD=14,
            STATS_REQUEST=16, STATS_REPLY=17, BARRIER_REQUEST=18, BARRIER_REPLY=19)
OFPFW_ALL = (1 << 22) - 1
OFPFW_DL_VLAN = 1 << 1
OFPP_NONE = 0xffff
failures = 0


def check(ok, what):
    global failures
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures += 1


def header(t, length, xid):
    return struct.pack("!BBHI", 1, t, length, xid)


def match(wildcards=OFPFW_ALL, dl_vlan=0):
    # wildcards, in_port, dl_src, dl_dst, dl_vlan, pcp, pad, dl_type, tos,
    # proto, pad2, nw_src, nw_dst, tp_src, tp_dst
    return struct.pack("!IH6s6sHBxHBB2xIIHH", wildcards, 0, b"\0" * 6, b"\0" * 6,
                       dl_vlan, 0, 0, 0, 0, 0, 0, 0, 0)


def output(port):
    return struct.pack("!HHHH", 0, 8, port, 0)


def set_vlan(vid):
    return struct.pack("!HHH2x", 1, 8, vid)


def flow_mod(xid, m, command, actions=b"", priority=100):
    body = m + struct.pack("!QHHHHIHH", 0, command, 0, 0, priority, 0xffffffff,
                           OFPP_NONE, 0) + actions
    return header(OFPT["FLOW_MOD"], 8 + len(body), xid) + body


class Conn:
    def __init__(self, sock):
        self.s = sock
        self.buf = b""
        self.packet_ins = {"vlan10": 0, "vlan20": 0, "other": 0}

    def send(self, data):
        self.s.sendall(data)

    def recv(self, timeout):
        """One message (type, xid, body) or None on timeout."""
        end = time.time() + timeout
        while True:
            if len(self.buf) >= 8:
                length = struct.unpack("!H", self.buf[2:4])[0]
                if len(self.buf) >= length:
                    msg, self.buf = self.buf[:length], self.buf[length:]
                    t, xid = msg[1], struct.unpack("!I", msg[4:8])[0]
                    if t == OFPT["ECHO_REQUEST"]:
                        self.send(header(OFPT["ECHO_REPLY"], length, xid) + msg[8:])
                        continue
                    if t == OFPT["PACKET_IN"]:
                        self.count_packet_in(msg[8:])
                    return t, xid, msg[8:]
            left = end - time.time()
            if left <= 0:
                return None
            self.s.settimeout(left)
            try:
                data = self.s.recv(65536)
            except socket.timeout:
                return None
            if not data:
                raise SystemExit("FAIL the slicer closed the connection")
            self.buf += data

    def count_packet_in(self, body):
        frame = body[10:]
        if len(frame) >= 16 and frame[12:14] == b"\x81\x00":
            vid = struct.unpack("!H", frame[14:16])[0] & 0xfff
            key = "vlan%d" % vid if vid in (10, 20) else "other"
        else:
            key = "other"
        self.packet_ins[key] += 1

    def expect(self, t, xid, timeout=5):
        """Waits for message type t with xid; returns its body, or None.
        PACKET_INs and other asynchronous messages are skipped."""
        end = time.time() + timeout
        while time.time() < end:
            m = self.recv(end - time.time())
            if m is None:
                return None
            if m[1] == xid and (m[0] == t or m[0] == OFPT["ERROR"]):
                return m
        return None


def expect_error(c, xid, etype, code, what):
    m = c.expect(OFPT["ERROR"], xid)
    ok = m is not None and m[0] == OFPT["ERROR"] and struct.unpack("!HH", m[2][:4]) == (etype, code)
    detail = "no reply" if m is None else ("type %d" % m[0] if m[0] != OFPT["ERROR"]
                                           else "error %d/%d" % struct.unpack("!HH", m[2][:4]))
    check(ok, "%s refused with %d/%d (%s)" % (what, etype, code, detail))
    if m is not None and m[0] == OFPT["ERROR"] and len(m[2]) >= 12:
        # The offending message comes back with our own xid.
        check(struct.unpack("!I", m[2][8:12])[0] == xid, "%s: error data carries our xid" % what)


def flow_stats(c, xid, aggregate=False):
    body = struct.pack("!HH", 2 if aggregate else 1, 0) + match() + struct.pack("!BxH", 0xff, OFPP_NONE)
    c.send(header(OFPT["STATS_REQUEST"], 8 + len(body), xid) + body)
    entries = []
    while True:
        m = c.expect(OFPT["STATS_REPLY"], xid)
        if m is None or m[0] != OFPT["STATS_REPLY"]:
            return None
        stype, flags = struct.unpack("!HH", m[2][:4])
        data = m[2][4:]
        if aggregate:
            return struct.unpack("!QQI", data[:20])
        while len(data) >= 88:
            length = struct.unpack("!H", data[:2])[0]
            wire = data[4:44]
            vid = struct.unpack("!H", wire[18:20])[0]
            wild = struct.unpack("!I", wire[:4])[0]
            entries.append(None if wild & OFPFW_DL_VLAN else vid)
            data = data[length:]
        if not flags & 1:
            return entries


def main():
    port = int(sys.argv[1])
    watch = float(sys.argv[2]) if len(sys.argv) > 2 else 8
    foreign_port = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", port))
    ls.listen(1)
    ls.settimeout(60)
    s, _ = ls.accept()
    c = Conn(s)
    c.send(header(OFPT["HELLO"], 8, 1))
    c.send(header(OFPT["FEATURES_REQUEST"], 8, 2))
    m = c.expect(OFPT["FEATURES_REPLY"], 2)
    check(m is not None and m[0] == OFPT["FEATURES_REPLY"], "features reply")
    print("connected", flush=True)

    # 1. A legitimate flow: VLAN left open, must be narrowed to VLAN 20.
    c.send(flow_mod(100, match(), 0, output(2), priority=7))
    # 2-4. Reaching outside.
    c.send(flow_mod(101, match(OFPFW_ALL & ~OFPFW_DL_VLAN, 10), 0, output(2)))
    expect_error(c, 101, 3, 2, "FLOW_MOD matching VLAN 10")
    c.send(flow_mod(102, match(), 0, set_vlan(10) + output(2)))
    expect_error(c, 102, 2, 6, "FLOW_MOD rewriting into VLAN 10")
    if foreign_port:
        c.send(flow_mod(103, match(), 0, output(foreign_port)))
        expect_error(c, 103, 2, 6, "FLOW_MOD output to port %d" % foreign_port)
    # 5. PACKET_OUT of a VLAN 10 frame (ICMP echo to B's VLAN 10 address).
    frame = (bytes.fromhex("ffffffffffff" "020000000bad") + struct.pack("!HHH", 0x8100, 10, 0x0800)
             + bytes.fromhex("45000054000000004001" "0000" "0a000102" "0a000202") + b"\x08" + b"\0" * 63)
    acts = output(2)
    body = struct.pack("!IHH", 0xffffffff, OFPP_NONE, len(acts)) + acts + frame
    c.send(header(OFPT["PACKET_OUT"], 8 + len(body), 104) + body)
    expect_error(c, 104, 1, 5, "PACKET_OUT of a VLAN 10 frame")
    # 6. Reading everyone's flows.
    c.send(header(OFPT["BARRIER_REQUEST"], 8, 105))
    m = c.expect(OFPT["BARRIER_REPLY"], 105)
    check(m is not None and m[0] == OFPT["BARRIER_REPLY"], "barrier after the refused requests")
    entries = flow_stats(c, 106)
    check(entries is not None and entries == [20],
          "flow stats show only our own flow, narrowed to VLAN 20 (got %s)" % entries)
    agg = flow_stats(c, 107, aggregate=True)
    check(agg is not None and agg[2] == 1, "aggregate stats count only our flow (got %s)" % (agg,))
    # 7. Delete everything.
    c.send(flow_mod(108, match(), 3))
    c.send(header(OFPT["BARRIER_REQUEST"], 8, 109))
    m = c.expect(OFPT["BARRIER_REPLY"], 109)
    check(m is not None and m[0] == OFPT["BARRIER_REPLY"], "delete-all accepted (no error before the barrier)")
    entries = flow_stats(c, 110)
    check(entries == [], "after delete-all we own no flow (got %s)" % entries)
    # 8. Watch.
    print("watching", flush=True)
    end = time.time() + watch
    while time.time() < end:
        c.recv(end - time.time())
    p = c.packet_ins
    print("packet_in vlan10=%d vlan20=%d other=%d" % (p["vlan10"], p["vlan20"], p["other"]), flush=True)
    check(p["vlan10"] == 0, "no PACKET_IN of VLAN 10 reached us")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
