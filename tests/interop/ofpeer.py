#!/usr/bin/python3
"""ofpeer — a tiny scripted OpenFlow 1.0 peer for plural-switchd's tests.

It plays a controller (--listen PORT: the switch connects to it) or a
management client / hostile peer (--connect PORT), runs the steps given on
the command line in order, and logs every message it receives, one line each:

    recv PACKET_IN xid=0 len=.. buffer_id=.. total_len=.. in_port=1 reason=0 data=HEX
    recv ERROR xid=7 len=.. type=1 code=6 data=HEX

Echo requests are answered at any time.  Steps:

    hello                   send OFPT_HELLO (version 1)
    hello-version V         send a HELLO with wire version V
    features                send FEATURES_REQUEST
    set-config MISS_LEN     send SET_CONFIG (flags 0)
    flow-mod SPEC           send a FLOW_MOD built from SPEC (see build_flow_mod)
    barrier                 send BARRIER_REQUEST
    echo                    send ECHO_REQUEST
    get-config              send GET_CONFIG_REQUEST
    flow-stats SPEC         send a FLOW stats request; SPEC: comma-separated
                            table=N (default 255), out_port=N (default
                            0xffff: any) and match fields, or "all"
    aggregate-stats SPEC    the same as an AGGREGATE stats request
    table-stats             send a TABLE stats request
    desc-stats              send a DESC stats request
    packet-out IN OUT HEX   send PACKET_OUT of frame HEX (no buffer), output OUT
    packet-out-buffered OUT send PACKET_OUT releasing the buffer_id of the last
                            PACKET_IN received, output OUT
    send HEX                send raw bytes (anything, including garbage)
    expect TYPE [K=V ...]   wait for a message of TYPE whose logged fields match
    expect-error T C        wait for OFPT_ERROR with type T and code C
    expect-close            wait until the peer closes the connection
    serve                   keep logging until the peer closes or we are killed

Exit status: 0 when every step succeeded, 1 when an expectation failed or
timed out (--timeout seconds per expect step; a safety net, not a timing
assertion), 2 for wrong usage.  Needs only the Python standard library.
"""
import binascii
import socket
import struct
import sys
import time

TYPES = ["HELLO", "ERROR", "ECHO_REQUEST", "ECHO_REPLY", "VENDOR",
         "FEATURES_REQUEST", "FEATURES_REPLY", "GET_CONFIG_REQUEST",
         "GET_CONFIG_REPLY", "SET_CONFIG", "PACKET_IN", "FLOW_REMOVED",
         "PORT_STATUS", "PACKET_OUT", "FLOW_MOD", "PORT_MOD", "STATS_REQUEST",
         "STATS_REPLY", "BARRIER_REQUEST", "BARRIER_REPLY",
         "QUEUE_GET_CONFIG_REQUEST", "QUEUE_GET_CONFIG_REPLY"]


def type_number(name):
    if name.isdigit():
        return int(name)
    return TYPES.index(name.upper())


def type_name(num):
    return TYPES[num] if num < len(TYPES) else "TYPE%d" % num


def mac_bytes(s):
    return binascii.unhexlify(s.replace(":", ""))


def ip_bytes(s):
    return socket.inet_aton(s)


OFPFW_IN_PORT, OFPFW_DL_VLAN, OFPFW_DL_SRC, OFPFW_DL_DST = 1, 2, 4, 8
OFPFW_DL_TYPE, OFPFW_NW_PROTO, OFPFW_TP_SRC, OFPFW_TP_DST = 16, 32, 64, 128
OFPFW_NW_SRC_ALL, OFPFW_NW_DST_ALL = 32 << 8, 32 << 14
OFPFW_DL_VLAN_PCP, OFPFW_NW_TOS = 1 << 20, 1 << 21
OFPFW_ALL = (1 << 22) - 1


