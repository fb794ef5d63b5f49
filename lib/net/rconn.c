/* rconn — see rconn.h for the state machine.
 *
 * Implementation notes:
 *   - While CONNECTING (TCP connect, and for ssl: the TLS handshake) the
 *     rconn owns the stream and watches its fd itself, with the events the
 *     stream asks for; once connected the stream moves into an of_conn.
 *   - One loop timer at a time (`timer`) holds the next deadline of the
 *     current state.  In ACTIVE it is not moved on every received message:
 *     when it fires early relative to the last reception it re-arms for the
 *     remainder. */
#include "net/rconn.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "net/event-loop.h"
#include "net/of-conn.h"
#include "net/stream.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/util.h"

LOG_MODULE(rconn);

struct rconn {
    struct loop *loop;
    char *target;
    struct rconn_config cfg;
    const struct rconn_callbacks *cbs;
    void *aux;

    enum rconn_state state;
    uint64_t state_entered_ms;
    struct stream *connecting;  /* CONNECTING: the stream being connected. */
    struct of_conn *conn;       /* ACTIVE, IDLE. */
    uint64_t timer;             /* Loop timer id for the state deadline. */

    uint32_t backoff_ms;        /* 0 until the first failure. */
    uint32_t backoff_before_connect; /* For rconn_disconnect(). */
    int last_error;
    char last_error_text[128];
    uint64_t connected_since_ms;
    uint64_t last_rx_ms;
    uint64_t n_attempts, n_connects;
    uint64_t rx_msgs, tx_msgs;
};

static void start_connect(struct rconn *);
static void schedule(struct rconn *);

const char *
rconn_state_name(enum rconn_state state)
{
    switch (state) {
    case RCONN_BACKOFF: return "BACKOFF";
    case RCONN_CONNECTING: return "CONNECTING";
    case RCONN_ACTIVE: return "ACTIVE";
    case RCONN_IDLE: return "IDLE";
    }
    return "?";
}

static void
set_state(struct rconn *rc, enum rconn_state state)
{
    if (rc->state != state) {
        LOG_DBG("%s: %s -> %s", rc->target, rconn_state_name(rc->state),
                rconn_state_name(state));
    }
    rc->state = state;
    rc->state_entered_ms = clock_now_ms();
    schedule(rc);
}

static void
record_error(struct rconn *rc, int error, const char *text)
{
    rc->last_error = error;
    snprintf(rc->last_error_text, sizeof rc->last_error_text, "%s",
             text ? text : strerror(-error));
}

/* Enters BACKOFF after a failed attempt or a lost connection. */
static void
enter_backoff(struct rconn *rc)
{
    rc->backoff_ms = !rc->backoff_ms ? rc->cfg.backoff_min_ms
                     : MIN(rc->backoff_ms * 2, rc->cfg.backoff_max_ms);
    LOG_INFO("%s: %s; retrying in %u ms", rc->target, rc->last_error_text,
             rc->backoff_ms);
    set_state(rc, RCONN_BACKOFF);
}

static void
drop_connection(struct rconn *rc, int error, const char *text)
{
    bool was_connected = rc->conn != NULL;
    if (rc->connecting) {
        loop_remove_fd(rc->loop, stream_fd(rc->connecting));
        stream_close(rc->connecting);
        rc->connecting = NULL;
    }
    of_conn_destroy(rc->conn);      /* Safe from its own callbacks. */
    rc->conn = NULL;
    record_error(rc, error, text);
    enter_backoff(rc);
    if (was_connected && rc->cbs->on_disconnected) {
        rc->cbs->on_disconnected(rc, error, rc->aux);
    }
}

/* The connected connection. */

static void
conn_on_message(struct of_conn *conn, struct buf *msg, void *rc_)
{
    (void) conn;
    struct rconn *rc = rc_;
    rc->rx_msgs++;
    rc->last_rx_ms = clock_now_ms();
    if (rc->state == RCONN_IDLE) {
        set_state(rc, RCONN_ACTIVE);
    }
    rc->cbs->on_message(rc, msg, rc->aux);
}

static void
conn_on_close(struct of_conn *conn, int error, void *rc_)
{
    (void) conn;
    struct rconn *rc = rc_;
    drop_connection(rc, error, error == 0 ? "closed by peer"
                        : error == -EPROTO ? "bad OpenFlow framing from peer"
                        : NULL);
}

static const struct of_conn_callbacks conn_callbacks = {
    conn_on_message, conn_on_close,
};

