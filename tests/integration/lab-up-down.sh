#!/bin/sh
# plural lab up/exec/down of a 3-node topology (host -> linux-router ->
# container): traffic flows through the router, exec returns the command's
# status and runs inside the container's cgroups; down leaves no namespace,
# link, cgroup, process or run directory behind.  Broken files are refused
# with file:line.
. "$(dirname "$0")/../lib/common.sh"
require_root
require_cmd ip ping

name="t$P"
run="$T/run"
cat > "$T/three.yml" <<EOF2
name: $name
nodes:
  a:
    kind: host
    addresses: { eth1: 10.77.1.1/24 }
    routes: [ { dst: default, via: 10.77.1.254 } ]
  r:
    kind: linux-router
    addresses: { eth1: 10.77.1.254/24, eth2: 10.77.2.254/24 }
  b:
    kind: container
    cpu: 0.5
    memory: 64M
    cpus: [0]
    addresses: { eth1: 10.77.2.1/24 }
    routes: [ { dst: default, via: 10.77.2.254 } ]
  s:
    kind: host
links:
  - endpoints: [a:eth1, r:eth1]
  - endpoints: [r:eth2, b:eth1]
    mtu: 1400
EOF2
on_exit "$PLURAL lab down --run-dir $run"

"$PLURAL" lab up "$T/three.yml" --run-dir "$run" > "$T/up.log" 2>&1 || { cat "$T/up.log"; fail "lab up"; }
[ -f "$run/state.json" ] || fail "no state file"
for n in a r b s; do
    ip netns list | grep -qw "$name-$n" || fail "namespace $name-$n missing"
done
"$PLURAL" lab exec --run-dir "$run" a -- ping -c1 -W3 10.77.2.1 >/dev/null || fail "a cannot reach b through r"
out=$("$PLURAL" lab exec --run-dir "$run" b -- sh -c 'cat /proc/self/cgroup; ls /sys/class/net')
echo "$out" | grep -q "plural-lab/$name-b" || fail "exec in b is not in b's cgroup: $out"
echo "$out" | grep -qx eth1 || fail "/sys/class/net in b does not show eth1: $out"
"$PLURAL" lab exec --run-dir "$run" b -- sh -c 'exit 7'
[ $? -eq 7 ] || fail "exec did not return the command's status"
ip -n "$name-b" link show eth1 | grep -q "mtu 1400" || fail "mtu not set"
"$PLURAL" lab status --run-dir "$run" | grep -q "objects: .* recorded, .* present" || fail "status"
"$PLURAL" lab status --run-dir "$run" --json | grep -q '"present": false' && fail "status shows missing objects"
[ "$(ip netns exec "$name-r" cat /proc/sys/net/ipv4/ip_forward)" = 1 ] || fail "r does not forward"

# A process left running by exec (host node, no cgroup) goes with down.
"$PLURAL" lab exec --run-dir "$run" s -- sh -c "sleep 600 >/dev/null 2>&1 & echo \$! > $T/bg.pid"
bg=$(cat "$T/bg.pid")
[ -n "$bg" ] && kill -0 "$bg" || fail "background process not started"

# A second up of the same lab is refused and changes nothing.
"$PLURAL" lab up "$T/three.yml" --run-dir "$run" 2>/dev/null && fail "second up accepted"

"$PLURAL" lab down --run-dir "$run" > /dev/null || fail "lab down"
ip netns list | grep -q "$name-" && fail "namespaces left: $(ip netns list | grep "$name-")"
ls -d /sys/fs/cgroup/*/plural-lab/"$name"-* /sys/fs/cgroup/plural-lab/"$name"-* 2>/dev/null && fail "cgroups left"
[ -e "$run" ] && fail "run directory left"
[ -r "/proc/$bg/stat" ] && [ "$(sed 's/.*) //' "/proc/$bg/stat" | cut -c1)" != Z ] && fail "process $bg left in a node survived down"
ip -o link | grep -q "10.77." && fail "links left"
"$PLURAL" lab down --run-dir "$run" 2>/dev/null && fail "down of nothing succeeded"

# A broken file is refused with its line and the reason.
printf 'name: %s\nnodes:\n  a: { kind: host }\nlinks:\n  - endpoints: [a:eth1, z:eth1]\n' "$name" > "$T/bad.yml"
"$PLURAL" lab up "$T/bad.yml" --run-dir "$run" 2> "$T/bad.err" && fail "broken file accepted"
grep -q "bad.yml:5: link to a missing node 'z'" "$T/bad.err" || fail "error message: $(cat "$T/bad.err")"
ip netns list | grep -q "$name-" && fail "refused file made namespaces"
pass
