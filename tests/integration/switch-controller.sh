#!/bin/bash
# switch-controller — plural-switchd with two controllers and a management
# connection (scripted OpenFlow peers, no root): handshake and features,
# table miss -> PACKET_IN to every controller (not to the management client),
# PACKET_OUT of the buffered packet, CONTROLLER action -> PACKET_IN reason
# ACTION, PORT_STATUS on link down, stats and barrier.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/switch-common.sh"
require_switchd

c1=$(free_port); c2=$(free_port); mgmt=$(free_port)
# Controller 1: handshake, miss_send_len 64, a CONTROLLER flow for UDP port 9,
# then release the buffered packet of the next PACKET_IN to port 2.
ofpeer --listen "$c1" --log "$T/c1.log" hello features expect FEATURES_REPLY \
    set-config 64 flow-mod "priority=200,dl_type=0x0800,nw_proto=17,tp_dst=9,output=0xfffd" \
    barrier expect BARRIER_REPLY \
    expect PACKET_IN reason=0 packet-out-buffered 2 barrier expect BARRIER_REPLY \
    serve >"$T/c1.out" 2>"$T/c1.err" &
on_exit "kill $! 2>/dev/null"
ofpeer --listen "$c2" --log "$T/c2.log" hello features expect FEATURES_REPLY serve \
    >"$T/c2.out" 2>"$T/c2.err" &
on_exit "kill $! 2>/dev/null"
wait_for 10 listening "$c1" && wait_for 10 listening "$c2" || fail "ofpeer did not listen"

switchd_start s --dpid 0xbeef --port dummy:p1 --port dummy:p2 --port dummy:p3 \
    --controller "tcp:127.0.0.1:$c1" --controller "tcp:127.0.0.1:$c2" \
    --listen "ptcp:$mgmt:127.0.0.1" --fail-mode secure
ofpeer --connect "$mgmt" --log "$T/m.log" hello features expect FEATURES_REPLY serve \
    >"$T/m.out" 2>"$T/m.err" &
mpid=$!
on_exit "kill $mpid 2>/dev/null"

wait_log "$T/c1.log" 'recv BARRIER_REPLY' || fail "controller 1: no handshake/barrier"
wait_log "$T/c2.log" 'recv FEATURES_REPLY' || fail "controller 2: no FEATURES_REPLY"
wait_log "$T/m.log" 'recv FEATURES_REPLY' || fail "management client: no FEATURES_REPLY"
grep -q 'FEATURES_REPLY version=1 .*dpid=000000000000beef n_buffers=[1-9][0-9]* n_tables=1 capabilities=0xc7 .* n_ports=3' "$T/c1.log" ||
    fail "unexpected FEATURES_REPLY: $(grep FEATURES_REPLY "$T/c1.log")"
grep -q 'recv HELLO version=1' "$T/c1.log" || fail "switch did not say HELLO version 1"
sw s show | grep -q "tcp:127.0.0.1:$c1.*ACTIVE\|tcp:127.0.0.1:$c1.*connected" || fail "show: controller 1 not connected: $(sw s show)"

# Table miss: PACKET_IN (reason NO_MATCH) to both controllers with the first
# 64 bytes (miss_send_len set by controller 1 applies to its connection).
f=$(frame udp 02:00:00:00:00:01 02:00:00:00:00:02 10.0.0.1 10.0.0.2 1000 2000)
sw s inject 1 "$f" || fail "inject failed"
wait_log "$T/c1.log" 'recv PACKET_IN .*in_port=1 reason=0' || fail "controller 1: no PACKET_IN"
wait_log "$T/c2.log" 'recv PACKET_IN .*in_port=1 reason=0' || fail "controller 2: no PACKET_IN"
line=$(grep 'recv PACKET_IN' "$T/c1.log" | head -n1)
case "$line" in
    *"total_len=$(( ${#f} / 2 ))"*" data=${f:0:128}") ;;
    *) fail "controller 1 PACKET_IN is not the first 64 bytes of the frame: $line" ;;
esac
grep 'recv PACKET_IN' "$T/c2.log" | head -n1 | grep -q "data=${f:0:256}" ||
    fail "controller 2 PACKET_IN lacks the first 128 bytes (default miss_send_len)"
grep -q 'buffer_id=0xffffffff' <<<"$line" && fail "PACKET_IN was not buffered: $line"
# Controller 1 released the buffer to port 2: the whole frame comes out.
wait_for 5 sh -c "[ -n \"\$('$PLURAL' switch --ctl '$T/s.ctl' pop-sent 2 | tee '$T/out2')\" ]" ||
    fail "buffered packet not sent by PACKET_OUT"
[ "$(head -n1 "$T/out2")" = "$f" ] || fail "PACKET_OUT sent a different frame: $(cat "$T/out2")"

# CONTROLLER action: PACKET_IN with reason ACTION and the whole frame.
g=$(frame udp 02:00:00:00:00:01 02:00:00:00:00:02 10.0.0.1 10.0.0.2 1000 9)
sw s inject 3 "$g"
wait_log "$T/c1.log" "recv PACKET_IN .*in_port=3 reason=1 data=$g\$" ||
    fail "controller 1: no PACKET_IN reason ACTION with the full frame"
grep -q 'recv PACKET_IN' "$T/m.log" && fail "management connection received PACKET_IN"

# Link down on a dummy port: PORT_STATUS (MODIFY, LINK_DOWN) to controllers.
sw s port/set-link 3 down || fail "port/set-link failed"
wait_log "$T/c2.log" 'recv PORT_STATUS .*reason=2 port_no=3 .*state=0x1' ||
    fail "no PORT_STATUS for link down on port 3"
sw s show | grep -Eq '3\(p3\).*down' || fail "show does not say port 3 is down: $(sw s show)"

kill "$mpid" 2>/dev/null
# Port added and removed at run time: PORT_STATUS ADD and DELETE.
sw s add-port 9=dummy:p9 || fail "add-port failed"
wait_log "$T/c1.log" 'recv PORT_STATUS .*reason=0 port_no=9 ' || fail "no PORT_STATUS ADD for port 9"
sw s show | grep -Eq '^ *9\(p9\)' || fail "show lacks port 9"
sw s del-port 9 || fail "del-port failed"
wait_log "$T/c2.log" 'recv PORT_STATUS .*reason=1 port_no=9 ' || fail "no PORT_STATUS DELETE for port 9"
sw s del-port 9 2>/dev/null && fail "deleting a missing port succeeded"
finish
