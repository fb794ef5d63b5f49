/* ofp-print — ovs-ofctl-style text for OpenFlow 1.0 messages. */
#include "ofp/ofp-print.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "util/buf.h"
#include "util/util.h"

static void
format_mac(const uint8_t mac[OFP_ETH_ALEN], struct buf *out)
{
    buf_printf(out, "%02x:%02x:%02x:%02x:%02x:%02x",
               mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

static void
format_ip(uint32_t ip, struct buf *out)
{
    buf_printf(out, "%"PRIu32".%"PRIu32".%"PRIu32".%"PRIu32,
               ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
}

void
ofp_port_format(uint16_t port, struct buf *out)
{
    switch (port) {
    case OFPP_IN_PORT: buf_printf(out, "IN_PORT"); break;
    case OFPP_TABLE: buf_printf(out, "TABLE"); break;
    case OFPP_NORMAL: buf_printf(out, "NORMAL"); break;
    case OFPP_FLOOD: buf_printf(out, "FLOOD"); break;
    case OFPP_ALL: buf_printf(out, "ALL"); break;
    case OFPP_CONTROLLER: buf_printf(out, "CONTROLLER"); break;
    case OFPP_LOCAL: buf_printf(out, "LOCAL"); break;
    case OFPP_NONE: buf_printf(out, "ANY"); break;
    default: buf_printf(out, "%u", port); break;
    }
}

/* Appends "," unless out is at `start` (the first field of a list). */
static void
sep(struct buf *out, size_t start)
{
    if (out->size > start) {
        buf_put_u8(out, ',');
    }
}

static void
format_nw_addr(const char *name, uint32_t addr, int prefix, struct buf *out)
{
    buf_printf(out, "%s=", name);
    format_ip(addr, out);
    if (prefix < 32) {
        buf_printf(out, "/%d", prefix);
    }
}

void
ofp_match_format(const struct ofp_match_h *m_in, struct buf *out)
{
    struct ofp_match_h m = *m_in;
    uint32_t w;
    size_t start = out->size;
    bool proto_done = false, type_done = false, is_icmp = false;

    ofp_match_normalize(&m);
    w = m.wildcards;
    if (!(w & OFPFW_DL_TYPE)) {
        if (m.dl_type == 0x0800) {
            if (!(w & OFPFW_NW_PROTO)) {
                const char *name = m.nw_proto == 6 ? "tcp"
                                   : m.nw_proto == 17 ? "udp"
                                   : m.nw_proto == 1 ? "icmp" : NULL;
                if (name) {
                    buf_printf(out, "%s", name);
                    proto_done = true;
                    is_icmp = m.nw_proto == 1;
                } else {
                    buf_printf(out, "ip");
                }
            } else {
                buf_printf(out, "ip");
            }
            type_done = true;
        } else if (m.dl_type == 0x0806) {
            buf_printf(out, "arp");
            type_done = true;
        }
    }
    if (!(w & OFPFW_IN_PORT)) {
        sep(out, start);
        buf_printf(out, "in_port=");
        ofp_port_format(m.in_port, out);
    }
    if (!(w & OFPFW_DL_VLAN)) {
        sep(out, start);
        buf_printf(out, "dl_vlan=%u", m.dl_vlan);
    }
    if (!(w & OFPFW_DL_VLAN_PCP)) {
        sep(out, start);
        buf_printf(out, "dl_vlan_pcp=%u", m.dl_vlan_pcp);
    }
    if (!(w & OFPFW_DL_SRC)) {
        sep(out, start);
        buf_printf(out, "dl_src=");
        format_mac(m.dl_src, out);
    }
    if (!(w & OFPFW_DL_DST)) {
        sep(out, start);
        buf_printf(out, "dl_dst=");
        format_mac(m.dl_dst, out);
    }
    if (!(w & OFPFW_DL_TYPE) && !type_done) {
        sep(out, start);
        buf_printf(out, "dl_type=0x%04x", m.dl_type);
    }
    if (ofp_match_nw_src_prefix(&m) > 0) {
        sep(out, start);
        format_nw_addr("nw_src", m.nw_src, ofp_match_nw_src_prefix(&m), out);
    }
    if (ofp_match_nw_dst_prefix(&m) > 0) {
        sep(out, start);
        format_nw_addr("nw_dst", m.nw_dst, ofp_match_nw_dst_prefix(&m), out);
    }
    if (!(w & OFPFW_NW_PROTO) && !proto_done) {
        sep(out, start);
        buf_printf(out, "nw_proto=%u", m.nw_proto);
    }
    if (!(w & OFPFW_NW_TOS)) {
        sep(out, start);
        buf_printf(out, "nw_tos=%u", m.nw_tos);
    }
    if (!(w & OFPFW_TP_SRC)) {
        sep(out, start);
        buf_printf(out, "%s=%u", is_icmp ? "icmp_type" : "tp_src", m.tp_src);
    }
    if (!(w & OFPFW_TP_DST)) {
        sep(out, start);
        buf_printf(out, "%s=%u", is_icmp ? "icmp_code" : "tp_dst", m.tp_dst);
    }
}

void
ofp_action_format(const struct ofp_action *a, struct buf *out)
{
    switch (a->type) {
    case OFPAT_OUTPUT:
        switch (a->output.port) {
        case OFPP_CONTROLLER:
            buf_printf(out, "CONTROLLER:%u", a->output.max_len);
            break;
        case OFPP_IN_PORT:
        case OFPP_TABLE:
        case OFPP_NORMAL:
        case OFPP_FLOOD:
        case OFPP_ALL:
        case OFPP_LOCAL:
            ofp_port_format(a->output.port, out);
            break;
        default:
            buf_printf(out, "output:");
            ofp_port_format(a->output.port, out);
            break;
        }
        break;
    case OFPAT_SET_VLAN_VID:
        buf_printf(out, "mod_vlan_vid:%u", a->vlan_vid);
        break;
    case OFPAT_SET_VLAN_PCP:
        buf_printf(out, "mod_vlan_pcp:%u", a->vlan_pcp);
        break;
    case OFPAT_STRIP_VLAN:
        buf_printf(out, "strip_vlan");
        break;
    case OFPAT_SET_DL_SRC:
    case OFPAT_SET_DL_DST:
        buf_printf(out, "%s:", a->type == OFPAT_SET_DL_SRC ? "mod_dl_src" : "mod_dl_dst");
        format_mac(a->dl_addr, out);
        break;
    case OFPAT_SET_NW_SRC:
    case OFPAT_SET_NW_DST:
        buf_printf(out, "%s:", a->type == OFPAT_SET_NW_SRC ? "mod_nw_src" : "mod_nw_dst");
        format_ip(a->nw_addr, out);
        break;
    case OFPAT_SET_NW_TOS:
        buf_printf(out, "mod_nw_tos:%u", a->nw_tos);
        break;
    case OFPAT_SET_TP_SRC:
        buf_printf(out, "mod_tp_src:%u", a->tp_port);
        break;
    case OFPAT_SET_TP_DST:
        buf_printf(out, "mod_tp_dst:%u", a->tp_port);
        break;
    case OFPAT_ENQUEUE:
        buf_printf(out, "enqueue:");
        ofp_port_format(a->enqueue.port, out);
        buf_printf(out, ":%"PRIu32, a->enqueue.queue_id);
        break;
    default:
        buf_printf(out, "***unknown action %u***", a->type);
        break;
    }
}

void
ofp_actions_format(const struct ofp_action *a, size_t n, struct buf *out)
{
    if (!n) {
        buf_printf(out, "drop");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (i) {
            buf_put_u8(out, ',');
        }
        ofp_action_format(&a[i], out);
    }
}

/* "priority=N" (when not default) followed by the match. */
static void
format_priority_match(uint16_t priority, const struct ofp_match_h *m,
                      bool always_priority, struct buf *out)
{
    size_t start = out->size;

    if (always_priority || priority != OFP_DEFAULT_PRIORITY) {
        buf_printf(out, "priority=%u", priority);
    }
    if (!ofp_match_is_catchall(m)) {
        sep(out, start);
        ofp_match_format(m, out);
    }
}

void
ofp_flow_stats_format(const struct ofp_flow_stats_h *fs, struct buf *out)
{
    buf_printf(out, " cookie=0x%"PRIx64", duration=%"PRIu32".%03"PRIu32"s, "
               "table=%u, n_packets=%"PRIu64", n_bytes=%"PRIu64", ",
               fs->cookie, fs->duration_sec, fs->duration_nsec / 1000000,
               fs->table_id, fs->packet_count, fs->byte_count);
    if (fs->idle_timeout) {
        buf_printf(out, "idle_timeout=%u, ", fs->idle_timeout);
    }
    if (fs->hard_timeout) {
        buf_printf(out, "hard_timeout=%u, ", fs->hard_timeout);
    }
    format_priority_match(fs->priority, &fs->match, true, out);
    buf_printf(out, " actions=");
    ofp_actions_format(fs->actions, fs->n_actions, out);
}

static void
hex_dump(const uint8_t *p, size_t len, struct buf *out)
{
    for (size_t i = 0; i < len; i += 16) {
        buf_printf(out, "\n%08zx ", i);
        for (size_t j = i; j < i + 16 && j < len; j++) {
            buf_printf(out, " %02x", p[j]);
        }
    }
}

static void
format_port_h(const struct ofp_port_h *p, struct buf *out)
{
    buf_printf(out, "\n ");
    ofp_port_format(p->port_no, out);
    buf_printf(out, "(%s): addr:", p->name);
    format_mac(p->hw_addr, out);
    buf_printf(out, "\n     config: 0x%"PRIx32"\n     state: 0x%"PRIx32,
               p->config, p->state);
    if (p->curr || p->advertised || p->supported || p->peer) {
        buf_printf(out, "\n     current: 0x%"PRIx32" advertised: 0x%"PRIx32
                   " supported: 0x%"PRIx32" peer: 0x%"PRIx32,
                   p->curr, p->advertised, p->supported, p->peer);
    }
}

static const char *
flow_mod_command_name(uint16_t command)
{
    switch (command) {
    case OFPFC_ADD: return "ADD";
    case OFPFC_MODIFY: return "MOD";
    case OFPFC_MODIFY_STRICT: return "MOD_STRICT";
    case OFPFC_DELETE: return "DEL";
    case OFPFC_DELETE_STRICT: return "DEL_STRICT";
    default: return "***unknown command***";
    }
}

static void
format_flow_mod(const struct ofp_flow_mod_h *fm, struct buf *out)
{
    buf_printf(out, "%s", flow_mod_command_name(fm->command));
    if (fm->priority != OFP_DEFAULT_PRIORITY || !ofp_match_is_catchall(&fm->match)) {
        buf_put_u8(out, ' ');
        format_priority_match(fm->priority, &fm->match, false, out);
    }
    if (fm->cookie) {
        buf_printf(out, " cookie:0x%"PRIx64, fm->cookie);
    }
    if (fm->idle_timeout) {
        buf_printf(out, " idle:%u", fm->idle_timeout);
    }
    if (fm->hard_timeout) {
        buf_printf(out, " hard:%u", fm->hard_timeout);
    }
    if (fm->buffer_id != OFP_NO_BUFFER) {
        buf_printf(out, " buf:0x%"PRIx32, fm->buffer_id);
    }
    if (fm->out_port != OFPP_NONE) {
        buf_printf(out, " out_port:");
        ofp_port_format(fm->out_port, out);
    }
    if (fm->flags & OFPFF_SEND_FLOW_REM) {
        buf_printf(out, " send_flow_rem");
    }
    if (fm->flags & OFPFF_CHECK_OVERLAP) {
        buf_printf(out, " check_overlap");
    }
    if (fm->flags & OFPFF_EMERG) {
        buf_printf(out, " emerg");
    }
    buf_printf(out, " actions=");
    ofp_actions_format(fm->actions, fm->n_actions, out);
}

static const char *
flow_removed_reason(uint8_t reason)
{
    switch (reason) {
    case OFPRR_IDLE_TIMEOUT: return "idle";
    case OFPRR_HARD_TIMEOUT: return "hard";
    case OFPRR_DELETE: return "delete";
    default: return "?";
    }
}

static void
format_stats_request(const struct ofp_stats_request_h *sr, struct buf *out)
{
    switch (sr->type) {
    case OFPST_FLOW:
    case OFPST_AGGREGATE:
        if (sr->flow.table_id != OFPTT_ALL) {
            buf_printf(out, " table=%u", sr->flow.table_id);
        }
        if (sr->flow.out_port != OFPP_NONE) {
            buf_printf(out, " out_port=");
            ofp_port_format(sr->flow.out_port, out);
        }
        if (!ofp_match_is_catchall(&sr->flow.match)) {
            buf_put_u8(out, ' ');
            ofp_match_format(&sr->flow.match, out);
        }
        break;
    case OFPST_PORT:
        buf_printf(out, " port_no=");
        ofp_port_format(sr->port.port_no, out);
        break;
    case OFPST_QUEUE:
        buf_printf(out, " port=");
        ofp_port_format(sr->queue.port_no, out);
        if (sr->queue.queue_id == OFPQ_ALL) {
            buf_printf(out, " queue=ALL");
        } else {
            buf_printf(out, " queue=%"PRIu32, sr->queue.queue_id);
        }
        break;
    default:
        break;
    }
}

static void
format_stats_reply(const struct ofp_stats_reply_h *sr, struct buf *out)
{
    switch (sr->type) {
    case OFPST_DESC:
        buf_printf(out, "\nManufacturer: %s\nHardware: %s\nSoftware: %s"
                   "\nSerial Num: %s\nDP Description: %s",
                   sr->desc.mfr_desc, sr->desc.hw_desc, sr->desc.sw_desc,
                   sr->desc.serial_num, sr->desc.dp_desc);
        break;
    case OFPST_FLOW:
        for (size_t i = 0; i < sr->flow.n; i++) {
            buf_put_u8(out, '\n');
            ofp_flow_stats_format(&sr->flow.entries[i], out);
        }
        break;
    case OFPST_AGGREGATE:
        buf_printf(out, " packet_count=%"PRIu64" byte_count=%"PRIu64
                   " flow_count=%"PRIu32, sr->aggregate.packet_count,
                   sr->aggregate.byte_count, sr->aggregate.flow_count);
        break;
    case OFPST_TABLE:
        buf_printf(out, " %zu tables", sr->table.n);
        for (size_t i = 0; i < sr->table.n; i++) {
            const struct ofp_table_stats_h *t = &sr->table.entries[i];
            buf_printf(out, "\n  %u: %-8s: wild=0x%06"PRIx32", max=%6"PRIu32
                       ", active=%"PRIu32"\n               lookup=%"PRIu64
                       ", matched=%"PRIu64, t->table_id, t->name, t->wildcards,
                       t->max_entries, t->active_count, t->lookup_count,
                       t->matched_count);
        }
        break;
    case OFPST_PORT:
        buf_printf(out, " %zu ports", sr->port.n);
        for (size_t i = 0; i < sr->port.n; i++) {
            const struct ofp_port_stats_h *s = &sr->port.entries[i];
            buf_printf(out, "\n  port ");
            ofp_port_format(s->port_no, out);
            buf_printf(out, ": rx pkts=%"PRIu64", bytes=%"PRIu64", drop=%"PRIu64
                       ", errs=%"PRIu64", frame=%"PRIu64", over=%"PRIu64
                       ", crc=%"PRIu64"\n           tx pkts=%"PRIu64", bytes=%"PRIu64
                       ", drop=%"PRIu64", errs=%"PRIu64", coll=%"PRIu64,
                       s->rx_packets, s->rx_bytes, s->rx_dropped, s->rx_errors,
                       s->rx_frame_err, s->rx_over_err, s->rx_crc_err,
                       s->tx_packets, s->tx_bytes, s->tx_dropped, s->tx_errors,
                       s->collisions);
        }
        break;
    case OFPST_QUEUE:
        buf_printf(out, " %zu queues", sr->queue.n);
        for (size_t i = 0; i < sr->queue.n; i++) {
            const struct ofp_queue_stats_h *q = &sr->queue.entries[i];
            buf_printf(out, "\n  port ");
            ofp_port_format(q->port_no, out);
            buf_printf(out, " queue %"PRIu32": bytes=%"PRIu64", pkts=%"PRIu64
                       ", errors=%"PRIu64, q->queue_id, q->tx_bytes,
                       q->tx_packets, q->tx_errors);
        }
        break;
    default:
        break;
    }
}

static void
format_stats_head(const char *kind, uint16_t type, uint32_t xid,
                  uint16_t flags, struct buf *out)
{
    const char *name = ofp_stats_type_name(type);
    if (name) {
        buf_printf(out, "%s %s (xid=0x%"PRIx32"):", name, kind, xid);
    } else {
        buf_printf(out, "OFPST_%u %s (xid=0x%"PRIx32"):", type, kind, xid);
    }
    if (flags & OFPSF_REPLY_MORE) {
        buf_printf(out, " flags=[more]");
    }
}

void
ofp_msg_format(const struct ofp_msg *msg, int verbosity, struct buf *out)
{
    const char *name = ofp_type_name(msg->type);

    if (msg->type == OFPT_STATS_REQUEST) {
        format_stats_head("request", msg->stats_request.type, msg->xid,
                          msg->stats_request.flags, out);
        format_stats_request(&msg->stats_request, out);
        return;
    }
    if (msg->type == OFPT_STATS_REPLY) {
        format_stats_head("reply", msg->stats_reply.type, msg->xid,
                          msg->stats_reply.flags, out);
        format_stats_reply(&msg->stats_reply, out);
        return;
    }
    if (name) {
        buf_printf(out, "%s (xid=0x%"PRIx32"):", name, msg->xid);
    } else {
        buf_printf(out, "OFPT_%u (xid=0x%"PRIx32"):", msg->type, msg->xid);
    }

    switch (msg->type) {
    case OFPT_HELLO:
        if (msg->hello.len) {
            buf_printf(out, " %zu bytes of body", msg->hello.len);
            if (verbosity > 0) {
                hex_dump(msg->hello.data, msg->hello.len, out);
            }
        }
        break;
    case OFPT_ERROR: {
        const char *code = ofp_error_code_name(msg->error.type, msg->error.code);
        if (code) {
            buf_printf(out, " %s", code);
        } else {
            buf_printf(out, " type=%u code=%u", msg->error.type, msg->error.code);
        }
        if (msg->error.type == OFPET_HELLO_FAILED && msg->error.data.len) {
            buf_printf(out, "\n%.*s", (int) msg->error.data.len,
                       (const char *) msg->error.data.data);
        } else {
            hex_dump(msg->error.data.data, msg->error.data.len, out);
        }
        break;
    }
    case OFPT_ECHO_REQUEST:
    case OFPT_ECHO_REPLY:
        buf_printf(out, " %zu bytes of payload", msg->echo.len);
        if (verbosity > 0) {
            hex_dump(msg->echo.data, msg->echo.len, out);
        }
        break;
    case OFPT_VENDOR:
        buf_printf(out, " vendor=0x%08"PRIx32" %zu bytes", msg->vendor.vendor,
                   msg->vendor.data.len);
        break;
    case OFPT_FEATURES_REPLY: {
        const struct ofp_features_reply *f = &msg->features;
        buf_printf(out, " dpid:%016"PRIx64"\nn_tables:%u, n_buffers:%"PRIu32
                   "\ncapabilities: 0x%"PRIx32"\nactions: 0x%"PRIx32,
                   f->datapath_id, f->n_tables, f->n_buffers,
                   f->capabilities, f->actions);
        for (size_t i = 0; i < f->n_ports; i++) {
            format_port_h(&f->ports[i], out);
        }
        break;
    }
    case OFPT_GET_CONFIG_REPLY:
    case OFPT_SET_CONFIG: {
        static const char *const frag[] = { "normal", "drop", "reassemble", "3" };
        buf_printf(out, " frags=%s miss_send_len=%u",
                   frag[msg->config.flags & OFPC_FRAG_MASK],
                   msg->config.miss_send_len);
        break;
    }
    case OFPT_PACKET_IN: {
        const struct ofp_packet_in_h *pi = &msg->packet_in;
        buf_printf(out, " total_len=%u in_port=", pi->total_len);
        ofp_port_format(pi->in_port, out);
        buf_printf(out, " (via %s) data_len=%zu",
                   pi->reason == OFPR_NO_MATCH ? "no_match"
                   : pi->reason == OFPR_ACTION ? "action" : "?",
                   pi->data.len);
        if (pi->buffer_id == OFP_NO_BUFFER) {
            buf_printf(out, " (unbuffered)");
        } else {
            buf_printf(out, " buffer=0x%08"PRIx32, pi->buffer_id);
        }
        if (verbosity > 0) {
            hex_dump(pi->data.data, pi->data.len, out);
        }
        break;
    }
    case OFPT_FLOW_REMOVED: {
        const struct ofp_flow_removed_h *fr = &msg->flow_removed;
        buf_put_u8(out, ' ');
        format_priority_match(fr->priority, &fr->match, true, out);
        buf_printf(out, " reason=%s", flow_removed_reason(fr->reason));
        if (fr->cookie) {
            buf_printf(out, " cookie:0x%"PRIx64, fr->cookie);
        }
        buf_printf(out, " duration%"PRIu32".%03"PRIu32"s",
                   fr->duration_sec, fr->duration_nsec / 1000000);
        if (fr->idle_timeout) {
            buf_printf(out, " idle%u", fr->idle_timeout);
        }
        buf_printf(out, " pkts%"PRIu64" bytes%"PRIu64,
                   fr->packet_count, fr->byte_count);
        break;
    }
    case OFPT_PORT_STATUS: {
        uint8_t r = msg->port_status.reason;
        buf_printf(out, " %s:", r == OFPPR_ADD ? "ADD"
                   : r == OFPPR_DELETE ? "DEL" : r == OFPPR_MODIFY ? "MOD" : "?");
        format_port_h(&msg->port_status.desc, out);
        break;
    }
    case OFPT_PACKET_OUT: {
        const struct ofp_packet_out_h *po = &msg->packet_out;
        buf_printf(out, " in_port=");
        ofp_port_format(po->in_port, out);
        buf_printf(out, " actions=");
        ofp_actions_format(po->actions, po->n_actions, out);
        if (po->buffer_id == OFP_NO_BUFFER) {
            buf_printf(out, " data_len=%zu", po->data.len);
            if (verbosity > 0) {
                hex_dump(po->data.data, po->data.len, out);
            }
        } else {
            buf_printf(out, " buffer=0x%08"PRIx32, po->buffer_id);
        }
        break;
    }
    case OFPT_FLOW_MOD:
        buf_put_u8(out, ' ');
        format_flow_mod(&msg->flow_mod, out);
        break;
    case OFPT_PORT_MOD: {
        const struct ofp_port_mod_h *pm = &msg->port_mod;
        buf_printf(out, " port: ");
        ofp_port_format(pm->port_no, out);
        buf_printf(out, ": addr:");
        format_mac(pm->hw_addr, out);
        buf_printf(out, "\n     config: 0x%"PRIx32"\n     mask:   0x%"PRIx32
                   "\n     advertise: ", pm->config, pm->mask);
        if (pm->advertise) {
            buf_printf(out, "0x%"PRIx32, pm->advertise);
        } else {
            buf_printf(out, "UNCHANGED");
        }
        break;
    }
    case OFPT_QUEUE_GET_CONFIG_REQUEST:
        buf_printf(out, " port=");
        ofp_port_format(msg->queue_get_config_request.port, out);
        break;
    case OFPT_QUEUE_GET_CONFIG_REPLY: {
        const struct ofp_queue_get_config_reply_h *qr = &msg->queue_get_config_reply;
        buf_printf(out, " port=");
        ofp_port_format(qr->port, out);
        for (size_t i = 0; i < qr->n_queues; i++) {
            buf_printf(out, "\nqueue %"PRIu32":", qr->queues[i].queue_id);
            if (qr->queues[i].has_min_rate) {
                if (qr->queues[i].min_rate > 1000) {
                    buf_printf(out, " min_rate:disabled");
                } else {
                    buf_printf(out, " min_rate:%u.%u%%", qr->queues[i].min_rate / 10,
                               qr->queues[i].min_rate % 10);
                }
            }
        }
        break;
    }
    default:
        break;
    }
}

char *
ofp_to_string(const void *data, size_t len, int verbosity)
{
    struct buf out;
    const uint8_t *p = data;

    buf_init(&out, 128);
    while (len > 0) {
        struct ofp_msg msg;
        struct ofp_error err;
        int frame = ofp_frame_length(p, len);
        size_t this_len = frame > 0 ? (size_t) frame : len;

        if (out.size) {
            buf_put_u8(&out, '\n');
        }
        if (ofp_decode(p, this_len, &msg, &err)) {
            char ebuf[96];
            const char *name = len >= 2 ? ofp_type_name(p[1]) : NULL;
            uint32_t xid = len >= 8 ? ((uint32_t) p[4] << 24 | (uint32_t) p[5] << 16
                                       | (uint32_t) p[6] << 8 | p[7]) : 0;
            if (name) {
                buf_printf(&out, "%s", name);
            } else {
                buf_printf(&out, "OFPT_%u", len >= 2 ? p[1] : 0);
            }
            buf_printf(&out, " (xid=0x%"PRIx32"): ***decode error: %s***", xid,
                       ofp_error_format(err, ebuf, sizeof ebuf));
            hex_dump(p, this_len, &out);
            break;
        }
        ofp_msg_format(&msg, verbosity, &out);
        ofp_msg_uninit(&msg);
        p += this_len;
        len -= this_len;
    }
    buf_put_u8(&out, '\0');
    return buf_steal(&out, NULL);
}

char *
ofp_match_to_string(const struct ofp_match_h *m)
{
    struct buf out;
    buf_init(&out, 64);
    ofp_match_format(m, &out);
    buf_put_u8(&out, '\0');
    return buf_steal(&out, NULL);
}

char *
ofp_actions_to_string(const struct ofp_action *a, size_t n)
{
    struct buf out;
    buf_init(&out, 64);
    ofp_actions_format(a, n, &out);
    buf_put_u8(&out, '\0');
    return buf_steal(&out, NULL);
}

char *
ofp_msg_to_string(const struct ofp_msg *msg)
{
    struct buf out;
    buf_init(&out, 128);
    ofp_msg_format(msg, 0, &out);
    buf_put_u8(&out, '\0');
    return buf_steal(&out, NULL);
}
