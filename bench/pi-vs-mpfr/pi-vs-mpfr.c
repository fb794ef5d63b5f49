/* pi-vs-mpfr — plural's pi (Chudnovsky, lib/bench/pi.c) against MPFR's
 * mpfr_const_pi at the same precision, in one process, alternating rounds,
 * with the same statistics as `plural bench` (mean, 95% CI), and the ratio.
 *
 *   pi-vs-mpfr [--digits-log2 K] [--rounds N]   (default K = 22, N = 5)
 *   pi-vs-mpfr --checksums N1,N2,...            reference SHA-256 table
 *
 * Both sides produce the full decimal string (MPFR via mpfr_get_str, both
 * truncated, not rounded), and the two strings are compared: a round whose
 * digits differ is an error.  The --checksums mode prints the lines of
 * lib/bench/pi-checksums.inc from MPFR alone (the independent reference). */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <mpfr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bench/pi-check.h"
#include "bench/pi.h"
#include "bench/stats.h"
#include "util/clock.h"
#include "util/util.h"

/* pi to `decimals` decimals with MPFR, "3" + decimals, truncated. */
static char *
mpfr_pi_digits(uint64_t decimals)
{
    const uint64_t guard = 20;
    mpfr_prec_t bits = (mpfr_prec_t) ceil((decimals + guard) * log2(10.0)) + 64;
    mpfr_t pi;
    mpfr_init2(pi, bits);
    mpfr_const_pi(pi, MPFR_RNDZ);
    mpfr_exp_t exp;
    char *s = mpfr_get_str(NULL, &exp, 10, decimals + guard, pi, MPFR_RNDZ);
    mpfr_clear(pi);
    BUG_ON(exp != 1);
    char *out = xstrndup(s, decimals + 1);
    mpfr_free_str(s);
    mpfr_free_cache();
    return out;
}

static int
print_checksums(const char *list)
{
    uint64_t max = 0, n;
    char *copy = xstrdup(list), *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (str_to_u64(tok, 1, BENCH_PI_MAX_DIGITS, &n)) {
            fprintf(stderr, "pi-vs-mpfr: bad count '%s'\n", tok);
            return 2;
        }
        max = MAX(max, n);
    }
    char *digits = mpfr_pi_digits(max);
    strcpy(copy, list);
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char hex[65];
        str_to_u64(tok, 1, BENCH_PI_MAX_DIGITS, &n);
        bench_pi_decimals_sha256(digits, n, hex);
        printf("    { %llu, \"%s\" },\n", (unsigned long long) n, hex);
    }
    free(digits);
    free(copy);
    return 0;
}

static double
thread_cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
print_line(const char *name, const double *x, size_t n)
{
    struct bench_summary s;
    bench_stats_summarize(x, n, 0.95, &s);
    printf("%-28s mean %8.3f s  95%% CI [%.3f, %.3f]  min %.3f  max %.3f  (n=%zu)\n",
           name, s.mean, n > 1 ? s.ci_low : s.mean, n > 1 ? s.ci_high : s.mean,
           s.min, s.max, n);
}

int
main(int argc, char *argv[])
{
    static const struct option options[] = {
        { "digits-log2", required_argument, NULL, 'k' },
        { "rounds", required_argument, NULL, 'r' },
        { "checksums", required_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    uint64_t k = 22, rounds = 5;
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'k':
            if (str_to_u64(optarg, 1, 30, &k)) {
                fprintf(stderr, "pi-vs-mpfr: --digits-log2 must be 1..30\n");
                return 2;
            }
            break;
        case 'r':
            if (str_to_u64(optarg, 1, 1000, &rounds)) {
                fprintf(stderr, "pi-vs-mpfr: --rounds must be 1..1000\n");
                return 2;
            }
            break;
        case 'c':
            return print_checksums(optarg);
        case 'h':
            printf("usage: pi-vs-mpfr [--digits-log2 K] [--rounds N] | --checksums N1,N2,...\n");
            return 0;
        default:
            return 2;
        }
    }
    uint64_t digits = UINT64_C(1) << k;
    double *ours = xcalloc(rounds, sizeof *ours), *theirs = xcalloc(rounds, sizeof *theirs);
    double *ours_cpu = xcalloc(rounds, sizeof *ours), *theirs_cpu = xcalloc(rounds, sizeof *ours);
    printf("pi to 2^%llu = %llu decimal digits, %llu rounds each, alternating\n"
           "  plural: %s\n  MPFR %s: mpfr_const_pi + mpfr_get_str (decimal conversion)\n",
           (unsigned long long) k, (unsigned long long) digits,
           (unsigned long long) rounds, BENCH_PI_ALGORITHM, mpfr_get_version());
    for (uint64_t r = 0; r < rounds; r++) {
        double c0 = thread_cpu_seconds();
        uint64_t t0 = clock_now_ns();
        char *a;
        if (bench_pi_compute(digits, &a, NULL)) {
            fprintf(stderr, "pi-vs-mpfr: plural's pi failed\n");
            return 1;
        }
        uint64_t t1 = clock_now_ns();
        double c1 = thread_cpu_seconds();
        char *b = mpfr_pi_digits(digits);
        uint64_t t2 = clock_now_ns();
        double c2 = thread_cpu_seconds();
        ours_cpu[r] = c1 - c0;
        theirs_cpu[r] = c2 - c1;
        ours[r] = (t1 - t0) / 1e9;
        theirs[r] = (t2 - t1) / 1e9;
        if (strcmp(a, b)) {
            fprintf(stderr, "pi-vs-mpfr: the digits differ (round %llu)\n",
                    (unsigned long long) r + 1);
            return 1;
        }
        fprintf(stderr, "round %llu/%llu: plural %.3f s (cpu %.3f), mpfr %.3f s (cpu %.3f), "
                "digits identical\n", (unsigned long long) r + 1,
                (unsigned long long) rounds, ours[r], ours_cpu[r], theirs[r], theirs_cpu[r]);
        free(a);
        free(b);
    }
    fflush(stderr);
    printf("wall time:\n");
    print_line("plural (Chudnovsky/GMP)", ours, rounds);
    print_line("MPFR mpfr_const_pi", theirs, rounds);
    printf("CPU time of the thread (wall >> CPU means the machine was shared):\n");
    print_line("plural (Chudnovsky/GMP)", ours_cpu, rounds);
    print_line("MPFR mpfr_const_pi", theirs_cpu, rounds);
    struct bench_summary so, st;
    bench_stats_summarize(ours, rounds, 0.95, &so);
    bench_stats_summarize(theirs, rounds, 0.95, &st);
    printf("ratio MPFR / plural (mean time): %.2f  (plural is %.2fx faster)\n",
           st.mean / so.mean, st.mean / so.mean);
    struct bench_summary sco, sct;
    bench_stats_summarize(ours_cpu, rounds, 0.95, &sco);
    bench_stats_summarize(theirs_cpu, rounds, 0.95, &sct);
    printf("ratio MPFR / plural (mean CPU time): %.2f\n", sct.mean / sco.mean);
    free(ours);
    free(theirs);
    free(ours_cpu);
    free(theirs_cpu);
    return 0;
}
