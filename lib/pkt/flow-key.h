/* flow-key — the OpenFlow 1.0 12-tuple of a frame, laid out for speed.
 *
 * A `struct flow_key` holds the twelve OpenFlow 1.0 match fields, all in
 * HOST byte order (MAC addresses as bytes), packed into FLOW_KEY_WORDS
 * 64-bit words so that masked hashing and masked comparison are a handful
 * of AND/XOR over words (see lib/dp/classifier.h).  Padding bytes are
 * always zero, so two keys are equal iff their words are equal.
 *
 * flow_extract() follows OpenFlow 1.0 (and Open vSwitch's reading of it):
 *   - dl_vlan: the VID when 802.1Q tagged, else FLOW_VLAN_NONE (0xffff);
 *     dl_vlan_pcp: the tag's priority (0 when untagged).
 *   - dl_type: the Ethernet II type; for 802.3 frames with LLC/SNAP and OUI
 *     00:00:00 the SNAP type; for any other 802.3 frame FLOW_DL_TYPE_NONE
 *     (0x05ff).
 *   - ARP (Ethernet/IPv4 only): nw_proto = low 8 bits of the opcode,
 *     nw_src = sender IP, nw_dst = target IP.
 *   - IPv4: nw_tos = the DSCP bits (tos & 0xfc), nw_proto, nw_src, nw_dst;
 *     transport fields only when the fragment offset is 0: TCP/UDP ports, or
 *     ICMP type in tp_src and code in tp_dst.
 * Fields that do not apply are zero.  Nothing past `len` is ever read.
 *
 * Thread-safety: pure functions. */
#ifndef PLURAL_FLOW_KEY_H
#define PLURAL_FLOW_KEY_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "pkt/packet.h"
#include "util/hash.h"
#include "util/util.h"

#define FLOW_KEY_WORDS 5
#define FLOW_VLAN_NONE 0xffff       /* dl_vlan of an untagged frame. */
#define FLOW_DL_TYPE_NONE 0x05ff    /* dl_type of a non-Ethernet-II frame. */

#define ETH_TYPE_IP   0x0800
#define ETH_TYPE_ARP  0x0806
#define ETH_TYPE_VLAN 0x8100
#define ETH_TYPE_MIN  0x0600        /* Smaller values are 802.3 lengths. */
#define IP_PROTO_ICMP 1
#define IP_PROTO_TCP  6
#define IP_PROTO_UDP  17

struct flow_key {
    union {
        uint64_t w[FLOW_KEY_WORDS];
        struct {
            uint8_t dl_dst[6];      /* Word 0. */
            uint16_t in_port;
            uint8_t dl_src[6];      /* Word 1. */
            uint16_t dl_type;
            uint32_t nw_src;        /* Word 2. */
            uint32_t nw_dst;
            uint16_t dl_vlan;       /* Word 3. */
            uint16_t tp_src;
            uint16_t tp_dst;
            uint8_t dl_vlan_pcp;
            uint8_t nw_proto;
            uint8_t nw_tos;         /* Word 4. */
            uint8_t pad[7];         /* Always zero. */
        };
    };
};
BUILD_ASSERT_SIZE(struct flow_key, FLOW_KEY_WORDS * 8);

/* Where the headers start, as found by flow_extract() (offsets from data;
 * 0 means absent), and what the IPv4 header says about fragmentation.
 * `l3` is set for any Ethernet II or SNAP type, whatever follows; `nw_frag`
 * only when a complete, valid IPv4 header was parsed there (version 4,
 * IHL >= 5 within the frame): a frame whose dl_type is 0x0800 but whose
 * header was rejected is never a fragment. */
struct flow_layout {
    uint16_t l3;        /* Network header (after VLAN tag / LLC+SNAP). */
    uint16_t l4;        /* Transport header (IPv4 with fragment offset 0). */
    uint8_t nw_frag;    /* FLOW_NW_FRAG_* of a valid IPv4 header, else 0. */
};
#define FLOW_NW_FRAG_ANY   0x01     /* A fragment: MF set or offset != 0. */
#define FLOW_NW_FRAG_LATER 0x02     /* Not the first: offset != 0. */

/* Fills `key` from the frame in `pkt` received on OpenFlow port `in_port`.
 * `layout` may be NULL.
 * Returns 0 when every header present was complete, or
 *   -EINVAL   the frame is shorter than an Ethernet header (14 bytes): only
 *             in_port is set, the rest is zero with dl_vlan = 0xffff; drop it;
 *   -EBADMSG  a header after Ethernet is truncated or malformed (short VLAN
 *             tag, LLC/SNAP, ARP, IPv4 header or IHL, TCP/UDP/ICMP header):
 *             the key holds what was parsed before it, other fields zero;
 *             the frame may still be forwarded, but the caller counts it. */
int flow_extract(const struct packet *pkt, uint16_t in_port,
                 struct flow_key *key, struct flow_layout *layout);

static inline uint32_t
flow_key_hash(const struct flow_key *key, uint32_t basis)
{
    return hash_words64(key->w, FLOW_KEY_WORDS, basis);
}

static inline bool
flow_key_equal(const struct flow_key *a, const struct flow_key *b)
{
    uint64_t diff = 0;
    for (int i = 0; i < FLOW_KEY_WORDS; i++) {
        diff |= a->w[i] ^ b->w[i];
    }
    return diff == 0;
}

/* Writes a one-line text form ("in_port=1,dl_vlan=0xffff,...") into buf
 * (always NUL-terminated); returns buf. */
char *flow_key_format(const struct flow_key *, char *buf, size_t size);

#endif
