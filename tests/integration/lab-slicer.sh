#!/bin/sh
# A slicer node: plural-slicer between plural-switchd and a slice's
# controller (l2 app).  The lab writes the slice file from the topology;
# hosts reach each other through the slice; `plural slice` sees it; down
# stops the three daemons.  The slice's controller runs inside container
# node k: its process is in k's cgroups and network namespace.
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
  k:  { kind: container, cpu: 0.5, memory: 64M }
  c:  { kind: controller, app: l2, container: k }
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
# The controller (what: l2) is in every cgroup of k and in k's namespace.
cpid=$(tr -d ' \n' < "$run/state.json" | grep -o '"node":"c","pid":[0-9]*' | sed 's/.*"pid"://')
[ -n "$cpid" ] || fail "no controller process recorded: $(cat "$run/state.json")"
cgs=$(tr -d ' \n' < "$run/state.json" | grep -o '"cgroups":\["[^]]*\]' | head -1 | sed 's/"cgroups":\[//; s/\]//; s/"//g; s/,/ /g')
[ -n "$cgs" ] || fail "container k has no cgroups recorded"
for cg in $cgs; do
    case "$cg" in
    /sys/fs/cgroup/plural-lab/*) want="^0::${cg#/sys/fs/cgroup}\$" ;;   # v2
    *) rel=${cg#/sys/fs/cgroup/}                                        # v1: per controller
       want="^[0-9]*:\([a-z_,]*,\)\{0,1\}${rel%%/*}\(,[a-z_,]*\)\{0,1\}:/${rel#*/}\$" ;;
    esac
    grep -q "$want" "/proc/$cpid/cgroup" || fail "controller $cpid not in $cg: $(cat "/proc/$cpid/cgroup")"
done
[ "$(stat -L -c %i "/proc/$cpid/ns/net")" = "$(stat -L -c %i "/run/netns/$name-k")" ] \
    || fail "controller $cpid is not in namespace $name-k"
"$PLURAL" lab status --run-dir "$run" > "$T/status.txt" || fail "status"
grep -q "^  c .*controller .*up .*$name-k" "$T/status.txt" || fail "status: $(cat "$T/status.txt")"
"$PLURAL" lab status --run-dir "$run" --json | tr -d ' \n' > "$T/status.json" || fail "status --json"
grep -q "\"placement\":{\"in_cgroups\":true,\"in_netns\":true,\"pid\":$cpid}" "$T/status.json" \
    || fail "status does not show c placed in k: $(cat "$T/status.json")"
"$PLURAL" lab down --run-dir "$run" >/dev/null || fail "down"
for p in $pids; do running "$p" && fail "process $p survived down"; done
ip netns list | grep -q "$name-" && fail "namespaces left"
pass
