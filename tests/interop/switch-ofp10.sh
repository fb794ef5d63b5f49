#!/bin/bash
# switch-ofp10 — the OpenFlow 1.0 message set against plural-switchd, from
# the scripted peer (ofpeer.py) and from Open vSwitch's ovs-ofctl, around
# the corner cases of issue 12: table ids 0, 0xff (normal table), 0xfe
# (emergency table) and an id that does not exist; strict and non-strict
# DELETE with and without OFPFF_EMERG; out_port filters on DELETE and on
# FLOW/AGGREGATE stats; a plain delete-all and the stats always agree;
# OFPC_FRAG_DROP drops IPv4 fragments but not a SNAP 0x0800 frame whose
# IPv4 header is invalid.  Plus the neighbours: HELLO, ECHO, FEATURES,
# GET/SET_CONFIG, DESC/TABLE/PORT/QUEUE stats, QUEUE_GET_CONFIG, PORT_MOD,
# PACKET_OUT, BARRIER, VENDOR and bad requests.  No root.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/switch-common.sh"
require_cmd ovs-ofctl
require_switchd

m=$(free_port)
switchd_start s --dpid 0x51 --port dummy:p1 --port dummy:p2 --port dummy:p3 \
    --listen "ptcp:$m:127.0.0.1" --fail-mode secure
OF="tcp:127.0.0.1:$m"
ofctl() { ovs-ofctl -O OpenFlow10 "$@" 2>>"$T/ofctl.err"; }
nflows() { ofctl dump-flows "$OF" "$@" | grep -c 'actions='; }
popn() { sw s pop-sent "$1" | grep -c .; }

# peer NAME STEPS...: runs the scripted peer on the management listener.
peer() {
    _n=$1; shift
    ofpeer --connect "$m" --timeout 10 --log "$T/$_n.log" hello "$@" \
        >"$T/$_n.out" 2>"$T/$_n.err" ||
        fail "ofpeer $_n: $(cat "$T/$_n.err") (log: $(tail -3 "$T/$_n.log"))"
}

# 1. Scripted peer: two normal flows, three emergency flows.  Stats by
# table id and out_port.
peer tables features expect FEATURES_REPLY dpid=0000000000000051 n_tables=1 n_ports=3 \
    flow-mod "priority=100,in_port=1,output=2" \
    flow-mod "priority=50,in_port=3,output=1" \
    flow-mod "priority=200,in_port=2,flags=4,output=1" \
    flow-mod "priority=300,in_port=3,flags=4,output=2" \
    flow-mod "priority=400,in_port=1,flags=4,output=2" \
    barrier expect BARRIER_REPLY \
    flow-stats table=255 expect STATS_REPLY n_flows=2 tables=0,0 \
    flow-stats table=0 expect STATS_REPLY n_flows=2 tables=0,0 \
    flow-stats table=254 expect STATS_REPLY n_flows=3 tables=254,254,254 \
    flow-stats table=1 expect STATS_REPLY n_flows=0 \
    flow-stats table=255,out_port=2 expect STATS_REPLY n_flows=1 priorities=100 \
    flow-stats table=254,out_port=2 expect STATS_REPLY n_flows=2 tables=254,254 \
    flow-stats table=254,out_port=3 expect STATS_REPLY n_flows=0 \
    flow-stats table=254,in_port=2 expect STATS_REPLY n_flows=1 priorities=200 \
    aggregate-stats table=255 expect STATS_REPLY flow_count=2 \
    aggregate-stats table=0 expect STATS_REPLY flow_count=2 \
    aggregate-stats table=254 expect STATS_REPLY flow_count=3 \
    aggregate-stats table=254,out_port=1 expect STATS_REPLY flow_count=1 \
    aggregate-stats table=7 expect STATS_REPLY flow_count=0 \
    table-stats expect STATS_REPLY n_tables=1 table_ids=0 active=2

# ovs-ofctl sees the same: the normal table by default, the emergency table
# with table=254 (reported as table=254).
[ "$(nflows)" = 2 ] || fail "dump-flows (0xff) lists $(nflows) flows, want the 2 normal ones"
[ "$(nflows table=0)" = 2 ] || fail "dump-flows table=0: $(ofctl dump-flows "$OF" table=0)"
[ "$(nflows table=254)" = 3 ] || fail "dump-flows table=254: $(ofctl dump-flows "$OF" table=254)"
[ "$(ofctl dump-flows "$OF" table=254 | grep -c 'table=254')" = 3 ] ||
    fail "emergency flows not reported with table=254"
