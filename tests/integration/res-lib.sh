# res-lib.sh — helpers for the resource tests (issue 12, items 5 and 6:
# tests/integration/fault-fd-*.sh, fault-queue-memory.sh).  Source after
# tests/lib/common.sh.  Every daemon runs in the test's own namespace $NS,
# listening on a random non-default port on its loopback.
#
#   res_start KIND LIMIT ARGS...   starts plural-KIND (switchd, controller,
#                                  slicer) in $NS with `ulimit -n LIMIT`
#                                  (soft and hard: the daemon cannot raise
#                                  it; "soft:N" sets the soft limit only),
#                                  listening on ptcp:$PORT:127.0.0.1 (pssl
#                                  with RES_TLS="TLS options"),
#                                  control socket $T/KIND.ctl, log
#                                  $T/KIND.log; sets $PID
#   res_stop                       SIGTERM to $PID, waits
#   res_ctl                        asks the daemon's control socket for
#                                  `show` (true if it answers within 10 s:
#                                  a loaded machine is slow, not wrong)
#   res_cpu_ticks                  utime+stime of $PID (clock ticks)
#   res_peers ARGS...              res-peers.py in $NS
#   res_counter NAME               a counter from the control socket
RES_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PYTHON=${PYTHON:-/usr/bin/python3}
CONTROLLER=$PLURAL_BUILD/src/controller/plural-controller
SLICER=$PLURAL_BUILD/src/slicer/plural-slicer

res_require() {
    require_root
    for b in "$SWITCHD" "$CONTROLLER" "$SLICER" "$PLURAL"; do
        [ -x "$b" ] || skip "not built: $b"
    done
    [ -x "$PYTHON" ] || skip "needs $PYTHON"
    NS=$P-res
    netns_add "$NS"
}

res_start() {
    KIND=$1 limit=$2; shift 2
    PORT=$(free_port)
    proto=ptcp
    [ -z "${RES_TLS:-}" ] || proto=pssl
    listen="$proto:$PORT:127.0.0.1"
    case $KIND in
    switchd) cmd=("$SWITCHD" --port dummy:p1 --listen "$listen"
                  --ctl "$T/$KIND.ctl" --log-file "$T/$KIND.log") ;;
    controller) cmd=("$CONTROLLER" --app l2 --listen "$listen" --ctl "$T/$KIND.ctl") ;;
    slicer) cmd=("$SLICER" --listen "$listen" --ctl "$T/$KIND.ctl") ;;
    esac
    ulimit_cmd='ulimit -n "$0"'
    case $limit in soft:*) limit=${limit#soft:}; ulimit_cmd='ulimit -Sn "$0"' ;; esac
    ip netns exec "$NS" bash -c "$ulimit_cmd"' && exec "$@"' "$limit" "${cmd[@]}" ${RES_TLS:-} "$@" \
        >>"$T/$KIND.log" 2>&1 &
    PID=$!
    on_exit "kill $PID 2>/dev/null"
    wait_for 10 res_ctl || fail "plural-$KIND does not answer on $T/$KIND.ctl: $(tail -5 "$T/$KIND.log")"
}

res_stop() {
    kill "$PID" 2>/dev/null
    wait "$PID" 2>/dev/null
    return 0
}

res_ctl() {
    case $KIND in
    switchd) timeout 10 "$PLURAL" switch --ctl "$T/$KIND.ctl" show ;;
    controller) timeout 10 "$PLURAL" ctl --ctl "$T/$KIND.ctl" show ;;
    slicer) timeout 10 "$PLURAL" slice --ctl "$T/$KIND.ctl" list ;;
    esac >/dev/null 2>&1
}

res_counter() {
    # Every daemon's control socket has the built-in `counters`.
    timeout 10 "$PLURAL" ctl --ctl "$T/$KIND.ctl" counters 2>/dev/null |
        awk -v n="$1" '$1 == n { print $2; f = 1 } END { if (!f) print 0 }'
}

res_cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$PID/stat"
}

res_peers() {
    ip netns exec "$NS" "$PYTHON" "$RES_HERE/res-peers.py" "$@"
}
