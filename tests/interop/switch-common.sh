# switch-common.sh — helpers shared by plural-switchd's shell tests
# (tests/integration/switch-*.sh and tests/interop/switch-*.sh).
# Source after tests/lib/common.sh.
#
#   switchd_start NAME ARGS...   starts plural-switchd detached with a private
#                                control socket $T/NAME.ctl, log $T/NAME.log,
#                                pid file $T/NAME.pid; stopped on exit
#   sw NAME CMD...               `plural switch --ctl $T/NAME.ctl CMD...`
#   ofpeer ARGS...               the scripted OpenFlow peer (ofpeer.py)
#   frame KIND ARGS...           a test frame as hex (frames.py)
#   finish                       stops the switches, fails if a sanitizer
#                                (ASan/UBSan builds) reported anything, passes
HERE_INTEROP=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PYTHON=${PYTHON:-/usr/bin/python3}

require_switchd() {
    [ -x "$SWITCHD" ] || skip "plural-switchd not built at $SWITCHD"
    [ -x "$PLURAL" ] || skip "plural not built at $PLURAL"
    [ -x "$PYTHON" ] || skip "needs $PYTHON (Debian python3) for the scripted OpenFlow peer"
}

# Sanitizer reports of the (detached) daemons go to files in $T.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$T/sanitizer"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$T/sanitizer"
SWITCHDS=""

switchd_start() {
    _name=$1; shift
    SWITCHDS="$SWITCHDS $_name"
    "$SWITCHD" --ctl "$T/$_name.ctl" --pidfile "$T/$_name.pid" \
        --log-file "$T/$_name.log" --detach "$@" ||
        fail "plural-switchd $* did not start (exit $?)"
    on_exit "kill_pidfile $T/$_name.pid"
    wait_for 10 "$PLURAL" switch --ctl "$T/$_name.ctl" show ||
        fail "plural-switchd $_name does not answer on its control socket"
}

sw() {
    _name=$1; shift
    "$PLURAL" switch --ctl "$T/$_name.ctl" "$@"
}

ofpeer() { "$PYTHON" "$HERE_INTEROP/ofpeer.py" "$@"; }
frame() { "$PYTHON" "$HERE_INTEROP/frames.py" "$@"; }

# wait_log FILE PATTERN [SECONDS]: waits until FILE has a line matching the
# extended regex PATTERN (the safety timeout is not a timing assertion).
wait_log() {
    wait_for "${3:-10}" grep -Eq "$2" "$1"
}

# listening PORT: true when something listens on TCP PORT (this namespace).
listening() { ss -Hltn "sport = :$1" | grep -q .; }

# finish: stops every switch started with switchd_start (SIGTERM, waits for
# the exit so leak checks run), then fails on any sanitizer report.
finish() {
    for _n in $SWITCHDS; do
        [ -f "$T/$_n.pid" ] || continue
        _pid=$(cat "$T/$_n.pid")
        kill "$_pid" 2>/dev/null
        wait_for 10 sh -c "! kill -0 $_pid" || fail "plural-switchd $_n did not stop on SIGTERM"
    done
    for _f in "$T"/sanitizer*; do
        [ -f "$_f" ] || continue
        cat "$_f" >&2
        fail "sanitizer report from plural-switchd ($_f)"
    done
    pass
}
