/* ofproto-handle — one handler per OpenFlow 1.0 request the switch receives.
 * Each returns 0 (having replied when the request calls for a reply) or a
 * negative errno with *err, the error the caller sends back. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "dp/datapath.h"
#include "dp/flow-table.h"
#include "ofproto/ofconn.h"
#include "ofproto/ofproto-private.h"
#include "plural-config.h"
#include "util/clock.h"
#include "util/counter.h"
#include "util/log.h"
#include "util/util.h"

LOG_MODULE(ofproto_handle);

COUNTER_DEFINE(ofp_flow_mods, "FLOW_MODs applied");
COUNTER_DEFINE(ofp_flow_mod_errors, "FLOW_MODs refused with an error");

#define SWITCH_CAPABILITIES (OFPC_FLOW_STATS | OFPC_TABLE_STATS | OFPC_PORT_STATS \
                             | OFPC_QUEUE_STATS | OFPC_ARP_MATCH_IP)
#define SWITCH_ACTIONS ((1u << OFPAT_OUTPUT) | (1u << OFPAT_SET_VLAN_VID)    \
                        | (1u << OFPAT_SET_VLAN_PCP) | (1u << OFPAT_STRIP_VLAN) \
                        | (1u << OFPAT_SET_DL_SRC) | (1u << OFPAT_SET_DL_DST)  \
                        | (1u << OFPAT_SET_NW_SRC) | (1u << OFPAT_SET_NW_DST)  \
                        | (1u << OFPAT_SET_NW_TOS) | (1u << OFPAT_SET_TP_SRC)  \
                        | (1u << OFPAT_SET_TP_DST))

static int
fail(struct ofp_error *err, uint16_t type, uint16_t code)
{
    *err = OFP_ERROR(type, code);
    return -EINVAL;
}

static void
reply(struct ofconn *ofconn, struct ofp_msg *msg)
{
    ofconn_send(ofconn, msg);
    ofp_msg_uninit(msg);
}

/* Output ports must exist (or be one of the special ports).  ENQUEUE is
 * accepted to an existing port (the datapath sends it like OUTPUT and
 * counts it per port: plural has no real queues). */
static int
check_actions(const struct ofproto *p, const struct ofp_action *a, size_t n,
              bool allow_table, struct ofp_error *err)
{
    for (size_t i = 0; i < n; i++) {
        uint16_t port;
        if (a[i].type == OFPAT_OUTPUT) {
            port = a[i].output.port;
        } else if (a[i].type == OFPAT_ENQUEUE) {
            port = a[i].enqueue.port;
            if (port < OFPP_MAX && !ofproto_get_port(p, port)) {
                return fail(err, OFPET_BAD_ACTION, OFPBAC_BAD_OUT_PORT);
            }
            continue;
        } else {
            continue;
        }
        if (port < OFPP_MAX) {
            if (!ofproto_get_port(p, port)) {
                return fail(err, OFPET_BAD_ACTION, OFPBAC_BAD_OUT_PORT);
            }
        } else if (port == OFPP_NONE || (port == OFPP_TABLE && !allow_table)) {
            return fail(err, OFPET_BAD_ACTION, OFPBAC_BAD_OUT_PORT);
        }
    }
    return 0;
}

int
ofproto_flow_mod(struct ofproto *p, const struct ofp_flow_mod_h *fm,
                 struct ofp_error *err)
{
    bool adds = fm->command == OFPFC_ADD || fm->command == OFPFC_MODIFY
                || fm->command == OFPFC_MODIFY_STRICT;
    if (adds && check_actions(p, fm->actions, fm->n_actions, false, err)) {
        counter_inc(&ofp_flow_mod_errors);
        return -EINVAL;
    }
    int error = flow_table_apply(p->ft, fm, err);
    if (error) {
        counter_inc(&ofp_flow_mod_errors);
        return error;
    }
    counter_inc(&ofp_flow_mods);
    if (adds && fm->buffer_id != OFP_NO_BUFFER) {
        return ofproto_dp_run_buffered(p, fm->buffer_id, err);
    }
    return 0;
}

static int
handle_features(struct ofproto *p, struct ofconn *ofconn, uint32_t xid)
{
    size_t n;
    struct ofport **ports = ofproto_sorted_ports(p, &n);
    struct ofp_port_h *phy = xcalloc(n ? n : 1, sizeof *phy);
    for (size_t i = 0; i < n; i++) {
        ofport_to_ofp(ports[i], &phy[i]);
    }
    struct ofp_msg msg;
    ofp_make_features_reply(&msg, xid, p->dpid, ofproto_dp_n_buffers(p), 1,
                            SWITCH_CAPABILITIES, SWITCH_ACTIONS, phy, n);
    reply(ofconn, &msg);
    free(phy);
    free(ports);
    return 0;
}

