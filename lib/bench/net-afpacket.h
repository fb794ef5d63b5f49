/* net-afpacket — the AF_PACKET sockets under plural's packet generator and
 * receiver: an mmap TX ring (TPACKET_V2) and an mmap RX ring (TPACKET_V3).
 *
 * TX ring.  Every slot is pre-filled with the frame template at open, so
 * sending a frame costs a marker stamp, a length and a status store.  The
 * ring is a FIFO shared with the kernel: the sender fills slots at `head`
 * (status SEND_REQUEST), send() makes the kernel transmit them in order,
 * and net_txring_reclaim() walks `tail` over slots the kernel has given back
 * (status AVAILABLE) — those frames were handed to the device: they are the
 * sender's TX count.  The socket bypasses the qdisc (PACKET_QDISC_BYPASS).
 * When the device refuses a frame (veth: the peer's backlog is full) the
 * kernel keeps it as SEND_REQUEST and send() fails with ENOBUFS/EAGAIN: the
 * frame is retried by the next net_txring_flush(), never lost or aborted.
 *
 * RX ring.  TPACKET_V3 blocks; net_rxring_poll() waits up to a timeout and
 * calls back for each frame received (outgoing frames of the same host are
 * skipped), then gives the blocks back to the kernel.
 *
 * Errors: 0 or negative errno as in util.h; -ENODEV names an unknown
 * interface.  Not thread-safe: one thread per ring. */
#ifndef PLURAL_BENCH_NET_AFPACKET_H
#define PLURAL_BENCH_NET_AFPACKET_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct net_if_info {
    int ifindex;
    uint8_t mac[6];
    unsigned int mtu;
};

/* Looks up interface `name`.  Returns 0, -ENODEV (no such interface), or
 * another negative errno. */
int net_if_lookup(const char *name, struct net_if_info *);

struct net_txring {
    int fd;
    uint8_t *map;
    size_t map_len;
    unsigned int frame_size;
    unsigned int frame_nr;
    unsigned int head;          /* Next slot to fill. */
    unsigned int tail;          /* Oldest slot not yet reclaimed. */
    unsigned int pending;       /* Slots between tail and head. */
    size_t frame_len;           /* Length of every frame sent. */
    uint64_t wrong_format;      /* Slots the kernel refused as malformed. */
};

/* Opens a TX ring on `ifindex` for frames of `frame_len` bytes, each slot
 * pre-filled with `template`.  Returns 0, or -EPERM (needs CAP_NET_RAW),
 * -ENODEV, -ENOMEM (ring too big for the kernel), ... */
int net_txring_open(struct net_txring *, int ifindex, const uint8_t *template,
                    size_t frame_len);
void net_txring_close(struct net_txring *);

/* Slots free to fill now. */
static inline unsigned int
net_txring_free(const struct net_txring *r)
{
    return r->frame_nr - r->pending;
}

/* The frame data of the next free slot (net_txring_free() must be > 0). */
uint8_t *net_txring_slot(struct net_txring *);

/* Marks the slot returned by net_txring_slot() ready to send. */
void net_txring_commit(struct net_txring *);

/* Asks the kernel to send every committed slot (non-blocking).  Returns 0,
 * -EAGAIN/-ENOBUFS (back-pressure: some slots stay queued and are retried by
 * the next call), or another negative errno (e.g. -ENETDOWN). */
int net_txring_flush(struct net_txring *);

/* Walks the tail over slots the kernel has finished with; returns how many
 * frames were sent since the last call. */
unsigned int net_txring_reclaim(struct net_txring *);

/* Waits up to timeout_ms for the ring to have room (POLLOUT). */
void net_txring_wait(struct net_txring *, int timeout_ms);

struct net_rxring {
    int fd;
    uint8_t *map;
    size_t map_len;
    unsigned int block_size;
    unsigned int block_nr;
    unsigned int block;         /* Next block to read. */
};

/* Called for each frame received: data, captured length, length on the
 * wire (with a stripped VLAN tag counted back in). */
typedef void net_rx_cb(void *aux, const uint8_t *frame, size_t caplen,
                       size_t wire_len);

/* Opens an RX ring bound to `ifindex` (all protocols).  Returns 0, or
 * -EPERM, -ENODEV, -ENOMEM, ... */
int net_rxring_open(struct net_rxring *, int ifindex);
void net_rxring_close(struct net_rxring *);

/* Waits up to timeout_ms for frames, calls `cb` for each.  Returns the number
 * of frames delivered (>= 0) or a negative errno. */
int net_rxring_poll(struct net_rxring *, int timeout_ms, net_rx_cb *cb, void *aux);

/* Frames the kernel dropped because the ring was full, since the last call
 * (PACKET_STATISTICS), or a negative errno. */
int64_t net_rxring_drops(struct net_rxring *);

#endif
