/* cmd-cpu — `plural bench cpu`: pi to 2^K decimal digits, single thread. */
#include <errno.h>
#include <getopt.h>
#include <gmp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bench/cli-output.h"
#include "bench/commands.h"
#include "bench/pi-check.h"
#include "bench/pi.h"
#include "util/clock.h"

#define CMD "cpu"

static void
usage(FILE *f)
{
    fprintf(f,
"usage: plural bench cpu [--digits-log2 K | --digits N] [OPTIONS]\n"
"\n"
"Computes pi to 2^K (or N) decimal digits on one thread, --rounds times, and\n"
"reports the wall time of each computation (the seed's Super PI workload:\n"
"it used 2^22 and 2^25 digits).  Algorithm: the Chudnovsky series summed by\n"
"binary splitting in GMP integers (common prime factors divided out as it\n"
"goes), one integer square root and one division, then GMP's subquadratic\n"
"conversion to decimal; the time includes all three.\n"
"Series: time (wall clock, the figure of merit) and cpu_time (CPU time of\n"
"the computing thread; well below the wall time means the CPU was shared).\n"
"Every round's digits are verified (not timed) against SHA-256 sums of pi's\n"
"first 2^10..2^25 and 10^3..10^7 decimals computed with MPFR, and against\n"
"well-known digits (the last ten of the first million); a wrong digit\n"
"fails the run.\n"
"\n"
"Options:\n"
"  --digits-log2 K  compute 2^K decimals (default 22)\n"
"  --digits N       compute N decimals\n"
"  --print-digits FILE  write the digits of the last round (\"3.1415...\")\n"
"  -h, --help       this help\n"
"\n");
    bench_cli_output_help(f);
    fprintf(f,
"\n"
"Refuses (exit 2) a size whose estimated memory (about 16 bytes per digit)\n"
"exceeds MemAvailable.  Exit status: 0 ok, 1 failed (wrong digits, I/O),\n"
"2 usage error.\n");
}

struct cpu_run {
    uint64_t digits;
    char *last;                 /* Digits of the last round. */
    struct bench_pi_verdict verdict;
    int error;                  /* Set with a message when a round fails. */
};

/* CPU time this thread used, in seconds: next to the wall time it shows
 * whether the machine was shared during the round. */
static double
thread_cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
cpu_round(void *aux, unsigned round, bool warmup, double *values)
{
    (void) round;
    (void) warmup;
    struct cpu_run *run = aux;
    char *digits;
    double cpu0 = thread_cpu_seconds();
    uint64_t t0 = clock_now_ns();
    int error = bench_pi_compute(run->digits, &digits, NULL);
    values[0] = (clock_now_ns() - t0) / 1e9;
    values[1] = thread_cpu_seconds() - cpu0;
    if (error) {
        bench_cli_failure(CMD, "computing pi failed: %s", strerror(-error));
        return error;
    }
    if (bench_pi_verify(digits, run->digits, &run->verdict)) {
        bench_cli_failure(CMD, "WRONG DIGITS: the first %llu decimals do not match the "
                          "reference", (unsigned long long) run->verdict.first_bad);
        free(digits);
        return -EILSEQ;
    }
    free(run->last);
    run->last = digits;
    return 0;
}

static char *
human_bytes(uint64_t bytes)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    double x = bytes;
    size_t u = 0;
    while (x >= 1024 && u + 1 < ARRAY_SIZE(units)) {
        x /= 1024;
        u++;
    }
    return xasprintf("%.1f %s", x, units[u]);
}

static int
write_digits(const char *path, const char *digits)
{
    FILE *f = !strcmp(path, "-") ? stdout : fopen(path, "w");
    if (!f) {
        return bench_cli_failure(CMD, "%s: %s", path, strerror(errno));
    }
    fprintf(f, "%c.%s\n", digits[0], digits + 1);
    if ((f != stdout ? fclose(f) : fflush(f))) {
        return bench_cli_failure(CMD, "%s: write error", path);
    }
    return 0;
}

