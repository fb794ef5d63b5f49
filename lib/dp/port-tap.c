/* port-tap — a TAP device (a VM's NIC seen from the host) through
 * /dev/net/tun with IFF_TAP | IFF_NO_PI, nonblocking.
 *
 * "tap:vm1" attaches to the TAP device vm1 if it exists (created
 * persistent by `ip tuntap add`, say) or creates it; a device we created
 * disappears when the port is closed.  Opening brings the device up.
 *
 * RX: read() one frame per call, up to a batch, each into its own slot of
 * a per-port array (headroom PACKET_HEADROOM_WANTED, then TAP_SLOT_DATA
 * bytes); slots are lent to the caller until port_recv_done().  A frame
 * longer than a slot (MTU above ~9 KB) is read past the slot into a
 * scratch buffer, detected, counted as rx_errors and dropped.  The kernel
 * completes checksums and segments before handing frames to a TAP without
 * offloads, so frames are always complete.
 *
 * TX: write() per frame; EAGAIN gets a short bounded wait, then drops. */
#include "dp/port-provider.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/log.h"
#include "util/util.h"

LOG_MODULE(port_tap);

#define TAP_SLOT_DATA 9216u             /* Jumbo frames fit. */
#define TAP_SLOT_SIZE (PACKET_HEADROOM_WANTED + TAP_SLOT_DATA)
#define TAP_TX_WAIT_NS (1000 * 1000)

struct port_tap {
    struct port up;
    int fd;
    int link_fd;                        /* rtnetlink link monitor, or -1. */
    int ioctl_fd;                       /* For port_linux_*() (our netns). */
    uint8_t *slots;                     /* PACKET_BATCH_MAX * TAP_SLOT_SIZE. */
    uint8_t *scratch;                   /* Overflow of an oversized read. */
    struct packet lent[PACKET_BATCH_MAX];
};

static struct port_tap *
port_tap_cast(const struct port *port)
{
    return CONTAINER_OF(port, struct port_tap, up);
}

/* Arguments for port_linux_*(): our ioctl socket and device name. */
#define TAP_IOCTL(PORT) port_tap_cast(PORT)->ioctl_fd, (PORT)->name

static int
port_tap_open(const char *name, struct port **portp)
{
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        int error = errno;
        LOG_WARN("/dev/net/tun: %s", strerror(error));
        return error == EACCES ? -EPERM : error == ENOENT ? -ENODEV : -error;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        int error = errno;
        close(fd);
        if (error == EINVAL) {
            LOG_WARN("%s exists and is not a TAP device", name);
        }
        return error == EACCES ? -EPERM : -error;
    }
    int ioctl_fd = port_linux_open_ioctl_socket();
    if (ioctl_fd < 0) {
        close(fd);
        return ioctl_fd;
    }
    int error = port_linux_set_flags(ioctl_fd, name, IFF_UP, 0);
    if (error) {
        LOG_WARN("%s: cannot bring the device up: %s", name, strerror(-error));
    }

    struct port_tap *tap = xzalloc(sizeof *tap);
    port_init(&tap->up, &port_tap_class, name);
    tap->fd = fd;
    tap->ioctl_fd = ioctl_fd;
    tap->slots = xmalloc((size_t) PACKET_BATCH_MAX * TAP_SLOT_SIZE);
    tap->scratch = xmalloc(65536);
    tap->link_fd = port_linux_open_link_monitor();
    if (tap->link_fd < 0) {
        tap->link_fd = -1;
    }
    *portp = &tap->up;
    return 0;
}

static void
port_tap_close(struct port *port)
{
    struct port_tap *tap = port_tap_cast(port);
    close(tap->fd);
    close(tap->ioctl_fd);
    if (tap->link_fd >= 0) {
        close(tap->link_fd);
    }
    free(tap->slots);
    free(tap->scratch);
    free(tap);
}

