/* port-afxdp — a Linux interface through an AF_XDP socket (spec
 * "afxdp:IFNAME"), the packet I/O of the `afxdp` and `xdp` datapaths.
 *
 * Opening the port attaches plural's XDP program (xdp/fastpath.bpf.c) to
 * the interface and registers the port's AF_XDP socket in the program's
 * XSKMAP.  On its own (no fast path: FP_PORT_F_FAST clear) the program
 * hands every received frame to this socket; the `xdp` datapath
 * (dp-xdp.c) turns the port's fast path on, after which only misses and
 * frames the kernel cannot finish reach this socket.
 *
 * RX: port_recv() peeks up to a batch of descriptors and lends the frames
 * in place (zero copy: each frame sits in its UMEM chunk with ~256 bytes
 * of writable headroom before it); port_recv_done() releases the
 * descriptors and gives the chunks back to the kernel's fill ring.
 * TX: port_send() copies each frame into a free transmit chunk, posts it,
 * and kicks the kernel (copy mode: the kernel builds an skb per frame).
 * When no chunk is free it reclaims completions and retries for up to
 * ~1 ms (back-pressure), then drops and counts tx_dropped.
 *
 * Copy mode, queue 0: veth and tap deliver every frame on queue 0.  On a
 * multi-queue NIC frames of other queues have no socket: the program drops
 * and counts them (counter FP_C_PUNT_FAILED) — use one queue (ethtool -L
 * DEV combined 1) or the afpacket datapath there.
 *
 * Receive-side drops the kernel makes (our RX ring full, no free fill
 * chunk) are read from XDP_STATISTICS and added to rx_dropped.
 *
 * Thread-safety: see port.h (one owning thread). */
#include "dp/port-afxdp.h"

#include <errno.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <net/if.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dp/port-provider.h"
#include "dp/xdp/fastpath.h"
#include "dp/xsk.h"
#include "pkt/packet-offload.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/util.h"

LOG_MODULE(port_afxdp);

#define AFXDP_TX_WAIT_NS (1000 * 1000)

struct port_afxdp {
    struct port up;
    int ifindex;
    int link_fd;
    int ioctl_fd;
    bool native;                        /* Native (driver) XDP, not generic. */
    struct fastpath *fp;
    int xsk_slot;
    struct xsk xsk;
    struct packet lent[PACKET_BATCH_MAX];
    uint64_t lent_addr[PACKET_BATCH_MAX];
    unsigned int n_lent;
    uint64_t kernel_drops;
};

static struct port_afxdp *
port_afxdp_cast(const struct port *port)
{
    return CONTAINER_OF(port, struct port_afxdp, up);
}

#define AFX_IOCTL(PORT) port_afxdp_cast(PORT)->ioctl_fd, (PORT)->name

