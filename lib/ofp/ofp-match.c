/* ofp-match — host-order OpenFlow 1.0 match: conversion, normalization,
 * prefix helpers and the covers test. */
#include "ofp/ofp-match.h"

#include <string.h>

uint32_t
ofp_prefix_to_mask(int prefix)
{
    if (prefix <= 0) {
        return 0;
    }
    if (prefix >= 32) {
        return 0xffffffffu;
    }
    return ~((1u << (32 - prefix)) - 1);
}

static int
ignored_bits(uint32_t wildcards, int shift)
{
    int n = (wildcards >> shift) & ((1 << OFPFW_NW_SRC_BITS) - 1);
    return n > 32 ? 32 : n;
}

int
ofp_match_nw_src_prefix(const struct ofp_match_h *m)
{
    return 32 - ignored_bits(m->wildcards, OFPFW_NW_SRC_SHIFT);
}

int
ofp_match_nw_dst_prefix(const struct ofp_match_h *m)
{
    return 32 - ignored_bits(m->wildcards, OFPFW_NW_DST_SHIFT);
}

uint32_t
ofp_match_nw_src_mask(const struct ofp_match_h *m)
{
    return ofp_prefix_to_mask(ofp_match_nw_src_prefix(m));
}

uint32_t
ofp_match_nw_dst_mask(const struct ofp_match_h *m)
{
    return ofp_prefix_to_mask(ofp_match_nw_dst_prefix(m));
}

static int
clamp_prefix(int prefix)
{
    return prefix < 0 ? 0 : prefix > 32 ? 32 : prefix;
}

void
ofp_match_set_nw_src(struct ofp_match_h *m, uint32_t addr, int prefix)
{
    prefix = clamp_prefix(prefix);
    m->wildcards = (m->wildcards & ~(uint32_t) OFPFW_NW_SRC_MASK)
                   | ((uint32_t) (32 - prefix) << OFPFW_NW_SRC_SHIFT);
    m->nw_src = addr & ofp_prefix_to_mask(prefix);
}

void
ofp_match_set_nw_dst(struct ofp_match_h *m, uint32_t addr, int prefix)
{
    prefix = clamp_prefix(prefix);
    m->wildcards = (m->wildcards & ~(uint32_t) OFPFW_NW_DST_MASK)
                   | ((uint32_t) (32 - prefix) << OFPFW_NW_DST_SHIFT);
    m->nw_dst = addr & ofp_prefix_to_mask(prefix);
}

void
ofp_match_init_catchall(struct ofp_match_h *m)
{
    memset(m, 0, sizeof *m);
    m->wildcards = OFPFW_ALL;
    ofp_match_normalize(m);
}

void
ofp_match_normalize(struct ofp_match_h *m)
{
    uint32_t w = m->wildcards & OFPFW_ALL;
    int src_prefix, dst_prefix;

    /* Clamp the ignored-bit counts to 32. */
    src_prefix = 32 - ignored_bits(w, OFPFW_NW_SRC_SHIFT);
    dst_prefix = 32 - ignored_bits(w, OFPFW_NW_DST_SHIFT);
    w &= ~(uint32_t) (OFPFW_NW_SRC_MASK | OFPFW_NW_DST_MASK);
    w |= (uint32_t) (32 - src_prefix) << OFPFW_NW_SRC_SHIFT;
    w |= (uint32_t) (32 - dst_prefix) << OFPFW_NW_DST_SHIFT;
    m->wildcards = w;

    if (w & OFPFW_IN_PORT) {
        m->in_port = 0;
    }
    if (w & OFPFW_DL_VLAN) {
        m->dl_vlan = 0;
    }
    if (w & OFPFW_DL_VLAN_PCP) {
        m->dl_vlan_pcp = 0;
    }
    if (w & OFPFW_DL_SRC) {
        memset(m->dl_src, 0, sizeof m->dl_src);
    }
    if (w & OFPFW_DL_DST) {
        memset(m->dl_dst, 0, sizeof m->dl_dst);
    }
    if (w & OFPFW_DL_TYPE) {
        m->dl_type = 0;
    }
    if (w & OFPFW_NW_TOS) {
        m->nw_tos = 0;
    }
    if (w & OFPFW_NW_PROTO) {
        m->nw_proto = 0;
    }
    if (w & OFPFW_TP_SRC) {
        m->tp_src = 0;
    }
    if (w & OFPFW_TP_DST) {
        m->tp_dst = 0;
    }
    m->nw_src &= ofp_prefix_to_mask(src_prefix);
    m->nw_dst &= ofp_prefix_to_mask(dst_prefix);
}

bool
ofp_match_is_catchall(const struct ofp_match_h *m)
{
    return (m->wildcards & OFPFW_ALL) == OFPFW_ALL
           || ((m->wildcards & ~(uint32_t) (OFPFW_NW_SRC_MASK | OFPFW_NW_DST_MASK))
                   == (OFPFW_ALL & ~(uint32_t) (OFPFW_NW_SRC_MASK | OFPFW_NW_DST_MASK))
               && ofp_match_nw_src_prefix(m) == 0
               && ofp_match_nw_dst_prefix(m) == 0);
}

