#!/bin/sh
# Containers on a pure cgroup v2 host, as far as this machine allows.  Its
# cpu, memory and cpuset controllers are bound to cgroup v1 hierarchies, so
# the test makes a v2-only view of the host inside a private mount
# namespace (cgroup2 mounted over /sys/fs/cgroup, as on a v2 host) and
# checks on that real cgroup2 filesystem: the lab sees v2 and makes
# /sys/fs/cgroup/plural-lab/NAME-NODE (not the v1 per-controller paths);
# a limit whose controller the v2 tree lacks (memory.max here) fails `up`
# with the file named, and the teardown removes the v2 directory and the
# namespace; a container without limits still comes up, runs `exec` and
# goes down.  Not covered here: the limits themselves on v2 (cpu.max,
# memory.max, cpuset.cpus), which need the controllers v1 holds.
. "$(dirname "$0")/../lib/common.sh"
require_root
require_cmd unshare mount
[ -x "$PLURAL" ] || skip "plural not built at $PLURAL"

cat > "$T/inner.sh" <<'EOF2'
set -eu
# Whatever happens below, no lab stays up (its namespaces live in /run/netns).
trap 'rc=$?; set +e; "$PLURAL" lab down --run-dir "$T/run" >/dev/null 2>&1; "$PLURAL" lab down --run-dir "$T/run2" >/dev/null 2>&1; exit $rc' EXIT
mount --make-rprivate /
mount -t cgroup2 none /sys/fs/cgroup
[ -f /sys/fs/cgroup/cgroup.controllers ] || { echo "no cgroup2"; exit 3; }
cat > "$T/m.yml" <<EOF3
name: ${NAME}
nodes:
  c: { kind: container, memory: 64M }
EOF3
if "$PLURAL" lab up "$T/m.yml" --run-dir "$T/run2" > "$T/m.log" 2>&1; then
    "$PLURAL" lab down --run-dir "$T/run2"; echo "up with an unavailable limit succeeded"; exit 1
fi
cat "$T/m.log" >&2
grep -q "/sys/fs/cgroup/plural-lab/${NAME}-c/memory.max" "$T/m.log" ||
    { echo "no v2 path or file named: $(cat "$T/m.log")"; exit 1; }
[ ! -d "/sys/fs/cgroup/plural-lab/${NAME}-c" ] || { echo "failed up left its v2 cgroup"; exit 1; }
[ ! -d /sys/fs/cgroup/memory ] || { echo "v1 view still there"; exit 1; }
ip netns list 2>/dev/null | grep -q "^${NAME}-" && { echo "failed up left a namespace"; exit 1; }
cat > "$T/c.yml" <<EOF3
name: ${NAME}n
nodes:
  c: { kind: container }
EOF3
"$PLURAL" lab up "$T/c.yml" --run-dir "$T/run" > "$T/up.log" 2>&1 || { cat "$T/up.log"; echo "up failed"; exit 1; }
"$PLURAL" lab exec --run-dir "$T/run" c -- true || { echo "exec failed"; exit 1; }
"$PLURAL" lab down --run-dir "$T/run" >/dev/null || { echo "down failed"; exit 1; }
echo ok
EOF2
out=$(T="$T" NAME="g$P" PLURAL="$PLURAL" unshare -m sh "$T/inner.sh" 2>&1)
rc=$?
[ $rc -eq 3 ] && skip "cannot mount cgroup2 here"
[ $rc -eq 0 ] || fail "$out"
ip netns list 2>/dev/null | grep -q "^g$P" && fail "namespace left"
pass "cgroup v2 view: v2 paths, an unavailable limit refused with its file, teardown"
