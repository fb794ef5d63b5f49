#!/bin/bash
# slice-garbage — plural-slicer drops peers that send garbage (issue 12,
# item 7), on both sides, as plural-switchd and plural-controller do:
#   1. a "switch" sending 1 MB of (seeded) random bytes is disconnected;
#   2. a switch sending more than 10 undecodable messages is disconnected;
#   3. a slice's controller sending more than 10 undecodable messages gets
#      its error replies, then its connection is closed (counted in
#      garbage_disconnects; the slicer retries it with back-off).
# Scripted peers (ofpeer.py); no root.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/switch-common.sh"
. "$(dirname "$0")/slice-lib.sh"
require_slicer

APORT=$(free_port); SPORT=$(free_port)
cat >"$T/slices.json" <<JSON
{"slices": [
  {"name": "a", "controller": "tcp:127.0.0.1:$APORT", "ports": "all",
   "flowspace": [{"match": "dl_vlan=10"}]}
]}
JSON
slicer_start "" --listen "ptcp:$SPORT:127.0.0.1" --config "$T/slices.json"
FR=$(features_reply_hex 0x7 2)
# 12 messages of an unknown type (0xff): each is BAD_TYPE.
BAD=$(for i in $(seq 12); do printf '01ff0008%08x' "$i"; done)

# 1. 1 MB of random bytes (fixed seed: no 16-bit length below 8 in it, so
#    framing alone would not close the connection).
python3 - "$SPORT" >"$T/random.out" 2>&1 <<'PY' || fail "random-bytes switch kept: $(cat "$T/random.out")"
import random, socket, sys, time
random.seed(12)
data = bytes(random.getrandbits(8) for _ in range(1 << 20))
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
try:
    s.sendall(data)
except (BrokenPipeError, ConnectionResetError):
    print("closed while sending"); sys.exit(0)
s.settimeout(10)
deadline = time.monotonic() + 10
try:
    while time.monotonic() < deadline:
        if not s.recv(65536):
            print("closed"); sys.exit(0)
except ConnectionResetError:
    print("reset"); sys.exit(0)
except socket.timeout:
    pass
print("still open after 10 s"); sys.exit(1)
PY

# 2. A switch that says HELLO, then sends garbage.
ofpeer --connect "$SPORT" --timeout 10 --log "$T/sw-garbage.log" hello send "$BAD" expect-close \
    >"$T/sw-garbage.out" 2>&1 || fail "garbage-sending switch kept: $(cat "$T/sw-garbage.out")"

# 3. A real (scripted) switch; the slice's controller sends garbage.
ofpeer --listen "$APORT" --timeout 20 --log "$T/a.log" hello send "$BAD" expect-close \
    >"$T/a.out" 2>&1 &
apid=$!
ofpeer --connect "$SPORT" --timeout 30 --log "$T/sw.log" hello send "$FR" serve >/dev/null 2>&1 &
swpid=$!
on_exit "kill $apid $swpid 2>/dev/null"
wait $apid || fail "garbage-sending controller kept: $(cat "$T/a.out")"
n=$(grep -c "recv ERROR.*type=1 code=1 " "$T/a.log")
[ "$n" -ge 10 ] || fail "controller got $n BAD_TYPE errors, expected >= 10: $(cat "$T/a.log")"
slice stats a | grep -q "garbage_disconnects *1$" || fail "not counted: $(slice stats a)"
slice stats a | grep -Eq "bad_messages *1[12]$" || fail "bad messages: $(slice stats a)"
# The slicer is still serving the good switch.
slice switches | grep -q 0000000000000007 || fail "switch lost: $(slice switches)"
kill $swpid 2>/dev/null
slicer_check
pass
