#!/bin/bash
# slice-keep-flows — `plural slice set-controller NAME TARGET --keep-flows`
# moves a slice to a controller that deletes every flow when it connects
# (plural-controller without --keep-flows, like most controllers): the
# slicer holds back that catch-all DELETE (counter deletes_held) and the
# slice's flows stay installed.  Moving again without --keep-flows lets the
# next controller's DELETE through: the flows go.  No root: dummy ports.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/switch-common.sh"
. "$(dirname "$0")/slice-lib.sh"
require_switchd
require_slicer
CONTROLLER=$PLURAL_BUILD/src/controller/plural-controller
[ -x "$CONTROLLER" ] || skip "no $CONTROLLER"

# start_controller NAME: plural-controller (l2) on ptcp:0; sets $cport.
start_controller() {
    "$CONTROLLER" --app l2 --listen ptcp:0:127.0.0.1 --ctl "$T/$1.ctl" >"$T/$1.log" 2>&1 &
    on_exit "kill $! 2>/dev/null"
    wait_for 10 grep -q "listening on TCP port" "$T/$1.log" || fail "$1 did not start: $(cat "$T/$1.log")"
    cport=$(sed -n 's/.*listening on TCP port \([0-9]*\).*/\1/p' "$T/$1.log" | head -n1)
}
up() { "$PLURAL" ctl --ctl "$T/$1.ctl" show | grep -q "switches: 1 up"; }
held() { slice --json show clean | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["counters"]["deletes_held"])'; }
l2_flows() { sw s dump-flows | grep -c "actions=output" || true; }
no_l2_flows() { [ "$(l2_flows)" = 0 ]; }

start_controller first; first=$cport
start_controller second; second=$cport
start_controller third; third=$cport
cat >"$T/slices.json" <<EOT
{"slices": [
  {"name": "clean", "controller": "tcp:127.0.0.1:$first", "ports": [1, 2],
   "flowspace": [{"match": "dl_vlan=0xffff", "priority": 100, "perms": "rw"}]}
]}
EOT
slicer_start "" --listen ptcp:0:127.0.0.1 --config "$T/slices.json"
sport=$(sed -n 's/.*listening for switches on TCP port \([0-9]*\).*/\1/p' "$T/slicer.log" | head -n1)
switchd_start s --port dummy:p1 --port dummy:p2 --controller "tcp:127.0.0.1:$sport" --fail-mode secure
wait_for 10 up first || fail "first controller did not get the switch: $(tail "$T/slicer.log")"

# The first controller's l2 app installs flows through the slicer.
a=$(frame udp 02:00:00:00:00:01 02:00:00:00:00:02 10.0.0.1 10.0.0.2 1 2)
b=$(frame udp 02:00:00:00:00:02 02:00:00:00:00:01 10.0.0.2 10.0.0.1 2 1)
sw s inject 1 "$a"; sw s inject 2 "$b"; sw s inject 1 "$a"
wait_for 10 sh -c "'$PLURAL' switch --ctl '$T/s.ctl' dump-flows | grep -q actions=output" ||
    fail "no flow from the first controller: $(sw s dump-flows)"
sw s dump-flows | grep "actions=output" | sed 's/.*priority=/priority=/' | sort >"$T/flows-before"
[ "$(held)" = 0 ] || fail "deletes_held not 0 before any move"

# Move with --keep-flows: the second controller's delete-all is held back.
slice set-controller clean "tcp:127.0.0.1:$second" --keep-flows=30 || fail "set-controller --keep-flows failed"
wait_for 10 up second || fail "second controller did not get the switch"
held_once() { [ "$(held)" -ge 1 ]; }
wait_for 10 held_once || fail "no DELETE held back: $(slice show clean)"
grep -q "held back a catch-all DELETE from the new controller" "$T/slicer.log" || fail "hold not logged"
# (Held means dropped by the slicer: nothing of it can reach the switch later.)
sw s dump-flows | grep "actions=output" | sed 's/.*priority=/priority=/' | sort >"$T/flows-after"
missing=$(comm -23 "$T/flows-before" "$T/flows-after")
[ -z "$missing" ] || fail "flows lost in a --keep-flows move: $missing"

# Bad option is refused.
slice set-controller clean "tcp:127.0.0.1:$second" --keep-flows=0 2>/dev/null &&
    fail "--keep-flows=0 accepted"

# Move without it: the third controller's delete-all goes through.
before=$(held)
slice set-controller clean "tcp:127.0.0.1:$third" || fail "set-controller failed"
wait_for 10 up third || fail "third controller did not get the switch"
wait_for 10 no_l2_flows || fail "the third controller's delete-all did not remove the flows: $(sw s dump-flows)"
[ "$(held)" = "$before" ] || fail "a DELETE was held without --keep-flows"
log "kept $(wc -l <"$T/flows-before") flows across a --keep-flows move"
slicer_check
finish
