#include "dp/flow-match.h"

#include <string.h>

static uint32_t
prefix_mask_from_wildcards(uint32_t wildcards, int shift)
{
    uint32_t ignored = (wildcards >> shift) & 0x3f;
    return ignored >= 32 ? 0 : ~0u << ignored;
}

static int
wildcard_bits_from_mask(uint32_t mask)
{
    return 32 - __builtin_popcount(mask);
}

void
flow_match_to_cls(const struct ofp_match_h *m, struct flow_key *value,
                  struct flow_key *mask)
{
    uint32_t w = m->wildcards;
    memset(value, 0, sizeof *value);
    memset(mask, 0, sizeof *mask);

    if (!(w & OFPFW_IN_PORT)) {
        value->in_port = m->in_port;
        mask->in_port = 0xffff;
    }
    if (!(w & OFPFW_DL_SRC)) {
        memcpy(value->dl_src, m->dl_src, 6);
        memset(mask->dl_src, 0xff, 6);
    }
    if (!(w & OFPFW_DL_DST)) {
        memcpy(value->dl_dst, m->dl_dst, 6);
        memset(mask->dl_dst, 0xff, 6);
    }
    if (!(w & OFPFW_DL_VLAN)) {
        value->dl_vlan = m->dl_vlan;
        mask->dl_vlan = 0xffff;
    }
    if (!(w & OFPFW_DL_VLAN_PCP)
        && ((w & OFPFW_DL_VLAN) || m->dl_vlan != OFP_VLAN_NONE)) {
        value->dl_vlan_pcp = m->dl_vlan_pcp;
        mask->dl_vlan_pcp = 0xff;
    }
    if (w & OFPFW_DL_TYPE) {
        return;
    }
    value->dl_type = m->dl_type;
    mask->dl_type = 0xffff;

    bool ip = m->dl_type == ETH_TYPE_IP, arp = m->dl_type == ETH_TYPE_ARP;
    if (!ip && !arp) {
        return;
    }
    mask->nw_src = prefix_mask_from_wildcards(w, OFPFW_NW_SRC_SHIFT);
    value->nw_src = m->nw_src & mask->nw_src;
    mask->nw_dst = prefix_mask_from_wildcards(w, OFPFW_NW_DST_SHIFT);
    value->nw_dst = m->nw_dst & mask->nw_dst;
    if (!(w & OFPFW_NW_PROTO)) {
        value->nw_proto = m->nw_proto;
        mask->nw_proto = 0xff;
    }
    if (!ip) {
        return;
    }
    if (!(w & OFPFW_NW_TOS)) {
        value->nw_tos = m->nw_tos & 0xfc;
        mask->nw_tos = 0xff;
    }
    if ((w & OFPFW_NW_PROTO)
        || (m->nw_proto != IP_PROTO_TCP && m->nw_proto != IP_PROTO_UDP
            && m->nw_proto != IP_PROTO_ICMP)) {
        return;
    }
    if (!(w & OFPFW_TP_SRC)) {
        value->tp_src = m->tp_src;
        mask->tp_src = 0xffff;
    }
    if (!(w & OFPFW_TP_DST)) {
        value->tp_dst = m->tp_dst;
        mask->tp_dst = 0xffff;
    }
}

void
flow_match_from_cls(const struct flow_key *v, const struct flow_key *mk,
                    struct ofp_match_h *m)
{
    static const uint8_t zero_mac[6];
    memset(m, 0, sizeof *m);
    uint32_t w = 0;
    if (mk->in_port) { m->in_port = v->in_port; } else { w |= OFPFW_IN_PORT; }
    if (memcmp(mk->dl_src, zero_mac, 6)) {
        memcpy(m->dl_src, v->dl_src, 6);
    } else {
        w |= OFPFW_DL_SRC;
    }
    if (memcmp(mk->dl_dst, zero_mac, 6)) {
        memcpy(m->dl_dst, v->dl_dst, 6);
    } else {
        w |= OFPFW_DL_DST;
    }
    if (mk->dl_vlan) { m->dl_vlan = v->dl_vlan; } else { w |= OFPFW_DL_VLAN; }
    if (mk->dl_vlan_pcp) { m->dl_vlan_pcp = v->dl_vlan_pcp; } else { w |= OFPFW_DL_VLAN_PCP; }
    if (mk->dl_type) { m->dl_type = v->dl_type; } else { w |= OFPFW_DL_TYPE; }
    if (mk->nw_tos) { m->nw_tos = v->nw_tos; } else { w |= OFPFW_NW_TOS; }
    if (mk->nw_proto) { m->nw_proto = v->nw_proto; } else { w |= OFPFW_NW_PROTO; }
    if (mk->tp_src) { m->tp_src = v->tp_src; } else { w |= OFPFW_TP_SRC; }
    if (mk->tp_dst) { m->tp_dst = v->tp_dst; } else { w |= OFPFW_TP_DST; }
    m->nw_src = v->nw_src;
    m->nw_dst = v->nw_dst;
    w |= (uint32_t) wildcard_bits_from_mask(mk->nw_src) << OFPFW_NW_SRC_SHIFT;
    w |= (uint32_t) wildcard_bits_from_mask(mk->nw_dst) << OFPFW_NW_DST_SHIFT;
    m->wildcards = w;
}

void
flow_match_rule_init(struct cls_rule *rule, const struct ofp_match_h *m,
                     uint16_t priority)
{
    struct flow_key value, mask;
    flow_match_to_cls(m, &value, &mask);
    cls_rule_init(rule, &value, &mask, priority);
    if (flow_match_is_exact(m)) {
        cls_rule_force_exact(rule);
    }
}

void
flow_match_from_key(const struct flow_key *k, struct ofp_match_h *m)
{
    memset(m, 0, sizeof *m);
    m->in_port = k->in_port;
    memcpy(m->dl_src, k->dl_src, 6);
    memcpy(m->dl_dst, k->dl_dst, 6);
    m->dl_vlan = k->dl_vlan;
    m->dl_vlan_pcp = k->dl_vlan_pcp;
    m->dl_type = k->dl_type;
    m->nw_tos = k->nw_tos;
    m->nw_proto = k->nw_proto;
    m->nw_src = k->nw_src;
    m->nw_dst = k->nw_dst;
    m->tp_src = k->tp_src;
    m->tp_dst = k->tp_dst;
}
