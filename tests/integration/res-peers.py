#!/usr/bin/env python3
"""res-peers — many hostile TCP peers for the resource tests (issue 12,
items 5 and 6; tests/integration/fault-fd-*.sh, fault-queue-memory.sh).

  res-peers.py idle PORT N SECONDS
      opens up to N connections to 127.0.0.1:PORT that never send anything,
      holds them SECONDS, prints "opened A closed_by_peer C".
  res-peers.py tls-stall PORT N SECONDS
      the same, but each sends the first bytes of a TLS ClientHello and
      then nothing (a stalled handshake).
  res-peers.py echo-flood PORT N SECONDS
      N connections that send an OpenFlow 1.0 HELLO and then ECHO_REQUESTs
      with 60,000-byte payloads as fast as the kernel takes them, never
      reading; prints "opened A closed_by_peer C" after SECONDS.
  res-peers.py echo PORT
      one well-behaved OpenFlow peer: HELLO, one ECHO_REQUEST, waits (5 s)
      for the ECHO_REPLY; prints "echo ok" (exit 0) or "echo failed: WHY"
      (exit 1).

Connections that fail to open are counted out of A (the point is to exhaust
the daemon, not this process: run it with a high `ulimit -n`).  A
connection is "closed by peer" when a read returns end-of-stream or a send
fails with EPIPE/ECONNRESET.
"""
import errno
import os
import select
import socket
import struct
import sys
import time

HELLO = struct.pack("!BBHI", 1, 0, 8, 1)
ECHO_PAYLOAD = 60000
ECHO = struct.pack("!BBHI", 1, 2, 8 + ECHO_PAYLOAD, 2) + b"\0" * ECHO_PAYLOAD
CLIENT_HELLO_START = bytes([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03])


def open_conns(port, n, first=b""):
    conns = []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(2)
        try:
            s.connect(("127.0.0.1", port))
        except OSError:
            s.close()
            continue
        s.setblocking(False)
        if first:
            try:
                s.send(first)
            except OSError:
                pass
        conns.append(s)
    return conns


def closed_by_peer(s):
    try:
        data = s.recv(65536)
        return data == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def watch(conns, seconds, flood=False):
    closed = set()
    deadline = time.monotonic() + seconds
    sent = {}
    while time.monotonic() < deadline:
        live = [s for s in conns if s.fileno() not in closed]
        for s in live:
            if flood:
                try:
                    while True:
                        off = sent.get(s.fileno(), 0)
                        n = s.send(ECHO[off:])
                        sent[s.fileno()] = (off + n) % len(ECHO)
                except BlockingIOError:
                    pass
                except OSError:
                    closed.add(s.fileno())
                    continue
                # Never read: but notice a close (RST or FIN) cheaply.
                try:
                    if s.recv(1, socket.MSG_PEEK) == b"":
                        closed.add(s.fileno())
                except BlockingIOError:
                    pass
                except OSError:
                    closed.add(s.fileno())
            elif closed_by_peer(s):
                closed.add(s.fileno())
        time.sleep(0.05)
    return len(closed)


def echo(port):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(HELLO + struct.pack("!BBHI", 1, 2, 12, 7) + b"ping")
        deadline = time.monotonic() + 5
        buf = b""
        while time.monotonic() < deadline:
            data = s.recv(65536)
            if not data:
                print("echo failed: closed by peer")
                return 1
            buf += data
            while len(buf) >= 8:
                _, t, length, xid = struct.unpack("!BBHI", buf[:8])
                if len(buf) < length:
                    break
                msg, buf = buf[:length], buf[length:]
                if t == 3 and xid == 7 and msg[8:] == b"ping":
                    print("echo ok")
                    return 0
        print("echo failed: no ECHO_REPLY in 5 s")
        return 1
    except OSError as e:
        print("echo failed: %s" % e)
        return 1


def main():
    mode = sys.argv[1]
    port = int(sys.argv[2])
    if mode == "echo":
        return echo(port)
    n, seconds = int(sys.argv[3]), float(sys.argv[4])
    first = {"idle": b"", "tls-stall": CLIENT_HELLO_START, "echo-flood": HELLO}[mode]
    conns = open_conns(port, n, first)
    closed = watch(conns, seconds, flood=(mode == "echo-flood"))
    print("opened %d closed_by_peer %d" % (len(conns), closed), flush=True)
    for s in conns:
        s.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
