/* net-gen — see net-gen.h. */
#include "net-gen.h"

#include <errno.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net-afpacket.h"
#include "net-afxdp.h"
#include "net-pacer.h"
#include "util/clock.h"
#include "util/log.h"

LOG_MODULE(bench_net_gen);

#define NS_PER_MS 1000000ull
#define NS_PER_S 1000000000ull
#define DRAIN_NS (2 * NS_PER_S)
#define BACKOFF_NS 20000ull         /* Wait after back-pressure. */
#define SLEEP_MIN_NS 60000ull       /* Shorter waits spin. */
#define SLEEP_SLACK_NS 50000ull     /* Wake up this much early, then spin. */

void
net_gen_config_init(struct net_gen_config *c)
{
    memset(c, 0, sizeof *c);
    net_frame_spec_init(&c->spec);
    c->src_mac_from_dev = true;
    c->duration_ms = 10000;
    c->batch = 1024;
    c->method = NET_TX_AUTO;
    c->report_interval_ms = 1000;
}

const char *
net_tx_method_name(enum net_tx_method m)
{
    return m == NET_TX_RING ? "ring" : m == NET_TX_MMSG ? "mmsg" : m == NET_TX_XDP ? "xdp"
                                                                               : "auto";
}

void
net_gen_result_destroy(struct net_gen_result *r)
{
    if (r) {
        net_series_destroy(&r->series);
    }
}

/* sendmmsg backend: `cap` prebuilt frames; sent ones are shifted out. */
struct mmsg_tx {
    int fd;
    size_t len;
    unsigned int cap, queued, done;
    uint8_t *bufs;
    struct iovec *iov;
    struct mmsghdr *msgs;
};

/* The generator's transmit side: one of the three backends. */
struct tx {
    enum net_tx_method method;
    struct net_txring ring;
    struct mmsg_tx mmsg;
    struct net_afxdp xdp;
};

