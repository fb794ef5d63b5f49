/* Unit tests (issue 12, items 5 and 6): the shared listener (connection
 * cap, pause on descriptor exhaustion instead of a busy loop, handshake
 * timeout) and the send-queue bounds of streams (process-wide total, a peer
 * that reads nothing is disconnected). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "net/event-loop.h"
#include "net/listener.h"
#include "net/stream.h"
#include "util/clock.h"
#include "util/util.h"
#include "net-test-util.h"

#define MAX_ACCEPTED 64

struct accepted {
    struct stream *streams[MAX_ACCEPTED];
    size_t n;
    bool establish;             /* Mark each new stream established. */
};

static void
accept_cb(struct listener *l, struct stream *s, void *a_)
{
    struct accepted *a = a_;
    (void) l;
    assert_true(a->n < MAX_ACCEPTED);
    if (a->establish) {
        stream_set_established(s);
    }
    a->streams[a->n++] = s;
}

static struct stream *
connect_to(const struct listener *l)
{
    char name[64];
    snprintf(name, sizeof name, "tcp:127.0.0.1:%u", listener_port(l));
    struct stream *s;
    assert_int_equal(stream_open(name, &s, NULL), 0);
    return s;
}

/* Runs the loop without blocking until nothing more happens (bounded). */
static int
run_loop(struct loop *loop)
{
    int total = 0;
    for (int i = 0; i < 50; i++) {
        int n = loop_run_once(loop, 20);
        assert_true(n >= 0);
        total += n;
    }
    return total;
}

/* True once `s` reads end-of-stream or an error (the listener closed it). */
static bool
peer_closed(struct stream *s)
{
    char c;
    for (int i = 0; i < 100; i++) {
        ssize_t n = stream_recv(s, &c, 1);
        if (n != -EAGAIN) {
            return n <= 0;
        }
        test_wait_fd(stream_fd(s), POLLIN);
    }
    return false;
}

static void
test_cap(void **state)
{
    (void) state;
    struct loop *loop = loop_create();
    struct accepted a = { .establish = true };
    struct listener *l;
    const struct listener_config cfg = { 2, 0, 0 };
    assert_int_equal(listener_open(loop, "ptcp:0:127.0.0.1", &cfg, accept_cb,
                                   &a, &l, NULL), 0);
    struct stream *c[4];
    for (int i = 0; i < 4; i++) {
        c[i] = connect_to(l);
    }
    run_loop(loop);
    assert_int_equal(a.n, 2);
    assert_int_equal(listener_n_conns(l), 2);
    struct listener_stats st;
    listener_get_stats(l, &st);
    assert_int_equal(st.accepted, 2);
    assert_int_equal(st.refused_cap, 2);
    assert_true(peer_closed(c[2]));
    assert_true(peer_closed(c[3]));

    /* Closing one makes room for the next. */
    stream_close(a.streams[0]);
    assert_int_equal(listener_n_conns(l), 1);
    struct stream *d = connect_to(l);
    run_loop(loop);
    assert_int_equal(a.n, 3);
    assert_int_equal(listener_n_conns(l), 2);

    /* The listener may go first; its streams still close cleanly. */
    listener_close(l);
    for (size_t i = 1; i < a.n; i++) {
        stream_close(a.streams[i]);
    }
    for (int i = 0; i < 4; i++) {
        stream_close(c[i]);
    }
    stream_close(d);
    loop_destroy(loop);
}

/* Descriptor exhaustion: the listener stops polling (no busy loop), then
 * resumes after its back-off and accepts what waited in the backlog. */
