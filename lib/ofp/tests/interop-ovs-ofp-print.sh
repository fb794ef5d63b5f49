#!/bin/sh
# interop: every sample message our encoder produces (one or more of each of
# the 22 OpenFlow 1.0 types) is fed to `ovs-ofctl ofp-print HEX`; Open
# vSwitch must print it as the expected message without complaining about
# length or format ("***truncated***", "too short", decode errors, warnings).
# One known semantic refusal: OVS has no emergency flow table, so it answers
# the OFPFF_EMERG flow_mod with OFPFMFC_TABLE_FULL; that sample must give
# exactly that and the same bytes without the EMERG flag must be accepted.
. "$(dirname "$0")/../../../tests/lib/common.sh"

require_cmd ovs-ofctl
SAMPLES=${OFP_ENCODE_SAMPLES:-$PLURAL_BUILD/lib/ofp/ofp-encode-samples}
[ -x "$SAMPLES" ] || fail "missing $SAMPLES (build first)"

"$SAMPLES" > "$T/samples.txt" || fail "ofp-encode-samples failed"
n=0
bad=0
while read -r name hex; do
    n=$((n + 1))
    out=$(ovs-ofctl ofp-print "$hex" 2>&1)
    first=$(printf '%s\n' "$out" | grep -v '|INFO|' | head -n 1)
    case $name in
        flow_mod_add_emerg)
            if ! printf '%s\n' "$out" | grep -q 'OFPFMFC_TABLE_FULL'; then
                log "$name: expected OVS to refuse the emergency flow with" \
                    "OFPFMFC_TABLE_FULL, got: $out"
                bad=$((bad + 1))
            fi
            # Clear OFPFF_EMERG (flags are bytes 70-71 of the flow_mod).
            plain=$(printf '%s' "$hex" | cut -c1-140)0000$(printf '%s' "$hex" | cut -c145-)
            out=$(ovs-ofctl ofp-print "$plain" 2>&1)
            first=$(printf '%s\n' "$out" | head -n 1)
            want=OFPT_FLOW_MOD ;;
        vendor) want=NXT_SET_FLOW_FORMAT ;;
        stats_request_*|stats_reply_*)
            kind=$(printf '%s' "$name" | sed 's/^stats_\(request\|reply\)_//' | tr a-z A-Z)
            case $name in
                stats_request_*) want="OFPST_$kind request" ;;
                *) want="OFPST_$kind reply" ;;
            esac ;;
        error_*) want=OFPT_ERROR ;;
        hello_*) want=OFPT_HELLO ;;
        packet_in_*) want=OFPT_PACKET_IN ;;
        packet_out_*) want=OFPT_PACKET_OUT ;;
        flow_mod_*) want=OFPT_FLOW_MOD ;;
        *) want=OFPT_$(printf '%s' "$name" | tr a-z A-Z) ;;
    esac
    case $first in
        "$want "*|"$want") ;;
        *) log "$name: ovs-ofctl printed '$first', expected '$want ...'"
           bad=$((bad + 1)); continue ;;
    esac
    if printf '%s\n' "$out" | grep -Eqi '\*\*\*|too short|trailing garbage|bad length|\|WARN\||\|ERR\|'; then
        log "$name: ovs-ofctl complained:"
        printf '%s\n' "$out" >&2
        bad=$((bad + 1))
        continue
    fi
    printf '%-28s %s\n' "$name" "$first" | cut -c1-120
done < "$T/samples.txt"

[ "$n" -ge 40 ] || fail "only $n samples"
[ "$bad" -eq 0 ] || fail "$bad of $n samples rejected by ovs-ofctl"
echo "$n passed, 0 failed"
