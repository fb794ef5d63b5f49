/* ofp-encode — struct ofp_msg to wire bytes, byte-exact, with the
 * stats-reply splitter.
 *
 * Each message is built in place in the output buf: a header is reserved,
 * the body appended, then the header's length patched.  Offsets (not
 * pointers) are kept across appends because the buf may move. */
#include "ofp/ofp-msgs.h"

#include <string.h>
#include "util/buf.h"
#include "util/util.h"

static void *
put_struct(struct buf *out, size_t size)
{
    return buf_put_zeros(out, size);
}

static size_t
start_msg(struct buf *out, uint8_t type, uint32_t xid)
{
    size_t start = out->size;
    struct ofp_header *oh = put_struct(out, sizeof *oh);

    oh->version = OFP_VERSION;
    oh->type = type;
    oh->xid = htobe32_t(xid);
    return start;
}

static void
finish_msg(struct buf *out, size_t start)
{
    struct ofp_header *oh = (void *) (out->data + start);
    size_t len = out->size - start;

    BUG_ON(len > OFP_MAX_MSG_LEN);
    oh->length = htobe16_t((uint16_t) len);
}

static void
put_bytes(struct buf *out, struct ofp_bytes b)
{
    if (b.len) {
        buf_put(out, b.data, b.len);
    }
}

static void
put_string(char *dst, const char *src, size_t wire_len)
{
    size_t n = strnlen(src, wire_len);
    memcpy(dst, src, n);    /* The rest is already zero. */
}

static void
encode_port(const struct ofp_port_h *p, struct ofp_phy_port *w)
{
    w->port_no = htobe16_t(p->port_no);
    memcpy(w->hw_addr, p->hw_addr, OFP_ETH_ALEN);
    put_string(w->name, p->name, OFP_MAX_PORT_NAME_LEN - 1);
    w->config = htobe32_t(p->config);
    w->state = htobe32_t(p->state);
    w->curr = htobe32_t(p->curr);
    w->advertised = htobe32_t(p->advertised);
    w->supported = htobe32_t(p->supported);
    w->peer = htobe32_t(p->peer);
}

static void
encode_flow_stats_request(const struct ofp_flow_stats_request_h *f,
                          struct buf *out)
{
    struct ofp_flow_stats_request *w = put_struct(out, sizeof *w);
    ofp_match_encode(&f->match, &w->match);
    w->table_id = f->table_id;
    w->out_port = htobe16_t(f->out_port);
}

static void
encode_stats_request(const struct ofp_stats_request_h *sr, struct buf *out)
{
    switch (sr->type) {
    case OFPST_FLOW:
    case OFPST_AGGREGATE:
        encode_flow_stats_request(&sr->flow, out);
        break;
    case OFPST_PORT: {
        struct ofp_port_stats_request *w = put_struct(out, sizeof *w);
        w->port_no = htobe16_t(sr->port.port_no);
        break;
    }
    case OFPST_QUEUE: {
        struct ofp_queue_stats_request *w = put_struct(out, sizeof *w);
        w->port_no = htobe16_t(sr->queue.port_no);
        w->queue_id = htobe32_t(sr->queue.queue_id);
        break;
    }
    default:
        break;
    }
}

/* Stats reply entries. */
static size_t
flow_stats_len(const struct ofp_flow_stats_h *fs)
{
    return sizeof(struct ofp_flow_stats)
           + ofp_actions_wire_len(fs->actions, fs->n_actions);
}

static void
encode_flow_stats(const struct ofp_flow_stats_h *fs, struct buf *out)
{
    size_t start = out->size;
    struct ofp_flow_stats *w = put_struct(out, sizeof *w);

    w->length = htobe16_t((uint16_t) flow_stats_len(fs));
    w->table_id = fs->table_id;
    ofp_match_encode(&fs->match, &w->match);
    w->duration_sec = htobe32_t(fs->duration_sec);
    w->duration_nsec = htobe32_t(fs->duration_nsec);
    w->priority = htobe16_t(fs->priority);
    w->idle_timeout = htobe16_t(fs->idle_timeout);
    w->hard_timeout = htobe16_t(fs->hard_timeout);
    w->cookie = htobe64_t(fs->cookie);
    w->packet_count = htobe64_t(fs->packet_count);
    w->byte_count = htobe64_t(fs->byte_count);
    ofp_actions_encode(fs->actions, fs->n_actions, out);
    BUG_ON(out->size - start != flow_stats_len(fs));
}

