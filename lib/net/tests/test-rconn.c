/* Unit tests: rconn back-off, reconnection and echo keepalive against a
 * real listener on 127.0.0.1, with time driven by clock_warp_ms() (the
 * clock is stopped, so nothing depends on how fast the machine is). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>

#include "net/event-loop.h"
#include "net/of-conn.h"
#include "net/rconn.h"
#include "net/stream.h"
#include "util/buf.h"
#include "util/clock.h"
#include "net-test-util.h"

struct fixture {
    struct loop *loop;
    struct rconn *rc;
    char target[64];
    uint16_t port;
    struct pstream *listener;   /* NULL while "the controller is down". */
    struct stream *peer;        /* Accepted raw far end. */
    int n_connected, n_disconnected, last_disconnect_error, n_msgs;
    uint8_t last_type;
};

static void
on_connected(struct rconn *rc, void *fx_)
{
    (void) rc;
    ((struct fixture *) fx_)->n_connected++;
}

static void
on_message(struct rconn *rc, struct buf *msg, void *fx_)
{
    (void) rc;
    struct fixture *fx = fx_;
    fx->n_msgs++;
    fx->last_type = msg->data[1];
    buf_delete(msg);
}

static void
on_disconnected(struct rconn *rc, int error, void *fx_)
{
    (void) rc;
    struct fixture *fx = fx_;
    fx->n_disconnected++;
    fx->last_disconnect_error = error;
}

static const struct rconn_callbacks callbacks = {
    on_connected, on_message, on_disconnected,
};

/* Loop iterations: real waits for socket events only, bounded. */
#define RUN_UNTIL(FX, COND)                                             \
    do {                                                                \
        for (int i_ = 0; i_ < 200 && !(COND); i_++) {                   \
            loop_run_once((FX)->loop, 20);                              \
        }                                                               \
        assert_true(COND);                                              \
    } while (0)

static void
listen_up(struct fixture *fx)
{
    char name[64];
    snprintf(name, sizeof name, "ptcp:%u:127.0.0.1", fx->port);
    char *err = NULL;
    assert_int_equal(pstream_open(name, &fx->listener, &err), 0);
}

static void
accept_peer(struct fixture *fx)
{
    assert_int_equal(test_wait_fd(pstream_fd(fx->listener), POLLIN), 1);
    stream_close(fx->peer);
    assert_int_equal(pstream_accept(fx->listener, &fx->peer), 0);
}

static int
setup(void **state)
{
    clock_stop();
    struct fixture *fx = calloc(1, sizeof *fx);
    fx->loop = loop_create();
    /* A port that was free a moment ago. */
    struct pstream *p;
    assert_int_equal(pstream_open("ptcp:0:127.0.0.1", &p, NULL), 0);
    fx->port = pstream_port(p);
    pstream_close(p);
    snprintf(fx->target, sizeof fx->target, "tcp:127.0.0.1:%u", fx->port);
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *fx = *state;
    rconn_destroy(fx->rc);
    stream_close(fx->peer);
    pstream_close(fx->listener);
    loop_destroy(fx->loop);
    free(fx);
    clock_resume();
    return 0;
}

static void
expect_backoff(struct fixture *fx, uint32_t backoff_ms, uint64_t attempts)
{
    RUN_UNTIL(fx, rconn_get_state(fx->rc) == RCONN_BACKOFF);
    struct rconn_status st;
    rconn_get_status(fx->rc, &st);
    assert_int_equal(st.backoff_ms, backoff_ms);
    assert_int_equal(st.n_attempts, attempts);
    assert_false(st.connected);
    assert_int_equal(st.last_error, -ECONNREFUSED);

    /* One ms early: no new attempt. */
    clock_warp_ms(backoff_ms - 1);
    loop_run_once(fx->loop, 0);
    rconn_get_status(fx->rc, &st);
    assert_int_equal(st.n_attempts, attempts);
    assert_int_equal(st.state, RCONN_BACKOFF);
    clock_warp_ms(1);
    loop_run_once(fx->loop, 0);
    rconn_get_status(fx->rc, &st);
    assert_int_equal(st.n_attempts, attempts + 1);
}

