/* xsk — see xsk.h. */
#include "dp/xsk.h"

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

static int
map_ring(int fd, const struct xdp_ring_offset *off, uint32_t size,
         size_t desc_size, uint64_t pgoff, struct xsk_ring *ring)
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
    ring->flags = (uint32_t *) (void *) ((uint8_t *) map + off->flags);
    ring->descs = (uint8_t *) map + off->desc;
    return 0;
}

static void
unmap_ring(struct xsk_ring *ring)
{
    if (ring->map) {
        munmap(ring->map, ring->map_len);
        ring->map = NULL;
    }
}

int
xsk_open(struct xsk *x, int ifindex, uint32_t queue)
{
    int error;
    memset(x, 0, sizeof *x);
    x->fd = socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (x->fd < 0) {
        return -errno;
    }
    x->is_open = true;
    x->n_chunks = 2 * XSK_RING;
    x->umem_len = (size_t) x->n_chunks * XSK_CHUNK;
    void *umem = mmap(NULL, x->umem_len, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (umem == MAP_FAILED) {
        x->umem = NULL;
        error = -errno;
        goto fail;
    }
    x->umem = umem;

    struct xdp_umem_reg reg = {
        .addr = (uint64_t) (uintptr_t) x->umem,
        .len = x->umem_len,
        .chunk_size = XSK_CHUNK,
        .headroom = 0,
    };
    uint32_t ring = XSK_RING;
    if (setsockopt(x->fd, SOL_XDP, XDP_UMEM_REG, &reg, sizeof reg) < 0
        || setsockopt(x->fd, SOL_XDP, XDP_UMEM_FILL_RING, &ring, sizeof ring) < 0
        || setsockopt(x->fd, SOL_XDP, XDP_UMEM_COMPLETION_RING, &ring, sizeof ring) < 0
        || setsockopt(x->fd, SOL_XDP, XDP_RX_RING, &ring, sizeof ring) < 0
        || setsockopt(x->fd, SOL_XDP, XDP_TX_RING, &ring, sizeof ring) < 0) {
        error = -errno;
        goto fail;
    }
    struct xdp_mmap_offsets off;
    socklen_t optlen = sizeof off;
    if (getsockopt(x->fd, SOL_XDP, XDP_MMAP_OFFSETS, &off, &optlen) < 0) {
        error = -errno;
        goto fail;
    }
    error = map_ring(x->fd, &off.rx, ring, sizeof(struct xdp_desc),
                     XDP_PGOFF_RX_RING, &x->rx);
    if (!error) {
        error = map_ring(x->fd, &off.tx, ring, sizeof(struct xdp_desc),
                         XDP_PGOFF_TX_RING, &x->tx);
    }
    if (!error) {
        error = map_ring(x->fd, &off.fr, ring, sizeof(uint64_t),
                         XDP_UMEM_PGOFF_FILL_RING, &x->fq);
    }
    if (!error) {
        error = map_ring(x->fd, &off.cr, ring, sizeof(uint64_t),
                         XDP_UMEM_PGOFF_COMPLETION_RING, &x->cq);
    }
    if (error) {
        goto fail;
    }

    /* First half: receive chunks, all given to the kernel now. */
    uint64_t *addrs = xmalloc(XSK_RING * sizeof *addrs);
    for (uint32_t i = 0; i < XSK_RING; i++) {
        addrs[i] = (uint64_t) i * XSK_CHUNK;
    }
    xsk_fill(x, addrs, XSK_RING);
    free(addrs);
    /* Second half: transmit pool. */
    x->tx_free = xmalloc(XSK_RING * sizeof *x->tx_free);
    for (uint32_t i = 0; i < XSK_RING; i++) {
        x->tx_free[x->n_tx_free++] = (uint64_t) (x->n_chunks - 1 - i) * XSK_CHUNK;
    }

    struct sockaddr_xdp sxdp = {
        .sxdp_family = AF_XDP,
        .sxdp_ifindex = (uint32_t) ifindex,
        .sxdp_queue_id = queue,
        .sxdp_flags = XDP_COPY | XDP_USE_NEED_WAKEUP,
    };
    if (bind(x->fd, (struct sockaddr *) &sxdp, sizeof sxdp) < 0) {
        error = -errno;
        goto fail;
    }
    return 0;

fail:
    xsk_close(x);
    return error;
}

void
xsk_close(struct xsk *x)
{
    unmap_ring(&x->rx);
    unmap_ring(&x->tx);
    unmap_ring(&x->fq);
    unmap_ring(&x->cq);
    if (x->is_open) {
        close(x->fd);
        x->is_open = false;
    }
    x->fd = -1;
    if (x->umem) {
        munmap(x->umem, x->umem_len);
        x->umem = NULL;
    }
    free(x->tx_free);
    x->tx_free = NULL;
    x->n_tx_free = 0;
}

unsigned int
xsk_rx_peek(struct xsk *x, struct xsk_desc_view *v, unsigned int max)
{
    uint32_t cons = *x->rx.consumer;
    uint32_t prod = __atomic_load_n(x->rx.producer, __ATOMIC_ACQUIRE);
    unsigned int n = MIN(prod - cons, max);
    const struct xdp_desc *d = x->rx.descs;
    for (unsigned int i = 0; i < n; i++) {
        const struct xdp_desc *e = &d[(cons + i) & (x->rx.size - 1)];
        v[i].addr = e->addr;
        v[i].len = e->len;
    }
    return n;
}

void
xsk_rx_release(struct xsk *x, unsigned int n)
{
    __atomic_store_n(x->rx.consumer, *x->rx.consumer + n, __ATOMIC_RELEASE);
}

void
xsk_fill(struct xsk *x, const uint64_t *addrs, unsigned int n)
{
    /* The fill ring holds XSK_RING entries and there are XSK_RING receive
     * chunks, so there is always room for the chunks we give back. */
    uint32_t prod = *x->fq.producer;
    uint64_t *d = x->fq.descs;
    for (unsigned int i = 0; i < n; i++) {
        d[(prod + i) & (x->fq.size - 1)] = addrs[i] & ~(uint64_t) (XSK_CHUNK - 1);
    }
    __atomic_store_n(x->fq.producer, prod + n, __ATOMIC_RELEASE);
}

uint8_t *
xsk_tx_buf(struct xsk *x)
{
    if (!x->n_tx_free) {
        xsk_tx_reclaim(x);
        if (!x->n_tx_free) {
            return NULL;
        }
    }
    return x->umem + x->tx_free[x->n_tx_free - 1];
}

void
xsk_tx_post(struct xsk *x, uint32_t len)
{
    uint32_t prod = *x->tx.producer;
    struct xdp_desc *d = (struct xdp_desc *) x->tx.descs + (prod & (x->tx.size - 1));
    d->addr = x->tx_free[--x->n_tx_free];
    d->len = len;
    d->options = 0;
    x->tx_inflight++;
    __atomic_store_n(x->tx.producer, prod + 1, __ATOMIC_RELEASE);
}

void
xsk_tx_prefill(struct xsk *x, const void *frame, size_t len)
{
    BUG_ON(len > XSK_CHUNK || x->tx_inflight);
    for (uint32_t i = 0; i < x->n_tx_free; i++) {
        memcpy(x->umem + x->tx_free[i], frame, len);
    }
}

int
xsk_tx_kick(struct xsk *x)
{
    /* Copy mode sends a bounded batch per call and may fail with EAGAIN
     * after making progress; EAGAIN without progress is back-pressure. */
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
xsk_tx_reclaim(struct xsk *x)
{
    uint32_t cons = *x->cq.consumer;
    uint32_t prod = __atomic_load_n(x->cq.producer, __ATOMIC_ACQUIRE);
    unsigned int n = prod - cons;
    const uint64_t *addrs = x->cq.descs;
    for (unsigned int i = 0; i < n; i++) {
        x->tx_free[x->n_tx_free++] = addrs[(cons + i) & (x->cq.size - 1)];
    }
    __atomic_store_n(x->cq.consumer, cons + n, __ATOMIC_RELEASE);
    x->tx_inflight -= n;
    return n;
}

int
xsk_get_kernel_stats(const struct xsk *x, struct xsk_kernel_stats *s)
{
    struct xdp_statistics st;
    socklen_t len = sizeof st;
    memset(s, 0, sizeof *s);
    if (getsockopt(x->fd, SOL_XDP, XDP_STATISTICS, &st, &len) < 0) {
        return -errno;
    }
    s->rx_dropped = st.rx_dropped;
    s->rx_invalid = st.rx_invalid_descs;
    s->tx_invalid = st.tx_invalid_descs;
    if (len >= sizeof st) {
        s->rx_ring_full = st.rx_ring_full;
        s->rx_fill_empty = st.rx_fill_ring_empty_descs;
    }
    return 0;
}