static int
port_afxdp_open(const char *name, struct port **portp)
{
    int ifindex = (int) if_nametoindex(name);
    if (!ifindex) {
        return errno == ENODEV || errno == ENXIO ? -ENODEV : -errno;
    }
    struct port_afxdp *x = xzalloc(sizeof *x);
    x->ifindex = ifindex;
    x->link_fd = -1;
    x->ioctl_fd = -1;
    x->xsk_slot = -1;
    x->xsk.fd = -1;

    int error = fastpath_get(0, &x->fp);
    if (error) {
        goto fail;
    }
    x->ioctl_fd = port_linux_open_ioctl_socket();
    if (x->ioctl_fd < 0) {
        error = x->ioctl_fd;
        goto fail;
    }
    error = port_linux_set_flags(x->ioctl_fd, name, IFF_UP, 0);
    if (error) {
        LOG_WARN("%s: cannot bring the interface up: %s", name, strerror(-error));
    }
    error = fastpath_attach(x->fp, ifindex, &x->native);
    if (error) {
        LOG_WARN("%s: cannot attach the XDP program: %s%s", name, strerror(-error),
                 error == -EBUSY || error == -EEXIST
                 ? " (another XDP program is attached)" : "");
        goto fail;
    }
    error = xsk_open(&x->xsk, ifindex, 0);
    if (error) {
        LOG_WARN("%s: cannot open an AF_XDP socket: %s", name, strerror(-error));
        goto fail;
    }
    x->xsk_slot = fastpath_xsk_alloc(x->fp);
    if (x->xsk_slot < 0) {
        error = x->xsk_slot;
        goto fail;
    }
    struct fp_port fport = { .port_no = 0, .flags = 0,
                             .xsk_slot = (uint32_t) x->xsk_slot };
    error = fastpath_set_xsk(x->fp, x->xsk_slot, xsk_fd(&x->xsk));
    if (!error) {
        error = fastpath_set_port(x->fp, ifindex, &fport);
    }
    if (error) {
        LOG_WARN("%s: cannot register the AF_XDP socket: %s", name, strerror(-error));
        goto fail;
    }
    x->link_fd = port_linux_open_link_monitor();
    if (x->link_fd < 0) {
        x->link_fd = -1;
    }
    port_init(&x->up, &port_afxdp_class, name);
    LOG_DBG("%s: AF_XDP socket on queue 0, %s XDP", name,
            x->native ? "native" : "generic");
    *portp = &x->up;
    return 0;

fail:
    if (x->fp) {
        fastpath_del_port(x->fp, ifindex);
        if (x->xsk_slot >= 0) {
            fastpath_xsk_free(x->fp, x->xsk_slot);
        }
        fastpath_detach(x->fp, ifindex);
        fastpath_put(x->fp);
    }
    xsk_close(&x->xsk);
    if (x->ioctl_fd >= 0) {
        close(x->ioctl_fd);
    }
    free(x);
    return error;
}

static void
port_afxdp_close(struct port *port)
{
    struct port_afxdp *x = port_afxdp_cast(port);
    fastpath_del_port(x->fp, x->ifindex);
    fastpath_xsk_free(x->fp, x->xsk_slot);
    fastpath_detach(x->fp, x->ifindex);
    fastpath_put(x->fp);
    xsk_close(&x->xsk);
    if (x->link_fd >= 0) {
        close(x->link_fd);
    }
    close(x->ioctl_fd);
    free(x);
}

static int
port_afxdp_recv(struct port *port, struct packet_batch *batch)
{
    struct port_afxdp *x = port_afxdp_cast(port);
    struct xsk_desc_view v[PACKET_BATCH_MAX];
    unsigned int n = xsk_rx_peek(&x->xsk, v, PACKET_BATCH_MAX);
    uint64_t bytes = 0;
    for (unsigned int i = 0; i < n; i++) {
        struct packet *p = &x->lent[i];
        p->data = xsk_data(&x->xsk, v[i].addr);
        p->len = v[i].len;
        p->room = v[i].len;
        p->headroom = (uint16_t) xsk_headroom(v[i].addr);
        p->in_port = 0;
        p->slice = 0;
        p->storage = NULL;
        p->ol_flags = 0;
        /* A veth peer with checksum offload sends partial checksums, and
         * AF_XDP carries no metadata to say so: recognise them (the output
         * port or the controller path completes them). */
        if (packet_ol_detect_partial(p)) {
            port_stat_add(&port->stats.rx_offloaded, 1);
        }
        x->lent_addr[i] = v[i].addr;
        batch->pkts[i] = p;
        bytes += v[i].len;
    }
    batch->n = n;
    x->n_lent = n;
    if (n) {
        port_stat_add(&port->stats.rx_packets, n);
        port_stat_add(&port->stats.rx_bytes, bytes);
    }
    return (int) n;
}

static void
port_afxdp_recv_done(struct port *port, struct packet_batch *batch)
{
    struct port_afxdp *x = port_afxdp_cast(port);
    (void) batch;
    if (x->n_lent) {
        xsk_rx_release(&x->xsk, x->n_lent);
        xsk_fill(&x->xsk, x->lent_addr, x->n_lent);
        x->n_lent = 0;
    }
}

