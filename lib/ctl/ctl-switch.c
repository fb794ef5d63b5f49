/* ctl-switch — handshake, dispatch and output of one switch; see the header. */
#include "ctl/ctl-private.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "net/event-loop.h"
#include "net/rconn.h"
#include "net/stream.h"
#include "pkt/flow-key.h"
#include "util/clock.h"
#include "util/counter.h"
#include "util/log.h"

LOG_MODULE(ctl_switch);

COUNTER_DEFINE(ctl_peer_malformed, "switch messages that failed to decode (peer disconnected)");
COUNTER_DEFINE(ctl_peer_bad_hello, "switches with an incompatible OpenFlow version");
COUNTER_DEFINE(ctl_peer_unexpected, "switch messages of a type a switch must not send");
COUNTER_DEFINE(ctl_switch_errors, "OFPT_ERROR messages received from switches");
COUNTER_DEFINE(ctl_packet_in_malformed_frame, "PACKET_IN frames with truncated headers");

/* CTL_TX_HIGH_WATER: above it the controller stops reading a switch until
 * its output drains (with the stream's own bounded queue, stream.h, at most
 * about twice this is held per switch). */
enum { CTL_HANDSHAKE_TIMEOUT_MS = 10000, CTL_TX_FLUSH_BYTES = 65536,
       CTL_TX_HIGH_WATER = 256 * 1024 };

struct ctl_switch *
ctl_switch_alloc(struct controller *ctl, const char *name)
{
    struct ctl_switch *sw = xzalloc(sizeof *sw);
    sw->ctl = ctl;
    sw->name = xstrdup(name);
    sw->state = CTL_SW_HELLO;
    buf_init(&sw->rx, 0);
    buf_init(&sw->tx, 0);
    list_init(&sw->barriers);
    list_init(&sw->dirty_node);
    hmap_init(&sw->flows);
    sw->next_xid = 1;
    sw->connected_ms = sw->last_rx_ms = clock_now_ms();
    list_push_back(&ctl->switches, &sw->node);
    return sw;
}

static void
barriers_clear(struct ctl_switch *sw)
{
    while (!list_is_empty(&sw->barriers)) {
        free(CONTAINER_OF(list_pop_front(&sw->barriers), struct ctl_barrier, node));
    }
    sw->stats.barriers_pending = 0;
}

/* Forgets the connection's state; tells the app if it knew the switch. */
void
ctl_switch_went_down(struct ctl_switch *sw)
{
    struct ctl_app *app = sw->ctl->app;
    if (sw->state == CTL_SW_UP && app && app->class->switch_down) {
        app->class->switch_down(app, sw);
    }
    barriers_clear(sw);
    ctl_flows_clear(sw);
    free(sw->ports);
    sw->ports = NULL;
    sw->n_ports = 0;
    sw->echo_pending = false;
}

void
ctl_switch_free(struct ctl_switch *sw)
{
    if (!sw) {
        return;
    }
    ctl_switch_went_down(sw);
    if (sw->dirty) {
        list_remove(&sw->dirty_node);
    }
    list_remove(&sw->node);
    if (sw->stream) {
        if (sw->fd_registered) {
            loop_remove_fd(sw->ctl->loop, stream_fd(sw->stream));
        }
        stream_close(sw->stream);
    }
    rconn_destroy(sw->rconn);
    hmap_destroy(&sw->flows);
    buf_uninit(&sw->rx);
    buf_uninit(&sw->tx);
    free(sw->name);
    free(sw);
}

/* Marks the switch for disconnection (done by the controller after the
 * current event).  Idempotent. */
void
ctl_switch_kill(struct ctl_switch *sw, const char *reason)
{
    if (sw->state == CTL_SW_DEAD) {
        return;
    }
    if (sw->state == CTL_SW_UP) {
        LOG_INFO("%s: disconnecting: %s", sw->name, reason);
    } else {
        /* Before the handshake: any peer can cause these (a connection
         * flood), so they are rate-limited. */
        static struct log_ratelimit rl = LOG_RATELIMIT_INIT(20, 10);
        LOG_RL(&rl, LOG_LEVEL_INFO, "%s: disconnecting: %s", sw->name, reason);
    }
    ctl_switch_went_down(sw);
    sw->state = CTL_SW_DEAD;
    sw->kill_reason = reason;
}

