# ctl-lib.sh — helpers for plural-controller's shell tests (tests/interop/
# ctl-*.sh).  Source after tests/lib/common.sh.
#
#   CONTROLLER                     path of plural-controller
#   controller_start NAME NS ARGS  runs plural-controller in namespace NS (or
#                                  "" for this one) with control socket
#                                  $T/NAME.ctl and log $T/NAME.log; stopped on exit
#   ctl NAME CMD...                `plural ctl --ctl $T/NAME.ctl CMD...`
#   ctl_switches_up NAME N         true when N switches are up
#   ovs_start NS                   private ovsdb-server + ovs-vswitchd (userspace
#                                  datapath) in NS; RUN dir $T/ovs-NS; stopped on exit
#   vsctl NS ARGS...               ovs-vsctl against that private database
#   ovs_bridge NS BR PORT... -- CONTROLLER-TARGET
#                                  bridge with OpenFlow 1.0, fail-mode secure,
#                                  ports numbered 1.. in the order given, no
#                                  datapath flow cache (flow-limit=0)
#   host_add NS IF ADDR/LEN GW     a namespace host: IP on IF, default via GW
#   dataplane_start NS PORT IF...  the switch under test (see below)
#   dp_flows NS                    the flow table of that switch itself (not
#                                  the controller's view of it)
#   dp_has_flow NS PATTERN         true when a flow of it matches PATTERN
#   dp_lacks_flow NS PATTERN       true when none does (false if the table
#                                  cannot be read)
#
# Exit hooks stop daemons by their pid files in $T, or, if $T was removed
# under the test, by the pid they had at start, checked against their
# command line (which names $T) so that a reused pid is never hit.
CONTROLLER=$PLURAL_BUILD/src/controller/plural-controller
# Open vSwitch's userspace datapath needs offloads off on its veths;
# plural-switchd takes them as they are (veth_add, tests/lib/common.sh).
if [ "${CTL_DATAPLANE:-ovs}" = ovs ]; then
    VETH_OFFLOADS=off
fi

require_controller() {
    [ -x "$CONTROLLER" ] || skip "plural-controller not built at $CONTROLLER"
    [ -x "$PLURAL" ] || skip "plural not built at $PLURAL"
}

controller_start() {
    _name=$1; _ns=$2; shift 2
    if [ -n "$_ns" ]; then
        ip netns exec "$_ns" "$CONTROLLER" --ctl "$T/$_name.ctl" "$@" >"$T/$_name.log" 2>&1 &
    else
        "$CONTROLLER" --ctl "$T/$_name.ctl" "$@" >"$T/$_name.log" 2>&1 &
    fi
    echo $! >"$T/$_name.pid"
    on_exit "kill_pidfile $T/$_name.pid; [ -f $T/$_name.pid ] || kill_ours $! $T/$_name.ctl"
    wait_for 10 "$PLURAL" ctl --ctl "$T/$_name.ctl" show ||
        fail "plural-controller $_name does not answer on its control socket"
}

# runs_ours PID MARK: true if PID runs a command line containing MARK (not
# once it exited: a zombie has none).
runs_ours() {
    tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$2"
}
# kill_ours PID MARK [SIGNAL]: sends SIGNAL (TERM) to PID if runs_ours.
kill_ours() {
    runs_ours "$1" "$2" && kill -"${3:-TERM}" "$1" 2>/dev/null
    return 0
}

# pidfile_hook FILE MARK: after a daemon wrote FILE, an exit hook that
# stops it by FILE, or by the pid FILE had now if FILE is gone by then (one
# SIGTERM either way: a second one may hit a daemon that is shutting down).
pidfile_hook() {
    _pid=$(cat "$1" 2>/dev/null)
    on_exit "kill_pidfile $1${_pid:+; [ -f $1 ] || kill_ours $_pid $2}"
}

ctl() {
    _name=$1; shift
    "$PLURAL" ctl --ctl "$T/$_name.ctl" "$@"
}

ctl_switches_up() {
    [ "$(ctl "$1" show | sed -n 's/^switches: \([0-9]*\) up$/\1/p')" = "$2" ]
}

# ctl_stat NAME FIELD: the sum of FIELD (packet_in, flow_mod...) over switches.
ctl_stat() {
    ctl "$1" --json show | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(sum(s["stats"][sys.argv[1]] for s in d["switches"]))' "$2"
}

