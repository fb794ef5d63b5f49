#!/bin/bash
# slice-emerg — emergency flows are a switch-wide mode (when the switch
# loses its controller it deletes every normal flow, all slices', and runs
# the emergency table), so plural-slicer refuses OFPFF_EMERG from a slice
# with FLOW_MOD_FAILED/EPERM unless the slice's configuration says
# "allow_emergency": true (issue 12, item 10).  Slice "a" (not allowed)
# is refused and nothing reaches the switch; slice "b" (allowed) gets its
# emergency flow through, confined to its flowspace.
# Scripted switch and controllers (ofpeer.py); no root.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/switch-common.sh"
. "$(dirname "$0")/slice-lib.sh"
require_slicer

APORT=$(free_port); BPORT=$(free_port); SPORT=$(free_port)
cat >"$T/slices.json" <<JSON
{"slices": [
  {"name": "a", "controller": "tcp:127.0.0.1:$APORT", "ports": [1],
   "flowspace": [{"match": "dl_vlan=10"}]},
  {"name": "b", "controller": "tcp:127.0.0.1:$BPORT", "ports": [2],
   "flowspace": [{"match": "dl_vlan=20"}], "allow_emergency": true}
]}
JSON
slicer_start "" --listen "ptcp:$SPORT:127.0.0.1" --config "$T/slices.json"
FR=$(features_reply_hex 0xa 2)

ofpeer --connect "$SPORT" --timeout 40 --log "$T/sw.log" hello send "$FR" serve >/dev/null 2>&1 &
swpid=$!
on_exit "kill $swpid 2>/dev/null"
# OFPFF_EMERG = 4.
ofpeer --listen "$APORT" --timeout 20 --log "$T/a.log" hello flow-mod flags=4,output=1 \
    expect-error 3 2 >"$T/a.out" 2>&1 || fail "a's emergency flow not refused: $(cat "$T/a.out")"
slice stats a | grep -q "emerg_refused *1$" || fail "not counted: $(slice stats a)"
ofpeer --listen "$BPORT" --timeout 20 --log "$T/b.log" hello flow-mod flags=4,output=2 \
    serve >"$T/b.out" 2>&1 &
bpid=$!
on_exit "kill $bpid 2>/dev/null"
wait_log "$T/sw.log" "recv FLOW_MOD" 20 || fail "b's emergency flow did not reach the switch"
sleep 0.5
kill $bpid
grep -q "recv ERROR" "$T/b.log" && fail "b was refused: $(cat "$T/b.log")"
n=$(grep -c "recv FLOW_MOD" "$T/sw.log")
[ "$n" = 1 ] || fail "the switch got $n FLOW_MODs (a's must not arrive): $(cat "$T/sw.log")"
# The one FLOW_MOD is b's: VLAN 20, flags EMERG|SEND_FLOW_REM, output 2.
python3 - "$T/sw.log" <<'PY' || fail "wrong FLOW_MOD: $(grep FLOW_MOD "$T/sw.log")"
import struct, sys
line = [l for l in open(sys.argv[1]) if "recv FLOW_MOD" in l][0]
body = bytes.fromhex(line.split("data=")[1].split()[0])
wildcards, = struct.unpack("!I", body[:4])
vlan, = struct.unpack("!H", body[18:20])
flags, = struct.unpack("!H", body[62:64])
port, = struct.unpack("!H", body[68:70])
assert not wildcards & 2 and vlan == 20, (hex(wildcards), vlan)
assert flags & 4, flags
assert port == 2, port
PY
slice show b | grep -q "allowed emergency flows" || fail "slice show b: $(slice show b)"
slicer_check
pass
