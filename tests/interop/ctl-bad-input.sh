#!/bin/bash
# Bad input to plural-controller (no root, no peers):
#  - config errors (overlapping interface, bad prefix, unreachable next hop,
#    unknown keyword) stop it with exit 1 and one line naming FILE:LINE;
#  - usage errors exit 2; --help exits 0;
#  - run-time `plural ctl route add` with an unreachable next hop or a bad
#    prefix fails with exit 1 and a one-line reason;
#  - snapshot/restore moves run-time routes to another controller; a bad
#    `reconfigure` is refused and changes nothing;
#  - peers that send garbage are disconnected and logged as the peer's fault
#    while 4 emulated switches (the bench generator) keep being served.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/ctl-lib.sh"
require_controller
GEN=$PLURAL_BUILD/bench/ctl-setup-rate/ctl-setup-rate
[ -x "$GEN" ] || skip "ctl-setup-rate not built at $GEN"

IF1="interface eth1 port 1 mac 02:00:00:00:01:01 ip 10.0.1.1/24"
check_config() {   # check_config WANT-SUBSTRING LINES...
    _want=$1; shift
    printf '%s\n' "$@" >"$T/bad.conf"
    set +e
    "$CONTROLLER" --app router --config "$T/bad.conf" --listen ptcp:0:127.0.0.1 >"$T/out" 2>&1
    _rc=$?
    set -e
    [ "$_rc" = 1 ] || fail "config '$*': exit $_rc, want 1"
    [ "$(wc -l <"$T/out")" = 1 ] || fail "config '$*': not one line: $(cat "$T/out")"
    grep -qF "$_want" "$T/out" || fail "config '$*': '$(cat "$T/out")' lacks '$_want'"
}
set -e
check_config "bad.conf:3: interface eth2: subnet 10.0.0.0/16 overlaps interface eth1 (10.0.1.0/24, line 2)" \
    "# overlap" "$IF1" "interface eth2 port 2 mac 02:00:00:00:02:01 ip 10.0.2.1/16"
check_config "bad.conf:2: bad prefix \"10.9.0.0/33\"" "$IF1" "route 10.9.0.0/33 via 10.0.1.2"
check_config "bad.conf:2: route 10.9.0.0/16: next hop 10.0.7.1 is unreachable" "$IF1" "route 10.9.0.0/16 via 10.0.7.1"
check_config "bad.conf:1: unknown keyword \"routes\"" "routes 10.0.0.0/8 via 10.0.1.2" "$IF1"
check_config "bad.conf: no interface defined" "# empty" "mode reactive"
set +e
"$CONTROLLER" --app nosuch --listen ptcp:0 >/dev/null 2>&1; [ $? = 2 ] || fail "unknown app: want exit 2"
"$CONTROLLER" --app l2 >/dev/null 2>&1; [ $? = 2 ] || fail "no --listen/--connect: want exit 2"
"$CONTROLLER" --bogus >/dev/null 2>&1; [ $? = 2 ] || fail "unknown option: want exit 2"
"$CONTROLLER" --help | grep -q "^usage: plural-controller" || fail "--help"
"$PLURAL" ctl --ctl "$T/none.ctl" show >/dev/null 2>"$T/err"; [ $? = 1 ] || fail "ctl without daemon: want exit 1"
[ "$(wc -l <"$T/err")" = 1 ] || fail "ctl without daemon: not one line: $(cat "$T/err")"
"$PLURAL" ctl >/dev/null 2>&1; [ $? = 2 ] || fail "plural ctl without command: want exit 2"
set -e

# Signals during shutdown: SIGTERM again and again until the controller is
# gone.  It must exit (0, or 143 when a later SIGTERM ends the teardown): a
# handler that ran on the freed event loop hung it under ASan.
"$CONTROLLER" --app l2 --listen ptcp:0:127.0.0.1 --ctl "$T/sig.ctl" >"$T/sig.log" 2>&1 &
sig=$!
on_exit "kill_ours $sig $T/sig.ctl KILL"     # a hung one
wait_for 10 "$PLURAL" ctl --ctl "$T/sig.ctl" show || fail "controller for the signal check did not start"
end=$(( $(date +%s) + 10 ))
while runs_ours $sig "$T/sig.ctl" && [ "$(date +%s)" -lt "$end" ]; do
    # A burst right after the check (pids are handed out in sequence: this
    # one cannot be reused within the burst).
    for _i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
        kill $sig 2>/dev/null || break
    done