static void
test_emfile_pauses(void **state)
{
    (void) state;
    struct loop *loop = loop_create();
    struct accepted a = { .establish = true };
    struct listener *l;
    assert_int_equal(listener_open(loop, "ptcp:0:127.0.0.1", NULL, accept_cb,
                                   &a, &l, NULL), 0);
    struct stream *c[3];
    for (int i = 0; i < 3; i++) {
        c[i] = connect_to(l);
        assert_int_equal(test_wait_fd(stream_fd(c[i]), POLLOUT), 1);
    }

    /* Use up every descriptor. */
    struct rlimit old, low;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
    low = old;
    low.rlim_cur = 64;
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
    int fds[64], n_fds = 0;
    for (;;) {
        int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            assert_int_equal(errno, EMFILE);
            break;
        }
        assert_true(n_fds < 64);
        fds[n_fds++] = fd;
    }

    clock_stop();
    int callbacks = run_loop(loop);
    /* One callback saw EMFILE and paused; before the fix the readable
     * listener ran on every iteration (50 here). */
    assert_int_equal(callbacks, 1);
    assert_true(listener_is_paused(l));
    struct listener_stats st;
    listener_get_stats(l, &st);
    assert_int_equal(st.exhausted, 1);
    assert_int_equal(a.n, 0);

    /* Still exhausted after the back-off: paused again, for longer. */
    clock_warp_ms(LISTENER_BACKOFF_MIN_MS);
    callbacks = run_loop(loop);
    assert_int_equal(callbacks, 2);         /* The timer, one accept try. */
    listener_get_stats(l, &st);
    assert_int_equal(st.exhausted, 2);

    /* Descriptors come back: after the back-off everything is accepted. */
    for (int i = 0; i < n_fds; i++) {
        close(fds[i]);
    }
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
    clock_warp_ms(2 * LISTENER_BACKOFF_MIN_MS);
    run_loop(loop);
    clock_resume();
    assert_false(listener_is_paused(l));
    assert_int_equal(a.n, 3);

    for (size_t i = 0; i < a.n; i++) {
        stream_close(a.streams[i]);
    }
    for (int i = 0; i < 3; i++) {
        stream_close(c[i]);
    }
    listener_close(l);
    loop_destroy(loop);
}

/* The descriptor reserve: when an accepted descriptor lands in the top
 * `fd_reserve` below the limit, a peer listener closes it and pauses; a
 * listener without a reserve (the control socket's) still accepts. */
static void
test_fd_reserve(void **state)
{
    (void) state;
    struct loop *loop = loop_create();
    struct accepted peers = { .establish = true }, ctl = { .establish = true };
    struct listener *lp, *lc;
    const struct listener_config peer_cfg = { 0, 0, 32 }, ctl_cfg = { 0, 0, 0 };
    assert_int_equal(listener_open(loop, "ptcp:0:127.0.0.1", &peer_cfg,
                                   accept_cb, &peers, &lp, NULL), 0);
    assert_int_equal(listener_open(loop, "ptcp:0:127.0.0.1", &ctl_cfg,
                                   accept_cb, &ctl, &lc, NULL), 0);
    struct stream *c1 = connect_to(lp), *c2 = connect_to(lc);
    assert_int_equal(test_wait_fd(stream_fd(c1), POLLOUT), 1);
    assert_int_equal(test_wait_fd(stream_fd(c2), POLLOUT), 1);

    /* Make the next descriptor (the lowest free one) fall in the reserve:
     * at least 40 in use, limit 10 above. */
    int fds[64], n_fds = 0;
    for (;;) {
        int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        assert_true(fd >= 0 && n_fds < 64);
        if (fd >= 40) {
            close(fd);
            break;
        }
        fds[n_fds++] = fd;
    }
    struct rlimit old, low;
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
    low = old;
    low.rlim_cur = 50;
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);

    clock_stop();
    run_loop(loop);
    struct listener_stats st;
    listener_get_stats(lp, &st);
    assert_int_equal(peers.n, 0);
    assert_int_equal(st.exhausted, 1);
    assert_true(listener_is_paused(lp));
    assert_true(peer_closed(c1));
    assert_int_equal(ctl.n, 1);             /* The control socket works. */
    clock_resume();

    assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
    for (int i = 0; i < n_fds; i++) {
        close(fds[i]);
    }
    stream_close(ctl.streams[0]);
    stream_close(c1);
    stream_close(c2);
    listener_close(lp);
    listener_close(lc);
    loop_destroy(loop);
}

