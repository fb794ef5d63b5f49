/* Unit tests: token buckets (per-slice control-message rate). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "util/token-bucket.h"
#include "util/clock.h"

static void
test_burst_then_rate(void **state)
{
    (void) state;
    struct token_bucket tb;
    token_bucket_init(&tb, 100, 10, 1000);
    for (int i = 0; i < 10; i++) {
        assert_true(token_bucket_take(&tb, 1, 1000));
    }
    assert_false(token_bucket_take(&tb, 1, 1000));
    /* 100/s: one token per 10 ms. */
    assert_false(token_bucket_take(&tb, 1, 1009));
    assert_true(token_bucket_take(&tb, 1, 1010));
    assert_false(token_bucket_take(&tb, 1, 1010));
    /* A long pause refills only up to the burst. */
    assert_int_equal(token_bucket_available(&tb, 100000), 10);
}

static void
test_sustained_rate(void **state)
{
    (void) state;
    struct token_bucket tb;
    token_bucket_init(&tb, 250, 1, 0);
    int taken = 0;
    /* Offer 10 messages per ms for 4 s: 250/s pass, plus the initial one. */
    for (uint64_t t = 0; t < 4000; t++) {
        for (int k = 0; k < 10; k++) {
            taken += token_bucket_take(&tb, 1, t);
        }
    }
    assert_in_range(taken, 999, 1001);
}

static void
test_unlimited_and_set(void **state)
{
    (void) state;
    struct token_bucket tb;
    token_bucket_init(&tb, 0, 0, 0);
    for (int i = 0; i < 100000; i++) {
        assert_true(token_bucket_take(&tb, 1, 0));
    }
    assert_int_equal(token_bucket_available(&tb, 0), UINT32_MAX);
    token_bucket_set(&tb, 10, 5, 0);
    assert_int_equal(token_bucket_available(&tb, 0), 5);   /* Starts full. */
    assert_true(token_bucket_take(&tb, 5, 0));
    token_bucket_set(&tb, 10, 8, 0);                        /* Keeps the fill. */
    assert_int_equal(token_bucket_available(&tb, 0), 0);
    token_bucket_init(&tb, 1000, 0, 0);     /* burst defaults to rate */
    assert_int_equal(token_bucket_available(&tb, 0), 1000);
    assert_false(token_bucket_take(&tb, 1001, 0));
    assert_true(token_bucket_take(&tb, 1000, 0));
}

static void
test_with_stopped_clock(void **state)
{
    (void) state;
    struct token_bucket tb;
    clock_stop();
    token_bucket_init(&tb, 2, 2, clock_now_ms());
    assert_true(token_bucket_take(&tb, 2, clock_now_ms()));
    assert_false(token_bucket_take(&tb, 1, clock_now_ms()));
    clock_warp_ms(500);
    assert_true(token_bucket_take(&tb, 1, clock_now_ms()));
    assert_false(token_bucket_take(&tb, 1, clock_now_ms()));
    clock_resume();
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_burst_then_rate),
        cmocka_unit_test(test_sustained_rate),
        cmocka_unit_test(test_unlimited_and_set),
        cmocka_unit_test(test_with_stopped_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