static void
connected(struct rconn *rc)
{
    struct stream *stream = rc->connecting;
    loop_remove_fd(rc->loop, stream_fd(stream));
    rc->connecting = NULL;
    rc->conn = of_conn_create(rc->loop, stream, &conn_callbacks, rc);
    of_conn_set_auto_echo(rc->conn, rc->cfg.answer_echo);
    of_conn_set_queue_limit(rc->conn, rc->cfg.queue_limit);
    rc->n_connects++;
    rc->backoff_before_connect = rc->backoff_ms;
    rc->backoff_ms = 0;
    rc->connected_since_ms = rc->last_rx_ms = clock_now_ms();
    LOG_INFO("%s: connected", rc->target);
    set_state(rc, RCONN_ACTIVE);
    if (rc->cbs->on_connected) {
        rc->cbs->on_connected(rc, rc->aux);
    }
}

/* Connecting. */

static void
connecting_fd_cb(struct loop *loop, int fd, unsigned int events, void *rc_)
{
    (void) loop;
    (void) events;
    struct rconn *rc = rc_;
    int error = stream_connect(rc->connecting);
    if (!error) {
        connected(rc);
    } else if (error != -EAGAIN) {
        drop_connection(rc, error, NULL);
    } else {
        /* A TLS handshake alternates between wanting READ and WRITE. */
        loop_set_fd_interest(rc->loop, fd, stream_wanted_events(rc->connecting));
    }
}

static void
start_connect(struct rconn *rc)
{
    rc->n_attempts++;
    char *err = NULL;
    int error = stream_open(rc->target, &rc->connecting, &err);
    if (error) {
        rc->connecting = NULL;
        record_error(rc, error, NULL);
        free(err);
        enter_backoff(rc);
        return;
    }
    loop_add_fd(rc->loop, stream_fd(rc->connecting),
                stream_wanted_events(rc->connecting), connecting_fd_cb, rc);
    set_state(rc, RCONN_CONNECTING);
    error = stream_connect(rc->connecting);
    if (!error) {
        connected(rc);
    } else if (error != -EAGAIN) {
        drop_connection(rc, error, NULL);
    }
}

/* Timers. */

static uint64_t
state_deadline_ms(const struct rconn *rc)
{
    uint64_t probe = rc->cfg.probe_interval_ms;
    switch (rc->state) {
    case RCONN_BACKOFF:
        return rc->state_entered_ms + rc->backoff_ms;
    case RCONN_CONNECTING:
        return rc->state_entered_ms + MAX(rc->backoff_ms,
                                          rc->cfg.backoff_min_ms);
    case RCONN_ACTIVE:
        return probe ? rc->last_rx_ms + probe : UINT64_MAX;
    case RCONN_IDLE:
        return rc->state_entered_ms + probe;
    }
    return UINT64_MAX;
}

static int64_t
timer_cb(struct loop *loop, uint64_t id, void *rc_)
{
    (void) loop;
    (void) id;
    struct rconn *rc = rc_;
    rc->timer = 0;
    uint64_t now = clock_now_ms();
    if (now < state_deadline_ms(rc)) {
        schedule(rc);               /* Messages arrived meanwhile. */
        return LOOP_TIMER_DONE;
    }
    switch (rc->state) {
    case RCONN_BACKOFF:
        start_connect(rc);
        break;
    case RCONN_CONNECTING:
        drop_connection(rc, -ETIMEDOUT, "connection attempt timed out");
        break;
    case RCONN_ACTIVE:
        LOG_DBG("%s: idle %"PRIu64" ms, sending echo request", rc->target,
                now - rc->last_rx_ms);
        set_state(rc, RCONN_IDLE);
        of_conn_send(rc->conn, of_msg_make(OF_VERSION_1_0, OFPT_ECHO_REQUEST,
                                           0, NULL, 0));
        break;
    case RCONN_IDLE:
        drop_connection(rc, -ETIMEDOUT, "inactivity probe timeout");
        break;
    }
    return LOOP_TIMER_DONE;
}

static void
schedule(struct rconn *rc)
{
    loop_cancel_timer(rc->loop, rc->timer);
    rc->timer = 0;
    uint64_t deadline = state_deadline_ms(rc);
    if (deadline != UINT64_MAX) {
        uint64_t now = clock_now_ms();
        rc->timer = loop_add_timer(rc->loop, deadline > now ? deadline - now
                                   : 0, timer_cb, rc);
    }
}

/* Public API. */

