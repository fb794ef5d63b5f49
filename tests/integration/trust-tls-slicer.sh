#!/bin/bash
# trust-tls-slicer: the whole control path over TLS, certificates from
# `plural pki` (no root, dummy ports): plural-switchd --ssl--> plural-slicer
# --ssl--> plural-controller (l2) for slice "red"; the l2 app installs flows
# through the slicer.  Slice "blue"'s controller has a certificate from
# another CA: the slicer refuses it and blue gets no switch.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/switch-common.sh"
require_switchd
CONTROLLER=$PLURAL_BUILD/src/controller/plural-controller
SLICER=$PLURAL_BUILD/src/slicer/plural-slicer
[ -x "$CONTROLLER" ] || skip "no $CONTROLLER"
[ -x "$SLICER" ] || skip "no $SLICER"
"$SLICER" --help | grep -q -- --private-key || skip "plural-slicer has no TLS options"
"$CONTROLLER" --help | grep -q -- --private-key || skip "plural-controller has no TLS options"

ca=$T/ca evil=$T/evil
"$PLURAL" pki init --dir "$ca" >/dev/null || fail "pki init"
"$PLURAL" pki req+sign switch --dir "$ca" >/dev/null || fail "req+sign switch"
"$PLURAL" pki req+sign slicer --dir "$ca" >/dev/null || fail "req+sign slicer"
"$PLURAL" pki req+sign ctl-red --dir "$ca" --slice red >/dev/null || fail "req+sign ctl-red"
"$PLURAL" pki init --dir "$evil" --cn "evil CA" >/dev/null || fail "pki init evil"
"$PLURAL" pki req+sign ctl-blue --dir "$evil" --slice blue >/dev/null || fail "req+sign evil"
tls() { echo "--private-key $1/$2-privkey.pem --certificate $1/$2-cert.pem --ca-cert $1/cacert.pem"; }

# start_controller NAME CERTS: plural-controller (l2) on pssl:0; sets $cport.
start_controller() {
    "$CONTROLLER" --app l2 --listen pssl:0:127.0.0.1 --ctl "$T/$1.ctl" $2 >"$T/$1.log" 2>&1 &
    on_exit "kill $! 2>/dev/null"
    wait_for 10 grep -q "listening on TCP port" "$T/$1.log" || fail "$1 did not start: $(cat "$T/$1.log")"
    cport=$(sed -n 's/.*listening on TCP port \([0-9]*\).*/\1/p' "$T/$1.log" | head -n1)
}
start_controller red "$(tls "$ca" ctl-red)"
red=$cport
start_controller blue "$(tls "$evil" ctl-blue)"
blue=$cport

cat >"$T/slices.json" <<EOT
{"slices": [
  {"name": "red", "controller": "ssl:127.0.0.1:$red", "ports": [1, 2],
   "flowspace": [{"match": "dl_vlan=0xffff", "priority": 100, "perms": "rw"}]},
  {"name": "blue", "controller": "ssl:127.0.0.1:$blue", "ports": [1, 2],
   "flowspace": [{"match": "dl_vlan=20", "priority": 100, "perms": "rw"}]}
]}
EOT
"$SLICER" --listen pssl:0:127.0.0.1 --config "$T/slices.json" --state "$T/state.json" \
    --ctl "$T/slicer.ctl" $(tls "$ca" slicer) >"$T/slicer.log" 2>&1 &
on_exit "kill $! 2>/dev/null"
wait_for 10 grep -q "listening for switches on TCP port" "$T/slicer.log" ||
    fail "slicer did not start: $(cat "$T/slicer.log")"
sport=$(sed -n 's/.*listening for switches on TCP port \([0-9]*\).*/\1/p' "$T/slicer.log" | head -n1)

switchd_start s --port dummy:p1 --port dummy:p2 $(tls "$ca" switch) \
    --controller "ssl:127.0.0.1:$sport" --fail-mode secure
wait_for 10 sh -c "'$PLURAL' switch --ctl '$T/s.ctl' show | grep -q 'ssl:127.0.0.1:$sport: ACTIVE'" ||
    fail "switch not connected to the slicer over TLS: $(sw s show)"
wait_for 10 sh -c "'$PLURAL' ctl --ctl '$T/red.ctl' show | grep -q 'switches: 1 up'" ||
    fail "red's controller did not get the switch through the slicer: $("$PLURAL" ctl --ctl "$T/red.ctl" show)"

# Untagged traffic is red's: its l2 app installs flows through the slicer.
a=$(frame udp 02:00:00:00:00:01 02:00:00:00:00:02 10.0.0.1 10.0.0.2 1 2)
b=$(frame udp 02:00:00:00:00:02 02:00:00:00:00:01 10.0.0.2 10.0.0.1 2 1)
sw s inject 1 "$a"; sw s inject 2 "$b"; sw s inject 1 "$a"
wait_for 10 sh -c "'$PLURAL' switch --ctl '$T/s.ctl' dump-flows | grep -q actions=output" ||
    fail "no flow from red's controller: $(sw s dump-flows); slicer: $(tail -n 20 "$T/slicer.log")"

# Blue's controller (other CA) is refused by the slicer.
wait_for 10 grep -q "ssl:127.0.0.1:$blue: TLS handshake failed" "$T/slicer.log" ||
    fail "slicer log does not show blue's refused handshake: $(cat "$T/slicer.log")"
"$PLURAL" ctl --ctl "$T/blue.ctl" show | grep -q "switches: 0 up" ||
    fail "blue's controller (other CA) has a switch: $("$PLURAL" ctl --ctl "$T/blue.ctl" show)"
pass
