/* ofp-match — the OpenFlow 1.0 12-tuple match in host byte order.
 *
 * struct ofp_match_h mirrors struct ofp_match (ofp-wire.h) with host-order
 * integers; nw_src/nw_dst are IPv4 addresses in host order (10.0.0.1 is
 * 0x0a000001).  `wildcards` keeps the wire's OFPFW_* bits, including the
 * 6-bit NW_SRC/NW_DST "ignored low bits" counts.
 *
 * Invariants after ofp_match_normalize() (which ofp_match_decode() applies):
 *   - every field whose wildcard bit is set is zero;
 *   - NW_SRC/NW_DST wildcard counts are clamped to 32 (values 33..63 mean
 *     "all", like 32) and the ignored low address bits are zero;
 *   - wildcard bits above OFPFW_ALL are cleared.
 * Two normalized matches describe the same set of packets iff they are equal
 * by ofp_match_equal() (a strict-match compare for MODIFY_STRICT /
 * DELETE_STRICT together with priority).
 *
 * Pure value type; functions are thread-safe. */
#ifndef PLURAL_OFP_MATCH_H
#define PLURAL_OFP_MATCH_H 1

#include <stdbool.h>
#include <stdint.h>
#include "ofp/ofp-wire.h"

struct ofp_match_h {
    uint32_t wildcards;         /* OFPFW_*. */
    uint16_t in_port;
    uint8_t dl_src[OFP_ETH_ALEN];
    uint8_t dl_dst[OFP_ETH_ALEN];
    uint16_t dl_vlan;           /* 12-bit VID, or OFP_VLAN_NONE (untagged). */
    uint8_t dl_vlan_pcp;
    uint16_t dl_type;
    uint8_t nw_tos;             /* DSCP in the upper 6 bits. */
    uint8_t nw_proto;
    uint32_t nw_src;            /* Host order. */
    uint32_t nw_dst;
    uint16_t tp_src;            /* Or ICMP type. */
    uint16_t tp_dst;            /* Or ICMP code. */
};

/* Wire <-> host.  Decode also normalizes.  Encode writes zero pads. */
void ofp_match_decode(const struct ofp_match *wire, struct ofp_match_h *);
void ofp_match_encode(const struct ofp_match_h *, struct ofp_match *wire);

/* Makes a match that matches every packet (OFPFW_ALL, fields zero). */
void ofp_match_init_catchall(struct ofp_match_h *);
bool ofp_match_is_catchall(const struct ofp_match_h *);

/* See the invariants above. */
void ofp_match_normalize(struct ofp_match_h *);
bool ofp_match_equal(const struct ofp_match_h *, const struct ofp_match_h *);

/* Prefix lengths of nw_src / nw_dst: 32 = exact, 0 = fully wildcarded. */
int ofp_match_nw_src_prefix(const struct ofp_match_h *);
int ofp_match_nw_dst_prefix(const struct ofp_match_h *);
/* Netmasks (host order) for those prefixes: /8 -> 0xff000000. */
uint32_t ofp_match_nw_src_mask(const struct ofp_match_h *);
uint32_t ofp_match_nw_dst_mask(const struct ofp_match_h *);
/* Sets addr/prefix (prefix clamped to 0..32) and the wildcard count;
 * masks off the host bits of addr. */
void ofp_match_set_nw_src(struct ofp_match_h *, uint32_t addr, int prefix);
void ofp_match_set_nw_dst(struct ofp_match_h *, uint32_t addr, int prefix);
/* Netmask for a prefix length 0..32. */
uint32_t ofp_prefix_to_mask(int prefix);

/* True if every packet matched by `narrow` is also matched by `wide`
 * (both normalized): the non-strict test of OFPFC_MODIFY / OFPFC_DELETE and
 * of flow / aggregate stats requests. */
bool ofp_match_covers(const struct ofp_match_h *wide,
                      const struct ofp_match_h *narrow);

#endif
