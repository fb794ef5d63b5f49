/* stats — summary statistics of benchmark samples, with Student-t
 * confidence intervals.
 *
 * The seed reports every point as the mean of 15 rounds with a 95%
 * confidence interval.  For n samples x[0..n-1] (warm-up rounds already
 * removed by the caller) bench_stats_summarize() computes:
 *     mean      = sum x / n
 *     stddev    = sqrt(sum (x - mean)^2 / (n - 1))      (sample, n-1)
 *     t         = t quantile at 1 - (1 - confidence)/2 with n-1 degrees
 *     ci_half   = t * stddev / sqrt(n)
 *     ci_low/hi = mean -/+ ci_half
 *     min, median (mean of the two middle values for even n), max.
 * With n == 1 stddev is 0 and the interval is undefined (NaN): a CI needs
 * at least two samples.
 *
 * The t quantile is computed, not looked up: the Student-t CDF is written
 * through the regularized incomplete beta function I_x(a, b) (continued
 * fraction, modified Lentz), and inverted by bisection to full double
 * precision.  Checked against the classical tables in the unit tests.
 *
 * All functions are pure and thread-safe. */
#ifndef PLURAL_BENCH_STATS_H
#define PLURAL_BENCH_STATS_H 1

#include <stddef.h>

struct bench_summary {
    size_t n;               /* Samples summarized (warm-up excluded). */
    double mean;
    double stddev;          /* Sample standard deviation (n - 1). */
    double confidence;      /* E.g. 0.95. */
    double t;               /* Student-t quantile used (NaN if n < 2). */
    double ci_half;         /* Half width of the interval (NaN if n < 2). */
    double ci_low, ci_high; /* mean -/+ ci_half (NaN if n < 2). */
    double min, median, max;
};

#define BENCH_DEFAULT_CONFIDENCE 0.95

/* Summarizes n >= 1 samples at the given confidence level (0 < c < 1).
 * Returns 0, or -EINVAL for n == 0, a bad confidence, or a non-finite sample. */
int bench_stats_summarize(const double *samples, size_t n, double confidence,
                          struct bench_summary *);

/* The median of n >= 1 values (the array is not modified). */
double bench_stats_median(const double *values, size_t n);

/* Regularized incomplete beta function I_x(a, b), a > 0, b > 0, 0 <= x <= 1.
 * Returns NaN for arguments out of range. */
double bench_stats_incbeta(double a, double b, double x);

/* Student-t cumulative distribution P(T <= t) with df > 0 degrees of freedom. */
double bench_stats_t_cdf(double t, double df);

/* Quantile (inverse CDF) of Student's t: the t with P(T <= t) = p,
 * 0 < p < 1, df > 0.  Returns NaN for arguments out of range. */
double bench_stats_t_quantile(double p, double df);

#endif
