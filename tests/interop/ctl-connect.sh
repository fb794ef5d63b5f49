#!/bin/bash
# plural-controller --connect: it connects to switches that listen (here 2
# emulated switches of the bench generator in passive mode), completes the
# handshake, serves flow setups, and reconnects with back-off after the
# switches go away and come back.  No root.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/ctl-lib.sh"
require_controller
GEN=$PLURAL_BUILD/bench/ctl-setup-rate/ctl-setup-rate
[ -x "$GEN" ] || skip "ctl-setup-rate not built at $GEN"
PORT=$(free_port)
"$GEN" --target "ptcp:$PORT:127.0.0.1" --switches 2 --macs 50 --window 4 --warmup-ms 100 \
    --duration-ms 1500 >"$T/gen1.out" 2>&1 &
gen=$!
controller_start c "" --app l2 --connect "tcp:127.0.0.1:$PORT" --connect "tcp:127.0.0.1:$PORT"
wait $gen || fail "first round: $(cat "$T/gen1.out")"
grep -q "(up 2)" "$T/gen1.out" || fail "handshake incomplete: $(cat "$T/gen1.out")"
wait_for 10 sh -c "\"$PLURAL\" ctl --ctl $T/c.ctl show | grep -q '^switches: 0 up'" ||
    fail "switches not seen going down: $(ctl c show)"
# The switches come back: the controller reconnects on its own.
"$GEN" --target "ptcp:$PORT:127.0.0.1" --switches 2 --macs 50 --window 4 --warmup-ms 100 \
    --duration-ms 1500 >"$T/gen2.out" 2>&1 || fail "second round: $(cat "$T/gen2.out")"
grep -q "(up 2), .*: [1-9][0-9]* setups" "$T/gen2.out" || fail "no setups after reconnecting: $(cat "$T/gen2.out")"
grep -q "connected" "$T/c.log" || fail "no connection logged"
pass
