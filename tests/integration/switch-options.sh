#!/bin/bash
# switch-options — plural-switchd's and `plural switch`'s command lines:
# wrong arguments are one line naming the problem and exit 2, a config file
# gives the same options (a broken line names FILE:LINE), --help/--version,
# a switch that cannot start exits 1 with the reason.  No root.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/../interop/switch-common.sh"
require_switchd

# expect_usage WHAT PATTERN ARGS...: exit 2 and one stderr line matching PATTERN.
expect_usage() {
    what=$1 pattern=$2; shift 2
    "$@" >/dev/null 2>"$T/err"; rc=$?
    [ "$rc" = 2 ] || fail "$what: exit $rc, expected 2 ($(cat "$T/err"))"
    [ "$(wc -l <"$T/err")" = 1 ] || fail "$what: expected one line, got: $(cat "$T/err")"
    grep -Eq -- "$pattern" "$T/err" || fail "$what: message '$(cat "$T/err")' lacks '$pattern'"
}
expect_usage "bad dpid" "--dpid.*zz" "$SWITCHD" --dpid zz
expect_usage "unknown option" "--frobnicate" "$SWITCHD" --frobnicate
expect_usage "bad fail mode" "fail-mode.*sometimes" "$SWITCHD" --fail-mode sometimes
expect_usage "bad controller" "controller" "$SWITCHD" --controller tcp:1.2.3.4
expect_usage "bad port" "port.*bogus" "$SWITCHD" --port bogus:x
expect_usage "duplicate port number" "port number 1 given twice" "$SWITCHD" --port 1=dummy:a --port 1=dummy:b
expect_usage "missing value" "--ctl needs a value" "$SWITCHD" --ctl
expect_usage "bad verbose" "verbose" "$SWITCHD" --verbose ofconn:loud
expect_usage "partial TLS options" "TLS needs all of" "$SWITCHD" --private-key "$T/k.pem"
expect_usage "ssl without keys" "pssl:6999 needs --private-key" "$SWITCHD" --listen pssl:6999

cat >"$T/bad.conf" <<CONF
# a comment
port = dummy:p1
fail-mode = sideways
CONF
expect_usage "broken config line" "bad.conf:3: .*sideways" "$SWITCHD" --config "$T/bad.conf"
printf 'port dummy:p1 = = x\n' >"$T/bad2.conf"
expect_usage "config line that is not key = value" "bad2.conf:1:" "$SWITCHD" --config "$T/bad2.conf"

"$SWITCHD" --help | grep -q -- '--fail-mode' || fail "--help does not list the options"
"$SWITCHD" --version | grep -q 'plural-switchd' || fail "--version"

# A config file with the same options as the command line.
cat >"$T/good.conf" <<CONF
dpid = 0x5eed
port = dummy:p1
port = 4=dummy:p4   # explicit number
fail-mode = standalone
CONF
switchd_start c --config "$T/good.conf"
show=$(sw c show)
echo "$show" | grep -q 'dpid 0000000000005eed' || fail "config: dpid: $show"
echo "$show" | grep -Eq '^ *4\(p4\)' || fail "config: port 4: $show"
echo "$show" | grep -q 'fail mode: standalone' || fail "config: fail mode: $show"
sw c show --json | "$PYTHON" -c 'import json,sys; d=json.load(sys.stdin); assert d["dpid"] == "0000000000005eed" and len(d["ports"]) == 2, d' ||
    fail "show --json"

# Runtime failure: a port that does not exist, a control socket in use.
"$SWITCHD" --port "nosuch$P" --ctl "$T/x.ctl" 2>"$T/err"; rc=$?
[ "$rc" = 1 ] && grep -q "nosuch$P" "$T/err" || fail "missing interface: exit $rc, $(cat "$T/err")"

# plural switch: usage errors exit 2, an unreachable daemon exits 1.
expect_usage "plural switch unknown command" "unknown command" "$PLURAL" switch --ctl "$T/c.ctl" frobnicate
expect_usage "plural switch inject arity" "usage: inject" "$PLURAL" switch --ctl "$T/c.ctl" inject 1
expect_usage "plural switch clock" "clock" "$PLURAL" switch --ctl "$T/c.ctl" clock warp soon
"$PLURAL" switch --ctl "$T/none.ctl" show 2>"$T/err"; rc=$?
[ "$rc" = 1 ] && grep -q "none.ctl" "$T/err" || fail "unreachable daemon: exit $rc, $(cat "$T/err")"
"$PLURAL" switch --help | grep -q dump-flows || fail "plural switch --help"
sw c log-level ofconn dbg || fail "log-level failed"
sw c counters | grep -q ofp_rx_msgs || fail "counters lacks ofp_rx_msgs"
finish
