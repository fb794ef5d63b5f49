/* port-dummy — a port with no OS device.  Frames are injected with
 * port_dummy_inject() and received by port_recv(); frames sent with
 * port_send() are queued for port_dummy_pop_sent().  The switch's control
 * socket uses this so most tests need neither root nor namespaces.
 *
 * Each injected frame lives in its own malloc'd block with
 * PACKET_HEADROOM_WANTED bytes of headroom; port_recv() lends up to a batch
 * of them, port_recv_done() frees them.  A mutex guards the two queues and
 * the link state (inject/pop may come from a control thread). */
#include "dp/port-provider.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/hash.h"
#include "util/log.h"
#include "util/util.h"

LOG_MODULE(port_dummy);

struct dummy_frame {
    uint32_t len;
    uint8_t *block;             /* Headroom, then the frame. */
};

/* A bounded FIFO of frames. */
struct dummy_queue {
    struct dummy_frame slots[PORT_DUMMY_QUEUE_MAX];
    unsigned int head, n;
};

struct port_dummy {
    struct port up;
    pthread_mutex_t mutex;
    struct dummy_queue rxq;     /* Injected, not yet received. */
    struct dummy_queue txq;     /* Sent, not yet popped. */
    int rx_event_fd;            /* Readable iff rxq is not empty. */
    int link_event_fd;          /* Written on each link/admin change. */
    bool link_up, admin_up;
    uint8_t mac[6];

    /* Lent by the last port_recv() (owning thread only). */
    struct packet lent[PACKET_BATCH_MAX];
    uint8_t *lent_blocks[PACKET_BATCH_MAX];
    unsigned int n_lent;
};

static struct port_dummy *
port_dummy_cast(const struct port *port)
{
    return CONTAINER_OF(port, struct port_dummy, up);
}

static struct port_dummy *
port_dummy_cast_checked(struct port *port)
{
    return port && port->class == &port_dummy_class ? port_dummy_cast(port)
                                                     : NULL;
}

static bool
queue_push(struct dummy_queue *q, struct dummy_frame f)
{
    if (q->n == PORT_DUMMY_QUEUE_MAX) {
        return false;
    }
    q->slots[(q->head + q->n++) % PORT_DUMMY_QUEUE_MAX] = f;
    return true;
}

static bool
queue_pop(struct dummy_queue *q, struct dummy_frame *f)
{
    if (!q->n) {
        return false;
    }
    *f = q->slots[q->head];
    q->head = (q->head + 1) % PORT_DUMMY_QUEUE_MAX;
    q->n--;
    return true;
}

static void
queue_clear(struct dummy_queue *q)
{
    struct dummy_frame f;
    while (queue_pop(q, &f)) {
        free(f.block);
    }
}

static void
event_signal(int fd)
{
    uint64_t one = 1;
    if (write(fd, &one, sizeof one) < 0) {
        /* Only fails when the counter would overflow: already readable. */
    }
}

static void
event_clear(int fd)
{
    uint64_t value;
    if (read(fd, &value, sizeof value) < 0) {
        /* EAGAIN: already clear. */
    }
}

static int
port_dummy_open(const char *name, struct port **portp)
{
    int rx_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (rx_fd < 0) {
        return -errno;
    }
    int link_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (link_fd < 0) {
        int error = -errno;
        close(rx_fd);
        return error;
    }

    struct port_dummy *d = xzalloc(sizeof *d);
    port_init(&d->up, &port_dummy_class, name);
    pthread_mutex_init(&d->mutex, NULL);
    d->rx_event_fd = rx_fd;
    d->link_event_fd = link_fd;
    d->link_up = d->admin_up = true;

    /* Locally administered unicast, stable per name. */
    uint32_t h = hash_string(name, 0x706f7274);
    d->mac[0] = 0x02;
    d->mac[1] = 0xd0;
    d->mac[2] = h >> 24;
    d->mac[3] = h >> 16;
    d->mac[4] = h >> 8;
    d->mac[5] = h;

    *portp = &d->up;
    return 0;
}

