#include "dp/actions.h"

#include <errno.h>
#include <stdlib.h>
#include "pkt/packet-edit.h"
#include "dp/slice-sched.h"
#include "dp/upcall-queue.h"
#include "util/clock.h"
#include "pkt/packet-offload.h"
#include "util/counter.h"
#include "util/log.h"

LOG_MODULE(dp_actions);

COUNTER_DEFINE(dp_drop_port_config, "frames not sent: output port NO_FWD, down or link down");
COUNTER_DEFINE(dp_drop_no_port, "frames sent to a port number that does not exist");
COUNTER_DEFINE(dp_drop_to_in_port, "frames output to their input port without OFPP_IN_PORT");
COUNTER_DEFINE(dp_drop_no_match, "table misses dropped (fail-secure without controller)");
COUNTER_DEFINE(dp_upcall_ratelimited, "upcalls dropped by the upcall rate limit");
COUNTER_DEFINE(dp_upcall_no_packet_in, "upcalls suppressed by OFPPC_NO_PACKET_IN");
COUNTER_DEFINE(dp_upcall_no_handler, "upcalls dropped: no controller callback");
COUNTER_DEFINE(dp_upcall_gso_sw, "GSO super-frames cut into segments in software for the controller");
COUNTER_DEFINE(dp_upcall_bad_offload, "upcalls dropped: offload state that could not be resolved");
COUNTER_DEFINE(dp_frame_copies, "frames copied because an action changed them after output");

static void
send_port(struct dp_port *p)
{
    if (p->n_out) {
        port_send(p->port, p->out, p->n_out);
        p->n_out = 0;
    }
}

void
dp_flush(struct datapath *dp)
{
    for (size_t i = 0; i < dp->n_dirty; i++) {
        struct dp_port *p = dp->dirty[i];
        send_port(p);
        p->dirty = false;
    }
    dp->n_dirty = 0;
    for (size_t i = 0; i < dp->n_clones; i++) {
        packet_destroy(dp->clones[i]);
    }
    dp->n_clones = 0;
}

static bool
can_send(struct dp_port *p)
{
    if ((p->config & (OFPPC_NO_FWD | OFPPC_PORT_DOWN)) || !p->link_up) {
        p->tx_dropped++;
        counter_inc(&dp_drop_port_config);
        return false;
    }
    return true;
}

/* Queues pkt on p (sending at once when the queue is full). */
static void
queue_on(struct datapath *dp, struct dp_port *p, struct packet *pkt)
{
    if (!can_send(p)) {
        return;
    }
    if (p->n_out == PACKET_BATCH_MAX) {
        send_port(p);
    }
    p->out[p->n_out++] = pkt;
    if (!p->dirty) {
        p->dirty = true;
        dp->dirty[dp->n_dirty++] = p;
    }
}

static void
output(struct datapath *dp, struct packet *pkt, uint16_t port_no,
       uint16_t in_port)
{
    if (port_no == in_port) {
        counter_inc(&dp_drop_to_in_port);
        return;
    }
    struct dp_port *p = dp_port_lookup(dp, port_no);
    if (!p) {
        counter_inc(&dp_drop_no_port);
        return;
    }
    queue_on(dp, p, pkt);
}

/* FLOOD (honour NO_FLOOD) or ALL: every port but the input one. */
static void
flood(struct datapath *dp, struct packet *pkt, uint16_t in_port, bool all)
{
    for (size_t i = 0; i < dp->n_ports; i++) {
        struct dp_port *p = dp->list[i];
        if (p->port_no != in_port && (all || !(p->config & OFPPC_NO_FLOOD))) {
            queue_on(dp, p, pkt);
        }
    }
}

static void
normal(struct datapath *dp, struct packet *pkt, const struct flow_key *key,
       uint16_t in_port)
{
    uint16_t vlan = key->dl_vlan == FLOW_VLAN_NONE ? 0 : key->dl_vlan;
    if (dp_port_lookup(dp, in_port)) {
        mac_learning_learn(dp->ml, key->dl_src, vlan, in_port, dp->now_ms);
    }
    int out = eth_addr_is_multicast(key->dl_dst)
              ? MAC_LEARNING_NO_PORT
              : mac_learning_lookup(dp->ml, key->dl_dst, vlan, dp->now_ms);
    if (out == MAC_LEARNING_NO_PORT) {
        flood(dp, pkt, in_port, false);
    } else if (out != in_port) {
        output(dp, pkt, (uint16_t) out, in_port);
    }
}

