#include "dp/datapath.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dp/actions.h"
#include "dp/datapath-private.h"
#include "dp/dp-xdp.h"
#include "dp/upcall-queue.h"
#include "dp/slice-sched.h"
#include "util/clock.h"
#include "util/counter.h"
#include "util/log.h"

LOG_MODULE(datapath);

COUNTER_DEFINE(dp_drop_malformed, "frames shorter than an Ethernet header");
COUNTER_DEFINE(dp_truncated_header, "frames with a truncated header after Ethernet (still forwarded)");
COUNTER_DEFINE(dp_drop_rx_config, "frames dropped on receive: port NO_RECV or down");
COUNTER_DEFINE(dp_drop_frag, "IPv4 fragments dropped (OFPC_FRAG_DROP)");

#define DP_EXPIRE_INTERVAL_MS 100
#define DP_LINK_POLL_INTERVAL_MS 1000

struct datapath *
dp_create(size_t max_flows)
{
    struct datapath *dp = xzalloc(sizeof *dp);
    flow_table_init(&dp->table, max_flows);
    flow_cache_init(&dp->cache);
    dp->ml = mac_learning_create(0, 0);
    dp->buffers = packet_buffers_create();
    dp->list = xcalloc(DP_MAX_PORTS + 1, sizeof *dp->list);
    dp->dirty = xcalloc(DP_MAX_PORTS + 1, sizeof *dp->dirty);
    dp->miss_mode = DP_MISS_UPCALL;
    dp->upcalls = upcall_queue_create(0);
    dp_set_upcall_limit(dp, DP_UPCALL_RATE, DP_UPCALL_BURST);
    return dp;
}

void
dp_destroy(struct datapath *dp)
{
    if (!dp) {
        return;
    }
    dp_flush(dp);
    while (dp->n_ports) {
        dp_port_del(dp, dp->list[dp->n_ports - 1]->port_no);
    }
    dp_xdp_destroy(dp->xdp);
    dp->xdp = NULL;
    upcall_queue_destroy(dp->upcalls);
    flow_table_destroy(&dp->table);
    flow_cache_destroy(&dp->cache);
    mac_learning_destroy(dp->ml);
    packet_buffers_destroy(dp->buffers);
    free(dp->list);
    free(dp->dirty);
    free(dp->clones);
    free(dp);
}

/* Sort key: LOCAL after every numbered port. */
static uint32_t
port_order(uint16_t port_no)
{
    return port_no == OFPP_LOCAL ? DP_MAX_PORTS : port_no;
}

int
dp_port_add_open(struct datapath *dp, struct port *port, uint16_t port_no)
{
    if (!port_no) {
        for (port_no = 1; port_no < DP_MAX_PORTS && dp->ports[port_no]; port_no++) {
            continue;
        }
        if (port_no == DP_MAX_PORTS) {
            port_close(port);
            return -ENOSPC;
        }
    } else if (port_no >= DP_MAX_PORTS && port_no != OFPP_LOCAL) {
        port_close(port);
        return -EINVAL;
    }
    if (dp_port_lookup(dp, port_no)) {
        port_close(port);
        return -EEXIST;
    }
    struct dp_port *p = xzalloc(sizeof *p);
    p->port = port;
    p->port_no = port_no;
    p->link_up = port_is_link_up(port) && port_is_admin_up(port);
    if (port_no == OFPP_LOCAL) {
        dp->local = p;
    } else {
        dp->ports[port_no] = p;
    }
    size_t i = dp->n_ports++;
    while (i > 0 && port_order(dp->list[i - 1]->port_no) > port_order(port_no)) {
        dp->list[i] = dp->list[i - 1];
        i--;
    }
    dp->list[i] = p;
    dp_xdp_port_added(dp->xdp, p);
    LOG_INFO("port %u: %s (%s) added", port_no, port_name(port),
             dp_port_datapath(dp, port_no));
    return port_no;
}

static const char *const dp_type_names[] = {
    [DP_TYPE_AUTO] = "auto", [DP_TYPE_XDP] = "xdp",
    [DP_TYPE_AFXDP] = "afxdp", [DP_TYPE_AFPACKET] = "afpacket",
};

const char *
dp_type_name(enum dp_type t)
{
    return (size_t) t < ARRAY_SIZE(dp_type_names) ? dp_type_names[t] : "?";
}

