/* net-frame — see net-frame.h. */
#include "net-frame.h"
#include "util/byteorder.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define ETH_HDR_LEN 14
#define VLAN_TAG_LEN 4
#define IPV4_HDR_LEN 20
#define UDP_HDR_LEN 8
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_VLAN 0x8100
#define IPPROTO_UDP_NUM 17

void
net_frame_spec_init(struct net_frame_spec *spec)
{
    static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 0x01 };
    static const uint8_t dst[6] = { 0x02, 0, 0, 0, 0, 0x02 };

    memset(spec, 0, sizeof *spec);
    memcpy(spec->src_mac, src, 6);
    memcpy(spec->dst_mac, dst, 6);
    spec->vlan = -1;
    spec->src_ip = 0x0a000001;
    spec->dst_ip = 0x0a000002;
    spec->src_port = 49200;
    spec->dst_port = 9;
    spec->ttl = 64;
    spec->size = NET_FRAME_MIN;
}

int
net_frame_spec_check(const struct net_frame_spec *spec)
{
    if (spec->vlan > 4095) {
        return -EINVAL;
    }
    size_t min = spec->vlan >= 0 ? NET_FRAME_MIN_VLAN : NET_FRAME_MIN;
    if (spec->size < min || spec->size > NET_FRAME_MAX) {
        return -ERANGE;
    }
    return 0;
}

size_t
net_frame_marker_offset(const struct net_frame_spec *spec)
{
    return ETH_HDR_LEN + (spec->vlan >= 0 ? VLAN_TAG_LEN : 0)
           + IPV4_HDR_LEN + UDP_HDR_LEN;
}

static uint16_t
ipv4_checksum(const uint8_t *hdr)
{
    uint32_t sum = 0;
    for (size_t i = 0; i < IPV4_HDR_LEN; i += 2) {
        sum += (uint32_t) hdr[i] << 8 | hdr[i + 1];
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return (uint16_t) ~sum;
}

void
net_frame_build(const struct net_frame_spec *spec, uint8_t *frame)
{
    uint8_t *p = frame;

    memset(frame, 0, spec->size);
    memcpy(p, spec->dst_mac, 6);
    memcpy(p + 6, spec->src_mac, 6);
    p += 12;
    if (spec->vlan >= 0) {
        put_be16(p, ETHERTYPE_VLAN);
        put_be16(p + 2, (uint16_t) spec->vlan);
        p += VLAN_TAG_LEN;
    }
    put_be16(p, ETHERTYPE_IPV4);
    p += 2;

    size_t l3_len = spec->size - (size_t) (p - frame);
    uint8_t *ip = p;
    ip[0] = 0x45;                           /* Version 4, IHL 5. */
    put_be16(ip + 2, (uint16_t) l3_len);
    put_be16(ip + 6, 0x4000);                  /* Don't fragment. */
    ip[8] = spec->ttl;
    ip[9] = IPPROTO_UDP_NUM;
    put_be32(ip + 12, spec->src_ip);
    put_be32(ip + 16, spec->dst_ip);
    put_be16(ip + 10, ipv4_checksum(ip));

    uint8_t *udp = ip + IPV4_HDR_LEN;
    put_be16(udp, spec->src_port);
    put_be16(udp + 2, spec->dst_port);
    put_be16(udp + 4, (uint16_t) (l3_len - IPV4_HDR_LEN));

    struct net_marker *m = (struct net_marker *) (void *) (udp + UDP_HDR_LEN);
    m->magic = htobe32_t(NET_MARKER_MAGIC);
}

bool
net_frame_parse_marker(const uint8_t *frame, size_t len,
                       uint32_t *seq, uint64_t *tx_ns)
{
    size_t off = 12;

    if (len < ETH_HDR_LEN) {
        return false;
    }
    uint16_t type = (uint16_t) (frame[off] << 8 | frame[off + 1]);
    if (type == ETHERTYPE_VLAN) {
        off += VLAN_TAG_LEN;
        if (len < off + 2) {
            return false;
        }
        type = (uint16_t) (frame[off] << 8 | frame[off + 1]);
    }
    off += 2;
    if (type != ETHERTYPE_IPV4 || len < off + IPV4_HDR_LEN) {
        return false;
    }
    const uint8_t *ip = frame + off;
    if ((ip[0] >> 4) != 4 || ip[9] != IPPROTO_UDP_NUM) {
        return false;
    }
    off += (size_t) (ip[0] & 0x0f) * 4 + UDP_HDR_LEN;
    if ((ip[0] & 0x0f) < 5 || len < off + sizeof(struct net_marker)) {
        return false;
    }
    const struct net_marker *m = (const struct net_marker *) (const void *) (frame + off);
    if (be32_to_host(m->magic) != NET_MARKER_MAGIC) {
        return false;
    }
    *seq = be32_to_host(m->seq);
    *tx_ns = be64_to_host(m->tx_ns);
    return true;
}

int
net_parse_mac(const char *s, uint8_t mac[6])
{
    unsigned int b[6];
    char extra;

    if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
               &b[4], &b[5], &extra) != 6) {
        return -EINVAL;
    }
    for (int i = 0; i < 6; i++) {
        mac[i] = (uint8_t) b[i];
    }
    return 0;
}

int
net_parse_ipv4(const char *s, uint32_t *ip)
{
    struct in_addr a;

    if (inet_pton(AF_INET, s, &a) != 1) {
        return -EINVAL;
    }
    *ip = ntohl(a.s_addr);
    return 0;
}
