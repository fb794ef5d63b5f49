#!/bin/sh
# trust-pki: `plural pki` makes a CA and certificates that OpenSSL's own
# `openssl verify` accepts (and rejects across CAs); keys are 0600; the
# slice identity is in the certificate; show describes without leaking keys.
. "$(dirname "$0")/../lib/common.sh"
require_cmd openssl
[ -x "$PLURAL" ] || skip "no $PLURAL (build first)"

ca=$T/ca
"$PLURAL" pki init --dir "$ca" >"$T/init.out" || fail "pki init"
[ "$(stat -c %a "$ca/cakey.pem")" = 600 ] || fail "CA key mode $(stat -c %a "$ca/cakey.pem")"
[ "$(stat -c %a "$ca")" = 700 ] || fail "CA dir mode"
"$PLURAL" pki init --dir "$ca" 2>"$T/again.err" && fail "second init replaced the CA"
grep -q "exists" "$T/again.err" || fail "second init: $(cat "$T/again.err")"

"$PLURAL" pki req+sign ctl-red --dir "$ca" --slice red >/dev/null || fail "req+sign ctl-red"
"$PLURAL" pki req+sign sw1 --dir "$ca" --out "$T/sw" --days 30 >/dev/null || fail "req+sign sw1"
[ "$(stat -c %a "$ca/ctl-red-privkey.pem")" = 600 ] || fail "key mode"
[ "$(stat -c %a "$T/sw/sw1-privkey.pem")" = 600 ] || fail "key mode (--out)"

# Separate request and signature (the key never leaves its owner).
"$PLURAL" pki req ctl-blue --out "$T/blue" --slice blue >/dev/null || fail "req"
[ ! -e "$T/blue/ctl-blue-cert.pem" ] || fail "req made a certificate"
"$PLURAL" pki sign ctl-blue --dir "$ca" --out "$T/blue" >/dev/null || fail "sign"

for c in "$ca/ctl-red-cert.pem" "$T/sw/sw1-cert.pem" "$T/blue/ctl-blue-cert.pem"; do
    openssl verify -CAfile "$ca/cacert.pem" -purpose sslclient "$c" >"$T/verify.out" 2>&1 \
        || fail "openssl verify (client) $c: $(cat "$T/verify.out")"
    openssl verify -CAfile "$ca/cacert.pem" -purpose sslserver "$c" >/dev/null 2>&1 \
        || fail "openssl verify (server) $c"
done
openssl x509 -in "$ca/ctl-red-cert.pem" -noout -ext subjectAltName | grep -q "URI:urn:plural:slice:red" \
    || fail "no slice URI in ctl-red's certificate"
openssl x509 -in "$ca/ctl-red-cert.pem" -noout -subject | grep -q "OU = red, CN = ctl-red" \
    || fail "subject: $(openssl x509 -in "$ca/ctl-red-cert.pem" -noout -subject)"
openssl x509 -in "$T/blue/ctl-blue-cert.pem" -noout -ext subjectAltName | grep -q "slice:blue" \
    || fail "sign lost the request's slice"
openssl pkey -in "$ca/ctl-red-privkey.pem" -noout -text 2>/dev/null | grep -q "prime256v1" \
    || fail "key is not P-256"

# Another CA's certificate does not verify against ours.
"$PLURAL" pki init --dir "$T/evil" --cn "evil CA" >/dev/null || fail "second CA"
"$PLURAL" pki req+sign ctl-red --dir "$T/evil" --slice red >/dev/null || fail "evil req+sign"
openssl verify -CAfile "$ca/cacert.pem" "$T/evil/ctl-red-cert.pem" >/dev/null 2>&1 \
    && fail "a certificate from another CA verified"

# show: identity, key type, no key material.
"$PLURAL" pki show "$ca/ctl-red-cert.pem" "$ca/ctl-red-privkey.pem" >"$T/show.out" || fail "show"
grep -q "identity:    cn=ctl-red slice=red" "$T/show.out" || fail "show: $(cat "$T/show.out")"
grep -q "CA:          no" "$T/show.out" || fail "show: CA flag"
grep -q "BEGIN" "$T/show.out" && fail "show printed PEM"
"$PLURAL" pki show "$ca/cacert.pem" | grep -q "CA:          yes (self-signed)" || fail "show CA"

# Usage errors exit 2, failures 1.
"$PLURAL" pki req+sign "bad name" --dir "$ca" 2>/dev/null; [ $? -eq 1 ] || fail "bad name not refused"
"$PLURAL" pki sign x 2>/dev/null; [ $? -eq 2 ] || fail "sign without --dir: not a usage error"
"$PLURAL" pki show "$T/init.out" 2>/dev/null; [ $? -eq 1 ] || fail "show of a non-PEM file"
pass
