/* packet-edit — header rewrites for OpenFlow 1.0's set-field actions.
 *
 * Each function edits one field of the frame in `p` in place and fixes the
 * checksums that cover it incrementally (RFC 1624): the IPv4 header checksum
 * for nw_src/nw_dst/nw_tos, and the TCP or UDP checksum for nw_src/nw_dst
 * (pseudo-header) and tp_src/tp_dst.  A UDP checksum of 0 ("none") stays 0;
 * a UDP checksum that would become 0 is written as 0xffff.
 *
 * Each function finds the headers itself (Ethernet, an optional 802.1Q tag,
 * LLC/SNAP, IPv4 with its IHL, TCP/UDP when the fragment offset is 0), reads
 * nothing past `len`, and leaves a frame that lacks the header untouched —
 * OpenFlow 1.0 ignores a set-field action that does not apply.
 *
 * VLAN: set_vlan_vid / set_vlan_pcp push a tag (TPID 0x8100, the other TCI
 * field 0) when the frame has none, using headroom or, when there is none,
 * packet_grow_front() (which may replace `storage`, see packet.h); strip
 * pops the outer tag.
 *
 * All return 0 when the frame was edited, -ENOENT when the header is absent
 * (nothing done), -EINVAL when the frame is shorter than an Ethernet header.
 * Thread-safety: touch only `p`. */
#ifndef PLURAL_PACKET_EDIT_H
#define PLURAL_PACKET_EDIT_H 1

#include <stdint.h>
#include "pkt/packet.h"

int packet_set_vlan_vid(struct packet *p, uint16_t vid);     /* 12 bits. */
int packet_set_vlan_pcp(struct packet *p, uint8_t pcp);      /* 3 bits. */
int packet_strip_vlan(struct packet *p);
int packet_set_dl_src(struct packet *p, const uint8_t mac[6]);
int packet_set_dl_dst(struct packet *p, const uint8_t mac[6]);
int packet_set_nw_src(struct packet *p, uint32_t addr);      /* Host order. */
int packet_set_nw_dst(struct packet *p, uint32_t addr);
int packet_set_nw_tos(struct packet *p, uint8_t tos);        /* DSCP: tos & 0xfc. */
int packet_set_tp_src(struct packet *p, uint16_t port);
int packet_set_tp_dst(struct packet *p, uint16_t port);

#endif
