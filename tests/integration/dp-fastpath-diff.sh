#!/bin/bash
# dp-fastpath-diff: the XDP fast path against the user-space datapath on
# random flow tables and frames (lib/dp/tests/test-fastpath-diff.c), in a
# private network namespace with four veth pairs.  Needs root.
set -u
. "$(dirname "$0")/../lib/common.sh"
require_root
BIN=$PLURAL_BUILD/lib/dp/test-fastpath-diff
[ -x "$BIN" ] || fail "not built: $BIN"
# No IPv6 in the namespace: its neighbour discovery would send frames
# through the program while the test reads its per-CPU trace.
exec unshare -n bash -c '
    sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    for i in 1 2 3 4; do
        ip link add fd$i type veth peer name fe$i || exit 1
        ip link set fd$i up; ip link set fe$i up
        ethtool -K fe$i gro on >/dev/null 2>&1
    done
    ip link set lo up
    "$0" fd1 fd2 fd3 fd4' "$BIN"
