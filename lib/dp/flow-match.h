/* flow-match — OpenFlow 1.0 host-order matches (ofp/ofp-match.h) to and from
 * classifier (value, mask) pairs over struct flow_key.
 *
 * flow_match_to_cls() applies OpenFlow 1.0's protocol rules (as Open
 * vSwitch does): fields of a protocol the match does not select are
 * ignored, i.e. masked out:
 *   - nw_src, nw_dst, nw_proto apply only when dl_type is matched and is
 *     IPv4 or ARP; nw_tos only for IPv4;
 *   - tp_src, tp_dst apply only for IPv4 with nw_proto matched and TCP, UDP
 *     or ICMP;
 *   - dl_vlan_pcp is ignored when matching untagged frames (dl_vlan 0xffff).
 * nw_src/nw_dst wildcard bit counts become prefix masks (>= 32: all).
 * A match with wildcards == 0 is "exact" for OpenFlow's priority rule even
 * if some fields were masked out: flow_match_is_exact() says so, and
 * flow_match_rule_init() then forces the exact rank.
 *
 * flow_match_from_cls() is the inverse for masks this module produces (a
 * masked-out field becomes a wildcard; prefix masks become bit counts).
 * Pure functions. */
#ifndef PLURAL_DP_FLOW_MATCH_H
#define PLURAL_DP_FLOW_MATCH_H 1

#include <stdbool.h>
#include "dp/classifier.h"
#include "ofp/ofp-match.h"

void flow_match_to_cls(const struct ofp_match_h *, struct flow_key *value,
                       struct flow_key *mask);
void flow_match_from_cls(const struct flow_key *value,
                         const struct flow_key *mask, struct ofp_match_h *);
static inline bool
flow_match_is_exact(const struct ofp_match_h *m)
{
    return (m->wildcards & OFPFW_ALL) == 0;
}
/* cls_rule_init() from an OpenFlow match and priority, with the exact rank
 * for wildcards == 0. */
void flow_match_rule_init(struct cls_rule *, const struct ofp_match_h *,
                          uint16_t priority);
/* An exact match describing `key` (wildcards 0), e.g. for tests and for
 * controllers that install a flow for a packet they saw. */
void flow_match_from_key(const struct flow_key *, struct ofp_match_h *);

#endif