int
dp_type_parse(const char *s, enum dp_type *t)
{
    for (size_t i = 0; i < ARRAY_SIZE(dp_type_names); i++) {
        if (!strcmp(s, dp_type_names[i])) {
            *t = (enum dp_type) i;
            return 0;
        }
    }
    return -EINVAL;
}

int
dp_set_type(struct datapath *dp, enum dp_type type, size_t xdp_flows)
{
    dp->type = type;
    if (type != DP_TYPE_XDP && type != DP_TYPE_AUTO) {
        return 0;
    }
    int error;
    dp->xdp = dp_xdp_create(dp, xdp_flows, &error);
    if (!dp->xdp) {
        if (type == DP_TYPE_XDP) {
            return error;
        }
        LOG_WARN("datapath auto: no XDP fast path (%s); ports use AF_PACKET",
                 strerror(-error));
        dp->type = DP_TYPE_AFPACKET;
    }
    return 0;
}

enum dp_type
dp_get_type(const struct datapath *dp)
{
    return dp->type;
}

const char *
dp_port_datapath(const struct datapath *dp, uint16_t port_no)
{
    struct dp_port *p = dp_port_lookup(dp, port_no);
    if (!p) {
        return NULL;
    }
    if (dp_xdp_is_fast_port(dp->xdp, p)) {
        return "xdp";
    }
    return port_type(p->port);
}

int
dp_port_add(struct datapath *dp, const char *spec, uint16_t port_no)
{
    struct port *port;
    int error;
    bool typed = strchr(spec, ':') != NULL;
    if (!typed && dp->type != DP_TYPE_AFPACKET) {
        char afxdp_spec[64];
        snprintf(afxdp_spec, sizeof afxdp_spec, "afxdp:%s", spec);
        error = port_open(afxdp_spec, &port);
        if (!error) {
            return dp_port_add_open(dp, port, port_no);
        }
        if (dp->type != DP_TYPE_AUTO || error == -ENODEV) {
            return error;
        }
        LOG_WARN("%s: XDP not available here (%s); using AF_PACKET", spec,
                 strerror(-error));
    }
    error = port_open(spec, &port);
    if (error) {
        return error;
    }
    return dp_port_add_open(dp, port, port_no);
}

int
dp_port_del(struct datapath *dp, uint16_t port_no)
{
    struct dp_port *p = dp_port_lookup(dp, port_no);
    if (!p) {
        return -ENOENT;
    }
    dp_flush(dp);
    dp_xdp_port_removed(dp->xdp, p);
    size_t i = 0;
    while (dp->list[i] != p) {
        i++;
    }
    memmove(&dp->list[i], &dp->list[i + 1], (dp->n_ports - i - 1) * sizeof *dp->list);
    dp->n_ports--;
    if (port_no == OFPP_LOCAL) {
        dp->local = NULL;
    } else {
        dp->ports[port_no] = NULL;
    }
    mac_learning_flush_port(dp->ml, port_no);
    LOG_INFO("port %u: %s removed", port_no, port_name(p->port));
    port_close(p->port);
    free(p);
    return 0;
}

struct port *
dp_port_get(const struct datapath *dp, uint16_t port_no)
{
    struct dp_port *p = dp_port_lookup(dp, port_no);
    return p ? p->port : NULL;
}

size_t
dp_port_list(const struct datapath *dp, uint16_t *ports, size_t max)
{
    for (size_t i = 0; i < dp->n_ports && i < max; i++) {
        ports[i] = dp->list[i]->port_no;
    }
    return dp->n_ports;
}

int
dp_port_set_config(struct datapath *dp, uint16_t port_no, uint32_t config,
                   uint32_t mask)
{
    struct dp_port *p = dp_port_lookup(dp, port_no);
    if (!p) {
        return -ENOENT;
    }
    uint32_t old = p->config;
    p->config = (config & mask) | (old & ~mask);
    if ((old ^ p->config) & OFPPC_PORT_DOWN) {
        bool up = !(p->config & OFPPC_PORT_DOWN);
        int error = port_set_admin_up(p->port, up);
        if (error) {
            LOG_WARN("port %u: cannot set admin %s (%s)", port_no,
                     up ? "up" : "down", strerror(-error));
        }
    }
    if ((old ^ p->config) & (OFPPC_NO_RECV | OFPPC_PORT_DOWN)) {
        mac_learning_flush_port(dp->ml, port_no);
    }
    if (old != p->config) {
        dp_xdp_port_changed(dp->xdp, p);
    }
    return 0;
}

