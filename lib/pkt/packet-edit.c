#include "pkt/packet-edit.h"

#include <errno.h>
#include <string.h>
#include "pkt/csum.h"
#include "pkt/flow-key.h"
#include "util/byteorder.h"
#include "pkt/packet-offload.h"

#define ETH_ADDRS_LEN 12
#define ETH_HEADER_LEN 14
#define VLAN_TAG_LEN 4

static bool
is_tagged(const struct packet *p)
{
    return p->len >= ETH_HEADER_LEN + VLAN_TAG_LEN
           && get_be16(p->data + ETH_ADDRS_LEN) == ETH_TYPE_VLAN;
}

/* Where the IPv4 header and (when present and complete) the TCP/UDP header
 * are.  Returns false when the frame carries no complete IPv4 header. */
struct ip_layout {
    uint8_t *ip;
    uint8_t *l4;        /* NULL: no complete TCP/UDP header. */
    uint8_t proto;
};

static bool
find_ipv4(struct packet *p, struct ip_layout *ipl)
{
    struct flow_key key;
    struct flow_layout lay;
    flow_extract(p, 0, &key, &lay);
    if (key.dl_type != ETH_TYPE_IP || !lay.l3
        || p->len < (uint32_t) lay.l3 + 20) {
        return false;
    }
    uint8_t *ip = p->data + lay.l3;
    uint32_t ihl = (uint32_t) (ip[0] & 0x0f) * 4;
    if ((ip[0] >> 4) != 4 || ihl < 20 || lay.l3 + ihl > p->len) {
        return false;
    }
    ipl->ip = ip;
    ipl->proto = ip[9];
    ipl->l4 = NULL;
    if (lay.l4) {
        uint32_t need = ipl->proto == IP_PROTO_TCP ? 20
                        : ipl->proto == IP_PROTO_UDP ? 8 : 0;
        if (need && (uint32_t) lay.l4 + need <= p->len) {
            ipl->l4 = p->data + lay.l4;
        }
    }
    return true;
}

/* Offset of the transport checksum in the TCP/UDP header. */
static size_t
l4_csum_offset(uint8_t proto)
{
    return proto == IP_PROTO_TCP ? 16 : 6;
}

/* Fixes the TCP/UDP checksum for a change of a 32-bit (wide) or 16-bit
 * covered value from old to new.  `pseudo`: the value is in the
 * pseudo-header (an IP address), else in the L4 header.
 *
 * A partial checksum (PACKET_OL_CSUM, packet-offload.h) holds the folded,
 * uncomplemented pseudo-header sum S and the sum over the L4 bytes is added
 * later (by the kernel on transmission, or packet_ol_csum_complete()): an
 * address change updates S (the RFC 1624 update applied to ~S, as the
 * kernel's inet_proto_csum_replace4() does), an L4 header change needs
 * nothing. */
static void
update_l4_csum(const struct packet *p, const struct ip_layout *ipl,
               uint32_t old, uint32_t new, bool wide, bool pseudo)
{
    uint8_t *c = ipl->l4 + l4_csum_offset(ipl->proto);
    if (p->ol_flags & PACKET_OL_CSUM) {
        if (pseudo) {
            uint16_t s = (uint16_t) ~get_be16(c);
            s = wide ? csum_update32(s, old, new)
                     : csum_update16(s, (uint16_t) old, (uint16_t) new);
            put_be16(c, (uint16_t) ~s);
        }
        return;
    }
    uint16_t csum = get_be16(c);
    if (ipl->proto == IP_PROTO_UDP && !csum) {
        return;
    }
    csum = wide ? csum_update32(csum, old, new)
                : csum_update16(csum, (uint16_t) old, (uint16_t) new);
    if (ipl->proto == IP_PROTO_UDP && !csum) {
        csum = 0xffff;
    }
    put_be16(c, csum);
}

