/* ofp-decode — wire bytes to struct ofp_msg, with the spec's validation.
 *
 * Every read is bounds-checked against the header's length, which is itself
 * checked against the bytes available.  Fixed-size bodies are accessed
 * through the packed wire structs (alignment 1, so any input address is
 * fine). */
#include "ofp/ofp-msgs.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "util/counter.h"
#include "util/log.h"
#include "util/util.h"

LOG_MODULE(ofp_decode);
COUNTER_DEFINE(ofp_decode_rejected, "OpenFlow messages rejected by ofp_decode");

/* Fails the decode with (TYPE, CODE) and errno ERRNO. */
#define FAIL(ERRNO, TYPE, CODE)                                     \
    do {                                                            \
        if (err) { *err = OFP_ERROR(TYPE, CODE); }                  \
        return -(ERRNO);                                            \
    } while (0)
#define FAIL_LEN() FAIL(EBADMSG, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN)

static void
copy_string(char *dst, const char *src, size_t wire_len)
{
    size_t n = strnlen(src, wire_len);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static void
decode_port(const struct ofp_phy_port *w, struct ofp_port_h *p)
{
    memset(p, 0, sizeof *p);
    p->port_no = be16_to_host(w->port_no);
    memcpy(p->hw_addr, w->hw_addr, OFP_ETH_ALEN);
    copy_string(p->name, w->name, OFP_MAX_PORT_NAME_LEN);
    p->config = be32_to_host(w->config);
    p->state = be32_to_host(w->state);
    p->curr = be32_to_host(w->curr);
    p->advertised = be32_to_host(w->advertised);
    p->supported = be32_to_host(w->supported);
    p->peer = be32_to_host(w->peer);
}

static struct ofp_bytes
bytes_at(const uint8_t *p, size_t len)
{
    return (struct ofp_bytes) { len ? p : NULL, len };
}

static int
decode_features_reply(const uint8_t *p, size_t len, struct ofp_msg *msg,
                      struct ofp_error *err)
{
    const struct ofp_switch_features *w = (const void *) p;
    struct ofp_features_reply *f = &msg->features;
    size_t n;

    if (len < sizeof *w || (len - sizeof *w) % sizeof(struct ofp_phy_port)) {
        FAIL_LEN();
    }
    f->datapath_id = be64_to_host(w->datapath_id);
    f->n_buffers = be32_to_host(w->n_buffers);
    f->n_tables = w->n_tables;
    f->capabilities = be32_to_host(w->capabilities);
    f->actions = be32_to_host(w->actions);
    n = (len - sizeof *w) / sizeof(struct ofp_phy_port);
    f->n_ports = n;
    f->ports = n ? xcalloc(n, sizeof *f->ports) : NULL;
    for (size_t i = 0; i < n; i++) {
        decode_port((const void *) (p + sizeof *w + i * sizeof(struct ofp_phy_port)),
                    &f->ports[i]);
    }
    return 0;
}

static int
decode_packet_out(const uint8_t *p, size_t len,
                  const struct ofp_action_ctx *ctx, struct ofp_msg *msg,
                  struct ofp_error *err)
{
    const struct ofp_packet_out *w = (const void *) p;
    struct ofp_packet_out_h *po = &msg->packet_out;
    struct ofp_action_ctx po_ctx;
    size_t actions_len;
    int error;

    if (len < sizeof *w) {
        FAIL_LEN();
    }
    actions_len = be16_to_host(w->actions_len);
    if (actions_len > len - sizeof *w) {
        FAIL_LEN();
    }
    po->buffer_id = be32_to_host(w->buffer_id);
    po->in_port = be16_to_host(w->in_port);
    po_ctx = *ctx;
    po_ctx.allow_table = true;
    error = ofp_actions_decode(p + sizeof *w, actions_len, &po_ctx,
                               &po->actions, &po->n_actions, err);
    if (error) {
        return error;
    }
    po->data = bytes_at(p + sizeof *w + actions_len,
                        len - sizeof *w - actions_len);
    return 0;
}

static int
decode_flow_mod(const uint8_t *p, size_t len,
                const struct ofp_action_ctx *ctx, struct ofp_msg *msg,
                struct ofp_error *err)
{
    const struct ofp_flow_mod *w = (const void *) p;
    struct ofp_flow_mod_h *fm = &msg->flow_mod;

    if (len < sizeof *w) {
        FAIL_LEN();
    }
    ofp_match_decode(&w->match, &fm->match);
    fm->cookie = be64_to_host(w->cookie);
    fm->command = be16_to_host(w->command);
    fm->idle_timeout = be16_to_host(w->idle_timeout);
    fm->hard_timeout = be16_to_host(w->hard_timeout);
    fm->priority = be16_to_host(w->priority);
    fm->buffer_id = be32_to_host(w->buffer_id);
    fm->out_port = be16_to_host(w->out_port);
    fm->flags = be16_to_host(w->flags);
    if (fm->command > OFPFC_DELETE_STRICT) {
        FAIL(EINVAL, OFPET_FLOW_MOD_FAILED, OFPFMFC_BAD_COMMAND);
    }
    return ofp_actions_decode(p + sizeof *w, len - sizeof *w, ctx,
                              &fm->actions, &fm->n_actions, err);
}

static void
decode_flow_removed(const struct ofp_flow_removed *w,
                    struct ofp_flow_removed_h *fr)
{
    ofp_match_decode(&w->match, &fr->match);
    fr->cookie = be64_to_host(w->cookie);
    fr->priority = be16_to_host(w->priority);
    fr->reason = w->reason;
    fr->duration_sec = be32_to_host(w->duration_sec);
    fr->duration_nsec = be32_to_host(w->duration_nsec);
    fr->idle_timeout = be16_to_host(w->idle_timeout);
    fr->packet_count = be64_to_host(w->packet_count);
    fr->byte_count = be64_to_host(w->byte_count);
}

static void
decode_port_mod(const struct ofp_port_mod *w, struct ofp_port_mod_h *pm)
{
    pm->port_no = be16_to_host(w->port_no);
    memcpy(pm->hw_addr, w->hw_addr, OFP_ETH_ALEN);
    pm->config = be32_to_host(w->config);
    pm->mask = be32_to_host(w->mask);
    pm->advertise = be32_to_host(w->advertise);
}

static int
decode_stats_request(const uint8_t *p, size_t len, struct ofp_msg *msg,
                     struct ofp_error *err)
{
    const struct ofp_stats_request *w = (const void *) p;
    struct ofp_stats_request_h *sr = &msg->stats_request;
    const uint8_t *body = p + sizeof *w;
    size_t body_len;

    if (len < sizeof *w) {
        FAIL_LEN();
    }
    body_len = len - sizeof *w;
    sr->type = be16_to_host(w->type);
    sr->flags = be16_to_host(w->flags);
    switch (sr->type) {
    case OFPST_DESC:
    case OFPST_TABLE:
        if (body_len) {
            FAIL_LEN();
        }
        return 0;
    case OFPST_FLOW:
    case OFPST_AGGREGATE: {
        const struct ofp_flow_stats_request *fw = (const void *) body;
        if (body_len != sizeof *fw) {
            FAIL_LEN();
        }
        ofp_match_decode(&fw->match, &sr->flow.match);
        sr->flow.table_id = fw->table_id;
        sr->flow.out_port = be16_to_host(fw->out_port);
        return 0;
    }
    case OFPST_PORT: {
        const struct ofp_port_stats_request *pw = (const void *) body;
        if (body_len != sizeof *pw) {
            FAIL_LEN();
        }
        sr->port.port_no = be16_to_host(pw->port_no);
        return 0;
    }
    case OFPST_QUEUE: {
        const struct ofp_queue_stats_request *qw = (const void *) body;
        if (body_len != sizeof *qw) {
            FAIL_LEN();
        }
        sr->queue.port_no = be16_to_host(qw->port_no);
        sr->queue.queue_id = be32_to_host(qw->queue_id);
        return 0;
    }
    case OFPST_VENDOR:
        FAIL(EOPNOTSUPP, OFPET_BAD_REQUEST, OFPBRC_BAD_VENDOR);
    default:
        FAIL(EOPNOTSUPP, OFPET_BAD_REQUEST, OFPBRC_BAD_STAT);
    }
}

static int
decode_flow_stats(const uint8_t *body, size_t body_len,
                  const struct ofp_action_ctx *ctx,
                  struct ofp_stats_reply_h *sr, struct ofp_error *err)
{
    size_t max = body_len / sizeof(struct ofp_flow_stats);

    sr->flow.n = 0;
    sr->flow.entries = max ? xcalloc(max, sizeof *sr->flow.entries) : NULL;
    for (size_t ofs = 0; ofs < body_len; ) {
        const struct ofp_flow_stats *w = (const void *) (body + ofs);
        struct ofp_flow_stats_h *fs;
        size_t entry_len;
        int error;

        if (body_len - ofs < sizeof *w) {
            FAIL_LEN();
        }
        entry_len = be16_to_host(w->length);
        if (entry_len < sizeof *w || entry_len > body_len - ofs) {
            FAIL_LEN();
        }
        fs = &sr->flow.entries[sr->flow.n++];
        fs->table_id = w->table_id;
        ofp_match_decode(&w->match, &fs->match);
        fs->duration_sec = be32_to_host(w->duration_sec);
        fs->duration_nsec = be32_to_host(w->duration_nsec);
        fs->priority = be16_to_host(w->priority);
        fs->idle_timeout = be16_to_host(w->idle_timeout);
        fs->hard_timeout = be16_to_host(w->hard_timeout);
        fs->cookie = be64_to_host(w->cookie);
        fs->packet_count = be64_to_host(w->packet_count);
        fs->byte_count = be64_to_host(w->byte_count);
        error = ofp_actions_decode(body + ofs + sizeof *w,
                                   entry_len - sizeof *w, ctx,
                                   &fs->actions, &fs->n_actions, err);
        if (error) {
            return error;
        }
        ofs += entry_len;
    }
    return 0;
}

static void
decode_table_stats(const struct ofp_table_stats *w, struct ofp_table_stats_h *t)
{
    t->table_id = w->table_id;
    copy_string(t->name, w->name, OFP_MAX_TABLE_NAME_LEN);
    t->wildcards = be32_to_host(w->wildcards);
    t->max_entries = be32_to_host(w->max_entries);
    t->active_count = be32_to_host(w->active_count);
    t->lookup_count = be64_to_host(w->lookup_count);
    t->matched_count = be64_to_host(w->matched_count);
}

static void
decode_port_stats(const struct ofp_port_stats *w, struct ofp_port_stats_h *s)
{
    s->port_no = be16_to_host(w->port_no);
    s->rx_packets = be64_to_host(w->rx_packets);
    s->tx_packets = be64_to_host(w->tx_packets);
    s->rx_bytes = be64_to_host(w->rx_bytes);
    s->tx_bytes = be64_to_host(w->tx_bytes);
    s->rx_dropped = be64_to_host(w->rx_dropped);
    s->tx_dropped = be64_to_host(w->tx_dropped);
    s->rx_errors = be64_to_host(w->rx_errors);
    s->tx_errors = be64_to_host(w->tx_errors);
    s->rx_frame_err = be64_to_host(w->rx_frame_err);
    s->rx_over_err = be64_to_host(w->rx_over_err);
    s->rx_crc_err = be64_to_host(w->rx_crc_err);
    s->collisions = be64_to_host(w->collisions);
}

static void
decode_queue_stats(const struct ofp_queue_stats *w, struct ofp_queue_stats_h *q)
{
    q->port_no = be16_to_host(w->port_no);
    q->queue_id = be32_to_host(w->queue_id);
    q->tx_bytes = be64_to_host(w->tx_bytes);
    q->tx_packets = be64_to_host(w->tx_packets);
    q->tx_errors = be64_to_host(w->tx_errors);
}

/* Decodes an array body of N entries of wire size WSIZE into FIELD. */
#define DECODE_ARRAY(FIELD, WTYPE, DECODE_FN)                              \
    do {                                                                   \
        size_t n_ = body_len / sizeof(WTYPE);                              \
        if (body_len % sizeof(WTYPE)) {                                    \
            FAIL_LEN();                                                    \
        }                                                                  \
        sr->FIELD.n = n_;                                                  \
        sr->FIELD.entries = n_ ? xcalloc(n_, sizeof *sr->FIELD.entries) : NULL; \
        for (size_t i_ = 0; i_ < n_; i_++) {                               \
            DECODE_FN((const void *) (body + i_ * sizeof(WTYPE)),          \
                      &sr->FIELD.entries[i_]);                             \
        }                                                                  \
    } while (0)

static int
decode_stats_reply(const uint8_t *p, size_t len,
                   const struct ofp_action_ctx *ctx, struct ofp_msg *msg,
                   struct ofp_error *err)
{
    const struct ofp_stats_reply *w = (const void *) p;
    struct ofp_stats_reply_h *sr = &msg->stats_reply;
    const uint8_t *body = p + sizeof *w;
    size_t body_len;

    if (len < sizeof *w) {
        FAIL_LEN();
    }
    body_len = len - sizeof *w;
    sr->type = be16_to_host(w->type);
    sr->flags = be16_to_host(w->flags);
    switch (sr->type) {
    case OFPST_DESC: {
        const struct ofp_desc_stats *dw = (const void *) body;
        if (body_len != sizeof *dw) {
            FAIL_LEN();
        }
        copy_string(sr->desc.mfr_desc, dw->mfr_desc, DESC_STR_LEN);
        copy_string(sr->desc.hw_desc, dw->hw_desc, DESC_STR_LEN);
        copy_string(sr->desc.sw_desc, dw->sw_desc, DESC_STR_LEN);
        copy_string(sr->desc.serial_num, dw->serial_num, SERIAL_NUM_LEN);
        copy_string(sr->desc.dp_desc, dw->dp_desc, DESC_STR_LEN);
        return 0;
    }
    case OFPST_FLOW:
        return decode_flow_stats(body, body_len, ctx, sr, err);
    case OFPST_AGGREGATE: {
        const struct ofp_aggregate_stats_reply *aw = (const void *) body;
        if (body_len != sizeof *aw) {
            FAIL_LEN();
        }
        sr->aggregate.packet_count = be64_to_host(aw->packet_count);
        sr->aggregate.byte_count = be64_to_host(aw->byte_count);
        sr->aggregate.flow_count = be32_to_host(aw->flow_count);
        return 0;
    }
    case OFPST_TABLE:
        DECODE_ARRAY(table, struct ofp_table_stats, decode_table_stats);
        return 0;
    case OFPST_PORT:
        DECODE_ARRAY(port, struct ofp_port_stats, decode_port_stats);
        return 0;
    case OFPST_QUEUE:
        DECODE_ARRAY(queue, struct ofp_queue_stats, decode_queue_stats);
        return 0;
    case OFPST_VENDOR:
        FAIL(EOPNOTSUPP, OFPET_BAD_REQUEST, OFPBRC_BAD_VENDOR);
    default:
        FAIL(EOPNOTSUPP, OFPET_BAD_REQUEST, OFPBRC_BAD_STAT);
    }
}

static int
decode_queue_get_config_reply(const uint8_t *p, size_t len,
                              struct ofp_msg *msg, struct ofp_error *err)
{
    const struct ofp_queue_get_config_reply *w = (const void *) p;
    struct ofp_queue_get_config_reply_h *qr = &msg->queue_get_config_reply;
    size_t max;

    if (len < sizeof *w) {
        FAIL_LEN();
    }
    qr->port = be16_to_host(w->port);
    max = (len - sizeof *w) / sizeof(struct ofp_packet_queue);
    qr->queues = max ? xcalloc(max, sizeof *qr->queues) : NULL;
    qr->n_queues = 0;
    for (size_t ofs = sizeof *w; ofs < len; ) {
        const struct ofp_packet_queue *qw = (const void *) (p + ofs);
        struct ofp_queue_h *q;
        size_t qlen;

        if (len - ofs < sizeof *qw) {
            FAIL_LEN();
        }
        qlen = be16_to_host(qw->len);
        if (qlen < sizeof *qw || qlen > len - ofs) {
            FAIL_LEN();
        }
        q = &qr->queues[qr->n_queues++];
        q->queue_id = be32_to_host(qw->queue_id);
        for (size_t pofs = sizeof *qw; pofs < qlen; ) {
            const struct ofp_queue_prop_header *ph = (const void *) (p + ofs + pofs);
            size_t plen;

            if (qlen - pofs < sizeof *ph) {
                FAIL_LEN();
            }
            plen = be16_to_host(ph->len);
            if (plen < sizeof *ph || plen > qlen - pofs) {
                FAIL_LEN();
            }
            if (be16_to_host(ph->property) == OFPQT_MIN_RATE) {
                const struct ofp_queue_prop_min_rate *mr = (const void *) ph;
                if (plen != sizeof *mr) {
                    FAIL_LEN();
                }
                q->has_min_rate = true;
                q->min_rate = be16_to_host(mr->rate);
            }
            pofs += plen;
        }
        ofs += qlen;
    }
    return 0;
}

/* Body-length helpers for fixed-size messages. */
static int
need_exact(size_t len, size_t want, struct ofp_error *err)
{
    if (len != want) {
        FAIL_LEN();
    }
    return 0;
}

static int
need_min(size_t len, size_t want, struct ofp_error *err)
{
    if (len < want) {
        FAIL_LEN();
    }
    return 0;
}

static int
decode_body(const uint8_t *p, size_t len, const struct ofp_action_ctx *ctx,
            struct ofp_msg *msg, struct ofp_error *err)
{
    const size_t hlen = sizeof(struct ofp_header);
    int error;

    switch (msg->type) {
    case OFPT_HELLO:
        msg->hello = bytes_at(p + hlen, len - hlen);
        return 0;
    case OFPT_ERROR: {
        const struct ofp_error_msg *w = (const void *) p;
        if ((error = need_min(len, sizeof *w, err))) {
            return error;
        }
        msg->error.type = be16_to_host(w->type);
        msg->error.code = be16_to_host(w->code);
        msg->error.data = bytes_at(p + sizeof *w, len - sizeof *w);
        return 0;
    }
    case OFPT_ECHO_REQUEST:
    case OFPT_ECHO_REPLY:
        msg->echo = bytes_at(p + hlen, len - hlen);
        return 0;
    case OFPT_VENDOR: {
        const struct ofp_vendor_header *w = (const void *) p;
        if ((error = need_min(len, sizeof *w, err))) {
            return error;
        }
        msg->vendor.vendor = be32_to_host(w->vendor);
        msg->vendor.data = bytes_at(p + sizeof *w, len - sizeof *w);
        return 0;
    }
    case OFPT_FEATURES_REQUEST:
    case OFPT_GET_CONFIG_REQUEST:
    case OFPT_BARRIER_REQUEST:
    case OFPT_BARRIER_REPLY:
        return need_exact(len, hlen, err);
    case OFPT_FEATURES_REPLY:
        return decode_features_reply(p, len, msg, err);
    case OFPT_GET_CONFIG_REPLY:
    case OFPT_SET_CONFIG: {
        const struct ofp_switch_config *w = (const void *) p;
        if ((error = need_exact(len, sizeof *w, err))) {
            return error;
        }
        msg->config.flags = be16_to_host(w->flags);
        msg->config.miss_send_len = be16_to_host(w->miss_send_len);
        return 0;
    }
    case OFPT_PACKET_IN: {
        const struct ofp_packet_in *w = (const void *) p;
        if ((error = need_min(len, sizeof *w, err))) {
            return error;
        }
        msg->packet_in.buffer_id = be32_to_host(w->buffer_id);
        msg->packet_in.total_len = be16_to_host(w->total_len);
        msg->packet_in.in_port = be16_to_host(w->in_port);
        msg->packet_in.reason = w->reason;
        msg->packet_in.data = bytes_at(p + sizeof *w, len - sizeof *w);
        return 0;
    }
    case OFPT_FLOW_REMOVED:
        if ((error = need_exact(len, sizeof(struct ofp_flow_removed), err))) {
            return error;
        }
        decode_flow_removed((const void *) p, &msg->flow_removed);
        return 0;
    case OFPT_PORT_STATUS: {
        const struct ofp_port_status *w = (const void *) p;
        if ((error = need_exact(len, sizeof *w, err))) {
            return error;
        }
        msg->port_status.reason = w->reason;
        decode_port(&w->desc, &msg->port_status.desc);
        return 0;
    }
    case OFPT_PACKET_OUT:
        return decode_packet_out(p, len, ctx, msg, err);
    case OFPT_FLOW_MOD:
        return decode_flow_mod(p, len, ctx, msg, err);
    case OFPT_PORT_MOD:
        if ((error = need_exact(len, sizeof(struct ofp_port_mod), err))) {
            return error;
        }
        decode_port_mod((const void *) p, &msg->port_mod);
        return 0;
    case OFPT_STATS_REQUEST:
        return decode_stats_request(p, len, msg, err);
    case OFPT_STATS_REPLY:
        return decode_stats_reply(p, len, ctx, msg, err);
    case OFPT_QUEUE_GET_CONFIG_REQUEST: {
        const struct ofp_queue_get_config_request *w = (const void *) p;
        if ((error = need_exact(len, sizeof *w, err))) {
            return error;
        }
        msg->queue_get_config_request.port = be16_to_host(w->port);
        return 0;
    }
    case OFPT_QUEUE_GET_CONFIG_REPLY:
        return decode_queue_get_config_reply(p, len, msg, err);
    default:
        FAIL(EOPNOTSUPP, OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE);
    }
}

int
ofp_decode_ctx(const void *data, size_t avail,
               const struct ofp_action_ctx *ctx, struct ofp_msg *msg,
               struct ofp_error *err)
{
    static const struct ofp_action_ctx default_ctx = { 0, false, NULL, NULL };
    const struct ofp_header *oh = data;
    size_t len;
    int error;

    memset(msg, 0, sizeof *msg);
    if (!ctx) {
        ctx = &default_ctx;
    }
    if (avail < sizeof *oh) {
        counter_inc(&ofp_decode_rejected);
        LOG_PEER("message of %zu bytes is shorter than a header", avail);
        FAIL_LEN();
    }
    len = be16_to_host(oh->length);
    msg->type = oh->type;
    msg->xid = be32_to_host(oh->xid);
    if (len < sizeof *oh || len > avail) {
        LOG_PEER("%s: header length %zu but %zu bytes available",
                 ofp_type_name(oh->type) ? ofp_type_name(oh->type) : "OFPT_?",
                 len, avail);
        counter_inc(&ofp_decode_rejected);
        memset(msg, 0, sizeof *msg);
        FAIL_LEN();
    }
    if (oh->version != OFP_VERSION && oh->type != OFPT_HELLO) {
        counter_inc(&ofp_decode_rejected);
        LOG_PEER("unsupported OpenFlow version 0x%02x", oh->version);
        memset(msg, 0, sizeof *msg);
        FAIL(EPROTO, OFPET_BAD_REQUEST, OFPBRC_BAD_VERSION);
    }
    error = decode_body(data, len, ctx, msg, err);
    if (error) {
        counter_inc(&ofp_decode_rejected);
        LOG_DBG("%s (xid=0x%"PRIx32") rejected: %d",
                ofp_type_name(msg->type) ? ofp_type_name(msg->type) : "OFPT_?",
                msg->xid, error);
        ofp_msg_uninit(msg);
        memset(msg, 0, sizeof *msg);
    }
    return error;
}

int
ofp_decode(const void *data, size_t len, struct ofp_msg *msg,
           struct ofp_error *err)
{
    return ofp_decode_ctx(data, len, NULL, msg, err);
}
