#!/bin/sh
# slice-adversarial — slice "clean" (VLAN 20, ports 1 and 2) is driven by a
# misbehaving controller (slice-evil.py) while slice "ip" (VLAN 10) is
# routed by plural-controller's router app.  Every attempt to reach VLAN 10
# (flows matching or rewriting into it, a PACKET_OUT of a VLAN 10 frame,
# reading all flow stats, deleting all flows) is refused or confined; slice
# ip's flows and traffic are untouched and no VLAN 10 PACKET_IN reaches
# clean's controller.  Then a flow-entry limit and a message-rate limit on
# clean are shown to hold.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/ctl-lib.sh"
. "$(dirname "$0")/slice-lib.sh"
CTL_DATAPLANE=${SLICE_DATAPLANE:-ovs}
require_root
require_controller
require_slicer
require_cmd ping python3

topo_tagged
RPORT=$(free_port); CPORT=$(free_port); SPORT=$(free_port)
# A third switch port that belongs to slice ip only.
veth_add "$X" "$P-tc" "$S" "$P-sc"

cat >"$T/router.conf" <<CONF
mode proactive
idle-timeout 600
interface eth1 port 1 mac 02:00:00:00:01:01 ip 10.0.1.1/24 vlan 10
interface eth2 port 2 mac 02:00:00:00:02:01 ip 10.0.2.1/24 vlan 10
CONF
cat >"$T/slices.json" <<JSON
{"slices": [
  {"name": "ip", "controller": "tcp:127.0.0.1:$RPORT", "ports": [1, 2, 3],
   "flowspace": [{"match": "dl_vlan=10"}]},
  {"name": "clean", "controller": "tcp:127.0.0.1:$CPORT", "ports": [1, 2],
   "flowspace": [{"match": "dl_vlan=20"}]}
]}
JSON
ip netns exec "$S" python3 "$(dirname "$0")/slice-evil.py" "$CPORT" 8 3 >"$T/evil.out" 2>&1 &
evil=$!
on_exit "kill $evil 2>/dev/null"
controller_start router "$S" --app router --config "$T/router.conf" --listen "ptcp:$RPORT:127.0.0.1"
slicer_start "$S" --listen "ptcp:$SPORT:127.0.0.1" --config "$T/slices.json"
sliced_switch_start "$SPORT" "$P-sa" "$P-sb" "$P-sc"
wait_for 30 slice_up ip 1 || fail "slice ip not connected: $(slice list)"
wait_for 20 ctl_switches_up router 1 || fail "router app has no switch"

ip netns exec "$A" ping -c 2 -i 0.3 -W 3 10.0.2.2 >/dev/null 2>&1 || fail "no baseline ping over slice ip"
ip_flows() { dump_flows | grep "dl_vlan=10" | sed 's/.*priority=/priority=/' | sort; }
ip_flows >"$T/ip-flows-before"
[ -s "$T/ip-flows-before" ] || fail "slice ip has no flows"

wait_for 30 grep -q "^watching" "$T/evil.out" || fail "the evil controller did not finish its attacks: $(cat "$T/evil.out")"
# While it watches: VLAN 10 traffic that reaches the controller (pings to
# the router itself, ARP after a neighbour flush) and VLAN 20 traffic as a
# positive control (nothing is installed for it any more: table misses).
ip netns exec "$A" ip neigh flush all
ip netns exec "$A" ping -c 3 -i 0.3 -W 3 10.0.1.1 >/dev/null 2>&1 || fail "router does not answer over slice ip"
ip netns exec "$A" ping -c 3 -i 0.3 -W 3 10.0.2.2 >"$T/ping.out" 2>&1 || fail "ping over slice ip failed during the attack: $(cat "$T/ping.out")"
ip netns exec "$A" ping -c 2 -i 0.3 -W 1 10.20.0.2 >/dev/null 2>&1 || true
wait $evil; status=$?
cat "$T/evil.out" >&2
[ $status = 0 ] || fail "the slicer let slice clean out of its flowspace (see above)"
grep -q "vlan20=[1-9]" "$T/evil.out" || fail "positive control: no VLAN 20 PACKET_IN reached clean"

ip_flows >"$T/ip-flows-after"
diff "$T/ip-flows-before" "$T/ip-flows-after" >&2 || fail "slice ip's flows changed"
ip netns exec "$A" ping -c 3 -i 0.3 -W 3 10.0.2.2 >/dev/null 2>&1 || fail "slice ip broken after the attack"
slice stats clean >"$T/clean-stats"
grep -q "flow_mods_refused *[2-9]" "$T/clean-stats" || fail "refusals not counted: $(cat "$T/clean-stats")"
grep -q "packet_outs_refused *1" "$T/clean-stats" || fail "PACKET_OUT refusal not counted: $(cat "$T/clean-stats")"

