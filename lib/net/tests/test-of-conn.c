/* Unit tests: OpenFlow framing (split, merged, garbage bytes) and of_conn
 * over a real tcp connection on 127.0.0.1 driven by the event loop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>

#include "net/event-loop.h"
#include "net/of-conn.h"
#include "net/stream.h"
#include "util/buf.h"
#include "util/counter.h"
#include "util/util.h"
#include "net-test-util.h"

/* An OpenFlow message: header + `extra` bytes of payload (value = type). */
static struct buf *
make_msg(uint8_t type, uint32_t xid, size_t extra)
{
    uint8_t payload[256];
    memset(payload, type, sizeof payload);
    return of_msg_make(OF_VERSION_1_0, type, xid, payload, extra);
}

static void
test_frame_split_and_merged(void **state)
{
    (void) state;
    struct buf *a = make_msg(10, 1, 0), *b = make_msg(11, 2, 100),
               *c = make_msg(12, 3, 7);
    struct buf all = BUF_EMPTY;
    buf_put(&all, a->data, a->size);
    buf_put(&all, b->data, b->size);
    buf_put(&all, c->data, c->size);

    /* Merged: all three in one read. */
    struct buf rx = BUF_EMPTY, *msg;
    buf_put(&rx, all.data, all.size);
    assert_int_equal(of_frame_pull(&rx, &msg), 1);
    assert_int_equal(msg->size, 8);
    assert_memory_equal(msg->data, a->data, 8);
    buf_delete(msg);
    assert_int_equal(of_frame_pull(&rx, &msg), 1);
    assert_int_equal(msg->size, 108);
    assert_memory_equal(msg->data, b->data, 108);
    buf_delete(msg);
    assert_int_equal(of_frame_pull(&rx, &msg), 1);
    assert_int_equal(msg->size, 15);
    buf_delete(msg);
    assert_int_equal(of_frame_pull(&rx, &msg), 0);
    assert_null(msg);
    assert_int_equal(rx.size, 0);

    /* Split: one byte at a time; each message appears exactly when its
     * last byte arrives. */
    size_t ends[] = { 8, 116, 131 };
    int n_msgs = 0;
    for (size_t i = 0; i < all.size; i++) {
        buf_put(&rx, all.data + i, 1);
        int r = of_frame_pull(&rx, &msg);
        if (i + 1 == ends[n_msgs]) {
            assert_int_equal(r, 1);
            n_msgs++;
            buf_delete(msg);
        } else {
            assert_int_equal(r, 0);
        }
    }
    assert_int_equal(n_msgs, 3);
    buf_uninit(&rx);
    buf_uninit(&all);
    buf_delete(a);
    buf_delete(b);
    buf_delete(c);
}

static void
test_frame_garbage(void **state)
{
    (void) state;
    static const uint8_t bad_len[][8] = {
        { 1, 0, 0, 0, 0, 0, 0, 0 },     /* Length 0. */
        { 1, 0, 0, 7, 0, 0, 0, 0 },     /* Length 7. */
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad_len); i++) {
        struct buf rx = BUF_EMPTY, *msg;
        buf_put(&rx, bad_len[i], 4);
        assert_int_equal(of_frame_pull(&rx, &msg), 0);  /* Need 8 bytes. */
        buf_put(&rx, bad_len[i] + 4, 4);
        assert_int_equal(of_frame_pull(&rx, &msg), -EPROTO);
        assert_null(msg);
        buf_uninit(&rx);
    }
    /* Maximum length frames (version is not this layer's business). */
    struct buf rx = BUF_EMPTY, *msg;
    uint8_t hdr[8] = { 0x42, 99, 0xff, 0xff, 0, 0, 0, 1 };
    buf_put(&rx, hdr, 8);
    buf_put_zeros(&rx, 65535 - 8);
    assert_int_equal(of_frame_pull(&rx, &msg), 1);
    assert_int_equal(msg->size, 65535);
    buf_delete(msg);
    buf_uninit(&rx);
}

/* Random bytes: framing either yields messages whose lengths account for
 * every consumed byte, or stops at a bad header; it never reads past the
 * buffer (run under ASan). */
static void
test_frame_random(void **state)
{
    (void) state;
    unsigned int seed = 12345;
    for (int round = 0; round < 2000; round++) {
        size_t n = rand_r(&seed) % 300;
        struct buf rx = BUF_EMPTY;
        uint8_t *p = buf_put_uninit(&rx, n);
        for (size_t i = 0; i < n; i++) {
            p[i] = (uint8_t) rand_r(&seed);
            if (i % 8 == 2) {
                p[i] = 0;           /* Keep many lengths below 256. */
            }
        }
        size_t consumed = 0;
        struct buf *msg;
        int r;
        while ((r = of_frame_pull(&rx, &msg)) == 1) {
            assert_true(msg->size >= 8);
            assert_int_equal(msg->size, (msg->data[2] << 8) | msg->data[3]);
            consumed += msg->size;
            buf_delete(msg);
        }
        assert_int_equal(consumed + rx.size, n);
        if (r < 0) {
            assert_int_equal(r, -EPROTO);
            assert_true(((rx.data[2] << 8) | rx.data[3]) < 8);
        } else {
            assert_true(rx.size < 8 || (size_t) ((rx.data[2] << 8) | rx.data[3]) > rx.size);
        }
        buf_uninit(&rx);
    }
}