ovs_start() {
    _ns=$1
    _run=$T/ovs-$_ns
    mkdir -p "$_run"
    ovsdb-tool create "$_run/conf.db" /usr/share/openvswitch/vswitch.ovsschema ||
        fail "ovsdb-tool create failed"
    ovsdb-server "$_run/conf.db" --remote="punix:$_run/db.sock" \
        --pidfile="$_run/ovsdb-server.pid" --unixctl="$_run/ovsdb-server.ctl" \
        --detach --log-file="$T/ovsdb-$_ns.log" || fail "ovsdb-server did not start"
    pidfile_hook "$_run/ovsdb-server.pid" "$_run/"
    ovs-vsctl --db="unix:$_run/db.sock" --no-wait init
    # OVS_RUNDIR: the bridge's management socket (br0.mgmt) is private too;
    # by default every instance would use /var/run/openvswitch/br0.mgmt.
    ip netns exec "$_ns" env OVS_RUNDIR="$_run" ovs-vswitchd "unix:$_run/db.sock" --pidfile="$_run/ovs-vswitchd.pid" \
        --unixctl="$_run/ovs-vswitchd.ctl" --detach --log-file="$T/ovs-vswitchd-$_ns.log" \
        >/dev/null 2>&1 || fail "ovs-vswitchd did not start"
    pidfile_hook "$_run/ovs-vswitchd.pid" "$_run/"
}

vsctl() {
    _ns=$1; shift
    ovs-vsctl --db="unix:$T/ovs-$_ns/db.sock" --timeout=20 "$@"
}

ovs_bridge() {
    _ns=$1; _br=$2; shift 2
    # flow-limit=0: no datapath flow cache, every packet is looked up in the
    # OpenFlow table, so a flow deleted there stops forwarding at once
    # (cached datapath flows keep their old actions until a revalidator
    # gets to them).  It is a setting of the Open_vSwitch table: on the
    # bridge's other_config it is silently ignored.
    vsctl "$_ns" set Open_vSwitch . other_config:flow-limit=0 \
        -- add-br "$_br" -- set bridge "$_br" datapath_type=netdev \
        protocols=OpenFlow10 fail-mode=secure ||
        fail "cannot create OVS bridge $_br"
    wait_for 10 sh -c "ovs-appctl -t $T/ovs-$_ns/ovs-vswitchd.ctl upcall/show | grep -q '(limit 0)'" ||
        fail "OVS keeps a datapath flow cache: $(ovs-appctl -t "$T/ovs-$_ns/ovs-vswitchd.ctl" upcall/show 2>&1)"
    _n=1
    while [ "$1" != "--" ]; do
        vsctl "$_ns" add-port "$_br" "$1" -- set interface "$1" ofport_request=$_n ||
            fail "cannot add port $1"
        _n=$((_n + 1)); shift
    done
    shift
    vsctl "$_ns" set-controller "$_br" "$1" || fail "cannot set controller"
    vsctl "$_ns" set controller "$_br" max_backoff=1000 inactivity_probe=30000 >/dev/null 2>&1 || true
}

host_add() {
    ip -n "$1" addr add "$3" dev "$2"
    [ -n "$4" ] && ip -n "$1" route add default via "$4"
    ip netns exec "$1" sysctl -qw net.ipv4.ip_forward=0
}

# dataplane_start NS CONTROLLER-PORT IF...: the switch under test in NS with
# the given interfaces as ports 1..N, connected to the controller: Open
# vSwitch (CTL_DATAPLANE=ovs, default) or plural-switchd (switchd).
dataplane_start() {
    _ns=$1; _port=$2; shift 2
    if [ "${CTL_DATAPLANE:-ovs}" = ovs ]; then
        require_cmd ovs-vswitchd ovsdb-server ovs-vsctl ovsdb-tool
        ovs_start "$_ns"
        ovs_bridge "$_ns" br0 "$@" -- "tcp:127.0.0.1:$_port"
    else
        [ -x "$SWITCHD" ] || skip "plural-switchd not built at $SWITCHD"
        _args=""
        for _if in "$@"; do
            _args="$_args --port $_if"
        done
        ip netns exec "$_ns" "$SWITCHD" --ctl "$T/switchd.ctl" --pidfile "$T/switchd.pid" \
            --log-file "$T/switchd.log" --detach $_args \
            --controller "tcp:127.0.0.1:$_port" || fail "plural-switchd did not start"
        pidfile_hook "$T/switchd.pid" "$T/switchd.ctl"
    fi
}

dp_flows() {
    if [ "${CTL_DATAPLANE:-ovs}" = ovs ]; then
        ovs-ofctl -O OpenFlow10 dump-flows "unix:$T/ovs-$1/br0.mgmt"
    else
        "$PLURAL" switch --ctl "$T/switchd.ctl" dump-flows
    fi
}

dp_has_flow() {
    _flows=$(dp_flows "$1") || return 1
    printf '%s\n' "$_flows" | grep -q -- "$2"
}

dp_lacks_flow() {
    _flows=$(dp_flows "$1") || return 1
    ! printf '%s\n' "$_flows" | grep -q -- "$2"
}

# ctl_ports_up NAME N: true when the controller sees N ports with link up
# (from FEATURES_REPLY and PORT_STATUS) on its switches.
ctl_ports_up() {
    [ "$(ctl "$1" --json show | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(sum(1 for s in d["switches"] for p in s["ports"] if p["link_up"] and p["port_no"] < 0xff00))')" = "$2" ]
}
