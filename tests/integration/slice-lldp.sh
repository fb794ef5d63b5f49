#!/bin/bash
# slice-lldp — topology discovery stays per slice: slice "a" sends an LLDP
# frame out of port 1 (outside any VLAN flowspace, allowed on its own
# ports); the slicer tags it with a trailer naming the slice; when the frame
# comes back in on port 2 the PACKET_IN goes to slice "a" only, trailer
# removed, and slice "b" (same ports) never sees it.  No root:
# plural-switchd over dummy ports, ofpeer.py as the two controllers.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/switch-common.sh"
. "$(dirname "$0")/slice-lib.sh"
require_switchd
require_slicer

APORT=$(free_port); BPORT=$(free_port); SPORT=$(free_port)
cat >"$T/slices.json" <<JSON
{"slices": [
  {"name": "a", "controller": "tcp:127.0.0.1:$APORT", "ports": [1, 2],
   "flowspace": [{"match": "dl_vlan=10"}]},
  {"name": "b", "controller": "tcp:127.0.0.1:$BPORT", "ports": [1, 2],
   "flowspace": [{"match": "dl_vlan=20"}]}
]}
JSON
# 64-byte LLDP frame: chassis id, port id, TTL, end.
LLDP=0180c200000e02000000000a88cc0207046e6f6465310403056731000602007800000000000000000000000000000000000000000000000000000000000000
ofpeer --listen "$APORT" --timeout 20 --log "$T/a.log" hello \
    packet-out 0xffff 1 "$LLDP" expect PACKET_IN "data=$LLDP" &
apid=$!
ofpeer --listen "$BPORT" --timeout 20 --log "$T/b.log" hello serve &
bpid=$!
on_exit "kill $apid $bpid 2>/dev/null"
slicer_start "" --listen "ptcp:$SPORT:127.0.0.1" --config "$T/slices.json"
switchd_start s --dpid 0x7 --port dummy:lp1 --port dummy:lp2 --fail-mode secure \
    --controller "tcp:127.0.0.1:$SPORT"
wait_for 20 slice_up a 1 || fail "slice a not connected: $(slice list)"

wait_for 10 sh -c "'$PLURAL' switch --ctl '$T/s.ctl' pop-sent 1 >'$T/out1'; [ -s '$T/out1' ]" ||
    fail "the LLDP frame did not leave port 1"
sent=$(head -n1 "$T/out1")
case "$sent" in
    "$LLDP"?*) ;;
    *) fail "port 1 sent $sent" ;;
esac
trailer=${sent#"$LLDP"}
[ "$trailer" = "6101504c534c" ] || fail "trailer is $trailer, expected a, 1, PLSL"
sw s inject 2 "$sent" || fail "inject failed"
wait $apid || fail "slice a did not get its LLDP back: $(cat "$T/a.log")"
grep -q "recv PACKET_IN.*in_port=2" "$T/a.log" || fail "a: $(cat "$T/a.log")"
# The slicer counts deliveries as it makes them (both in one go): b got none.
slice stats b | grep -q "packet_ins *0$" || fail "slice b saw slice a's LLDP: $(slice stats b)"
slice stats a | grep -q "packet_ins *1$" || fail "slice a: $(slice stats a)"
grep -q "recv PACKET_IN" "$T/b.log" && fail "slice b saw slice a's LLDP: $(cat "$T/b.log")"
slicer_check
finish