static void
encode_table_stats(const struct ofp_table_stats_h *t, struct buf *out)
{
    struct ofp_table_stats *w = put_struct(out, sizeof *w);
    w->table_id = t->table_id;
    put_string(w->name, t->name, OFP_MAX_TABLE_NAME_LEN - 1);
    w->wildcards = htobe32_t(t->wildcards);
    w->max_entries = htobe32_t(t->max_entries);
    w->active_count = htobe32_t(t->active_count);
    w->lookup_count = htobe64_t(t->lookup_count);
    w->matched_count = htobe64_t(t->matched_count);
}

static void
encode_port_stats(const struct ofp_port_stats_h *s, struct buf *out)
{
    struct ofp_port_stats *w = put_struct(out, sizeof *w);
    w->port_no = htobe16_t(s->port_no);
    w->rx_packets = htobe64_t(s->rx_packets);
    w->tx_packets = htobe64_t(s->tx_packets);
    w->rx_bytes = htobe64_t(s->rx_bytes);
    w->tx_bytes = htobe64_t(s->tx_bytes);
    w->rx_dropped = htobe64_t(s->rx_dropped);
    w->tx_dropped = htobe64_t(s->tx_dropped);
    w->rx_errors = htobe64_t(s->rx_errors);
    w->tx_errors = htobe64_t(s->tx_errors);
    w->rx_frame_err = htobe64_t(s->rx_frame_err);
    w->rx_over_err = htobe64_t(s->rx_over_err);
    w->rx_crc_err = htobe64_t(s->rx_crc_err);
    w->collisions = htobe64_t(s->collisions);
}

static void
encode_queue_stats(const struct ofp_queue_stats_h *q, struct buf *out)
{
    struct ofp_queue_stats *w = put_struct(out, sizeof *w);
    w->port_no = htobe16_t(q->port_no);
    w->queue_id = htobe32_t(q->queue_id);
    w->tx_bytes = htobe64_t(q->tx_bytes);
    w->tx_packets = htobe64_t(q->tx_packets);
    w->tx_errors = htobe64_t(q->tx_errors);
}

static void
encode_desc_stats(const struct ofp_desc_stats_h *d, struct buf *out)
{
    struct ofp_desc_stats *w = put_struct(out, sizeof *w);
    put_string(w->mfr_desc, d->mfr_desc, DESC_STR_LEN - 1);
    put_string(w->hw_desc, d->hw_desc, DESC_STR_LEN - 1);
    put_string(w->sw_desc, d->sw_desc, DESC_STR_LEN - 1);
    put_string(w->serial_num, d->serial_num, SERIAL_NUM_LEN - 1);
    put_string(w->dp_desc, d->dp_desc, DESC_STR_LEN - 1);
}

/* Starts a stats-reply message; type and flags are set when it is done. */
static size_t
stats_reply_start(const struct ofp_msg *msg, struct buf *out)
{
    size_t start = start_msg(out, OFPT_STATS_REPLY, msg->xid);

    put_struct(out, sizeof(struct ofp_stats_reply) - sizeof(struct ofp_header));
    return start;
}

static void
stats_reply_finish(const struct ofp_msg *msg, struct buf *out, size_t start,
                   bool more)
{
    struct ofp_stats_reply *w = (void *) (out->data + start);
    uint16_t flags = msg->stats_reply.flags & ~OFPSF_REPLY_MORE;

    if (more || (msg->stats_reply.flags & OFPSF_REPLY_MORE)) {
        flags |= OFPSF_REPLY_MORE;
    }
    w->type = htobe16_t(msg->stats_reply.type);
    w->flags = htobe16_t(flags);
    finish_msg(out, start);
}

#define MAX_BODY (OFP_MAX_MSG_LEN - sizeof(struct ofp_stats_reply))

/* Encodes an array-bodied stats reply, splitting; returns messages added. */
#define ENCODE_SPLIT(FIELD, LEN_EXPR, ENCODE_FN)                            \
    do {                                                                    \
        size_t i_ = 0;                                                      \
        const size_t n_ = msg->stats_reply.FIELD.n;                         \
        do {                                                                \
            size_t start_ = stats_reply_start(msg, out);                    \
            size_t body_ = 0;                                               \
            for (; i_ < n_; i_++) {                                         \
                const __typeof__(*msg->stats_reply.FIELD.entries) *e_ =     \
                    &msg->stats_reply.FIELD.entries[i_];                    \
                size_t len_ = (LEN_EXPR);                                   \
                BUG_ON(len_ > MAX_BODY);                                    \
                if (body_ + len_ > MAX_BODY) {                              \
                    break;                                                  \
                }                                                           \
                ENCODE_FN(e_, out);                                         \
                body_ += len_;                                              \
            }                                                               \
            stats_reply_finish(msg, out, start_, i_ < n_);                  \
            count++;                                                        \
        } while (i_ < n_);                                                  \
    } while (0)

