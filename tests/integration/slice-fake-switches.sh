#!/bin/bash
# slice-fake-switches — fake switches cannot make plural-slicer amplify
# (issue 12, item 8).  Before: every TCP connection that sent a
# FEATURES_REPLY got one connection to every slice's controller.  Now:
#   1. 30 connections sending FEATURES_REPLY without HELLO: no controller
#      connection at all (the handshake is HELLO, then FEATURES_REPLY);
#   2. 10 switches completing the handshake with the same dpid, one after
#      another: one controller connection open at the end (the newest
#      connection replaces the old), one switch listed;
#   3. --max-switches 40: of 50 connections to a second listener, 40 are
#      kept and 10 closed at once.
# Scripted peers (slice-fake-switches.py); no root.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/slice-lib.sh"
require_slicer

FAKE="python3 $(dirname "$0")/slice-fake-switches.py"
APORT=$(free_port); BPORT=$(free_port); SPORT=$(free_port); S2PORT=$(free_port)
cat >"$T/slices.json" <<JSON
{"slices": [
  {"name": "a", "controller": "tcp:127.0.0.1:$APORT", "flowspace": [{"match": "dl_vlan=10"}]},
  {"name": "b", "controller": "tcp:127.0.0.1:$BPORT", "flowspace": [{"match": "dl_vlan=20"}]}
]}
JSON
$FAKE controller "$APORT" "$T/a.count" &
echo $! >"$T/a.pid"
$FAKE controller "$BPORT" "$T/b.count" &
echo $! >"$T/b.pid"
on_exit "kill_pidfile $T/a.pid; kill_pidfile $T/b.pid"
wait_for 10 test -s "$T/a.count" -a -s "$T/b.count" || fail "controllers did not start"
slicer_start "" --listen "ptcp:$SPORT:127.0.0.1" --listen "ptcp:$S2PORT:127.0.0.1" \
    --config "$T/slices.json" --max-switches 40

# 1. No HELLO: never a switch.
out=$($FAKE switches "$SPORT" 30 nohello 1.5) || fail "fake switches: $out"
for c in a b; do
    grep -q "^total=0 " "$T/$c.count" ||
        fail "FEATURES_REPLY without HELLO opened controller connections: $c $(cat "$T/$c.count")"
done
# 2. One dpid, ten connections: one set of upstream connections.
$FAKE switches "$SPORT" 10 samedpid 1.5 30 >"$T/same.out" &
echo $! >"$T/same.pid"
on_exit "kill_pidfile $T/same.pid"
wait_for 20 test -s "$T/same.out" || fail "same dpid: no result"
out=$(cat "$T/same.out")
[ "$out" = "closed=9 kept=1" ] || fail "same dpid: $out (expected the 9 older ones closed)"
for c in a b; do
    wait_for 5 grep -q "^total=10 open=1$" "$T/$c.count" ||
        fail "same dpid: controller $c has $(cat "$T/$c.count")"
done
[ "$(slice switches | grep -c 0000000000000042)" = 1 ] || fail "switches: $(slice switches)"
kill_pidfile "$T/same.pid"
# 3. The cap, per listener.
out=$($FAKE switches "$S2PORT" 50 silent 1.5)
[ "$out" = "closed=10 kept=40" ] || fail "--max-switches 40: $out"
slicer_check
pass
