#!/bin/bash
# switch-offloads — TCP through plural-switchd with the veths' default
# offloads (tx checksum, TSO/GSO, GRO on: nothing turned off by hand).
#   A (veth) -> afpacket port 1 -> plural-switchd -> afpacket port 2 -> B
#  - iperf3 TCP A -> B with default offloads moves data at a sane rate
#    (> 100 Mbit/s; not a timing test) and the ports really carried
#    partial checksums / super-frames through (`offloads:` line of show);
#  - a set-field flow (mod_nw_dst + mod_tp_dst one way, mod_nw_src +
#    mod_tp_src back) on that offloaded TCP still delivers: iperf3 to a
#    virtual address and port reaches B's real ones;
#  - port 3 is a TAP without vnet header whose device is a host in the
#    switch's namespace S: TCP A -> S's tap works too, the switch completing
#    checksums and cutting super-frames in software (counted in the same
#    show line);
#  - the same A -> B run with every offload off (ethtool), printed beside
#    the default one for comparison.
# DATAPATH (meson sets it) picks --datapath: afpacket (vnet header checks
# above) or xdp (the XDP fast path, partial checksums completed in the
# kernel; A's and B's veths get GRO on so that redirects into them work).
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/switch-common.sh"
require_root
require_cmd ip iperf3 ethtool
require_switchd

S=${P}os A=${P}oa B=${P}ob
netns_add "$S"; netns_add "$A"; netns_add "$B"
# Plain veths: the kernel's default offloads stay on.
ip link add eth0 netns "$A" type veth peer name "${P}sa" netns "$S" || fail "veth a"
ip link add eth0 netns "$B" type veth peer name "${P}sb" netns "$S" || fail "veth b"
for x in "$A eth0" "$B eth0" "$S ${P}sa" "$S ${P}sb"; do
    set -- $x; ip -n "$1" link set "$2" up
done
ip netns exec "$A" ethtool -k eth0 | grep -q "tcp-segmentation-offload: on" ||
    fail "veth default has TSO off here; the test would not test offloads"
DATAPATH=${DATAPATH:-afpacket}
if [ "$DATAPATH" = xdp ]; then
    ip netns exec "$A" ethtool -K eth0 gro on >/dev/null
    ip netns exec "$B" ethtool -K eth0 gro on >/dev/null
fi
ip -n "$A" addr add 10.66.0.1/24 dev eth0
ip -n "$B" addr add 10.66.0.2/24 dev eth0

export PLURAL_AFPACKET_RX=${PLURAL_AFPACKET_RX:-v2}   # V2: the default at MTU 1500.
ip netns exec "$S" "$SWITCHD" --ctl "$T/s.ctl" --pidfile "$T/s.pid" \
    --log-file "$T/s.log" --detach --dpid 0x5 --fail-mode secure --datapath "$DATAPATH" \
    --port "1=${P}sa" --port "2=${P}sb" --port "3=tap:${P}tc" ||
    fail "plural-switchd did not start"
on_exit "kill_pidfile $T/s.pid"
SWITCHDS="$SWITCHDS s"
wait_for 10 "$PLURAL" switch --ctl "$T/s.ctl" show || fail "switch does not answer"
# The TAP's device is the third host, in the switch's own namespace.
ip -n "$S" link set "${P}tc" up
ip -n "$S" addr add 10.66.0.3/24 dev "${P}tc"

show=$(sw s show)
if [ "$DATAPATH" = xdp ]; then
    echo "$show" | grep -q "1(${P}sa): afxdp + xdp fast path" ||
        fail "port 1 is not on the XDP fast path: $show"
else
echo "$show" | grep -A1 "1(${P}sa)" | grep -q "offloads: vnet header" ||
    fail "port 1 does not pass offloads through: $show"
fi
echo "$show" | grep -A1 "3(${P}tc)" | grep -q "offloads: none" ||
    fail "the tap port claims offloads: $show"

# Plain forwarding between all three, at low priority.
for f in "in_port=1,actions=output:2,output:3" "in_port=2,actions=output:1" \
         "in_port=3,actions=output:1"; do
    sw s add-flow "priority=10,$f" || fail "add-flow $f"
done