static void
mark_dirty(struct ctl_switch *sw)
{
    if (!sw->dirty) {
        sw->dirty = true;
        list_push_back(&sw->ctl->dirty, &sw->dirty_node);
    }
}

static bool
can_send(const struct ctl_switch *sw)
{
    return sw->state == CTL_SW_HELLO || sw->state == CTL_SW_FEATURES
           || sw->state == CTL_SW_UP;
}

uint32_t
ctl_switch_next_xid(struct ctl_switch *sw)
{
    uint32_t xid = sw->next_xid++;
    if (!sw->next_xid) {
        sw->next_xid = 1;
    }
    return xid;
}

static void
queue_msg(struct ctl_switch *sw, const struct ofp_msg *msg)
{
    /* Encoded into an aligned scratch buffer first: ofp_encode() stores
     * some fields through aligned pointers (lib/ofp/ofp-encode.c, OFPT_ERROR),
     * and messages in sw->tx may start at any offset.  The scratch buffer
     * is reused, so this is a copy, not an allocation, per message. */
    struct buf *scratch = &sw->ctl->scratch;
    buf_clear(scratch);
    size_t n = ofp_encode_count(msg, scratch);
    buf_put(&sw->tx, scratch->data, scratch->size);
    sw->stats.tx_msgs += n;
    mark_dirty(sw);
    if (sw->tx.size >= CTL_TX_FLUSH_BYTES && !sw->sink) {
        ctl_switch_flush(sw);
    }
}

int
ctl_switch_send(struct ctl_switch *sw, const struct ofp_msg *msg)
{
    if (!can_send(sw)) {
        return -ENOTCONN;
    }
    queue_msg(sw, msg);
    return 0;
}

void
ctl_switch_start_handshake(struct ctl_switch *sw)
{
    struct ofp_msg hello;
    sw->state = CTL_SW_HELLO;
    sw->connected_ms = sw->last_rx_ms = clock_now_ms();
    sw->echo_pending = false;
    ofp_make_hello(&hello, ctl_switch_next_xid(sw));
    queue_msg(sw, &hello);
}

void
ctl_flow_mod_init(struct ofp_flow_mod_h *fm, uint16_t command,
                  const struct ofp_match_h *match, uint16_t priority,
                  const struct ofp_action *actions, size_t n_actions)
{
    memset(fm, 0, sizeof *fm);
    fm->match = *match;
    ofp_match_normalize(&fm->match);
    fm->command = command;
    fm->priority = priority;
    fm->buffer_id = OFP_NO_BUFFER;
    fm->out_port = OFPP_NONE;
    fm->actions = (struct ofp_action *) actions;
    fm->n_actions = n_actions;
}

int
ctl_switch_flow_mod(struct ctl_switch *sw, const struct ofp_flow_mod_h *fm_in)
{
    if (!can_send(sw)) {
        return -ENOTCONN;
    }
    struct ofp_msg msg;
    ofp_msg_init(&msg, OFPT_FLOW_MOD, ctl_switch_next_xid(sw));
    msg.flow_mod = *fm_in;
    ofp_match_normalize(&msg.flow_mod.match);
    if (!msg.flow_mod.cookie) {
        msg.flow_mod.cookie = sw->ctl->cookie;
    }
    const struct ctl_app *app = sw->ctl->app;
    if (app && app->class->track_flows) {
        if (msg.flow_mod.command == OFPFC_ADD
            && (msg.flow_mod.idle_timeout || msg.flow_mod.hard_timeout)) {
            msg.flow_mod.flags |= OFPFF_SEND_FLOW_REM;
        }
        ctl_flows_track(sw, &msg.flow_mod);
    }
    sw->stats.flow_mods++;
    queue_msg(sw, &msg);
    return 0;
}

int
ctl_switch_packet_out(struct ctl_switch *sw, uint32_t buffer_id, uint16_t in_port,
                      const struct ofp_action *actions, size_t n_actions,
                      const void *data, size_t len)
{
    if (!can_send(sw)) {
        return -ENOTCONN;
    }
    struct ofp_msg msg;
    ofp_msg_init(&msg, OFPT_PACKET_OUT, ctl_switch_next_xid(sw));
    msg.packet_out.buffer_id = buffer_id;
    msg.packet_out.in_port = in_port;
    msg.packet_out.actions = (struct ofp_action *) actions;
    msg.packet_out.n_actions = n_actions;
    if (buffer_id == OFP_NO_BUFFER) {
        msg.packet_out.data.data = data;
        msg.packet_out.data.len = len;
    }
    sw->stats.packet_outs++;
    queue_msg(sw, &msg);
    return 0;
}

