/* ofconn — see ofconn.h. */
#include "ofproto/ofconn.h"

#include <errno.h>
#include <string.h>
#include "net/event-loop.h"
#include "net/of-conn.h"
#include "net/rconn.h"
#include "net/stream.h"
#include "ofproto/ofproto-private.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/counter.h"
#include "util/log.h"
#include "util/util.h"

LOG_MODULE(ofconn);

COUNTER_DEFINE(ofp_rx_msgs, "OpenFlow messages received from all peers");
COUNTER_DEFINE(ofp_rx_error_reply, "OpenFlow requests answered with OFPT_ERROR");
COUNTER_DEFINE(ofp_rx_bad_version, "OpenFlow messages with a version other than 1 (BAD_VERSION)");
COUNTER_DEFINE(ofp_rx_malformed, "OpenFlow messages that failed to decode (BAD_LEN, BAD_TYPE, BAD_STAT, bad actions)");
COUNTER_DEFINE(ofp_hello_failed, "peers whose HELLO offered no version we speak");
COUNTER_DEFINE(ofp_framing_error, "connections closed for an OpenFlow length below 8");
COUNTER_DEFINE(ofp_peer_disconnect_garbage, "peers disconnected for sending too many bad messages");
COUNTER_DEFINE(ofp_tx_dropped, "OpenFlow messages dropped because a peer's send queue was full");

static void ofconn_receive(struct ofconn *, struct buf *msg);

/* Sending. */

static int
ofconn_send_buf(struct ofconn *ofconn, struct buf *b)
{
    int error;
    if (ofconn->kind == OFCONN_CONTROLLER) {
        error = rconn_send(ofconn->rconn, b);
    } else {
        error = of_conn_send(ofconn->conn, b);
    }
    if (!error) {
        ofconn->n_tx++;
    } else if (error == -ENOBUFS) {
        counter_inc(&ofp_tx_dropped);
    }
    return error;
}

int
ofconn_send(struct ofconn *ofconn, const struct ofp_msg *msg)
{
    if (ofconn->dead) {
        return -ENOTCONN;
    }
    struct buf *b = buf_new(256);
    ofp_encode(msg, b);
    /* ofp_encode may append several messages (split stats replies): they
     * travel as one buffer; the stream sees the same bytes either way. */
    return ofconn_send_buf(ofconn, b);
}

static void
send_simple(struct ofconn *ofconn, struct ofp_msg *msg)
{
    ofconn_send(ofconn, msg);
    ofp_msg_uninit(msg);
}

/* Disconnecting (deferred). */

static int64_t
close_timer_cb(struct loop *loop, uint64_t id, void *ofconn_)
{
    struct ofconn *ofconn = ofconn_;
    (void) loop;
    (void) id;
    ofconn->close_timer = 0;
    if (ofconn->kind == OFCONN_CONTROLLER) {
        ofconn->dead = false;
        ofconn->hello_received = false;
        rconn_reconnect(ofconn->rconn);
    } else {
        ofproto_mgmt_closed(ofconn->ofproto, ofconn);
    }
    return LOOP_TIMER_DONE;
}

static void
ofconn_disconnect_later(struct ofconn *ofconn, const char *why)
{
    if (ofconn->dead) {
        return;
    }
    LOG_INFO("%s: disconnecting: %s", ofconn->name, why);
    bool was_up = ofconn_is_connected(ofconn);
    ofconn->dead = true;
    ofconn->close_timer = loop_add_timer(ofproto_loop(ofconn->ofproto), 0,
                                         close_timer_cb, ofconn);
    if (was_up && ofconn->kind == OFCONN_CONTROLLER) {
        ofproto_controllers_changed(ofconn->ofproto);  /* Fail mode now. */
    }
}

/* The peer's HELLO (or a first message standing for it) fixed the version:
 * for a controller the session is up, so the fail mode no longer applies. */
static void
handshake_done(struct ofconn *ofconn)
{
    ofconn->hello_received = true;
    if (ofconn->kind == OFCONN_CONTROLLER) {
        LOG_INFO("%s: OpenFlow session up", ofconn->name);
        ofproto_controllers_changed(ofconn->ofproto);
    }
}

void
ofconn_send_error(struct ofconn *ofconn, struct ofp_error err,
                  const void *raw, size_t len)
{
    char name[96];
    struct ofp_msg msg;

    ofp_make_error(&msg, err, raw, len);
    ofconn_send(ofconn, &msg);
    ofp_msg_uninit(&msg);
    ofconn->n_errors_sent++;
    counter_inc(&ofp_rx_error_reply);
    LOG_PEER("%s: replied %s", ofconn->name, ofp_error_format(err, name, sizeof name));

    uint64_t now = clock_now_ms();
    if (now - ofconn->garbage_window_start_ms > OFPROTO_GARBAGE_WINDOW_MS) {
        ofconn->garbage_window_start_ms = now;
        ofconn->garbage_in_window = 0;
    }
    if (++ofconn->garbage_in_window > OFPROTO_GARBAGE_MAX) {
        ofconn->n_disconnects_garbage++;
        counter_inc(&ofp_peer_disconnect_garbage);
        LOG_PEER("%s: more than %d bad messages in %d s", ofconn->name,
                 OFPROTO_GARBAGE_MAX, OFPROTO_GARBAGE_WINDOW_MS / 1000);
        ofconn_disconnect_later(ofconn, "too many bad messages");
    }
}