static void
test_backoff_then_connect(void **state)
{
    struct fixture *fx = *state;
    struct rconn_config cfg = { .probe_interval_ms = 0 };
    assert_int_equal(rconn_create(fx->loop, fx->target, &cfg, &callbacks, fx,
                                  &fx->rc, NULL), 0);
    assert_int_equal(rconn_send(fx->rc, of_msg_make(1, 0, 0, NULL, 0)),
                     -ENOTCONN);

    /* Nobody listens: 1, 2, 4, 8, 8 s. */
    expect_backoff(fx, 1000, 1);
    expect_backoff(fx, 2000, 2);
    expect_backoff(fx, 4000, 3);
    expect_backoff(fx, 8000, 4);
    expect_backoff(fx, 8000, 5);
    assert_int_equal(fx->n_connected, 0);
    struct rconn_status st;
    rconn_get_status(fx->rc, &st);
    assert_string_equal(st.last_error_text, strerror(ECONNREFUSED));

    /* The controller comes up; the next attempt succeeds. */
    RUN_UNTIL(fx, rconn_get_state(fx->rc) == RCONN_BACKOFF);
    listen_up(fx);
    clock_warp_ms(8000);
    RUN_UNTIL(fx, rconn_is_connected(fx->rc));
    assert_int_equal(fx->n_connected, 1);
    accept_peer(fx);
    rconn_get_status(fx->rc, &st);
    assert_int_equal(st.state, RCONN_ACTIVE);
    assert_int_equal(st.backoff_ms, 0);
    assert_int_equal(st.n_connects, 1);
    clock_warp_ms(42000);
    rconn_get_status(fx->rc, &st);
    assert_int_equal(st.connected_s, 42);   /* No probes: stays ACTIVE. */
    loop_run_once(fx->loop, 0);
    assert_int_equal(rconn_get_state(fx->rc), RCONN_ACTIVE);

    json_t *j = rconn_status_to_json(&st);
    assert_string_equal(json_string_value(json_object_get(j, "state")), "ACTIVE");
    assert_int_equal(json_integer_value(json_object_get(j, "connected_s")), 42);
    json_decref(j);

    /* Messages both ways. */
    assert_int_equal(rconn_send(fx->rc, of_msg_make(1, 0, 7, NULL, 0)), 0);
    uint8_t hello[8];
    assert_int_equal(test_wait_fd(stream_fd(fx->peer), POLLIN), 1);
    assert_int_equal(stream_recv(fx->peer, hello, 8), 8);
    assert_int_equal(hello[7], 7);
    struct buf *m = of_msg_make(1, 5, 1, NULL, 0);
    assert_int_equal(stream_send(fx->peer, m->data, m->size), 0);
    buf_delete(m);
    RUN_UNTIL(fx, fx->n_msgs == 1);
    assert_int_equal(fx->last_type, 5);

    /* The controller hangs up: back-off restarts at 1 s, then reconnect. */
    stream_close(fx->peer);
    fx->peer = NULL;
    RUN_UNTIL(fx, fx->n_disconnected == 1);
    assert_int_equal(fx->last_disconnect_error, 0);
    rconn_get_status(fx->rc, &st);
    assert_int_equal(st.state, RCONN_BACKOFF);
    assert_int_equal(st.backoff_ms, 1000);
    assert_string_equal(st.last_error_text, "closed by peer");
    clock_warp_ms(1000);
    RUN_UNTIL(fx, fx->n_connected == 2);
    accept_peer(fx);
    rconn_get_status(fx->rc, &st);
    assert_int_equal(st.n_connects, 2);
    assert_int_equal(st.rx_msgs, 1);
    assert_int_equal(st.tx_msgs, 1);
}

/* Reads one OpenFlow message of 8 bytes (header only) from the peer. */
static void
peer_expect_header(struct fixture *fx, uint8_t type)
{
    uint8_t h[8];
    assert_int_equal(test_wait_fd(stream_fd(fx->peer), POLLIN), 1);
    assert_int_equal(stream_recv(fx->peer, h, sizeof h), 8);
    assert_int_equal(h[0], OF_VERSION_1_0);
    assert_int_equal(h[1], type);
    assert_int_equal(h[2], 0);
    assert_int_equal(h[3], 8);
}

static void
peer_send_header(struct fixture *fx, uint8_t type, uint32_t xid)
{
    struct buf *m = of_msg_make(OF_VERSION_1_0, type, xid, NULL, 0);
    assert_int_equal(stream_send(fx->peer, m->data, m->size), 0);
    buf_delete(m);
}