[ "$(nflows table=254,out_port=2)" = 2 ] || fail "dump-flows table=254,out_port=2"
ofctl dump-aggregate "$OF" | grep -q 'flow_count=2' || fail "dump-aggregate (0xff): $(ofctl dump-aggregate "$OF")"
ofctl dump-aggregate "$OF" table=254 | grep -q 'flow_count=3' || fail "dump-aggregate table=254"
ofctl dump-tables "$OF" | grep -q 'active=2' || fail "dump-tables counts emergency flows: $(ofctl dump-tables "$OF")"

# 2. A plain delete-all (ovs-ofctl del-flows) empties what 0xff shows and
# leaves the emergency table, which stays visible with 0xfe.
ofctl del-flows "$OF" || fail "del-flows failed: $(cat "$T/ofctl.err")"
[ "$(nflows)" = 0 ] || fail "flows left in 0xff stats after a plain delete-all: $(ofctl dump-flows "$OF")"
ofctl dump-aggregate "$OF" | grep -q 'flow_count=0' || fail "aggregate (0xff) after a plain delete-all"
[ "$(nflows table=254)" = 3 ] || fail "a plain delete-all touched the emergency table"

# 3. Strict and non-strict DELETE of emergency flows.
peer emerg \
    flow-mod "command=delete_strict,priority=200,in_port=2" \
    flow-mod "command=delete_strict,priority=201,in_port=2,flags=4" \
    flow-mod "command=delete_strict,priority=200,in_port=2,flags=4,out_port=2" \
    flow-mod "command=delete,in_port=2" \
    barrier expect BARRIER_REPLY \
    flow-stats table=254 expect STATS_REPLY n_flows=3 \
    flow-mod "command=delete_strict,priority=200,in_port=2,flags=4,out_port=1" \
    barrier expect BARRIER_REPLY \
    flow-stats table=254 expect STATS_REPLY n_flows=2 priorities=300,400 \
    flow-mod "command=delete,in_port=3,flags=4,out_port=1" \
    barrier expect BARRIER_REPLY \
    aggregate-stats table=254 expect STATS_REPLY flow_count=2 \
    flow-mod "command=delete,in_port=3,flags=4" \
    barrier expect BARRIER_REPLY \
    flow-stats table=254 expect STATS_REPLY n_flows=1 priorities=400 \
    flow-mod "command=delete,flags=4,out_port=2" \
    barrier expect BARRIER_REPLY \
    flow-stats table=254 expect STATS_REPLY n_flows=0 \
    aggregate-stats table=254 expect STATS_REPLY flow_count=0 \
    flow-mod "priority=10,in_port=1,flags=4,idle=5,output=2" \
    expect-error 3 3 \
    flow-stats table=254 expect STATS_REPLY n_flows=0
[ "$(nflows table=254)" = 0 ] || fail "emergency flows left after EMERG deletes"

# 4. ovs-ofctl on the normal table: strict vs non-strict, out_port filters.
for f in "priority=100,in_port=1 actions=output:2" "priority=200,in_port=1 actions=output:3" \
         "priority=100,in_port=2 actions=output:1" "priority=100,in_port=3 actions=output:1,output:2"; do
    ofctl add-flow "$OF" "$f" || fail "add-flow $f: $(cat "$T/ofctl.err")"
done
[ "$(nflows out_port=1)" = 2 ] || fail "dump-flows out_port=1: $(ofctl dump-flows "$OF" out_port=1)"
ofctl dump-aggregate "$OF" out_port=2 | grep -q 'flow_count=2' || fail "dump-aggregate out_port=2"
ofctl --strict del-flows "$OF" "in_port=1" || fail "strict del-flows"
[ "$(nflows)" = 4 ] || fail "strict delete without priority matched a flow of priority 100/200"
ofctl --strict del-flows "$OF" "priority=200,in_port=1" || fail "strict del-flows priority=200"
[ "$(nflows)" = 3 ] || fail "strict delete with priority 200 did not remove exactly one flow"
ofctl del-flows "$OF" "out_port=3" || fail "del-flows out_port=3"
[ "$(nflows)" = 3 ] || fail "del-flows out_port=3 removed a flow that does not output to 3"
ofctl del-flows "$OF" "out_port=2" || fail "del-flows out_port=2"
[ "$(nflows)" = 1 ] || fail "del-flows out_port=2: $(ofctl dump-flows "$OF")"
ofctl mod-flows "$OF" "in_port=2 actions=output:3" || fail "mod-flows"
ofctl dump-flows "$OF" | grep -q 'in_port=2 actions=output:3' || fail "mod-flows did not change the actions"
ofctl del-flows "$OF" || fail "del-flows"
[ "$(nflows)" = 0 ] && [ "$(nflows table=254)" = 0 ] || fail "flows left at the end of the flow tests"

