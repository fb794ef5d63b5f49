/* net-afxdp — an AF_XDP transmit socket for plural's packet generator
 * (`plural bench net gen --method xdp`).
 *
 * TX only: the socket owns a UMEM of `chunk_nr` chunks of 4096 bytes, each
 * pre-filled with the frame template; no XDP program is attached (nothing
 * is received).  Sending a frame takes a free chunk, stamps its marker and
 * posts a descriptor on the TX ring; net_afxdp_kick() asks the kernel to
 * transmit; net_afxdp_reclaim() takes the chunks the kernel completed (the
 * completion ring) back to the free list and counts them as sent.
 *
 * Copy mode by default (works on any device, veth included: the kernel
 * builds an skb per frame); zero-copy only where the driver supports it.
 * Frames are limited to one chunk: at most 4096 - 256 bytes.
 *
 * Errors: 0 or negative errno: -EAFNOSUPPORT (kernel without AF_XDP),
 * -EPERM, -EMSGSIZE (frame too big for a chunk), -ENODEV, ...
 * Not thread-safe: one thread per socket. */
#ifndef PLURAL_BENCH_NET_AFXDP_H
#define PLURAL_BENCH_NET_AFXDP_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NET_AFXDP_CHUNK 4096u
#define NET_AFXDP_MAX_FRAME (NET_AFXDP_CHUNK - 256u)

/* A producer/consumer ring mapped from the kernel. */
struct net_xdp_ring {
    uint32_t *producer;
    uint32_t *consumer;
    void *descs;
    uint32_t size;              /* Power of 2. */
    void *map;
    size_t map_len;
};

struct net_afxdp {
    int fd;
    uint8_t *umem;
    size_t umem_len;
    unsigned int chunk_nr;
    uint64_t *free_addrs;       /* Stack of free chunk addresses. */
    unsigned int n_free;
    size_t frame_len;
    struct net_xdp_ring tx, cq, fq;
};

/* Opens an AF_XDP socket on queue 0 of `ifindex` for frames of frame_len
 * bytes, each chunk pre-filled with `template`. */
int net_afxdp_open(struct net_afxdp *, int ifindex, const uint8_t *template,
                   size_t frame_len);
void net_afxdp_close(struct net_afxdp *);

/* Frames that can be queued now (free chunks and TX ring room). */
unsigned int net_afxdp_free(const struct net_afxdp *);

/* Frames queued or in flight (not yet completed). */
static inline unsigned int
net_afxdp_pending(const struct net_afxdp *x)
{
    return x->chunk_nr - x->n_free;
}

/* The data of the next chunk to send (net_afxdp_free() must be > 0). */
uint8_t *net_afxdp_slot(struct net_afxdp *);
/* Posts the chunk returned by net_afxdp_slot() on the TX ring. */
void net_afxdp_commit(struct net_afxdp *);

/* Kicks the kernel until it has taken every posted frame or stops making
 * progress.  Returns 0, -EAGAIN (back-pressure: frames stay queued and are
 * retried by the next call), or another negative errno. */
int net_afxdp_kick(struct net_afxdp *);

/* Takes back completed chunks; returns how many frames were sent. */
unsigned int net_afxdp_reclaim(struct net_afxdp *);

#endif