static void
port_dummy_recv_done(struct port *port, struct packet_batch *batch)
{
    struct port_dummy *d = port_dummy_cast(port);
    for (unsigned int i = 0; i < d->n_lent; i++) {
        free(d->lent_blocks[i]);
    }
    d->n_lent = 0;
    (void) batch;
}

static void
port_dummy_close(struct port *port)
{
    struct port_dummy *d = port_dummy_cast(port);
    port_dummy_recv_done(port, NULL);
    queue_clear(&d->rxq);
    queue_clear(&d->txq);
    close(d->rx_event_fd);
    close(d->link_event_fd);
    pthread_mutex_destroy(&d->mutex);
    free(d);
}

static int
port_dummy_recv(struct port *port, struct packet_batch *batch)
{
    struct port_dummy *d = port_dummy_cast(port);
    if (d->n_lent) {
        /* The caller forgot port_recv_done(): give the old batch back. */
        port_dummy_recv_done(port, NULL);
    }

    uint64_t bytes = 0;
    unsigned int n = 0;
    pthread_mutex_lock(&d->mutex);
    struct dummy_frame f;
    while (n < PACKET_BATCH_MAX && queue_pop(&d->rxq, &f)) {
        struct packet *p = &d->lent[n];
        memset(p, 0, sizeof *p);
        p->data = f.block + PACKET_HEADROOM_WANTED;
        p->len = p->room = f.len;
        p->headroom = PACKET_HEADROOM_WANTED;
        d->lent_blocks[n] = f.block;
        batch->pkts[n] = p;
        bytes += f.len;
        n++;
    }
    if (!d->rxq.n) {
        event_clear(d->rx_event_fd);
    }
    pthread_mutex_unlock(&d->mutex);

    d->n_lent = n;
    batch->n = n;
    if (n) {
        port_stat_add(&port->stats.rx_packets, n);
        port_stat_add(&port->stats.rx_bytes, bytes);
    }
    return n;
}

static int
port_dummy_send(struct port *port, struct packet *const *pkts, unsigned int n)
{
    struct port_dummy *d = port_dummy_cast(port);
    unsigned int sent = 0, overflow = 0, refused = 0;
    uint64_t bytes = 0;

    pthread_mutex_lock(&d->mutex);
    bool usable = d->link_up && d->admin_up;
    for (unsigned int i = 0; i < n; i++) {
        if (!usable) {
            refused++;
            continue;
        }
        struct dummy_frame f = { pkts[i]->len,
                                 xmemdup(pkts[i]->data, pkts[i]->len) };
        if (d->txq.n == PORT_DUMMY_QUEUE_MAX) {
            struct dummy_frame oldest;
            queue_pop(&d->txq, &oldest);
            free(oldest.block);
            overflow++;
        }
        queue_push(&d->txq, f);
        sent++;
        bytes += f.len;
    }
    pthread_mutex_unlock(&d->mutex);

    port_stat_add(&port->stats.tx_packets, sent);
    port_stat_add(&port->stats.tx_bytes, bytes);
    if (overflow) {
        /* The frame sent is kept; the oldest unread one is lost. */
        port_stat_add(&port->stats.tx_dropped, overflow);
    }
    if (refused) {
        port_stat_add(&port->stats.tx_errors, refused);
    }
    return sent;
}

static int
port_dummy_wait_fd(const struct port *port)
{
    return port_dummy_cast(port)->rx_event_fd;
}

static int
port_dummy_link_wait_fd(const struct port *port)
{
    return port_dummy_cast(port)->link_event_fd;
}

static void
port_dummy_link_drain(struct port *port)
{
    event_clear(port_dummy_cast(port)->link_event_fd);
}

static bool
port_dummy_is_link_up(struct port *port)
{
    struct port_dummy *d = port_dummy_cast(port);
    pthread_mutex_lock(&d->mutex);
    bool up = d->link_up;
    pthread_mutex_unlock(&d->mutex);
    return up;
}

