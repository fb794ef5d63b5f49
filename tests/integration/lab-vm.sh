#!/bin/sh
# A TCG guest boots from plural's initramfs, runs commands through the
# control channel (exit code and output come back, time measured on the
# host) and is reachable over its tap; down stops QEMU and removes the tap.
. "$(dirname "$0")/../lib/common.sh"
# running PID: exists and is not a zombie waiting for its reaper.
running() { [ -r "/proc/$1/stat" ] && [ "$(sed 's/.*) //' "/proc/$1/stat" | cut -c1)" != Z ]; }
require_root
require_cmd qemu-system-x86_64
ls /boot/vmlinuz-* >/dev/null 2>&1 || skip "no guest kernel in /boot (linux-image-amd64)"
[ -x /bin/busybox ] || skip "needs busybox-static"

name="v$P"
run="$T/run"
cat > "$T/vm.yml" <<EOF2
name: $name
nodes:
  h: { kind: host, addresses: { eth1: 10.79.0.1/24 } }
  g: { kind: vm, vcpus: 1, memory: 256M, nic: virtio, accel: tcg,
       addresses: { eth0: 10.79.0.2/24 } }
links:
  - endpoints: [h:eth1, g:eth0]
EOF2
on_exit "$PLURAL lab down --run-dir $run"
"$PLURAL" lab up "$T/vm.yml" --run-dir "$run" > "$T/up.log" 2>&1 || { cat "$T/up.log" "$run"/g.log; fail "lab up"; }
"$PLURAL" lab status --run-dir "$run" | grep -q "g .*vm .*up .*accel=tcg" || fail "status: $("$PLURAL" lab status --run-dir "$run")"

out=$("$PLURAL" lab exec --run-dir "$run" --time g -- 'echo hello-from-$(uname -r); exit 42' 2> "$T/time.txt")
rc=$?
[ $rc -eq 42 ] || fail "guest exit code $rc, wanted 42"
echo "$out" | grep -q "^hello-from-$(ls /boot/vmlinuz-* | sed 's,.*vmlinuz-,,' | head -1)" || fail "guest output: $out"
grep -q "s (host clock)" "$T/time.txt" || fail "no host-measured time"
"$PLURAL" lab exec --run-dir "$run" g -- 'ip -o addr show eth0' | grep -q "10.79.0.2/24" || fail "guest address"
"$PLURAL" lab exec --run-dir "$run" h -- ping -c1 -W5 10.79.0.2 >/dev/null || fail "host cannot reach the guest"
# plural-controller and its libraries are in the initramfs: it runs in the guest.
if [ -x "$PLURAL_BUILD/src/controller/plural-controller" ]; then
    "$PLURAL" lab exec --run-dir "$run" g -- plural-controller --version | grep -q "^plural-controller " \
        || fail "plural-controller does not run in the guest"
    # A controller in the guest serves a plural-switchd in h over the tap.
    if [ -x "$PLURAL_BUILD/src/switchd/plural-switchd" ]; then
        port=$(free_port)
        "$PLURAL" lab exec --run-dir "$run" g -- "plural-controller --app l2 --listen ptcp:$port \
            --ctl /tmp/c.ctl --log-file /tmp/c.log </dev/null >/dev/null 2>&1 &" || fail "guest controller"
        "$PLURAL" lab exec --run-dir "$run" h -- sh -c "echo \$\$ > $T/sw.pid; exec \
            $PLURAL_BUILD/src/switchd/plural-switchd --dpid 0000000000000abc --fail-mode secure \
            --controller tcp:10.79.0.2:$port --ctl $T/sw.ctl > $T/sw.log 2>&1" &
        on_exit "kill_pidfile $T/sw.pid"
        wait_for 20 sh -c "'$PLURAL' lab exec --run-dir '$run' g -- plural ctl --ctl /tmp/c.ctl show \
            | grep -q '^  0000000000000abc tcp:10.79.0.1:[0-9]* up'" \
            || fail "switch in h not connected to the guest's controller: $(cat "$T/sw.log")"
    fi
fi
pid=$(sed -n 's/.*"pid": \([0-9]*\).*/\1/p' "$run/state.json" | tail -1)
"$PLURAL" lab down --run-dir "$run" >/dev/null || fail "down"
[ -n "$pid" ] && running "$pid" && fail "qemu $pid survived down"
ip netns list | grep -q "$name-" && fail "namespace left"
pass
