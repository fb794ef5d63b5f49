/* cmd-mem — `plural bench mem`: STREAM (Copy, Scale, Add, Triad). */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "bench/cache.h"
#include "bench/cli-output.h"
#include "bench/commands.h"
#include "bench/pi.h"
#include "bench/stream.h"

#define CMD "mem"

static void
usage(FILE *f)
{
    fprintf(f,
"usage: plural bench mem [--array-size N] [--ntimes N] [--threads N]\n"
"                        [--cpunode N] [--memnode N] [OPTIONS]\n"
"\n"
"Measures memory bandwidth with STREAM's four kernels, following STREAM's\n"
"rules: Copy c=a, Scale b=q*c, Add c=a+b, Triad a=b+q*c over arrays of\n"
"doubles, run with OpenMP threads.  Each round is one STREAM run: the four\n"
"kernels are timed --ntimes times, the first trial is discarded, and the\n"
"round's sample for each kernel is its best rate (bytes / minimum time,\n"
"in MB/s = 10^6 bytes/s).  Bytes are counted as STREAM does: 2 arrays x 8\n"
"bytes x N for Copy and Scale, 3 arrays for Add and Triad.  The results of\n"
"every run are validated as STREAM does (expected values replayed on\n"
"scalars, average relative error below 1e-13); a failed check fails the run.\n"
"The clock's granularity is estimated as STREAM does (at least 1 us) and\n"
"each kernel's minimum time must span 20 ticks (a warning is printed\n"
"otherwise).\n"
"\n"
"Options:\n"
"  --array-size N   elements per array (default: 4 x the sum of the last-level\n"
"                   caches found in sysfs, STREAM's minimum; 10,000,000 when\n"
"                   none is found).  Smaller sizes are accepted with a warning.\n"
"  --ntimes N       trials per round, >= 2, the first discarded (default 100)\n"
"  --threads N      OpenMP threads (default: OpenMP's, one per CPU allowed)\n"
"  --cpunode N      run the threads on the CPUs of NUMA node N (libnuma)\n"
"  --memnode N      place the arrays on NUMA node N; with --cpunode this\n"
"                   compares local (same node) and remote memory\n"
"  --sysfs-root DIR read cache sizes under DIR instead of /sys\n"
"  -h, --help       this help\n"
"\n");
    bench_cli_output_help(f);
    fprintf(f,
"\n"
"Refuses (exit 2) arrays whose total size exceeds MemAvailable.\n"
"Exit status: 0 ok, 1 failed (validation, NUMA placement), 2 usage error.\n");
}

struct mem_run {
    struct bench_stream_config cfg;
    struct bench_stream_result last;
    bool warned_ticks;
};

static int
mem_round(void *aux, unsigned round, bool warmup, double *values)
{
    (void) round;
    (void) warmup;
    struct mem_run *run = aux;
    int error = bench_stream_run(&run->cfg, &run->last);
    if (error == -ENODEV) {
        bench_cli_failure(CMD, "NUMA node %d is not available on this host",
                          run->cfg.cpunode >= 0 ? run->cfg.cpunode : run->cfg.memnode);
        return error;
    } else if (error) {
        bench_cli_failure(CMD, "STREAM run failed: %s", strerror(-error));
        return error;
    }
    if (!run->last.valid) {
        bench_cli_failure(CMD, "VALIDATION FAILED: average relative errors a %.3g, b %.3g, "
                          "c %.3g exceed 1e-13", run->last.avg_rel_error[0],
                          run->last.avg_rel_error[1], run->last.avg_rel_error[2]);
        return -EILSEQ;
    }
    if (!run->last.ticks_ok && !run->warned_ticks) {
        fprintf(stderr, "plural bench mem: warning: a kernel took fewer than %d clock ticks "
                "(%.3g s each); use a larger --array-size\n", BENCH_STREAM_MIN_TICKS,
                run->last.granularity_s);
        run->warned_ticks = true;
    }
    for (int k = 0; k < BENCH_STREAM_N_KERNELS; k++) {
        values[k] = run->last.kernel[k].best_rate_mbs;
    }
    return 0;
}

static int
parse_node(const char *name, const char *arg, int *node)
{
    uint64_t n;
    if (bench_cli_parse_uint(CMD, name, arg, 0, 1023, &n)) {
        return -EINVAL;
    }
    *node = n;
    return 0;
}

