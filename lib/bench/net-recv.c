/* net-recv — see net-recv.h. */
#include "net-recv.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dp/port.h"
#include "net-frame.h"
#include "util/clock.h"
#include "util/log.h"

LOG_MODULE(bench_net_recv);

#define NS_PER_MS 1000000ull
#define NS_PER_S 1000000000ull
#define POLL_MS 50
#define RECV_BATCHES_MAX 64

void
net_recv_config_init(struct net_recv_config *c)
{
    memset(c, 0, sizeof *c);
    c->method = "afpacket";
    c->duration_ms = 10000;
    c->report_interval_ms = 1000;
}

void
net_recv_result_destroy(struct net_recv_result *r)
{
    if (r) {
        net_series_destroy(&r->series);
    }
}

struct recv_state {
    struct net_recv_result *r;
    uint64_t first_ns, last_ns;
};

/* Counts one received frame (the port put back any VLAN tag the kernel
 * had stripped: len is the length on the wire without FCS). */
static void
on_frame(struct recv_state *s, const struct packet *p)
{
    uint32_t seq;
    uint64_t tx_ns;

    if (!net_frame_parse_marker(p->data, p->len, &seq, &tx_ns)) {
        s->r->other_frames++;
        return;
    }
    net_seq_add(&s->r->seq, seq);
    s->r->rx_frames++;
    s->r->rx_bytes += p->len;
}

/* Waits up to timeout_ms for frames and counts the frames ready (at most
 * RECV_BATCHES_MAX batches, so reports and stops stay on time under a
 * flood).  Returns how many, or -errno. */
static int
recv_poll(struct port *port, int timeout_ms, struct recv_state *s)
{
    struct packet_batch batch;
    int total = 0, n = 0;

    struct pollfd pfd = { .fd = port_wait_fd(port), .events = POLLIN };
    if (poll(&pfd, 1, timeout_ms) < 0 && errno != EINTR) {
        return -errno;
    }
    for (int k = 0; k < RECV_BATCHES_MAX && (n = port_recv(port, &batch)) > 0; k++) {
        for (int i = 0; i < n; i++) {
            on_frame(s, batch.pkts[i]);
        }
        port_recv_done(port, &batch);
        total += n;
    }
    return n < 0 ? n : total;
}

static void
report(const struct net_recv_config *c, struct net_recv_result *r,
       uint64_t start, uint64_t now, uint64_t *last_ns, uint64_t *last_frames,
       uint64_t *last_bytes)
{
    net_series_add(&r->series, (double) (now - start) / NS_PER_S,
                   (double) (now - *last_ns) / NS_PER_S,
                   r->rx_frames - *last_frames, r->rx_bytes - *last_bytes);
    if (c->out) {
        const struct net_interval *i = &r->series.v[r->series.n - 1];
        fprintf(c->out, "rx t=%.2f pps=%.0f mbps=%.2f total=%llu lost=%llu ooo=%llu\n",
                i->end_s, net_interval_pps(i), net_interval_mbps(i),
                (unsigned long long) r->rx_frames,
                (unsigned long long) r->seq.lost,
                (unsigned long long) r->seq.out_of_order);
        fflush(c->out);
    }
    *last_ns = now;
    *last_frames = r->rx_frames;
    *last_bytes = r->rx_bytes;
}

int
net_recv_run(const struct net_recv_config *c, struct net_recv_result *r)
{
    struct port *port;
    char spec[48];
    int error;

    memset(r, 0, sizeof *r);
    net_seq_init(&r->seq);
    snprintf(spec, sizeof spec, "%s:%s", c->method, c->dev);
    /* A deep ring (unless the user chose one): a receiver descheduled
     * under a burst must not be what drops. */
    setenv("PLURAL_AFPACKET_RX_MB", NET_RECV_RING_MB, 0);
    error = port_open(spec, &port);
    if (error) {
        return error;
    }
    if (c->out) {
        fprintf(c->out, "recv ready dev=%s method=%s\n", c->dev, c->method);
        fflush(c->out);
    }

    struct recv_state s = { .r = r };
    uint64_t start = clock_now_ns();
    uint64_t end = c->duration_ms ? start + c->duration_ms * NS_PER_MS : UINT64_MAX;
    uint64_t interval = (uint64_t) c->report_interval_ms * NS_PER_MS;
    uint64_t next_report = start + interval, last_report = start;
    uint64_t last_frames = 0, last_bytes = 0;

    for (;;) {
        uint64_t now = clock_now_ns();
        if ((c->stop && *c->stop) || now >= end
            || (c->expect && r->rx_frames >= c->expect)) {
            break;
        }
        uint64_t until = MIN(end, next_report) - now;
        int timeout = (int) MIN(until / NS_PER_MS + 1, (uint64_t) POLL_MS);
        uint64_t before = r->rx_frames;
        int n = recv_poll(port, timeout, &s);
        if (n < 0) {
            LOG_ERR("%s: receive failed: %s", c->dev, strerror(-n));
            error = n;
            break;
        }
        now = clock_now_ns();
        if (r->rx_frames != before) {
            if (!s.first_ns) {
                s.first_ns = now;
            }
            s.last_ns = now;
        }
        if (now >= next_report) {
            report(c, r, start, now, &last_report, &last_frames, &last_bytes);
            next_report += interval;
            if (next_report <= now) {
                next_report = now + interval;
            }
        }
    }
    uint64_t now = clock_now_ns();
    if (r->rx_frames > last_frames || !r->series.n) {
        report(c, r, start, now, &last_report, &last_frames, &last_bytes);
    }
    struct port_stats st;
    port_get_stats(port, &st);
    r->ring_drops = st.rx_dropped;
    port_close(port);

    r->lost = r->seq.lost;
    r->out_of_order = r->seq.out_of_order;
    if (c->expect && c->expect > r->rx_frames) {
        r->lost = c->expect - r->rx_frames;
    }
    r->seconds = s.first_ns ? (double) (s.last_ns - s.first_ns) / NS_PER_S : 0;
    return error;
}
