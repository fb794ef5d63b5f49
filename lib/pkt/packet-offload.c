#include "pkt/packet-offload.h"

#include <errno.h>
#include <string.h>
#include "pkt/csum.h"
#include "pkt/flow-key.h"
#include "util/byteorder.h"
#include "util/util.h"

#define ETH_TYPE_IPV6 0x86dd
#define ETH_TYPE_QINQ 0x88a8
#define TCP_FIN 0x01
#define TCP_PSH 0x08
#define TCP_CWR 0x80

int
packet_ol_csum_complete(struct packet *p)
{
    if (!(p->ol_flags & PACKET_OL_CSUM)) {
        return 0;
    }
    uint32_t field = (uint32_t) p->csum_start + p->csum_offset;
    if (field + 2 > p->len) {
        return -EINVAL;
    }
    /* The field holds the pseudo-header sum: it is part of the sum. */
    uint32_t sum = csum_partial(p->data + p->csum_start, p->len - p->csum_start, 0);
    uint16_t csum = csum_finish(sum);
    put_be16(p->data + field, csum ? csum : 0xffff);
    p->ol_flags &= (uint8_t) ~PACKET_OL_CSUM;
    return 0;
}

uint32_t
packet_ol_header_len(const struct packet *p)
{
    uint32_t l4 = p->csum_start;
    if (p->csum_offset == 16 && l4 + 20 <= p->len) {          /* TCP. */
        uint32_t thl = (uint32_t) (p->data[l4 + 12] >> 4) * 4;
        return thl >= 20 && l4 + thl <= p->len ? l4 + thl : 0;
    } else if (p->csum_offset == 6 && l4 + 8 <= p->len) {     /* UDP. */
        return l4 + 8;
    }
    return 0;
}

int
packet_ol_finish(struct packet *p)
{
    if (p->ol_flags & PACKET_OL_GSO) {
        return 1;
    }
    return packet_ol_csum_complete(p);
}

/* The L3 offset and ethertype after any 802.1Q/802.1ad tags. */
static bool
find_l3(const struct packet *p, uint32_t *l3, uint16_t *ethertype)
{
    uint32_t ofs = 12;
    if (p->len < 14) {
        return false;
    }
    uint16_t et = get_be16(p->data + ofs);
    while ((et == ETH_TYPE_VLAN || et == ETH_TYPE_QINQ) && ofs + 6 <= p->len) {
        ofs += 4;
        et = get_be16(p->data + ofs);
    }
    *l3 = ofs + 2;
    *ethertype = et;
    return true;
}

/* Where the headers of a super-frame are. */
struct gso_layout {
    uint32_t l3, l4, hdr;       /* Offsets; hdr: first payload byte. */
    bool v4, tcp;
};

static int
gso_parse(const struct packet *p, struct gso_layout *g)
{
    uint8_t type = p->gso_type & (uint8_t) ~PACKET_GSO_ECN;
    uint16_t et;
    if (!(p->ol_flags & PACKET_OL_GSO) || !p->gso_size
        || !find_l3(p, &g->l3, &et)) {
        return -EINVAL;
    }
    if (type == PACKET_GSO_TCPV4 || type == PACKET_GSO_TCPV6) {
        g->tcp = true;
    } else if (type == PACKET_GSO_UDP_L4) {
        g->tcp = false;
    } else {
        return -EINVAL;
    }
    g->l4 = p->csum_start;
    if (et == ETH_TYPE_IP && type != PACKET_GSO_TCPV6) {
        const uint8_t *ip = p->data + g->l3;
        if (g->l3 + 20 > p->len || (ip[0] >> 4) != 4
            || g->l3 + (ip[0] & 0x0fu) * 4 != g->l4) {
            return -EINVAL;
        }
        g->v4 = true;
    } else if (et == ETH_TYPE_IPV6 && type != PACKET_GSO_TCPV4) {
        if (g->l3 + 40 > g->l4 || (p->data[g->l3] >> 4) != 6) {
            return -EINVAL;
        }
        g->v4 = false;
    } else {
        return -EINVAL;
    }
    if (g->tcp) {
        if (g->l4 + 20 > p->len) {
            return -EINVAL;
        }
        uint32_t thl = (uint32_t) (p->data[g->l4 + 12] >> 4) * 4;
        g->hdr = g->l4 + thl;
        if (thl < 20 || g->hdr > p->len) {
            return -EINVAL;
        }
    } else {
        g->hdr = g->l4 + 8;
        if (g->hdr > p->len) {
            return -EINVAL;
        }
    }
    return 0;
}

/* A new packet holding `len` bytes of frame, with the usual headroom. */
static struct packet *
seg_alloc(const struct packet *src, uint32_t len)
{
    uint32_t room = len < 64 ? 64 : len;
    struct packet *s = xzalloc(sizeof *s);
    s->storage = xmalloc(PACKET_HEADROOM_WANTED + room);
    s->data = s->storage + PACKET_HEADROOM_WANTED;
    s->len = len;
    s->room = room;
    s->headroom = PACKET_HEADROOM_WANTED;
    s->in_port = src->in_port;
    s->slice = src->slice;
    return s;
}

