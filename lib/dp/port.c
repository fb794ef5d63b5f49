/* port — dispatch from the client API to the providers, spec parsing, and
 * the Linux-device helpers the afpacket and tap providers share.
 *
 * port_send() to a port without PORT_OL_VNET first makes frames with
 * offload state complete (send_resolved()), so providers other than
 * afpacket-with-vnet-header never see a partial checksum or a super-frame. */
#include "dp/port-provider.h"

#include <errno.h>
#include <linux/ethtool.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include "pkt/packet-offload.h"
#include <sys/socket.h>
#include <unistd.h>

#include "util/log.h"
#include "util/util.h"

LOG_MODULE(port);

static const struct port_class *const port_classes[] = {
    &port_afpacket_class,
    &port_tap_class,
    &port_dummy_class,
    &port_afxdp_class,
};

static const struct port_class *
port_class_find(const char *type)
{
    for (size_t i = 0; i < ARRAY_SIZE(port_classes); i++) {
        if (!strcmp(port_classes[i]->type, type)) {
            return port_classes[i];
        }
    }
    return NULL;
}

static bool
ifname_char_ok(char c)
{
    /* Linux forbids '/', ':' is our separator, and whitespace or control
     * characters would make messages and shell scripts ambiguous. */
    return c > ' ' && c < 0x7f && c != '/' && c != ':';
}

int
port_parse_spec(const char *spec, char type[16], char name[16])
{
    if (!spec) {
        return -EINVAL;
    }
    const char *colon = strchr(spec, ':');
    const char *dev = colon ? colon + 1 : spec;
    size_t type_len = colon ? (size_t) (colon - spec) : strlen("afpacket");
    if (type_len == 0 || type_len >= 16) {
        return -EINVAL;
    }
    memcpy(type, colon ? spec : "afpacket", type_len);
    type[type_len] = '\0';
    if (!port_class_find(type)) {
        return -EINVAL;
    }

    size_t name_len = strlen(dev);
    if (name_len == 0 || name_len >= IFNAMSIZ
        || !strcmp(dev, ".") || !strcmp(dev, "..")) {
        return -EINVAL;
    }
    for (size_t i = 0; i < name_len; i++) {
        if (!ifname_char_ok(dev[i])) {
            return -EINVAL;
        }
    }
    memcpy(name, dev, name_len + 1);
    return 0;
}

int
port_open(const char *spec, struct port **portp)
{
    char type[16], name[16];
    *portp = NULL;
    int error = port_parse_spec(spec, type, name);
    if (error) {
        LOG_WARN("bad port spec \"%s\" (want [afpacket:|afxdp:|tap:|dummy:]NAME, "
                 "NAME 1..%d characters without '/', ':' or spaces)",
                 spec ? spec : "(null)", IFNAMSIZ - 1);
        return error;
    }
    const struct port_class *class = port_class_find(type);
    error = class->open(name, portp);
    if (error) {
        *portp = NULL;
        LOG_WARN("cannot open port %s:%s: %s%s", type, name, strerror(-error),
                 error == -ENODEV ? " (no such interface in this network "
                                    "namespace)" : "");
        return error;
    }
    struct port *port = *portp;
    port->last_up = port_is_link_up(port) && port_is_admin_up(port);
    return 0;
}

void
port_init(struct port *port, const struct port_class *class, const char *name)
{
    memset(port, 0, sizeof *port);
    port->class = class;
    port->name = xstrdup(name);
}

void
port_close(struct port *port)
{
    if (port) {
        char *name = port->name;
        port->class->close(port);
        free(name);
    }
}

const char *
port_name(const struct port *port)
{
    return port->name;
}

const char *
port_type(const struct port *port)
{
    return port->class->type;
}

int
port_recv(struct port *port, struct packet_batch *batch)
{
    batch->n = 0;
    int n = port->class->recv(port, batch);
    if (n < 0) {
        batch->n = 0;
    }
    return n;
}

void
port_recv_done(struct port *port, struct packet_batch *batch)
{
    port->class->recv_done(port, batch);
    batch->n = 0;
}

/* Sends what is in out[0..*n-1] and empties it; returns how many went. */
static unsigned int
send_flush(struct port *port, struct packet **out, unsigned int *n)
{
    int sent = *n ? port->class->send(port, out, *n) : 0;
    *n = 0;
    return sent > 0 ? (unsigned int) sent : 0;
}

/* port_send() for a port that takes only complete frames: a partial
 * checksum is completed in place (the frame means the same; the caller's
 * other outputs of it stay correct), a super-frame is cut into segments
 * sent in its place, in order.  Returns the number of pkts[] sent (a
 * super-frame counts if all its segments went). */