/* A loop, a listener, the raw peer stream and our of_conn. */
struct fixture {
    struct loop *loop;
    struct pstream *listener;
    struct stream *peer;        /* Raw far end, driven by the test. */
    struct of_conn *conn;
    struct buf *msgs[16];
    int n_msgs;
    int n_closes;
    int close_error;
    bool destroy_in_callback;
};

static void
on_message(struct of_conn *conn, struct buf *msg, void *fx_)
{
    struct fixture *fx = fx_;
    assert_true(fx->n_msgs < 16);
    fx->msgs[fx->n_msgs++] = msg;
    if (fx->destroy_in_callback) {
        of_conn_destroy(conn);
        fx->conn = NULL;
    }
}

static void
on_close(struct of_conn *conn, int error, void *fx_)
{
    (void) conn;
    struct fixture *fx = fx_;
    fx->n_closes++;
    fx->close_error = error;
}

static const struct of_conn_callbacks callbacks = { on_message, on_close };

static int
setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    fx->loop = loop_create();
    assert_int_equal(pstream_open("ptcp:0:127.0.0.1", &fx->listener, NULL), 0);
    char name[64];
    snprintf(name, sizeof name, "tcp:127.0.0.1:%u", pstream_port(fx->listener));
    struct stream *s;
    assert_int_equal(stream_open(name, &s, NULL), 0);
    fx->conn = of_conn_create(fx->loop, s, &callbacks, fx);
    assert_int_equal(test_wait_fd(pstream_fd(fx->listener), POLLIN), 1);
    assert_int_equal(pstream_accept(fx->listener, &fx->peer), 0);
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *fx = *state;
    of_conn_destroy(fx->conn);
    for (int i = 0; i < fx->n_msgs; i++) {
        buf_delete(fx->msgs[i]);
    }
    stream_close(fx->peer);
    pstream_close(fx->listener);
    loop_destroy(fx->loop);
    free(fx);
    return 0;
}

/* Runs the loop until `done` or a bounded number of iterations. */
#define RUN_UNTIL(FX, COND)                                             \
    do {                                                                \
        for (int i_ = 0; i_ < 200 && !(COND); i_++) {                   \
            loop_run_once((FX)->loop, 100);                             \
        }                                                               \
        assert_true(COND);                                              \
    } while (0)

static void
peer_send(struct fixture *fx, const void *data, size_t n)
{
    assert_int_equal(stream_send(fx->peer, data, n), 0);
    assert_int_equal(stream_queued_bytes(fx->peer), 0);
}

static void
test_conn_split_merged(void **state)
{
    struct fixture *fx = *state;
    struct buf *a = make_msg(10, 1, 0), *b = make_msg(11, 2, 200);
    /* Split across two writes... */
    peer_send(fx, a->data, 5);
    loop_run_once(fx->loop, 50);
    assert_int_equal(fx->n_msgs, 0);
    peer_send(fx, a->data + 5, 3);
    RUN_UNTIL(fx, fx->n_msgs == 1);
    /* ...then two messages and a half in one write. */
    struct buf all = BUF_EMPTY;
    buf_put(&all, b->data, b->size);
    buf_put(&all, a->data, a->size);
    buf_put(&all, b->data, 50);
    peer_send(fx, all.data, all.size);
    RUN_UNTIL(fx, fx->n_msgs == 3);
    peer_send(fx, b->data + 50, b->size - 50);
    RUN_UNTIL(fx, fx->n_msgs == 4);
    assert_int_equal(fx->msgs[1]->size, 208);
    assert_memory_equal(fx->msgs[1]->data, b->data, 208);
    assert_memory_equal(fx->msgs[2]->data, a->data, 8);
    assert_memory_equal(fx->msgs[3]->data, b->data, 208);

    struct of_conn_stats st;
    of_conn_get_stats(fx->conn, &st);
    assert_int_equal(st.rx_msgs, 4);
    assert_int_equal(st.rx_bytes, 8 + 208 + 8 + 208);
    assert_true(of_conn_is_connected(fx->conn));

    /* Sending: the peer gets exactly our bytes. */
    assert_int_equal(of_conn_send(fx->conn, make_msg(13, 9, 3)), 0);
    of_conn_get_stats(fx->conn, &st);
    assert_int_equal(st.tx_msgs, 1);
    assert_int_equal(st.tx_bytes, 11);
    uint8_t got[11];
    assert_int_equal(test_wait_fd(stream_fd(fx->peer), POLLIN), 1);
    assert_int_equal(stream_recv(fx->peer, got, sizeof got), 11);
    assert_int_equal(got[1], 13);
    assert_int_equal(got[3], 11);

    /* Peer hangs up: on_close(0), once. */
    stream_close(fx->peer);
    fx->peer = NULL;
    RUN_UNTIL(fx, fx->n_closes == 1);
    assert_int_equal(fx->close_error, 0);
    assert_false(of_conn_is_connected(fx->conn));
    assert_int_equal(of_conn_send(fx->conn, make_msg(1, 1, 0)), -ENOTCONN);
    loop_run_once(fx->loop, 0);
    assert_int_equal(fx->n_closes, 1);

    buf_uninit(&all);
    buf_delete(a);
    buf_delete(b);
}