uint32_t
ctl_switch_barrier(struct ctl_switch *sw, void (*cb)(struct ctl_switch *, void *), void *aux)
{
    if (!can_send(sw)) {
        return 0;
    }
    struct ofp_msg msg;
    uint32_t xid = ctl_switch_next_xid(sw);
    ofp_msg_init(&msg, OFPT_BARRIER_REQUEST, xid);
    struct ctl_barrier *b = xzalloc(sizeof *b);
    b->xid = xid;
    b->cb = cb;
    b->aux = aux;
    list_push_back(&sw->barriers, &b->node);
    sw->stats.barriers_pending++;
    queue_msg(sw, &msg);
    return xid;
}

/* Receiving. */

static void
send_error(struct ctl_switch *sw, struct ofp_error err, const uint8_t *data, size_t len)
{
    struct ofp_msg msg;
    ofp_make_error(&msg, err, data, len);
    queue_msg(sw, &msg);
}

static void
handle_features(struct ctl_switch *sw, const struct ofp_features_reply *f)
{
    sw->dpid = f->datapath_id;
    free(sw->ports);
    sw->n_ports = f->n_ports;
    sw->ports = f->n_ports ? xmemdup(f->ports, f->n_ports * sizeof *f->ports) : NULL;
    if (!sw->ctl->keep_flows) {
        struct ofp_match_h all;
        struct ofp_flow_mod_h fm;
        ofp_match_init_catchall(&all);
        ctl_flow_mod_init(&fm, OFPFC_DELETE, &all, 0, NULL, 0);
        struct ofp_msg msg;
        ofp_msg_init(&msg, OFPT_FLOW_MOD, ctl_switch_next_xid(sw));
        msg.flow_mod = fm;
        queue_msg(sw, &msg);
    }
    sw->state = CTL_SW_UP;
    if (sw->stream) {
        stream_set_established(sw->stream);     /* No handshake timeout. */
    }
    LOG_INFO("%s: switch %016"PRIx64" up with %zu ports", sw->name, sw->dpid, sw->n_ports);
    struct ctl_app *app = sw->ctl->app;
    if (app && app->class->switch_up) {
        app->class->switch_up(app, sw);
    }
}

static void
handle_port_status(struct ctl_switch *sw, const struct ofp_port_status_h *ps)
{
    size_t i;
    for (i = 0; i < sw->n_ports; i++) {
        if (sw->ports[i].port_no == ps->desc.port_no) {
            break;
        }
    }
    if (ps->reason == OFPPR_DELETE) {
        if (i < sw->n_ports) {
            sw->ports[i] = sw->ports[--sw->n_ports];
        }
    } else if (i < sw->n_ports) {
        sw->ports[i] = ps->desc;
    } else {
        sw->ports = xrealloc(sw->ports, (sw->n_ports + 1) * sizeof *sw->ports);
        sw->ports[sw->n_ports++] = ps->desc;
    }
    struct ctl_app *app = sw->ctl->app;
    if (app && app->class->port_status) {
        app->class->port_status(app, sw, ps->reason, &ps->desc);
    }
}

static void
handle_packet_in(struct ctl_switch *sw, const struct ofp_packet_in_h *pi)
{
    struct ctl_app *app = sw->ctl->app;
    sw->stats.packet_ins++;
    if (!app || !app->class->packet_in) {
        return;
    }
    struct ctl_packet_in cpi;
    cpi.buffer_id = pi->buffer_id;
    cpi.total_len = pi->total_len;
    cpi.in_port = pi->in_port;
    cpi.reason = pi->reason;
    cpi.data = pi->data.data;
    cpi.len = pi->data.len;
    struct packet pkt = { .data = (uint8_t *) pi->data.data, .len = (uint32_t) pi->data.len,
                          .room = (uint32_t) pi->data.len };
    cpi.extract_error = flow_extract(&pkt, pi->in_port, &cpi.key, &cpi.layout);
    if (cpi.extract_error == -EINVAL) {
        counter_inc(&ctl_packet_in_malformed_frame);
        return;
    }
    if (cpi.extract_error) {
        counter_inc(&ctl_packet_in_malformed_frame);
    }
    app->class->packet_in(app, sw, &cpi);
}

