#!/bin/bash
# slice-tls-identity — the slicer binds each slice to its controller's
# certificate identity (issue 7).  One CA from `plural pki`; certificates
# for slice "ip" (ctl-ip), slice "clean" (ctl-clean) and one naming no
# slice (ctl-none).  plural-switchd --ssl--> plural-slicer --ssl--> slice
# "clean"'s controller (plural-controller, l2 app):
#   1. pointed at a controller holding ctl-ip: refused (log, counter,
#      `plural slice show`), the controller never gets the switch;
#   2. a controller whose certificate names no slice: refused the same way;
#   3. a TLS server presenting no certificate: the TLS handshake fails;
#   4. its own certificate (ctl-clean): accepted, the l2 app installs flows.
# No root: dummy ports, frames injected from the switch's control socket.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/switch-common.sh"
. "$(dirname "$0")/slice-lib.sh"
require_switchd
require_slicer
CONTROLLER=$PLURAL_BUILD/src/controller/plural-controller
[ -x "$CONTROLLER" ] || skip "no $CONTROLLER"
require_cmd openssl

ca=$T/ca
"$PLURAL" pki init --dir "$ca" >/dev/null || fail "pki init"
for c in "switch" "slicer" "ctl-none" "ctl-ip --slice ip" "ctl-clean --slice clean"; do
    "$PLURAL" pki req+sign $c --dir "$ca" >/dev/null || fail "req+sign $c"
done
tls() { echo "--private-key $ca/$1-privkey.pem --certificate $ca/$1-cert.pem --ca-cert $ca/cacert.pem"; }

# start_controller NAME CERT: plural-controller (l2) on pssl:0; sets $cport.
start_controller() {
    "$CONTROLLER" --app l2 --listen pssl:0:127.0.0.1 --ctl "$T/$1.ctl" $(tls "$2") \
        >"$T/$1.log" 2>&1 &
    on_exit "kill $! 2>/dev/null"
    wait_for 10 grep -q "listening on TCP port" "$T/$1.log" || fail "$1 did not start: $(cat "$T/$1.log")"
    cport=$(sed -n 's/.*listening on TCP port \([0-9]*\).*/\1/p' "$T/$1.log" | head -n1)
}
ctl_show() { "$PLURAL" ctl --ctl "$T/$1.ctl" show; }
refused() { slice --json show clean | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["counters"]["identity_refused"])'; }

start_controller ipctl ctl-ip
ipport=$cport
start_controller nonectl ctl-none
noneport=$cport
start_controller cleanctl ctl-clean
cleanport=$cport

cat >"$T/slices.json" <<EOT
{"slices": [
  {"name": "clean", "controller": "ssl:127.0.0.1:$ipport", "ports": [1, 2],
   "flowspace": [{"match": "dl_vlan=0xffff", "priority": 100, "perms": "rw"}]}
]}
EOT
slicer_start "" --listen pssl:0:127.0.0.1 --config "$T/slices.json" --state "$T/state.json" \
    $(tls slicer)
wait_for 10 grep -q "listening for switches on TCP port" "$T/slicer.log" ||
    fail "slicer did not start: $(cat "$T/slicer.log")"
sport=$(sed -n 's/.*listening for switches on TCP port \([0-9]*\).*/\1/p' "$T/slicer.log" | head -n1)
switchd_start s --port dummy:p1 --port dummy:p2 $(tls switch) \
    --controller "ssl:127.0.0.1:$sport" --fail-mode secure
wait_for 10 sh -c "'$PLURAL' switch --ctl '$T/s.ctl' show | grep -q 'ssl:127.0.0.1:$sport: ACTIVE'" ||
    fail "switch not connected to the slicer over TLS: $(sw s show)"

# 1. Another slice's certificate.
wait_log "$T/slicer.log" "slice clean: controller ssl:127.0.0.1:$ipport refused .*certificate cn=ctl-ip is for slice ip" ||
    fail "no refusal of ctl-ip logged: $(cat "$T/slicer.log")"
