/* ctl-setup-rate — a cbench-like load generator for OpenFlow 1.0
 * controllers: emulated switches connect over TCP, each with M host MACs,
 * and send PACKET_INs for new flows; every FLOW_MOD that comes back (its
 * buffer_id names the PACKET_IN) is one flow setup.
 *
 *   ctl-setup-rate --target tcp:127.0.0.1:PORT [--switches 16] [--macs 1000]
 *   (or --target ptcp:PORT:IP: wait for a controller started with --connect)
 *                  [--window 64] [--warmup-ms 1000] [--duration-ms 5000] [--json]
 *                  [--start-delay-ms 0]
 *
 * Each switch: HELLO, answers FEATURES_REQUEST (n_buffers 256, 3 ports),
 * ECHO_REQUEST, BARRIER_REQUEST and GET_CONFIG_REQUEST; then it announces
 * its MACs (one PACKET_IN per MAC, broadcast destination, so the controller
 * learns them), and keeps `window` PACKET_INs outstanding: MAC k -> MAC k+1
 * on alternating ports, buffer_id = a sequence number.  Setups are counted
 * after the warm-up, for `duration`; the latency of a setup is the time
 * from writing its PACKET_IN to reading its FLOW_MOD (window 1 gives the
 * unloaded latency).  Output: flows/s, median and p99 latency in µs.
 * --start-delay-ms: wait that long after the handshake before the first
 * PACKET_IN (for a proxy such as plural-slicer, which connects to its
 * controllers only once the switch is up: earlier PACKET_INs have nobody
 * to go to, and a window of lost PACKET_INs would never come back).
 *
 * Design: one thread, epoll, non-blocking sockets; messages are built into
 * one write buffer per switch per round (no allocation per message). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "util/byteorder.h"

enum { RING = 1 << 16, RX_SIZE = 1 << 20, TX_SIZE = 1 << 20 };

struct emu {
    int fd;
    int id;
    bool up;                    /* FEATURES_REPLY sent. */
    uint64_t up_ns;             /* When. */
    uint32_t announced;         /* MACs announced so far. */
    uint32_t seq;               /* Next buffer_id. */
    uint32_t outstanding;
    uint64_t sent_ns[RING];
    uint32_t sent_seq[RING];
    uint8_t *rx;
    size_t rx_len;
    uint8_t *tx;
    size_t tx_len, tx_off;
};

static uint64_t
now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000ull + (uint64_t) ts.tv_nsec;
}


static uint8_t *
tx_put(struct emu *e, size_t n)
{
    if (e->tx_len + n > TX_SIZE) {
        return NULL;
    }
    uint8_t *p = e->tx + e->tx_len;
    e->tx_len += n;
    return p;
}

static void
put_header(uint8_t *p, uint8_t type, uint16_t len, uint32_t xid)
{
    p[0] = 1;
    p[1] = type;
    put_be16(p + 2, len);
    put_be32(p + 4, xid);
}

static void
mac_of(int sw, uint32_t k, uint8_t *mac)
{
    mac[0] = 0x02;
    mac[1] = (uint8_t) (sw >> 8);
    mac[2] = (uint8_t) sw;
    mac[3] = (uint8_t) (k >> 16);
    mac[4] = (uint8_t) (k >> 8);
    mac[5] = (uint8_t) k;
}

static uint16_t
port_of(uint32_t k)
{
    return (uint16_t) (1 + (k & 1));
}

/* PACKET_IN from MAC `src` to `dst` (NULL: broadcast), 60-byte frame. */
static bool
put_packet_in(struct emu *e, uint32_t src, const uint32_t *dst, uint32_t buffer_id)
{
    uint8_t *p = tx_put(e, 18 + 60);
    if (!p) {
        return false;
    }
    put_header(p, 10, 78, 0);
    put_be32(p + 8, buffer_id);
    put_be16(p + 12, 60);
    put_be16(p + 14, port_of(src));
    p[16] = 0;
    p[17] = 0;
    uint8_t *f = p + 18;
    memset(f, 0, 60);
    if (dst) {
        mac_of(e->id, *dst, f);
    } else {
        memset(f, 0xff, 6);
    }
    mac_of(e->id, src, f + 6);
    put_be16(f + 12, 0x0800);
    f[14] = 0x45;
    put_be16(f + 16, 46);
    f[22] = 64;
    f[23] = 17;
    put_be32(f + 26, 0x0a000000u | (uint32_t) e->id << 16 | (src & 0xffff));
    put_be32(f + 30, 0x0a000000u | (uint32_t) e->id << 16 | (dst ? *dst & 0xffff : 0xffff));
    return true;
}

