/* of-conn — see of-conn.h.
 *
 * The connection registers its stream's fd with the loop and keeps the
 * interest set equal to stream_wanted_events(): READ always, WRITE while
 * connecting or while bytes are queued.  One fd callback:
 *   1. flushes the send queue (and notices a finished connect),
 *   2. reads a bounded amount, frames and delivers whole messages,
 *   3. re-computes the interest set.
 * A callback may destroy the connection; `dispatching` defers the free to
 * the end of the fd callback so no freed memory is touched. */
#include "net/of-conn.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net/event-loop.h"
#include "net/stream.h"
#include "util/buf.h"
#include "util/byteorder.h"
#include "util/counter.h"
#include "util/log.h"
#include "util/util.h"

LOG_MODULE(of_conn);
COUNTER_DEFINE(of_conn_framing_error,
               "OpenFlow connections closed: message length below 8");

#define READ_CHUNK 65536
#define READS_PER_CALLBACK 4    /* Fairness between connections. */

struct of_header {
    uint8_t version;
    uint8_t type;
    be16_t length;
    be32_t xid;
} __attribute__((packed));
BUILD_ASSERT_SIZE(struct of_header, OF_HEADER_LEN);

struct of_conn {
    struct loop *loop;
    struct stream *stream;
    const struct of_conn_callbacks *cbs;
    void *aux;
    struct buf rx;              /* Bytes read but not yet framed. */
    bool closed;                /* on_close reported (or destroying). */
    bool dispatching;           /* Inside the fd callback. */
    bool destroy_pending;       /* of_conn_destroy() called while dispatching. */
    bool auto_echo;
    uint64_t fail_timer;        /* Reports a dead stream from the loop. */
    struct of_conn_stats stats;
};

int
of_frame_pull(struct buf *rx, struct buf **msgp)
{
    *msgp = NULL;
    const struct of_header *oh = buf_at(rx, 0, sizeof *oh);
    if (!oh) {
        return 0;
    }
    /* The length field is 16 bits, so "longer than 65535" cannot be said;
     * below the header size is the only framing error. */
    size_t len = be16_to_host(oh->length);
    if (len < OF_HEADER_LEN) {
        return -EPROTO;
    }
    if (rx->size < len) {
        return 0;
    }
    struct buf *msg = buf_new(len);
    buf_put(msg, buf_pull(rx, len), len);
    if (!rx->size) {
        buf_clear(rx);
    }
    *msgp = msg;
    return 1;
}

struct buf *
of_msg_make(uint8_t version, uint8_t type, uint32_t xid, const void *payload,
            size_t payload_len)
{
    BUG_ON(payload_len > 65535 - OF_HEADER_LEN);
    struct buf *msg = buf_new(OF_HEADER_LEN + payload_len);
    struct of_header *oh = buf_put_uninit(msg, sizeof *oh);
    oh->version = version;
    oh->type = type;
    oh->length = htobe16_t((uint16_t) (OF_HEADER_LEN + payload_len));
    oh->xid = htobe32_t(xid);
    if (payload_len) {
        buf_put(msg, payload, payload_len);
    }
    return msg;
}

static void conn_fd_cb(struct loop *, int fd, unsigned int events, void *);

static void
update_interest(struct of_conn *conn)
{
    if (!conn->closed) {
        loop_set_fd_interest(conn->loop, stream_fd(conn->stream),
                             stream_wanted_events(conn->stream));
    }
}

struct of_conn *
of_conn_create(struct loop *loop, struct stream *stream,
               const struct of_conn_callbacks *cbs, void *aux)
{
    struct of_conn *conn = xzalloc(sizeof *conn);
    conn->loop = loop;
    conn->stream = stream;
    conn->cbs = cbs;
    conn->aux = aux;
    buf_init(&conn->rx, 0);
    int error = loop_add_fd(loop, stream_fd(stream),
                            stream_wanted_events(stream), conn_fd_cb, conn);
    BUG_ON(error);      /* A fresh socket fd always registers. */
    return conn;
}

static void
conn_free(struct of_conn *conn)
{
    if (conn->fail_timer) {
        loop_cancel_timer(conn->loop, conn->fail_timer);
    }
    buf_uninit(&conn->rx);
    free(conn);
}

void
of_conn_destroy(struct of_conn *conn)
{
    if (!conn) {
        return;
    }
    if (conn->stream) {
        loop_remove_fd(conn->loop, stream_fd(conn->stream));
        stream_close(conn->stream);
        conn->stream = NULL;
    }
    conn->closed = true;
    if (conn->dispatching) {
        conn->destroy_pending = true;
    } else {
        conn_free(conn);
    }
}

/* Ends the connection and tells the owner (once).  The stream stays open
 * (but out of the loop) until of_conn_destroy(). */
static void
conn_fail(struct of_conn *conn, int error)
{
    if (conn->closed) {
        return;
    }
    conn->closed = true;
    loop_remove_fd(conn->loop, stream_fd(conn->stream));
    if (error && error != -EPROTO) {
        LOG_DBG("%s: connection closed: %s", stream_name(conn->stream),
                strerror(-error));
    }
    conn->cbs->on_close(conn, error, conn->aux);
}

