#!/bin/sh
# trust-tls-tshark: tshark sees no plaintext OpenFlow on a TLS port.  In a
# private namespace, an OpenFlow exchange (HELLO, ECHO with a known payload)
# runs over ssl: and, as the control, over tcp:; both captured on lo and
# decoded with -d tcp.port==PORT,openflow.  TLS: zero OpenFlow frames, TLS
# records present (decoded as tls), the payload nowhere.  TCP: OpenFlow frames decoded (so
# the zero above means something).
. "$(dirname "$0")/../lib/common.sh"
TLS_PEER=${TLS_PEER:-$PLURAL_BUILD/tests/integration/trust/tls-peer}
require_root
require_cmd tshark ip
[ -x "$PLURAL" ] || skip "no $PLURAL (build first)"
[ -x "$TLS_PEER" ] || skip "no $TLS_PEER (build first)"

ca=$T/ca
"$PLURAL" pki init --dir "$ca" >/dev/null || fail "pki init"
"$PLURAL" pki req+sign switch --dir "$ca" >/dev/null || fail "req+sign"
"$PLURAL" pki req+sign ctl --dir "$ca" --slice red >/dev/null || fail "req+sign"
tls() { echo "--private-key $ca/$1-privkey.pem --certificate $ca/$1-cert.pem --ca-cert $ca/cacert.pem"; }

ns=$P-tls
netns_add "$ns"
chmod 755 "$T"      # tshark's dumpcap may drop privileges to write the file

# exchange KIND PSTREAM STREAM-PREFIX CERTS...: capture one connection with
# 20 echoes into $T/KIND.pcap; sets $port.
exchange() {
    kind=$1 pname=$2 prefix=$3 scert=$4 ccert=$5
    ip netns exec "$ns" "$TLS_PEER" server "$pname" $scert >"$T/$kind-server.log" 2>&1 &
    spid=$!
    on_exit "kill $spid 2>/dev/null"
    wait_for 10 grep -q '^listening' "$T/$kind-server.log" || fail "$kind server did not start"
    port=$(sed -n 's/^listening //p' "$T/$kind-server.log")
    # -P -l: packet lines on stdout as they come, to know when capture
    # really runs (probe: a refused connect to port 1) and when it has
    # seen the end of the connection (two FINs, or a FIN and a RST).
    ip netns exec "$ns" tshark -l -P -T fields -e tcp.srcport -e tcp.dstport -e tcp.flags.fin -e tcp.flags.reset -i lo -f tcp -w "$T/$kind.pcap" >"$T/$kind-live.txt" 2>"$T/$kind-tshark.log" &
    tpid=$!
    on_exit "kill $tpid 2>/dev/null"
    wait_for 20 sh -c "ip netns exec $ns '$TLS_PEER' client tcp:127.0.0.1:1 >/dev/null 2>&1; grep -q . '$T/$kind-live.txt'" \
        || fail "tshark captures nothing: $(cat "$T/$kind-tshark.log")"
    ip netns exec "$ns" "$TLS_PEER" client "$prefix:127.0.0.1:$port" --echoes 20 $ccert >"$T/$kind-client.out" 2>&1 \
        || fail "$kind client: $(cat "$T/$kind-client.out")"
    wait "$spid" 2>/dev/null
    wait_for 10 sh -c "[ \$(awk -v p=$port '(\$1 == p || \$2 == p) && (\$3 ~ /1|True/ || \$4 ~ /1|True/)' '$T/$kind-live.txt' | wc -l) -ge 2 ]" \
        || log "note: the connection's FINs not seen live in $kind capture"
    kill -INT "$tpid"
    wait "$tpid" 2>/dev/null
}
# count PCAP PORT AS FILTER: frames matching FILTER with PORT decoded as AS.
count() { tshark -r "$1" -d "tcp.port==$2,$3" -Y "$4" 2>/dev/null | wc -l; }
OF="openflow_v1 || openflow_v4 || openflow_v5 || openflow_v6"

exchange tls pssl:0:127.0.0.1 ssl "$(tls switch)" "$(tls ctl)"
tls_port=$port
exchange tcp ptcp:0:127.0.0.1 tcp "" ""
tcp_port=$port

tls_of=$(count "$T/tls.pcap" "$tls_port" openflow "$OF")
tls_records=$(count "$T/tls.pcap" "$tls_port" tls "tls.record")
tls_payload=$(count "$T/tls.pcap" "$tls_port" openflow 'frame contains "plural-trust"')
tcp_of=$(count "$T/tcp.pcap" "$tcp_port" openflow "$OF")
tcp_payload=$(count "$T/tcp.pcap" "$tcp_port" openflow 'frame contains "plural-trust"')
log "TLS port $tls_port: openflow frames $tls_of, TLS records $tls_records, payload seen $tls_payload"
log "TCP port $tcp_port: openflow frames $tcp_of, payload seen $tcp_payload"
[ "$tcp_of" -gt 0 ] || fail "tshark decoded no OpenFlow on plain TCP: the check is blind"
[ "$tcp_payload" -gt 0 ] || fail "echo payload not seen on plain TCP"
[ "$tls_records" -gt 0 ] || fail "no TLS records on the TLS port"
[ "$tls_of" -eq 0 ] || fail "$tls_of OpenFlow frames decoded on the TLS port"
[ "$tls_payload" -eq 0 ] || fail "echo payload visible on the TLS port"
pass
