/* net-afxdp — see net-afxdp.h. */
#include "net-afxdp.h"

#include <errno.h>
#include <linux/if_xdp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/util.h"

#ifndef AF_XDP
#define AF_XDP 44
#endif
#ifndef SOL_XDP
#define SOL_XDP 283
#endif

#define RING_SIZE 2048u
#define FILL_RING_SIZE 64u          /* Required by bind; unused for TX only. */

static int
map_ring(int fd, const struct xdp_ring_offset *off, uint32_t size, size_t desc_size,
         uint64_t pgoff, struct net_xdp_ring *ring)
{
    ring->size = size;
    ring->map_len = off->desc + size * desc_size;
    void *map = mmap(NULL, ring->map_len, PROT_READ | PROT_WRITE,
                     MAP_SHARED | MAP_POPULATE, fd, (off_t) pgoff);
    if (map == MAP_FAILED) {
        ring->map = NULL;
        return -errno;
    }
    ring->map = map;
    ring->producer = (uint32_t *) (void *) ((uint8_t *) map + off->producer);
    ring->consumer = (uint32_t *) (void *) ((uint8_t *) map + off->consumer);
    ring->descs = (uint8_t *) map + off->desc;
    return 0;
}

static void
unmap_ring(struct net_xdp_ring *ring)
{
    if (ring->map) {
        munmap(ring->map, ring->map_len);
        ring->map = NULL;
    }
}