int
rconn_create(struct loop *loop, const char *target,
             const struct rconn_config *cfg, const struct rconn_callbacks *cbs,
             void *aux, struct rconn **rconnp, char **errp)
{
    *rconnp = NULL;
    int error = stream_verify_name(target, false, errp);
    if (error) {
        return error;
    }
    struct rconn *rc = xzalloc(sizeof *rc);
    rc->loop = loop;
    rc->target = xstrdup(target);
    if (cfg) {
        rc->cfg = *cfg;
    }
    if (!rc->cfg.backoff_min_ms) {
        rc->cfg.backoff_min_ms = RCONN_DEFAULT_BACKOFF_MIN_MS;
    }
    if (!rc->cfg.backoff_max_ms) {
        rc->cfg.backoff_max_ms = RCONN_DEFAULT_BACKOFF_MAX_MS;
    }
    rc->cfg.backoff_max_ms = MAX(rc->cfg.backoff_max_ms,
                                 rc->cfg.backoff_min_ms);
    if (!rc->cfg.queue_limit) {
        rc->cfg.queue_limit = STREAM_DEFAULT_QUEUE_LIMIT;
    }
    rc->cbs = cbs;
    rc->aux = aux;
    rc->state = RCONN_BACKOFF;
    start_connect(rc);
    *rconnp = rc;
    return 0;
}

void
rconn_destroy(struct rconn *rc)
{
    if (!rc) {
        return;
    }
    loop_cancel_timer(rc->loop, rc->timer);
    if (rc->connecting) {
        loop_remove_fd(rc->loop, stream_fd(rc->connecting));
        stream_close(rc->connecting);
    }
    of_conn_destroy(rc->conn);
    free(rc->target);
    free(rc);
}

int
rconn_send_data(struct rconn *rc, const void *data, size_t n)
{
    if (!rc->conn) {
        return -ENOTCONN;
    }
    int error = of_conn_send_data(rc->conn, data, n);
    if (!error) {
        rc->tx_msgs++;
    }
    return error;
}

int
rconn_send(struct rconn *rc, struct buf *msg)
{
    if (!rc->conn) {
        buf_delete(msg);
        return -ENOTCONN;
    }
    int error = of_conn_send(rc->conn, msg);
    if (!error) {
        rc->tx_msgs++;
    }
    return error;
}

void
rconn_reconnect(struct rconn *rc)
{
    if (rc->connecting) {
        loop_remove_fd(rc->loop, stream_fd(rc->connecting));
        stream_close(rc->connecting);
        rc->connecting = NULL;
    }
    bool was_connected = rc->conn != NULL;
    of_conn_destroy(rc->conn);
    rc->conn = NULL;
    rc->backoff_ms = 0;
    record_error(rc, 0, "reconnect requested");
    if (was_connected && rc->cbs->on_disconnected) {
        rc->cbs->on_disconnected(rc, 0, rc->aux);
    }
    start_connect(rc);
}

void
rconn_disconnect(struct rconn *rc, int error, const char *reason)
{
    if (rc->conn || rc->connecting) {
        /* A refused peer counts as a failed attempt: keep growing the
         * back-off instead of restarting it. */
        if (rc->conn) {
            rc->backoff_ms = rc->backoff_before_connect;
        }
        drop_connection(rc, error, reason);
    }
}

bool rconn_is_connected(const struct rconn *rc) { return rc->conn != NULL; }

struct stream *
rconn_stream(const struct rconn *rc)
{
    return rc->conn ? of_conn_stream(rc->conn) : NULL;
}
enum rconn_state rconn_get_state(const struct rconn *rc) { return rc->state; }
const char *rconn_target(const struct rconn *rc) { return rc->target; }

void
rconn_get_status(const struct rconn *rc, struct rconn_status *st)
{
    memset(st, 0, sizeof *st);
    st->target = rc->target;
    st->state = rc->state;
    st->connected = rc->conn != NULL;
    st->backoff_ms = rc->backoff_ms;
    st->last_error = rc->last_error;
    st->last_error_text = rc->last_error_text;
    if (rc->conn) {
        st->connected_s = (clock_now_ms() - rc->connected_since_ms) / 1000;
        st->queued_bytes = of_conn_queued_bytes(rc->conn);
    }
    st->n_attempts = rc->n_attempts;
    st->n_connects = rc->n_connects;
    st->rx_msgs = rc->rx_msgs;
    st->tx_msgs = rc->tx_msgs;
}

json_t *
rconn_status_to_json(const struct rconn_status *st)
{
    return json_pack("{s:s, s:s, s:b, s:I, s:s, s:I, s:I, s:I, s:I, s:I, s:I}",
                     "target", st->target,
                     "state", rconn_state_name(st->state),
                     "connected", st->connected,
                     "backoff_ms", (json_int_t) st->backoff_ms,
                     "last_error", st->last_error_text ? st->last_error_text : "",
                     "connected_s", (json_int_t) st->connected_s,
                     "attempts", (json_int_t) st->n_attempts,
                     "connects", (json_int_t) st->n_connects,
                     "rx_msgs", (json_int_t) st->rx_msgs,
                     "tx_msgs", (json_int_t) st->tx_msgs,
                     "queued_bytes", (json_int_t) st->queued_bytes);
}
