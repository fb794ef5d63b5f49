#!/bin/bash
# fault-fd-limits (issue 12, item 5): the limits that keep descriptors from
# running out, in each daemon (plural-switchd, plural-controller,
# plural-slicer), in the test's own namespace:
#   - the soft RLIMIT_NOFILE is raised to the hard limit at start;
#   - --max-connections 20: of 50 idle peers, 30 are closed at once
#     (listener_refused_cap), and the service goes on;
#   - --handshake-timeout 1: the 20 accepted idle peers are closed after a
#     second (listener_handshake_timeouts);
#   - over TLS (switchd and slicer, pssl): 50 stalled ClientHellos are
#     closed after a second instead of being kept forever.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/res-lib.sh"
res_require

for kind in switchd controller slicer; do
    # The soft limit 64 is raised to the hard one.
    res_start "$kind" soft:64 --max-connections 20 --handshake-timeout 1
    soft=$(awk '/Max open files/ { print $4 }' "/proc/$PID/limits")
    hard=$(awk '/Max open files/ { print $5 }' "/proc/$PID/limits")
    [ "$soft" = "$hard" ] || fail "$kind: open-files limit not raised: soft $soft, hard $hard"

    res_peers idle "$PORT" 50 4 >"$T/idle-$kind.out" 2>&1 || fail "$kind: peers failed"
    read -r _ opened _ closed <"$T/idle-$kind.out"
    refused=$(res_counter listener_refused_cap)
    timeouts=$(res_counter listener_handshake_timeouts)
    log "$kind: limit $soft/$hard; idle peers: opened $opened, closed by the daemon $closed;" \
        "listener_refused_cap $refused, listener_handshake_timeouts $timeouts"
    [ "$opened" = 50 ] || fail "$kind: only $opened of 50 connections opened"
    [ "$refused" -ge 30 ] || fail "$kind: $refused connections refused over --max-connections 20 (expected 30)"
    [ "$timeouts" -ge 20 ] || fail "$kind: $timeouts idle connections timed out (expected 20 after --handshake-timeout 1)"
    [ "$closed" = 50 ] || fail "$kind: $closed of 50 idle peers closed within 4 s"
    res_peers echo "$PORT" >"$T/echo-$kind.out" 2>&1 || fail "$kind: a good peer is not served: $(cat "$T/echo-$kind.out")"
    res_stop
done

# Stalled TLS handshakes (the switch's and the slicer's pssl listeners).
"$PLURAL" pki init --dir "$T/ca" >/dev/null || fail "pki init"
"$PLURAL" pki req+sign daemon --dir "$T/ca" >/dev/null || fail "pki req+sign"
RES_TLS="--private-key $T/ca/daemon-privkey.pem --certificate $T/ca/daemon-cert.pem --ca-cert $T/ca/cacert.pem"
for kind in switchd slicer; do
    res_start "$kind" 1024 --handshake-timeout 1
    res_peers tls-stall "$PORT" 50 4 >"$T/tls-$kind.out" 2>&1 || fail "$kind: peers failed"
    read -r _ opened _ closed <"$T/tls-$kind.out"
    timeouts=$(res_counter listener_handshake_timeouts)
    log "$kind: stalled TLS handshakes: opened $opened, closed by the daemon $closed; listener_handshake_timeouts $timeouts"
    [ "$opened" = 50 ] && [ "$closed" = 50 ] || fail "$kind: $closed of $opened stalled TLS handshakes closed within 4 s"
    [ "$timeouts" -ge 50 ] || fail "$kind: listener_handshake_timeouts $timeouts (expected 50)"
    res_stop
done
pass "fd limit raised, connection cap, handshake timeouts (tcp idle and stalled TLS)"