static int
port_tap_recv(struct port *port, struct packet_batch *batch)
{
    struct port_tap *tap = port_tap_cast(port);
    unsigned int n = 0, errors = 0;
    uint64_t bytes = 0;
    int error = 0;

    while (n < PACKET_BATCH_MAX) {
        uint8_t *slot = tap->slots + (size_t) n * TAP_SLOT_SIZE;
        struct iovec iov[2] = {
            { slot + PACKET_HEADROOM_WANTED, TAP_SLOT_DATA },
            { tap->scratch, 65536 },
        };
        ssize_t r = readv(tap->fd, iov, 2);
        if (r < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno != EAGAIN) {
                error = -errno;
            }
            break;
        }
        if (r < 14 || r > TAP_SLOT_DATA) {
            errors++;
            continue;
        }
        struct packet *p = &tap->lent[n];
        memset(p, 0, sizeof *p);
        p->data = slot + PACKET_HEADROOM_WANTED;
        p->len = p->room = (uint32_t) r;
        p->headroom = PACKET_HEADROOM_WANTED;
        batch->pkts[n++] = p;
        bytes += (uint64_t) r;
    }
    batch->n = n;
    if (n) {
        port_stat_add(&port->stats.rx_packets, n);
        port_stat_add(&port->stats.rx_bytes, bytes);
    }
    if (errors) {
        port_stat_add(&port->stats.rx_errors, errors);
        port_stat_add(&port->stats.rx_over_err, errors);
    }
    if (error && !n) {
        /* EIO when the device is down, EBADFD when it was detached. */
        return error == -EIO || error == -EBADFD ? -ENETDOWN : error;
    }
    return n;
}

static void
port_tap_recv_done(struct port *port, struct packet_batch *batch)
{
    /* Slots are reused by the next port_recv(): nothing to give back. */
    (void) port;
    (void) batch;
}

static int
port_tap_send(struct port *port, struct packet *const *pkts, unsigned int n)
{
    struct port_tap *tap = port_tap_cast(port);
    unsigned int sent = 0, errors = 0, i = 0;
    uint64_t bytes = 0, deadline = 0;

    while (i < n) {
        ssize_t r = write(tap->fd, pkts[i]->data, pkts[i]->len);
        if (r >= 0) {
            sent++;
            bytes += pkts[i]->len;
            i++;
        } else if (errno == EINTR) {
            continue;
        } else if (errno == EAGAIN || errno == ENOBUFS) {
            uint64_t now = clock_real_ns();
            if (!deadline) {
                deadline = now + TAP_TX_WAIT_NS;
            } else if (now >= deadline) {
                break;
            }
            struct pollfd pfd = { .fd = tap->fd, .events = POLLOUT };
            poll(&pfd, 1, 1);
        } else {
            static struct log_ratelimit rl = LOG_RATELIMIT_INIT(5, 10);
            LOG_RL(&rl, LOG_LEVEL_WARN, "%s: write of %u bytes failed: %s",
                   port->name, pkts[i]->len, strerror(errno));
            errors++;
            i++;
        }
    }
    port_stat_add(&port->stats.tx_packets, sent);
    port_stat_add(&port->stats.tx_bytes, bytes);
    if (errors) {
        port_stat_add(&port->stats.tx_errors, errors);
    }
    if (n - i) {
        port_stat_add(&port->stats.tx_dropped, n - i);
    }
    return sent;
}

static int
port_tap_wait_fd(const struct port *port)
{
    return port_tap_cast(port)->fd;
}

static bool
port_tap_is_link_up(struct port *port)
{
    unsigned int flags;
    return !port_linux_get_flags(TAP_IOCTL(port), &flags) && (flags & IFF_RUNNING);
}

static bool
port_tap_is_admin_up(struct port *port)
{
    unsigned int flags;
    return !port_linux_get_flags(TAP_IOCTL(port), &flags) && (flags & IFF_UP);
}

static int
port_tap_set_admin_up(struct port *port, bool up)
{
    return port_linux_set_flags(TAP_IOCTL(port), up ? IFF_UP : 0, up ? 0 : IFF_UP);
}

static int
port_tap_get_mac(struct port *port, uint8_t mac[6])
{
    return port_linux_get_mac(TAP_IOCTL(port), mac);
}

static int
port_tap_get_mtu(struct port *port, int *mtu)
{
    return port_linux_get_mtu(TAP_IOCTL(port), mtu);
}

static int
port_tap_link_wait_fd(const struct port *port)
{
    return port_tap_cast(port)->link_fd;
}

static void
port_tap_link_drain(struct port *port)
{
    port_linux_drain(port_tap_cast(port)->link_fd);
}

const struct port_class port_tap_class = {
    .type = "tap",
    .open = port_tap_open,
    .close = port_tap_close,
    .recv = port_tap_recv,
    .recv_done = port_tap_recv_done,
    .send = port_tap_send,
    .wait_fd = port_tap_wait_fd,
    .is_link_up = port_tap_is_link_up,
    .is_admin_up = port_tap_is_admin_up,
    .set_admin_up = port_tap_set_admin_up,
    .get_mac = port_tap_get_mac,
    .get_mtu = port_tap_get_mtu,
    .get_features = NULL,           /* A virtual 10 Gb/s port. */
    .link_wait_fd = port_tap_link_wait_fd,
    .link_drain = port_tap_link_drain,
};
