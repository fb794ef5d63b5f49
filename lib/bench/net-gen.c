/* net-gen — see net-gen.h. */
#include "net-gen.h"

#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dp/port.h"
#include "dp/xsk.h"
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
    return m == NET_TX_AFPACKET ? "afpacket" : m == NET_TX_XDP ? "xdp" : "auto";
}

int
net_tx_method_parse(const char *name, enum net_tx_method *m)
{
    if (!strcmp(name, "afpacket") || !strcmp(name, "ring") || !strcmp(name, "mmsg")) {
        *m = NET_TX_AFPACKET;
    } else if (!strcmp(name, "xdp")) {
        *m = NET_TX_XDP;
    } else if (!strcmp(name, "auto")) {
        *m = NET_TX_AUTO;
    } else {
        return -EINVAL;
    }
    return 0;
}

void
net_gen_result_destroy(struct net_gen_result *r)
{
    if (r) {
        net_series_destroy(&r->series);
    }
}

/* The generator's transmit side: an AF_XDP socket (lib/dp/xsk.h) whose
 * chunks hold the frame, or lib/dp's afpacket port fed from `cap` prebuilt
 * frames: frames [head, queued) wait for port_send(). */
struct tx {
    enum net_tx_method method;
    struct xsk xsk;
    struct port *port;
    size_t len;
    unsigned int cap, head, queued, done;
    uint8_t *bufs;
    struct packet *pkts;
    struct packet **ptrs;
    uint64_t refused;           /* Frames the port counted in tx_errors. */
    uint64_t tx_errors;         /* The port's tx_errors when last read. */
};

static unsigned int
tx_free(const struct tx *t)
{
    return t->method == NET_TX_XDP ? xsk_tx_free(&t->xsk) : t->cap - t->queued;
}

static unsigned int
tx_pending(const struct tx *t)
{
    return t->method == NET_TX_XDP ? xsk_tx_pending(&t->xsk) : t->queued - t->head;
}

/* tx_free(t) must be > 0. */
static void
tx_queue(struct tx *t, size_t marker_offset, uint32_t seq, uint64_t now)
{
    if (t->method == NET_TX_XDP) {
        net_frame_stamp(xsk_tx_buf(&t->xsk), marker_offset, seq, now);
        xsk_tx_post(&t->xsk, (uint32_t) t->len);
    } else {
        net_frame_stamp(t->bufs + (size_t) t->queued * t->len, marker_offset, seq, now);
        t->queued++;
    }
}

static uint64_t
port_tx_errors(const struct port *port)
{
    struct port_stats s;
    port_get_stats(port, &s);
    return s.tx_errors;
}

/* afpacket: port_send() of the waiting frames, a batch at a time.  What it
 * does not take (back-pressure past its ~1 ms budget) stays queued: -EAGAIN.
 * Frames it refused (tx_errors: interface down, bad frame) are dropped and
 * counted: -ENETDOWN if nothing went out. */
static int
port_flush(struct tx *t)
{
    while (t->head < t->queued) {
        unsigned int n = MIN(t->queued - t->head, (unsigned int) PACKET_BATCH_MAX);
        unsigned int sent = (unsigned int) port_send(t->port, &t->ptrs[t->head], n);
        unsigned int refused = 0;
        if (sent < n) {         /* Reading the counters costs a syscall. */
            uint64_t errors = port_tx_errors(t->port);
            refused = (unsigned int) MIN(errors - t->tx_errors, (uint64_t) (n - sent));
            t->tx_errors = errors;
        }
        t->head += sent + refused;
        t->done += sent;
        t->refused += refused;
        if (sent + refused < n) {
            return -EAGAIN;
        } else if (refused && !sent) {
            return -ENETDOWN;
        }
    }
    t->head = t->queued = 0;
    return 0;
}

static int
tx_flush(struct tx *t)
{
    return t->method == NET_TX_XDP ? xsk_tx_kick(&t->xsk) : port_flush(t);
}