# Limits, on a fresh connection of clean: 2 flow entries, 20 msgs/s.
slice set clean max-flows=2 rate=20 burst=20 || fail "slice set failed"
slice show clean | grep -q "max-flows 2, rate 20/s (burst 20)" || fail "limits not shown: $(slice show clean)"
cat >"$T/limits.py" <<'PY'
import socket, struct, sys, time
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", int(sys.argv[1]))); ls.listen(1); ls.settimeout(30)
s, _ = ls.accept()
s.sendall(struct.pack("!BBHI", 1, 0, 8, 1))
def fm(xid, vlan_pcp, flags=0):
    wild = ((1 << 22) - 1) if vlan_pcp is None else ((1 << 22) - 1) & ~(1 << 20)
    m = struct.pack("!IH6s6sHBxHBB2xIIHH", wild, 0, b"\0"*6, b"\0"*6, 0, vlan_pcp or 0, 0, 0, 0, 0, 0, 0, 0)
    body = m + struct.pack("!QHHHHIHH", 0, 0, 0, 0, 100, 0xffffffff, 0xffff, flags)
    return struct.pack("!BBHI", 1, 14, 8 + len(body), xid) + body
buf = b""; errors = []
def pump(barrier_xid):
    """Reads until the BARRIER_REPLY barrier_xid, collecting errors."""
    global buf
    s.sendall(struct.pack("!BBHI", 1, 18, 8, barrier_xid))
    end = time.time() + 5
    while time.time() < end:
        while len(buf) >= 8 and len(buf) >= struct.unpack("!H", buf[2:4])[0]:
            n = struct.unpack("!H", buf[2:4])[0]; msg, buf = buf[:n], buf[n:]
            if msg[1] == 1:
                errors.append((struct.unpack("!I", msg[4:8])[0],) + struct.unpack("!HH", msg[8:12]))
            if msg[1] == 19 and struct.unpack("!I", msg[4:8])[0] == barrier_xid:
                return
        s.settimeout(max(0.01, end - time.time()))
        try:
            buf += s.recv(65536)
        except socket.timeout:
            break
s.sendall(fm(10, 0))
# Overlaps flow 10 at the same priority with CHECK_OVERLAP: the switch
# refuses it, and the slicer must not count it against max-flows.
s.sendall(fm(20, None, flags=2))
pump(21)
for i in range(1, 3):
    s.sendall(fm(10 + i, i))
pump(99)
print("errors", errors)
# Now flood: 200 echo-free barriers; with 20/s most must be dropped.
for i in range(200):
    s.sendall(struct.pack("!BBHI", 1, 18, 8, 1000 + i))
replies = 0; end = time.time() + 2
while time.time() < end:
    s.settimeout(max(0.01, end - time.time()))
    try:
        d = s.recv(65536)
    except socket.timeout:
        break
    buf += d
    while len(buf) >= 8 and len(buf) >= struct.unpack("!H", buf[2:4])[0]:
        n = struct.unpack("!H", buf[2:4])[0]; msg, buf = buf[:n], buf[n:]
        replies += msg[1] == 19
print("barrier_replies", replies)
PY
CPORT2=$(free_port)
ip netns exec "$S" python3 "$T/limits.py" "$CPORT2" >"$T/limits.out" 2>&1 &
lim=$!
slice set-controller clean "tcp:127.0.0.1:$CPORT2" || fail "set-controller failed"
wait $lim || fail "limits client failed: $(cat "$T/limits.out")"
cat "$T/limits.out" >&2
grep -q "errors \[(20, 3, 1), (12, 3, 0)\]" "$T/limits.out" ||
    fail "expected the switch's OVERLAP for 20 (not counted) and ALL_TABLES_FULL for 12"
replies=$(sed -n 's/^barrier_replies //p' "$T/limits.out")
[ "$replies" -ge 5 ] && [ "$replies" -lt 100 ] || fail "rate limit: $replies of 200 barriers answered"
slice stats clean | grep -q "flow_limit_refused *1" || fail "flow limit not counted"
slice stats clean | grep -q "rate_dropped *[1-9]" || fail "rate drops not counted"
slicer_check
pass "clean confined; ip untouched; limits hold ($replies/200 barriers passed at 20/s)"
