/* packet-offload — frames that carry the kernel's offload metadata (partial
 * checksums, GSO super-frames) and the software fallbacks that turn them
 * into ordinary frames.
 *
 * A Linux interface with its default settings (veth, virtio, ...) hands a
 * packet socket TCP/UDP frames whose L4 checksum is only *partial*
 * (CHECKSUM_PARTIAL: the checksum field holds the folded, uncomplemented
 * pseudo-header sum; the sum over the L4 bytes is left to the device) and,
 * with TSO/GSO/GRO on, *super-frames* of up to 64 KB that the device or the
 * stack will cut into gso_size-byte segments later.  A port that receives
 * this metadata (afpacket with PACKET_VNET_HDR) records it in the packet's
 * ol_* fields (packet.h), in the virtio_net_hdr encoding so conversion is a
 * copy:
 *   PACKET_OL_CSUM  the 16-bit checksum at data + csum_start + csum_offset
 *                   covers data + csum_start .. end plus what the field
 *                   holds (the pseudo-header sum); it is not final.
 *   PACKET_OL_GSO   one frame stands for several: headers, then a payload
 *                   to cut into gso_size-byte pieces (gso_type says how).
 * Invariants: ol_flags == 0 means a complete, wire-ready frame (then the
 * other ol fields are ignored); PACKET_OL_GSO comes with PACKET_OL_CSUM for
 * every frame Linux produces (not required here).
 *
 * Such a frame may be forwarded as it is to a port that takes the metadata
 * (the kernel segments and checksums it on transmission, the fast path).
 * Anywhere else (a TAP without vnet header, a dummy port, a PACKET_IN) it
 * must first become ordinary frames: packet_ol_csum_complete() finishes the
 * checksum in place; packet_ol_segment() cuts a super-frame into complete
 * segments as Linux's tcp/udp GSO would (sequence numbers, IPv4 ids,
 * FIN/PSH only on the last, CWR only on the first, lengths, checksums).
 * Header rewrites (packet-edit.c) keep partial checksums consistent.
 *
 * Pure functions over packets; no I/O, no globals. */
#ifndef PLURAL_PACKET_OFFLOAD_H
#define PLURAL_PACKET_OFFLOAD_H 1

#include <stdbool.h>
#include "pkt/packet.h"

/* ol_flags. */
#define PACKET_OL_CSUM 0x01
#define PACKET_OL_GSO  0x02

/* gso_type: virtio_net_hdr's values (linux/virtio_net.h). */
#define PACKET_GSO_TCPV4  1
#define PACKET_GSO_UDP    3     /* UFO (IP fragmentation): not segmented here. */
#define PACKET_GSO_TCPV6  4
#define PACKET_GSO_UDP_L4 5
#define PACKET_GSO_ECN    0x80  /* Flag: the stream uses ECN (CWR handling). */

/* Largest number of segments packet_ol_segment() makes. */
#define PACKET_OL_MAX_SEGS 256

static inline bool
packet_ol_pending(const struct packet *p)
{
    return p->ol_flags != 0;
}

/* Finishes a partial checksum in software (as the kernel's
 * skb_checksum_help() does) and clears PACKET_OL_CSUM.  A frame without
 * PACKET_OL_CSUM is left alone.  Must not be used on a PACKET_OL_GSO frame
 * (its checksum is per segment).  Returns 0, or -EINVAL when csum_start /
 * csum_offset do not fit in the frame (the frame is left unchanged). */
int packet_ol_csum_complete(struct packet *);

/* Cuts the PACKET_OL_GSO super-frame `p` (TCP over IPv4/IPv6, or UDP_L4)
 * into complete frames (ol_flags 0, valid checksums), stored as
 * packet_clone()-style packets in segs[0..*n-1] (free each with
 * packet_destroy()).  A super-frame whose payload fits one segment gives
 * one frame.  `p` is not changed.  Returns 0, -EINVAL (unsupported
 * gso_type, headers that do not parse or do not match csum_start,
 * gso_size 0), -E2BIG (more than `max` segments needed). */
int packet_ol_segment(const struct packet *p, struct packet **segs,
                      unsigned int max, unsigned int *n);

/* Length of the headers before the first payload byte of a GSO frame
 * (csum_start plus the TCP or UDP header), 0 if it cannot be told. */
uint32_t packet_ol_header_len(const struct packet *);

/* Makes `p` a complete frame when it carries only a partial checksum
 * (completes it); GSO frames are left for packet_ol_segment().  Returns
 * 0, 1 if `p` is a GSO frame (segment it), or -EINVAL. */
int packet_ol_finish(struct packet *p);

/* For frames from a source that delivers no offload metadata (AF_XDP and
 * XDP see what a veth peer with checksum offload sent, partial checksums
 * included): if `p` is an unfragmented IPv4 TCP/UDP frame whose checksum
 * field holds exactly the folded pseudo-header sum — the signature of a
 * partial checksum — marks it PACKET_OL_CSUM (csum_start/offset set) and
 * returns true.  Frames already carrying offload state are left alone. */
bool packet_ol_detect_partial(struct packet *p);

#endif
