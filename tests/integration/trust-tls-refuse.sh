#!/bin/sh
# trust-tls-refuse: OpenFlow over TLS with mutual authentication (lib/net
# ssl/pssl, certificates from `plural pki`).  A peer with a certificate from
# our CA gets through and its identity (CN, slice) is known; a client
# without a certificate, with a certificate from another CA, or speaking
# plain TCP is refused; a client refuses a server from another CA.
. "$(dirname "$0")/../lib/common.sh"
TLS_PEER=${TLS_PEER:-$PLURAL_BUILD/tests/integration/trust/tls-peer}
[ -x "$PLURAL" ] || skip "no $PLURAL (build first)"
[ -x "$TLS_PEER" ] || skip "no $TLS_PEER (build first)"

ca=$T/ca evil=$T/evil
"$PLURAL" pki init --dir "$ca" >/dev/null || fail "pki init"
"$PLURAL" pki req+sign switch --dir "$ca" >/dev/null || fail "req+sign switch"
"$PLURAL" pki req+sign ctl-red --dir "$ca" --slice red >/dev/null || fail "req+sign ctl-red"
"$PLURAL" pki init --dir "$evil" --cn "evil CA" >/dev/null || fail "pki init evil"
"$PLURAL" pki req+sign ctl-red --dir "$evil" --slice red >/dev/null || fail "req+sign evil"
"$PLURAL" pki req+sign switch --dir "$evil" >/dev/null || fail "req+sign evil switch"
tls() { echo "--private-key $1/$2-privkey.pem --certificate $1/$2-cert.pem --ca-cert $1/cacert.pem"; }

# start_server LOG COUNT CERTS: a tls-peer server on a free port; sets $port.
start_server() {
    "$TLS_PEER" server pssl:0:127.0.0.1 --count "$2" $3 >"$T/$1" 2>&1 &
    on_exit "kill $! 2>/dev/null"
    wait_for 10 grep -q '^listening' "$T/$1" || fail "server did not start: $(cat "$T/$1")"
    port=$(sed -n 's/^listening //p' "$T/$1")
}
# server_says LOG N PATTERN: the N-th connection line of LOG matches PATTERN.
server_says() {
    wait_for 10 sh -c "grep -E '^(accepted|refused)' '$T/$1' | sed -n '$2p' | grep -q ." \
        || fail "server saw no connection $2: $(cat "$T/$1")"
    grep -E '^(accepted|refused)' "$T/$1" | sed -n "$2p" | grep -Eq "$3" \
        || fail "connection $2: expected /$3/, server log: $(cat "$T/$1")"
}

start_server server.log 4 "$(tls "$ca" switch)"

# 1. Our CA's controller: accepted, echoes answered, identities both ways.
"$TLS_PEER" client "ssl:127.0.0.1:$port" --echoes 3 $(tls "$ca" ctl-red) >"$T/c1.out" 2>&1 \
    || fail "good client: $(cat "$T/c1.out")"
grep -q "ok: 3 echoes, peer cn=switch" "$T/c1.out" || fail "good client: $(cat "$T/c1.out")"
server_says server.log 1 "^accepted ssl:127.0.0.1:[0-9]+ cn=ctl-red slice=red$"

# 2. No client certificate (openssl s_client offers none): refused.
if command -v openssl >/dev/null 2>&1; then
    printf '\001\000\000\010\000\000\000\001' | timeout 10 openssl s_client -quiet \
        -connect "127.0.0.1:$port" -CAfile "$ca/cacert.pem" >"$T/c2.out" 2>&1
    server_says server.log 2 "^refused"
    grep -q "certificate required\|alert" "$T/c2.out" || log "note: s_client said: $(cat "$T/c2.out")"
    n=3
else
    log "openssl missing: no-certificate case not run"
    n=2
fi

# 3. A certificate with the same CN and slice from another CA: refused.
"$TLS_PEER" client "ssl:127.0.0.1:$port" $(tls "$evil" ctl-red) >"$T/c3.out" 2>&1 \
    && fail "client from another CA got through: $(cat "$T/c3.out")"
server_says server.log $n "^refused"

# 4. Plain TCP OpenFlow to the TLS port: refused.
"$TLS_PEER" client "tcp:127.0.0.1:$port" >"$T/c4.out" 2>&1 \
    && fail "plain TCP client got echo replies: $(cat "$T/c4.out")"
server_says server.log $((n + 1)) "^refused"

# 5. The client refuses a server whose certificate is from another CA.
start_server evil.log 1 "$(tls "$evil" switch)"
"$TLS_PEER" client "ssl:127.0.0.1:$port" $(tls "$ca" ctl-red) >"$T/c5.out" 2>&1 \
    && fail "client accepted a server from another CA: $(cat "$T/c5.out")"
grep -q "^failed: connect" "$T/c5.out" || fail "client 5: $(cat "$T/c5.out")"
server_says evil.log 1 "^refused"
pass