uint32_t
dp_port_get_config(const struct datapath *dp, uint16_t port_no)
{
    struct dp_port *p = dp_port_lookup(dp, port_no);
    return p ? p->config : 0;
}

bool
dp_port_is_up(const struct datapath *dp, uint16_t port_no)
{
    struct dp_port *p = dp_port_lookup(dp, port_no);
    return p && p->link_up;
}

int
dp_port_get_stats(const struct datapath *dp, uint16_t port_no,
                  struct port_stats *s)
{
    struct dp_port *p = dp_port_lookup(dp, port_no);
    if (!p) {
        return -ENOENT;
    }
    port_get_stats(p->port, s);
    s->rx_dropped += p->rx_dropped;
    s->tx_dropped += p->tx_dropped;
    s->rx_errors += p->rx_errors;
    if (dp->xdp) {
        /* Frames the XDP fast path received and sent without us. */
        struct dp_xdp_port_stats x;
        dp_xdp_port_stats(dp->xdp, port_no, &x);
        s->rx_packets += x.rx_packets;
        s->rx_bytes += x.rx_bytes;
        s->tx_packets += x.tx_packets;
        s->tx_bytes += x.tx_bytes;
        s->rx_dropped += x.rx_dropped;
    }
    return 0;
}

int
dp_port_get_queue_stats(const struct datapath *dp, uint16_t port_no,
                        uint32_t queue_id, uint64_t *tx_packets,
                        uint64_t *tx_bytes)
{
    struct dp_port *p = dp_port_lookup(dp, port_no);
    for (size_t i = 0; p && i < p->n_queues; i++) {
        if (p->queues[i].queue_id == queue_id) {
            *tx_packets = p->queues[i].tx_packets;
            *tx_bytes = p->queues[i].tx_bytes;
            return 0;
        }
    }
    return -ENOENT;
}

size_t
dp_port_list_queues(const struct datapath *dp, uint16_t port_no,
                    uint32_t *queue_ids, size_t max)
{
    struct dp_port *p = dp_port_lookup(dp, port_no);
    if (!p) {
        return 0;
    }
    for (size_t i = 0; i < p->n_queues && i < max; i++) {
        queue_ids[i] = p->queues[i].queue_id;
    }
    return p->n_queues;
}

size_t
dp_get_wait_fds(const struct datapath *dp, int *fds, size_t max)
{
    for (size_t i = 0; i < dp->n_ports && i < max; i++) {
        fds[i] = port_wait_fd(dp->list[i]->port);
    }
    return dp->n_ports;
}

struct flow_table *dp_flow_table(struct datapath *dp) { return &dp->table; }
struct packet_buffers *dp_packet_buffers(struct datapath *dp) { return dp->buffers; }
struct mac_learning *dp_mac_learning(struct datapath *dp) { return dp->ml; }

void
dp_set_upcall_cb(struct datapath *dp, dp_upcall_cb *cb, void *aux)
{
    dp->upcall_cb = cb;
    dp->upcall_aux = aux;
}

void
dp_set_port_status_cb(struct datapath *dp, dp_port_status_cb *cb, void *aux)
{
    dp->status_cb = cb;
    dp->status_aux = aux;
}

void
dp_set_miss_mode(struct datapath *dp, enum dp_miss_mode mode)
{
    dp->miss_mode = mode;
}

void
dp_set_upcall_limit(struct datapath *dp, uint32_t per_sec, uint32_t burst)
{
    token_bucket_init(&dp->upcall_tb, per_sec, burst ? burst : 1, clock_now_ms());
}

void
dp_set_frag_drop(struct datapath *dp, bool drop)
{
    dp->frag_drop = drop;
    dp_xdp_set_frag_drop(dp->xdp, drop);
}

void
dp_revalidate(struct datapath *dp)
{
    dp_xdp_revalidate(dp->xdp);
}

void
dp_sync_flow_stats(struct datapath *dp)
{
    dp_xdp_sync_stats(dp->xdp);
}

