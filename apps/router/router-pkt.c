/* router-pkt — ARP and ICMP frames of the router app; see header. */
#include "router-pkt.h"

#include <string.h>
#include "pkt/csum.h"
#include "util/byteorder.h"

size_t
router_put_eth(uint8_t *out, const uint8_t dst[6], const uint8_t src[6], uint16_t vlan,
               uint16_t type)
{
    memcpy(out, dst, 6);
    memcpy(out + 6, src, 6);
    if (vlan != 0xffff) {
        put_be16(out + 12, 0x8100);
        put_be16(out + 14, vlan & 0xfff);
        put_be16(out + 16, type);
        return 18;
    }
    put_be16(out + 12, type);
    return 14;
}

size_t
router_build_arp(uint8_t *out, uint16_t vlan, uint16_t op, const uint8_t eth_dst[6],
                 const uint8_t sha[6], uint32_t spa, const uint8_t tha[6], uint32_t tpa)
{
    size_t n = router_put_eth(out, eth_dst, sha, vlan, 0x0806);
    uint8_t *a = out + n;
    put_be16(a, 1);
    put_be16(a + 2, 0x0800);
    a[4] = 6;
    a[5] = 4;
    put_be16(a + 6, op);
    memcpy(a + 8, sha, 6);
    put_be32(a + 14, spa);
    memcpy(a + 18, tha, 6);
    put_be32(a + 24, tpa);
    n += 28;
    if (n < 60) {
        memset(out + n, 0, 60 - n);
        n = 60;
    }
    return n;
}

size_t
router_ip_len(const uint8_t *ip, size_t avail)
{
    if (avail < 20 || (ip[0] >> 4) != 4 || (ip[0] & 0xf) < 5
        || (size_t) (ip[0] & 0xf) * 4 > avail) {
        return 0;
    }
    size_t total = get_be16(ip + 2);
    if (total < (size_t) (ip[0] & 0xf) * 4) {
        return 0;
    }
    return total < avail ? total : avail;
}

static size_t
put_ip_header(uint8_t *ip, uint32_t src, uint32_t dst, uint8_t proto, size_t payload_len)
{
    memset(ip, 0, 20);
    ip[0] = 0x45;
    put_be16(ip + 2, (uint16_t) (20 + payload_len));
    ip[8] = 64;
    ip[9] = proto;
    put_be32(ip + 12, src);
    put_be32(ip + 16, dst);
    put_be16(ip + 10, csum_finish(csum_partial(ip, 20, 0)));
    return 20;
}

size_t
router_build_icmp_error(uint8_t *out, const uint8_t eth_dst[6], const uint8_t eth_src[6],
                        uint16_t vlan, uint32_t src_ip, uint8_t type, uint8_t code,
                        const uint8_t *ip, size_t ip_len)
{
    size_t ihl = (size_t) (ip[0] & 0xf) * 4;
    size_t quote = ihl + 8 < ip_len ? ihl + 8 : ip_len;
    size_t n = router_put_eth(out, eth_dst, eth_src, vlan, 0x0800);
    uint8_t *icmp = out + n + 20;
    memset(icmp, 0, 8);
    icmp[0] = type;
    icmp[1] = code;
    memcpy(icmp + 8, ip, quote);
    put_be16(icmp + 2, csum_finish(csum_partial(icmp, 8 + quote, 0)));
    n += put_ip_header(out + n, src_ip, get_be32(ip + 12), 1, 8 + quote);
    n += 8 + quote;
    if (n < 60) {
        memset(out + n, 0, 60 - n);
        n = 60;
    }
    return n;
}

size_t
router_build_echo_reply(uint8_t *out, const uint8_t eth_dst[6], const uint8_t eth_src[6],
                        uint16_t vlan, uint32_t src_ip, const uint8_t *ip, size_t ip_len)
{
    size_t ihl = (size_t) (ip[0] & 0xf) * 4;
    if (ip_len < ihl + 8) {
        return 0;
    }
    size_t icmp_len = ip_len - ihl;
    size_t n = router_put_eth(out, eth_dst, eth_src, vlan, 0x0800);
    uint8_t *icmp = out + n + 20;
    memcpy(icmp, ip + ihl, icmp_len);
    icmp[0] = 0;            /* Echo reply. */
    icmp[1] = 0;
    put_be16(icmp + 2, 0);
    put_be16(icmp + 2, csum_finish(csum_partial(icmp, icmp_len, 0)));
    n += put_ip_header(out + n, src_ip, get_be32(ip + 12), 1, icmp_len);
    n += icmp_len;
    if (n < 60) {
        memset(out + n, 0, 60 - n);
        n = 60;
    }
    return n;
}

void
router_dec_ttl(uint8_t *ip)
{
    uint16_t old = get_be16(ip + 8);
    ip[8]--;
    put_be16(ip + 10, csum_update16(get_be16(ip + 10), old, get_be16(ip + 8)));
}