int
packet_ol_segment(const struct packet *p, struct packet **segs,
                  unsigned int max, unsigned int *n)
{
    struct gso_layout g;
    *n = 0;
    int error = gso_parse(p, &g);
    if (error) {
        return error;
    }
    uint32_t payload = p->len - g.hdr;
    uint32_t nseg = payload ? (payload + p->gso_size - 1) / p->gso_size : 1;
    if (nseg > max) {
        return -E2BIG;
    }
    const uint8_t *ip = p->data + g.l3;
    uint16_t id0 = g.v4 ? get_be16(ip + 4) : 0;
    uint32_t seq0 = g.tcp ? get_be32(p->data + g.l4 + 4) : 0;
    uint8_t proto = g.tcp ? IP_PROTO_TCP : IP_PROTO_UDP;
    uint32_t csum_field = g.tcp ? 16 : 6;

    for (uint32_t i = 0; i < nseg; i++) {
        uint32_t off = i * p->gso_size;
        uint32_t plen = MIN(p->gso_size, payload - off);
        uint32_t len = g.hdr + plen;
        struct packet *s = seg_alloc(p, len);
        memcpy(s->data, p->data, g.hdr);
        memcpy(s->data + g.hdr, p->data + g.hdr + off, plen);

        uint8_t *sip = s->data + g.l3;
        uint8_t *l4 = s->data + g.l4;
        uint32_t l4_len = len - g.l4;
        uint32_t sum;
        if (g.v4) {
            uint32_t ihl = (uint32_t) (sip[0] & 0x0f) * 4;
            put_be16(sip + 2, (uint16_t) (len - g.l3));
            put_be16(sip + 4, (uint16_t) (id0 + i));
            put_be16(sip + 10, 0);
            put_be16(sip + 10, csum_finish(csum_partial(sip, ihl, 0)));
            sum = csum_partial(sip + 12, 8, 0);
        } else {
            put_be16(sip + 4, (uint16_t) (len - g.l3 - 40));
            sum = csum_partial(sip + 8, 32, 0);
        }
        if (g.tcp) {
            put_be32(l4 + 4, seq0 + off);
            if (i + 1 < nseg) {
                l4[13] &= (uint8_t) ~(TCP_FIN | TCP_PSH);
            }
            if (i > 0) {
                l4[13] &= (uint8_t) ~TCP_CWR;
            }
        } else {
            put_be16(l4 + 4, (uint16_t) l4_len);
        }
        sum += proto + l4_len;
        put_be16(l4 + csum_field, 0);
        uint16_t csum = csum_finish(csum_partial(l4, l4_len, sum));
        if (!g.tcp && !csum) {
            csum = 0xffff;
        }
        put_be16(l4 + csum_field, csum);
        segs[(*n)++] = s;
    }
    return 0;
}

/* See packet-offload.h.  The signature of a partial checksum: the field
 * holds fold(pseudo-header sum) uncomplemented; a complete checksum holds
 * the complement of the sum over pseudo-header and segment.  The two agree
 * for one frame in 65,536, and marking such a complete frame as partial is
 * harmless: completing it recomputes the same, correct checksum (the sum
 * is taken over a segment whose checksum field already equals the
 * pseudo-header part). */
bool
packet_ol_detect_partial(struct packet *p)
{
    if (p->ol_flags || p->len < 14 + 20) {
        return false;
    }
    const uint8_t *d = p->data;
    uint32_t l3 = 14;
    uint16_t type = get_be16(d + 12);
    if (type == 0x8100) {
        if (p->len < 18 + 20) {
            return false;
        }
        l3 = 18;
        type = get_be16(d + 16);
    }
    if (type != 0x0800) {
        return false;
    }
    const uint8_t *ip = d + l3;
    uint32_t ihl = (uint32_t) (ip[0] & 0x0f) * 4;
    uint32_t tot = get_be16(ip + 2);
    if ((ip[0] >> 4) != 4 || ihl < 20 || tot < ihl || l3 + tot > p->len
        || (get_be16(ip + 6) & 0x3fff)) {
        return false;                   /* Partial checksums are unfragmented. */
    }
    uint8_t proto = ip[9];
    uint32_t csum_off = proto == 6 ? 16 : proto == 17 ? 6 : 0;
    uint32_t l4_len = tot - ihl;
    if (!csum_off || l4_len < csum_off + 2) {
        return false;
    }
    uint32_t sum = 0;
    sum += get_be16(ip + 12) + get_be16(ip + 14) + get_be16(ip + 16) + get_be16(ip + 18);
    sum += proto + l4_len;
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    if (get_be16(ip + ihl + csum_off) != sum) {
        return false;
    }
    p->ol_flags = PACKET_OL_CSUM;
    p->csum_start = (uint16_t) (l3 + ihl);
    p->csum_offset = (uint16_t) csum_off;
    return true;
}