void
dp_get_slice_fast_stats(const struct datapath *dp, uint32_t slice,
                        struct dp_slice_fast_stats *s)
{
    dp_xdp_slice_info(dp->xdp, slice, s);
    struct upcall_queue_stats q;
    upcall_queue_get_stats(dp->upcalls, slice, &q);
    s->upcalls = q.queued;
    s->upcalls_delivered = q.delivered;
    s->upcall_drops = q.dropped;
}

bool
dp_get_fastpath_stats(const struct datapath *dp, struct dp_fastpath_stats *s)
{
    memset(s, 0, sizeof *s);
    if (!dp->xdp) {
        return false;
    }
    dp_xdp_get_stats(dp->xdp, s);
    return true;
}


/* Frames of one batch that matched the same flow. */
struct flow_group {
    struct flow_entry *flow;
    uint32_t n, bytes;
    uint8_t idx[PACKET_BATCH_MAX];
};

void
dp_process_batch(struct datapath *dp, uint16_t in_port,
                 struct packet_batch *batch)
{
    struct flow_key keys[PACKET_BATCH_MAX];
    struct flow_group groups[PACKET_BATCH_MAX];
    size_t n_groups = 0;
    uint8_t misses[PACKET_BATCH_MAX];
    size_t n_misses = 0;
    struct dp_port *inp = dp_port_lookup(dp, in_port);
    uint32_t version = dp->table.version;
    bool fast_in = dp_xdp_is_fast_port(dp->xdp, inp);
    bool had_storage[PACKET_BATCH_MAX];
    for (unsigned int i = 0; i < batch->n; i++) {
        had_storage[i] = batch->pkts[i]->storage != NULL;
    }

    dp->now_ms = clock_now_ms();
    for (unsigned int i = 0; i < batch->n; i++) {
        struct packet *pkt = batch->pkts[i];
        struct flow_layout lay;
        pkt->in_port = in_port;
        int error = flow_extract(pkt, in_port, &keys[i], &lay);
        if (UNLIKELY(error)) {
            if (error == -EINVAL) {
                counter_inc(&dp_drop_malformed);
                dp->stats.n_malformed++;
                if (inp) {
                    inp->rx_errors++;
                }
                continue;
            }
            counter_inc(&dp_truncated_header);
        }
        /* nw_frag is set only from a valid IPv4 header. */
        if (UNLIKELY(dp->frag_drop) && lay.nw_frag) {
            counter_inc(&dp_drop_frag);
            continue;
        }

        const void *result;
        uint32_t hash = flow_cache_hash(&keys[i]);
        if (LIKELY(flow_cache_lookup(&dp->cache, &keys[i], hash, version, &result))) {
            dp->stats.n_cache_hits++;
        } else {
            result = flow_table_classify(&dp->table, &keys[i]);
            flow_cache_insert(&dp->cache, &keys[i], hash, version, result);
        }
        if (fast_in && result && !error) {
            /* The kernel missed this key (every frame from a fast port
             * did): give it the answer, if it can use it. */
            dp_xdp_install(dp->xdp, &keys[i], (struct flow_entry *) result);
        }
        struct flow_entry *flow = (struct flow_entry *) result;
        if (!flow) {
            misses[n_misses++] = (uint8_t) i;
            continue;
        }
        /* Frames of one flow usually come together: try the last group. */
        size_t g = n_groups;
        if (g && groups[g - 1].flow == flow) {
            g--;
        } else {
            for (g = 0; g < n_groups && groups[g].flow != flow; g++) {
                continue;
            }
            if (g == n_groups) {
                groups[n_groups].flow = flow;
                groups[n_groups].n = groups[n_groups].bytes = 0;
                n_groups++;
            }
        }
        groups[g].idx[groups[g].n++] = (uint8_t) i;
        groups[g].bytes += pkt->len;
    }

