/* Unit tests: the generator's pacer, driven by explicit times. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "bench/net-pacer.h"

#define MS 1000000ull
#define S 1000000000ull

static void
test_exact_average_rate(void **state)
{
    (void) state;
    struct net_pacer p;
    uint64_t start = 5 * S, sent = 0;

    net_pacer_init(&p, 10000, 1, start);
    /* Wake up at irregular times for 2 s: what is due gets sent. */
    for (uint64_t t = start; t <= start + 2 * S; t += 37000 + (t / 1000) % 41000) {
        unsigned int n;
        while ((n = net_pacer_allowed(&p, t))) {
            assert_int_equal(n, 1);
            net_pacer_sent(&p, n);
            sent += n;
        }
        assert_true(net_pacer_next_due(&p) > t);
    }
    /* Frames 0..19999 are due in [start, start + 2 s): give or take the last wake. */
    assert_true(sent >= 19990 && sent <= 20001);
    assert_int_equal(p.skipped, 0);
}

static void
test_schedule_points(void **state)
{
    (void) state;
    struct net_pacer p;

    net_pacer_init(&p, 1000, 4, 0);
    assert_int_equal(net_pacer_allowed(&p, 0), 1);       /* Frame 0 due at once. */
    net_pacer_sent(&p, 1);
    assert_int_equal(net_pacer_allowed(&p, 999999), 0);
    assert_int_equal(net_pacer_next_due(&p), 1 * MS);
    assert_int_equal(net_pacer_allowed(&p, 1 * MS), 1);
    net_pacer_sent(&p, 1);
    /* Late by 3 ms: 3 due, within the burst. */
    assert_int_equal(net_pacer_allowed(&p, 4 * MS), 3);
    net_pacer_sent(&p, 3);
    /* Late by 9 ms: 9 due, burst caps each call at 4; nothing skipped
     * (debt up to 16 frames = 4 bursts is caught up). */
    assert_int_equal(net_pacer_allowed(&p, 13 * MS), 4);
    net_pacer_sent(&p, 4);
    assert_int_equal(net_pacer_allowed(&p, 13 * MS), 4);
    net_pacer_sent(&p, 4);
    assert_int_equal(net_pacer_allowed(&p, 13 * MS), 1);
    net_pacer_sent(&p, 1);
    assert_int_equal(net_pacer_allowed(&p, 13 * MS), 0);
    assert_int_equal(p.skipped, 0);
}

static void
test_long_stall_is_skipped(void **state)
{
    (void) state;
    struct net_pacer p;

    net_pacer_init(&p, 100000, 10, 0);      /* max_debt = 1000 (10 ms). */
    assert_int_equal(p.max_debt, 1000);
    net_pacer_sent(&p, net_pacer_allowed(&p, 0));
    /* Descheduled for 50 ms: 5000 due, only 1000 are caught up. */
    unsigned int total = 0, n;
    while ((n = net_pacer_allowed(&p, 50 * MS))) {
        net_pacer_sent(&p, n);
        total += n;
    }
    assert_int_equal(total, 1000);
    assert_int_equal(p.skipped, 5001 - 1 - 1000);
}

static void
test_unpaced(void **state)
{
    (void) state;
    struct net_pacer p;

    net_pacer_init(&p, 0, 256, 123);
    assert_int_equal(net_pacer_allowed(&p, 0), 256);
    net_pacer_sent(&p, 256);
    assert_int_equal(net_pacer_allowed(&p, 0), 256);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_average_rate),
        cmocka_unit_test(test_schedule_points),
        cmocka_unit_test(test_long_stall_is_skipped),
        cmocka_unit_test(test_unpaced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
