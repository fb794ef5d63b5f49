/* Unit tests: Student-t quantiles, incomplete beta, summaries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <errno.h>
#include <math.h>
#include "bench/stats.h"
#include "util/util.h"

static void
test_t_quantile_table(void **state)
{
    (void) state;
    /* Two-sided 95% critical values from the classical t table. */
    static const struct { double df, t; } table[] = {
        { 1, 12.706 }, { 2, 4.303 }, { 3, 3.182 }, { 4, 2.776 }, { 5, 2.571 },
        { 9, 2.262 }, { 10, 2.228 }, { 14, 2.145 }, { 20, 2.086 }, { 30, 2.042 },
        { 60, 2.000 }, { 120, 1.980 },
    };
    for (size_t i = 0; i < ARRAY_SIZE(table); i++) {
        double t = bench_stats_t_quantile(0.975, table[i].df);
        assert_true(fabs(t - table[i].t) < 0.0005);
    }
    /* More digits where they are known exactly: df 1 is Cauchy, tan(pi (p - 1/2)). */
    assert_true(fabs(bench_stats_t_quantile(0.975, 1) - tan(M_PI * 0.475)) < 1e-9);
    /* df 2 has a closed form: t = (2p - 1) / sqrt(2 p (1 - p)). */
    double p = 0.975;
    assert_true(fabs(bench_stats_t_quantile(p, 2) - (2 * p - 1) / sqrt(2 * p * (1 - p))) < 1e-9);
    /* Other levels: 99% two-sided, df 14 = 2.977; 90%, df 14 = 1.761. */
    assert_true(fabs(bench_stats_t_quantile(0.995, 14) - 2.977) < 0.0005);
    assert_true(fabs(bench_stats_t_quantile(0.95, 14) - 1.761) < 0.0005);
}

static void
test_t_quantile_large_df(void **state)
{
    (void) state;
    /* Tends to the normal quantile 1.959964. */
    assert_true(fabs(bench_stats_t_quantile(0.975, 1e6) - 1.959964) < 1e-5);
    assert_true(fabs(bench_stats_t_quantile(0.975, 1e9) - 1.959964) < 1e-5);
    assert_true(fabs(bench_stats_t_quantile(0.975, 1000) - 1.962339) < 1e-5);
}

static void
test_t_symmetry_and_cdf(void **state)
{
    (void) state;
    assert_true(bench_stats_t_quantile(0.5, 7) == 0.0);
    assert_true(fabs(bench_stats_t_quantile(0.025, 14) + bench_stats_t_quantile(0.975, 14)) < 1e-12);
    for (double df = 1; df < 50; df += 3.5) {
        for (double t = -8; t <= 8; t += 0.75) {
            double q = bench_stats_t_quantile(bench_stats_t_cdf(t, df), df);
            assert_true(fabs(q - t) < 1e-7 * (1 + fabs(t)));
        }
    }
    assert_true(isnan(bench_stats_t_quantile(0, 3)));
    assert_true(isnan(bench_stats_t_quantile(1, 3)));
    assert_true(isnan(bench_stats_t_quantile(0.9, 0)));
}

static void
test_incbeta_known(void **state)
{
    (void) state;
    /* I_x(1, 1) = x;  I_x(a, 1) = x^a;  I_x(1, b) = 1 - (1-x)^b. */
    assert_true(fabs(bench_stats_incbeta(1, 1, 0.3) - 0.3) < 1e-14);
    assert_true(fabs(bench_stats_incbeta(3, 1, 0.4) - pow(0.4, 3)) < 1e-14);
    assert_true(fabs(bench_stats_incbeta(1, 4, 0.2) - (1 - pow(0.8, 4))) < 1e-14);
    /* I_0.5(a, a) = 0.5 by symmetry. */
    assert_true(fabs(bench_stats_incbeta(7.5, 7.5, 0.5) - 0.5) < 1e-13);
    /* I_x(1/2, 1/2) = (2/pi) asin(sqrt x). */
    assert_true(fabs(bench_stats_incbeta(0.5, 0.5, 0.2) - 2 / M_PI * asin(sqrt(0.2))) < 1e-12);
    assert_true(bench_stats_incbeta(2, 3, 0) == 0);
    assert_true(bench_stats_incbeta(2, 3, 1) == 1);
    assert_true(isnan(bench_stats_incbeta(-1, 3, 0.5)));
}

static void
test_median(void **state)
{
    (void) state;
    const double odd[] = { 5, 1, 4, 2, 3 };
    const double even[] = { 8, 2, 6, 4 };
    const double one[] = { 7 };
    assert_true(bench_stats_median(odd, 5) == 3);
    assert_true(bench_stats_median(even, 4) == 5);
    assert_true(bench_stats_median(one, 1) == 7);
    assert_true(odd[0] == 5);   /* Input untouched. */
}

static void
test_summary_fixed_samples(void **state)
{
    (void) state;
    /* 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sum of squares 32, s = sqrt(32/7). */
    const double x[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
    struct bench_summary s;
    assert_int_equal(bench_stats_summarize(x, 8, 0.95, &s), 0);
    assert_int_equal(s.n, 8);
    assert_true(fabs(s.mean - 5) < 1e-12);
    assert_true(fabs(s.stddev - sqrt(32.0 / 7)) < 1e-12);
    assert_true(fabs(s.t - 2.364624) < 1e-6);          /* t(0.975, 7). */
    double half = 2.364624252 * sqrt(32.0 / 7) / sqrt(8);
    assert_true(fabs(s.ci_half - half) < 1e-6);
    assert_true(fabs(s.ci_low - (5 - half)) < 1e-6);
    assert_true(fabs(s.ci_high - (5 + half)) < 1e-6);
    assert_true(s.min == 2 && s.max == 9 && s.median == 4.5);

    /* 15 rounds, as the seed: 1..15, mean 8, s = sqrt(20), t(0.975,14) = 2.144787. */
    double r[15];
    for (int i = 0; i < 15; i++) {
        r[i] = i + 1;
    }
    assert_int_equal(bench_stats_summarize(r, 15, 0.95, &s), 0);
    assert_true(fabs(s.mean - 8) < 1e-12);
    assert_true(fabs(s.stddev - sqrt(20)) < 1e-12);
    assert_true(fabs(s.ci_half - 2.144787 * sqrt(20) / sqrt(15)) < 1e-5);
    assert_true(s.median == 8);
}

static void
test_summary_edge_cases(void **state)
{
    (void) state;
    struct bench_summary s;
    const double one[] = { 3.5 };
    assert_int_equal(bench_stats_summarize(one, 1, 0.95, &s), 0);
    assert_true(s.mean == 3.5 && s.stddev == 0 && isnan(s.ci_half) && isnan(s.t));
    assert_int_equal(bench_stats_summarize(one, 0, 0.95, &s), -EINVAL);
    assert_int_equal(bench_stats_summarize(one, 1, 1.0, &s), -EINVAL);
    const double bad[] = { 1, NAN };
    assert_int_equal(bench_stats_summarize(bad, 2, 0.95, &s), -EINVAL);
    const double same[] = { 2, 2, 2 };
    assert_int_equal(bench_stats_summarize(same, 3, 0.95, &s), 0);
    assert_true(s.stddev == 0 && s.ci_half == 0 && s.ci_low == 2);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_t_quantile_table),
        cmocka_unit_test(test_t_quantile_large_df),
        cmocka_unit_test(test_t_symmetry_and_cdf),
        cmocka_unit_test(test_incbeta_known),
        cmocka_unit_test(test_median),
        cmocka_unit_test(test_summary_fixed_samples),
        cmocka_unit_test(test_summary_edge_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