/* Frames sent since the last call. */
static unsigned int
tx_reclaim(struct tx *t)
{
    if (t->method == NET_TX_XDP) {
        return xsk_tx_reclaim(&t->xsk);
    }
    unsigned int done = t->done;
    t->done = 0;
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

static void
tx_close(struct tx *t)
{
    xsk_close(&t->xsk);
    port_close(t->port);
    t->port = NULL;
    free(t->bufs);
    free(t->pkts);
    free(t->ptrs);
    t->bufs = NULL;
    t->pkts = NULL;
    t->ptrs = NULL;
}

static int
tx_open_port(struct tx *t, const char *dev, const uint8_t *template, unsigned int cap)
{
    char spec[32];
    snprintf(spec, sizeof spec, "afpacket:%s", dev);
    /* No back-pressure wait inside port_send() (unless the user set one):
     * the loop sleeps BACKOFF_NS itself instead of the port spinning. */
    setenv("PLURAL_AFPACKET_TX_WAIT_US", "0", 0);
    int error = port_open(spec, &t->port);
    if (error) {
        return error;
    }
    t->cap = cap;
    t->bufs = xmalloc((size_t) cap * t->len);
    t->pkts = xcalloc(cap, sizeof *t->pkts);
    t->ptrs = xcalloc(cap, sizeof *t->ptrs);
    for (unsigned int i = 0; i < cap; i++) {
        uint8_t *frame = t->bufs + (size_t) i * t->len;
        memcpy(frame, template, t->len);
        t->pkts[i].data = frame;
        t->pkts[i].len = t->pkts[i].room = (uint32_t) t->len;
        t->ptrs[i] = &t->pkts[i];
    }
    t->tx_errors = port_tx_errors(t->port);
    return 0;
}

static int
tx_open(struct tx *t, const struct net_gen_config *c, int ifindex,
        const uint8_t *template)
{
    memset(t, 0, sizeof *t);
    t->xsk.fd = -1;
    t->method = c->method;
    t->len = c->spec.size;
    if (c->method == NET_TX_AFPACKET) {
        return tx_open_port(t, c->dev, template, c->batch);
    } else if (c->spec.size > NET_GEN_XDP_MAX_FRAME) {
        return -EMSGSIZE;
    }
    int error = xsk_open(&t->xsk, ifindex, 0);
    if (!error) {
        xsk_tx_prefill(&t->xsk, template, t->len);
    }
    return error;
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

/* The interface's index, MAC and MTU (of the current namespace).  Returns
 * 0, -ENODEV or another negative errno. */
static int
dev_lookup(const char *dev, int *ifindex, uint8_t mac[6], int *mtu)
{
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    if (!dev[0] || strlen(dev) >= sizeof ifr.ifr_name) {
        return -ENODEV;
    }
    strcpy(ifr.ifr_name, dev);
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -errno;
    }
    int error = 0;
    if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0) {
        error = errno == ENODEV ? -ENODEV : -errno;
    } else {
        *ifindex = ifr.ifr_ifindex;
        if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
            error = -errno;
        } else {
            memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
            error = ioctl(fd, SIOCGIFMTU, &ifr) < 0 ? -errno : 0;
            *mtu = ifr.ifr_mtu;
        }
    }
    close(fd);
    return error;
}

int
net_gen_run(const struct net_gen_config *c, struct net_gen_result *r)
{
    struct net_frame_spec spec = c->spec;
    uint8_t mac[6];
    int ifindex = 0, mtu = 0;
    struct tx t;
    int error;

    memset(r, 0, sizeof *r);
    error = net_frame_spec_check(&spec);
    if (error) {
        return error;
    }
    error = dev_lookup(c->dev, &ifindex, mac, &mtu);
    if (error) {
        return error;
    }
    size_t l3_len = spec.size - 14 - (spec.vlan >= 0 ? 4 : 0);
    if (mtu < 0 || l3_len > (size_t) mtu) {
        return -EMSGSIZE;
    }
    if (c->src_mac_from_dev) {
        memcpy(spec.src_mac, mac, 6);
    }
    uint8_t *template = xmalloc(spec.size);
    net_frame_build(&spec, template);

    struct net_gen_config local = *c;
    local.spec = spec;
    if (c->method == NET_TX_AUTO) {
        /* AF_XDP where it works, else afpacket. */
        local.method = spec.size <= NET_GEN_XDP_MAX_FRAME ? NET_TX_XDP : NET_TX_AFPACKET;
        error = tx_open(&t, &local, ifindex, template);
        if (error && local.method == NET_TX_XDP) {
            LOG_INFO("%s: AF_XDP unavailable (%s); using afpacket", c->dev,
                     strerror(-error));
            tx_close(&t);
            local.method = NET_TX_AFPACKET;
            error = tx_open(&t, &local, ifindex, template);
        }
    } else {
        error = tx_open(&t, &local, ifindex, template);
    }
    free(template);
    r->method = local.method;
    if (!error) {
        error = run_loop(&local, &t, r);
        r->wrong_format = t.refused;
    }
    tx_close(&t);
    return error;
}