static void
handle_barrier_reply(struct ctl_switch *sw, uint32_t xid)
{
    /* Replies come in order; earlier barriers without a reply are done too. */
    while (!list_is_empty(&sw->barriers)) {
        struct ctl_barrier *b = CONTAINER_OF(sw->barriers.next, struct ctl_barrier, node);
        bool last = b->xid == xid;
        list_remove(&b->node);
        sw->stats.barriers_pending--;
        if (b->cb) {
            b->cb(sw, b->aux);
        }
        free(b);
        if (last || sw->state != CTL_SW_UP) {
            break;
        }
    }
}

void
ctl_switch_handle_msg(struct ctl_switch *sw, const uint8_t *data, size_t len)
{
    struct ofp_msg msg;
    struct ofp_error err;
    char errbuf[96];

    sw->stats.rx_msgs++;
    sw->last_rx_ms = clock_now_ms();
    sw->echo_pending = false;

    if (data[1] == OFPT_HELLO && data[0] == 0) {
        counter_inc(&ctl_peer_bad_hello);
        LOG_PEER("%s: peer sent HELLO with version 0: incompatible", sw->name);
        struct ofp_msg hf;
        ofp_make_hello_failed(&hf, 0, OFPHFC_INCOMPATIBLE, "OpenFlow 1.0 (0x01) only");
        queue_msg(sw, &hf);
        ctl_switch_kill(sw, "peer's OpenFlow version is incompatible");
        return;
    }
    int r = (data[1] == OFPT_HELLO) ? 0 : ofp_decode(data, len, &msg, &err);
    if (data[1] == OFPT_HELLO) {
        ofp_msg_init(&msg, OFPT_HELLO, 0);
    } else if (r) {
        counter_inc(&ctl_peer_malformed);
        const char *tn = ofp_type_name(data[1]);
        LOG_PEER("%s: peer sent a malformed %s message (%zu bytes): %s; disconnecting",
                 sw->name, tn ? tn : "unknown-type", len,
                 ofp_error_format(err, errbuf, sizeof errbuf));
        send_error(sw, err, data, len);
        ctl_switch_kill(sw, "peer sent a malformed message");
        return;
    }

    struct ctl_app *app = sw->ctl->app;
    switch (msg.type) {
    case OFPT_HELLO:
        if (sw->state == CTL_SW_HELLO) {
            struct ofp_msg m;
            ofp_msg_init(&m, OFPT_FEATURES_REQUEST, ctl_switch_next_xid(sw));
            queue_msg(sw, &m);
            ofp_msg_init(&m, OFPT_SET_CONFIG, ctl_switch_next_xid(sw));
            m.config.flags = OFPC_FRAG_NORMAL;
            m.config.miss_send_len = 0xffff;
            queue_msg(sw, &m);
            sw->state = CTL_SW_FEATURES;
        }
        break;
    case OFPT_ECHO_REQUEST: {
        struct ofp_msg reply;
        ofp_make_echo_reply(&reply, &msg);
        queue_msg(sw, &reply);
        break;
    }
    case OFPT_ECHO_REPLY:
        break;
    case OFPT_ERROR:
        sw->stats.errors_received++;
        counter_inc(&ctl_switch_errors);
        LOG_WARN("%s: switch reports %s for our xid 0x%"PRIx32, sw->name,
                 ofp_error_format(OFP_ERROR(msg.error.type, msg.error.code), errbuf, sizeof errbuf),
                 msg.xid);
        if (msg.error.type == OFPET_HELLO_FAILED) {
            ctl_switch_kill(sw, "switch refused our HELLO");
        } else if (app && app->class->error && sw->state == CTL_SW_UP) {
            app->class->error(app, sw, msg.xid, &msg.error);
        }
        break;
    case OFPT_FEATURES_REPLY:
        if (sw->state == CTL_SW_FEATURES) {
            handle_features(sw, &msg.features);
        } else if (sw->state == CTL_SW_UP) {
            sw->dpid = msg.features.datapath_id;
        }
        break;
    case OFPT_PACKET_IN:
        if (sw->state == CTL_SW_UP) {
            handle_packet_in(sw, &msg.packet_in);
        }
        break;
    case OFPT_PORT_STATUS:
        if (sw->state == CTL_SW_UP) {
            handle_port_status(sw, &msg.port_status);
        }
        break;
    case OFPT_FLOW_REMOVED:
        if (sw->state == CTL_SW_UP) {
            sw->stats.flow_removed++;
            struct ctl_flow *f = ctl_flow_find(sw, &msg.flow_removed.match,
                                           msg.flow_removed.priority);
            if (f) {
                ctl_flow_remove(sw, f);
            }
            if (app && app->class->flow_removed) {
                app->class->flow_removed(app, sw, &msg.flow_removed);
            }
        }
        break;
    case OFPT_BARRIER_REPLY:
        handle_barrier_reply(sw, msg.xid);
        break;
    case OFPT_GET_CONFIG_REPLY:
    case OFPT_STATS_REPLY:
    case OFPT_QUEUE_GET_CONFIG_REPLY:
        break;
    case OFPT_VENDOR:
        send_error(sw, OFP_ERROR(OFPET_BAD_REQUEST, OFPBRC_BAD_VENDOR), data, len);
        break;
    default:
        /* A controller-to-switch message coming from a switch. */
        counter_inc(&ctl_peer_unexpected);
        LOG_PEER("%s: peer sent %s, which only controllers send", sw->name,
                 ofp_type_name(msg.type));
        send_error(sw, OFP_ERROR(OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE), data, len);
        break;
    }
    ofp_msg_uninit(&msg);
}

