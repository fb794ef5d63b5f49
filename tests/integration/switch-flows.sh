#!/bin/bash
# switch-flows — a flow added through the control socket forwards an injected
# frame from dummy port 1 to dummy port 2 with its header rewrites applied;
# frames that match nothing are dropped (fail mode secure, no controller) and
# counted; del-flows removes flows.  No root, no controller.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/switch-common.sh"
require_switchd

switchd_start s --dpid 0xa1 --port dummy:p1 --port dummy:p2 --port 7=dummy:p7 \
    --fail-mode secure

show=$(sw s show) || fail "show failed"
echo "$show" | grep -q "dpid 00000000000000a1" || fail "show lacks the dpid: $show"
echo "$show" | grep -Eq '^ *1\(p1\)' || fail "show lacks port 1(p1): $show"
echo "$show" | grep -Eq '^ *7\(p7\)' || fail "show lacks port 7(p7): $show"

in=$(frame udp 02:00:00:00:00:01 02:00:00:00:00:02 10.0.0.1 10.0.0.2 1000 2000)
# The same frame after mod_dl_src, mod_dl_dst, mod_nw_src, mod_nw_tos, mod_tp_dst
# (checksums recomputed by frames.py; the switch must fix them up itself).
want=$(frame udp 02:aa:00:00:00:01 02:bb:00:00:00:02 10.9.9.9 10.0.0.2 1000 3000 0x20)

sw s add-flow "priority=100,in_port=1,udp,nw_dst=10.0.0.2,actions=mod_dl_src:02:aa:00:00:00:01,mod_dl_dst:02:bb:00:00:00:02,mod_nw_src:10.9.9.9,mod_nw_tos:32,mod_tp_dst:3000,output:2" ||
    fail "add-flow failed"
sw s dump-flows | grep -q 'in_port=1' || fail "dump-flows does not list the flow: $(sw s dump-flows)"

sw s inject 1 "$in" || fail "inject failed"
wait_for 5 sh -c "[ -n \"\$('$PLURAL' switch --ctl '$T/s.ctl' pop-sent 2 | tee '$T/out2')\" ]" ||
    fail "nothing came out of port 2"
got=$(head -n1 "$T/out2")
[ "$got" = "$want" ] || fail "port 2 sent
  $got
expected
  $want"
[ -z "$(sw s pop-sent 7)" ] || fail "port 7 sent a frame it should not have"

flows=$(sw s dump-flows)
echo "$flows" | grep -q 'n_packets=1' || fail "flow counters did not move: $flows"
json=$(sw s dump-flows --json) || fail "dump-flows --json failed"
echo "$json" | "$PYTHON" -c 'import json,sys; f=json.load(sys.stdin); assert isinstance(f, list) and f[0]["n_packets"] == 1, f' ||
    fail "dump-flows --json is not a list of flows with n_packets: $json"

# A frame no flow matches: dropped (secure mode, no controller) and counted.
miss=$(frame udp 02:00:00:00:00:03 02:00:00:00:00:04 10.0.0.3 10.0.0.4 1 2)
sw s inject 2 "$miss" || fail "inject failed"
wait_for 5 sh -c "'$PLURAL' switch --ctl '$T/s.ctl' counters | grep -Eq 'dp_drop_no_match[^0-9]+[1-9]'" ||
    fail "table miss not counted: $(sw s counters)"
[ -z "$(sw s pop-sent 1)$(sw s pop-sent 7)" ] || fail "a missed frame was forwarded in secure mode"

ports=$(sw s dump-ports) || fail "dump-ports failed"
echo "$ports" | grep -Eq 'port +1: rx pkts=1' || fail "dump-ports: port 1 rx not counted: $ports"

# Output to port 7 (numbered explicitly) and delete with a match.
sw s add-flow "in_port=2,actions=output:7" || fail "add-flow 2 failed"
sw s inject 2 "$miss"
wait_for 5 sh -c "[ -n \"\$('$PLURAL' switch --ctl '$T/s.ctl' pop-sent 7)\" ]" || fail "nothing out of port 7"
sw s del-flows "in_port=2" >/dev/null || fail "del-flows failed"
n=$(sw s dump-flows | grep -c 'actions=')
[ "$n" = 1 ] || fail "expected 1 flow after del-flows in_port=2, found $n"
sw s del-flows >/dev/null || fail "del-flows (all) failed"
[ "$(sw s dump-flows | grep -c 'actions=')" = 0 ] || fail "flows remain after del-flows"

# Wrong usage is exit 2 with a message; a bad flow is exit 1 with the reason.
sw s add-flow "in_port=1,actions=frobnicate" 2>"$T/err"; rc=$?
[ "$rc" = 1 ] || fail "bad flow: exit $rc, expected 1"
grep -q . "$T/err" || fail "bad flow: no message"
sw s inject 2>/dev/null; [ $? = 2 ] || fail "inject without args is not exit 2"
finish