def build_match(fields):
    """ofp_match from a dict (in_port, dl_src, dl_dst, dl_type, nw_src,
    nw_dst, nw_proto, tp_src, tp_dst); everything else wildcarded."""
    wc = OFPFW_ALL
    in_port = dl_vlan = dl_type = tp_src = tp_dst = 0
    dl_src = dl_dst = b"\0" * 6
    nw_src = nw_dst = b"\0" * 4
    nw_proto = 0
    for k, v in fields.items():
        if k == "in_port":
            in_port = int(v, 0); wc &= ~OFPFW_IN_PORT
        elif k == "dl_src":
            dl_src = mac_bytes(v); wc &= ~OFPFW_DL_SRC
        elif k == "dl_dst":
            dl_dst = mac_bytes(v); wc &= ~OFPFW_DL_DST
        elif k == "dl_type":
            dl_type = int(v, 0); wc &= ~OFPFW_DL_TYPE
        elif k == "nw_proto":
            nw_proto = int(v, 0); wc &= ~OFPFW_NW_PROTO
        elif k == "nw_src":
            nw_src = ip_bytes(v); wc &= ~(0x3f << 8)
        elif k == "nw_dst":
            nw_dst = ip_bytes(v); wc &= ~(0x3f << 14)
        elif k == "tp_src":
            tp_src = int(v, 0); wc &= ~OFPFW_TP_SRC
        elif k == "tp_dst":
            tp_dst = int(v, 0); wc &= ~OFPFW_TP_DST
        else:
            raise ValueError("unknown match field " + k)
    return struct.pack("!IH6s6sHBxHBBxx4s4sHH", wc, in_port, dl_src, dl_dst,
                       dl_vlan, 0, dl_type, 0, nw_proto, nw_src, nw_dst,
                       tp_src, tp_dst)


def build_flow_mod(spec, xid):
    """SPEC: comma-separated key=value: command (add|modify|modify_strict|
    delete|delete_strict), idle, hard, priority, cookie, flags (number),
    send_flow_rem (no value), buffer_id, out_port, output (port, repeatable),
    plus match fields (see build_match)."""
    commands = {"add": 0, "modify": 1, "modify_strict": 2, "delete": 3,
                "delete_strict": 4}
    command, idle, hard, prio, cookie, flags = 0, 0, 0, 0x8000, 0, 0
    buffer_id, out_port = 0xffffffff, 0xffff
    actions = b""
    match = {}
    for item in filter(None, spec.split(",")):
        k, _, v = item.partition("=")
        if k == "command":
            command = int(v, 0) if v[0].isdigit() else commands[v]
        elif k == "idle":
            idle = int(v, 0)
        elif k == "hard":
            hard = int(v, 0)
        elif k == "priority":
            prio = int(v, 0)
        elif k == "cookie":
            cookie = int(v, 0)
        elif k == "flags":
            flags = int(v, 0)
        elif k == "send_flow_rem":
            flags |= 1
        elif k == "buffer_id":
            buffer_id = int(v, 0)
        elif k == "out_port":
            out_port = int(v, 0)
        elif k == "output":
            actions += struct.pack("!HHHH", 0, 8, int(v, 0), 0xffff)
        else:
            match[k] = v
    body = build_match(match) + struct.pack("!QHHHHIHH", cookie, command, idle,
                                            hard, prio, buffer_id, out_port,
                                            flags) + actions
    return struct.pack("!BBHI", 1, 14, 8 + len(body), xid) + body