done
runs_ours $sig "$T/sig.ctl" && fail "plural-controller still running 10 s into repeated SIGTERMs (hung in its teardown)"
set +e
wait $sig; rc=$?
set -e
[ "$rc" = 0 ] || [ "$rc" = 143 ] || fail "plural-controller exited $rc under repeated SIGTERMs: $(tail -5 "$T/sig.log")"

# Run time: a router and garbage peers.
printf '%s\n' "$IF1" "interface eth2 port 2 mac 02:00:00:00:02:01 ip 10.0.2.1/24" >"$T/router.conf"
PORT=$(free_port)
controller_start r "" --app router --config "$T/router.conf" --listen "ptcp:$PORT:127.0.0.1"
for args in "10.9.0.0/16 via 10.7.7.7:next hop 10.7.7.7 is unreachable" \
            "10.9.0.0/40 via 10.0.1.2:bad prefix" \
            "10.9.0.1/16 via 10.0.1.2:host bits set"; do
    set +e
    out=$(ctl r route add ${args%%:*} 2>&1); rc=$?
    set -e
    [ "$rc" = 1 ] && [ "$(echo "$out" | wc -l)" = 1 ] && echo "$out" | grep -q "${args#*:}" ||
        fail "route add ${args%%:*}: rc $rc, '$out'"
done
ctl r route add 10.9.0.0/16 via 10.0.2.2 || fail "a good route was refused"
ctl r route | grep -q "^10.9.0.0/16 .*10.0.2.2 .*runtime" || fail "route not shown: $(ctl r route)"
# Snapshot / restore carries run-time state to a second controller; a bad
# reconfiguration is refused in one line and changes nothing.
ctl r snapshot >"$T/snap.json"
grep -q '"10.9.0.0/16"' "$T/snap.json" || fail "snapshot lacks the run-time route: $(cat "$T/snap.json")"
controller_start r2 "" --app router --config "$T/router.conf" --listen "ptcp:$(free_port):127.0.0.1"
ctl r2 restore "$T/snap.json" >/dev/null || fail "restore failed"
ctl r2 route | grep -q "^10.9.0.0/16 .*runtime" || fail "restored controller lacks the route: $(ctl r2 route)"
printf '%s\n' "$IF1" "route 10.8.0.0/16 via 10.0.9.9" >"$T/bad.conf"
set +e
out=$(ctl r reconfigure "$T/bad.conf" 2>&1); rc=$?
set -e
[ "$rc" = 1 ] && echo "$out" | grep -q "bad.conf:2: route 10.8.0.0/16: next hop 10.0.9.9 is unreachable" ||
    fail "bad reconfigure: rc $rc, '$out'"
ctl r route | grep -q "^10.0.2.0/24" || fail "a refused reconfigure changed the routes: $(ctl r route)"
kill_pidfile "$T/r.pid"
kill_pidfile "$T/r2.pid"

PORT=$(free_port)
controller_start l2 "" --app l2 --listen "ptcp:$PORT:127.0.0.1"
"$GEN" --target "tcp:127.0.0.1:$PORT" --switches 4 --macs 100 --window 8 --warmup-ms 200 \
    --duration-ms 3000 >"$T/gen.out" 2>&1 &
gen=$!
wait_for 10 ctl_switches_up l2 4 || fail "emulated switches did not come up"
# Framing error; a malformed PACKET_IN; a HELLO with version 0.
bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT; printf '\x01\x0a\x00\x04\x00\x00\x00\x01' >&3; sleep 0.3"
bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT; printf '\x01\x00\x00\x08\x00\x00\x00\x01\x01\x0a\x00\x0c\x00\x00\x00\x02\x00\x00\x00\x00' >&3; sleep 0.3"
bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT; printf '\x00\x00\x00\x08\x00\x00\x00\x01' >&3; sleep 0.3"
wait $gen || fail "the emulated switches were disturbed: $(cat "$T/gen.out")"
# A garbage peer is done when its bytes are sent, not when the controller
# has read them: wait for each log line (the log is flushed line by line).
for pat in "peer.*length < 8" "peer.*malformed OFPT_PACKET_IN" "peer.*version 0"; do
    wait_for 10 grep -q "$pat" "$T/l2.log" || fail "no peer-fault log line matching '$pat'"
done
grep -q " [1-9][0-9]* setups" "$T/gen.out" || fail "no setups: $(cat "$T/gen.out")"
ctl l2 counters | grep -q "ctl_peer_malformed" || fail "counters lack ctl_peer_malformed"
pass
