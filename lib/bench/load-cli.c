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
    OPT_PID = NET_CLI_OPT_FIRST_FREE, OPT_CGROUP, OPT_NETNS, OPT_INTERVAL,
    OPT_DURATION,
};

static const struct option load_options[] = {
    { "pid", required_argument, NULL, OPT_PID },
    { "cgroup", required_argument, NULL, OPT_CGROUP },
    { "netns", required_argument, NULL, OPT_NETNS },
    { "interval", required_argument, NULL, OPT_INTERVAL },
    { "duration", required_argument, NULL, OPT_DURATION },
    NET_CLI_COMMON_LONG_OPTIONS,
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

/* What load's command line sets besides the shared options. */
struct load_args {
    enum load_target target;
    const char *name;           /* Of the last --pid, --cgroup or --netns. */
    int targets;                /* How many of those were given. */
    double interval, duration;  /* Seconds. */
};

static int
load_option(void *aux, const char *cmd, int opt, const char *arg)
{
    struct load_args *a = aux;

    switch (opt) {
    case OPT_PID:
    case OPT_CGROUP:
    case OPT_NETNS:
        a->target = opt == OPT_PID ? LOAD_TARGET_PID
                    : opt == OPT_CGROUP ? LOAD_TARGET_CGROUP : LOAD_TARGET_NETNS;
        a->name = arg;
        a->targets++;
        return 0;
    case OPT_INTERVAL:
        return net_cli_parse_seconds(cmd, "interval", arg, 0.01, 3600, &a->interval) ? 2 : 0;
    case OPT_DURATION:
        return net_cli_parse_seconds(cmd, "duration", arg, 0.01, 1e6, &a->duration) ? 2 : 0;
    default:
        util_abort("%s: option %d has no handler", cmd, opt);
    }
}

int
bench_load_command(int argc, char *argv[])
{
    static const char cmd[] = "load";
    struct load_args a = { .target = LOAD_TARGET_PID, .interval = 1, .duration = 10 };
    struct net_cli_common common;

    int rc = net_cli_parse(cmd, argc, argv, load_options, load_help, load_option, &a, &common);
    if (rc >= 0) {
        return rc;
    }
    if (a.targets != 1) {
        return bench_cli_usage_error(cmd, "give exactly one of --pid, --cgroup, --netns (see --help)");
    }
    if (a.duration < a.interval) {
        return bench_cli_usage_error(cmd, "--duration must be at least --interval");
    }

    struct load_sampler *s;
    int error = load_sampler_open(a.target, a.name, &s);
    if (error) {
        static const char *const what[] = { "process", "cgroup", "network namespace" };
        if (error == -EINVAL && a.target != LOAD_TARGET_CGROUP) {
            return bench_cli_usage_error(cmd, "bad %s name '%s'", what[a.target], a.name);
        }
        return bench_cli_failure(cmd, "no such %s: %s", what[a.target], a.name);
    }

    struct bench_report *report = bench_report_create("load", "CPU share");
    bench_report_set_param_string(report, "target",
                                  a.target == LOAD_TARGET_PID ? "pid"
                                  : a.target == LOAD_TARGET_CGROUP ? "cgroup" : "netns");
    bench_report_set_param_string(report, "name", a.name);
    bench_report_set_param_string(report, "source", load_sampler_source(s));
    bench_report_set_param_real(report, "interval_s", a.interval);
    struct bench_series *cpu = bench_report_add_series(report, "cpu", "%",
                                                       BENCH_LOWER_IS_BETTER);
    struct bench_series *softirq = bench_report_add_series(report, "softirq", "%",
                                                           BENCH_LOWER_IS_BETTER);
    struct bench_series *system = bench_report_add_series(report, "system", "%",
                                                          BENCH_LOWER_IS_BETTER);

    net_cli_catch_signals();
    const volatile sig_atomic_t *stop = net_cli_stop_flag();
    uint64_t start = clock_now_ns();
    uint64_t step = (uint64_t) llround(a.interval * 1e9);
    unsigned int n = (unsigned int) floor(a.duration / a.interval + 1e-9);
    rc = 0;
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
        if (!common.quiet) {
            printf("load t=%.2f cpu=%.1f%% softirq=%.1f%% system=%.1f%% tasks=%u\n",
                   (double) (clock_now_ns() - start) / 1e9, sample.cpu_pct,
                   sample.softirq_pct, sample.system_pct, sample.tasks);
            fflush(stdout);
        }
    }
    bench_report_set_rounds(report, (unsigned) bench_series_n_samples(cpu), 0);
    if (bench_series_n_samples(cpu)) {
        bench_report_write_text(report, stdout);
        if (common.json && bench_report_write_json_file(report, common.json)) {
            rc = bench_cli_failure(cmd, "cannot write %s: %s", common.json, strerror(errno));
        }
    }
    bench_report_destroy(report);
    load_sampler_destroy(s);
    return rc;
}
