/* net-frame — the frames plural's packet generator sends and its receiver
 * recognizes.
 *
 * A frame is Ethernet [+ 802.1Q tag] + IPv4 (20 bytes, no options) + UDP +
 * payload, so a router can forward it.  The payload starts with a marker:
 *
 *     be32 magic  (NET_MARKER_MAGIC, "PLRL")
 *     be32 seq    (0, 1, 2, ... per generator run; wraps at 2^32)
 *     be64 tx_ns  (sender's clock_now_ns() when the frame was queued)
 *
 * and the rest of the payload is zero.  `size` is the frame length without
 * the FCS, 60..9000 bytes; with a VLAN tag the minimum is 64 (the 802.1Q
 * minimum), because the tag plus the headers and the 16-byte marker must
 * fit.  The IPv4 header checksum is computed once per template (only the
 * marker changes per frame); the UDP checksum is 0 (allowed for IPv4).
 *
 * Usage: net_frame_build() writes a template once; net_frame_stamp() writes
 * seq and tx_ns into a copy of it (the marker sits at spec->marker_offset).
 * net_frame_parse_marker() finds the marker in a received frame (VLAN tag
 * present or already stripped by the kernel), checking Ethernet type, IPv4
 * version/IHL/protocol and the magic, so stray traffic is not counted.
 *
 * All functions are pure and thread-safe. */
#ifndef PLURAL_BENCH_NET_FRAME_H
#define PLURAL_BENCH_NET_FRAME_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "util/byteorder.h"
#include "util/util.h"

#define NET_FRAME_MIN 60
#define NET_FRAME_MIN_VLAN 64
#define NET_FRAME_MAX 9000
#define NET_MARKER_MAGIC 0x504c524cu     /* "PLRL" */

struct net_marker {
    be32_t magic;
    be32_t seq;
    be64_t tx_ns;
} __attribute__((packed));
BUILD_ASSERT_SIZE(struct net_marker, 16);

struct net_frame_spec {
    uint8_t dst_mac[6];
    uint8_t src_mac[6];
    int vlan;                   /* 802.1Q VLAN id 0..4095, or -1 for none. */
    uint32_t src_ip, dst_ip;    /* Host byte order. */
    uint16_t src_port, dst_port;
    uint8_t ttl;
    size_t size;                /* Frame length without FCS. */
};

/* Fills `spec` with defaults: locally administered unicast MACs
 * 02:00:00:00:00:01 -> 02:00:00:00:00:02, no VLAN, 10.0.0.1 -> 10.0.0.2,
 * UDP 49200 -> 9, TTL 64, size 60. */
void net_frame_spec_init(struct net_frame_spec *);

/* Checks that spec->size and spec->vlan are acceptable.  Returns 0, or
 * -ERANGE (size out of 60..9000, or below 64 with a VLAN tag), -EINVAL (VLAN
 * id above 4095). */
int net_frame_spec_check(const struct net_frame_spec *);

/* Offset of the marker inside a frame built from `spec`. */
size_t net_frame_marker_offset(const struct net_frame_spec *);

/* Writes the template frame (spec->size bytes) into `frame`, marker seq 0,
 * tx_ns 0.  The spec must pass net_frame_spec_check(). */
void net_frame_build(const struct net_frame_spec *, uint8_t *frame);

/* Writes seq and tx_ns into the marker at `marker_offset` of `frame`. */
static inline void
net_frame_stamp(uint8_t *frame, size_t marker_offset, uint32_t seq, uint64_t tx_ns)
{
    struct net_marker *m = (struct net_marker *) (void *) (frame + marker_offset);
    m->seq = htobe32_t(seq);
    m->tx_ns = htobe64_t(tx_ns);
}

/* Looks for plural's marker in a received frame of `len` bytes.  Returns
 * true and fills *seq and *tx_ns if the frame is Ethernet [+VLAN] + IPv4 +
 * UDP whose payload starts with the magic; false otherwise. */
bool net_frame_parse_marker(const uint8_t *frame, size_t len,
                            uint32_t *seq, uint64_t *tx_ns);

/* Parses "aa:bb:cc:dd:ee:ff".  Returns 0 or -EINVAL. */
int net_parse_mac(const char *, uint8_t mac[6]);
/* Parses a dotted IPv4 address into host byte order.  Returns 0 or -EINVAL. */
int net_parse_ipv4(const char *, uint32_t *);

#endif
