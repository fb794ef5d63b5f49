#!/bin/sh
# port-tap: a tap port.  The "peer" is the kernel side of the same TAP
# device (a plain AF_PACKET socket on it): frames the kernel transmits on
# the TAP must reach port_recv() intact, frames from port_send() must reach
# the kernel intact.  Also: attaching to an existing (persistent) TAP, and
# the device disappearing with the port when the port created it.
. "$(dirname "$0")/../lib/common.sh"
require_root
require_cmd ip
[ -c /dev/net/tun ] || skip "no /dev/net/tun"
IO=$PLURAL_BUILD/lib/dp/test-port-io
[ -x "$IO" ] || fail "missing $IO (build first)"

netns_add "${P}t"
# Created by the port, removed when it closes.
"$IO" io "tap:${P}v" "${P}t" "${P}t" "${P}v" || fail "io through a new tap"
ip -n "${P}t" link show "${P}v" >/dev/null 2>&1 &&
    fail "tap created by the port outlived it"
# Attached to a persistent tap (as a VM launcher would create).
ip -n "${P}t" tuntap add dev "${P}w" mode tap || fail "cannot create tap"
"$IO" io "tap:${P}w" "${P}t" "${P}t" "${P}w" || fail "io through an existing tap"
ip -n "${P}t" link show "${P}w" >/dev/null 2>&1 ||
    fail "persistent tap removed by the port"
pass