static int
port_afxdp_send(struct port *port, struct packet *const *pkts, unsigned int n)
{
    struct port_afxdp *x = port_afxdp_cast(port);
    unsigned int sent = 0, too_big = 0;
    uint64_t bytes = 0, deadline = 0;
    for (unsigned int i = 0; i < n; i++) {
        const struct packet *p = pkts[i];
        if (p->len > XSK_CHUNK) {
            too_big++;
            continue;
        }
        uint8_t *buf = xsk_tx_buf(&x->xsk);
        while (!buf) {
            xsk_tx_kick(&x->xsk);
            if (!deadline) {
                deadline = clock_real_ns() + AFXDP_TX_WAIT_NS;
            } else if (clock_real_ns() > deadline) {
                break;
            }
            buf = xsk_tx_buf(&x->xsk);
        }
        if (!buf) {
            break;
        }
        memcpy(buf, p->data, p->len);
        xsk_tx_post(&x->xsk, p->len);
        sent++;
        bytes += p->len;
    }
    int error = xsk_tx_kick(&x->xsk);
    if (error && error != -EAGAIN) {
        static struct log_ratelimit rl = LOG_RATELIMIT_INIT(5, 10);
        LOG_RL(&rl, LOG_LEVEL_WARN, "%s: transmit failed: %s", port->name,
               strerror(-error));
    }
    xsk_tx_reclaim(&x->xsk);
    port_stat_add(&port->stats.tx_packets, sent);
    port_stat_add(&port->stats.tx_bytes, bytes);
    if (too_big) {
        port_stat_add(&port->stats.tx_errors, too_big);
    }
    if (sent + too_big < n) {
        port_stat_add(&port->stats.tx_dropped, n - sent - too_big);
    }
    return (int) sent;
}

static int
port_afxdp_wait_fd(const struct port *port)
{
    return xsk_fd(&port_afxdp_cast(port)->xsk);
}

static bool
port_afxdp_is_link_up(struct port *port)
{
    unsigned int flags;
    return !port_linux_get_flags(AFX_IOCTL(port), &flags) && (flags & IFF_RUNNING);
}

static bool
port_afxdp_is_admin_up(struct port *port)
{
    unsigned int flags;
    return !port_linux_get_flags(AFX_IOCTL(port), &flags) && (flags & IFF_UP);
}

static int
port_afxdp_set_admin_up(struct port *port, bool up)
{
    return port_linux_set_flags(AFX_IOCTL(port), up ? IFF_UP : 0, up ? 0 : IFF_UP);
}

static int
port_afxdp_get_mac(struct port *port, uint8_t mac[6])
{
    return port_linux_get_mac(AFX_IOCTL(port), mac);
}

static int
port_afxdp_get_mtu(struct port *port, int *mtu)
{
    return port_linux_get_mtu(AFX_IOCTL(port), mtu);
}

static int
port_afxdp_get_features(struct port *port, struct port_features *f)
{
    return port_linux_get_features(AFX_IOCTL(port), f);
}

static int
port_afxdp_link_wait_fd(const struct port *port)
{
    return port_afxdp_cast(port)->link_fd;
}

static void
port_afxdp_link_drain(struct port *port)
{
    port_linux_drain(port_afxdp_cast(port)->link_fd);
}

static void
port_afxdp_get_stats_extra(const struct port *port, struct port_stats *s)
{
    struct port_afxdp *x = port_afxdp_cast(port);
    struct xsk_kernel_stats k;
    if (!xsk_get_kernel_stats(&x->xsk, &k)) {
        /* Cumulative in the kernel (not reset on read). */
        s->rx_dropped += k.rx_dropped + k.rx_ring_full;
        s->rx_errors += k.rx_invalid;
        s->tx_errors += k.tx_invalid;
    }
}

int
port_afxdp_ifindex(const struct port *port)
{
    return port && port->class == &port_afxdp_class
           ? port_afxdp_cast(port)->ifindex : -1;
}