/* Cuts sw->rx into messages and handles them.  Returns 0 or -EPROTO. */
int
ctl_switch_process_rx(struct ctl_switch *sw)
{
    size_t off = 0;
    while (sw->state != CTL_SW_DEAD) {
        int n = ofp_frame_length(sw->rx.data + off, sw->rx.size - off);
        if (n == 0) {
            break;
        }
        if (n < 0) {
            counter_inc(&ctl_peer_malformed);
            LOG_PEER("%s: peer sent an OpenFlow header with length < 8: disconnecting",
                     sw->name);
            ctl_switch_kill(sw, "framing error");
            return -EPROTO;
        }
        ctl_switch_handle_msg(sw, sw->rx.data + off, (size_t) n);
        off += (size_t) n;
    }
    if (sw->state == CTL_SW_DEAD) {
        return -EPROTO;
    }
    /* Keep the partial message at the start of the buffer. */
    size_t left = sw->rx.size - off;
    if (left && off) {
        memmove(sw->rx.base, sw->rx.data + off, left);
    }
    sw->rx.data = sw->rx.base;
    sw->rx.size = left;
    return 0;
}

int
ctl_switch_receive(struct ctl_switch *sw, const void *data, size_t len)
{
    buf_put(&sw->rx, data, len);
    return ctl_switch_process_rx(sw);
}

/* Writes pending output.  Returns 0, or -errno after which the switch is
 * dead. */
int
ctl_switch_flush(struct ctl_switch *sw)
{
    if (sw->dirty) {
        list_remove(&sw->dirty_node);
        sw->dirty = false;
    }
    if (!sw->tx.size) {
        return 0;
    }
    if (sw->sink) {
        size_t off = 0;
        while (off < sw->tx.size) {
            int n = ofp_frame_length(sw->tx.data + off, sw->tx.size - off);
            BUG_ON(n <= 0);
            sw->sink(sw->tx.data + off, (size_t) n, sw->sink_aux);
            off += (size_t) n;
        }
        buf_clear(&sw->tx);
        return 0;
    }
    if (sw->rconn) {
        struct buf *b = buf_new(sw->tx.size);
        buf_put(b, sw->tx.data, sw->tx.size);
        buf_clear(&sw->tx);
        rconn_send(sw->rconn, b);
        return 0;
    }
    if (!sw->stream) {
        buf_clear(&sw->tx);
        return 0;
    }
    int r = stream_send(sw->stream, sw->tx.data, sw->tx.size);
    if (r == 0) {
        buf_clear(&sw->tx);
    } else if (r == -ENOBUFS) {
        if (sw->tx.size > 64u * 1024 * 1024) {
            LOG_PEER("%s: peer does not read its messages (%zu bytes pending)",
                     sw->name, sw->tx.size);
            ctl_switch_kill(sw, "peer stopped reading");
            return -ENOBUFS;
        }
        mark_dirty(sw);     /* Retried when the stream is writable. */
    } else if (r == -ETIMEDOUT) {
        ctl_switch_kill(sw, "peer stopped reading (send queue full)");
        return r;
    } else {
        ctl_switch_kill(sw, "connection lost");
        return r;
    }
    if (sw->fd_registered) {
        unsigned int ev = stream_wanted_events(sw->stream) | (sw->tx.size ? LOOP_WRITE : 0);
        if (!ctl_switch_may_read(sw)) {
            ev &= ~LOOP_READ;       /* Back-pressure: stop reading a peer we cannot answer. */
        }
        loop_set_fd_interest(sw->ctl->loop, stream_fd(sw->stream), ev);
    }
    return 0;
}

