/* Unit tests: event loop fds, timers driven by a warped clock, wake-ups
 * from another thread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <unistd.h>

#include "net/event-loop.h"
#include "util/clock.h"

struct timer_log {
    int fired;
    int64_t rearm;          /* Returned by the callback. */
    uint64_t cancel_other;  /* Timer id to cancel from the callback. */
};

static int64_t
timer_cb(struct loop *loop, uint64_t id, void *aux)
{
    (void) id;
    struct timer_log *log = aux;
    log->fired++;
    if (log->cancel_other) {
        assert_true(loop_cancel_timer(loop, log->cancel_other));
    }
    return log->rearm;
}

static void
test_timers_fire_on_warp(void **state)
{
    (void) state;
    clock_stop();
    struct loop *loop = loop_create();
    struct timer_log a = { 0, LOOP_TIMER_DONE, 0 };
    struct timer_log b = { 0, LOOP_TIMER_DONE, 0 };
    loop_add_timer(loop, 1000, timer_cb, &a);
    uint64_t idb = loop_add_timer(loop, 5000, timer_cb, &b);
    assert_int_equal(loop_next_timer_ms(loop), 1000);

    assert_int_equal(loop_run_once(loop, 0), 0);
    assert_int_equal(a.fired, 0);

    clock_warp_ms(999);
    assert_int_equal(loop_run_once(loop, 0), 0);
    assert_int_equal(a.fired, 0);
    clock_warp_ms(1);
    assert_int_equal(loop_run_once(loop, 0), 1);
    assert_int_equal(a.fired, 1);
    assert_int_equal(loop_next_timer_ms(loop), 4000);

    assert_true(loop_cancel_timer(loop, idb));
    assert_false(loop_cancel_timer(loop, idb));
    assert_false(loop_cancel_timer(loop, 0));
    clock_warp_ms(10000);
    assert_int_equal(loop_run_once(loop, 0), 0);
    assert_int_equal(b.fired, 0);
    assert_int_equal(loop_next_timer_ms(loop), -1);
    loop_destroy(loop);
    clock_resume();
}

static void
test_timer_rearm_and_cancel_from_callback(void **state)
{
    (void) state;
    clock_stop();
    struct loop *loop = loop_create();
    struct timer_log periodic = { 0, 100, 0 };
    struct timer_log victim = { 0, LOOP_TIMER_DONE, 0 };
    loop_add_timer(loop, 100, timer_cb, &periodic);
    periodic.cancel_other = loop_add_timer(loop, 150, timer_cb, &victim);

    clock_warp_ms(100);
    assert_int_equal(loop_run_once(loop, 0), 1);
    assert_int_equal(periodic.fired, 1);
    periodic.cancel_other = 0;
    /* A large warp runs a re-arming timer once per pass, not in a spin. */
    clock_warp_ms(1000);
    assert_int_equal(loop_run_once(loop, 0), 1);
    assert_int_equal(periodic.fired, 2);
    assert_int_equal(victim.fired, 0);
    clock_warp_ms(100);
    loop_run_once(loop, 0);
    assert_int_equal(periodic.fired, 3);

    /* A zero-delay re-arm does not spin inside one pass. */
    periodic.rearm = 0;
    clock_warp_ms(100);
    assert_int_equal(loop_run_once(loop, 0), 1);
    assert_int_equal(loop_run_once(loop, 0), 1);
    assert_int_equal(periodic.fired, 5);
    loop_destroy(loop);
    clock_resume();
}

struct fd_log {
    int calls;
    unsigned int last_events;
    char data[16];
    ssize_t n;
    bool remove_self;
};

static void
fd_cb(struct loop *loop, int fd, unsigned int events, void *aux)
{
    struct fd_log *log = aux;
    log->calls++;
    log->last_events = events;
    if (events & LOOP_READ) {
        log->n = read(fd, log->data, sizeof log->data);
    }
    if (log->remove_self) {
        loop_remove_fd(loop, fd);
    }
}

