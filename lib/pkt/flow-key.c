#include "pkt/flow-key.h"

#include <errno.h>
#include <stdio.h>

#include "util/byteorder.h"

#define ETH_HEADER_LEN 14
#define VLAN_HEADER_LEN 4
#define LLC_SNAP_LEN 8
#define ARP_ETH_IP_LEN 28
#define IP_HEADER_LEN 20
#define TCP_HEADER_LEN 20
#define UDP_HEADER_LEN 8
#define ICMP_HEADER_LEN 4

/* Parses ARP at p (n bytes). */
static int
extract_arp(const uint8_t *p, uint32_t n, struct flow_key *key)
{
    if (n < ARP_ETH_IP_LEN) {
        return -EBADMSG;
    }
    /* Hardware Ethernet (1), protocol IPv4, lengths 6 and 4. */
    if (get_be16(p) != 1 || get_be16(p + 2) != ETH_TYPE_IP || p[4] != 6 || p[5] != 4) {
        return 0;
    }
    uint16_t op = get_be16(p + 6);
    if (op <= 0xff) {
        key->nw_proto = (uint8_t) op;
    }
    key->nw_src = get_be32(p + 14);
    key->nw_dst = get_be32(p + 24);
    return 0;
}

static int
extract_l4(const uint8_t *p, uint32_t n, struct flow_key *key)
{
    switch (key->nw_proto) {
    case IP_PROTO_TCP:
        if (n < TCP_HEADER_LEN) {
            return -EBADMSG;
        }
        break;
    case IP_PROTO_UDP:
        if (n < UDP_HEADER_LEN) {
            return -EBADMSG;
        }
        break;
    case IP_PROTO_ICMP:
        if (n < ICMP_HEADER_LEN) {
            return -EBADMSG;
        }
        key->tp_src = p[0];
        key->tp_dst = p[1];
        return 0;
    default:
        return 0;
    }
    key->tp_src = get_be16(p);
    key->tp_dst = get_be16(p + 2);
    return 0;
}

/* Parses IPv4 at p (n bytes from the network header to the frame's end). */
static int
extract_ipv4(const uint8_t *p, uint32_t n, struct flow_key *key,
             uint16_t l3, struct flow_layout *layout)
{
    if (n < IP_HEADER_LEN) {
        return -EBADMSG;
    }
    uint32_t ihl = (uint32_t) (p[0] & 0x0f) * 4;
    if ((p[0] >> 4) != 4 || ihl < IP_HEADER_LEN || ihl > n) {
        return -EBADMSG;
    }
    key->nw_tos = p[1] & 0xfc;
    key->nw_proto = p[9];
    key->nw_src = get_be32(p + 12);
    key->nw_dst = get_be32(p + 16);
    uint16_t frag = get_be16(p + 6);
    if (layout && (frag & 0x3fff)) {
        layout->nw_frag = FLOW_NW_FRAG_ANY
                          | (frag & 0x1fff ? FLOW_NW_FRAG_LATER : 0);
    }
    if (frag & 0x1fff) {
        return 0;               /* Later fragment: no transport header. */
    }
    if (layout) {
        layout->l4 = (uint16_t) (l3 + ihl);
    }
    return extract_l4(p + ihl, n - ihl, key);
}

int
flow_extract(const struct packet *pkt, uint16_t in_port,
             struct flow_key *key, struct flow_layout *layout)
{
    const uint8_t *d = pkt->data;
    uint32_t len = pkt->len;

    memset(key, 0, sizeof *key);
    key->in_port = in_port;
    key->dl_vlan = FLOW_VLAN_NONE;
    if (layout) {
        layout->l3 = layout->l4 = 0;
        layout->nw_frag = 0;
    }
    if (len < ETH_HEADER_LEN) {
        return -EINVAL;
    }
    memcpy(key->dl_dst, d, 6);
    memcpy(key->dl_src, d + 6, 6);

    uint32_t ofs = 12;
    uint16_t type = get_be16(d + ofs);
    if (type == ETH_TYPE_VLAN) {
        if (len < ofs + VLAN_HEADER_LEN + 2) {
            return -EBADMSG;
        }
        uint16_t tci = get_be16(d + ofs + 2);
        key->dl_vlan = tci & 0x0fff;
        key->dl_vlan_pcp = (uint8_t) (tci >> 13);
        ofs += VLAN_HEADER_LEN;
        type = get_be16(d + ofs);
    }
    ofs += 2;

    if (type < ETH_TYPE_MIN) {
        /* 802.3: only LLC 0xaa 0xaa 0x03 with SNAP OUI 00:00:00 carries a
         * type, and only if that type is itself an Ethernet II type. */
        key->dl_type = FLOW_DL_TYPE_NONE;
        if (len < ofs + LLC_SNAP_LEN) {
            return 0;
        }
        const uint8_t *llc = d + ofs;
        if (llc[0] != 0xaa || llc[1] != 0xaa || llc[2] != 0x03
            || llc[3] || llc[4] || llc[5]) {
            return 0;
        }
        type = get_be16(llc + 6);
        if (type < ETH_TYPE_MIN) {
            return 0;
        }
        ofs += LLC_SNAP_LEN;
    }
    key->dl_type = type;
    if (layout) {
        layout->l3 = (uint16_t) ofs;
    }

    if (type == ETH_TYPE_IP) {
        return extract_ipv4(d + ofs, len - ofs, key, (uint16_t) ofs, layout);
    } else if (type == ETH_TYPE_ARP) {
        return extract_arp(d + ofs, len - ofs, key);
    }
    return 0;
}

char *
flow_key_format(const struct flow_key *k, char *buf, size_t size)
{
    snprintf(buf, size,
             "in_port=%u,dl_src=%02x:%02x:%02x:%02x:%02x:%02x,"
             "dl_dst=%02x:%02x:%02x:%02x:%02x:%02x,dl_vlan=0x%04x,"
             "dl_vlan_pcp=%u,dl_type=0x%04x,nw_src=%u.%u.%u.%u,"
             "nw_dst=%u.%u.%u.%u,nw_proto=%u,nw_tos=%u,tp_src=%u,tp_dst=%u",
             k->in_port,
             k->dl_src[0], k->dl_src[1], k->dl_src[2], k->dl_src[3],
             k->dl_src[4], k->dl_src[5],
             k->dl_dst[0], k->dl_dst[1], k->dl_dst[2], k->dl_dst[3],
             k->dl_dst[4], k->dl_dst[5],
             k->dl_vlan, k->dl_vlan_pcp, k->dl_type,
             k->nw_src >> 24, (k->nw_src >> 16) & 0xff,
             (k->nw_src >> 8) & 0xff, k->nw_src & 0xff,
             k->nw_dst >> 24, (k->nw_dst >> 16) & 0xff,
             (k->nw_dst >> 8) & 0xff, k->nw_dst & 0xff,
             k->nw_proto, k->nw_tos, k->tp_src, k->tp_dst);
    return buf;
}