bool
ctl_switch_may_read(const struct ctl_switch *sw)
{
    if (sw->tx.size >= CTL_TX_HIGH_WATER) {
        return false;
    }
    /* The process-wide send-queue total is reached (stream.h): a switch
     * with output of its own still queued waits; one that is keeping up
     * (nothing queued) is not held back by the others. */
    return !sw->stream || !stream_queued_bytes(sw->stream)
           || stream_total_queued_bytes() < stream_total_queue_limit();
}

void
ctl_switch_check_timers(struct ctl_switch *sw, uint64_t now)
{
    if (sw->sink || sw->state == CTL_SW_DEAD || sw->state == CTL_SW_DOWN) {
        return;
    }
    uint64_t silence = now - sw->last_rx_ms;
    if (sw->state != CTL_SW_UP) {
        if (now - sw->connected_ms >= CTL_HANDSHAKE_TIMEOUT_MS) {
            ctl_switch_kill(sw, "handshake timed out");
        }
        return;
    }
    uint32_t probe = sw->ctl->probe_ms;
    if (silence >= 2ull * probe) {
        ctl_switch_kill(sw, "no reply to echo request");
    } else if (silence >= probe && !sw->echo_pending) {
        struct ofp_msg m;
        ofp_msg_init(&m, OFPT_ECHO_REQUEST, ctl_switch_next_xid(sw));
        queue_msg(sw, &m);
        sw->echo_pending = true;
        sw->stats.echo_requests_sent++;
    }
}

void
ctl_switch_destroy(struct ctl_switch *sw)
{
    ctl_switch_free(sw);
}

struct ctl_switch *
ctl_switch_create_detached(struct controller *ctl, uint64_t dpid,
                           const struct ofp_port_h *ports, size_t n_ports,
                           void (*sink)(const void *, size_t, void *), void *aux)
{
    char name[40];
    snprintf(name, sizeof name, "detached:%016"PRIx64, dpid);
    struct ctl_switch *sw = ctl_switch_alloc(ctl, name);
    sw->sink = sink;
    sw->sink_aux = aux;
    sw->state = CTL_SW_FEATURES;
    struct ofp_features_reply f = { .datapath_id = dpid,
                                    .ports = (struct ofp_port_h *) ports,
                                    .n_ports = n_ports };
    handle_features(sw, &f);
    return sw;
}

/* Accessors. */

uint64_t ctl_switch_dpid(const struct ctl_switch *sw) { return sw->dpid; }
const char *ctl_switch_name(const struct ctl_switch *sw) { return sw->name; }
bool ctl_switch_is_up(const struct ctl_switch *sw) { return sw->state == CTL_SW_UP; }
size_t ctl_switch_n_ports(const struct ctl_switch *sw) { return sw->n_ports; }
void ctl_switch_set_app_data(struct ctl_switch *sw, void *d) { sw->app_data = d; }
void *ctl_switch_get_app_data(const struct ctl_switch *sw) { return sw->app_data; }
size_t ctl_switch_n_flows(const struct ctl_switch *sw) { return hmap_count(&sw->flows); }

const struct ofp_port_h *
ctl_switch_port_at(const struct ctl_switch *sw, size_t i)
{
    return i < sw->n_ports ? &sw->ports[i] : NULL;
}

const struct ofp_port_h *
ctl_switch_port(const struct ctl_switch *sw, uint16_t port_no)
{
    for (size_t i = 0; i < sw->n_ports; i++) {
        if (sw->ports[i].port_no == port_no) {
            return &sw->ports[i];
        }
    }
    return NULL;
}

void
ctl_switch_get_stats(const struct ctl_switch *sw, struct ctl_switch_stats *s)
{
    *s = sw->stats;
}