/* A connection that is not established within the handshake timeout is
 * shut down; an established one is left alone. */
static void
test_handshake_timeout(void **state)
{
    (void) state;
    struct loop *loop = loop_create();
    struct accepted a = { .establish = false };
    struct listener *l;
    const struct listener_config cfg = { 0, 1000, 0 };
    clock_stop();
    assert_int_equal(listener_open(loop, "ptcp:0:127.0.0.1", &cfg, accept_cb,
                                   &a, &l, NULL), 0);
    struct stream *idle = connect_to(l);
    struct stream *good = connect_to(l);
    run_loop(loop);
    assert_int_equal(a.n, 2);
    stream_set_established(a.streams[1]);

    clock_warp_ms(999);
    run_loop(loop);
    struct listener_stats st;
    listener_get_stats(l, &st);
    assert_int_equal(st.handshake_timeouts, 0);

    clock_warp_ms(1);
    run_loop(loop);
    clock_resume();
    listener_get_stats(l, &st);
    assert_int_equal(st.handshake_timeouts, 1);
    /* The owner's next read of the idle one sees the end ... */
    char c;
    assert_true(stream_recv(a.streams[0], &c, 1) <= 0);
    assert_true(peer_closed(idle));
    /* ... the established one still works. */
    assert_int_equal(stream_send(good, "x", 1), 0);
    assert_int_equal(test_wait_fd(stream_fd(a.streams[1]), POLLIN), 1);
    assert_int_equal(stream_recv(a.streams[1], &c, 1), 1);

    for (size_t i = 0; i < a.n; i++) {
        stream_close(a.streams[i]);
    }
    assert_int_equal(listener_n_conns(l), 0);
    stream_close(idle);
    stream_close(good);
    listener_close(l);
    loop_destroy(loop);
}

/* Fills `s` (whose peer does not read) until the stream refuses. */
static int
fill(struct stream *s, size_t *sent)
{
    static char chunk[65536];
    for (int i = 0; i < 10000; i++) {
        int error = stream_send(s, chunk, sizeof chunk);
        if (error) {
            return error;
        }
        *sent += sizeof chunk;
    }
    return 0;
}

static void
open_pair(struct pstream **p, struct stream **client, struct stream **server)
{
    assert_int_equal(pstream_open("ptcp:0:127.0.0.1", p, NULL), 0);
    char name[64];
    snprintf(name, sizeof name, "tcp:127.0.0.1:%u", pstream_port(*p));
    assert_int_equal(stream_open(name, client, NULL), 0);
    assert_int_equal(test_wait_fd(pstream_fd(*p), POLLIN), 1);
    assert_int_equal(pstream_accept(*p, server), 0);
    assert_int_equal(test_wait_fd(stream_fd(*client), POLLOUT), 1);
    assert_int_equal(stream_connect(*client), 0);
}

/* A peer that reads nothing: refused (-ENOBUFS) while the stall timeout
 * runs, then the stream dies (-ETIMEDOUT) and its queue is freed. */
static void
test_stalled_peer_disconnected(void **state)
{
    (void) state;
    struct pstream *p;
    struct stream *client, *server;
    open_pair(&p, &client, &server);
    size_t base = stream_total_queued_bytes();
    clock_stop();
    size_t sent = 0;
    assert_int_equal(fill(server, &sent), -ENOBUFS);
    assert_true(stream_queued_bytes(server) <= STREAM_DEFAULT_QUEUE_LIMIT);
    assert_true(stream_total_queued_bytes() - base
                == stream_queued_bytes(server));
    static char big[STREAM_DEFAULT_QUEUE_LIMIT / 2];
    clock_warp_ms(STREAM_DEFAULT_STALL_MS - 1);
    assert_int_equal(stream_send(server, big, sizeof big), -ENOBUFS);
    clock_warp_ms(1);
    assert_int_equal(stream_send(server, big, sizeof big), -ETIMEDOUT);
    clock_resume();
    assert_int_equal(stream_queued_bytes(server), 0);
    assert_int_equal(stream_total_queued_bytes(), base);
    assert_int_equal(stream_run(server), -ETIMEDOUT);
    char c;
    assert_int_equal(stream_recv(server, &c, 1), -ETIMEDOUT);
    stream_close(server);
    stream_close(client);
    pstream_close(p);
}