static void
flow_entry_to_stats(const struct flow_entry *e, uint64_t now_ns,
                    struct ofp_flow_stats_h *fs)
{
    memset(fs, 0, sizeof *fs);
    fs->table_id = e->emergency ? OFPTT_EMERG : 0;
    fs->match = e->match;
    flow_entry_duration(e, now_ns, &fs->duration_sec, &fs->duration_nsec);
    fs->priority = e->priority;
    fs->idle_timeout = e->idle_timeout;
    fs->hard_timeout = e->hard_timeout;
    fs->cookie = e->cookie;
    fs->packet_count = e->packet_count;
    fs->byte_count = e->byte_count;
    fs->actions = e->actions;       /* Copied by the constructor. */
    fs->n_actions = e->n_actions;
}

/* Which table a FLOW or AGGREGATE stats request selects (OpenFlow 1.0
 * §5.3.5, read as the 1.0 reference switch does): 0 (our only normal
 * table) and OFPTT_ALL ("all tables") the normal table; OFPTT_EMERG the
 * emergency table, and only it; any other id no table (an empty reply).
 * So a plain delete-all and OFPTT_ALL stats always agree, and emergency
 * flows are seen with OFPTT_EMERG and removed by a DELETE with
 * OFPFF_EMERG. */
static void
collect_flows(const struct ofproto *p, const struct ofp_flow_stats_request_h *rq,
              struct flow_entry ***entries, size_t *n)
{
    *entries = NULL;
    *n = 0;
    dp_sync_flow_stats(p->dp);      /* Kernel fast-path hits, too. */
    if (rq->table_id == 0 || rq->table_id == OFPTT_ALL) {
        *entries = flow_table_collect(p->ft, &rq->match, rq->out_port, false, n);
    } else if (rq->table_id == OFPTT_EMERG) {
        *entries = flow_table_collect(p->ft, &rq->match, rq->out_port, true, n);
    }
}

static int
handle_stats(struct ofproto *p, struct ofconn *ofconn, const struct ofp_msg *rq,
             struct ofp_error *err)
{
    const struct ofp_stats_request_h *sr = &rq->stats_request;
    struct ofp_msg msg;

    switch (sr->type) {
    case OFPST_DESC: {
        struct ofp_desc_stats_h d;
        memset(&d, 0, sizeof d);
        snprintf(d.mfr_desc, sizeof d.mfr_desc, "The plural project");
        snprintf(d.hw_desc, sizeof d.hw_desc, "plural-switchd %s datapath",
                 dp_type_name(dp_get_type(p->dp)));
        snprintf(d.sw_desc, sizeof d.sw_desc, "plural %s", PLURAL_VERSION);
        snprintf(d.serial_num, sizeof d.serial_num, "None");
        snprintf(d.dp_desc, sizeof d.dp_desc, "plural-switchd dpid %016llx",
                 (unsigned long long) p->dpid);
        ofp_make_desc_stats_reply(&msg, rq->xid, &d);
        break;
    }
    case OFPST_FLOW: {
        struct flow_entry **entries;
        size_t n;
        collect_flows(p, &sr->flow, &entries, &n);
        struct ofp_flow_stats_h *fs = xcalloc(n ? n : 1, sizeof *fs);
        uint64_t now = clock_now_ns();
        for (size_t i = 0; i < n; i++) {
            flow_entry_to_stats(entries[i], now, &fs[i]);
        }
        ofp_make_flow_stats_reply(&msg, rq->xid, fs, n);
        free(fs);
        free(entries);
        break;
    }
    case OFPST_AGGREGATE: {
        struct ofp_aggregate_stats_h agg = { 0, 0, 0 };
        struct flow_entry **entries;
        size_t n;
        collect_flows(p, &sr->flow, &entries, &n);
        for (size_t i = 0; i < n; i++) {
            agg.packet_count += entries[i]->packet_count;
            agg.byte_count += entries[i]->byte_count;
        }
        agg.flow_count = n;
        free(entries);
        ofp_make_aggregate_stats_reply(&msg, rq->xid, &agg);
        break;
    }
    case OFPST_TABLE: {
        dp_sync_flow_stats(p->dp);
        struct ofp_table_stats_h t;
        memset(&t, 0, sizeof t);
        t.table_id = 0;
        snprintf(t.name, sizeof t.name, "classifier");
        t.wildcards = OFPFW_ALL;
        t.max_entries = p->ft->max_flows;
        t.active_count = flow_table_active_count(p->ft);
        struct dp_stats ds;
        dp_get_stats(p->dp, &ds);
        t.lookup_count = ds.n_packets;
        t.matched_count = ds.n_matched;
        ofp_make_table_stats_reply(&msg, rq->xid, &t, 1);
        break;
    }
    case OFPST_PORT: {
        size_t n;
        struct ofport **ports = ofproto_sorted_ports(p, &n);
        struct ofp_port_stats_h *ps = xcalloc(n ? n : 1, sizeof *ps);
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (sr->port.port_no != OFPP_NONE && sr->port.port_no != ports[i]->port_no) {
                continue;
            }
            struct port_stats st;
            dp_port_get_stats(p->dp, ports[i]->port_no, &st);
            ps[k] = (struct ofp_port_stats_h) {
                .port_no = ports[i]->port_no,
                .rx_packets = st.rx_packets, .tx_packets = st.tx_packets,
                .rx_bytes = st.rx_bytes, .tx_bytes = st.tx_bytes,
                .rx_dropped = st.rx_dropped, .tx_dropped = st.tx_dropped,
                .rx_errors = st.rx_errors, .tx_errors = st.tx_errors,
                .rx_frame_err = st.rx_frame_err, .rx_over_err = st.rx_over_err,
                .rx_crc_err = st.rx_crc_err, .collisions = st.collisions,
            };
            k++;
        }
        ofp_make_port_stats_reply(&msg, rq->xid, ps, k);
        free(ps);
        free(ports);
        break;
    }
    case OFPST_QUEUE: {
        uint16_t port = sr->queue.port_no;
        if (port != OFPP_ALL && !ofproto_get_port(p, port)) {
            return fail(err, OFPET_QUEUE_OP_FAILED, OFPQOFC_BAD_PORT);
        }
        if (sr->queue.queue_id != OFPQ_ALL) {
            return fail(err, OFPET_QUEUE_OP_FAILED, OFPQOFC_BAD_QUEUE);
        }
        ofp_make_queue_stats_reply(&msg, rq->xid, NULL, 0);   /* No queues. */
        break;
    }
    default:
        return fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_STAT);
    }
    reply(ofconn, &msg);
    return 0;
}