int
bench_mem_command(int argc, char *argv[])
{
    enum { OPT_ARRAY = BENCH_OPT_FIRST_FREE, OPT_NTIMES, OPT_THREADS, OPT_CPUNODE,
           OPT_MEMNODE, OPT_SYSFS };
    static const struct option options[] = {
        { "array-size", required_argument, NULL, OPT_ARRAY },
        { "ntimes", required_argument, NULL, OPT_NTIMES },
        { "threads", required_argument, NULL, OPT_THREADS },
        { "cpunode", required_argument, NULL, OPT_CPUNODE },
        { "memnode", required_argument, NULL, OPT_MEMNODE },
        { "sysfs-root", required_argument, NULL, OPT_SYSFS },
        { "help", no_argument, NULL, 'h' },
        BENCH_CLI_OUTPUT_LONG_OPTIONS,
        { NULL, 0, NULL, 0 },
    };
    struct bench_cli_output out;
    bench_cli_output_init(&out, "plural bench mem");
    struct mem_run run = { .cfg = { .ntimes = 100, .cpunode = -1, .memnode = -1 } };
    const char *sysfs_root = "/sys";
    uint64_t n;
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
        case OPT_ARRAY:
            if (bench_cli_parse_uint(CMD, "array-size", optarg, BENCH_STREAM_MIN_ELEMENTS,
                                     UINT64_C(1) << 40, &run.cfg.elements)) {
                return BENCH_EXIT_USAGE;
            }
            break;
        case OPT_NTIMES:
            if (bench_cli_parse_uint(CMD, "ntimes", optarg, 2, 1000000, &n)) {
                return BENCH_EXIT_USAGE;
            }
            run.cfg.ntimes = n;
            break;
        case OPT_THREADS:
            if (bench_cli_parse_uint(CMD, "threads", optarg, 1, 4096, &n)) {
                return BENCH_EXIT_USAGE;
            }
            run.cfg.threads = n;
            break;
        case OPT_CPUNODE:
            if (parse_node("cpunode", optarg, &run.cfg.cpunode)) {
                return BENCH_EXIT_USAGE;
            }
            break;
        case OPT_MEMNODE:
            if (parse_node("memnode", optarg, &run.cfg.memnode)) {
                return BENCH_EXIT_USAGE;
            }
            break;
        case OPT_SYSFS:
            sysfs_root = optarg;
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
    int max_node;
    if (run.cfg.cpunode >= 0 || run.cfg.memnode >= 0) {
        if (!bench_stream_numa_available(&max_node)) {
            return bench_cli_usage_error(CMD, "--cpunode/--memnode need NUMA support, which "
                                         "this host lacks (libnuma: numa_available() < 0)");
        }
        if (MAX(run.cfg.cpunode, run.cfg.memnode) > max_node) {
            return bench_cli_usage_error(CMD, "NUMA node %d does not exist here (nodes 0-%d; "
                                         "see plural bench numa)",
                                         MAX(run.cfg.cpunode, run.cfg.memnode), max_node);
        }
    }

    struct bench_llc llc;
    bool have_llc = !bench_llc_detect(sysfs_root, &llc);
    uint64_t min_elements = bench_stream_min_elements(have_llc ? llc.total_bytes : 0);
    if (!run.cfg.elements) {
        run.cfg.elements = min_elements;
    } else if (run.cfg.elements < min_elements && have_llc) {
        fprintf(stderr, "plural bench mem: warning: %llu elements per array is below "
                "STREAM's minimum of %llu (4 x %llu bytes of last-level cache): caches "
                "will inflate the figures\n", (unsigned long long) run.cfg.elements,
                (unsigned long long) min_elements, (unsigned long long) llc.total_bytes);
    }
    uint64_t need = bench_stream_memory_bytes(run.cfg.elements), avail;
    if (!bench_read_mem_available("/proc/meminfo", &avail) && need > avail) {
        return bench_cli_usage_error(CMD, "three arrays of %llu elements need %.1f GiB, but "
                                     "only %.1f GiB is available (MemAvailable)",
                                     (unsigned long long) run.cfg.elements,
                                     need / 1073741824.0, avail / 1073741824.0);
    }

    char *title = xasprintf("plural bench mem: STREAM, %llu elements per array "
                            "(%.1f MiB each), best of %u trials per round",
                            (unsigned long long) run.cfg.elements,
                            run.cfg.elements * 8 / 1048576.0, run.cfg.ntimes);
    struct bench_report *r = bench_report_create("mem", title);
    free(title);
    bench_report_set_param_string(r, "method", "STREAM kernels (OpenMP); best rate per "
                                  "round, first trial discarded; MB = 10^6 bytes");
    bench_report_set_param_int(r, "array_elements", run.cfg.elements);
    bench_report_set_param_int(r, "array_bytes", run.cfg.elements * 8);
    bench_report_set_param_int(r, "llc_total_bytes", have_llc ? (int64_t) llc.total_bytes : 0);
    bench_report_set_param_int(r, "ntimes", run.cfg.ntimes);
    bench_report_set_param_int(r, "cpunode", run.cfg.cpunode);
    bench_report_set_param_int(r, "memnode", run.cfg.memnode);
    for (int k = 0; k < BENCH_STREAM_N_KERNELS; k++) {
        char *name = xasprintf("%s", bench_stream_kernel_name(k));
        name[0] = name[0] - 'A' + 'a';
        bench_report_add_series(r, name, "MB/s", BENCH_HIGHER_IS_BETTER);
        free(name);
    }
    int error = bench_run_rounds(r, &out.run, mem_round, &run);
    int rc = 1;
    if (!error) {
        bench_report_set_param_int(r, "threads", run.last.threads);
        bench_report_set_param_real(r, "clock_granularity_s", run.last.granularity_s);
        bench_report_set_param_int(r, "check_loop_ticks", (int64_t) run.last.check_loop_ticks);
        bench_report_set_param_string(r, "timer_check", run.last.ticks_ok
                                      ? "every kernel >= 20 ticks" : "SOME KERNEL < 20 TICKS");
        bench_report_set_param_string(r, "validation", "passed (relative error < 1e-13)");
        rc = bench_cli_output_emit(&out, CMD, r);
    }
    bench_report_destroy(r);
    return rc;
}
