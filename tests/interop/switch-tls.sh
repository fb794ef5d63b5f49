#!/bin/bash
# switch-tls — plural-switchd over TLS with Open vSwitch's peers: a controller
# reached at ssl:IP:PORT (ovs-testcontroller on pssl:) and a management
# listener on pssl: used by ovs-ofctl over ssl:, with certificates from
# `plural pki` (mutual authentication); a client without a certificate from
# the CA is refused.  No root.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/switch-common.sh"
require_cmd ovs-ofctl ovs-testcontroller
require_switchd
"$PLURAL" pki --help >/dev/null 2>&1 || skip "plural pki is not built"

ca=$T/pki
"$PLURAL" pki init --dir "$ca" --cn test-ca >/dev/null || fail "pki init failed"
for n in switch controller ofctl; do
    "$PLURAL" pki req+sign "$n" --dir "$ca" >/dev/null || fail "pki req+sign $n failed"
done
other=$T/other
"$PLURAL" pki init --dir "$other" --cn other-ca >/dev/null &&
    "$PLURAL" pki req+sign intruder --dir "$other" >/dev/null || fail "second CA failed"
tls() { echo "--private-key $1/$2-privkey.pem --certificate $1/$2-cert.pem --ca-cert $1/cacert.pem"; }

c=$(free_port); m=$(free_port)
ovs-testcontroller -O OpenFlow10 $(tls "$ca" controller) "pssl:$c:127.0.0.1" \
    --pidfile="$T/ctl.pid" --unixctl="$T/controller.ctl" --detach --log-file="$T/controller.log" ||
    fail "ovs-testcontroller (TLS) did not start"
on_exit "kill_pidfile $T/ctl.pid"
switchd_start s --port dummy:p1 --port dummy:p2 $(tls "$ca" switch) \
    --controller "ssl:127.0.0.1:$c" --listen "pssl:$m:127.0.0.1"
wait_for 10 sh -c "'$PLURAL' switch --ctl '$T/s.ctl' show | grep -q 'ssl:127.0.0.1:$c: ACTIVE'" ||
    fail "no TLS connection to the controller: $(sw s show)"

# Traffic through the controller over TLS: it installs a flow.
a=$(frame udp 02:00:00:00:00:01 02:00:00:00:00:02 10.0.0.1 10.0.0.2 1 2)
b=$(frame udp 02:00:00:00:00:02 02:00:00:00:00:01 10.0.0.2 10.0.0.1 2 1)
sw s inject 1 "$a"; sw s inject 2 "$b"; sw s inject 1 "$a"
wait_for 10 sh -c "'$PLURAL' switch --ctl '$T/s.ctl' dump-flows | grep -q actions=output" ||
    fail "the TLS controller installed no flow"

# ovs-ofctl over TLS on the management listener.
ovs-ofctl -O OpenFlow10 $(tls "$ca" ofctl) add-flow "ssl:127.0.0.1:$m" "priority=7,in_port=2,actions=output:1" ||
    fail "ovs-ofctl add-flow over TLS failed"
ovs-ofctl -O OpenFlow10 $(tls "$ca" ofctl) dump-flows "ssl:127.0.0.1:$m" >"$T/dump" 2>&1 ||
    fail "ovs-ofctl dump-flows over TLS failed: $(cat "$T/dump")"
grep -q 'priority=7,in_port=2 actions=output:1' "$T/dump" || fail "dump-flows over TLS: $(cat "$T/dump")"

# A client whose certificate comes from another CA is refused.
if timeout 10 ovs-ofctl -O OpenFlow10 $(tls "$other" intruder) dump-flows "ssl:127.0.0.1:$m" \
        >"$T/intruder" 2>&1; then
    fail "a certificate from another CA was accepted"
fi
finish
