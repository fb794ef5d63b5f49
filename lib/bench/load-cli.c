/* load-cli — `plural bench load` (see net-cli.h and load-sample.h). */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "bench/cli-output.h"
#include "bench/report.h"
#include "load-sample.h"
#include "net-cli.h"
#include "net-cli-util.h"
#include "util/clock.h"

enum {
    OPT_PID = BENCH_OPT_FIRST_FREE, OPT_CGROUP, OPT_NETNS, OPT_INTERVAL,
    OPT_DURATION, OPT_JSON_FILE, OPT_QUIET, OPT_HELP,
};

static const struct option load_options[] = {
    { "pid", required_argument, NULL, OPT_PID },
    { "cgroup", required_argument, NULL, OPT_CGROUP },
    { "netns", required_argument, NULL, OPT_NETNS },
    { "interval", required_argument, NULL, OPT_INTERVAL },
    { "duration", required_argument, NULL, OPT_DURATION },
    { "json", required_argument, NULL, OPT_JSON_FILE },
    { "quiet", no_argument, NULL, OPT_QUIET },
    { "help", no_argument, NULL, OPT_HELP },
    { NULL, 0, NULL, 0 },
};

static void
load_help(void)
{
    printf("usage: plural bench load --pid PID | --cgroup PATH | --netns NAME\n"
           "         [--interval S] [--duration S] [--json FILE] [--quiet]\n"
           "Samples the CPU share (%% of one core) of a process (/proc/PID/stat),\n"
           "a cgroup (v1 cpuacct.usage or v2 cpu.stat) or every process of a\n"
           "network namespace, every --interval (default 1 s) for --duration\n"
           "(default 10 s), with the machine's softirq and busy time beside it\n"
           "(packet processing on veths is softirq work charged to no namespace).\n"
           "Ends with mean, 95%% CI and median of each.\n");
}

static void
sleep_until(uint64_t deadline_ns)
{
    uint64_t now = clock_now_ns();
    if (deadline_ns > now) {
        uint64_t ns = deadline_ns - now;
        struct timespec ts = { (time_t) (ns / 1000000000u), (long) (ns % 1000000000u) };
        nanosleep(&ts, NULL);
    }
}

int
bench_load_command(int argc, char *argv[])
{
    static const char cmd[] = "load";
    const char *name = NULL, *json = NULL;
    enum load_target target = LOAD_TARGET_PID;
    double interval = 1, duration = 10;
    int targets = 0, opt;
    bool quiet = false;

    opterr = 0;
    optind = 0;
    while ((opt = getopt_long(argc, argv, ":", load_options, NULL)) != -1) {
        switch (opt) {
        case OPT_PID:
        case OPT_CGROUP:
        case OPT_NETNS:
            target = opt == OPT_PID ? LOAD_TARGET_PID
                     : opt == OPT_CGROUP ? LOAD_TARGET_CGROUP : LOAD_TARGET_NETNS;
            name = optarg;
            targets++;
            break;
        case OPT_INTERVAL:
            if (net_cli_parse_seconds(cmd, "interval", optarg, 0.01, 3600, &interval)) {
                return 2;
            }
            break;
        case OPT_DURATION:
            if (net_cli_parse_seconds(cmd, "duration", optarg, 0.01, 1e6, &duration)) {
                return 2;
            }
            break;
        case OPT_JSON_FILE:
            json = optarg;
            break;
        case OPT_QUIET:
            quiet = true;
            break;
        case OPT_HELP:
            load_help();
            return 0;
        default:
            return bench_cli_bad_option(cmd, argv, opt);
        }
    }
    if (optind < argc) {
        return bench_cli_usage_error(cmd, "unexpected argument '%s' (see --help)", argv[optind]);
    }
    if (targets != 1) {
        return bench_cli_usage_error(cmd, "give exactly one of --pid, --cgroup, --netns (see --help)");
    }
    if (duration < interval) {
        return bench_cli_usage_error(cmd, "--duration must be at least --interval");
    }

    struct load_sampler *s;
    int error = load_sampler_open(target, name, &s);
    if (error) {
        static const char *const what[] = { "process", "cgroup", "network namespace" };
        if (error == -EINVAL && target != LOAD_TARGET_CGROUP) {
            return bench_cli_usage_error(cmd, "bad %s name '%s'", what[target], name);
        }
        return bench_cli_failure(cmd, "no such %s: %s", what[target], name);
    }

    struct bench_report *report = bench_report_create("load", "CPU share");
    bench_report_set_param_string(report, "target",
                                  target == LOAD_TARGET_PID ? "pid"
                                  : target == LOAD_TARGET_CGROUP ? "cgroup" : "netns");
    bench_report_set_param_string(report, "name", name);
    bench_report_set_param_string(report, "source", load_sampler_source(s));
    bench_report_set_param_real(report, "interval_s", interval);
    struct bench_series *cpu = bench_report_add_series(report, "cpu", "%",
                                                       BENCH_LOWER_IS_BETTER);
    struct bench_series *softirq = bench_report_add_series(report, "softirq", "%",
                                                           BENCH_LOWER_IS_BETTER);
    struct bench_series *system = bench_report_add_series(report, "system", "%",
                                                          BENCH_LOWER_IS_BETTER);

    net_cli_catch_signals();
    const volatile sig_atomic_t *stop = net_cli_stop_flag();
    uint64_t start = clock_now_ns();
    uint64_t step = (uint64_t) llround(interval * 1e9);
    unsigned int n = (unsigned int) floor(duration / interval + 1e-9);
    int rc = 0;
    for (unsigned int i = 1; i <= n && !*stop; i++) {
        struct load_sample sample;
        sleep_until(start + i * step);
        if (*stop) {
            break;
        }
        error = load_sampler_sample(s, &sample);
        if (error) {
            rc = bench_cli_failure(cmd, "%s: %s", load_sampler_source(s),
                                   error == -ESRCH ? "process exited" : strerror(-error));
            break;
        }
        bench_series_add_sample(cpu, sample.cpu_pct, false);
        bench_series_add_sample(softirq, sample.softirq_pct, false);
        bench_series_add_sample(system, sample.system_pct, false);
        if (!quiet) {
            printf("load t=%.2f cpu=%.1f%% softirq=%.1f%% system=%.1f%% tasks=%u\n",
                   (double) (clock_now_ns() - start) / 1e9, sample.cpu_pct,
                   sample.softirq_pct, sample.system_pct, sample.tasks);
            fflush(stdout);
        }
    }
    bench_report_set_rounds(report, (unsigned) bench_series_n_samples(cpu), 0);
    if (bench_series_n_samples(cpu)) {
        bench_report_write_text(report, stdout);
        if (json && bench_report_write_json_file(report, json)) {
            rc = bench_cli_failure(cmd, "cannot write %s: %s", json, strerror(errno));
        }
    }
    bench_report_destroy(report);
    load_sampler_destroy(s);
    return rc;
}
