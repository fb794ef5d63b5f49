/* upcall-queue — table misses and CONTROLLER outputs waiting for the
 * datapath's owner (ofproto), one bounded FIFO per slice, drained in
 * weighted deficit-round-robin order.
 *
 * Why: the datapath never calls OpenFlow code in the middle of a batch
 * (upcalls are queued while frames are processed and handed over after the
 * batch, or from the owner's loop), and one slice flooding table misses
 * must not starve another slice's flow set-ups and PACKET_INs.  The
 * upcall rate limit (a token bucket in the datapath) is spent at drain
 * time, in DRR order, so under a miss storm each slice with waiting
 * upcalls gets its weight's share of the rate; a slice that floods only
 * overflows its own queue (counted as its drops).
 *
 * Items own a copy of their frame (packet_clone()); upcall_queue_pop()
 * hands the item to the caller, who frees the packet with
 * packet_destroy().  Slices: 0..UPCALL_QUEUE_SLICES-1 (0: frames of no
 * slice); weights 1..1000 (default 1).
 * Thread-safety: none; the datapath's thread. */
#ifndef PLURAL_DP_UPCALL_QUEUE_H
#define PLURAL_DP_UPCALL_QUEUE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "pkt/flow-key.h"
#include "pkt/packet.h"

#define UPCALL_QUEUE_SLICES 64
#define UPCALL_QUEUE_DEFAULT_CAPACITY 512     /* Items per slice. */

struct upcall_item {
    struct packet *pkt;             /* Owned copy. */
    struct flow_key key;
    uint16_t in_port;
    uint8_t reason;                 /* OFPR_*. */
    uint16_t max_len;
    uint32_t slice;
};

struct upcall_queue;

struct upcall_queue *upcall_queue_create(size_t capacity);
void upcall_queue_destroy(struct upcall_queue *);  /* NULL ok; frees items. */
void upcall_queue_set_weight(struct upcall_queue *, uint32_t slice, uint32_t weight);

/* Queues a copy of `pkt`.  Returns false (and counts a drop of the slice)
 * when the slice's queue is full. */
bool upcall_queue_push(struct upcall_queue *, uint32_t slice, const struct packet *pkt,
                       const struct flow_key *key, uint16_t in_port, uint8_t reason,
                       uint16_t max_len);
/* The next item in weighted DRR order; false when empty. */
bool upcall_queue_pop(struct upcall_queue *, struct upcall_item *);
size_t upcall_queue_backlog(const struct upcall_queue *);

struct upcall_queue_stats {
    uint64_t queued, delivered, dropped;
    size_t waiting;
    uint32_t weight;
};
void upcall_queue_get_stats(const struct upcall_queue *, uint32_t slice,
                            struct upcall_queue_stats *);

#endif