static void
upcall_send(struct datapath *dp, struct packet *pkt, const struct flow_key *key,
            uint16_t in_port, uint8_t reason, uint16_t max_len)
{
    struct dp_upcall u = {
        .packet = pkt, .key = key, .in_port = in_port, .reason = reason,
        .max_len = max_len,
        .buffer_id = packet_buffers_save(dp->buffers, pkt, in_port, dp->now_ms),
    };
    dp->stats.n_upcalls++;
    dp->upcall_cb(&u, dp->upcall_aux);
}

/* The controller gets frames as they were on the wire: a partial checksum
 * is completed in place (same frame; outputs already queued stay right), a
 * GSO super-frame goes up as its segments, each with its own buffer. */
static void
upcall_offloaded(struct datapath *dp, struct packet *pkt,
                 const struct flow_key *key, uint16_t in_port, uint8_t reason,
                 uint16_t max_len)
{
    int r = packet_ol_finish(pkt);
    if (!r) {
        upcall_send(dp, pkt, key, in_port, reason, max_len);
        return;
    }
    struct packet **segs = xmalloc(PACKET_OL_MAX_SEGS * sizeof *segs);
    unsigned int n = 0;
    if (r < 0 || packet_ol_segment(pkt, segs, PACKET_OL_MAX_SEGS, &n)) {
        counter_inc(&dp_upcall_bad_offload);
        dp->stats.n_upcalls_dropped++;
    } else {
        counter_inc(&dp_upcall_gso_sw);
    }
    for (unsigned int i = 0; i < n; i++) {
        upcall_send(dp, segs[i], key, in_port, reason, max_len);
        packet_destroy(segs[i]);
    }
    free(segs);
}

/* Queues an upcall (handed to the owner by dp_drain_upcalls() after the
 * batch, never in the middle of it). */
static void
upcall(struct datapath *dp, struct packet *pkt, const struct flow_key *key,
       uint16_t in_port, uint8_t reason, uint16_t max_len)
{
    struct dp_port *p = dp_port_lookup(dp, in_port);
    if (p && (p->config & OFPPC_NO_PACKET_IN)) {
        counter_inc(&dp_upcall_no_packet_in);
        return;
    }
    if (!dp->upcall_cb) {
        counter_inc(&dp_upcall_no_handler);
        dp->stats.n_upcalls_dropped++;
        return;
    }
    uint32_t slice = dp->sched ? slice_sched_classify(dp->sched, pkt) : 0;
    if (!upcall_queue_push(dp->upcalls, slice, pkt, key, in_port, reason, max_len)) {
        counter_inc(&dp_upcall_ratelimited);
        dp->stats.n_upcalls_dropped++;
    }
}

void
dp_drain_upcalls(struct datapath *dp)
{
    struct upcall_item it;
    dp->now_ms = clock_now_ms();
    while (upcall_queue_backlog(dp->upcalls)) {
        if (dp->upcall_cb && !token_bucket_take(&dp->upcall_tb, 1, dp->now_ms)) {
            break;                      /* The rest waits for tokens. */
        }
        upcall_queue_pop(dp->upcalls, &it);
        if (!dp->upcall_cb) {
            counter_inc(&dp_upcall_no_handler);
            dp->stats.n_upcalls_dropped++;
            packet_destroy(it.pkt);
            continue;
        }
        if (UNLIKELY(it.pkt->ol_flags)) {
            upcall_offloaded(dp, it.pkt, &it.key, it.in_port, it.reason, it.max_len);
        } else {
            upcall_send(dp, it.pkt, &it.key, it.in_port, it.reason, it.max_len);
        }
        packet_destroy(it.pkt);
    }
}

void
dp_handle_miss(struct datapath *dp, struct packet *pkt,
               const struct flow_key *key, uint16_t in_port)
{
    dp->stats.n_missed++;
    switch (dp->miss_mode) {
    case DP_MISS_UPCALL:
        upcall(dp, pkt, key, in_port, OFPR_NO_MATCH, UINT16_MAX);
        break;
    case DP_MISS_DROP:
        counter_inc(&dp_drop_no_match);
        break;
    case DP_MISS_NORMAL:
        normal(dp, pkt, key, in_port);
        break;
    }
}

/* PACKET_OUT's OFPP_TABLE: the flow table decides. */
static void
resubmit(struct datapath *dp, struct packet *pkt, const struct flow_key *key,
         uint16_t in_port)
{
    struct flow_entry *e = flow_table_lookup(&dp->table, key);
    if (e) {
        flow_entry_account(e, 1, pkt->len, dp->now_ms);
        dp_actions_execute(dp, pkt, key, in_port, e->actions, e->n_actions,
                           false);
    } else {
        dp_handle_miss(dp, pkt, key, in_port);
    }
}