/* A slow peer that reads keeps its connection. */
static void
test_reading_peer_kept(void **state)
{
    (void) state;
    struct pstream *p;
    struct stream *client, *server;
    open_pair(&p, &client, &server);
    clock_stop();
    size_t sent = 0;
    assert_int_equal(fill(server, &sent), -ENOBUFS);
    static char sink[1 << 16];
    for (int round = 0; round < 3; round++) {
        clock_warp_ms(STREAM_DEFAULT_STALL_MS);
        /* The peer reads a little; we flush what the kernel takes. */
        assert_true(stream_recv(client, sink, sizeof sink) > 0);
        assert_int_equal(stream_run(server), 0);
        int error = stream_send(server, "x", 1);
        assert_true(error == 0 || error == -ENOBUFS);
    }
    clock_resume();
    stream_close(server);
    stream_close(client);
    pstream_close(p);
}

/* The process-wide total: a second non-reader gets less than its own
 * limit once the total is reached. */
static void
test_total_limit(void **state)
{
    (void) state;
    struct pstream *p1, *p2;
    struct stream *c1, *s1, *c2, *s2;
    open_pair(&p1, &c1, &s1);
    open_pair(&p2, &c2, &s2);
    size_t old = stream_total_queue_limit();
    size_t base = stream_total_queued_bytes();
    stream_set_total_queue_limit(base + STREAM_DEFAULT_QUEUE_LIMIT * 3 / 2);
    size_t sent = 0;
    assert_int_equal(fill(s1, &sent), -ENOBUFS);
    assert_int_equal(fill(s2, &sent), -ENOBUFS);
    size_t total = stream_total_queued_bytes() - base;
    assert_true(total <= STREAM_DEFAULT_QUEUE_LIMIT * 3 / 2);
    assert_true(stream_queued_bytes(s2) < STREAM_DEFAULT_QUEUE_LIMIT * 3 / 4);
    /* An idle stream can always send one message. */
    struct pstream *p3;
    struct stream *c3, *s3;
    open_pair(&p3, &c3, &s3);
    assert_int_equal(stream_send(s3, "hello", 5), 0);
    stream_set_total_queue_limit(old);
    stream_close(s1);
    stream_close(s2);
    stream_close(s3);
    assert_int_equal(stream_total_queued_bytes(), base);
    stream_close(c1);
    stream_close(c2);
    stream_close(c3);
    pstream_close(p1);
    pstream_close(p2);
    pstream_close(p3);
}

static void
test_parse(void **state)
{
    (void) state;
    unsigned int n;
    uint32_t ms;
    assert_int_equal(listener_parse_max_conns("0", &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(listener_parse_max_conns("500", &n), 0);
    assert_int_equal(n, 500);
    assert_int_equal(listener_parse_max_conns("-1", &n), -EINVAL);
    assert_int_equal(listener_parse_max_conns("2000000", &n), -EINVAL);
    assert_int_equal(listener_parse_handshake_timeout("3", &ms), 0);
    assert_int_equal(ms, 3000);
    assert_int_equal(listener_parse_handshake_timeout("x", &ms), -EINVAL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_emfile_pauses),
        cmocka_unit_test(test_fd_reserve),
        cmocka_unit_test(test_handshake_timeout),
        cmocka_unit_test(test_stalled_peer_disconnected),
        cmocka_unit_test(test_reading_peer_kept),
        cmocka_unit_test(test_total_limit),
        cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
