#!/bin/bash
# switch-malformed — malformed OpenFlow input from a peer gets the spec's
# OFPT_ERROR, is counted, a peer that keeps sending garbage is disconnected,
# and the switch keeps running with every installed flow.  No root.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/switch-common.sh"
require_switchd

m=$(free_port)
switchd_start s --port dummy:p1 --port dummy:p2 --listen "ptcp:$m:127.0.0.1" --fail-mode secure
sw s add-flow "priority=5,in_port=1,actions=output:2" || fail "add-flow failed"
sw s add-flow "priority=6,dl_type=0x0806,actions=output:1" || fail "add-flow failed"

# peer NAME STEPS...: one management connection running a script.
peer() {
    _n=$1; shift
    ofpeer --connect "$m" --timeout 10 --log "$T/$_n.log" hello expect HELLO "$@" \
        >"$T/$_n.out" 2>"$T/$_n.err" || fail "$_n: $(cat "$T/$_n.err")"
}
hdr() { printf '%02x%02x%04x%08x' "$1" "$2" "$3" "${4:-7}"; }

# Truncated: a FLOW_MOD whose length (20) is shorter than its fixed part (72).
peer truncated send "$(hdr 1 14 20)000000000000000000000000" expect-error 1 6
# The error echoes the start of the offending request.
grep -q "recv ERROR .*type=1 code=6 data=$(hdr 1 14 20)" "$T/truncated.log" ||
    fail "BAD_LEN error does not carry the request: $(cat "$T/truncated.log")"
# Bad version after the handshake.
peer badversion send "$(hdr 2 5 8)" expect-error 1 0
# Unknown message type.
peer badtype send "$(hdr 1 99 8)" expect-error 1 1
# Vendor message: no vendor extensions.
peer vendor send "$(hdr 1 4 12)00002320" expect-error 1 3
# Oversized for its type: a FEATURES_REQUEST with a body.
peer oversized send "$(hdr 1 5 16)0000000000000000" expect-error 1 6
# Bad statistics type.
peer badstat send "$(hdr 1 16 12)00070000" expect-error 1 2
# A FLOW_MOD with a bad command and one with an output to a port that does
# not exist.
peer badcmd flow-mod "command=9,in_port=1,output=2" expect-error 3 4
peer badport flow-mod "in_port=1,output=99" expect-error 2 4
# A HELLO that offers no version we speak: HELLO_FAILED, then closed.
ofpeer --connect "$m" --timeout 10 --log "$T/hello0.log" hello-version 0 \
    expect-error 0 0 expect-close >"$T/hello0.out" 2>"$T/hello0.err" ||
    fail "hello0: $(cat "$T/hello0.err")"
# A length below the header (framing error): the connection is dropped.
peer badlen send "$(hdr 1 2 4)" expect-close
# A garbage stream: every message an error; after too many the peer is cut off.
garbage=""
for i in $(seq 1 40); do garbage="$garbage$(hdr 9 2 8 "$i")"; done
peer garbage send "$garbage" expect-error 1 0 expect-close

# Counted (per reason and in total), and the switch kept its flows.
counters=$(sw s counters) || fail "counters failed"
for c in ofp_rx_error_reply ofp_peer_disconnect_garbage ofp_framing_error; do
    echo "$counters" | grep -Eq "$c[^0-9]+[1-9]" || fail "counter $c did not move: $counters"
done
show=$(sw s show) || fail "show failed after garbage"
[ "$(sw s dump-flows | grep -c 'actions=')" = 2 ] || fail "flows lost: $(sw s dump-flows)"
# And still forwards.
f=$(frame udp 02:00:00:00:00:01 02:00:00:00:00:02 10.0.0.1 10.0.0.2 1 2)
sw s inject 1 "$f"
wait_for 5 sh -c "[ \"\$('$PLURAL' switch --ctl '$T/s.ctl' pop-sent 2)\" = '$f' ]" ||
    fail "switch no longer forwards after the garbage"
# A well-behaved client still works.
peer good features expect FEATURES_REPLY
finish