struct cfg {
    int switches;
    uint32_t macs, window;
    uint64_t warmup_ns, duration_ns;
    uint64_t start_delay_ns;
};

struct results {
    uint64_t setups;
    uint64_t *lat;
    size_t n_lat, cap_lat;
    uint64_t measure_start, measure_end;
};

static void
handle_msg(struct emu *e, const uint8_t *m, size_t len, const struct cfg *cfg,
           struct results *res, uint64_t t)
{
    uint8_t type = m[1];
    uint32_t xid = get_be32(m + 4);
    uint8_t *p;
    switch (type) {
    case 2:     /* ECHO_REQUEST -> REPLY */
        if ((p = tx_put(e, len))) {
            memcpy(p, m, len);
            p[1] = 3;
        }
        break;
    case 5: {   /* FEATURES_REQUEST */
        size_t n = 32 + 3 * 48;
        if ((p = tx_put(e, n))) {
            memset(p, 0, n);
            put_header(p, 6, (uint16_t) n, xid);
            put_be32(p + 8, 0);
            put_be32(p + 12, (uint32_t) e->id + 1);       /* datapath id */
            put_be32(p + 16, 256);                         /* n_buffers */
            p[20] = 1;
            put_be32(p + 24, 0x87);
            put_be32(p + 28, 0xfff);
            for (int i = 0; i < 3; i++) {
                uint8_t *pp = p + 32 + i * 48;
                put_be16(pp, (uint16_t) (i + 1));
                mac_of(e->id, 0xff0000u + (uint32_t) i, pp + 2);
                snprintf((char *) pp + 8, 16, "emu%d-%d", e->id, i + 1);
            }
            e->up = true;
            e->up_ns = t;
        }
        break;
    }
    case 7:     /* GET_CONFIG_REQUEST */
        if ((p = tx_put(e, 12))) {
            put_header(p, 8, 12, xid);
            put_be16(p + 8, 0);
            put_be16(p + 10, 128);
        }
        break;
    case 18:    /* BARRIER_REQUEST */
        if ((p = tx_put(e, 8))) {
            put_header(p, 19, 8, xid);
        }
        break;
    case 14:    /* FLOW_MOD */
        if (len >= 68) {
            uint32_t bid = get_be32(m + 64);
            uint32_t slot = bid % RING;
            if (bid != 0xffffffffu && e->sent_seq[slot] == bid && e->sent_ns[slot]) {
                uint64_t sent = e->sent_ns[slot];
                e->sent_ns[slot] = 0;
                e->outstanding--;
                if (t >= res->measure_start && t < res->measure_end) {
                    res->setups++;
                    if (res->n_lat < res->cap_lat) {
                        res->lat[res->n_lat++] = t - sent;
                    }
                }
            }
        }
        break;
    default:
        break;
    }
    (void) cfg;
}

static void
fill(struct emu *e, const struct cfg *cfg, uint64_t t)
{
    if (!e->up || t < e->up_ns + cfg->start_delay_ns) {
        return;
    }
    /* Announce the MACs first (broadcast: learning only). */
    while (e->announced < cfg->macs) {
        if (!put_packet_in(e, e->announced, NULL, 0xffffffffu)) {
            return;
        }
        e->announced++;
    }
    while (e->outstanding < cfg->window) {
        uint32_t k = e->seq % cfg->macs;
        uint32_t d = (k + 1) % cfg->macs;
        uint32_t bid = e->seq & 0x7fffffffu;
        if (!put_packet_in(e, k, &d, bid)) {
            return;
        }
        e->sent_seq[bid % RING] = bid;
        e->sent_ns[bid % RING] = t;
        e->seq++;
        e->outstanding++;
    }
}

