# common.sh — shared helpers for plural's shell tests (integration, interop).
#
# Source it first thing:   . "$(dirname "$0")/../lib/common.sh"
# It gives every test:
#   - a private run directory $T (removed on exit unless KEEP=1),
#   - a unique short prefix $P for namespace and interface names (several
#     test runs may share one machine),
#   - ports from free_port (never the well-known 6633/6653),
#   - skip "reason" (exit 77), fail "reason" (exit 1), and cleanup of every
#     namespace and daemon it started (on_exit hooks, run in reverse order).
# Binaries come from $PLURAL_BUILD (set by meson), else ./build.
set -u

PLURAL_BUILD=${PLURAL_BUILD:-$(cd "$(dirname "$0")/../.." && pwd)/build}
SWITCHD=$PLURAL_BUILD/src/switchd/plural-switchd
PLURAL=$PLURAL_BUILD/src/plural/plural
T=$(mktemp -d "${TMPDIR:-/tmp}/plural-test.XXXXXX")
P="p$(printf '%04x' $(( $$ % 65536 )))"
_exit_hooks=""

log() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }
skip() { log "SKIP: $*"; exit 77; }
fail() { log "FAIL: $*"; exit 1; }
pass() { log "PASS${1:+: $*}"; exit 0; }

on_exit() { _exit_hooks="$*; $_exit_hooks"; }
_run_exit_hooks() {
    rc=$?
    trap - EXIT INT TERM
    eval "$_exit_hooks" >/dev/null 2>&1 || true
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ] && [ -d "$T" ]; then
        for f in "$T"/*.log; do
            [ -f "$f" ] || continue
            echo "---- $f (last 40 lines)" >&2
            tail -n 40 "$f" >&2
        done
    fi
    [ "${KEEP:-0}" = 1 ] || rm -rf "$T"
    exit "$rc"
}
trap _run_exit_hooks EXIT
trap 'exit 130' INT TERM

require_root() { [ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces)"; }
require_cmd() {
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 || skip "needs $c (run scripts/install-deps)"
    done
}

# free_port: a TCP port on loopback that no socket uses now, from 20000 up
# to the kernel's ephemeral range (ip_local_port_range, usually from
# 32768): a port in that range can be the local end of any outgoing
# connection on the machine (a daemon's, another test's), and a listener
# then fails to bind it (a scripted peer's "Address already in use").
free_port() {
    _lo=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
    _lo=${_lo:-32768}
    [ "$_lo" -gt 21000 ] 2>/dev/null || _lo=60000
    while :; do
        port=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom) % (_lo - 20000) ))
        if ! ss -Htan "sport = :$port" 2>/dev/null | grep -q .; then
            echo "$port"
            return
        fi
    done
}

# netns_add NAME: creates a namespace with loopback up, removed on exit.
netns_add() {
    ip netns add "$1" || fail "cannot create namespace $1"
    on_exit "ip netns del $1"
    ip -n "$1" link set lo up
}

# veth_add NS1 IF1 NS2 IF2: a veth pair between two namespaces, both up,
# with the kernel's default offloads (checksum, TSO/GSO on): plural-switchd
# handles them (docs/switchd.md, "Offloads").  With VETH_OFFLOADS=off set
# by the test, checksum/segmentation offloads are turned off, for peers that
# need real wire frames: Open vSwitch's userspace datapath (TCP stalls
# otherwise, see docs/testing.md) and plural bench's own packet code.
# Otherwise GRO is turned on at both ends: a veth takes frames redirected
# by XDP (plural-switchd's fast path) only when its peer has NAPI, which
# GRO gives (docs/switchd.md, "The XDP fast path").
veth_add() {
    ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" ||
        fail "cannot create veth $2-$4"
    for side in "$1 $2" "$3 $4"; do
        set -- $side
        ip -n "$1" link set "$2" up
        if [ "${VETH_OFFLOADS:-on}" = off ]; then
            ip netns exec "$1" ethtool -K "$2" tx off rx off gso off tso off gro off >/dev/null 2>&1 || true
        else
            ip netns exec "$1" ethtool -K "$2" gro on >/dev/null 2>&1 || true
        fi
    done
}

# wait_for SECONDS CMD...: retries CMD every 0.1 s until it succeeds.
wait_for() {
    _deadline=$(( $(date +%s) + $1 )); shift
    while ! "$@" >/dev/null 2>&1; do
        [ "$(date +%s)" -lt "$_deadline" ] || return 1
        sleep 0.1
    done
}

# kill_pidfile FILE: stops the daemon whose pid is in FILE.
kill_pidfile() {
    [ -f "$1" ] || return 0
    kill "$(cat "$1")" 2>/dev/null || true
}