static void
output_action(struct datapath *dp, struct packet *pkt,
              const struct flow_key *key, uint16_t in_port, uint16_t port,
              uint16_t max_len, bool allow_table)
{
    switch (port) {
    case OFPP_IN_PORT: {
        struct dp_port *p = dp_port_lookup(dp, in_port);
        if (p) {
            queue_on(dp, p, pkt);
        }
        break;
    }
    case OFPP_TABLE:
        if (allow_table) {
            resubmit(dp, pkt, key, in_port);
        }
        break;
    case OFPP_NORMAL:
        normal(dp, pkt, key, in_port);
        break;
    case OFPP_FLOOD:
    case OFPP_ALL:
        flood(dp, pkt, in_port, port == OFPP_ALL);
        break;
    case OFPP_CONTROLLER:
        upcall(dp, pkt, key, in_port, OFPR_ACTION, max_len);
        break;
    case OFPP_NONE:
        break;
    default:                        /* A port number or OFPP_LOCAL. */
        output(dp, pkt, port, in_port);
        break;
    }
}

/* Makes `*pktp` safe to edit: if it may be queued for output, replaces it
 * with a copy (kept until dp_flush). */
static void
prepare_edit(struct datapath *dp, struct packet **pktp, bool *queued)
{
    if (!*queued) {
        return;
    }
    struct packet *copy = packet_clone(*pktp);
    if (dp->n_clones == dp->allocated_clones) {
        dp->allocated_clones = dp->allocated_clones ? dp->allocated_clones * 2 : 64;
        dp->clones = xrealloc(dp->clones, dp->allocated_clones * sizeof *dp->clones);
    }
    dp->clones[dp->n_clones++] = copy;
    counter_inc(&dp_frame_copies);
    *pktp = copy;
    *queued = false;
}

void
dp_actions_execute(struct datapath *dp, struct packet *pkt,
                   const struct flow_key *key, uint16_t in_port,
                   const struct ofp_action *actions, size_t n,
                   bool allow_table)
{
    bool queued = false;            /* pkt may sit in an output queue. */
    uint32_t version = dp->table.version;
    for (size_t i = 0; i < n && LIKELY(dp->table.version == version); i++) {
        const struct ofp_action *a = &actions[i];
        if (a->type >= OFPAT_SET_VLAN_VID && a->type <= OFPAT_SET_TP_DST) {
            prepare_edit(dp, &pkt, &queued);
        }
        switch (a->type) {
        case OFPAT_OUTPUT:
            output_action(dp, pkt, key, in_port, a->output.port,
                          a->output.max_len, allow_table);
            queued = true;
            break;
        case OFPAT_ENQUEUE: {
            uint16_t port = a->enqueue.port == OFPP_IN_PORT ? in_port
                                                            : a->enqueue.port;
            struct dp_port *p = dp_port_lookup(dp, port);
            if (p) {
                dp_port_count_queue(p, a->enqueue.queue_id, pkt->len);
            }
            output_action(dp, pkt, key, in_port, a->enqueue.port, 0, false);
            queued = true;
            break;
        }
        case OFPAT_SET_VLAN_VID:
            packet_set_vlan_vid(pkt, a->vlan_vid);
            break;
        case OFPAT_SET_VLAN_PCP:
            packet_set_vlan_pcp(pkt, a->vlan_pcp);
            break;
        case OFPAT_STRIP_VLAN:
            packet_strip_vlan(pkt);
            break;
        case OFPAT_SET_DL_SRC:
            packet_set_dl_src(pkt, a->dl_addr);
            break;
        case OFPAT_SET_DL_DST:
            packet_set_dl_dst(pkt, a->dl_addr);
            break;
        case OFPAT_SET_NW_SRC:
            packet_set_nw_src(pkt, a->nw_addr);
            break;
        case OFPAT_SET_NW_DST:
            packet_set_nw_dst(pkt, a->nw_addr);
            break;
        case OFPAT_SET_NW_TOS:
            packet_set_nw_tos(pkt, a->nw_tos);
            break;
        case OFPAT_SET_TP_SRC:
            packet_set_tp_src(pkt, a->tp_port);
            break;
        case OFPAT_SET_TP_DST:
            packet_set_tp_dst(pkt, a->tp_port);
            break;
        default:
            LOG_DBG("ignoring action type %u", a->type);
            break;
        }
    }
}