static int
mmsg_open(struct mmsg_tx *m, int ifindex, const uint8_t *template, size_t len,
          unsigned int cap)
{
    struct sockaddr_ll sll;
    int one = 1, sndbuf = 4 << 20;

    memset(m, 0, sizeof *m);
    m->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (m->fd < 0) {
        return -errno;
    }
    if (setsockopt(m->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one) < 0) {
        int error = -errno;
        close(m->fd);
        return error;
    }
    if (setsockopt(m->fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof sndbuf) < 0) {
        (void) setsockopt(m->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    }
    memset(&sll, 0, sizeof sll);
    sll.sll_family = AF_PACKET;
    sll.sll_ifindex = ifindex;
    if (bind(m->fd, (struct sockaddr *) &sll, sizeof sll) < 0) {
        int error = -errno;
        close(m->fd);
        return error;
    }
    m->len = len;
    m->cap = cap;
    m->bufs = xmalloc((size_t) cap * len);
    m->iov = xcalloc(cap, sizeof *m->iov);
    m->msgs = xcalloc(cap, sizeof *m->msgs);
    for (unsigned int i = 0; i < cap; i++) {
        memcpy(m->bufs + (size_t) i * len, template, len);
        m->iov[i].iov_base = m->bufs + (size_t) i * len;
        m->iov[i].iov_len = len;
        m->msgs[i].msg_hdr.msg_iov = &m->iov[i];
        m->msgs[i].msg_hdr.msg_iovlen = 1;
    }
    return 0;
}

static int
mmsg_flush(struct mmsg_tx *m)
{
    int n = sendmmsg(m->fd, m->msgs, m->queued, MSG_DONTWAIT);
    if (n < 0) {
        return errno == EWOULDBLOCK ? -EAGAIN : -errno;
    }
    unsigned int sent = (unsigned int) n;
    if (sent < m->queued) {
        memmove(m->bufs, m->bufs + (size_t) sent * m->len,
                (size_t) (m->queued - sent) * m->len);
    }
    m->queued -= sent;
    m->done += sent;
    return m->queued ? -EAGAIN : 0;
}

static void
mmsg_close(struct mmsg_tx *m)
{
    if (m->fd >= 0) {
        close(m->fd);
    }
    free(m->bufs);
    free(m->iov);
    free(m->msgs);
}

static unsigned int
tx_free(const struct tx *t)
{
    switch (t->method) {
    case NET_TX_RING:
        return net_txring_free(&t->ring);
    case NET_TX_XDP:
        return net_afxdp_free(&t->xdp);
    case NET_TX_MMSG:
    default:
        return t->mmsg.cap - t->mmsg.queued;
    }
}

static unsigned int
tx_pending(const struct tx *t)
{
    switch (t->method) {
    case NET_TX_RING:
        return t->ring.pending;
    case NET_TX_XDP:
        return net_afxdp_pending(&t->xdp);
    case NET_TX_MMSG:
    default:
        return t->mmsg.queued;
    }
}

static void
tx_queue(struct tx *t, size_t marker_offset, uint32_t seq, uint64_t now)
{
    if (t->method == NET_TX_RING) {
        net_frame_stamp(net_txring_slot(&t->ring), marker_offset, seq, now);
        net_txring_commit(&t->ring);
    } else if (t->method == NET_TX_XDP) {
        net_frame_stamp(net_afxdp_slot(&t->xdp), marker_offset, seq, now);
        net_afxdp_commit(&t->xdp);
    } else {
        struct mmsg_tx *m = &t->mmsg;
        net_frame_stamp(m->bufs + (size_t) m->queued * m->len, marker_offset, seq, now);
        m->queued++;
    }
}

static int
tx_flush(struct tx *t)
{
    switch (t->method) {
    case NET_TX_RING:
        return net_txring_flush(&t->ring);
    case NET_TX_XDP:
        return net_afxdp_kick(&t->xdp);
    case NET_TX_MMSG:
    default:
        return mmsg_flush(&t->mmsg);
    }
}

static unsigned int
tx_reclaim(struct tx *t)
{
    if (t->method == NET_TX_RING) {
        return net_txring_reclaim(&t->ring);
    } else if (t->method == NET_TX_XDP) {
        return net_afxdp_reclaim(&t->xdp);
    }
    unsigned int done = t->mmsg.done;
    t->mmsg.done = 0;
    return done;
}

static void
sleep_ns(uint64_t ns)
{
    struct timespec ts = { (time_t) (ns / NS_PER_S), (long) (ns % NS_PER_S) };
    while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR) {
        continue;
    }
}

/* Errors a sender waits out: the device or the ring is momentarily full. */
static bool
is_backpressure(int error)
{
    return error == -EAGAIN || error == -ENOBUFS;
}

/* Errors that may pass (link down for a moment, memory pressure). */
static bool
is_transient(int error)
{
    return error == -ENETDOWN || error == -ENOMEM || error == -EINTR
           || error == -ENXIO;
}

/* The device's tx_dropped counter (sysfs of the current namespace), or 0. */
static uint64_t
read_tx_dropped(const char *dev)
{
    char path[128];
    unsigned long long v = 0;

    snprintf(path, sizeof path, "/sys/class/net/%s/statistics/tx_dropped", dev);
    FILE *f = fopen(path, "re");
    if (f) {
        if (fscanf(f, "%llu", &v) != 1) {
            v = 0;
        }
        fclose(f);
    }
    return v;
}

/* AF_XDP completes frames the device dropped (veth: the peer's ring was
 * full) like sent ones; they are taken out of the TX count here, from the
 * device's tx_dropped counter.  The other methods retry refused frames. */
static void
account_device_drops(const struct net_gen_config *c, struct net_gen_result *r,
                     uint64_t completed, uint64_t drops_base)
{
    if (c->method == NET_TX_XDP) {
        uint64_t now = read_tx_dropped(c->dev);
        r->device_drops = now > drops_base ? now - drops_base : 0;
        r->device_drops = MIN(r->device_drops, completed);
    }
    r->tx_frames = completed - r->device_drops;
    r->tx_bytes = r->tx_frames * c->spec.size;
}

