# slice-lib.sh — helpers for plural-slicer's namespace tests
# (tests/integration/slice-*.sh).  Source after tests/lib/common.sh and
# tests/interop/ctl-lib.sh.
#
#   SLICER                          path of plural-slicer
#   slicer_start NS ARGS...         runs plural-slicer in NS ("": here) with control
#                                   socket $T/slicer.ctl, log $T/slicer.log
#   slicer_stop                     SIGTERM, waits for the exit
#   slicer_check                    stops it and fails on a sanitizer report in
#                                   its log (ASan/UBSan builds)
#   slice CMD...                    `plural slice --ctl $T/slicer.ctl CMD...`
#   slice_up NAME N                 true when slice NAME has N connected switches
#   ofctl NS ARGS...                ovs-ofctl -O OpenFlow10 ARGS in NS
#   sliced_switch_start PORT IF...  the switch under test in $S (Open vSwitch, or
#                                   plural-switchd with SLICE_DATAPLANE=switchd)
#                                   with the IFs as ports 1..N, controller PORT
#   dump_flows                      its flow table (ovs-ofctl syntax)
#   topo_tagged                     hosts $A and $B, each with one interface per
#                                   VLAN (no 802.1Q in this kernel: the tagging
#                                   is done by an Open vSwitch in $X with two
#                                   NORMAL bridges, access ports tag=10/20);
#                                   trunks $P-sa (port 1) and $P-sb (port 2) in
#                                   $S for the switch under test.  A: a10
#                                   10.0.1.2/24 (gw .1), a20 10.20.0.1/24;
#                                   B: b10 10.0.2.2/24 (gw .1), b20 10.20.0.2/24
SLICER=$PLURAL_BUILD/src/slicer/plural-slicer

require_slicer() {
    [ -x "$SLICER" ] || skip "plural-slicer not built at $SLICER"
    [ -x "$PLURAL" ] || skip "plural not built at $PLURAL"
}

slicer_start() {
    _ns=$1; shift
    if [ -n "$_ns" ]; then
        ip netns exec "$_ns" "$SLICER" --ctl "$T/slicer.ctl" "$@" >>"$T/slicer.log" 2>&1 &
    else
        "$SLICER" --ctl "$T/slicer.ctl" "$@" >>"$T/slicer.log" 2>&1 &
    fi
    echo $! >"$T/slicer.pid"
    on_exit "kill_pidfile $T/slicer.pid"
    wait_for 10 "$PLURAL" slice --ctl "$T/slicer.ctl" list ||
        fail "plural-slicer does not answer on its control socket: $(cat "$T/slicer.log")"
}

slicer_stop() {
    kill_pidfile "$T/slicer.pid"
    _pid=$(cat "$T/slicer.pid")
    wait_for 5 sh -c "! kill -0 $_pid" || fail "plural-slicer did not stop"
}

slicer_check() {
    slicer_stop
    if grep -q "Sanitizer\|runtime error" "$T/slicer.log"; then
        cat "$T/slicer.log" >&2
        fail "sanitizer report from plural-slicer"
    fi
}

slice() {
    "$PLURAL" slice --ctl "$T/slicer.ctl" "$@"
}

slice_up() {
    slice list | awk -v n="$1" -v c="$2/" '$1 == n && index($3, c) == 1 { ok = 1 } END { exit !ok }'
}

ofctl() {
    _ns=$1; shift
    ip netns exec "$_ns" ovs-ofctl -O OpenFlow10 "$@"
}

sliced_switch_start() {
    _port=$1; shift
    dataplane_start "$S" "$_port" "$@"
    if [ "$CTL_DATAPLANE" = ovs ]; then
        MPORT=$(free_port)
        vsctl "$S" set-controller br0 "tcp:127.0.0.1:$_port" "ptcp:$MPORT:127.0.0.1"
    fi
}

dump_flows() {
    if [ "$CTL_DATAPLANE" = ovs ]; then
        ofctl "$S" dump-flows "tcp:127.0.0.1:$MPORT"
    else
        "$PLURAL" switch --ctl "$T/switchd.ctl" dump-flows
    fi
}

topo_tagged() {
    require_cmd ovs-vswitchd ovsdb-server ovs-vsctl ovsdb-tool
    VETH_OFFLOADS=off       # Open vSwitch's userspace tagging bridges in X.
    A=$P-a; B=$P-b; S=$P-s; X=$P-x
    netns_add "$A"; netns_add "$B"; netns_add "$S"; netns_add "$X"
    veth_add "$X" "$P-ta" "$S" "$P-sa"
    veth_add "$X" "$P-tb" "$S" "$P-sb"
    ovs_start "$X"
    for h in "$A a 1" "$B b 2"; do
        set -- $h
        vsctl "$X" add-br "$P-br$2" -- set bridge "$P-br$2" datapath_type=netdev \
            fail-mode=standalone || fail "cannot create tagging bridge"
        vsctl "$X" add-port "$P-br$2" "$P-t$2" || fail "cannot add trunk"
        for v in 10 20; do
            veth_add "$1" "$2$v" "$X" "$P-$2$v"
            vsctl "$X" add-port "$P-br$2" "$P-$2$v" tag=$v || fail "cannot add access port"
        done
        ip -n "$1" addr add "10.0.$3.2/24" dev "${2}10"
        ip -n "$1" route add default via "10.0.$3.1"
        ip -n "$1" addr add "10.20.0.$3/24" dev "${2}20"
        ip netns exec "$1" sysctl -qw net.ipv4.ip_forward=0
    done
}

# features_reply_hex DPID NPORTS: an OpenFlow 1.0 FEATURES_REPLY (hex) with
# ports 1..NPORTS, for a scripted switch (ofpeer --connect ... send HEX).
features_reply_hex() {
    python3 - "$1" "$2" <<'PY'
import struct, sys
dpid, n = int(sys.argv[1], 0), int(sys.argv[2])
ports = b"".join(struct.pack("!H6s16sIIIIII", p, bytes([2, 0, 0, 0, 0, p]),
                             b"p%d" % p, 0, 0, 0, 0, 0, 0) for p in range(1, n + 1))
body = struct.pack("!QIB3xII", dpid, 256, 1, 0xc7, 0xfff) + ports
print((struct.pack("!BBHI", 1, 6, 8 + len(body), 2) + body).hex())
PY
}
