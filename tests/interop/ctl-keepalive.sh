#!/bin/bash
# Keepalive and handshake timeouts, driven by the controller's clock over the
# control socket (clock/warp): no sleeping on timeouts.  A peer that
# completes the handshake and then goes silent is probed with ECHO_REQUEST
# after --probe-interval and dropped after another; a peer that never
# finishes the handshake is dropped after 10 s.  No root.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/ctl-lib.sh"
require_controller
PORT=$(free_port)
controller_start k "" --app l2 --listen "ptcp:$PORT:127.0.0.1" --probe-interval 5000

# HELLO + a FEATURES_REPLY (dpid 7, no ports), then silence.
HELLO='\x01\x00\x00\x08\x00\x00\x00\x01'
FEATURES='\x01\x06\x00\x20\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00\x07\x00\x00\x01\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'
bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT; printf '$HELLO$FEATURES' >&3; exec sleep 60" &
silent=$!
on_exit "kill $silent 2>/dev/null"
bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT; printf '$HELLO' >&3; exec sleep 60" &
stuck=$!
on_exit "kill $stuck 2>/dev/null"
wait_for 10 ctl_switches_up k 1 || fail "the silent peer never came up: $(ctl k show)"
ctl k clock/stop >/dev/null
ctl k clock/warp 6000 >/dev/null
wait_for 5 ctl_switches_up k 1 || fail "dropped before the echo probe went unanswered"
ctl k clock/warp 6000 >/dev/null
wait_for 5 grep -q "no reply to echo request" "$T/k.log" || fail "silent switch not dropped: $(ctl k show)"
wait_for 5 grep -q "handshake timed out" "$T/k.log" || fail "stuck handshake not dropped"
wait_for 5 ctl_switches_up k 0 || fail "switch still listed up: $(ctl k show)"
pass