static size_t
encode_stats_reply(const struct ofp_msg *msg, struct buf *out)
{
    const struct ofp_stats_reply_h *sr = &msg->stats_reply;
    size_t count = 0;

    switch (sr->type) {
    case OFPST_FLOW:
        ENCODE_SPLIT(flow, flow_stats_len(e_), encode_flow_stats);
        return count;
    case OFPST_TABLE:
        ENCODE_SPLIT(table, sizeof(struct ofp_table_stats), encode_table_stats);
        return count;
    case OFPST_PORT:
        ENCODE_SPLIT(port, sizeof(struct ofp_port_stats), encode_port_stats);
        return count;
    case OFPST_QUEUE:
        ENCODE_SPLIT(queue, sizeof(struct ofp_queue_stats), encode_queue_stats);
        return count;
    default: {
        size_t start = stats_reply_start(msg, out);
        if (sr->type == OFPST_DESC) {
            encode_desc_stats(&sr->desc, out);
        } else if (sr->type == OFPST_AGGREGATE) {
            struct ofp_aggregate_stats_reply *w = put_struct(out, sizeof *w);
            w->packet_count = htobe64_t(sr->aggregate.packet_count);
            w->byte_count = htobe64_t(sr->aggregate.byte_count);
            w->flow_count = htobe32_t(sr->aggregate.flow_count);
        }
        stats_reply_finish(msg, out, start, false);
        return 1;
    }
    }
}

static void
encode_queue_get_config_reply(const struct ofp_queue_get_config_reply_h *qr,
                              struct buf *out)
{
    struct ofp_queue_get_config_reply *w;

    w = put_struct(out, sizeof *w - sizeof w->header);
    w = (void *) ((uint8_t *) w - sizeof w->header);
    w->port = htobe16_t(qr->port);
    for (size_t i = 0; i < qr->n_queues; i++) {
        const struct ofp_queue_h *q = &qr->queues[i];
        size_t qlen = sizeof(struct ofp_packet_queue)
                      + (q->has_min_rate ? sizeof(struct ofp_queue_prop_min_rate) : 0);
        struct ofp_packet_queue *qw = put_struct(out, sizeof *qw);

        qw->queue_id = htobe32_t(q->queue_id);
        qw->len = htobe16_t((uint16_t) qlen);
        if (q->has_min_rate) {
            struct ofp_queue_prop_min_rate *mr = put_struct(out, sizeof *mr);
            mr->prop_header.property = htobe16_t(OFPQT_MIN_RATE);
            mr->prop_header.len = htobe16_t(sizeof *mr);
            mr->rate = htobe16_t(q->min_rate);
        }
    }
}

