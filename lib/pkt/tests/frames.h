/* frames — builds test frames (Ethernet [+802.1Q] + IPv4 + TCP/UDP/ICMP)
 * with correct checksums, and verifies checksums by full recomputation.
 * Test-only helpers, header-only. */
#ifndef PLURAL_TEST_FRAMES_H
#define PLURAL_TEST_FRAMES_H 1

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "pkt/csum.h"
#include "pkt/flow-key.h"

struct frame_spec {
    uint8_t dst[6], src[6];
    int vlan;               /* -1: untagged, else TCI. */
    uint16_t dl_type;       /* ETH_TYPE_IP etc. */
    uint8_t tos, proto;
    uint32_t nw_src, nw_dst;
    uint16_t frag;          /* Flags+offset field. */
    uint16_t tp_src, tp_dst;
    uint16_t payload;       /* Bytes after the L4 header. */
    bool udp_no_csum;
};

static inline void fr_wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t) (v >> 8); p[1] = (uint8_t) v; }
static inline uint16_t fr_rd16(const uint8_t *p) { return (uint16_t) (p[0] << 8 | p[1]); }
static inline void fr_wr32(uint8_t *p, uint32_t v) { fr_wr16(p, (uint16_t) (v >> 16)); fr_wr16(p + 2, (uint16_t) v); }

static inline size_t
l4_len_of(uint8_t proto)
{
    return proto == IP_PROTO_TCP ? 20 : proto == IP_PROTO_UDP ? 8 : proto == IP_PROTO_ICMP ? 8 : 0;
}

/* Computes the L4 checksum over pseudo-header + segment. */
static inline uint16_t
l4_csum(const uint8_t *ip, const uint8_t *l4, size_t l4len, uint8_t proto)
{
    uint8_t ph[12];
    memcpy(ph, ip + 12, 8);
    ph[8] = 0;
    ph[9] = proto;
    fr_wr16(ph + 10, (uint16_t) l4len);
    uint32_t s = csum_partial(ph, 12, 0);
    s = csum_partial(l4, l4len, s);
    return csum_finish(s);
}

/* Writes the frame into buf; returns its length. */
static inline size_t
frame_build(uint8_t *buf, const struct frame_spec *s)
{
    size_t o = 0;
    memcpy(buf, s->dst, 6);
    memcpy(buf + 6, s->src, 6);
    o = 12;
    if (s->vlan >= 0) {
        fr_wr16(buf + o, ETH_TYPE_VLAN);
        fr_wr16(buf + o + 2, (uint16_t) s->vlan);
        o += 4;
    }
    fr_wr16(buf + o, s->dl_type);
    o += 2;
    if (s->dl_type != ETH_TYPE_IP) {
        memset(buf + o, 0x5a, s->payload);
        return o + s->payload;
    }
    uint8_t *ip = buf + o;
    size_t l4len = (s->frag & 0x1fff) ? 0 : l4_len_of(s->proto);
    size_t tot = 20 + l4len + s->payload;
    ip[0] = 0x45;
    ip[1] = s->tos;
    fr_wr16(ip + 2, (uint16_t) tot);
    fr_wr16(ip + 4, 0x1234);
    fr_wr16(ip + 6, s->frag);
    ip[8] = 64;
    ip[9] = s->proto;
    fr_wr16(ip + 10, 0);
    fr_wr32(ip + 12, s->nw_src);
    fr_wr32(ip + 16, s->nw_dst);
    fr_wr16(ip + 10, csum_finish(csum_partial(ip, 20, 0)));
    uint8_t *l4 = ip + 20;
    memset(l4, 0, l4len);
    for (size_t i = 0; i < s->payload; i++) {
        l4[l4len + i] = (uint8_t) (i * 7 + 3);
    }
    if (l4len && s->proto == IP_PROTO_ICMP) {
        l4[0] = (uint8_t) s->tp_src;
        l4[1] = (uint8_t) s->tp_dst;
    } else if (l4len) {
        fr_wr16(l4, s->tp_src);
        fr_wr16(l4 + 2, s->tp_dst);
        if (s->proto == IP_PROTO_TCP) {
            l4[12] = 0x50;
            fr_wr16(l4 + 16, l4_csum(ip, l4, l4len + s->payload, s->proto));
        } else {
            fr_wr16(l4 + 4, (uint16_t) (l4len + s->payload));
            if (!s->udp_no_csum) {
                uint16_t c = l4_csum(ip, l4, l4len + s->payload, s->proto);
                fr_wr16(l4 + 6, c ? c : 0xffff);
            }
        }
    }
    return o + tot;
}

/* True when the IPv4 header checksum of the frame (IP at ip) verifies. */
static inline bool
ip_csum_ok(const uint8_t *ip)
{
    return csum_finish(csum_partial(ip, (size_t) (ip[0] & 0xf) * 4, 0)) == 0;
}

/* True when the TCP/UDP checksum verifies (UDP 0 counts as ok). */
static inline bool
l4_csum_ok(const uint8_t *ip)
{
    size_t ihl = (size_t) (ip[0] & 0xf) * 4;
    size_t l4len = fr_rd16(ip + 2) - ihl;
    const uint8_t *l4 = ip + ihl;
    if (ip[9] == IP_PROTO_UDP && fr_rd16(l4 + 6) == 0) {
        return true;
    }
    uint8_t ph[12];
    memcpy(ph, ip + 12, 8);
    ph[8] = 0;
    ph[9] = ip[9];
    fr_wr16(ph + 10, (uint16_t) l4len);
    uint32_t s = csum_partial(ph, 12, 0);
    s = csum_partial(l4, l4len, s);
    return csum_finish(s) == 0;
}

#endif