PORT=$(free_port)
# iperf_rate NS SERVER_NS ADDR CPORT [SPORT]: 3 s of TCP from NS to ADDR:CPORT
# (the server listens on SPORT, default CPORT); prints Mbit/s received.
iperf_rate() {
    local sport=${5:-$4}
    ip netns exec "$2" iperf3 -s -1 -p "$sport" --logfile "$T/iperf-s-$sport.log" \
        --pidfile "$T/iperf-s.pid" -D || fail "iperf3 server did not start"
    wait_for 5 sh -c "ip netns exec $2 ss -Hltn 'sport = :$sport' | grep -q ." ||
        fail "iperf3 server does not listen"
    ip netns exec "$1" timeout 20 iperf3 -c "$3" -p "$4" -t 3 -J >"$T/iperf.json" 2>"$T/iperf.err" ||
        { kill_pidfile "$T/iperf-s.pid"; sw s show >&2; sw s dump-ports >&2;
          fail "iperf3 $1 -> $3:$4 failed: $(cat "$T/iperf.err") $(grep -m1 error "$T/iperf.json")"; }
    kill_pidfile "$T/iperf-s.pid"
    "$PYTHON" -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"] / 1e6))' "$T/iperf.json"
}

default=$(iperf_rate "$A" "$B" 10.66.0.2 "$PORT") || exit 1
log "A -> B, default offloads: $default Mbit/s"
[ "$default" -gt 100 ] || fail "TCP with default offloads at $default Mbit/s"
if [ "$DATAPATH" = xdp ]; then
    hits=$(sw s show | sed -n 's/.*xdp fast path: .* hits \([0-9]*\),.*/\1/p')
    log "frames forwarded in the kernel: ${hits:-0}"
    [ "${hits:-0}" -gt 1000 ] || fail "TCP did not go through the XDP fast path: $(sw s show)"
else
rx=$(sw s show | grep -A1 "1(${P}sa)" | sed -n 's/.*rx with offload state \([0-9]*\).*/\1/p')
[ "${rx:-0}" -gt 0 ] || fail "no frame kept its offload state on port 1: $(sw s show)"
log "port 1 received $rx frames with offload state (partial checksum or GSO)"
fi

# Set-field on offloaded TCP: A talks to 10.66.0.99:VPORT, B listens on
# 10.66.0.2:PORT; the switch rewrites both ways.
VPORT=$(free_port)
bmac=$(ip netns exec "$B" cat /sys/class/net/eth0/address)
ip -n "$A" neigh replace 10.66.0.99 lladdr "$bmac" dev eth0 nud permanent
sw s add-flow "priority=100,in_port=1,tcp,nw_dst=10.66.0.99,tp_dst=$VPORT,actions=mod_nw_dst:10.66.0.2,mod_tp_dst:$PORT,output:2" ||
    fail "add-flow rewrite"
sw s add-flow "priority=100,in_port=2,tcp,nw_src=10.66.0.2,tp_src=$PORT,nw_dst=10.66.0.1,actions=mod_nw_src:10.66.0.99,mod_tp_src:$VPORT,output:1" ||
    fail "add-flow rewrite back"
rewritten=$(iperf_rate "$A" "$B" 10.66.0.99 "$VPORT" "$PORT") || exit 1
log "A -> 10.66.0.99:$VPORT rewritten to B:$PORT, default offloads: $rewritten Mbit/s"
[ "$rewritten" -gt 100 ] || fail "set-field TCP at $rewritten Mbit/s"
sw s dump-flows | grep "priority=100" | grep -q "n_packets=[1-9]" ||
    fail "the rewrite flows did not match: $(sw s dump-flows)"
sw s del-flows "tcp" || fail "del-flows tcp"

# To the TAP (no vnet header): software checksums and segmentation.
tap=$(iperf_rate "$A" "$S" 10.66.0.3 "$PORT") || exit 1
log "A -> S's tap (software offloads): $tap Mbit/s"
[ "$tap" -gt 50 ] || fail "TCP to the tap at $tap Mbit/s"
line=$(sw s show | grep -A1 "3(${P}tc)" | tail -n1)
# (With XDP on its port the sender's veth does no GSO: nothing to cut.)
[ "$DATAPATH" = xdp ] || echo "$line" | grep -Eq "[1-9][0-9]* super-frames segmented" ||
    fail "no super-frame was segmented in software for the tap: $line"
log "tap port:$line"

# For comparison: the same A -> B with every offload off on the four ends.
for x in "$A eth0" "$B eth0" "$S ${P}sa" "$S ${P}sb"; do
    set -- $x
    ip netns exec "$1" ethtool -K "$2" tx off rx off gso off tso off gro off >/dev/null 2>&1 || true
done
off=$(iperf_rate "$A" "$B" 10.66.0.2 "$PORT") || exit 1
log "A -> B, offloads off:     $off Mbit/s"
[ "$off" -gt 0 ] || fail "TCP with offloads off moved nothing"
echo "iperf3 A -> plural-switchd -> B: default offloads $default Mbit/s, offloads off $off Mbit/s"
finish