int
net_afxdp_open(struct net_afxdp *x, int ifindex, const uint8_t *template,
               size_t frame_len)
{
    int error;

    memset(x, 0, sizeof *x);
    x->fd = -1;
    if (frame_len > NET_AFXDP_MAX_FRAME) {
        return -EMSGSIZE;
    }
    x->frame_len = frame_len;
    x->fd = socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (x->fd < 0) {
        return -errno;
    }

    x->chunk_nr = RING_SIZE;
    x->umem_len = (size_t) x->chunk_nr * NET_AFXDP_CHUNK;
    void *umem = mmap(NULL, x->umem_len, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (umem == MAP_FAILED) {
        error = -errno;
        goto fail;
    }
    x->umem = umem;
    x->free_addrs = xmalloc(x->chunk_nr * sizeof *x->free_addrs);
    for (unsigned int i = 0; i < x->chunk_nr; i++) {
        memcpy(x->umem + (size_t) i * NET_AFXDP_CHUNK, template, frame_len);
        /* Pushed in reverse so that chunks are taken in address order. */
        x->free_addrs[i] = (uint64_t) (x->chunk_nr - 1 - i) * NET_AFXDP_CHUNK;
    }
    x->n_free = x->chunk_nr;

    struct xdp_umem_reg reg = {
        .addr = (uint64_t) (uintptr_t) x->umem,
        .len = x->umem_len,
        .chunk_size = NET_AFXDP_CHUNK,
        .headroom = 0,
    };
    uint32_t tx_size = RING_SIZE, cq_size = RING_SIZE, fq_size = FILL_RING_SIZE;
    if (setsockopt(x->fd, SOL_XDP, XDP_UMEM_REG, &reg, sizeof reg) < 0
        || setsockopt(x->fd, SOL_XDP, XDP_UMEM_FILL_RING, &fq_size, sizeof fq_size) < 0
        || setsockopt(x->fd, SOL_XDP, XDP_UMEM_COMPLETION_RING, &cq_size, sizeof cq_size) < 0
        || setsockopt(x->fd, SOL_XDP, XDP_TX_RING, &tx_size, sizeof tx_size) < 0) {
        error = -errno;
        goto fail;
    }
    struct xdp_mmap_offsets off;
    socklen_t optlen = sizeof off;
    if (getsockopt(x->fd, SOL_XDP, XDP_MMAP_OFFSETS, &off, &optlen) < 0) {
        error = -errno;
        goto fail;
    }
    error = map_ring(x->fd, &off.tx, tx_size, sizeof(struct xdp_desc),
                     XDP_PGOFF_TX_RING, &x->tx);
    if (!error) {
        error = map_ring(x->fd, &off.cr, cq_size, sizeof(uint64_t),
                         XDP_UMEM_PGOFF_COMPLETION_RING, &x->cq);
    }
    if (!error) {
        error = map_ring(x->fd, &off.fr, fq_size, sizeof(uint64_t),
                         XDP_UMEM_PGOFF_FILL_RING, &x->fq);
    }
    if (error) {
        goto fail;
    }

    struct sockaddr_xdp sxdp = {
        .sxdp_family = AF_XDP,
        .sxdp_ifindex = (uint32_t) ifindex,
        .sxdp_queue_id = 0,
        .sxdp_flags = XDP_COPY,
    };
    if (bind(x->fd, (struct sockaddr *) &sxdp, sizeof sxdp) < 0) {
        error = -errno;
        goto fail;
    }
    return 0;

fail:
    net_afxdp_close(x);
    return error;
}

void
net_afxdp_close(struct net_afxdp *x)
{
    unmap_ring(&x->tx);
    unmap_ring(&x->cq);
    unmap_ring(&x->fq);
    if (x->fd >= 0) {
        close(x->fd);
        x->fd = -1;
    }
    if (x->umem) {
        munmap(x->umem, x->umem_len);
        x->umem = NULL;
    }
    free(x->free_addrs);
    x->free_addrs = NULL;
}

static uint32_t
tx_room(const struct net_afxdp *x)
{
    uint32_t prod = *x->tx.producer;
    uint32_t cons = __atomic_load_n(x->tx.consumer, __ATOMIC_ACQUIRE);
    return x->tx.size - (prod - cons);
}

unsigned int
net_afxdp_free(const struct net_afxdp *x)
{
    return MIN(x->n_free, tx_room(x));
}

uint8_t *
net_afxdp_slot(struct net_afxdp *x)
{
    BUG_ON(!x->n_free);
    return x->umem + x->free_addrs[x->n_free - 1];
}

void
net_afxdp_commit(struct net_afxdp *x)
{
    uint32_t prod = *x->tx.producer;
    struct xdp_desc *d = (struct xdp_desc *) x->tx.descs + (prod & (x->tx.size - 1));

    d->addr = x->free_addrs[--x->n_free];
    d->len = (uint32_t) x->frame_len;
    d->options = 0;
    __atomic_store_n(x->tx.producer, prod + 1, __ATOMIC_RELEASE);
}

int
net_afxdp_kick(struct net_afxdp *x)
{
    /* Copy mode sends at most a small batch per call and then fails with
     * EAGAIN although it made progress; EAGAIN without progress is the
     * device pushing back. */
    for (;;) {
        uint32_t prod = *x->tx.producer;
        uint32_t before = __atomic_load_n(x->tx.consumer, __ATOMIC_ACQUIRE);
        if (prod == before) {
            return 0;
        }
        int error = 0;
        if (sendto(x->fd, NULL, 0, MSG_DONTWAIT, NULL, 0) < 0) {
            error = errno == EWOULDBLOCK ? -EAGAIN : -errno;
            if (error != -EAGAIN && error != -EBUSY && error != -ENOBUFS) {
                return error;
            }
        }
        if (__atomic_load_n(x->tx.consumer, __ATOMIC_ACQUIRE) == before) {
            return error ? -EAGAIN : 0;
        }
    }
}

unsigned int
net_afxdp_reclaim(struct net_afxdp *x)
{
    uint32_t cons = *x->cq.consumer;
    uint32_t prod = __atomic_load_n(x->cq.producer, __ATOMIC_ACQUIRE);
    unsigned int n = prod - cons;
    const uint64_t *addrs = x->cq.descs;

    for (unsigned int i = 0; i < n; i++) {
        x->free_addrs[x->n_free++] = addrs[(cons + i) & (x->cq.size - 1)];
    }
    __atomic_store_n(x->cq.consumer, cons + n, __ATOMIC_RELEASE);
    return n;
}