static void
test_keepalive(void **state)
{
    struct fixture *fx = *state;
    listen_up(fx);
    struct rconn_config cfg = { .probe_interval_ms = 5000,
                                .answer_echo = true };
    assert_int_equal(rconn_create(fx->loop, fx->target, &cfg, &callbacks, fx,
                                  &fx->rc, NULL), 0);
    RUN_UNTIL(fx, rconn_is_connected(fx->rc));
    accept_peer(fx);

    /* Silence just under the interval: nothing sent. */
    clock_warp_ms(4999);
    loop_run_once(fx->loop, 0);
    uint8_t byte;
    assert_int_equal(stream_recv(fx->peer, &byte, 1), -EAGAIN);
    assert_int_equal(rconn_get_state(fx->rc), RCONN_ACTIVE);

    /* At the interval: ECHO_REQUEST, state IDLE. */
    clock_warp_ms(1);
    loop_run_once(fx->loop, 0);
    assert_int_equal(rconn_get_state(fx->rc), RCONN_IDLE);
    peer_expect_header(fx, OFPT_ECHO_REQUEST);

    /* The peer answers: ACTIVE again, and the silence count restarts. */
    peer_send_header(fx, OFPT_ECHO_REPLY, 0);
    RUN_UNTIL(fx, rconn_get_state(fx->rc) == RCONN_ACTIVE);
    clock_warp_ms(4000);
    loop_run_once(fx->loop, 0);
    assert_int_equal(rconn_get_state(fx->rc), RCONN_ACTIVE);

    /* The peer's own ECHO_REQUEST is answered automatically (and counts
     * as activity). */
    peer_send_header(fx, OFPT_ECHO_REQUEST, 0x55);
    RUN_UNTIL(fx, fx->n_msgs == 2);
    peer_expect_header(fx, OFPT_ECHO_REPLY);
    clock_warp_ms(4999);
    loop_run_once(fx->loop, 0);
    assert_int_equal(rconn_get_state(fx->rc), RCONN_ACTIVE);

    /* Now the peer goes silent: probe, then drop after another interval. */
    clock_warp_ms(1);
    loop_run_once(fx->loop, 0);
    assert_int_equal(rconn_get_state(fx->rc), RCONN_IDLE);
    peer_expect_header(fx, OFPT_ECHO_REQUEST);
    clock_warp_ms(4999);
    loop_run_once(fx->loop, 0);
    assert_int_equal(rconn_get_state(fx->rc), RCONN_IDLE);
    clock_warp_ms(1);
    loop_run_once(fx->loop, 0);
    assert_int_equal(fx->n_disconnected, 1);
    assert_int_equal(fx->last_disconnect_error, -ETIMEDOUT);
    struct rconn_status st;
    rconn_get_status(fx->rc, &st);
    assert_int_equal(st.state, RCONN_BACKOFF);
    assert_string_equal(st.last_error_text, "inactivity probe timeout");
    /* The peer sees the connection closed. */
    assert_int_equal(test_wait_fd(stream_fd(fx->peer), POLLIN), 1);
    assert_int_equal(stream_recv(fx->peer, &byte, 1), 0);

    /* And it comes back after the back-off. */
    clock_warp_ms(1000);
    RUN_UNTIL(fx, fx->n_connected == 2);
}

static void
test_reconnect_and_bad_target(void **state)
{
    struct fixture *fx = *state;
    char *err = NULL;
    struct rconn *rc;
    assert_int_equal(rconn_create(fx->loop, "tcp:1.2.3.4", NULL, &callbacks,
                                  fx, &rc, &err), -EINVAL);
    assert_null(rc);
    assert_non_null(strstr(err, "missing port"));
    free(err);

    listen_up(fx);
    assert_int_equal(rconn_create(fx->loop, fx->target, NULL, &callbacks, fx,
                                  &fx->rc, NULL), 0);
    assert_string_equal(rconn_target(fx->rc), fx->target);
    RUN_UNTIL(fx, rconn_is_connected(fx->rc));
    accept_peer(fx);
    rconn_reconnect(fx->rc);
    assert_int_equal(fx->n_disconnected, 1);
    RUN_UNTIL(fx, fx->n_connected == 2);
    struct rconn_status st;
    rconn_get_status(fx->rc, &st);
    assert_int_equal(st.n_attempts, 2);
    assert_string_equal(rconn_state_name(st.state), "ACTIVE");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_backoff_then_connect, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keepalive, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reconnect_and_bad_target, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