int
port_afxdp_xsk_slot(const struct port *port)
{
    return port && port->class == &port_afxdp_class
           ? port_afxdp_cast(port)->xsk_slot : -1;
}

bool
port_afxdp_is_native(const struct port *port)
{
    return port && port->class == &port_afxdp_class && port_afxdp_cast(port)->native;
}

/* The veth driver's counts of redirect transmissions into it
 * ("tx_queue_N_xdp_xmit") and of failed ones ("..._xdp_xmit_errors"),
 * summed over queues. */
int
port_afxdp_xdp_xmit_stats(const struct port *port, uint64_t *xmits, uint64_t *errors)
{
    if (!port || port->class != &port_afxdp_class) {
        return -EINVAL;
    }
    const struct port_afxdp *x = port_afxdp_cast(port);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", port->name);

    struct ethtool_drvinfo drv = { .cmd = ETHTOOL_GDRVINFO };
    ifr.ifr_data = (void *) &drv;
    if (ioctl(x->ioctl_fd, SIOCETHTOOL, &ifr) < 0) {
        return -errno;
    }
    if (strcmp(drv.driver, "veth") || !drv.n_stats) {
        return -EOPNOTSUPP;
    }
    uint32_t n = drv.n_stats;
    struct ethtool_gstrings *names = xzalloc(sizeof *names + (size_t) n * ETH_GSTRING_LEN);
    names->cmd = ETHTOOL_GSTRINGS;
    names->string_set = ETH_SS_STATS;
    names->len = n;
    struct ethtool_stats *vals = xzalloc(sizeof *vals + (size_t) n * sizeof(uint64_t));
    vals->cmd = ETHTOOL_GSTATS;
    vals->n_stats = n;
    int error = 0;
    ifr.ifr_data = (void *) names;
    if (ioctl(x->ioctl_fd, SIOCETHTOOL, &ifr) < 0) {
        error = -errno;
    } else {
        ifr.ifr_data = (void *) vals;
        if (ioctl(x->ioctl_fd, SIOCETHTOOL, &ifr) < 0) {
            error = -errno;
        }
    }
    *errors = *xmits = 0;
    bool found = false;
    for (uint32_t i = 0; !error && i < MIN(n, names->len); i++) {
        const char *name = (const char *) names->data + (size_t) i * ETH_GSTRING_LEN;
        size_t len = strnlen(name, ETH_GSTRING_LEN);
        static const char esuffix[] = "_xdp_xmit_errors";
        static const char xsuffix[] = "_xdp_xmit";
        if (strncmp(name, "tx_queue_", 9)) {
            continue;
        }
        if (len > sizeof esuffix - 1
            && !strncmp(name + len - (sizeof esuffix - 1), esuffix, sizeof esuffix - 1)) {
            *errors += vals->data[i];
            found = true;
        } else if (len > sizeof xsuffix - 1
                   && !strncmp(name + len - (sizeof xsuffix - 1), xsuffix, sizeof xsuffix - 1)) {
            *xmits += vals->data[i];
        }
    }
    free(names);
    free(vals);
    return error ? error : found ? 0 : -EOPNOTSUPP;
}

const struct port_class port_afxdp_class = {
    .type = "afxdp",
    .open = port_afxdp_open,
    .close = port_afxdp_close,
    .recv = port_afxdp_recv,
    .recv_done = port_afxdp_recv_done,
    .send = port_afxdp_send,
    .wait_fd = port_afxdp_wait_fd,
    .is_link_up = port_afxdp_is_link_up,
    .is_admin_up = port_afxdp_is_admin_up,
    .set_admin_up = port_afxdp_set_admin_up,
    .get_mac = port_afxdp_get_mac,
    .get_mtu = port_afxdp_get_mtu,
    .get_features = port_afxdp_get_features,
    .link_wait_fd = port_afxdp_link_wait_fd,
    .link_drain = port_afxdp_link_drain,
    .get_stats_extra = port_afxdp_get_stats_extra,
};