static void
answer_echo(struct of_conn *conn, const struct buf *request)
{
    struct buf *reply = buf_new(request->size);
    buf_put(reply, request->data, request->size);
    ((struct of_header *) reply->data)->type = OFPT_ECHO_REPLY;
    of_conn_send(conn, reply);
}

/* Delivers every whole message in rx.  Returns false if the connection
 * was closed or destroyed on the way. */
static bool
deliver_messages(struct of_conn *conn)
{
    for (;;) {
        struct buf *msg;
        int r = of_frame_pull(&conn->rx, &msg);
        if (r == 0) {
            return true;
        }
        if (r < 0) {
            counter_inc(&of_conn_framing_error);
            LOG_PEER("%s: OpenFlow message length %u below %d: closing",
                     stream_name(conn->stream),
                     (unsigned) be16_to_host(((struct of_header *)
                                              conn->rx.data)->length),
                     OF_HEADER_LEN);
            conn_fail(conn, -EPROTO);
            return false;
        }
        conn->stats.rx_msgs++;
        if (conn->stats.rx_msgs == 1) {
            /* TLS is done and the peer speaks OpenFlow: no handshake
             * timeout (listener.h) any more. */
            stream_set_established(conn->stream);
        }
        const struct of_header *oh = (const struct of_header *) msg->data;
        if (conn->auto_echo && oh->type == OFPT_ECHO_REQUEST) {
            answer_echo(conn, msg);
        }
        conn->cbs->on_message(conn, msg, conn->aux);
        if (conn->closed) {
            return false;
        }
    }
}

/* Reads up to READS_PER_CALLBACK chunks.  Returns 0, or the error/EOF (as
 * a value for on_close) that ended the stream. */
static int
read_some(struct of_conn *conn, bool *eof)
{
    struct buf *rx = &conn->rx;
    for (int i = 0; i < READS_PER_CALLBACK; i++) {
        if (rx->base && rx->data != rx->base) {
            memmove(rx->base, rx->data, rx->size);  /* Keep rx compact. */
            rx->data = rx->base;
        }
        buf_reserve(rx, READ_CHUNK);
        ssize_t n = stream_recv(conn->stream, rx->data + rx->size,
                                READ_CHUNK);
        if (n == -EAGAIN) {
            return 0;
        }
        if (n <= 0) {
            *eof = true;
            return (int) n;
        }
        rx->size += n;
        conn->stats.rx_bytes += n;
        if (!deliver_messages(conn)) {
            return 0;
        }
    }
    return 0;
}

static void
conn_fd_cb(struct loop *loop, int fd, unsigned int events, void *conn_)
{
    (void) loop;
    (void) fd;
    struct of_conn *conn = conn_;
    conn->dispatching = true;

    int error = stream_run(conn->stream);
    if (error) {
        conn_fail(conn, error);
    } else if (events & LOOP_READ) {
        bool eof = false;
        error = read_some(conn, &eof);
        if (eof && !conn->closed) {
            conn_fail(conn, error);
        }
    }

    conn->dispatching = false;
    if (conn->destroy_pending) {
        conn_free(conn);
    } else {
        update_interest(conn);
    }
}

static int64_t
fail_timer_cb(struct loop *loop, uint64_t id, void *conn_)
{
    struct of_conn *conn = conn_;
    (void) loop;
    (void) id;
    conn->fail_timer = 0;
    int error = stream_run(conn->stream);
    conn_fail(conn, error ? error : -EPIPE);
    return LOOP_TIMER_DONE;
}

int
of_conn_send(struct of_conn *conn, struct buf *msg)
{
    int error = of_conn_send_data(conn, msg->data, msg->size);
    buf_delete(msg);
    return error;
}

int
of_conn_send_data(struct of_conn *conn, const void *data, size_t n)
{
    if (conn->closed) {
        return -ENOTCONN;
    }
    int error = stream_send(conn->stream, data, n);
    if (!error) {
        conn->stats.tx_msgs++;
        conn->stats.tx_bytes += n;
    } else if (error == -ENOBUFS) {
        conn->stats.tx_dropped++;
    } else if (!conn->fail_timer) {
        /* Dead stream (e.g. -ETIMEDOUT: the peer stopped reading, and its
         * socket may never become ready again): on_close is reported from
         * the loop, never from inside the caller's send. */
        conn->fail_timer = loop_add_timer(conn->loop, 0, fail_timer_cb, conn);
    }
    if (!error && !conn->dispatching) {
        update_interest(conn);
    }
    return error;
}

void of_conn_set_auto_echo(struct of_conn *conn, bool on) { conn->auto_echo = on; }

void
of_conn_set_queue_limit(struct of_conn *conn, size_t bytes)
{
    if (conn->stream) {
        stream_set_queue_limit(conn->stream, bytes);
    }
}

size_t
of_conn_queued_bytes(const struct of_conn *conn)
{
    return conn->stream ? stream_queued_bytes(conn->stream) : 0;
}

bool
of_conn_is_connected(const struct of_conn *conn)
{
    return !conn->closed && stream_connect(conn->stream) == 0;
}

const char *
of_conn_name(const struct of_conn *conn)
{
    return conn->stream ? stream_name(conn->stream) : "(closed)";
}

struct stream *
of_conn_stream(const struct of_conn *conn)
{
    return conn->stream;
}

void
of_conn_get_stats(const struct of_conn *conn, struct of_conn_stats *stats)
{
    *stats = conn->stats;
}
