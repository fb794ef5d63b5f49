#!/bin/sh
# plural lab down after a crash: `up` is killed with SIGKILL while it brings
# up a controller and a plural-switchd (daemons recorded before they run);
# `down` from the recorded state removes every namespace, link and process.
. "$(dirname "$0")/../lib/common.sh"
# running PID: exists and is not a zombie waiting for its reaper.
running() { [ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) //' "/proc/$1/stat" | cut -c1)" != Z ]; }
require_root
[ -x "$PLURAL_BUILD/src/switchd/plural-switchd" ] || skip "plural-switchd not built"
[ -x "$PLURAL_BUILD/src/controller/plural-controller" ] || skip "plural-controller not built"

name="c$P"
run="$T/run"
cat > "$T/sw.yml" <<EOF2
name: $name
nodes:
  h1: { kind: host, addresses: { eth1: 10.78.0.1/24 } }
  h2: { kind: host, addresses: { eth1: 10.78.0.2/24 } }
  sw: { kind: plural-switch, controllers: [c], fail-mode: standalone }
  c:  { kind: controller, app: l2 }
links:
  - endpoints: [h1:eth1, sw:p1]
  - endpoints: [h2:eth1, sw:p2]
EOF2
on_exit "$PLURAL lab down --run-dir $run"
export PLURAL_SWITCHD="$PLURAL_BUILD/src/switchd/plural-switchd"
export PLURAL_CONTROLLER="$PLURAL_BUILD/src/controller/plural-controller"

# First a clean up: the switch forwards (standalone, l2 controller).
"$PLURAL" lab up "$T/sw.yml" --run-dir "$run" > "$T/up.log" 2>&1 || { cat "$T/up.log"; fail "lab up"; }
"$PLURAL" lab status --run-dir "$run" | grep -q "sw .*plural-switch *up" || fail "switch not up"
wait_for 10 "$PLURAL" lab exec --run-dir "$run" h1 -- ping -c1 -W1 10.78.0.2 || fail "h1 cannot reach h2 through the switch"
pids=$("$PLURAL" lab status --run-dir "$run" --json | sed -n 's/.*"pid": \([0-9]*\).*/\1/p')
[ -n "$pids" ] || fail "no processes recorded"
"$PLURAL" lab down --run-dir "$run" >/dev/null || fail "down"
for p in $pids; do running "$p" && fail "process $p survived down"; done

# Now crash `up` once the switch is recorded.
"$PLURAL" lab up "$T/sw.yml" --run-dir "$run" > "$T/up2.log" 2>&1 &
up=$!
wait_for 10 grep -q '"plural-switchd"' "$run/state.json" || fail "switch never recorded"
kill -9 $up
wait $up 2>/dev/null
pids=$(sed -n 's/.*"pid": \([0-9]*\).*/\1/p' "$run/state.json")
"$PLURAL" lab down --run-dir "$run" >/dev/null || fail "down after crash"
ip netns list | grep -q "$name-" && fail "namespaces left after crash + down"
for p in $pids; do running "$p" && fail "process $p survived crash + down"; done
[ -e "$run" ] && fail "run directory left"
pass
