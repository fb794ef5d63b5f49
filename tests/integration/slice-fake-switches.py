#!/usr/bin/python3
"""slice-fake-switches — scripted peers for slice-fake-switches.sh.

  controller PORT FILE        listen on 127.0.0.1:PORT as a slice's controller:
                              accept every connection, say HELLO, answer echo;
                              keep "total=N open=M" (connections accepted so
                              far, still open) in FILE; runs until killed
  switches PORT N MODE SECS [HOLD]
                              open N connections to the slicer at PORT and
                              hold them SECS seconds, then print
                              "closed=K kept=N-K" (connections the slicer
                              closed) and keep them HOLD seconds more.  MODE: nohello (FEATURES_REPLY, no
                              HELLO; dpids 0x100+i), samedpid (HELLO and
                              FEATURES_REPLY, all dpid 0x42, one every 0.1 s),
                              silent (connect only)
Standard library only.
"""
import os
import selectors
import socket
import struct
import sys
import time


def features_reply(dpid):
    body = struct.pack("!QIB3xII", dpid, 256, 1, 0xc7, 0xfff)
    return struct.pack("!BBHI", 1, 6, 8 + len(body), 2) + body


def hello():
    return struct.pack("!BBHI", 1, 0, 8, 1)


def controller(port, path):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(4096)
    sel = selectors.DefaultSelector()
    sel.register(srv, selectors.EVENT_READ)
    total = 0
    conns = {}

    def report():
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write("total=%d open=%d\n" % (total, len(conns)))
        os.rename(tmp, path)

    report()
    while True:
        for key, _ in sel.select(0.2):
            if key.fileobj is srv:
                c, _ = srv.accept()
                c.setblocking(False)
                c.sendall(hello())
                conns[c] = b""
                sel.register(c, selectors.EVENT_READ)
                total += 1
                continue
            c = key.fileobj
            try:
                data = c.recv(65536)
            except (ConnectionResetError, BlockingIOError):
                data = b""
            if not data:
                sel.unregister(c)
                c.close()
                del conns[c]
                continue
            buf = conns[c] + data
            while len(buf) >= 8:
                length, = struct.unpack("!H", buf[2:4])
                if length < 8 or len(buf) < length:
                    break
                msg, buf = buf[:length], buf[length:]
                if msg[1] == 2:
                    c.sendall(bytes([1, 3]) + msg[2:])
            conns[c] = buf
        report()


def switches(port, n, mode, secs, hold):
    socks = []
    for i in range(n):
        s = socket.create_connection(("127.0.0.1", port))
        if mode == "nohello":
            s.sendall(features_reply(0x100 + i))
        elif mode == "samedpid":
            s.sendall(hello() + features_reply(0x42))
            time.sleep(0.1)
        socks.append(s)
    deadline = time.monotonic() + secs
    closed = set()
    for s in socks:
        s.setblocking(False)
    while time.monotonic() < deadline:
        for i, s in enumerate(socks):
            if i in closed:
                continue
            try:
                data = s.recv(65536)
                if not data:
                    closed.add(i)
            except BlockingIOError:
                pass
            except ConnectionResetError:
                closed.add(i)
        time.sleep(0.05)
    print("closed=%d kept=%d" % (len(closed), n - len(closed)), flush=True)
    time.sleep(hold)
    for s in socks:
        s.close()


def main():
    a = sys.argv[1:]
    if a[:1] == ["controller"] and len(a) == 3:
        controller(int(a[1]), a[2])
    elif a[:1] == ["switches"] and len(a) in (5, 6):
        switches(int(a[1]), int(a[2]), a[3], float(a[4]),
                 float(a[5]) if len(a) == 6 else 0)
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()
