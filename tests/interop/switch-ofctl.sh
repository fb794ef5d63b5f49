#!/bin/bash
# switch-ofctl — Open vSwitch's ovs-ofctl manages plural-switchd over a
# management connection (ptcp): add-flow, dump-flows (what it prints matches
# what was added, field by field), dump-ports, counters that move when
# traffic flows, del-flows, plus show/dump-desc/dump-tables/dump-aggregate.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/switch-common.sh"
require_cmd ovs-ofctl
require_switchd

m=$(free_port)
switchd_start s --dpid 0x42 --port dummy:p1 --port dummy:p2 --port dummy:p3 \
    --listen "ptcp:$m:127.0.0.1" --fail-mode secure
OF="tcp:127.0.0.1:$m"
ofctl() { ovs-ofctl -O OpenFlow10 "$@" 2>>"$T/ofctl.err"; }

ofctl show "$OF" >"$T/show" || fail "ovs-ofctl show failed: $(cat "$T/ofctl.err")"
grep -q 'dpid:0000000000000042' "$T/show" || fail "show: wrong dpid: $(cat "$T/show")"
grep -q 'n_tables:1' "$T/show" || fail "show: n_tables: $(cat "$T/show")"
grep -Eq '^ 3\(p3\): addr:' "$T/show" || fail "show: port 3: $(cat "$T/show")"

flows=(
  "priority=100,ip,in_port=1,nw_dst=10.0.0.0/8 actions=mod_dl_dst:02:00:00:00:00:02,output:2"
  "priority=200,tcp,nw_src=192.168.1.1,tp_dst=80 actions=mod_vlan_vid:20,output:3"
  "priority=300,arp,in_port=2 actions=FLOOD"
  "priority=50,in_port=3,dl_vlan=10 actions=strip_vlan,mod_nw_tos:8,output:1"
  "priority=60,udp,in_port=1,tp_src=53 actions=CONTROLLER:128,output:2"
)
for f in "${flows[@]}"; do
    ofctl add-flow "$OF" "$f" || fail "add-flow '$f': $(cat "$T/ofctl.err")"
done
ofctl add-flow "$OF" "idle_timeout=60,hard_timeout=120,cookie=0x77,priority=70,dl_src=02:00:00:00:00:09 actions=drop" ||
    fail "add-flow with timeouts failed"

# Compare ovs-ofctl's view with what we added: "match actions" per flow,
# dropping the statistics fields ovs-ofctl adds.
ofctl dump-flows "$OF" >"$T/dump" || fail "dump-flows failed: $(cat "$T/ofctl.err")"
normalize() {
    sed -E 's/^ *//; s/(cookie|duration|table|n_packets|n_bytes|idle_age|hard_age)=[^,]*, ?//g' |
        sed -E 's/, / /g' | sort
}
grep -v '^NXST\|^OFPST' "$T/dump" | normalize >"$T/got"
{ printf '%s\n' "${flows[@]}"; echo "idle_timeout=60, hard_timeout=120, priority=70,dl_src=02:00:00:00:00:09 actions=drop"; } |
    normalize >"$T/want"
diff -u "$T/want" "$T/got" >"$T/diff" || fail "dump-flows differs from what was added:
$(cat "$T/diff")"
grep -q 'cookie=0x77' "$T/dump" || fail "cookie lost: $(cat "$T/dump")"

# Traffic: 3 frames hit flow 1; counters move in dump-flows and dump-ports.
f=$(frame udp 02:00:00:00:00:01 02:00:00:00:00:02 10.0.0.1 10.1.2.3 1000 2000)
for i in 1 2 3; do sw s inject 1 "$f" || fail "inject failed"; done
wait_for 5 sh -c "ovs-ofctl -O OpenFlow10 dump-flows $OF nw_dst=10.0.0.0/8 | grep -q 'n_packets=3'" ||
    fail "flow counters did not reach 3: $(ofctl dump-flows "$OF")"
ofctl dump-flows "$OF" "nw_dst=10.0.0.0/8" | grep -q "n_bytes=$((3 * ${#f} / 2))" ||
    fail "n_bytes is not 3 frames"
ofctl dump-ports "$OF" >"$T/ports" || fail "dump-ports failed"
grep -A1 'port  1:' "$T/ports" | grep -q 'rx pkts=3' || fail "dump-ports: port 1 rx != 3: $(cat "$T/ports")"
grep -A2 'port  2:' "$T/ports" | grep -q 'tx pkts=3' || fail "dump-ports: port 2 tx != 3: $(cat "$T/ports")"
ofctl dump-ports "$OF" 2 | grep -q 'port  2:' || fail "dump-ports for one port failed"
ofctl dump-aggregate "$OF" | grep -q 'packet_count=3 byte_count=[0-9]* flow_count=6' ||
    fail "dump-aggregate: $(ofctl dump-aggregate "$OF")"
ofctl dump-tables "$OF" | grep -q 'active=6' || fail "dump-tables: $(ofctl dump-tables "$OF")"
ofctl dump-desc "$OF" | grep -qi 'plural' || fail "dump-desc does not name plural"

# Strict and non-strict deletes.
ofctl --strict del-flows "$OF" "priority=300,arp,in_port=2" || fail "strict del-flows failed"
[ "$(ofctl dump-flows "$OF" | grep -c actions=)" = 5 ] || fail "strict delete did not remove one flow"
ofctl del-flows "$OF" "in_port=1" || fail "del-flows in_port=1 failed"
[ "$(ofctl dump-flows "$OF" | grep -c actions=)" = 3 ] || fail "del-flows in_port=1: $(ofctl dump-flows "$OF")"
ofctl del-flows "$OF" || fail "del-flows failed"
[ "$(ofctl dump-flows "$OF" | grep -c actions=)" = 0 ] || fail "flows left after del-flows"

# A long reply: 1500 flows do not fit in one 64 KB STATS_REPLY; the switch
# splits it (OFPSF_REPLY_MORE) and ovs-ofctl reassembles every flow.
awk 'BEGIN { for (i = 0; i < 1500; i++)
    printf "priority=5,ip,nw_dst=172.16.%d.%d,actions=output:2\n", int(i / 256), i % 256 }' >"$T/many"
ofctl add-flows "$OF" "$T/many" || fail "add-flows of 1500 flows failed: $(cat "$T/ofctl.err")"
n=$(ofctl dump-flows "$OF" | grep -c 'actions=output:2')
[ "$n" = 1500 ] || fail "dump-flows returned $n of 1500 flows"
[ "$(sw s dump-flows | grep -c actions=)" = 1500 ] || fail "plural switch dump-flows does not list 1500 flows"
ofctl del-flows "$OF" || fail "del-flows failed"

# port-mod through ovs-ofctl: no-flood shows up in the port config.
ofctl mod-port "$OF" 3 no-flood || fail "mod-port failed: $(cat "$T/ofctl.err")"
ofctl show "$OF" | grep -A1 '3(p3)' | grep -q 'NO_FLOOD' || fail "mod-port no-flood not reflected: $(ofctl show "$OF")"
finish