static void
report(const struct net_gen_config *c, struct net_gen_result *r, uint64_t start,
       uint64_t now, uint64_t *last_ns, uint64_t *last_frames)
{
    double seconds = (double) (now - *last_ns) / NS_PER_S;
    uint64_t frames = r->tx_frames > *last_frames ? r->tx_frames - *last_frames : 0;
    uint64_t bytes = frames * c->spec.size;

    net_series_add(&r->series, (double) (now - start) / NS_PER_S, seconds,
                   frames, bytes);
    if (c->out) {
        const struct net_interval *i = &r->series.v[r->series.n - 1];
        fprintf(c->out, "tx t=%.2f pps=%.0f mbps=%.2f total=%llu backpressure=%llu%s",
                i->end_s, net_interval_pps(i), net_interval_mbps(i),
                (unsigned long long) r->tx_frames,
                (unsigned long long) r->backpressure,
                c->method == NET_TX_XDP ? "" : "\n");
        if (c->method == NET_TX_XDP) {
            fprintf(c->out, " device_drops=%llu\n", (unsigned long long) r->device_drops);
        }
        fflush(c->out);
    }
    *last_ns = now;
    *last_frames = r->tx_frames;
}

static int
tx_open(struct tx *t, const struct net_gen_config *c, int ifindex,
        const uint8_t *template)
{
    t->method = c->method;
    t->mmsg.fd = -1;
    t->ring.fd = -1;
    t->xdp.fd = -1;
    switch (c->method) {
    case NET_TX_RING:
        return net_txring_open(&t->ring, ifindex, template, c->spec.size);
    case NET_TX_XDP:
        return net_afxdp_open(&t->xdp, ifindex, template, c->spec.size);
    case NET_TX_MMSG:
    default:
        return mmsg_open(&t->mmsg, ifindex, template, c->spec.size, c->batch);
    }
}

static void
tx_close(struct tx *t)
{
    if (t->method == NET_TX_RING) {
        net_txring_close(&t->ring);
    } else if (t->method == NET_TX_XDP) {
        net_afxdp_close(&t->xdp);
    } else {
        mmsg_close(&t->mmsg);
    }
}

