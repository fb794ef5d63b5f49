#!/bin/bash
# slice-dead-controllers — slices whose controllers are down cost the live
# slice nothing (issue 12, item 12): 1 live slice (plural-controller --app
# l2) and 299 slices whose controllers are down (tcp:127.0.0.1:1), 4
# emulated switches (bench/ctl-setup-rate).  The bound checked is
# functional, not a timing: once the slicer has seen every dead slice's
# connections fail, it keeps one reconnecting connection per dead slice
# (the prober) and parks the others (no socket, no timer): 299 x 3 parked,
# 299 probers; and the live slice's switches get their flows set up
# (FLOW_MODs for their PACKET_INs).  Before: 1,196 connections retrying
# every 2 s, and the event loop scanned every timer for every due one.
# No root.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/ctl-lib.sh"
. "$(dirname "$0")/slice-lib.sh"
require_slicer
require_controller
GEN=$PLURAL_BUILD/bench/ctl-setup-rate/ctl-setup-rate
[ -x "$GEN" ] || skip "ctl-setup-rate not built at $GEN"

CPORT=$(free_port); SPORT=$(free_port)
python3 - "$CPORT" >"$T/slices.json" <<'PY'
import json, sys
s = [{"name": "live", "controller": "tcp:127.0.0.1:%s" % sys.argv[1],
      "flowspace": [{"match": "dl_vlan=0xffff"}]}]
s += [{"name": "dead%d" % i, "controller": "tcp:127.0.0.1:1",
       "flowspace": [{"match": "dl_vlan=%d" % i}]} for i in range(1, 300)]
print(json.dumps({"slices": s}))
PY
controller_start c "" --app l2 --listen "ptcp:$CPORT:127.0.0.1"
wait_for 10 sh -c "ss -Hltn 'sport = :$CPORT' | grep -q ." || fail "controller does not listen"
slicer_start "" --listen "ptcp:$SPORT:127.0.0.1" --config "$T/slices.json"

"$GEN" --target "tcp:127.0.0.1:$SPORT" --switches 4 --macs 100 --window 8 \
    --start-delay-ms 500 --warmup-ms 4000 --duration-ms 2000 >"$T/gen.out" 2>&1 &
gpid=$!
on_exit "kill $gpid 2>/dev/null"
count() {
    "$PLURAL" slice --ctl "$T/slicer.ctl" --json list | python3 -c '
import json, sys
parked = probers = live = 0
for s in json.load(sys.stdin):
    for sw in s["switches"]:
        if s["name"] == "live":
            live += sw["connected"]
        elif sw["parked"]:
            parked += 1
        else:
            probers += 1
print("parked=%d probers=%d live=%d" % (parked, probers, live))'
}
want="parked=897 probers=299 live=4"
for _ in $(seq 30); do      # a safety net, not a timing: usually 1-2 s
    got=$(count)
    [ "$got" = "$want" ] && break
    sleep 0.5
done
[ "$got" = "$want" ] || fail "dead slices not parked: $got (expected $want)"
slice show dead7 | grep -q "parked (controller down" || fail "slice show: $(slice show dead7)"
wait $gpid || fail "no flow set up for the live slice: $(cat "$T/gen.out")"
log "$(cat "$T/gen.out")"
slicer_check
pass
