/* Unit tests: pi digits for 2^10..2^16 decimals against the MPFR-made
 * checksums, the verifier catching a wrong digit, the memory estimate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "bench/pi-check.h"
#include "bench/pi.h"

static void
test_digits_small_k(void **state)
{
    (void) state;
    for (unsigned k = 10; k <= 16; k++) {
        uint64_t digits = UINT64_C(1) << k;
        char *pi;
        assert_int_equal(bench_pi_compute(digits, &pi, NULL), 0);
        assert_int_equal(strlen(pi), digits + 1);
        struct bench_pi_verdict v;
        assert_int_equal(bench_pi_verify(pi, digits, &v), 0);
        assert_int_equal(v.largest_checked, digits);   /* 2^k itself is in the table. */
        assert_true(v.checked >= 3);
        free(pi);
    }
}

static void
test_digits_odd_counts(void **state)
{
    (void) state;
    /* Counts that are not table entries: the prefix checks still apply. */
    char *pi;
    assert_int_equal(bench_pi_compute(1, &pi, NULL), 0);
    assert_string_equal(pi, "31");
    free(pi);
    assert_int_equal(bench_pi_compute(60, &pi, NULL), 0);
    assert_string_equal(pi, "3141592653589793238462643383279502884197169399375105820974944");
    free(pi);
    assert_int_equal(bench_pi_compute(10007, &pi, NULL), 0);
    struct bench_pi_verdict v;
    assert_int_equal(bench_pi_verify(pi, 10007, &v), 0);
    assert_int_equal(v.largest_checked, 10000);
    free(pi);
}

static void
test_verifier_catches_errors(void **state)
{
    (void) state;
    char *pi;
    assert_int_equal(bench_pi_compute(4096, &pi, NULL), 0);
    pi[3000] = pi[3000] == '9' ? '8' : pi[3000] + 1;
    struct bench_pi_verdict v;
    assert_int_equal(bench_pi_verify(pi, 4096, &v), -EILSEQ);
    assert_int_equal(v.first_bad, 4096);    /* 1000 and 2048 still match. */
    pi[0] = '4';
    assert_int_equal(bench_pi_verify(pi, 4096, &v), -EILSEQ);
    free(pi);
}

static void
test_checksum_helper(void **state)
{
    (void) state;
    char hex[65];
    /* SHA-256("1415926535"). */
    bench_pi_decimals_sha256("31415926535", 10, hex);
    assert_string_equal(hex, "66181a051b887271f036c64620bce3225af7d38f9e3f4a16dfc55de7d351f44b");
}

static void
test_limits_and_memory(void **state)
{
    (void) state;
    char *pi;
    assert_int_equal(bench_pi_compute(0, &pi, NULL), -EINVAL);
    assert_null(pi);
    assert_int_equal(bench_pi_compute(BENCH_PI_MAX_DIGITS + 1, &pi, NULL), -EINVAL);
    /* 2^22 digits fit in well under a GiB; 2^40 need terabytes. */
    assert_true(bench_pi_memory_estimate(UINT64_C(1) << 22) < (UINT64_C(1) << 30));
    assert_true(bench_pi_memory_estimate(UINT64_C(1) << 40) > (UINT64_C(1) << 43));
    uint64_t avail;
    assert_int_equal(bench_read_mem_available("/proc/meminfo", &avail), 0);
    assert_true(avail > 0);
    assert_int_equal(bench_read_mem_available("/nonexistent/meminfo", &avail), -ENOENT);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_digits_small_k),
        cmocka_unit_test(test_digits_odd_counts),
        cmocka_unit_test(test_verifier_catches_errors),
        cmocka_unit_test(test_checksum_helper),
        cmocka_unit_test(test_limits_and_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