/* Sets the TCI (masked by `mask`) of the outer tag, pushing one if none. */
static int
set_tci(struct packet *p, uint16_t tci, uint16_t mask)
{
    if (p->len < ETH_HEADER_LEN) {
        return -EINVAL;
    }
    if (!is_tagged(p)) {
        packet_grow_front(p, VLAN_TAG_LEN);
        memmove(p->data, p->data + VLAN_TAG_LEN, ETH_ADDRS_LEN);
        put_be16(p->data + ETH_ADDRS_LEN, ETH_TYPE_VLAN);
        put_be16(p->data + ETH_ADDRS_LEN + 2, 0);
    }
    uint8_t *t = p->data + ETH_ADDRS_LEN + 2;
    put_be16(t, (uint16_t) ((get_be16(t) & ~mask) | (tci & mask)));
    return 0;
}

int
packet_set_vlan_vid(struct packet *p, uint16_t vid)
{
    return set_tci(p, vid, 0x0fff);
}

int
packet_set_vlan_pcp(struct packet *p, uint8_t pcp)
{
    return set_tci(p, (uint16_t) (pcp << 13), 0xe000);
}

int
packet_strip_vlan(struct packet *p)
{
    if (p->len < ETH_HEADER_LEN) {
        return -EINVAL;
    }
    if (!is_tagged(p)) {
        return -ENOENT;
    }
    memmove(p->data + VLAN_TAG_LEN, p->data, ETH_ADDRS_LEN);
    packet_shrink_front(p, VLAN_TAG_LEN);
    return 0;
}

static int
set_mac(struct packet *p, size_t ofs, const uint8_t mac[6])
{
    if (p->len < ETH_HEADER_LEN) {
        return -EINVAL;
    }
    memcpy(p->data + ofs, mac, 6);
    return 0;
}

int
packet_set_dl_dst(struct packet *p, const uint8_t mac[6])
{
    return set_mac(p, 0, mac);
}

int
packet_set_dl_src(struct packet *p, const uint8_t mac[6])
{
    return set_mac(p, 6, mac);
}

static int
set_nw_addr(struct packet *p, size_t ofs, uint32_t addr)
{
    struct ip_layout ipl;
    if (p->len < ETH_HEADER_LEN) {
        return -EINVAL;
    }
    if (!find_ipv4(p, &ipl)) {
        return -ENOENT;
    }
    uint32_t old = get_be32(ipl.ip + ofs);
    put_be16(ipl.ip + 10, csum_update32(get_be16(ipl.ip + 10), old, addr));
    if (ipl.l4) {
        update_l4_csum(p, &ipl, old, addr, true, true);
    }
    put_be32(ipl.ip + ofs, addr);
    return 0;
}

int
packet_set_nw_src(struct packet *p, uint32_t addr)
{
    return set_nw_addr(p, 12, addr);
}

int
packet_set_nw_dst(struct packet *p, uint32_t addr)
{
    return set_nw_addr(p, 16, addr);
}

int
packet_set_nw_tos(struct packet *p, uint8_t tos)
{
    struct ip_layout ipl;
    if (p->len < ETH_HEADER_LEN) {
        return -EINVAL;
    }
    if (!find_ipv4(p, &ipl)) {
        return -ENOENT;
    }
    uint16_t old = get_be16(ipl.ip);
    uint16_t new = (uint16_t) ((old & 0xff03) | (tos & 0xfc));
    put_be16(ipl.ip + 10, csum_update16(get_be16(ipl.ip + 10), old, new));
    put_be16(ipl.ip, new);
    return 0;
}

static int
set_tp_port(struct packet *p, size_t ofs, uint16_t port)
{
    struct ip_layout ipl;
    if (p->len < ETH_HEADER_LEN) {
        return -EINVAL;
    }
    if (!find_ipv4(p, &ipl) || !ipl.l4) {
        return -ENOENT;
    }
    uint16_t old = get_be16(ipl.l4 + ofs);
    update_l4_csum(p, &ipl, old, port, false, false);
    put_be16(ipl.l4 + ofs, port);
    return 0;
}

int
packet_set_tp_src(struct packet *p, uint16_t port)
{
    return set_tp_port(p, 0, port);
}

int
packet_set_tp_dst(struct packet *p, uint16_t port)
{
    return set_tp_port(p, 2, port);
}