def describe(msg):
    """One log line for a received message."""
    version, mtype, length, xid = struct.unpack("!BBHI", msg[:8])
    body = msg[8:]
    parts = ["recv", type_name(mtype), "version=%d" % version, "xid=%d" % xid,
             "len=%d" % length]
    try:
        if mtype == 1:
            t, c = struct.unpack("!HH", body[:4])
            parts += ["type=%d" % t, "code=%d" % c, "data=" + body[4:].hex()]
        elif mtype == 6:
            dpid, nbuf, ntab = struct.unpack("!QIB", body[:13])
            caps, acts = struct.unpack("!II", body[16:24])
            parts += ["dpid=%016x" % dpid, "n_buffers=%d" % nbuf,
                      "n_tables=%d" % ntab, "capabilities=0x%x" % caps,
                      "actions=0x%x" % acts, "n_ports=%d" % ((len(body) - 24) // 48)]
        elif mtype == 10:
            bid, total, in_port, reason = struct.unpack("!IHHB", body[:9])
            parts += ["buffer_id=0x%x" % bid, "total_len=%d" % total,
                      "in_port=%d" % in_port, "reason=%d" % reason,
                      "data=" + body[10:].hex()]
        elif mtype == 11:
            cookie, prio, reason = struct.unpack("!QHB", body[40:51])
            sec, nsec, idle = struct.unpack("!IIH", body[52:62])
            pkts, byts = struct.unpack("!QQ", body[64:80])
            parts += ["cookie=0x%x" % cookie, "priority=%d" % prio,
                      "reason=%d" % reason, "idle_timeout=%d" % idle,
                      "packet_count=%d" % pkts, "byte_count=%d" % byts]
        elif mtype == 12:
            reason = body[0]
            port_no, = struct.unpack("!H", body[8:10])
            config, state = struct.unpack("!II", body[32:40])
            parts += ["reason=%d" % reason, "port_no=%d" % port_no,
                      "config=0x%x" % config, "state=0x%x" % state]
        elif mtype == 17:
            stype, flags = struct.unpack("!HH", body[:4])
            parts += ["stats_type=%d" % stype, "flags=%d" % flags]
            parts += describe_stats(stype, body[4:])
            parts.append("data=" + body[4:].hex())
        elif mtype == 8:
            flags, miss = struct.unpack("!HH", body[:4])
            parts += ["flags=%d" % flags, "miss_send_len=%d" % miss]
        else:
            parts.append("data=" + body.hex())
    except struct.error:
        parts.append("short-body=" + body.hex())
    return " ".join(parts)


def describe_stats(stype, data):
    """Fields of a STATS_REPLY body: FLOW: n_flows, tables and priorities
    (comma-separated in reply order, "-" if none); AGGREGATE: packet_count,
    byte_count, flow_count; TABLE: n_tables, table ids, active counts."""
    if stype == 1:
        tables, prios, off = [], [], 0
        while off + 88 <= len(data):
            length, tid = struct.unpack("!HB", data[off:off + 3])
            prio, = struct.unpack("!H", data[off + 52:off + 54])
            tables.append(str(tid))
            prios.append(str(prio))
            off += max(length, 88)
        return ["n_flows=%d" % len(tables), "tables=" + (",".join(tables) or "-"),
                "priorities=" + (",".join(prios) or "-")]
    if stype == 2 and len(data) >= 20:
        pkts, byts, flows = struct.unpack("!QQI", data[:20])
        return ["packet_count=%d" % pkts, "byte_count=%d" % byts,
                "flow_count=%d" % flows]
    if stype == 3:
        ids, active = [], []
        for off in range(0, len(data) - 63, 64):
            ids.append(str(data[off]))
            active.append(str(struct.unpack("!I", data[off + 44:off + 48])[0]))
        return ["n_tables=%d" % len(ids), "table_ids=" + (",".join(ids) or "-"),
                "active=" + (",".join(active) or "-")]
    return []


def build_flow_stats_request(stype, spec):
    """Body of a FLOW (1) or AGGREGATE (2) stats request from SPEC."""
    table, out_port, match = 0xff, 0xffff, {}
    for item in filter(None, spec.split(",")):
        if item == "all":
            continue
        k, _, v = item.partition("=")
        if k == "table":
            table = int(v, 0)
        elif k == "out_port":
            out_port = int(v, 0)
        else:
            match[k] = v
    return struct.pack("!HH", stype, 0) + build_match(match) + \
        struct.pack("!BxH", table, out_port)


class Peer:
    def __init__(self, sock, log, timeout):
        self.sock = sock
        self.log = log
        self.timeout = timeout
        self.buf = b""
        self.closed = False
        self.xid = 100
        self.last_buffer_id = 0xffffffff

    def next_xid(self):
        self.xid += 1
        return self.xid

    def send(self, data):
        self.sock.sendall(data)

    def send_simple(self, mtype, body=b""):
        self.send(struct.pack("!BBHI", 1, mtype, 8 + len(body), self.next_xid()) + body)

    def recv_one(self, deadline):
        """Returns (type, fields-line) of the next message, None at deadline,
        or raises EOFError when the peer closed."""
        while True:
            if len(self.buf) >= 8:
                length, = struct.unpack("!H", self.buf[2:4])
                if length < 8:
                    raise EOFError("peer sent length %d" % length)
                if len(self.buf) >= length:
                    msg, self.buf = self.buf[:length], self.buf[length:]
                    line = describe(msg)
                    self.log.write(line + "\n")
                    self.log.flush()
                    if msg[1] == 10 and len(msg) >= 12:
                        self.last_buffer_id, = struct.unpack("!I", msg[8:12])
                    if msg[1] == 2:     # Echo request: answer at once.
                        self.send(bytes([1, 3]) + msg[2:])
                    return msg[1], line
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return None
            self.sock.settimeout(remaining)
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                return None
            except ConnectionResetError:
                data = b""
            if not data:
                self.closed = True
                raise EOFError("closed")
            self.buf += data

    def expect(self, pred, what):
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                got = self.recv_one(deadline)
            except EOFError:
                die("connection closed while waiting for " + what)
            if got is None:
                die("timed out waiting for " + what)
            if pred(*got):
                print(got[1], flush=True)
                return


def die(msg):
    sys.stderr.write("ofpeer: FAIL: %s\n" % msg)
    sys.exit(1)


def fields_match(line, wanted):
    have = dict(p.split("=", 1) for p in line.split()[2:] if "=" in p)
    return all(have.get(k) == v for k, v in wanted)


def run(peer, steps):
    i = 0
    while i < len(steps):
        step = steps[i]
        i += 1

        def arg():
            nonlocal i
            if i >= len(steps):
                usage("step %s needs an argument" % step)
            i += 1
            return steps[i - 1]

        if step == "hello":
            peer.send_simple(0)
        elif step == "hello-version":
            v = int(arg(), 0)
            peer.send(struct.pack("!BBHI", v, 0, 8, peer.next_xid()))
        elif step == "features":
            peer.send_simple(5)
        elif step == "set-config":
            peer.send_simple(9, struct.pack("!HH", 0, int(arg(), 0)))
        elif step == "flow-mod":
            peer.send(build_flow_mod(arg(), peer.next_xid()))
        elif step == "barrier":
            peer.send_simple(18)
        elif step == "echo":
            peer.send_simple(2, b"ofpeer")
        elif step == "get-config":
            peer.send_simple(7)
        elif step == "flow-stats":
            peer.send_simple(16, build_flow_stats_request(1, arg()))
        elif step == "aggregate-stats":
            peer.send_simple(16, build_flow_stats_request(2, arg()))
        elif step == "table-stats":
            peer.send_simple(16, struct.pack("!HH", 3, 0))
        elif step == "desc-stats":
            peer.send_simple(16, struct.pack("!HH", 0, 0))
        elif step == "packet-out":
            in_port, out_port = int(arg(), 0), int(arg(), 0)
            frame = binascii.unhexlify(arg())
            peer.send_simple(13, struct.pack("!IHHHHHH", 0xffffffff, in_port, 8,
                                             0, 8, out_port, 0xffff) + frame)
        elif step == "packet-out-buffered":
            out_port = int(arg(), 0)
            peer.send_simple(13, struct.pack("!IHHHHHH", peer.last_buffer_id,
                                             0xffff, 8, 0, 8, out_port, 0xffff))
        elif step == "send":
            peer.send(binascii.unhexlify(arg().replace(" ", "")))
        elif step == "expect":
            tnum = type_number(arg())
            wanted = []
            while i < len(steps) and "=" in steps[i] and not steps[i].startswith("-"):
                k, _, v = steps[i].partition("=")
                wanted.append((k, v))
                i += 1
            peer.expect(lambda t, line: t == tnum and fields_match(line, wanted),
                        "%s %s" % (type_name(tnum), wanted))
        elif step == "expect-error":
            et, ec = arg(), arg()
            peer.expect(lambda t, line: t == 1 and fields_match(
                line, [("type", et), ("code", ec)]), "ERROR type=%s code=%s" % (et, ec))
        elif step == "expect-close":
            deadline = time.monotonic() + peer.timeout
            try:
                while peer.recv_one(deadline) is not None:
                    pass
                die("peer did not close the connection")
            except EOFError:
                print("closed", flush=True)
        elif step == "serve":
            try:
                while True:
                    peer.recv_one(None)
            except EOFError:
                return
        else:
            usage("unknown step " + step)


def usage(msg):
    sys.stderr.write("ofpeer: %s\n(see the docstring at the top of %s)\n" % (msg, sys.argv[0]))
    sys.exit(2)


def main():
    args = sys.argv[1:]
    listen = connect = None
    log = sys.stdout
    timeout = 20.0
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if not args:
            usage("option %s needs a value" % opt)
        val = args.pop(0)
        if opt == "--listen":
            listen = int(val)
        elif opt == "--connect":
            connect = int(val)
        elif opt == "--log":
            log = open(val, "a", buffering=1)
        elif opt == "--timeout":
            timeout = float(val)
        else:
            usage("unknown option " + opt)
    if (listen is None) == (connect is None):
        usage("give exactly one of --listen PORT or --connect PORT")
    if listen is not None:
        srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind(("127.0.0.1", listen))
        srv.listen(1)
        srv.settimeout(timeout)
        try:
            sock, _ = srv.accept()
        except socket.timeout:
            die("no switch connected within %g s" % timeout)
        srv.close()
    else:
        sock = socket.create_connection(("127.0.0.1", connect), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    peer = Peer(sock, log, timeout)
    try:
        run(peer, args)
    except (BrokenPipeError, ConnectionResetError) as e:
        if "expect-close" not in args:
            die("connection lost: %s" % e)
    sys.exit(0)


if __name__ == "__main__":
    main()
