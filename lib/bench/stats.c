/* stats — summary statistics and the Student-t quantile (see stats.h). */
#include "bench/stats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "util/util.h"

static int
compare_doubles(const void *a_, const void *b_)
{
    double a = *(const double *) a_, b = *(const double *) b_;
    return a < b ? -1 : a > b;
}

double
bench_stats_median(const double *values, size_t n)
{
    if (!n) {
        return NAN;
    }
    double *sorted = xmemdup(values, n * sizeof *values);
    qsort(sorted, n, sizeof *sorted, compare_doubles);
    double median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    free(sorted);
    return median;
}

/* Continued fraction for I_x(a, b) (modified Lentz), valid and quickly
 * convergent for x < (a + 1) / (a + b + 2). */
static double
incbeta_fraction(double a, double b, double x)
{
    const double tiny = 1e-300, eps = 1e-16;
    double c = 1.0;
    double d = 1.0 - (a + b) * x / (a + 1.0);
    if (fabs(d) < tiny) {
        d = tiny;
    }
    d = 1.0 / d;
    double f = d;
    for (int m = 1; m <= 10000; m++) {
        /* Even step: d_{2m} = m (b - m) x / ((a + 2m - 1)(a + 2m)). */
        double num = m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m));
        d = 1.0 + num * d;
        c = 1.0 + num / c;
        d = fabs(d) < tiny ? 1.0 / tiny : 1.0 / d;
        c = fabs(c) < tiny ? tiny : c;
        f *= d * c;
        /* Odd step: d_{2m+1} = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)). */
        num = -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0));
        d = 1.0 + num * d;
        c = 1.0 + num / c;
        d = fabs(d) < tiny ? 1.0 / tiny : 1.0 / d;
        c = fabs(c) < tiny ? tiny : c;
        double delta = d * c;
        f *= delta;
        if (fabs(delta - 1.0) < eps) {
            break;
        }
    }
    return f;
}

double
bench_stats_incbeta(double a, double b, double x)
{
    if (!(a > 0) || !(b > 0) || !(x >= 0) || !(x <= 1)) {
        return NAN;
    }
    if (x == 0 || x == 1) {
        return x;
    }
    /* x^a (1-x)^b / (a B(a, b)), in logs to avoid overflow. */
    double log_front = lgamma(a + b) - lgamma(a) - lgamma(b)
                       + a * log(x) + b * log1p(-x);
    if (x < (a + 1.0) / (a + b + 2.0)) {
        return exp(log_front) * incbeta_fraction(a, b, x) / a;
    }
    /* Symmetry I_x(a, b) = 1 - I_{1-x}(b, a) keeps the fraction convergent. */
    return 1.0 - exp(log_front) * incbeta_fraction(b, a, 1.0 - x) / b;
}

double
bench_stats_t_cdf(double t, double df)
{
    if (!(df > 0) || isnan(t)) {
        return NAN;
    }
    if (isinf(t)) {
        return t > 0 ? 1.0 : 0.0;
    }
    /* P(|T| > |t|) = I_{df/(df+t^2)}(df/2, 1/2). */
    double tail = bench_stats_incbeta(df / 2.0, 0.5, df / (df + t * t)) / 2.0;
    return t >= 0 ? 1.0 - tail : tail;
}

double
bench_stats_t_quantile(double p, double df)
{
    if (!(p > 0) || !(p < 1) || !(df > 0)) {
        return NAN;
    }
    if (p == 0.5) {
        return 0.0;
    }
    if (p < 0.5) {
        return -bench_stats_t_quantile(1.0 - p, df);
    }
    /* Bracket the root, then bisect: the CDF is monotonic, so this always
     * converges, to the last bit after ~1100 steps at worst. */
    double lo = 0.0, hi = 1.0;
    while (bench_stats_t_cdf(hi, df) < p) {
        lo = hi;
        hi *= 2.0;
        if (isinf(hi)) {
            return INFINITY;
        }
    }
    for (int i = 0; i < 2000; i++) {
        double mid = lo + (hi - lo) / 2.0;
        if (mid <= lo || mid >= hi) {
            break;
        }
        if (bench_stats_t_cdf(mid, df) < p) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return lo + (hi - lo) / 2.0;
}

int
bench_stats_summarize(const double *samples, size_t n, double confidence,
                      struct bench_summary *s)
{
    memset(s, 0, sizeof *s);
    if (!n || !(confidence > 0) || !(confidence < 1)) {
        return -EINVAL;
    }
    double sum = 0, min = INFINITY, max = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(samples[i])) {
            return -EINVAL;
        }
        sum += samples[i];
        min = MIN(min, samples[i]);
        max = MAX(max, samples[i]);
    }
    s->n = n;
    s->confidence = confidence;
    s->mean = sum / n;
    s->min = min;
    s->max = max;
    s->median = bench_stats_median(samples, n);
    if (n < 2) {
        s->stddev = 0;
        s->t = s->ci_half = s->ci_low = s->ci_high = NAN;
        return 0;
    }
    double squares = 0;
    for (size_t i = 0; i < n; i++) {
        double d = samples[i] - s->mean;
        squares += d * d;
    }
    s->stddev = sqrt(squares / (n - 1));
    s->t = bench_stats_t_quantile(1.0 - (1.0 - confidence) / 2.0, n - 1);
    s->ci_half = s->t * s->stddev / sqrt(n);
    s->ci_low = s->mean - s->ci_half;
    s->ci_high = s->mean + s->ci_half;
    return 0;
}