/* Receiving. */

static void
handle_hello(struct ofconn *ofconn, const struct buf *msg)
{
    uint8_t version = msg->data[0];
    if (version < OFP_VERSION) {
        struct ofp_msg reply;
        uint32_t xid;
        memcpy(&xid, msg->data + 4, 4);
        ofp_make_hello_failed(&reply, be32_to_host((be32_t) { xid }),
                              OFPHFC_INCOMPATIBLE,
                              "We support version 0x01 only");
        ofconn_send(ofconn, &reply);
        ofp_msg_uninit(&reply);
        ofconn->n_errors_sent++;
        counter_inc(&ofp_hello_failed);
        counter_inc(&ofp_rx_error_reply);
        LOG_PEER("%s: HELLO with version 0x%02x: incompatible", ofconn->name, version);
        ofconn_disconnect_later(ofconn, "version negotiation failed");
        return;
    }
    LOG_DBG("%s: HELLO version 0x%02x, using 0x01", ofconn->name, version);
    handshake_done(ofconn);
}

static void
ofconn_receive(struct ofconn *ofconn, struct buf *raw)
{
    const uint8_t *data = raw->data;
    size_t len = raw->size;

    ofconn->n_rx++;
    counter_inc(&ofp_rx_msgs);
    if (ofconn->dead || len < OF_HEADER_LEN) {
        return;
    }
    uint8_t version = data[0], type = data[1];
    if (!ofconn->hello_received) {
        if (type == OFPT_HELLO || version != OFP_VERSION) {
            handle_hello(ofconn, raw);
            if (type == OFPT_HELLO || ofconn->dead) {
                return;
            }
        } else {
            handshake_done(ofconn);         /* Implicit HELLO, version 1. */
        }
    } else if (type == OFPT_HELLO && version == OFP_VERSION) {
        return;                             /* A repeated HELLO: harmless. */
    }
    if (version != OFP_VERSION) {
        counter_inc(&ofp_rx_bad_version);
        ofconn_send_error(ofconn, OFP_ERROR(OFPET_BAD_REQUEST, OFPBRC_BAD_VERSION),
                          data, len);
        return;
    }

    struct ofp_action_ctx ctx = {
        .max_ports = OFPP_MAX,
        .allow_table = type == OFPT_PACKET_OUT,
    };
    struct ofp_msg msg;
    struct ofp_error err;
    if (ofp_decode_ctx(data, len, &ctx, &msg, &err)) {
        counter_inc(&ofp_rx_malformed);
        ofconn_send_error(ofconn, err, data, len);
        return;
    }
    if (ofproto_handle_msg(ofconn->ofproto, ofconn, &msg, data, len, &err)) {
        ofconn_send_error(ofconn, err, data, len);
    }
    ofp_msg_uninit(&msg);
}

static void
send_hello(struct ofconn *ofconn)
{
    struct ofp_msg hello;
    ofp_make_hello(&hello, 0);
    send_simple(ofconn, &hello);
}

static void
reset_session(struct ofconn *ofconn)
{
    ofconn->hello_received = false;
    ofconn->miss_send_len = OFP_DEFAULT_MISS_SEND_LEN;
    ofconn->garbage_in_window = 0;
    ofconn->garbage_window_start_ms = clock_now_ms();
}

/* Controller connections. */

static void
rconn_connected_cb(struct rconn *rconn, void *ofconn_)
{
    struct ofconn *ofconn = ofconn_;
    ofconn->rconn = rconn;      /* May run inside rconn_create(). */
    reset_session(ofconn);
    /* Not a controller yet: only the peer's HELLO makes the session up
     * (a peer that accepts TCP and never speaks OpenFlow leaves the fail
     * mode in force until the rconn's inactivity probe drops it). */
    LOG_INFO("%s: connected, awaiting HELLO", ofconn->name);
    send_hello(ofconn);
}

static void
rconn_message_cb(struct rconn *rconn, struct buf *msg, void *ofconn_)
{
    (void) rconn;
    ofconn_receive(ofconn_, msg);
    buf_delete(msg);
}

static void
rconn_disconnected_cb(struct rconn *rconn, int error, void *ofconn_)
{
    struct ofconn *ofconn = ofconn_;
    (void) rconn;
    if (error == -EPROTO) {
        counter_inc(&ofp_framing_error);
        LOG_PEER("%s: framing error (length below 8)", ofconn->name);
    }
    LOG_INFO("%s: disconnected (%s)", ofconn->name, error ? strerror(-error) : "closed");
    ofconn->hello_received = false;
    ofproto_controllers_changed(ofconn->ofproto);
}

