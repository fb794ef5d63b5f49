#!/bin/bash
# trust-tls-daemons: plural-switchd and plural-controller over TLS with
# certificates from `plural pki` (no root, dummy ports).  The l2 controller
# on pssl: gets the switch on ssl: and installs flows; a controller whose
# certificate comes from another CA never becomes the switch's controller;
# on the switch's pssl: management port, a peer with our CA's certificate
# gets echo replies while one from another CA and a plain TCP one are
# refused.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/switch-common.sh"
require_switchd
CONTROLLER=$PLURAL_BUILD/src/controller/plural-controller
TLS_PEER=${TLS_PEER:-$PLURAL_BUILD/tests/integration/trust/tls-peer}
[ -x "$CONTROLLER" ] || skip "no $CONTROLLER"
[ -x "$TLS_PEER" ] || skip "no $TLS_PEER"
"$CONTROLLER" --help | grep -q -- --private-key || skip "plural-controller has no TLS options"

ca=$T/ca evil=$T/evil
"$PLURAL" pki init --dir "$ca" >/dev/null || fail "pki init"
for n in switch ctl mgmt; do
    "$PLURAL" pki req+sign $n --dir "$ca" >/dev/null || fail "req+sign $n"
done
"$PLURAL" pki init --dir "$evil" --cn "evil CA" >/dev/null || fail "pki init evil"
"$PLURAL" pki req+sign ctl --dir "$evil" >/dev/null || fail "req+sign evil ctl"
tls() { echo "--private-key $1/$2-privkey.pem --certificate $1/$2-cert.pem --ca-cert $1/cacert.pem"; }

# start_controller NAME CERTS: plural-controller (l2) on pssl:0; sets $cport.
start_controller() {
    "$CONTROLLER" --app l2 --listen pssl:0:127.0.0.1 --ctl "$T/$1.ctl" $2 \
        --log-level dbg >"$T/$1.log" 2>&1 &
    on_exit "kill $! 2>/dev/null"
    wait_for 10 grep -q "listening on TCP port" "$T/$1.log" || fail "$1 did not start: $(cat "$T/$1.log")"
    cport=$(sed -n 's/.*listening on TCP port \([0-9]*\).*/\1/p' "$T/$1.log" | head -n1)
}
start_controller good "$(tls "$ca" ctl)"
good=$cport
start_controller evil "$(tls "$evil" ctl)"
bad=$cport
m=$(free_port)

switchd_start s --port dummy:p1 --port dummy:p2 $(tls "$ca" switch) \
    --controller "ssl:127.0.0.1:$good" --controller "ssl:127.0.0.1:$bad" \
    --listen "pssl:$m:127.0.0.1" --fail-mode secure
wait_for 10 sh -c "'$PLURAL' switch --ctl '$T/s.ctl' show | grep -q 'ssl:127.0.0.1:$good: ACTIVE'" ||
    fail "no TLS connection to the good controller: $(sw s show)"

# The l2 controller works over TLS: it learns both hosts and installs flows.
a=$(frame udp 02:00:00:00:00:01 02:00:00:00:00:02 10.0.0.1 10.0.0.2 1 2)
b=$(frame udp 02:00:00:00:00:02 02:00:00:00:00:01 10.0.0.2 10.0.0.1 2 1)
sw s inject 1 "$a"; sw s inject 2 "$b"; sw s inject 1 "$a"
wait_for 10 sh -c "'$PLURAL' switch --ctl '$T/s.ctl' dump-flows | grep -q actions=output" ||
    fail "the TLS controller installed no flow: $(sw s dump-flows)"

# The switch refuses the other CA's controller (and the controller the switch).
wait_for 10 grep -q "ssl:127.0.0.1:$bad: TLS handshake failed" "$T/s.log" ||
    fail "switch log does not show the refused handshake: $(cat "$T/s.log")"
sw s show | grep -q "ssl:127.0.0.1:$bad: ACTIVE" && fail "the other CA's controller is ACTIVE"
"$PLURAL" ctl --ctl "$T/evil.ctl" show >"$T/evil.show" 2>&1 || fail "plural ctl show: $(cat "$T/evil.show")"
grep -q "switches: 0 up" "$T/evil.show" || fail "the other CA's controller has a switch: $(cat "$T/evil.show")"

# Management port: ours in, the other CA's and plain TCP out.
"$TLS_PEER" client "ssl:127.0.0.1:$m" $(tls "$ca" mgmt) >"$T/m1.out" 2>&1 ||
    fail "management client with our certificate: $(cat "$T/m1.out")"
grep -q "ok: 1 echoes, peer cn=switch" "$T/m1.out" || fail "management client: $(cat "$T/m1.out")"
"$TLS_PEER" client "ssl:127.0.0.1:$m" $(tls "$evil" ctl) >"$T/m2.out" 2>&1 &&
    fail "management client from another CA got through: $(cat "$T/m2.out")"
"$TLS_PEER" client "tcp:127.0.0.1:$m" >"$T/m3.out" 2>&1 &&
    fail "plain TCP management client got through: $(cat "$T/m3.out")"
sw s show | grep -q "ssl:127.0.0.1:$good: ACTIVE" || fail "good controller lost: $(sw s show)"
pass
