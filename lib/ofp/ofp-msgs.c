/* ofp-msgs — message lifetime, framing, constructors and names. */
#include "ofp/ofp-msgs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "util/util.h"

void
ofp_msg_uninit(struct ofp_msg *msg)
{
    uint8_t type;

    if (!msg) {
        return;
    }
    type = msg->type;
    switch (type) {
    case OFPT_FEATURES_REPLY:
        free(msg->features.ports);
        break;
    case OFPT_PACKET_OUT:
        free(msg->packet_out.actions);
        break;
    case OFPT_FLOW_MOD:
        free(msg->flow_mod.actions);
        break;
    case OFPT_STATS_REPLY:
        switch (msg->stats_reply.type) {
        case OFPST_FLOW:
            for (size_t i = 0; i < msg->stats_reply.flow.n; i++) {
                free(msg->stats_reply.flow.entries[i].actions);
            }
            free(msg->stats_reply.flow.entries);
            break;
        case OFPST_TABLE:
            free(msg->stats_reply.table.entries);
            break;
        case OFPST_PORT:
            free(msg->stats_reply.port.entries);
            break;
        case OFPST_QUEUE:
            free(msg->stats_reply.queue.entries);
            break;
        default:
            break;
        }
        break;
    case OFPT_QUEUE_GET_CONFIG_REPLY:
        free(msg->queue_get_config_reply.queues);
        break;
    default:
        break;
    }
    memset(msg, 0, sizeof *msg);
    msg->type = type;
}

int
ofp_frame_length(const void *data, size_t avail)
{
    const struct ofp_header *oh = data;
    size_t len;

    if (avail < sizeof *oh) {
        return 0;
    }
    len = be16_to_host(oh->length);
    if (len < sizeof *oh) {
        return -EBADMSG;
    }
    return avail >= len ? (int) len : 0;
}

void
ofp_msg_init(struct ofp_msg *msg, uint8_t type, uint32_t xid)
{
    memset(msg, 0, sizeof *msg);
    msg->type = type;
    msg->xid = xid;
}

void
ofp_make_hello(struct ofp_msg *msg, uint32_t xid)
{
    ofp_msg_init(msg, OFPT_HELLO, xid);
}

void
ofp_make_echo_reply(struct ofp_msg *msg, const struct ofp_msg *request)
{
    ofp_msg_init(msg, OFPT_ECHO_REPLY, request->xid);
    if (request->type == OFPT_ECHO_REQUEST) {
        msg->echo = request->echo;
    }
}

void
ofp_make_error(struct ofp_msg *msg, struct ofp_error err,
               const void *offending, size_t len)
{
    uint32_t xid = 0;

    if (offending && len >= sizeof(struct ofp_header)) {
        const struct ofp_header *oh = offending;
        xid = be32_to_host(oh->xid);
    }
    ofp_msg_init(msg, OFPT_ERROR, xid);
    msg->error.type = err.type;
    msg->error.code = err.code;
    if (offending && len) {
        msg->error.data.data = offending;
        msg->error.data.len = MIN(len, (size_t) OFP_ERROR_DATA_MAX);
    }
}

void
ofp_make_hello_failed(struct ofp_msg *msg, uint32_t xid, uint16_t code,
                      const char *text)
{
    ofp_msg_init(msg, OFPT_ERROR, xid);
    msg->error.type = OFPET_HELLO_FAILED;
    msg->error.code = code;
    if (text) {
        msg->error.data.data = (const uint8_t *) text;
        msg->error.data.len = strlen(text);
    }
}

static void *
copy_array(const void *p, size_t n, size_t size)
{
    return n ? xmemdup(p, n * size) : NULL;
}

