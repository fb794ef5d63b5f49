/* packet-buffers — packets kept for the controller, named by buffer_id.
 *
 * When the datapath sends a packet to the controller (PACKET_IN), it keeps
 * a copy here and puts the returned id in the message; a later PACKET_OUT
 * or FLOW_MOD naming that buffer_id takes the packet back out.
 *
 * PACKET_BUFFERS_SLOTS slots; an id is (cookie << PACKET_BUFFERS_BITS) |
 * slot, the cookie incrementing on each reuse of the slot, so a stale id
 * is recognised.  A slot is reused round-robin when it is empty or its
 * packet is older than PACKET_BUFFERS_TIMEOUT_MS (the controller had its
 * chance); if every slot is young and full, nothing is stored and
 * OFP_NO_BUFFER (0xffffffff) is returned (the PACKET_IN then carries the
 * whole packet).  Each id is usable once.
 *
 * Thread-safety: none; owned by the datapath thread. */
#ifndef PLURAL_DP_PACKET_BUFFERS_H
#define PLURAL_DP_PACKET_BUFFERS_H 1

#include <stdint.h>
#include "pkt/packet.h"

#define PACKET_BUFFERS_BITS 8
#define PACKET_BUFFERS_SLOTS (1u << PACKET_BUFFERS_BITS)
#define PACKET_BUFFERS_TIMEOUT_MS 5000
#define PACKET_BUFFERS_NONE 0xffffffffu     /* == OFP_NO_BUFFER. */

struct packet_buffers;

struct packet_buffers *packet_buffers_create(void);
void packet_buffers_destroy(struct packet_buffers *);  /* Accepts NULL. */

/* Stores a copy of `pkt` (received on `in_port`); returns its id, or
 * PACKET_BUFFERS_NONE if every slot holds a packet younger than the
 * timeout. */
uint32_t packet_buffers_save(struct packet_buffers *, const struct packet *pkt,
                             uint16_t in_port, uint64_t now_ms);

/* Takes the packet stored under `id` out of the pool: on success returns 0,
 * *pkt is a packet_clone()d packet the caller frees with packet_destroy(),
 * *in_port where it arrived.  Errors (what OpenFlow answers):
 *   -ENOENT  the id was valid but its packet is gone (already used, or
 *            overwritten after the timeout): OFPBRC_BUFFER_EMPTY;
 *   -EINVAL  no such id (PACKET_BUFFERS_NONE, or never issued):
 *            OFPBRC_BUFFER_UNKNOWN. */
int packet_buffers_take(struct packet_buffers *, uint32_t id,
                        struct packet **pkt, uint16_t *in_port);

/* Frees packets older than the timeout (memory only; ids of freed packets
 * then report -ENOENT). */
void packet_buffers_expire(struct packet_buffers *, uint64_t now_ms);

/* Slots currently holding a packet. */
unsigned int packet_buffers_count(const struct packet_buffers *);

#endif
