#!/bin/bash
# slice-switch-identity — optional certificate identity for switches
# (issue 12, item 8): with --switch-identity, a "switch" connecting to the
# slicer's pssl: listener with a slice controller's certificate (it names
# slice "a") is refused before any connection to the slices' controllers;
# a switch with a certificate that names no slice is served, its CN shown
# by `plural slice switches`.  No root: plural-switchd over dummy ports,
# ofpeer.py as the slice's controller.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/switch-common.sh"
. "$(dirname "$0")/slice-lib.sh"
require_switchd
require_slicer

ca=$T/ca
"$PLURAL" pki init --dir "$ca" >/dev/null || fail "pki init"
for c in "switch1" "slicer" "ctl-a --slice a"; do
    "$PLURAL" pki req+sign $c --dir "$ca" >/dev/null || fail "req+sign $c"
done
tls() { echo "--private-key $ca/$1-privkey.pem --certificate $ca/$1-cert.pem --ca-cert $ca/cacert.pem"; }

APORT=$(free_port); SPORT=$(free_port)
cat >"$T/slices.json" <<JSON
{"slices": [{"name": "a", "controller": "tcp:127.0.0.1:$APORT", "flowspace": [{"match": "dl_vlan=10"}]}]}
JSON
ofpeer --listen "$APORT" --timeout 30 --log "$T/a.log" hello serve >/dev/null 2>&1 &
on_exit "kill $! 2>/dev/null"
slicer_start "" --listen "pssl:$SPORT:127.0.0.1" --config "$T/slices.json" \
    --switch-identity $(tls slicer)

# 1. A slice controller's certificate posing as a switch.
switchd_start fake --dpid 0x66 --port dummy:f1 $(tls ctl-a) \
    --controller "ssl:127.0.0.1:$SPORT" --fail-mode secure
wait_log "$T/slicer.log" "switch .* refused: certificate cn=ctl-a is for slice a" 20 ||
    fail "the fake switch was not refused: $(tail -n 20 "$T/slicer.log")"
grep -q "slice a: controller .* connected for switch 0000000000000066" "$T/slicer.log" &&
    fail "a controller connection was opened for the fake switch"
slice switches | grep -q 0000000000000066 && fail "fake switch listed: $(slice switches)"
kill_pidfile "$T/fake.pid"

# 2. A switch's own certificate: served, CN shown.
switchd_start s --dpid 0x7 --port dummy:p1 $(tls switch1) \
    --controller "ssl:127.0.0.1:$SPORT" --fail-mode secure
wait_for 20 slice_up a 1 || fail "slice a not connected for the switch: $(slice list)"
slice switches | grep -q "dpid 0000000000000007 from .*(certificate cn=switch1): ready" ||
    fail "switch not shown with its CN: $(slice switches)"
slicer_check
finish