static void
test_fd_readable_writable(void **state)
{
    (void) state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    struct loop *loop = loop_create();
    struct fd_log rd = { 0 }, wr = { 0 };
    assert_int_equal(loop_add_fd(loop, p[0], LOOP_READ, fd_cb, &rd), 0);
    assert_int_equal(loop_add_fd(loop, p[0], LOOP_READ, fd_cb, &rd), -EEXIST);
    assert_int_equal(loop_add_fd(loop, p[1], 0, fd_cb, &wr), 0);
    assert_int_equal(loop_set_fd_interest(loop, 999, LOOP_READ), -ENOENT);

    assert_int_equal(loop_run_once(loop, 0), 0);
    assert_int_equal(write(p[1], "hi", 2), 2);
    assert_int_equal(loop_run_once(loop, 1000), 1);
    assert_int_equal(rd.calls, 1);
    assert_int_equal(rd.last_events, LOOP_READ);
    assert_int_equal(rd.n, 2);

    assert_int_equal(loop_set_fd_interest(loop, p[1], LOOP_WRITE), 0);
    assert_int_equal(loop_run_once(loop, 1000), 1);
    assert_int_equal(wr.calls, 1);
    assert_true(wr.last_events & LOOP_WRITE);
    loop_remove_fd(loop, p[1]);

    /* Hang-up is reported as readable + error; the callback may remove
     * itself. */
    close(p[1]);
    rd.remove_self = true;
    assert_int_equal(loop_run_once(loop, 1000), 1);
    assert_true(rd.last_events & LOOP_ERROR);
    assert_int_equal(rd.n, 0);
    assert_int_equal(loop_run_once(loop, 0), 0);
    close(p[0]);
    loop_destroy(loop);
}

static void *
stopper_thread(void *loop_)
{
    loop_stop(loop_);
    return NULL;
}

static void
count_wake(struct loop *loop, void *aux)
{
    (void) loop;
    (*(int *) aux)++;
}

static void
test_wake_and_stop_from_thread(void **state)
{
    (void) state;
    struct loop *loop = loop_create();
    int wakes = 0;
    loop_set_wake_cb(loop, count_wake, &wakes);
    loop_wake(loop);
    loop_wake(loop);
    assert_int_equal(loop_run_once(loop, 1000), 1);
    assert_int_equal(wakes, 1);     /* Coalesced. */

    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, stopper_thread, loop), 0);
    loop_run(loop);                 /* Returns once the thread stops it. */
    pthread_join(thread, NULL);
    /* The stop's wake-up is seen by loop_run() or, if the thread was fast
     * enough to stop the loop before it ran, by this iteration. */
    loop_run_once(loop, 0);
    assert_int_equal(wakes, 2);
    loop_destroy(loop);
    loop_destroy(NULL);
}

/* Many timers (a slicer has one per slice per switch): they fire in
 * deadline order, cancelling works on any of them, and a timer armed with
 * delay 0 from a callback (then cancelled in the same pass) never runs. */
struct order_log {
    uint64_t last_deadline;
    int fired;
    bool in_order;
    uint64_t zero_id;           /* Armed (delay 0) and cancelled by a callback. */
};

static int64_t
order_cb(struct loop *loop, uint64_t id, void *aux)
{
    (void) id;
    struct order_log *log = aux;
    uint64_t now = clock_now_ms();
    if (now < log->last_deadline) {
        log->in_order = false;
    }
    log->last_deadline = now;
    log->fired++;
    if (log->fired == 1) {
        log->zero_id = loop_add_timer(loop, 0, order_cb, log);
        assert_true(loop_cancel_timer(loop, log->zero_id));
    }
    return LOOP_TIMER_DONE;
}

static void
test_many_timers(void **state)
{
    (void) state;
    enum { N = 20000 };
    clock_stop();
    struct loop *loop = loop_create();
    struct order_log log = { 0, 0, true, 0 };
    static uint64_t ids[N];
    for (int i = 0; i < N; i++) {
        /* Deadlines 1..N ms in a scrambled order. */
        ids[i] = loop_add_timer(loop, 1 + (uint64_t) ((i * 7919) % N), order_cb, &log);
    }
    for (int i = 0; i < N; i += 2) {
        assert_true(loop_cancel_timer(loop, ids[i]));
    }
    assert_int_equal(loop_next_timer_ms(loop), 2);  /* (1 * 7919) % N + 1 */
    for (int t = 0; t < N; t += 100) {
        clock_warp_ms(100);
        loop_run_once(loop, 0);
    }
    assert_int_equal(log.fired, N / 2);
    assert_true(log.in_order);
    assert_false(loop_cancel_timer(loop, log.zero_id));
    assert_int_equal(loop_next_timer_ms(loop), -1);
    loop_destroy(loop);
    clock_resume();
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timers_fire_on_warp),
        cmocka_unit_test(test_timer_rearm_and_cancel_from_callback),
        cmocka_unit_test(test_many_timers),
        cmocka_unit_test(test_fd_readable_writable),
        cmocka_unit_test(test_wake_and_stop_from_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