static const struct rconn_callbacks rconn_cbs = {
    .on_connected = rconn_connected_cb,
    .on_message = rconn_message_cb,
    .on_disconnected = rconn_disconnected_cb,
};

int
ofconn_create_controller(struct ofproto *ofproto, const char *target,
                         struct ofconn **ofconnp, char **errp)
{
    struct ofconn *ofconn = xzalloc(sizeof *ofconn);
    ofconn->ofproto = ofproto;
    ofconn->kind = OFCONN_CONTROLLER;
    ofconn->name = xstrdup(target);
    reset_session(ofconn);
    struct rconn_config cfg = {
        .probe_interval_ms = OFPROTO_PROBE_INTERVAL_MS,
        .answer_echo = false,       /* ECHO is answered by the handlers. */
    };
    int error = rconn_create(ofproto_loop(ofproto), target, &cfg, &rconn_cbs,
                             ofconn, &ofconn->rconn, errp);
    if (error) {
        free(ofconn->name);
        free(ofconn);
        return error;
    }
    *ofconnp = ofconn;
    return 0;
}

/* Management connections. */

static void
mgmt_message_cb(struct of_conn *conn, struct buf *msg, void *ofconn_)
{
    (void) conn;
    ofconn_receive(ofconn_, msg);
    buf_delete(msg);
}

static void
mgmt_close_cb(struct of_conn *conn, int error, void *ofconn_)
{
    struct ofconn *ofconn = ofconn_;
    (void) conn;
    if (error == -EPROTO) {
        counter_inc(&ofp_framing_error);
        LOG_PEER("%s: framing error (length below 8)", ofconn->name);
    }
    LOG_DBG("%s: closed (%s)", ofconn->name, error ? strerror(-error) : "by peer");
    if (!ofconn->dead) {
        ofconn->dead = true;
        ofconn->close_timer = loop_add_timer(ofproto_loop(ofconn->ofproto), 0,
                                             close_timer_cb, ofconn);
    }
}

static const struct of_conn_callbacks mgmt_cbs = {
    .on_message = mgmt_message_cb,
    .on_close = mgmt_close_cb,
};

struct ofconn *
ofconn_create_mgmt(struct ofproto *ofproto, struct stream *stream)
{
    struct ofconn *ofconn = xzalloc(sizeof *ofconn);
    ofconn->ofproto = ofproto;
    ofconn->kind = OFCONN_MGMT;
    ofconn->name = xstrdup(stream_name(stream));
    reset_session(ofconn);
    ofconn->conn = of_conn_create(ofproto_loop(ofproto), stream, &mgmt_cbs, ofconn);
    send_hello(ofconn);
    return ofconn;
}

void
ofconn_destroy(struct ofconn *ofconn)
{
    if (!ofconn) {
        return;
    }
    if (ofconn->close_timer) {
        loop_cancel_timer(ofproto_loop(ofconn->ofproto), ofconn->close_timer);
    }
    rconn_destroy(ofconn->rconn);
    of_conn_destroy(ofconn->conn);
    free(ofconn->name);
    free(ofconn);
}

bool
ofconn_is_connected(const struct ofconn *ofconn)
{
    if (ofconn->dead) {
        return false;
    }
    return ofconn->kind == OFCONN_CONTROLLER
           ? rconn_is_connected(ofconn->rconn) && ofconn->hello_received
           : of_conn_is_connected(ofconn->conn);
}

bool
ofconn_wants_async(const struct ofconn *ofconn)
{
    return ofconn->kind == OFCONN_CONTROLLER && ofconn_is_connected(ofconn);
}

void
ofconn_format(const struct ofconn *ofconn, struct buf *out)
{
    if (ofconn->kind == OFCONN_CONTROLLER) {
        struct rconn_status st;
        rconn_get_status(ofconn->rconn, &st);
        buf_printf(out, "  controller %s: %s%s, rx=%llu tx=%llu errors_sent=%llu"
                   " garbage_disconnects=%llu\n",
                   ofconn->name, rconn_state_name(st.state),
                   st.connected && !ofconn->hello_received ? " (awaiting HELLO)" : "",
                   (unsigned long long) ofconn->n_rx, (unsigned long long) ofconn->n_tx,
                   (unsigned long long) ofconn->n_errors_sent,
                   (unsigned long long) ofconn->n_disconnects_garbage);
    } else {
        buf_printf(out, "  management %s: rx=%llu tx=%llu errors_sent=%llu\n",
                   ofconn->name, (unsigned long long) ofconn->n_rx,
                   (unsigned long long) ofconn->n_tx,
                   (unsigned long long) ofconn->n_errors_sent);
    }
}
