#!/bin/sh
# A controller node placed in a TCG guest (`vm: g`): the lab starts
# plural-controller there after the guest boots; the slicer reaches it over
# its own link to the guest, and hosts behind the shared plural-switchd ping
# each other through it.  `status` asks the guest whether the controller
# runs (and says DOWN once it is killed); `exec` on the controller node runs
# in the guest; `down` leaves nothing.  A controller whose config (copied
# into the guest) is broken fails `up` with its error, naming the line.
. "$(dirname "$0")/../lib/common.sh"
require_root
require_cmd qemu-system-x86_64 python3
ls /boot/vmlinuz-* >/dev/null 2>&1 || skip "no guest kernel in /boot (linux-image-amd64)"
[ -x /bin/busybox ] || skip "needs busybox-static"
for b in switchd/plural-switchd slicer/plural-slicer controller/plural-controller; do
    [ -x "$PLURAL_BUILD/src/$b" ] || skip "$b not built"
done

name="w$P"
run="$T/run"
port=$(free_port)
cat > "$T/vmc.yml" <<EOF2
name: $name
nodes:
  h1: { kind: host, addresses: { eth1: 10.78.0.1/24 } }
  h2: { kind: host, addresses: { eth1: 10.78.0.2/24 } }
  sw: { kind: plural-switch, controllers: [fv], fail-mode: secure }
  fv:
    kind: slicer
    addresses: { m0: 10.78.9.1/24 }
    slices:
      - { name: net, controller: c, ports: all, flowspace: [arp, ip] }
  g:  { kind: vm, vcpus: 1, memory: 256M, accel: tcg, addresses: { eth0: 10.78.9.2/24 } }
  c:  { kind: controller, app: l2, vm: g, port: $port }
links:
  - endpoints: [h1:eth1, sw:p1]
  - endpoints: [sw:p2, h2:eth1]
  - endpoints: [fv:m0, g:eth0]
EOF2
on_exit "$PLURAL lab down --run-dir $run"
"$PLURAL" lab up "$T/vmc.yml" --run-dir "$run" > "$T/up.log" 2>&1 || { cat "$T/up.log"; fail "lab up"; }
"$PLURAL" lab status --run-dir "$run" > "$T/status.txt"
grep -q "^  c  *controller  *up  *in vm g (guest pid [0-9]*, tcp:10.78.9.2:$port)" "$T/status.txt" \
    || fail "status: $(cat "$T/status.txt")"
"$PLURAL" lab status --run-dir "$run" --json > "$T/status.json"
gpid=$(python3 - "$T/status.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))["nodes"]["c"]
pl = c["placement"]
assert c["alive"] and pl["vm"] == "g" and pl["running"] and pl["guest_pid"] > 0, c
print(pl["guest_pid"])
PY
) || fail "status --json: $(cat "$T/status.json")"
# The process is plural-controller inside the guest, with the copied config.
"$PLURAL" lab exec --run-dir "$run" g -- "cat /proc/$gpid/cmdline | tr '\\0' ' '" \
    | grep -q "^plural-controller --app l2 .*--listen ptcp:$port:10.78.9.2" || fail "guest process"
# exec on the controller node runs where the controller runs: in the guest.
"$PLURAL" lab exec --run-dir "$run" c -- "grep -c 'listening on ptcp:$port:10.78.9.2' /run/c.log" \
    | grep -qx 1 || fail "exec on c did not run in the guest"
wait_for 30 sh -c "'$PLURAL' slice --ctl '$run/fv.ctl' list | grep -q '^net  *tcp:10.78.9.2:$port  *1/1'" \
    || fail "slicer not connected to the guest's controller: $("$PLURAL" slice --ctl "$run/fv.ctl" list)"
"$PLURAL" lab exec --run-dir "$run" h1 -- ping -c 3 -W 5 10.78.0.2 > "$T/ping.txt" \
    || fail "h1 cannot ping h2 through the controller in the guest: $(cat "$T/ping.txt")"
"$PLURAL" lab exec --run-dir "$run" g -- "plural ctl --ctl /run/c.ctl show" | grep -q " up" \
    || fail "the guest's controller does not see the switch"
# Killed in the guest: status says so.
"$PLURAL" lab exec --run-dir "$run" g -- "kill $gpid"
sleep 1
"$PLURAL" lab status --run-dir "$run" | grep -q "^  c  *controller  *DOWN" || fail "status after kill: $("$PLURAL" lab status --run-dir "$run")"
"$PLURAL" lab down --run-dir "$run" > /dev/null || fail "down"
ip netns list | grep -q "^$name-" && fail "namespace left"

# A controller that exits in the guest fails up with the reason.
printf 'interface p1 port 1 mac not-a-mac ip 10.0.0.1/24\n' > "$T/bad.conf"
sed -e "s/app: l2, vm: g, port: $port/app: router, config: bad.conf, vm: g/" \
    -e "s/^name: .*/name: x$P/" "$T/vmc.yml" > "$T/bad.yml"
if "$PLURAL" lab up "$T/bad.yml" --run-dir "$T/run2" > "$T/bad.log" 2>&1; then
    "$PLURAL" lab down --run-dir "$T/run2"
    fail "up succeeded with a broken controller config"
fi
grep -q 'node c: plural-controller in vm g exited: .*/run/c.conf:1: .*bad MAC "not-a-mac"' "$T/bad.log" \
    || fail "no reason given: $(cat "$T/bad.log")"
ip netns list | grep -q "^x$P-" && fail "failed up left a namespace"
pass