    /* Nothing below calls out of the datapath (upcalls are queued and
     * handed over after the batch), so the flows found above stay valid. */
    uint64_t matched = 0;
    for (size_t g = 0; g < n_groups; g++) {
        struct flow_group *grp = &groups[g];
        flow_entry_account(grp->flow, grp->n, grp->bytes, dp->now_ms);
        matched += grp->n;
        for (uint32_t j = 0; j < grp->n; j++) {
            unsigned int i = grp->idx[j];
            dp_actions_execute(dp, batch->pkts[i], &keys[i], in_port,
                               grp->flow->actions, grp->flow->n_actions, false);
        }
    }
    for (size_t j = 0; j < n_misses; j++) {
        unsigned int i = misses[j];
        dp_handle_miss(dp, batch->pkts[i], &keys[i], in_port);
    }
    dp_flush(dp);
    dp_drain_upcalls(dp);

    dp->stats.n_packets += batch->n;
    dp->stats.n_matched += matched;
    dp->table.lookups += batch->n;
    dp->table.matched += matched;

    /* A VLAN push without headroom gave a frame malloc'd storage.  A
     * frame lent by a port (no storage of its own) must not keep it; a
     * frame that came with storage is the caller's, and so is whatever
     * storage it has now (packet_grow_front() replaced the old one). */
    for (unsigned int i = 0; i < batch->n; i++) {
        struct packet *pkt = batch->pkts[i];
        if (UNLIKELY(pkt->storage != NULL) && !had_storage[i]) {
            free(pkt->storage);
            pkt->storage = NULL;
        }
    }
}

int
dp_execute(struct datapath *dp, const struct packet *pkt_, uint16_t in_port,
           const struct ofp_action *actions, size_t n_actions)
{
    struct flow_key key;
    struct packet *pkt = packet_clone(pkt_);
    dp->now_ms = clock_now_ms();
    pkt->in_port = in_port;
    if (flow_extract(pkt, in_port, &key, NULL) == -EINVAL) {
        packet_destroy(pkt);
        return -EINVAL;
    }
    dp_actions_execute(dp, pkt, &key, in_port, actions, n_actions, true);
    dp_flush(dp);
    packet_destroy(pkt);
    dp_drain_upcalls(dp);
    return 0;
}

void
dp_expire(struct datapath *dp)
{
    dp_xdp_sync_stats(dp->xdp);         /* Idle timeouts see kernel hits. */
    uint64_t now = clock_now_ms();
    flow_table_expire(&dp->table, now);
    mac_learning_expire(dp->ml, now);
    packet_buffers_expire(dp->buffers, now);
}

static void
poll_links(struct datapath *dp)
{
    for (size_t i = 0; i < dp->n_ports; i++) {
        struct dp_port *p = dp->list[i];
        bool up;
        if (port_poll_link_change(p->port, &up) == 1 && up != p->link_up) {
            p->link_up = up;
            if (!up) {
                mac_learning_flush_port(dp->ml, p->port_no);
            }
            dp_xdp_port_changed(dp->xdp, p);
            LOG_INFO("port %u: link %s", p->port_no, up ? "up" : "down");
            if (dp->status_cb) {
                dp->status_cb(p->port_no, up, dp->status_aux);
            }
        }
    }
}

void
dp_set_slice_sched(struct datapath *dp, struct slice_sched *sched, size_t budget)
{
    dp->sched = sched;
    dp->sched_budget = budget;
    /* Upcalls are shared out by the same weights. */
    for (uint32_t id = 0; id < UPCALL_QUEUE_SLICES; id++) {
        struct slice_sched_stats st;
        uint32_t w = 1;
        if (sched && id < SLICE_SCHED_MAX_SLICES
            && !slice_sched_get_stats(sched, id, &st) && st.weight) {
            w = st.weight;
        }
        upcall_queue_set_weight(dp->upcalls, id, w);
    }
    dp_xdp_set_slices(dp->xdp, sched);
}

struct slice_sched *
dp_slice_sched(const struct datapath *dp)
{
    return dp->sched;
}

/* Processes frames dequeued from the scheduler: consecutive frames from
 * the same input port go through dp_process_batch() together; the time is
 * charged to the frames' slices evenly. */
static void
process_scheduled(struct datapath *dp, struct packet_batch *b)
{
    unsigned int i = 0;
    while (i < b->n) {
        struct packet_batch run;
        uint16_t in_port = b->pkts[i]->in_port;
        packet_batch_init(&run);
        while (i < b->n && b->pkts[i]->in_port == in_port) {
            run.pkts[run.n++] = b->pkts[i++];
        }
        uint32_t slices[PACKET_BATCH_MAX];
        for (unsigned int k = 0; k < run.n; k++) {
            slices[k] = run.pkts[k]->slice;
        }
        uint64_t start = clock_now_ns();
        dp_process_batch(dp, in_port, &run);
        uint64_t per_frame = (clock_now_ns() - start) / run.n;
        for (unsigned int k = 0; k < run.n; k++) {
            slice_sched_charge_cpu(dp->sched, slices[k], per_frame);
        }
    }
}