# 5. Fragments: with OFPC_FRAG_DROP an IPv4 fragment is dropped; an 802.3
# LLC/SNAP frame with SNAP type 0x0800 whose "IPv4 header" is invalid (and
# would read as MF set) is no fragment and is forwarded by its L2 fields.
ofctl set-frags "$OF" drop || fail "set-frags drop: $(cat "$T/ofctl.err")"
[ "$(ofctl get-frags "$OF")" = drop ] || fail "get-frags: $(ofctl get-frags "$OF")"
ofctl add-flow "$OF" "priority=10,in_port=1 actions=output:2" || fail "add-flow for the fragment test"
frag=$(frame udp 02:00:00:00:00:01 02:00:00:00:00:02 10.0.0.1 10.0.0.2 1 2 |
       sed -E 's/^(.{40})..../\12000/')           # IPv4 flags/offset: MF.
snap=$("$PYTHON" -c '
hdr = bytes.fromhex("020000000002" "020000000001") + (46).to_bytes(2, "big")
llc = bytes.fromhex("aaaa03" "000000" "0800")
bad = bytes([0x00, 0, 0, 46, 0, 1, 0x20, 0]) + bytes(30)   # Version 0.
print((hdr + llc + bad).hex())')
before=$(sw s counters | awk '$1 == "dp_drop_frag" { print $2 }')
sw s inject 1 "$frag" || fail "inject fragment"
[ "$(popn 2)" = 0 ] || fail "an IPv4 fragment was forwarded with OFPC_FRAG_DROP"
after=$(sw s counters | awk '$1 == "dp_drop_frag" { print $2 }')
[ "$after" -gt "${before:-0}" ] || fail "the fragment drop was not counted"
sw s inject 1 "$snap" || fail "inject SNAP frame"
[ "$(popn 2)" = 1 ] || fail "a SNAP 0x0800 frame with an invalid IPv4 header was dropped as a fragment"
ofctl set-frags "$OF" normal || fail "set-frags normal"
sw s inject 1 "$frag"
[ "$(popn 2)" = 1 ] || fail "a fragment was not forwarded with OFPC_FRAG_NORMAL"
ofctl del-flows "$OF"

# 6. The rest of the message set.
peer misc echo expect ECHO_REPLY \
    set-config 200 get-config expect GET_CONFIG_REPLY flags=0 miss_send_len=200 \
    desc-stats expect STATS_REPLY stats_type=0 \
    send 0104000c0000001700002320 \
    expect-error 1 3 \
    send 0110000c0000001800090000 \
    expect-error 1 2 \
    send 0114000c0000001900630000 \
    expect-error 5 0 \
    send 01ee0008000000ff \
    expect-error 1 1 \
    packet-out 1 3 "$(frame udp 02:00:00:00:00:01 02:00:00:00:00:03 10.0.0.1 10.0.0.3 7 8)" \
    barrier expect BARRIER_REPLY
[ "$(popn 3)" = 1 ] || fail "PACKET_OUT from the scripted peer was not sent on port 3"
ofctl probe "$OF" || fail "ovs-ofctl probe (ECHO) failed"
ofctl show "$OF" | grep -q 'dpid:0000000000000051' || fail "show (FEATURES): $(ofctl show "$OF")"
ofctl dump-desc "$OF" | grep -qi plural || fail "dump-desc"
ofctl dump-ports "$OF" 1 | grep -q 'port  1:' || fail "dump-ports 1"
ofctl queue-stats "$OF" | grep -q 'OFPST_QUEUE reply' || fail "queue-stats"
ofctl queue-get-config "$OF" 1 | grep -q 'QUEUE_GET_CONFIG_REPLY' || fail "queue-get-config"
ofctl packet-out "$OF" 1 output:2 "$(frame udp 02:00:00:00:00:01 02:00:00:00:00:02 10.0.0.1 10.0.0.2 7 8)" ||
    fail "ovs-ofctl packet-out: $(cat "$T/ofctl.err")"
[ "$(popn 2)" = 1 ] || fail "ovs-ofctl packet-out was not sent on port 2"
ofctl mod-port "$OF" 2 no-flood || fail "mod-port"
ofctl show "$OF" | grep -A1 '2(p2)' | grep -q NO_FLOOD || fail "mod-port no-flood not shown"
finish
