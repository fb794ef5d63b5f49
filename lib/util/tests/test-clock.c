/* Unit tests: the warpable clock and rate-limited logging. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include "util/clock.h"

static void
test_stop_and_warp(void **state)
{
    (void) state;
    clock_stop();
    assert_true(clock_is_stopped());
    uint64_t t0 = clock_now_ms();
    for (volatile int i = 0; i < 1000000; i++) {
    }
    assert_int_equal(clock_now_ms(), t0);
    clock_warp_ms(30000);
    assert_int_equal(clock_now_ms(), t0 + 30000);
    clock_resume();
    assert_false(clock_is_stopped());
    uint64_t t1 = clock_now_ms();
    assert_true(t1 >= t0 + 30000);
    assert_true(t1 < t0 + 31000);  /* Time spent stopped does not count. */
}

static void
test_monotonic(void **state)
{
    (void) state;
    uint64_t a = clock_now_ns(), b = clock_now_ns();
    assert_true(b >= a);
    assert_true(clock_wall_ms() > 1600000000000ull);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stop_and_warp),
        cmocka_unit_test(test_monotonic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
