#!/bin/bash
# switch-flow-race — no frame is forwarded by a deleted or modified flow
# after the controller's barrier reply, with the XDP fast path caching the
# flow in the kernel and traffic running flat out.
#
#   A (sender) -- port 1 [plural-switchd] port 2 -- B (receiver)
#                                         port 3 -- C (receiver)
# Rounds: install in_port=1 -> output:2, wait until B receives, then
#   (odd rounds)  ovs-ofctl del-flows (which waits for a barrier reply),
#   (even rounds) ovs-ofctl mod-flows to output:3;
# right after ovs-ofctl returns, the sender is asked for the last sequence
# number it had sent (every later frame left A after the barrier reply);
# a moment later B reports the highest sequence number it ever received.
# B must never see a frame sent after the barrier: maxseq(B) <= mark.  On
# mod rounds C must receive the new frames.  Also checks that the flow was
# really cached in the kernel (fast path hits) before each change.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/switch-common.sh"
require_root
require_cmd ip ovs-ofctl
require_switchd
ROUNDS=${ROUNDS:-10}
RACE="$PYTHON $(dirname "$0")/switch-flow-race.py"

S=${P}rs A=${P}ra B=${P}rb C=${P}rc
for n in "$S" "$A" "$B" "$C"; do netns_add "$n"; done
veth_add "$A" a0 "$S" "${P}s1"
veth_add "$B" b0 "$S" "${P}s2"
veth_add "$C" c0 "$S" "${P}s3"
ip -n "$S" link set lo up
MGMT=$(free_port)
ip netns exec "$S" "$SWITCHD" --ctl "$T/s.ctl" --pidfile "$T/s.pid" --log-file "$T/s.log" \
    --detach --datapath "${DATAPATH:-xdp}" --fail-mode secure \
    --listen "ptcp:$MGMT:127.0.0.1" --port "1=${P}s1" --port "2=${P}s2" --port "3=${P}s3" ||
    fail "plural-switchd did not start"
on_exit "kill_pidfile $T/s.pid"
SWITCHDS="$SWITCHDS s"
wait_for 10 sw s show || fail "switch does not answer"
ofctl() { ip netns exec "$S" ovs-ofctl -O OpenFlow10 "$@" "tcp:127.0.0.1:$MGMT"; }
ofctl_flow() { ip netns exec "$S" ovs-ofctl -O OpenFlow10 "$1" "tcp:127.0.0.1:$MGMT" "$2"; }

ip netns exec "$B" $RACE recv b0 "$T/b.out" & bpid=$!
ip netns exec "$C" $RACE recv c0 "$T/c.out" & cpid=$!
ip netns exec "$A" $RACE send a0 "$T/a.out" & apid=$!
on_exit "kill $apid $bpid $cpid 2>/dev/null"
for f in a b c; do wait_for 10 grep -q ready "$T/$f.out" || fail "$f did not start"; done

ask() {                 # ask PID FILE: the line the process appends on SIGUSR1
    _n=$(wc -l < "$2")
    kill -USR1 "$1"
    wait_for 5 sh -c "[ \$(wc -l < '$2') -gt $_n ]" || fail "no answer from $2"
    tail -n1 "$2"
}
hits() { sw s show | sed -n 's/.*xdp fast path: .* hits \([0-9]*\),.*/\1/p'; }

late_total=0
for r in $(seq 1 "$ROUNDS"); do
    ofctl_flow add-flow "in_port=1,dl_type=0x0800,nw_proto=17,actions=output:2" ||
        fail "round $r: add-flow"
    before=$(ask $bpid "$T/b.out"); before=${before##* }
    for _i in $(seq 50); do
        now=$(ask $bpid "$T/b.out"); now=${now##* }
        [ "$now" -gt "$before" ] && break
        sleep 0.1
    done
    [ "$now" -gt "$before" ] || fail "round $r: B receives nothing through the new flow"
    sleep 0.3
    h0=$(hits)
    sleep 0.2
    h1=$(hits)
    if [ "${DATAPATH:-xdp}" = xdp ] && [ "${h1:-0}" -le "${h0:-0}" ]; then
        fail "round $r: the flow is not forwarded by the XDP fast path ($(sw s show))"
    fi
    if [ $((r % 2)) = 1 ]; then
        ofctl del-flows || fail "round $r: del-flows"
        what=delete
    else
        ofctl_flow mod-flows "in_port=1,dl_type=0x0800,nw_proto=17,actions=output:3" ||
            fail "round $r: mod-flows"
        what=modify
        cmark=$(ask $cpid "$T/c.out"); cmark=${cmark##* }
    fi
    mark=$(ask $apid "$T/a.out")
    sleep 0.3
    got=$(ask $bpid "$T/b.out"); maxb=${got%% *}
    if [ "$maxb" -gt "$mark" ]; then
        late=$((maxb - mark))
        late_total=$((late_total + late))
        fail "round $r ($what): B received sequence $maxb, sent after the barrier reply (mark $mark)"
    fi
    if [ "$what" = modify ]; then
        c=$(ask $cpid "$T/c.out"); c=${c##* }
        [ "$c" -gt "$cmark" ] || fail "round $r: after mod-flows to port 3, C received nothing"
        ofctl del-flows || fail "round $r: cleanup del-flows"
    fi
    log "round $r ($what): last frame at B $maxb <= barrier mark $mark"
done
log "$ROUNDS rounds: no frame forwarded by a deleted or modified flow after its barrier"
sw s show | grep -E "datapath|fast path|revalid" >&2
finish