static int
flush(struct emu *e)
{
    while (e->tx_off < e->tx_len) {
        ssize_t n = write(e->fd, e->tx + e->tx_off, e->tx_len - e->tx_off);
        if (n < 0) {
            return errno == EAGAIN ? 0 : -errno;
        }
        e->tx_off += (size_t) n;
    }
    e->tx_len = e->tx_off = 0;
    return 0;
}

static int
cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
    return x < y ? -1 : x > y;
}

static void
usage(void)
{
    printf("usage: ctl-setup-rate --target tcp:IP:PORT|ptcp:PORT:IP [--switches N] [--macs M] [--window W]\n"
           "                      [--warmup-ms MS] [--duration-ms MS] [--json] [--start-delay-ms MS]\n");
}

int
main(int argc, char *argv[])
{
    static const struct option opts[] = {
        { "target", required_argument, NULL, 't' }, { "switches", required_argument, NULL, 's' },
        { "macs", required_argument, NULL, 'm' }, { "window", required_argument, NULL, 'w' },
        { "warmup-ms", required_argument, NULL, 'W' }, { "duration-ms", required_argument, NULL, 'd' },
        { "json", no_argument, NULL, 'j' }, { "start-delay-ms", required_argument, NULL, 'D' }, { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
    };
    struct cfg cfg = { 16, 1000, 64, 1000000000ull, 5000000000ull, 0 };
    const char *target = NULL;
    bool json = false;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 't': target = optarg; break;
        case 's': cfg.switches = atoi(optarg); break;
        case 'm': cfg.macs = (uint32_t) atoi(optarg); break;
        case 'w': cfg.window = (uint32_t) atoi(optarg); break;
        case 'W': cfg.warmup_ns = (uint64_t) atoll(optarg) * 1000000ull; break;
        case 'd': cfg.duration_ns = (uint64_t) atoll(optarg) * 1000000ull; break;
        case 'j': json = true; break;
        case 'D': cfg.start_delay_ns = (uint64_t) atoll(optarg) * 1000000ull; break;
        case 'h': usage(); return 0;
        default: usage(); return 2;
        }
    }
    char ip[64];
    int port;
    bool passive = false;
    if (target && sscanf(target, "ptcp:%d:%63s", &port, ip) == 2) {
        passive = true;         /* Switches that wait for a --connect controller. */
    } else if (!target || sscanf(target, "tcp:%63[^:]:%d", ip, &port) != 2) {
        target = NULL;
    }
    if (!target || cfg.switches < 1
        || cfg.switches > 4096 || cfg.macs < 2 || cfg.window < 1 || cfg.window > RING / 2) {
        fprintf(stderr, "ctl-setup-rate: need --target tcp:IP:PORT and sane sizes (see --help)\n");
        return 2;
    }
    struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((uint16_t) port) };
    if (inet_pton(AF_INET, ip, &sin.sin_addr) != 1) {
        fprintf(stderr, "ctl-setup-rate: bad IP %s\n", ip);
        return 2;
    }
    int ep = epoll_create1(0);
    int lfd = -1;
    if (passive) {
        int one = 1;
        lfd = socket(AF_INET, SOCK_STREAM, 0);
        setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(lfd, (struct sockaddr *) &sin, sizeof sin) < 0 || listen(lfd, 1024) < 0) {
            fprintf(stderr, "ctl-setup-rate: listen %s: %s\n", target, strerror(errno));
            return 1;
        }
    }
    struct emu **emus = calloc((size_t) cfg.switches, sizeof *emus);
    for (int i = 0; i < cfg.switches; i++) {
        struct emu *e = calloc(1, sizeof *e);
        e->id = i;
        e->rx = malloc(RX_SIZE);
        e->tx = malloc(TX_SIZE);
        if (passive) {
            e->fd = accept(lfd, NULL, NULL);    /* Blocks until the controller comes. */
            if (e->fd < 0) {
                fprintf(stderr, "ctl-setup-rate: accept: %s\n", strerror(errno));
                return 1;
            }
        } else {
            e->fd = socket(AF_INET, SOCK_STREAM, 0);
            if (connect(e->fd, (struct sockaddr *) &sin, sizeof sin) < 0) {
                fprintf(stderr, "ctl-setup-rate: connect %s: %s\n", target, strerror(errno));
                return 1;
            }
        }
        int one = 1;
        setsockopt(e->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        fcntl(e->fd, F_SETFL, O_NONBLOCK);
        put_header(tx_put(e, 8), 0, 8, 1);      /* HELLO */
        flush(e);
        struct epoll_event ev = { .events = EPOLLIN, .data.ptr = e };
        epoll_ctl(ep, EPOLL_CTL_ADD, e->fd, &ev);
        emus[i] = e;
    }
    struct results res = { 0 };
    res.cap_lat = 4u << 20;
    res.lat = malloc(res.cap_lat * sizeof *res.lat);
    uint64_t start = now_ns();
    res.measure_start = start + cfg.warmup_ns;
    res.measure_end = res.measure_start + cfg.duration_ns;
    int n_up_seen = 0;
    while (now_ns() < res.measure_end) {
        struct epoll_event evs[256];
        int n = epoll_wait(ep, evs, 256, 10);
        uint64_t t = now_ns();
        for (int i = 0; i < n; i++) {
            struct emu *e = evs[i].data.ptr;
            for (;;) {
                ssize_t r = read(e->fd, e->rx + e->rx_len, RX_SIZE - e->rx_len);
                if (r <= 0) {
                    if (r == 0 || errno != EAGAIN) {
                        fprintf(stderr, "ctl-setup-rate: switch %d: connection %s\n", e->id,
                                r == 0 ? "closed by the controller" : strerror(errno));
                        return 1;
                    }
                    break;
                }
                e->rx_len += (size_t) r;
                size_t off = 0;
                while (e->rx_len - off >= 8) {
                    size_t len = get_be16(e->rx + off + 2);
                    if (len < 8) {
                        fprintf(stderr, "ctl-setup-rate: bad message length from controller\n");
                        return 1;
                    }
                    if (e->rx_len - off < len) {
                        break;
                    }
                    bool was_up = e->up;
                    handle_msg(e, e->rx + off, len, &cfg, &res, t);
                    n_up_seen += !was_up && e->up;
                    off += len;
                }
                memmove(e->rx, e->rx + off, e->rx_len - off);
                e->rx_len -= off;
            }
        }
        for (int i = 0; i < cfg.switches; i++) {
            fill(emus[i], &cfg, t);
            if (flush(emus[i]) < 0) {
                fprintf(stderr, "ctl-setup-rate: switch %d: write failed\n", i);
                return 1;
            }
        }
    }
    double secs = (double) cfg.duration_ns / 1e9;
    double rate = (double) res.setups / secs;
    qsort(res.lat, res.n_lat, sizeof *res.lat, cmp_u64);
    double med = res.n_lat ? (double) res.lat[res.n_lat / 2] / 1000.0 : 0;
    double p99 = res.n_lat ? (double) res.lat[(size_t) ((double) res.n_lat * 0.99)] / 1000.0 : 0;
    if (json) {
        printf("{\"switches\":%d,\"macs\":%u,\"window\":%u,\"switches_up\":%d,\"setups\":%llu,"
               "\"flows_per_s\":%.0f,\"latency_median_us\":%.1f,\"latency_p99_us\":%.1f}\n",
               cfg.switches, cfg.macs, cfg.window, n_up_seen, (unsigned long long) res.setups,
               rate, med, p99);
    } else {
        printf("switches %d (up %d), macs %u, window %u: %llu setups in %.1f s = %.0f flows/s, "
               "latency median %.1f us, p99 %.1f us\n", cfg.switches, n_up_seen, cfg.macs,
               cfg.window, (unsigned long long) res.setups, secs, rate, med, p99);
    }
    for (int i = 0; i < cfg.switches; i++) {
        close(emus[i]->fd);
        free(emus[i]->rx);
        free(emus[i]->tx);
        free(emus[i]);
    }
    free(emus);
    free(res.lat);
    close(ep);
    if (lfd >= 0) {
        close(lfd);
    }
    return res.setups ? 0 : 1;
}
