#!/bin/bash
# slice-port-mod — a slice may change a port's configuration (PORT_MOD)
# only if it owns the port alone (issue 12, item 9): with slices "a" and
# "b" both on every port (docs/slicer.md's example), a's PORT_MOD with
# PORT_DOWN on port 1 is refused with BAD_REQUEST/EPERM and never reaches
# the switch; once b is moved to port 2 only (slice set, at run time),
# port 1 is a's alone and the same PORT_MOD goes through.
# Scripted switch and controllers (ofpeer.py); no root.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/switch-common.sh"
. "$(dirname "$0")/slice-lib.sh"
require_slicer

APORT=$(free_port); BPORT=$(free_port); SPORT=$(free_port)
cat >"$T/slices.json" <<JSON
{"slices": [
  {"name": "a", "controller": "tcp:127.0.0.1:$APORT", "ports": "all",
   "flowspace": [{"match": "dl_vlan=10"}]},
  {"name": "b", "controller": "tcp:127.0.0.1:$BPORT", "ports": "all",
   "flowspace": [{"match": "dl_vlan=20"}]}
]}
JSON
slicer_start "" --listen "ptcp:$SPORT:127.0.0.1" --config "$T/slices.json"
FR=$(features_reply_hex 0x9 2)
# PORT_MOD port 1, hw_addr 02:00:00:00:00:01, config = mask = PORT_DOWN.
PORT_MOD=010f002000000077000102000000000100000001000000010000000000000000

ofpeer --listen "$BPORT" --timeout 40 --log "$T/b.log" hello serve >/dev/null 2>&1 &
bpid=$!
ofpeer --listen "$APORT" --timeout 20 --log "$T/a1.log" hello send "$PORT_MOD" expect-error 1 5 \
    >"$T/a1.out" 2>&1 &
apid=$!
ofpeer --connect "$SPORT" --timeout 40 --log "$T/sw.log" hello send "$FR" \
    expect PORT_MOD >"$T/sw.out" 2>&1 &
swpid=$!
on_exit "kill $apid $bpid $swpid 2>/dev/null"
wait $apid || fail "shared port: PORT_MOD not refused: $(cat "$T/a1.out")"
grep -q "recv PORT_MOD" "$T/sw.log" && fail "the switch got a PORT_MOD for a shared port"
slice stats a | grep -q "port_mod_refused *1$" || fail "not counted: $(slice stats a)"

# Port 1 becomes a's alone: the PORT_MOD is forwarded.
slice set b ports=2 >/dev/null || fail "slice set b ports=2"
ofpeer --listen "$APORT" --timeout 20 --log "$T/a2.log" hello send "$PORT_MOD" serve \
    >"$T/a2.out" 2>&1 &
a2pid=$!
on_exit "kill $a2pid 2>/dev/null"
wait $swpid || fail "the switch did not get the PORT_MOD: $(cat "$T/sw.out")"
kill $a2pid
grep -q "recv PORT_MOD.*data=000102000000000100000001000000010000000000000000" "$T/sw.log" ||
    fail "PORT_MOD changed on the way: $(cat "$T/sw.log")"
grep -q "recv ERROR" "$T/a2.log" && fail "a got an error: $(cat "$T/a2.log")"
slicer_check
pass