static int
run_sliced(struct datapath *dp)
{
    size_t n = dp->n_ports;
    int total = 0;
    for (size_t k = 0; k < n; k++) {
        struct dp_port *p = dp->list[k];
        struct packet_batch b;
        int got = port_recv(p->port, &b);
        if (got <= 0) {
            continue;
        }
        total += got;
        if (UNLIKELY(p->config & (OFPPC_NO_RECV | OFPPC_PORT_DOWN))) {
            p->rx_dropped += (uint64_t) got;
            counter_add(&dp_drop_rx_config, (uint64_t) got);
        } else if (dp_xdp_is_fast_port(dp->xdp, p)) {
            /* The XDP fast path already held each slice to its share of
             * the slow path (dp-xdp.c's policers), before the ring: no
             * second queue, no copy. */
            dp_process_batch(dp, p->port_no, &b);
        } else {
            /* Queued frames outlive the ring slots: the scheduler holds
             * copies (one copy per frame is the price of fairness across
             * passes). */
            for (unsigned int i = 0; i < b.n; i++) {
                struct packet *copy = packet_clone(b.pkts[i]);
                copy->in_port = p->port_no;
                if (!slice_sched_enqueue(dp->sched, copy)) {
                    packet_destroy(copy);               /* Queue full. */
                }
            }
        }
        port_recv_done(p->port, &b);
    }
    size_t budget = dp->sched_budget ? dp->sched_budget : 64 * MAX(n, (size_t) 1);
    size_t done = 0;
    while (done < budget && slice_sched_backlog(dp->sched)) {
        struct packet_batch b;
        packet_batch_init(&b);
        size_t got = slice_sched_dequeue(dp->sched, &b, MIN(budget - done,
                                                            (size_t) PACKET_BATCH_MAX));
        if (!got) {
            break;
        }
        process_scheduled(dp, &b);
        for (unsigned int i = 0; i < b.n; i++) {
            packet_destroy(b.pkts[i]);
        }
        done += got;
    }
    return total;
}

int
dp_run_once(struct datapath *dp)
{
    int total = 0;
    size_t n = dp->n_ports;
    if (dp->sched) {
        total = run_sliced(dp);
        n = 0;
    }
    for (size_t k = 0; k < n; k++) {
        struct dp_port *p = dp->list[(dp->rr_next + k) % n];
        struct packet_batch batch;
        int got = port_recv(p->port, &batch);
        if (got <= 0) {
            if (got < 0) {
                static struct log_ratelimit rl = LOG_RATELIMIT_INIT(5, 10);
                LOG_RL(&rl, LOG_LEVEL_WARN, "port %u: receive failed (%s)",
                       p->port_no, strerror(-got));
            }
            continue;
        }
        if (UNLIKELY(p->config & (OFPPC_NO_RECV | OFPPC_PORT_DOWN))) {
            p->rx_dropped += (uint64_t) got;
            counter_add(&dp_drop_rx_config, (uint64_t) got);
        } else {
            dp_process_batch(dp, p->port_no, &batch);
        }
        port_recv_done(p->port, &batch);
        total += got;
    }
    if (n) {
        dp->rr_next = (dp->rr_next + 1) % n;
    }

    uint64_t now = clock_now_ms();
    if (now >= dp->next_expire_ms) {
        dp->next_expire_ms = now + DP_EXPIRE_INTERVAL_MS;
        dp_xdp_run(dp->xdp);
        dp_expire(dp);
    }
    if (now >= dp->next_link_poll_ms) {
        dp->next_link_poll_ms = now + DP_LINK_POLL_INTERVAL_MS;
        poll_links(dp);
    }
    dp_drain_upcalls(dp);
    dp_xdp_revalidate(dp->xdp);
    return total;
}

void
dp_get_stats(const struct datapath *dp, struct dp_stats *s)
{
    *s = dp->stats;
}
