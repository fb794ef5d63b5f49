/* router-pkt — frames the router app builds itself: ARP requests/replies,
 * ICMP echo replies and ICMP errors, and the TTL decrement of a forwarded
 * IPv4 packet.  Pure functions writing into caller buffers; thread-safe. */
#ifndef PLURAL_APPS_ROUTER_PKT_H
#define PLURAL_APPS_ROUTER_PKT_H 1

#include <stddef.h>
#include <stdint.h>

#define ROUTER_FRAME_MAX 65536

/* Writes an Ethernet header (with an 802.1Q tag if vlan != 0xffff) and
 * returns its length (14 or 18). */
size_t router_put_eth(uint8_t *out, const uint8_t dst[6], const uint8_t src[6],
                      uint16_t vlan, uint16_t type);

/* ARP (op 1 request, 2 reply) in a full frame; returns its length (>= 60). */
size_t router_build_arp(uint8_t *out, uint16_t vlan, uint16_t op,
                        const uint8_t eth_dst[6], const uint8_t sha[6], uint32_t spa,
                        const uint8_t tha[6], uint32_t tpa);

/* ICMP error (type/code) about the IPv4 packet at `ip` (ip_len bytes):
 * quotes its header + 8 bytes.  Returns the frame length. */
size_t router_build_icmp_error(uint8_t *out, const uint8_t eth_dst[6], const uint8_t eth_src[6],
                               uint16_t vlan, uint32_t src_ip, uint8_t type, uint8_t code,
                               const uint8_t *ip, size_t ip_len);

/* Echo reply for the echo request at `ip` (whole IPv4 packet), from
 * src_ip.  Returns the frame length, or 0 if the request is malformed. */
size_t router_build_echo_reply(uint8_t *out, const uint8_t eth_dst[6], const uint8_t eth_src[6],
                               uint16_t vlan, uint32_t src_ip, const uint8_t *ip, size_t ip_len);

/* Decrements the TTL of the IPv4 header at ip, fixing its checksum. */
void router_dec_ttl(uint8_t *ip);

/* Length of the IPv4 packet at ip per its total-length field, clamped to
 * avail; 0 if the header is malformed. */
size_t router_ip_len(const uint8_t *ip, size_t avail);

#endif
