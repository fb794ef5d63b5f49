/* packet — a frame on its way through the data plane, and batches of them.
 *
 * A packet does not own a particular kind of memory: a port provider may
 * point `data` into its receive ring (zero copy) or into a buffer of its own;
 * a packet that must outlive the batch (buffered for the controller, queued
 * on a slow port) is copied with packet_clone(), which mallocs `storage`.
 *
 * Invariants:
 *   - `data` points at the first byte of the Ethernet header; `len` bytes
 *     are valid; `headroom` writable bytes precede `data` (a VLAN push moves
 *     `data` back by 4 when headroom >= 4, else packet_make_room() copies);
 *     `data + len .. data + room` is writable tailroom.
 *   - A batch holds at most PACKET_BATCH_MAX packets, all from one port.
 * Ownership: the batch's packets belong to whoever filled the batch (the
 * receiving port) until the datapath finishes the batch; ports' send
 * functions copy what they send and never keep the packet. */
#ifndef PLURAL_PACKET_H
#define PLURAL_PACKET_H 1

#include <stdint.h>

#define PACKET_BATCH_MAX 64
#define PACKET_HEADROOM_WANTED 64   /* What providers try to reserve. */

struct packet {
    uint8_t *data;          /* Ethernet header. */
    uint32_t len;           /* Bytes of frame at data. */
    uint32_t room;          /* Writable bytes from data (>= len). */
    uint16_t headroom;      /* Writable bytes before data. */
    uint16_t in_port;       /* OpenFlow port number it arrived on. */
    uint32_t slice;         /* Slice id assigned by the datapath (0: none). */
    uint8_t *storage;       /* Malloc'd block owning data, or NULL. */
    /* Offload state (see packet-offload.h); all zero for a complete frame.
     * Set by a port that carries the kernel's offload metadata (afpacket
     * with PACKET_VNET_HDR); kept by packet_clone(); csum_start follows
     * the frame when packet_grow_front()/packet_shrink_front() move it. */
    uint8_t ol_flags;       /* PACKET_OL_*. */
    uint8_t gso_type;       /* PACKET_GSO_* (with PACKET_OL_GSO). */
    uint16_t gso_size;      /* L4 payload bytes per segment. */
    uint16_t csum_start;    /* Offset from data where the sum starts. */
    uint16_t csum_offset;   /* Checksum field, from csum_start. */
};

struct packet_batch {
    unsigned int n;
    struct packet *pkts[PACKET_BATCH_MAX];
};

static inline void packet_batch_init(struct packet_batch *b) { b->n = 0; }

/* Helpers (packet.c).  A packet made by packet_clone() owns both the struct
 * and `storage`; packet_destroy() frees such a packet (NULL is fine).  Never
 * call packet_destroy() on a packet a port provider filled.
 *
 * packet_grow_front(p, n) makes `n` more bytes at the front of the frame
 * (for a VLAN push): uses headroom when there is enough, else moves the
 * frame within tailroom, else copies it into a new malloc'd `storage`
 * (freeing the old `storage` if the packet had one).  The new n bytes at
 * `data` are uninitialised; the rest of the frame follows them.
 * packet_shrink_front(p, n) drops n bytes at the front (n <= len). */
struct packet *packet_clone(const struct packet *);
void packet_destroy(struct packet *);
void packet_grow_front(struct packet *, uint32_t n);
void packet_shrink_front(struct packet *, uint32_t n);

#endif