int
bench_cpu_command(int argc, char *argv[])
{
    enum { OPT_LOG2 = BENCH_OPT_FIRST_FREE, OPT_DIGITS, OPT_PRINT };
    static const struct option options[] = {
        { "digits-log2", required_argument, NULL, OPT_LOG2 },
        { "digits", required_argument, NULL, OPT_DIGITS },
        { "print-digits", required_argument, NULL, OPT_PRINT },
        { "help", no_argument, NULL, 'h' },
        BENCH_CLI_OUTPUT_LONG_OPTIONS,
        { NULL, 0, NULL, 0 },
    };
    struct bench_cli_output out;
    bench_cli_output_init(&out, "plural bench cpu");
    uint64_t digits = UINT64_C(1) << 22, k = 22;
    bool by_log2 = true;
    const char *print_path = NULL;
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        int handled = bench_cli_output_option(&out, CMD, c, optarg);
        if (handled < 0) {
            return BENCH_EXIT_USAGE;
        } else if (handled) {
            continue;
        }
        switch (c) {
        case OPT_LOG2:
            if (bench_cli_parse_uint(CMD, "digits-log2", optarg, 1, 62, &k)) {
                return BENCH_EXIT_USAGE;
            }
            digits = UINT64_C(1) << k;
            by_log2 = true;
            break;
        case OPT_DIGITS:
            if (bench_cli_parse_uint(CMD, "digits", optarg, 1, UINT64_MAX / 32, &digits)) {
                return BENCH_EXIT_USAGE;
            }
            by_log2 = false;
            break;
        case OPT_PRINT:
            print_path = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            return bench_cli_bad_option(CMD, argv, c);
        }
    }
    if (optind < argc) {
        return bench_cli_usage_error(CMD, "unexpected argument '%s' (see --help)", argv[optind]);
    }

    uint64_t need = bench_pi_memory_estimate(digits), avail;
    if (!bench_read_mem_available("/proc/meminfo", &avail) && need > avail) {
        char *n = human_bytes(need), *a = human_bytes(avail);
        int rc = bench_cli_usage_error(CMD, "%llu digits need about %s of memory, but only "
                                       "%s is available (MemAvailable); choose fewer digits",
                                       (unsigned long long) digits, n, a);
        free(n);
        free(a);
        return rc;
    }
    if (digits > BENCH_PI_MAX_DIGITS) {
        return bench_cli_usage_error(CMD, "at most 2^36 digits are supported");
    }

    char *title = by_log2
        ? xasprintf("plural bench cpu: pi to 2^%llu = %llu decimal digits, one thread",
                    (unsigned long long) k, (unsigned long long) digits)
        : xasprintf("plural bench cpu: pi to %llu decimal digits, one thread",
                    (unsigned long long) digits);
    struct bench_report *r = bench_report_create("cpu", title);
    free(title);
    bench_report_set_param_int(r, "digits", digits);
    if (by_log2) {
        bench_report_set_param_int(r, "digits_log2", k);
    }
    bench_report_set_param_string(r, "algorithm", BENCH_PI_ALGORITHM);
    bench_report_set_param_string(r, "gmp_version", gmp_version);
    bench_report_set_param_int(r, "threads", 1);
    bench_report_add_series(r, "time", "s", BENCH_LOWER_IS_BETTER);
    bench_report_add_series(r, "cpu_time", "s", BENCH_LOWER_IS_BETTER);

    struct cpu_run run = { .digits = digits };
    int error = bench_run_rounds(r, &out.run, cpu_round, &run);
    int rc = 1;
    if (!error) {
        if (run.verdict.checked) {
            char *v = xasprintf("%u reference checks passed, up to %llu decimals",
                                run.verdict.checked,
                                (unsigned long long) run.verdict.largest_checked);
            bench_report_set_param_string(r, "verified", v);
            free(v);
        } else {
            bench_report_set_param_string(r, "verified", "no reference covers so few digits");
        }
        size_t n = MIN(digits, 10);
        bench_report_set_param_string(r, "last_digits", run.last + 1 + digits - n);
        rc = bench_cli_output_emit(&out, CMD, r);
        if (!rc && print_path) {
            rc = write_digits(print_path, run.last);
        }
    }
    free(run.last);
    bench_report_destroy(r);
    return rc;
}