void
ofp_make_features_reply(struct ofp_msg *msg, uint32_t xid,
                        uint64_t datapath_id, uint32_t n_buffers,
                        uint8_t n_tables, uint32_t capabilities,
                        uint32_t actions,
                        const struct ofp_port_h *ports, size_t n_ports)
{
    ofp_msg_init(msg, OFPT_FEATURES_REPLY, xid);
    msg->features.datapath_id = datapath_id;
    msg->features.n_buffers = n_buffers;
    msg->features.n_tables = n_tables;
    msg->features.capabilities = capabilities;
    msg->features.actions = actions;
    msg->features.ports = copy_array(ports, n_ports, sizeof *ports);
    msg->features.n_ports = n_ports;
}

void
ofp_make_packet_in(struct ofp_msg *msg, uint32_t buffer_id,
                   uint16_t total_len, uint16_t in_port, uint8_t reason,
                   const void *data, size_t len)
{
    ofp_msg_init(msg, OFPT_PACKET_IN, 0);
    msg->packet_in.buffer_id = buffer_id;
    msg->packet_in.total_len = total_len;
    msg->packet_in.in_port = in_port;
    msg->packet_in.reason = reason;
    msg->packet_in.data.data = len ? data : NULL;
    msg->packet_in.data.len = len;
}

void
ofp_make_flow_removed(struct ofp_msg *msg, const struct ofp_flow_removed_h *fr)
{
    ofp_msg_init(msg, OFPT_FLOW_REMOVED, 0);
    msg->flow_removed = *fr;
}

void
ofp_make_port_status(struct ofp_msg *msg, uint8_t reason,
                     const struct ofp_port_h *port)
{
    ofp_msg_init(msg, OFPT_PORT_STATUS, 0);
    msg->port_status.reason = reason;
    msg->port_status.desc = *port;
}

void
ofp_make_barrier_reply(struct ofp_msg *msg, uint32_t xid)
{
    ofp_msg_init(msg, OFPT_BARRIER_REPLY, xid);
}

void
ofp_make_config_reply(struct ofp_msg *msg, uint32_t xid, uint16_t flags,
                      uint16_t miss_send_len)
{
    ofp_msg_init(msg, OFPT_GET_CONFIG_REPLY, xid);
    msg->config.flags = flags;
    msg->config.miss_send_len = miss_send_len;
}

static void
init_stats_reply(struct ofp_msg *msg, uint32_t xid, uint16_t type)
{
    ofp_msg_init(msg, OFPT_STATS_REPLY, xid);
    msg->stats_reply.type = type;
}

void
ofp_make_desc_stats_reply(struct ofp_msg *msg, uint32_t xid,
                          const struct ofp_desc_stats_h *desc)
{
    init_stats_reply(msg, xid, OFPST_DESC);
    msg->stats_reply.desc = *desc;
}

void
ofp_make_flow_stats_reply(struct ofp_msg *msg, uint32_t xid,
                          const struct ofp_flow_stats_h *fs, size_t n)
{
    struct ofp_flow_stats_h *entries;

    init_stats_reply(msg, xid, OFPST_FLOW);
    entries = copy_array(fs, n, sizeof *fs);
    for (size_t i = 0; i < n; i++) {
        entries[i].actions = copy_array(fs[i].actions, fs[i].n_actions,
                                        sizeof *fs[i].actions);
    }
    msg->stats_reply.flow.entries = entries;
    msg->stats_reply.flow.n = n;
}

void
ofp_make_aggregate_stats_reply(struct ofp_msg *msg, uint32_t xid,
                               const struct ofp_aggregate_stats_h *agg)
{
    init_stats_reply(msg, xid, OFPST_AGGREGATE);
    msg->stats_reply.aggregate = *agg;
}

void
ofp_make_table_stats_reply(struct ofp_msg *msg, uint32_t xid,
                           const struct ofp_table_stats_h *ts, size_t n)
{
    init_stats_reply(msg, xid, OFPST_TABLE);
    msg->stats_reply.table.entries = copy_array(ts, n, sizeof *ts);
    msg->stats_reply.table.n = n;
}

