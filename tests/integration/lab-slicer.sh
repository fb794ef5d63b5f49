#!/bin/sh
# A slicer node: plural-slicer between plural-switchd and a slice's
# controller (l2 app).  The lab writes the slice file from the topology;
# hosts reach each other through the slice; `plural slice` sees it; down
# stops the three daemons.
. "$(dirname "$0")/../lib/common.sh"
running() { [ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) //' "/proc/$1/stat" | cut -c1)" != Z ]; }
require_root
for b in switchd/plural-switchd controller/plural-controller slicer/plural-slicer; do
    [ -x "$PLURAL_BUILD/src/$b" ] || skip "$b not built"
done

name="s$P"
run="$T/run"
cat > "$T/slicer.yml" <<EOF2
name: $name
nodes:
  h1: { kind: host, addresses: { eth1: 10.33.0.1/24 } }
  h2: { kind: host, addresses: { eth1: 10.33.0.2/24 } }
  sw: { kind: plural-switch, controllers: [fv] }
  fv:
    kind: slicer
    slices:
      - { name: net, controller: c, ports: all, flowspace: [arp, ip] }
  c:  { kind: controller, app: l2 }
links:
  - endpoints: [h1:eth1, sw:p1]
  - endpoints: [h2:eth1, sw:p2]
EOF2
on_exit "$PLURAL lab down --run-dir $run"
"$PLURAL" lab up "$T/slicer.yml" --run-dir "$run" > "$T/up.log" 2>&1 || { cat "$T/up.log"; fail "lab up"; }
grep -q '"controller": "unix:.*/c.sock"' "$run/fv-slices.json" || fail "slice file: $(cat "$run/fv-slices.json")"
wait_for 10 "$PLURAL" lab exec --run-dir "$run" h1 -- ping -c1 -W1 10.33.0.2 || fail "h1 cannot reach h2 through the slice"
"$PLURAL" slice --ctl "$run/fv.ctl" list > "$T/list.txt" || fail "plural slice list"
grep -q "^net .*1/1" "$T/list.txt" || fail "slice not connected: $(cat "$T/list.txt")"
pids=$(sed -n 's/.*"pid": \([0-9]*\).*/\1/p' "$run/state.json")
[ "$(echo $pids | wc -w)" -eq 3 ] || fail "expected 3 daemons, got: $pids"
"$PLURAL" lab down --run-dir "$run" >/dev/null || fail "down"
for p in $pids; do running "$p" && fail "process $p survived down"; done
ip netns list | grep -q "$name-" && fail "namespaces left"
pass