int
ofproto_handle_msg(struct ofproto *p, struct ofconn *ofconn,
                   const struct ofp_msg *rq, const void *raw, size_t raw_len,
                   struct ofp_error *err)
{
    struct ofp_msg msg;
    (void) raw;
    (void) raw_len;

    switch (rq->type) {
    case OFPT_HELLO:
    case OFPT_ECHO_REPLY:
        return 0;
    case OFPT_ERROR: {
        char name[96];
        LOG_INFO("%s: peer reported %s", ofconn->name,
                 ofp_error_format(OFP_ERROR(rq->error.type, rq->error.code),
                                  name, sizeof name));
        return 0;
    }
    case OFPT_ECHO_REQUEST:
        ofp_make_echo_reply(&msg, rq);
        reply(ofconn, &msg);
        return 0;
    case OFPT_VENDOR:
        return fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_VENDOR);
    case OFPT_FEATURES_REQUEST:
        return handle_features(p, ofconn, rq->xid);
    case OFPT_GET_CONFIG_REQUEST:
        ofp_make_config_reply(&msg, rq->xid, p->frag_flags,
                              ofconn->miss_send_len);
        reply(ofconn, &msg);
        return 0;
    case OFPT_SET_CONFIG:
        /* Fragment handling is switch-wide (the datapath's); reassembly is
         * not offered (no OFPC_IP_REASM), so it means "normal". */
        p->frag_flags = rq->config.flags & OFPC_FRAG_MASK;
        if (p->frag_flags == OFPC_FRAG_REASM) {
            p->frag_flags = OFPC_FRAG_NORMAL;
        }
        dp_set_frag_drop(p->dp, p->frag_flags == OFPC_FRAG_DROP);
        ofconn->miss_send_len = rq->config.miss_send_len;
        return 0;
    case OFPT_PACKET_OUT:
        if (check_actions(p, rq->packet_out.actions, rq->packet_out.n_actions,
                          true, err)) {
            return -EINVAL;
        }
        return ofproto_dp_packet_out(p, &rq->packet_out, err);
    case OFPT_FLOW_MOD:
        return ofproto_flow_mod(p, &rq->flow_mod, err);
    case OFPT_PORT_MOD:
        return ofproto_port_mod(p, &rq->port_mod, err);
    case OFPT_STATS_REQUEST:
        return handle_stats(p, ofconn, rq, err);
    case OFPT_BARRIER_REQUEST:
        /* Every earlier request was processed to completion already; the
         * XDP fast path's cached datapath flows are brought in line with
         * them now, so no frame is forwarded by a stale one after this
         * reply. */
        dp_revalidate(p->dp);
        ofp_make_barrier_reply(&msg, rq->xid);
        reply(ofconn, &msg);
        return 0;
    case OFPT_QUEUE_GET_CONFIG_REQUEST: {
        uint16_t port = rq->queue_get_config_request.port;
        if (port >= OFPP_MAX || !ofproto_get_port(p, port)) {
            return fail(err, OFPET_QUEUE_OP_FAILED, OFPQOFC_BAD_PORT);
        }
        ofp_make_queue_get_config_reply(&msg, rq->xid, port, NULL, 0);
        reply(ofconn, &msg);
        return 0;
    }
    default:
        /* Messages only a switch sends (FEATURES_REPLY, PACKET_IN, ...). */
        return fail(err, OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE);
    }
}
