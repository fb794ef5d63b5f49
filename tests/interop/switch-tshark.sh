#!/bin/bash
# switch-tshark — captures a whole session with plural-switchd (a controller,
# ovs-testcontroller, plus ovs-ofctl on the management port) and checks with
# tshark's OpenFlow 1.0 dissector that the expected message types are on the
# wire and that nothing is malformed.  Runs in its own namespace (loopback
# capture, private ports).
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/switch-common.sh"
require_root
require_cmd tshark ovs-testcontroller ovs-ofctl
require_switchd

NS=$P-ts
netns_add "$NS"
in_ns() { ip netns exec "$NS" "$@"; }
cport=$(free_port); mport=$(free_port)

ip netns exec "$NS" tshark -q -i lo -f "tcp port $cport or tcp port $mport" -w "$T/session.pcap" \
    >"$T/tshark-capture.log" 2>&1 &
tpid=$!
on_exit "kill $tpid 2>/dev/null"
wait_for 10 grep -q 'Capturing on' "$T/tshark-capture.log" || fail "tshark did not start capturing"

in_ns ovs-testcontroller -O OpenFlow10 "ptcp:$cport:127.0.0.1" --pidfile="$T/ctl.pid" --unixctl="$T/controller.ctl" \
    --detach --log-file="$T/controller.log" || fail "ovs-testcontroller did not start"
on_exit "kill_pidfile $T/ctl.pid"
in_ns "$SWITCHD" --ctl "$T/s.ctl" --pidfile "$T/s.pid" --log-file "$T/s.log" --detach \
    --dpid 0x7 --port dummy:p1 --port dummy:p2 --controller "tcp:127.0.0.1:$cport" \
    --listen "ptcp:$mport:127.0.0.1" --fail-mode secure || fail "plural-switchd did not start"
on_exit "kill_pidfile $T/s.pid"
SWITCHDS="$SWITCHDS s"
wait_for 10 sh -c "'$PLURAL' switch --ctl '$T/s.ctl' show | grep -q ACTIVE" ||
    fail "switch not connected to the controller"

# Traffic through the learning controller: PACKET_IN, PACKET_OUT, FLOW_MOD.
a=$(frame udp 02:00:00:00:00:01 02:00:00:00:00:02 10.0.0.1 10.0.0.2 1000 2000)
b=$(frame udp 02:00:00:00:00:02 02:00:00:00:00:01 10.0.0.2 10.0.0.1 2000 1000)
sw s inject 1 "$a"; sw s inject 2 "$b"; sw s inject 1 "$a"
wait_for 10 sh -c "'$PLURAL' switch --ctl '$T/s.ctl' dump-flows | grep -q actions=" ||
    fail "the controller installed no flow"
# Link down and up on a dummy port: PORT_STATUS to the controller.
sw s port/set-link 2 down
wait_for 10 sh -c "'$PLURAL' switch --ctl '$T/s.ctl' show | grep -q '2(p2):.*link down'" ||
    fail "port 2 did not go down: $(sw s show)"
sw s port/set-link 2 up
wait_for 10 sh -c "'$PLURAL' switch --ctl '$T/s.ctl' show | grep -q '2(p2):.*link up'" ||
    fail "port 2 did not come back up"
OF="tcp:127.0.0.1:$mport"
for cmd in show dump-flows dump-ports dump-tables dump-aggregate dump-desc; do
    in_ns ovs-ofctl -O OpenFlow10 "$cmd" "$OF" >/dev/null || fail "ovs-ofctl $cmd failed"
done
in_ns ovs-ofctl -O OpenFlow10 add-flow "$OF" "priority=9,in_port=2,actions=output:1" || fail "add-flow failed"
in_ns ovs-ofctl -O OpenFlow10 queue-get-config "$OF" 1 >/dev/null 2>&1 || true
in_ns ovs-ofctl -O OpenFlow10 del-flows "$OF" || fail "del-flows failed"

sleep 1   # let tshark write the last packets (not a timing assertion)
kill -TERM "$tpid"; wait "$tpid" 2>/dev/null
[ -s "$T/session.pcap" ] || fail "empty capture"

dis="-d tcp.port==$cport,openflow -d tcp.port==$mport,openflow"
tshark -r "$T/session.pcap" $dis -T fields -e openflow_1_0.type 2>"$T/tshark.err" |
    tr ',' '\n' | grep . | sort -n | uniq -c >"$T/types" || fail "tshark -r failed: $(cat "$T/tshark.err")"
log "OpenFlow 1.0 message types seen (count type): $(tr -s ' \n' ' ' <"$T/types")"
# HELLO 0, ECHO 2/3 optional, FEATURES 5/6, GET_CONFIG 7/8 optional, SET_CONFIG 9,
# PACKET_IN 10, PORT_STATUS 12, PACKET_OUT 13, FLOW_MOD 14, STATS 16/17, BARRIER 18/19.
for t in 0 5 6 10 12 13 14 16 17; do
    grep -Eq " $t\$" "$T/types" || fail "type $t not seen on the wire: $(cat "$T/types")"
done
# What plural-switchd sent: from the management port, to the controller port.
ours="(tcp.srcport == $mport || tcp.dstport == $cport)"
n=$(tshark -r "$T/session.pcap" $dis -Y "_ws.malformed && $ours" 2>/dev/null | wc -l)
[ "$n" = 0 ] || fail "tshark found $n malformed messages sent by plural-switchd:
$(tshark -r "$T/session.pcap" $dis -Y "_ws.malformed && $ours" -V 2>/dev/null | head -n 80)"
# (tshark 4.0 flags ovs-ofctl's own action-less DELETE FLOW_MOD as malformed;
# that is the peer's message, reported but not held against us.)
peers=$(tshark -r "$T/session.pcap" $dis -Y "_ws.malformed && !$ours" 2>/dev/null | wc -l)
log "malformed per tshark: 0 from plural-switchd, $peers from the peers"
n=$(tshark -r "$T/session.pcap" $dis -Y "openflow_v1 && $ours" 2>/dev/null | wc -l)
[ "$n" -gt 10 ] || fail "only $n OpenFlow packets from plural-switchd decoded"
finish
