/* slice-sched — per-slice fair scheduling of the data plane's forwarding
 * work (deficit round robin over per-slice queues, weighted).
 *
 * What: packets are classified to a slice by their VLAN (the VLAN -> slice
 * map that plural-slicer derives from its flowspace, `plural slice
 * vlan-map`), queued per slice in a bounded FIFO, and dequeued in batches
 * by deficit round robin: each backlogged slice receives
 * quantum * weight bytes of credit per round and sends packets while its
 * credit covers the head packet.  Under overload every backlogged slice
 * gets a byte share proportional to its weight; a slice that floods only
 * fills (and overflows) its own queue, so it cannot starve another slice
 * of the forwarding loop or of an output port fed by the scheduler.
 *
 * Slice ids: 0 is the default slice (frames whose VLAN is not mapped,
 * weight 1 unless set); 1..SLICE_SCHED_MAX_SLICES-1 are slices.
 *
 * Ownership: slice_sched_enqueue() takes a packet only when it returns
 * true; when the slice's queue is full it returns false, counts a drop, and
 * the caller still owns (and drops) the packet.  Dequeued packets go back
 * to the caller.  Packets still queued at slice_sched_destroy() or
 * slice_sched_flush() are handed to the `release` callback.
 *
 * CPU share: the caller measures the time it spends forwarding each
 * slice's packets and reports it with slice_sched_charge_cpu(); the
 * counters show it next to packets, bytes and drops.
 *
 * Thread-safety: one scheduler belongs to one forwarding thread; stats may
 * be read from that thread only. */
#ifndef PLURAL_DP_SLICE_SCHED_H
#define PLURAL_DP_SLICE_SCHED_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "pkt/packet.h"

#define SLICE_SCHED_MAX_SLICES 64
#define SLICE_SCHED_DEFAULT_QUANTUM 1514     /* Bytes per weight unit. */
#define SLICE_SCHED_DEFAULT_CAPACITY 1024    /* Packets per slice queue. */

struct slice_sched;

typedef void slice_sched_release_cb(struct packet *, void *aux);

/* capacity: packets per slice queue (0: default); quantum: bytes of credit
 * per weight unit per round (0: default).  release may be NULL (queued
 * packets are then simply forgotten). */
struct slice_sched *slice_sched_create(size_t capacity, uint32_t quantum,
                                       slice_sched_release_cb *release,
                                       void *aux);
void slice_sched_destroy(struct slice_sched *);     /* NULL ok. */

/* Sets a slice's weight (1..1000).  0 or -EINVAL (bad id or weight). */
int slice_sched_set_weight(struct slice_sched *, uint32_t slice, uint32_t weight);
/* Maps a VID (0..4095, or 0xffff for untagged frames) to a slice (0 to
 * unmap).  0 or -EINVAL. */
int slice_sched_map_vlan(struct slice_sched *, uint16_t vlan, uint32_t slice);
/* Forgets every VLAN mapping. */
void slice_sched_clear_map(struct slice_sched *);

/* The slice a VID (or 0xffff: untagged) is mapped to (0: none). */
uint32_t slice_sched_vlan_slice(const struct slice_sched *, uint16_t vlan);
/* The slice of a frame by its outer VLAN tag (0: unmapped). */
uint32_t slice_sched_classify(const struct slice_sched *, const struct packet *);
/* Classifies (sets pkt->slice) and queues.  See Ownership. */
bool slice_sched_enqueue(struct slice_sched *, struct packet *);
/* Dequeues up to max packets (DRR order) into out (appended after out->n,
 * never beyond PACKET_BATCH_MAX).  Returns how many were added. */
size_t slice_sched_dequeue(struct slice_sched *, struct packet_batch *out,
                           size_t max);
/* Packets waiting over all slices. */
size_t slice_sched_backlog(const struct slice_sched *);
/* Hands every queued packet to release, counting each as a drop of its
 * slice (a datapath flushes what its per-call budget left unserved).  The
 * round-robin position and deficits are kept, so shares still converge to
 * the weights when every call is cut short by a budget. */
void slice_sched_flush(struct slice_sched *);

void slice_sched_charge_cpu(struct slice_sched *, uint32_t slice, uint64_t ns);

struct slice_sched_stats {
    uint32_t weight;
    uint64_t rx_packets, rx_bytes;      /* Accepted into the queue. */
    uint64_t tx_packets, tx_bytes;      /* Dequeued. */
    uint64_t drops;                     /* Queue full. */
    uint64_t cpu_ns;
    size_t queued;
};
/* 0, or -EINVAL for a bad id. */
int slice_sched_get_stats(const struct slice_sched *, uint32_t slice,
                          struct slice_sched_stats *);

#endif