/* Appends the body (everything after the header) of a non-stats-reply. */
static void
encode_body(const struct ofp_msg *msg, struct buf *out)
{
    switch (msg->type) {
    case OFPT_HELLO:
        put_bytes(out, msg->hello);
        break;
    case OFPT_ERROR: {
        be16_t *w = put_struct(out, 4);
        w[0] = htobe16_t(msg->error.type);
        w[1] = htobe16_t(msg->error.code);
        put_bytes(out, msg->error.data);
        break;
    }
    case OFPT_ECHO_REQUEST:
    case OFPT_ECHO_REPLY:
        put_bytes(out, msg->echo);
        break;
    case OFPT_VENDOR: {
        be32_t *w = put_struct(out, 4);
        *w = htobe32_t(msg->vendor.vendor);
        put_bytes(out, msg->vendor.data);
        break;
    }
    case OFPT_FEATURES_REPLY: {
        const struct ofp_features_reply *f = &msg->features;
        struct ofp_switch_features *w;

        w = (void *) ((uint8_t *) put_struct(out, sizeof *w - 8) - 8);
        w->datapath_id = htobe64_t(f->datapath_id);
        w->n_buffers = htobe32_t(f->n_buffers);
        w->n_tables = f->n_tables;
        w->capabilities = htobe32_t(f->capabilities);
        w->actions = htobe32_t(f->actions);
        for (size_t i = 0; i < f->n_ports; i++) {
            encode_port(&f->ports[i], put_struct(out, sizeof(struct ofp_phy_port)));
        }
        break;
    }
    case OFPT_GET_CONFIG_REPLY:
    case OFPT_SET_CONFIG: {
        be16_t *w = put_struct(out, 4);
        w[0] = htobe16_t(msg->config.flags);
        w[1] = htobe16_t(msg->config.miss_send_len);
        break;
    }
    case OFPT_PACKET_IN: {
        struct ofp_packet_in *w;
        w = (void *) ((uint8_t *) put_struct(out, sizeof *w - 8) - 8);
        w->buffer_id = htobe32_t(msg->packet_in.buffer_id);
        w->total_len = htobe16_t(msg->packet_in.total_len);
        w->in_port = htobe16_t(msg->packet_in.in_port);
        w->reason = msg->packet_in.reason;
        put_bytes(out, msg->packet_in.data);
        break;
    }
    case OFPT_FLOW_REMOVED: {
        const struct ofp_flow_removed_h *fr = &msg->flow_removed;
        struct ofp_flow_removed *w;
        w = (void *) ((uint8_t *) put_struct(out, sizeof *w - 8) - 8);
        ofp_match_encode(&fr->match, &w->match);
        w->cookie = htobe64_t(fr->cookie);
        w->priority = htobe16_t(fr->priority);
        w->reason = fr->reason;
        w->duration_sec = htobe32_t(fr->duration_sec);
        w->duration_nsec = htobe32_t(fr->duration_nsec);
        w->idle_timeout = htobe16_t(fr->idle_timeout);
        w->packet_count = htobe64_t(fr->packet_count);
        w->byte_count = htobe64_t(fr->byte_count);
        break;
    }
    case OFPT_PORT_STATUS: {
        struct ofp_port_status *w;
        w = (void *) ((uint8_t *) put_struct(out, sizeof *w - 8) - 8);
        w->reason = msg->port_status.reason;
        encode_port(&msg->port_status.desc, &w->desc);
        break;
    }
    case OFPT_PACKET_OUT: {
        const struct ofp_packet_out_h *po = &msg->packet_out;
        struct ofp_packet_out *w;
        w = (void *) ((uint8_t *) put_struct(out, sizeof *w - 8) - 8);
        w->buffer_id = htobe32_t(po->buffer_id);
        w->in_port = htobe16_t(po->in_port);
        w->actions_len = htobe16_t((uint16_t) ofp_actions_wire_len(po->actions,
                                                                   po->n_actions));
        ofp_actions_encode(po->actions, po->n_actions, out);
        put_bytes(out, po->data);
        break;
    }
    case OFPT_FLOW_MOD: {
        const struct ofp_flow_mod_h *fm = &msg->flow_mod;
        struct ofp_flow_mod *w;
        w = (void *) ((uint8_t *) put_struct(out, sizeof *w - 8) - 8);
        ofp_match_encode(&fm->match, &w->match);
        w->cookie = htobe64_t(fm->cookie);
        w->command = htobe16_t(fm->command);
        w->idle_timeout = htobe16_t(fm->idle_timeout);
        w->hard_timeout = htobe16_t(fm->hard_timeout);
        w->priority = htobe16_t(fm->priority);
        w->buffer_id = htobe32_t(fm->buffer_id);
        w->out_port = htobe16_t(fm->out_port);
        w->flags = htobe16_t(fm->flags);
        ofp_actions_encode(fm->actions, fm->n_actions, out);
        break;
    }
    case OFPT_PORT_MOD: {
        const struct ofp_port_mod_h *pm = &msg->port_mod;
        struct ofp_port_mod *w;
        w = (void *) ((uint8_t *) put_struct(out, sizeof *w - 8) - 8);
        w->port_no = htobe16_t(pm->port_no);
        memcpy(w->hw_addr, pm->hw_addr, OFP_ETH_ALEN);
        w->config = htobe32_t(pm->config);
        w->mask = htobe32_t(pm->mask);
        w->advertise = htobe32_t(pm->advertise);
        break;
    }
    case OFPT_STATS_REQUEST: {
        be16_t *w = put_struct(out, 4);
        w[0] = htobe16_t(msg->stats_request.type);
        w[1] = htobe16_t(msg->stats_request.flags);
        encode_stats_request(&msg->stats_request, out);
        break;
    }
    case OFPT_QUEUE_GET_CONFIG_REQUEST: {
        be16_t *w = put_struct(out, 4);
        w[0] = htobe16_t(msg->queue_get_config_request.port);
        break;
    }
    case OFPT_QUEUE_GET_CONFIG_REPLY:
        encode_queue_get_config_reply(&msg->queue_get_config_reply, out);
        break;
    default:
        /* FEATURES_REQUEST, GET_CONFIG_REQUEST, BARRIER_*: header only;
         * unknown types encode as a bare header too. */
        break;
    }
}

size_t
ofp_encode_count(const struct ofp_msg *msg, struct buf *out)
{
    size_t start;

    if (msg->type == OFPT_STATS_REPLY) {
        return encode_stats_reply(msg, out);
    }
    start = start_msg(out, msg->type, msg->xid);
    encode_body(msg, out);
    finish_msg(out, start);
    return 1;
}

void
ofp_encode(const struct ofp_msg *msg, struct buf *out)
{
    ofp_encode_count(msg, out);
}