static bool
port_dummy_is_admin_up(struct port *port)
{
    struct port_dummy *d = port_dummy_cast(port);
    pthread_mutex_lock(&d->mutex);
    bool up = d->admin_up;
    pthread_mutex_unlock(&d->mutex);
    return up;
}

static int
port_dummy_set_admin_up(struct port *port, bool up)
{
    struct port_dummy *d = port_dummy_cast(port);
    pthread_mutex_lock(&d->mutex);
    bool changed = d->admin_up != up;
    d->admin_up = up;
    pthread_mutex_unlock(&d->mutex);
    if (changed) {
        event_signal(d->link_event_fd);
    }
    return 0;
}

static int
port_dummy_get_mac(struct port *port, uint8_t mac[6])
{
    memcpy(mac, port_dummy_cast(port)->mac, 6);
    return 0;
}

static int
port_dummy_get_mtu(struct port *port, int *mtu)
{
    (void) port;
    *mtu = 1500;
    return 0;
}

const struct port_class port_dummy_class = {
    .type = "dummy",
    .open = port_dummy_open,
    .close = port_dummy_close,
    .recv = port_dummy_recv,
    .recv_done = port_dummy_recv_done,
    .send = port_dummy_send,
    .wait_fd = port_dummy_wait_fd,
    .is_link_up = port_dummy_is_link_up,
    .is_admin_up = port_dummy_is_admin_up,
    .set_admin_up = port_dummy_set_admin_up,
    .get_mac = port_dummy_get_mac,
    .get_mtu = port_dummy_get_mtu,
    .link_wait_fd = port_dummy_link_wait_fd,
    .link_drain = port_dummy_link_drain,
};

/* Dummy-only client functions (declared in port.h). */

int
port_dummy_inject(struct port *port, const void *frame, size_t len)
{
    struct port_dummy *d = port_dummy_cast_checked(port);
    if (!d || len < 14 || len > 65535) {
        return -EINVAL;
    }
    uint8_t *block = xmalloc(PACKET_HEADROOM_WANTED + len);
    memcpy(block + PACKET_HEADROOM_WANTED, frame, len);
    struct dummy_frame f = { (uint32_t) len, block };

    int error = 0;
    pthread_mutex_lock(&d->mutex);
    if (!d->link_up || !d->admin_up) {
        error = -ENETDOWN;
    } else if (!queue_push(&d->rxq, f)) {
        error = -ENOBUFS;
    } else if (d->rxq.n == 1) {
        event_signal(d->rx_event_fd);
    }
    if (error) {
        /* The injecting thread is not the owner: count under the lock with
         * an atomic add, as the owner may be adding too. */
        __atomic_fetch_add(&port->stats.rx_dropped, 1, __ATOMIC_RELAXED);
    }
    pthread_mutex_unlock(&d->mutex);
    if (error) {
        free(block);
    }
    return error;
}

int
port_dummy_pop_sent(struct port *port, struct buf *frame)
{
    struct port_dummy *d = port_dummy_cast_checked(port);
    if (!d) {
        return -EINVAL;
    }
    struct dummy_frame f;
    pthread_mutex_lock(&d->mutex);
    bool found = queue_pop(&d->txq, &f);
    pthread_mutex_unlock(&d->mutex);
    if (!found) {
        return -EAGAIN;
    }
    buf_clear(frame);
    buf_put(frame, f.block, f.len);
    free(f.block);
    return 0;
}

int
port_dummy_set_link(struct port *port, bool up)
{
    struct port_dummy *d = port_dummy_cast_checked(port);
    if (!d) {
        return -EINVAL;
    }
    pthread_mutex_lock(&d->mutex);
    bool changed = d->link_up != up;
    d->link_up = up;
    pthread_mutex_unlock(&d->mutex);
    if (changed) {
        event_signal(d->link_event_fd);
        LOG_DBG("%s: link %s", port->name, up ? "up" : "down");
    }
    return 0;
}
