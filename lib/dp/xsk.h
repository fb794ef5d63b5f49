/* xsk — one AF_XDP socket with its own UMEM: the packet-I/O primitive under
 * the afxdp port provider (port-afxdp.c).
 *
 * The UMEM is `n_chunks` chunks of XSK_CHUNK bytes: the first half feeds
 * the kernel's fill ring (receive), the second half is the transmit pool.
 * A received descriptor's address points into a chunk at the frame; the
 * bytes between the chunk's start and the frame are writable headroom (the
 * kernel leaves XDP_PACKET_HEADROOM = 256), so a VLAN push needs no copy.
 *
 * Receive:  n = xsk_rx_peek(x, descs, max) ... xsk_rx_release(x, n) then
 *           the chunks go back to the kernel with xsk_fill(x, addrs, n).
 * Transmit: p = xsk_tx_buf(x) ... xsk_tx_post(x, len) ... xsk_tx_kick(x);
 *           xsk_tx_reclaim() takes back what the kernel completed.
 * A transmit chunk keeps its bytes (the kernel only reads it), so a sender
 * of one frame over and over (the packet generator, lib/bench/net-gen.c)
 * writes it into every chunk once with xsk_tx_prefill() and then stamps
 * only what changes per frame: no copy.
 * TX only: the socket needs no XDP program to transmit; without one (or
 * with no XSKMAP entry for it) it simply receives nothing.
 * The socket is bound to queue `queue` of the interface in copy mode
 * (works on every device: veth, tap, NICs) unless zero-copy is asked for
 * and supported.  Receiving needs an XDP program on the interface that
 * redirects into an XSKMAP holding xsk_fd(): see xdp/fastpath.h.
 *
 * Errors: 0 or -errno (-EAFNOSUPPORT: no AF_XDP in the kernel; -EPERM;
 * -ENODEV; -ENOMEM).  Not thread-safe: one owning thread. */
#ifndef PLURAL_DP_XSK_H
#define PLURAL_DP_XSK_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XSK_CHUNK 4096u
#define XSK_RING 2048u                  /* Descriptors per ring. */

struct xsk_ring {
    uint32_t *producer, *consumer, *flags;
    void *descs;
    uint32_t size;                      /* Power of 2. */
    uint32_t cached;                    /* Our copy of our own index. */
    void *map;
    size_t map_len;
};

struct xsk_desc_view {                  /* One received frame. */
    uint64_t addr;                      /* UMEM offset of the frame. */
    uint32_t len;
};

struct xsk {
    int fd;
    bool is_open;                       /* fd is ours to close. */
    uint8_t *umem;
    size_t umem_len;
    uint32_t n_chunks;
    struct xsk_ring rx, tx, fq, cq;
    uint64_t *tx_free;                  /* Stack of free TX chunk addresses. */
    uint32_t n_tx_free;
    uint32_t tx_inflight;
};

int xsk_open(struct xsk *, int ifindex, uint32_t queue);
void xsk_close(struct xsk *);           /* Safe on a zeroed or closed xsk. */
static inline int xsk_fd(const struct xsk *x) { return x->fd; }
static inline uint8_t *
xsk_data(const struct xsk *x, uint64_t addr)
{
    return x->umem + addr;
}
/* Headroom before a received frame (bytes between chunk start and addr). */
static inline uint32_t
xsk_headroom(uint64_t addr)
{
    return (uint32_t) (addr & (XSK_CHUNK - 1));
}

/* Up to max received frames (not yet released). */
unsigned int xsk_rx_peek(struct xsk *, struct xsk_desc_view *, unsigned int max);
/* Releases the n frames xsk_rx_peek() returned (the caller then gives their
 * chunks back with xsk_fill()). */
void xsk_rx_release(struct xsk *, unsigned int n);
/* Gives chunks (any address inside each) to the kernel for receiving. */
void xsk_fill(struct xsk *, const uint64_t *addrs, unsigned int n);

/* A free transmit buffer (NULL: none free) of XSK_CHUNK bytes; commit it
 * with xsk_tx_post(len) before asking for the next one. */
uint8_t *xsk_tx_buf(struct xsk *);
void xsk_tx_post(struct xsk *, uint32_t len);
/* Free transmit buffers now (without reclaiming completions). */
static inline uint32_t xsk_tx_free(const struct xsk *x) { return x->n_tx_free; }
/* Copies frame[0..len) into every transmit chunk (len <= XSK_CHUNK); call
 * before the first xsk_tx_post(). */
void xsk_tx_prefill(struct xsk *, const void *frame, size_t len);
/* Asks the kernel to send what was posted.  Returns 0, -EAGAIN (the device
 * pushed back: frames stay posted) or another -errno. */
int xsk_tx_kick(struct xsk *);
/* Takes completed transmit buffers back; returns how many. */
unsigned int xsk_tx_reclaim(struct xsk *);
/* Frames posted but not completed. */
static inline uint32_t xsk_tx_pending(const struct xsk *x) { return x->tx_inflight; }

/* The kernel's drop counters for this socket (XDP_STATISTICS). */
struct xsk_kernel_stats {
    uint64_t rx_dropped, rx_ring_full, rx_fill_empty, rx_invalid, tx_invalid;
};
int xsk_get_kernel_stats(const struct xsk *, struct xsk_kernel_stats *);

#endif