void
ofp_match_decode(const struct ofp_match *w, struct ofp_match_h *m)
{
    memset(m, 0, sizeof *m);
    m->wildcards = be32_to_host(w->wildcards);
    m->in_port = be16_to_host(w->in_port);
    memcpy(m->dl_src, w->dl_src, OFP_ETH_ALEN);
    memcpy(m->dl_dst, w->dl_dst, OFP_ETH_ALEN);
    m->dl_vlan = be16_to_host(w->dl_vlan);
    m->dl_vlan_pcp = w->dl_vlan_pcp;
    m->dl_type = be16_to_host(w->dl_type);
    m->nw_tos = w->nw_tos;
    m->nw_proto = w->nw_proto;
    m->nw_src = be32_to_host(w->nw_src);
    m->nw_dst = be32_to_host(w->nw_dst);
    m->tp_src = be16_to_host(w->tp_src);
    m->tp_dst = be16_to_host(w->tp_dst);
    ofp_match_normalize(m);
}

void
ofp_match_encode(const struct ofp_match_h *m, struct ofp_match *w)
{
    memset(w, 0, sizeof *w);
    w->wildcards = htobe32_t(m->wildcards);
    w->in_port = htobe16_t(m->in_port);
    memcpy(w->dl_src, m->dl_src, OFP_ETH_ALEN);
    memcpy(w->dl_dst, m->dl_dst, OFP_ETH_ALEN);
    w->dl_vlan = htobe16_t(m->dl_vlan);
    w->dl_vlan_pcp = m->dl_vlan_pcp;
    w->dl_type = htobe16_t(m->dl_type);
    w->nw_tos = m->nw_tos;
    w->nw_proto = m->nw_proto;
    w->nw_src = htobe32_t(m->nw_src);
    w->nw_dst = htobe32_t(m->nw_dst);
    w->tp_src = htobe16_t(m->tp_src);
    w->tp_dst = htobe16_t(m->tp_dst);
}

bool
ofp_match_equal(const struct ofp_match_h *a, const struct ofp_match_h *b)
{
    return a->wildcards == b->wildcards
           && a->in_port == b->in_port
           && !memcmp(a->dl_src, b->dl_src, OFP_ETH_ALEN)
           && !memcmp(a->dl_dst, b->dl_dst, OFP_ETH_ALEN)
           && a->dl_vlan == b->dl_vlan
           && a->dl_vlan_pcp == b->dl_vlan_pcp
           && a->dl_type == b->dl_type
           && a->nw_tos == b->nw_tos
           && a->nw_proto == b->nw_proto
           && a->nw_src == b->nw_src
           && a->nw_dst == b->nw_dst
           && a->tp_src == b->tp_src
           && a->tp_dst == b->tp_dst;
}

/* True if field bit `bit` is wildcarded in wide, or is exact in both with
 * equal values. */
#define COVERS_FIELD(BIT, EQ) \
    ((wide->wildcards & (BIT)) || (!(narrow->wildcards & (BIT)) && (EQ)))

bool
ofp_match_covers(const struct ofp_match_h *wide,
                 const struct ofp_match_h *narrow)
{
    int wide_src = ofp_match_nw_src_prefix(wide);
    int wide_dst = ofp_match_nw_dst_prefix(wide);
    uint32_t src_mask = ofp_prefix_to_mask(wide_src);
    uint32_t dst_mask = ofp_prefix_to_mask(wide_dst);

    return COVERS_FIELD(OFPFW_IN_PORT, wide->in_port == narrow->in_port)
           && COVERS_FIELD(OFPFW_DL_VLAN, wide->dl_vlan == narrow->dl_vlan)
           && COVERS_FIELD(OFPFW_DL_VLAN_PCP,
                           wide->dl_vlan_pcp == narrow->dl_vlan_pcp)
           && COVERS_FIELD(OFPFW_DL_SRC,
                           !memcmp(wide->dl_src, narrow->dl_src, OFP_ETH_ALEN))
           && COVERS_FIELD(OFPFW_DL_DST,
                           !memcmp(wide->dl_dst, narrow->dl_dst, OFP_ETH_ALEN))
           && COVERS_FIELD(OFPFW_DL_TYPE, wide->dl_type == narrow->dl_type)
           && COVERS_FIELD(OFPFW_NW_TOS, wide->nw_tos == narrow->nw_tos)
           && COVERS_FIELD(OFPFW_NW_PROTO, wide->nw_proto == narrow->nw_proto)
           && COVERS_FIELD(OFPFW_TP_SRC, wide->tp_src == narrow->tp_src)
           && COVERS_FIELD(OFPFW_TP_DST, wide->tp_dst == narrow->tp_dst)
           && ofp_match_nw_src_prefix(narrow) >= wide_src
           && ((wide->nw_src ^ narrow->nw_src) & src_mask) == 0
           && ofp_match_nw_dst_prefix(narrow) >= wide_dst
           && ((wide->nw_dst ^ narrow->nw_dst) & dst_mask) == 0;
}