static int
run_loop(const struct net_gen_config *c, struct tx *t, struct net_gen_result *r)
{
    size_t marker_offset = net_frame_marker_offset(&c->spec);
    uint64_t start = clock_now_ns();
    uint64_t end = c->duration_ms ? start + c->duration_ms * NS_PER_MS : UINT64_MAX;
    uint64_t interval = (uint64_t) c->report_interval_ms * NS_PER_MS;
    uint64_t next_report = start + interval, last_report = start, last_frames = 0;
    uint64_t queued = 0, drain_deadline = 0, last_tx_ns = start, completed = 0;
    uint64_t drops_base = c->method == NET_TX_XDP ? read_tx_dropped(c->dev) : 0;
    uint32_t seq = 0;
    struct net_pacer pacer;
    unsigned int burst = c->batch;

    if (c->rate_pps) {
        /* About 100 us of frames per burst: smooth, yet few kernel calls. */
        burst = (unsigned int) MIN((uint64_t) c->batch, MAX(c->rate_pps / 10000, 1));
    }
    net_pacer_init(&pacer, c->rate_pps, burst, start);

    for (;;) {
        uint64_t now = clock_now_ns();
        bool producing = !(c->stop && *c->stop) && now < end
                         && (!c->count || queued < c->count);
        if (!producing) {
            if (!tx_pending(t)) {
                break;
            }
            if (!drain_deadline) {
                drain_deadline = now + DRAIN_NS;
            } else if (now > drain_deadline) {
                LOG_WARN("%u frames still queued after 2 s; giving up on them",
                         tx_pending(t));
                break;
            }
        }

        unsigned int n = 0;
        if (producing) {
            n = MIN(net_pacer_allowed(&pacer, now), tx_free(t));
            if (c->count) {
                n = (unsigned int) MIN((uint64_t) n, c->count - queued);
            }
            for (unsigned int i = 0; i < n; i++) {
                tx_queue(t, marker_offset, seq++, now);
            }
            net_pacer_sent(&pacer, n);
            queued += n;
        }

        int error = tx_pending(t) ? tx_flush(t) : 0;
        unsigned int sent = tx_reclaim(t);
        if (sent) {
            completed += sent;
            r->tx_frames += sent;
            last_tx_ns = clock_now_ns();
        }
        if (error && !is_backpressure(error)) {
            if (!is_transient(error)) {
                LOG_ERR("%s: send failed: %s", c->dev, strerror(-error));
                return error;
            }
            r->errors++;
        }
        if (is_backpressure(error) || (producing && !tx_free(t))) {
            r->backpressure++;
            if (!sent) {
                sleep_ns(BACKOFF_NS);
            }
        } else if (error) {
            sleep_ns(BACKOFF_NS);
        } else if (producing && c->rate_pps && !n) {
            uint64_t due = net_pacer_next_due(&pacer);
            now = clock_now_ns();
            if (due > now + SLEEP_MIN_NS) {
                uint64_t wake = MIN(due, next_report) - SLEEP_SLACK_NS;
                if (wake > now) {
                    sleep_ns(wake - now);
                }
            }
        }

        now = clock_now_ns();
        if (now >= next_report) {
            account_device_drops(c, r, completed, drops_base);
            report(c, r, start, now, &last_report, &last_frames);
            next_report += interval;
            if (next_report <= now) {
                next_report = now + interval;
            }
        }
    }
    uint64_t now = clock_now_ns();
    account_device_drops(c, r, completed, drops_base);
    if (r->tx_frames > last_frames) {
        report(c, r, start, now, &last_report, &last_frames);
    }
    r->seconds = (double) (last_tx_ns - start) / NS_PER_S;
    r->skipped = pacer.skipped;
    return 0;
}

int
net_gen_run(const struct net_gen_config *c, struct net_gen_result *r)
{
    struct net_if_info info;
    struct net_frame_spec spec = c->spec;
    struct tx t;
    int error;

    memset(r, 0, sizeof *r);
    error = net_frame_spec_check(&spec);
    if (error) {
        return error;
    }
    error = net_if_lookup(c->dev, &info);
    if (error) {
        return error;
    }
    size_t l3_len = spec.size - 14 - (spec.vlan >= 0 ? 4 : 0);
    if (l3_len > info.mtu) {
        return -EMSGSIZE;
    }
    if (c->src_mac_from_dev) {
        memcpy(spec.src_mac, info.mac, 6);
    }
    uint8_t *template = xmalloc(spec.size);
    net_frame_build(&spec, template);

    struct net_gen_config local = *c;
    local.spec = spec;
    if (c->method == NET_TX_AUTO) {
        /* AF_XDP where it works, else the TX ring. */
        local.method = spec.size <= NET_AFXDP_MAX_FRAME ? NET_TX_XDP : NET_TX_RING;
        error = tx_open(&t, &local, info.ifindex, template);
        if (error && local.method == NET_TX_XDP) {
            LOG_INFO("%s: AF_XDP unavailable (%s); using the TX ring", c->dev,
                     strerror(-error));
            local.method = NET_TX_RING;
            error = tx_open(&t, &local, info.ifindex, template);
        }
    } else {
        error = tx_open(&t, &local, info.ifindex, template);
    }
    free(template);
    r->method = local.method;
    if (error) {
        return error;
    }
    error = run_loop(&local, &t, r);
    if (t.method == NET_TX_RING) {
        r->wrong_format = t.ring.wrong_format;
    }
    tx_close(&t);
    return error;
}