static void
test_conn_garbage_closes(void **state)
{
    struct fixture *fx = *state;
    struct counter *c = counter_find("of_conn_framing_error");
    assert_non_null(c);
    uint64_t before = counter_read(c);
    struct buf *a = make_msg(10, 1, 0);
    static const uint8_t garbage[8] = { 1, 2, 0, 3, 0, 0, 0, 0 };
    peer_send(fx, a->data, a->size);
    peer_send(fx, garbage, sizeof garbage);
    RUN_UNTIL(fx, fx->n_closes == 1);
    assert_int_equal(fx->n_msgs, 1);            /* The good one first. */
    assert_int_equal(fx->close_error, -EPROTO);
    assert_int_equal(counter_read(c), before + 1);
    buf_delete(a);
}

static void
test_conn_auto_echo(void **state)
{
    struct fixture *fx = *state;
    of_conn_set_auto_echo(fx->conn, true);
    struct buf *req = of_msg_make(OF_VERSION_1_0, OFPT_ECHO_REQUEST,
                                  0x01020304, "ping", 4);
    peer_send(fx, req->data, req->size);
    RUN_UNTIL(fx, fx->n_msgs == 1);             /* Still delivered. */
    uint8_t reply[12];
    size_t got = 0;
    while (got < sizeof reply) {
        assert_int_equal(test_wait_fd(stream_fd(fx->peer), POLLIN), 1);
        ssize_t n = stream_recv(fx->peer, reply + got, sizeof reply - got);
        assert_true(n > 0);
        got += n;
    }
    assert_int_equal(reply[0], OF_VERSION_1_0);
    assert_int_equal(reply[1], OFPT_ECHO_REPLY);
    assert_memory_equal(reply + 2, req->data + 2, 10);  /* len, xid, data */
    buf_delete(req);
}

static void
test_conn_destroy_in_callback(void **state)
{
    struct fixture *fx = *state;
    fx->destroy_in_callback = true;
    struct buf *a = make_msg(10, 1, 0);
    peer_send(fx, a->data, a->size);
    peer_send(fx, a->data, a->size);            /* Never delivered. */
    RUN_UNTIL(fx, fx->n_msgs == 1);
    loop_run_once(fx->loop, 50);
    assert_int_equal(fx->n_msgs, 1);
    assert_int_equal(fx->n_closes, 0);
    buf_delete(a);
}

static void
test_conn_send_queue_full(void **state)
{
    struct fixture *fx = *state;
    of_conn_set_queue_limit(fx->conn, 32 * 1024);
    int error = 0, sent = 0;
    while (!error && sent < 100000) {
        error = of_conn_send(fx->conn, make_msg(20, sent, 200));
        sent += !error;
    }
    assert_int_equal(error, -ENOBUFS);
    assert_true(of_conn_queued_bytes(fx->conn) <= 32 * 1024);
    struct of_conn_stats st;
    of_conn_get_stats(fx->conn, &st);
    assert_int_equal(st.tx_msgs, sent);
    assert_int_equal(st.tx_dropped, 1);

    /* The peer drains; the loop flushes; all `sent` messages arrive. */
    size_t want = (size_t) sent * 208, got = 0;
    static uint8_t rbuf[65536];
    while (got < want) {
        loop_run_once(fx->loop, 10);
        ssize_t n = stream_recv(fx->peer, rbuf, sizeof rbuf);
        if (n == -EAGAIN) {
            continue;
        }
        assert_true(n > 0);
        got += n;
    }
    assert_int_equal(got, want);
    assert_int_equal(of_conn_queued_bytes(fx->conn), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_frame_split_and_merged),
        cmocka_unit_test(test_frame_garbage),
        cmocka_unit_test(test_frame_random),
        cmocka_unit_test_setup_teardown(test_conn_split_merged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conn_garbage_closes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conn_auto_echo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conn_destroy_in_callback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_conn_send_queue_full, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