void
ofp_make_port_stats_reply(struct ofp_msg *msg, uint32_t xid,
                          const struct ofp_port_stats_h *ps, size_t n)
{
    init_stats_reply(msg, xid, OFPST_PORT);
    msg->stats_reply.port.entries = copy_array(ps, n, sizeof *ps);
    msg->stats_reply.port.n = n;
}

void
ofp_make_queue_stats_reply(struct ofp_msg *msg, uint32_t xid,
                           const struct ofp_queue_stats_h *qs, size_t n)
{
    init_stats_reply(msg, xid, OFPST_QUEUE);
    msg->stats_reply.queue.entries = copy_array(qs, n, sizeof *qs);
    msg->stats_reply.queue.n = n;
}

void
ofp_make_queue_get_config_reply(struct ofp_msg *msg, uint32_t xid,
                                uint16_t port, const struct ofp_queue_h *q,
                                size_t n)
{
    ofp_msg_init(msg, OFPT_QUEUE_GET_CONFIG_REPLY, xid);
    msg->queue_get_config_reply.port = port;
    msg->queue_get_config_reply.queues = copy_array(q, n, sizeof *q);
    msg->queue_get_config_reply.n_queues = n;
}

const char *
ofp_type_name(uint8_t type)
{
    static const char *const names[] = {
        [OFPT_HELLO] = "OFPT_HELLO",
        [OFPT_ERROR] = "OFPT_ERROR",
        [OFPT_ECHO_REQUEST] = "OFPT_ECHO_REQUEST",
        [OFPT_ECHO_REPLY] = "OFPT_ECHO_REPLY",
        [OFPT_VENDOR] = "OFPT_VENDOR",
        [OFPT_FEATURES_REQUEST] = "OFPT_FEATURES_REQUEST",
        [OFPT_FEATURES_REPLY] = "OFPT_FEATURES_REPLY",
        [OFPT_GET_CONFIG_REQUEST] = "OFPT_GET_CONFIG_REQUEST",
        [OFPT_GET_CONFIG_REPLY] = "OFPT_GET_CONFIG_REPLY",
        [OFPT_SET_CONFIG] = "OFPT_SET_CONFIG",
        [OFPT_PACKET_IN] = "OFPT_PACKET_IN",
        [OFPT_FLOW_REMOVED] = "OFPT_FLOW_REMOVED",
        [OFPT_PORT_STATUS] = "OFPT_PORT_STATUS",
        [OFPT_PACKET_OUT] = "OFPT_PACKET_OUT",
        [OFPT_FLOW_MOD] = "OFPT_FLOW_MOD",
        [OFPT_PORT_MOD] = "OFPT_PORT_MOD",
        [OFPT_STATS_REQUEST] = "OFPT_STATS_REQUEST",
        [OFPT_STATS_REPLY] = "OFPT_STATS_REPLY",
        [OFPT_BARRIER_REQUEST] = "OFPT_BARRIER_REQUEST",
        [OFPT_BARRIER_REPLY] = "OFPT_BARRIER_REPLY",
        [OFPT_QUEUE_GET_CONFIG_REQUEST] = "OFPT_QUEUE_GET_CONFIG_REQUEST",
        [OFPT_QUEUE_GET_CONFIG_REPLY] = "OFPT_QUEUE_GET_CONFIG_REPLY",
    };
    return type < ARRAY_SIZE(names) ? names[type] : NULL;
}

const char *
ofp_stats_type_name(uint16_t type)
{
    switch (type) {
    case OFPST_DESC: return "OFPST_DESC";
    case OFPST_FLOW: return "OFPST_FLOW";
    case OFPST_AGGREGATE: return "OFPST_AGGREGATE";
    case OFPST_TABLE: return "OFPST_TABLE";
    case OFPST_PORT: return "OFPST_PORT";
    case OFPST_QUEUE: return "OFPST_QUEUE";
    case OFPST_VENDOR: return "OFPST_VENDOR";
    default: return NULL;
    }
}