static int
send_resolved(struct port *port, struct packet *const *pkts, unsigned int n)
{
    struct packet *out[PACKET_BATCH_MAX];
    unsigned int n_out = 0, sent = 0;
    for (unsigned int i = 0; i < n; i++) {
        struct packet *p = pkts[i];
        bool partial = p->ol_flags & PACKET_OL_CSUM;
        int r = p->ol_flags ? packet_ol_finish(p) : 0;
        if (r < 0) {
            port_stat_add(&port->stats.tx_errors, 1);
            continue;
        } else if (r == 0) {
            if (partial) {
                port_stat_add(&port->stats.tx_csum_sw, 1);
            }
            out[n_out++] = p;
            if (n_out == PACKET_BATCH_MAX) {
                sent += send_flush(port, out, &n_out);
            }
            continue;
        }
        /* A super-frame: what is queued goes first (order). */
        sent += send_flush(port, out, &n_out);
        struct packet **segs = xmalloc(PACKET_OL_MAX_SEGS * sizeof *segs);
        unsigned int n_segs, segs_sent = 0;
        if (packet_ol_segment(p, segs, PACKET_OL_MAX_SEGS, &n_segs)) {
            port_stat_add(&port->stats.tx_errors, 1);
        } else {
            port_stat_add(&port->stats.tx_gso_sw, 1);
            for (unsigned int j = 0; j < n_segs; j += PACKET_BATCH_MAX) {
                unsigned int k = MIN(n_segs - j, (unsigned int) PACKET_BATCH_MAX);
                int r2 = port->class->send(port, &segs[j], k);
                segs_sent += r2 > 0 ? (unsigned int) r2 : 0;
            }
            sent += segs_sent == n_segs;
        }
        for (unsigned int j = 0; j < n_segs; j++) {
            packet_destroy(segs[j]);
        }
        free(segs);
    }
    return (int) (sent + send_flush(port, out, &n_out));
}

int
port_send(struct port *port, struct packet *const *pkts, unsigned int n)
{
    if (n == 0) {
        return 0;
    }
    BUG_ON(n > PACKET_BATCH_MAX);
    if (!(port->offloads & PORT_OL_VNET)) {
        for (unsigned int i = 0; i < n; i++) {
            if (UNLIKELY(pkts[i]->ol_flags)) {
                return send_resolved(port, pkts, n);
            }
        }
    }
    return port->class->send(port, pkts, n);
}

uint32_t
port_offloads(const struct port *port)
{
    return port->offloads;
}

int
port_wait_fd(const struct port *port)
{
    return port->class->wait_fd(port);
}

bool
port_is_link_up(struct port *port)
{
    return port->class->is_link_up(port);
}

bool
port_is_admin_up(struct port *port)
{
    return port->class->is_admin_up(port);
}

int
port_set_admin_up(struct port *port, bool up)
{
    return port->class->set_admin_up(port, up);
}

int
port_get_mac(struct port *port, uint8_t mac[6])
{
    return port->class->get_mac(port, mac);
}

int
port_get_mtu(struct port *port, int *mtu)
{
    return port->class->get_mtu(port, mtu);
}

int
port_get_features(struct port *port, struct port_features *f)
{
    if (port->class->get_features) {
        return port->class->get_features(port, f);
    }
    memset(f, 0, sizeof *f);
    f->curr = f->advertised = f->supported = PORT_F_10GB_FD | PORT_F_COPPER;
    f->speed_mbps = 10000;
    return 0;
}

int
port_link_wait_fd(const struct port *port)
{
    return port->class->link_wait_fd ? port->class->link_wait_fd(port) : -1;
}

int
port_poll_link_change(struct port *port, bool *up)
{
    if (port->class->link_drain) {
        port->class->link_drain(port);
    }
    bool now = port_is_link_up(port) && port_is_admin_up(port);
    *up = now;
    if (now != port->last_up) {
        port->last_up = now;
        return 1;
    }
    return 0;
}

void
port_get_stats(const struct port *port, struct port_stats *s)
{
    const uint64_t *src = (const uint64_t *) &port->stats;
    uint64_t *dst = (uint64_t *) s;
    BUILD_ASSERT(sizeof *s % sizeof(uint64_t) == 0, "port_stats: u64 only");
    for (size_t i = 0; i < sizeof *s / sizeof(uint64_t); i++) {
        dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
    }
    if (port->class->get_stats_extra) {
        port->class->get_stats_extra(port, s);
    }
}

/* Linux-device helpers. */

int
port_linux_open_ioctl_socket(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    return fd < 0 ? -errno : fd;
}

static int
port_linux_ioctl(int fd, const char *name, unsigned long cmd, struct ifreq *ifr)
{
    snprintf(ifr->ifr_name, sizeof ifr->ifr_name, "%s", name);
    if (ioctl(fd, cmd, ifr) < 0) {
        return errno == ENXIO ? -ENODEV : -errno;
    }
    return 0;
}

int
port_linux_get_flags(int fd, const char *name, unsigned int *flags)
{
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    int error = port_linux_ioctl(fd, name, SIOCGIFFLAGS, &ifr);
    *flags = error ? 0 : (unsigned short) ifr.ifr_flags;
    return error;
}

