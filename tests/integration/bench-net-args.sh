#!/bin/sh
# bench-net-args — `plural bench net` and `plural bench load` refuse bad
# arguments with one clear line: exit 2 for wrong usage (size 10, size 9001,
# rate 0, a missing device), exit 1 naming an unknown interface.
. "$(dirname "$0")/../lib/common.sh"
[ -x "$PLURAL" ] || skip "plural not built at $PLURAL"

# expect CODE PATTERN ARGS...: runs plural ARGS, checks the exit code and
# that stderr is exactly one line matching PATTERN.
expect() {
    code=$1 pattern=$2; shift 2
    "$PLURAL" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    [ "$rc" -eq "$code" ] || { cat "$T/err" >&2; fail "plural $*: exit $rc, want $code"; }
    [ "$(wc -l <"$T/err")" -eq 1 ] || { cat "$T/err" >&2; fail "plural $*: not one line"; }
    grep -q -- "$pattern" "$T/err" || { cat "$T/err" >&2; fail "plural $*: message lacks '$pattern'"; }
}

expect 2 "size.*60.*9000" bench net gen --dev lo --size 10
expect 2 "size.*60.*9000" bench net gen --dev lo --size 9001
expect 2 "rate" bench net gen --dev lo --size 64 --rate 0
expect 2 "dev" bench net gen --size 64
expect 2 "size.*64.*vlan" bench net gen --dev lo --size 60 --vlan 5
expect 2 "dst-mac" bench net gen --dev lo --dst-mac 02:00:00
expect 2 "method" bench net gen --dev lo --method carrier-pigeon
expect 2 "unknown option '--bogus'" bench net recv --dev lo --bogus
expect 2 "unknown subcommand" bench net fly
expect 1 "no such interface: ${P}nope" bench net gen --dev "${P}nope" --size 64 --duration 1
expect 1 "no such interface: ${P}nope" bench net recv --dev "${P}nope" --duration 1
expect 2 "server" bench net iperf --time 1
expect 2 "exactly one" bench load --interval 1
expect 2 "exactly one" bench load --pid 1 --netns x
expect 1 "no such network namespace: ${P}nope" bench load --netns "${P}nope"
expect 1 "no such process: 0x7ffffff0" bench load --pid 0x7ffffff0 --duration 1
"$PLURAL" bench net gen --help | grep -q "usage: plural bench net gen" || fail "no gen help"
pass "bad arguments refused with one line and the right exit code"
