# fault-lib.sh — helpers for the fault tests (tests/integration/fault-*.sh).
# Source after tests/lib/common.sh and tests/interop/ctl-lib.sh.
#
#   fault_topology           hosts $P-a (10.0.0.1) and $P-b (10.0.0.2) and a
#                            sink $P-c (10.0.0.3) on veths to namespace $S,
#                            where the switch runs (ports 1, 2, 3)
#   fault_switchd ARGS...    plural-switchd in $S on the three veths
#                            (afpacket), fail-mode secure, control socket
#                            $T/switchd.ctl, log $T/switchd.log
#   fault_switchd_kill       SIGKILL the switch (no clean shutdown)
#   fault_ping_start N FILE  background `ping -D -i 0.05 -c N` a -> b into FILE
#                            (sets $ping_pid)
#   fault_replies FILE       number of replies in FILE so far
#   fault_loss FILE          "SENT RECEIVED" from a finished ping's summary
S=$P-s

fault_topology() {
    netns_add "$S"
    for h in a b c; do
        netns_add "$P-$h"
        veth_add "$P-$h" "${h}0" "$S" "$P-s$h"
    done
    host_add "$P-a" a0 10.0.0.1/24 ""
    host_add "$P-b" b0 10.0.0.2/24 ""
    host_add "$P-c" c0 10.0.0.3/24 ""
}

fault_switchd() {
    ip netns exec "$S" "$SWITCHD" --ctl "$T/switchd.ctl" --pidfile "$T/switchd.pid" \
        --log-file "$T/switchd.log" --detach --fail-mode secure \
        --port "$P-sa" --port "$P-sb" --port "$P-sc" "$@" ||
        fail "plural-switchd did not start"
    on_exit "kill_pidfile $T/switchd.pid"
    wait_for 10 "$PLURAL" switch --ctl "$T/switchd.ctl" show ||
        fail "plural-switchd does not answer on its control socket"
}

fault_switchd_kill() {
    kill -KILL "$(cat "$T/switchd.pid")" 2>/dev/null
    wait_for 10 sh -c "! kill -0 $(cat "$T/switchd.pid") 2>/dev/null" || fail "switchd did not die"
}

fault_ping_start() {
    ip netns exec "$P-a" ping -D -n -i 0.05 -W 1 -c "$1" 10.0.0.2 >"$2" 2>&1 &
    ping_pid=$!
    on_exit "kill $ping_pid 2>/dev/null"
}

fault_replies() { grep -c "bytes from" "$1"; }

fault_loss() {
    sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1 \2/p' "$1"
}

sws() { "$PLURAL" switch --ctl "$T/switchd.ctl" "$@"; }