int
port_linux_set_flags(int fd, const char *name, unsigned int set, unsigned int clear)
{
    unsigned int flags;
    int error = port_linux_get_flags(fd, name, &flags);
    if (error) {
        return error;
    }
    unsigned int new_flags = (flags | set) & ~clear;
    if (new_flags == flags) {
        return 0;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = (short) new_flags;
    return port_linux_ioctl(fd, name, SIOCSIFFLAGS, &ifr);
}

int
port_linux_get_mac(int fd, const char *name, uint8_t mac[6])
{
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    int error = port_linux_ioctl(fd, name, SIOCGIFHWADDR, &ifr);
    if (!error) {
        memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
    }
    return error;
}

int
port_linux_get_mtu(int fd, const char *name, int *mtu)
{
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    int error = port_linux_ioctl(fd, name, SIOCGIFMTU, &ifr);
    *mtu = error ? 0 : ifr.ifr_mtu;
    return error;
}

static uint32_t
port_features_from_ethtool(uint32_t link_modes)
{
    static const struct { uint32_t ethtool, of; } map[] = {
        { SUPPORTED_10baseT_Half, PORT_F_10MB_HD },
        { SUPPORTED_10baseT_Full, PORT_F_10MB_FD },
        { SUPPORTED_100baseT_Half, PORT_F_100MB_HD },
        { SUPPORTED_100baseT_Full, PORT_F_100MB_FD },
        { SUPPORTED_1000baseT_Half, PORT_F_1GB_HD },
        { SUPPORTED_1000baseT_Full, PORT_F_1GB_FD },
        { SUPPORTED_10000baseT_Full, PORT_F_10GB_FD },
        { SUPPORTED_TP, PORT_F_COPPER },
        { SUPPORTED_FIBRE, PORT_F_FIBER },
        { SUPPORTED_Autoneg, PORT_F_AUTONEG },
        { SUPPORTED_Pause, PORT_F_PAUSE },
        { SUPPORTED_Asym_Pause, PORT_F_PAUSE_ASYM },
    };
    uint32_t of = 0;
    for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
        if (link_modes & map[i].ethtool) {
            of |= map[i].of;
        }
    }
    return of;
}

static uint32_t
port_features_from_speed(uint32_t speed, bool full_duplex)
{
    switch (speed) {
    case 10: return full_duplex ? PORT_F_10MB_FD : PORT_F_10MB_HD;
    case 100: return full_duplex ? PORT_F_100MB_FD : PORT_F_100MB_HD;
    case 1000: return full_duplex ? PORT_F_1GB_FD : PORT_F_1GB_HD;
    case 10000: return PORT_F_10GB_FD;
    default: return 0;  /* OpenFlow 1.0 has no bit for other speeds. */
    }
}

int
port_linux_get_features(int fd, const char *name, struct port_features *f)
{
    memset(f, 0, sizeof *f);
    struct ethtool_cmd ecmd;
    memset(&ecmd, 0, sizeof ecmd);
    ecmd.cmd = ETHTOOL_GSET;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_data = (void *) &ecmd;
    int error = port_linux_ioctl(fd, name, SIOCETHTOOL, &ifr);
    if (error) {
        return error == -EOPNOTSUPP || error == -EINVAL ? -EOPNOTSUPP : error;
    }
    uint32_t speed = ethtool_cmd_speed(&ecmd);
    if (speed == (uint32_t) SPEED_UNKNOWN || speed == 0xffff) {
        speed = 0;
    }
    f->speed_mbps = speed;
    f->supported = port_features_from_ethtool(ecmd.supported);
    f->advertised = port_features_from_ethtool(ecmd.advertising);
    f->peer = port_features_from_ethtool(ecmd.lp_advertising);
    f->curr = port_features_from_speed(speed, ecmd.duplex == DUPLEX_FULL);
    if (ecmd.port == PORT_TP) {
        f->curr |= PORT_F_COPPER;
    } else if (ecmd.port == PORT_FIBRE) {
        f->curr |= PORT_F_FIBER;
    }
    if (ecmd.autoneg == AUTONEG_ENABLE) {
        f->curr |= PORT_F_AUTONEG;
    }
    return 0;
}

int
port_linux_open_link_monitor(void)
{
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
                    NETLINK_ROUTE);
    if (fd < 0) {
        return -errno;
    }
    struct sockaddr_nl sa;
    memset(&sa, 0, sizeof sa);
    sa.nl_family = AF_NETLINK;
    sa.nl_groups = RTMGRP_LINK;
    if (bind(fd, (struct sockaddr *) &sa, sizeof sa) < 0) {
        int error = -errno;
        close(fd);
        return error;
    }
    return fd;
}

void
port_linux_drain(int fd)
{
    char buf[8192];
    while (fd >= 0 && recv(fd, buf, sizeof buf, MSG_DONTWAIT) > 0) {
        continue;
    }
}