refused_twice() { [ "$(refused)" -ge 2 ]; }
wait_for 10 refused_twice || fail "identity_refused did not count the retries: $(slice show clean)"
out=$(slice show clean) || fail "slice show failed"
echo "$out" | grep -Eq "identity_refused +[1-9]" || fail "show lacks the counter: $out"
echo "$out" | grep -q "last refused controller: ssl:127.0.0.1:$ipport: certificate cn=ctl-ip is for slice ip" ||
    fail "show lacks the refusal: $out"
echo "$out" | grep -q "controller ssl:127.0.0.1:$ipport not connected" || fail "shown as connected: $out"
ctl_show ipctl | grep -q "switches: 0 up" || fail "ctl-ip's controller has the switch: $(ctl_show ipctl)"
# Refused repeatedly with back-off, never reaching the switch.
sw s dump-flows | grep -q actions= && fail "flows installed while refused: $(sw s dump-flows)"

# 2. A certificate from the CA that names no slice.
slice set-controller clean "ssl:127.0.0.1:$noneport" || fail "set-controller failed"
wait_log "$T/slicer.log" "controller ssl:127.0.0.1:$noneport refused .*certificate cn=ctl-none names no slice" ||
    fail "no refusal of ctl-none logged: $(tail -n 20 "$T/slicer.log")"
ctl_show nonectl | grep -q "switches: 0 up" || fail "ctl-none's controller has the switch: $(ctl_show nonectl)"

# 3. No certificate at all: refused by the TLS layer (handshake).
nport=$(free_port)
openssl s_server -quiet -nocert -accept "$nport" -naccept 50 </dev/null >"$T/nocert.log" 2>&1 &
on_exit "kill $! 2>/dev/null"
wait_for 10 listening "$nport" || fail "openssl s_server did not start: $(cat "$T/nocert.log")"
slice set-controller clean "ssl:127.0.0.1:$nport" || fail "set-controller failed"
wait_log "$T/slicer.log" "ssl:127.0.0.1:$nport: TLS handshake failed" ||
    fail "handshake with a certificate-less server did not fail: $(tail -n 20 "$T/slicer.log")"
slice show clean | grep -q "controller ssl:127.0.0.1:$nport not connected" ||
    fail "certificate-less controller shown as connected: $(slice show clean)"
# The counter is read only once the move has taken effect (a retry to the
# previous controller may still have been refused just before), then must
# stay put across further failed handshakes with the new one.
handshake_failures() { grep -c "ssl:127.0.0.1:$nport: TLS handshake failed" "$T/slicer.log"; }
before=$(refused)
seen=$(handshake_failures)
wait_for 20 sh -c "[ \$(grep -c 'ssl:127.0.0.1:$nport: TLS handshake failed' '$T/slicer.log') -gt $seen ]" ||
    fail "no further handshake attempt with the certificate-less server"
[ "$(refused)" = "$before" ] || fail "identity counter moved without a handshake"

# 4. Its own certificate: accepted; the l2 app installs flows through the slicer.
slice set-controller clean "ssl:127.0.0.1:$cleanport" || fail "set-controller failed"
wait_for 10 sh -c "'$PLURAL' ctl --ctl '$T/cleanctl.ctl' show | grep -q 'switches: 1 up'" ||
    fail "clean's own controller did not get the switch: $(ctl_show cleanctl); $(tail -n 20 "$T/slicer.log")"
slice show clean | grep -q "controller ssl:127.0.0.1:$cleanport connected (certificate cn=ctl-clean)" ||
    fail "show does not name the accepted certificate: $(slice show clean)"
a=$(frame udp 02:00:00:00:00:01 02:00:00:00:00:02 10.0.0.1 10.0.0.2 1 2)
b=$(frame udp 02:00:00:00:00:02 02:00:00:00:00:01 10.0.0.2 10.0.0.1 2 1)
sw s inject 1 "$a"; sw s inject 2 "$b"; sw s inject 1 "$a"
wait_for 10 sh -c "'$PLURAL' switch --ctl '$T/s.ctl' dump-flows | grep -q actions=output" ||
    fail "no flow from clean's controller: $(sw s dump-flows); slicer: $(tail -n 20 "$T/slicer.log")"
ctl_show ipctl | grep -q "switches: 0 up" || fail "ctl-ip's controller got a switch: $(ctl_show ipctl)"
slicer_check
finish
