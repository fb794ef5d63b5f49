/* cmd-time — `plural bench time -- CMD` (this process times CMD) and
 * `plural bench ingest` (samples measured elsewhere become a report). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bench/cli-output.h"
#include "bench/commands.h"
#include "util/clock.h"

static void
time_usage(FILE *f)
{
    fprintf(f,
"usage: plural bench time [--name NAME] [--quiet-command] [OPTIONS] -- CMD [ARGS...]\n"
"\n"
"Runs CMD --warmup + --rounds times, one after the other, and records each\n"
"run's wall-clock time as measured by this process (CLOCK_MONOTONIC, from\n"
"fork to exit).  This is how the seed times work inside a virtual machine:\n"
"from the outside, since a guest's own clock is emulated (e.g. CMD = ssh or\n"
"a qemu run that executes the workload).  A run that exits non-zero (or by a\n"
"signal) fails the measurement.  CMD's standard output goes to stderr so\n"
"stdout carries only the report; --quiet-command discards both.\n"
"\n"
"Options:\n"
"  --name NAME      benchmark name in the report (default: time)\n"
"  --quiet-command  send CMD's output to /dev/null\n"
"  -h, --help       this help\n"
"\n");
    bench_cli_output_help(f);
    fprintf(f, "\nExit status: 0 ok, 1 CMD failed or could not run, 2 usage error.\n");
}

static void
ingest_usage(FILE *f)
{
    fprintf(f,
"usage: plural bench ingest [--samples FILE] [--name NAME] [--series NAME]\n"
"                           [--unit UNIT] [--better lower|higher] [--title TEXT]\n"
"                           [--warmup N] [--format F] [--json FILE] [--csv FILE]\n"
"\n"
"Turns samples measured elsewhere (by a host timing a guest, a stopwatch,\n"
"another tool) into the same report as every plural bench command: mean,\n"
"standard deviation, 95%% confidence interval (Student t), min, median,\n"
"max, JSON and CSV.  Samples are numbers separated by spaces, commas or\n"
"newlines, in round order; text after '#' on a line is ignored.  The first\n"
"--warmup samples are recorded as warm-up and left out of the statistics\n"
"(default 0 here: the samples are taken as given).  The report is marked\n"
"\"timing\": \"external\".\n"
"\n"
"Options:\n"
"  --samples FILE   read the samples from FILE (default, or '-': stdin)\n"
"  --name NAME      benchmark name (default: external)\n"
"  --series NAME    series name (default: time)\n"
"  --unit UNIT      unit of the samples (default: s)\n"
"  --better B       lower (default) or higher is better\n"
"  --title TEXT     report title\n"
"  --warmup N       the first N samples are warm-up (default 0)\n"
"  --format F, --json FILE, --csv FILE   as for the other commands\n"
"  -h, --help       this help\n"
"\n"
"Exit status: 0 ok, 1 unreadable file, 2 usage error or bad sample.\n");
}

struct time_run {
    char **argv;
    bool quiet;
};

static int
time_round(void *aux, unsigned round, bool warmup, double *values)
{
    (void) warmup;
    struct time_run *run = aux;
    fflush(NULL);
    uint64_t t0 = clock_now_ns();
    pid_t pid = fork();
    if (pid < 0) {
        bench_cli_failure("time", "fork: %s", strerror(errno));
        return -errno;
    }
    if (pid == 0) {
        int fd = run->quiet ? open("/dev/null", O_WRONLY) : STDERR_FILENO;
        dup2(fd, STDOUT_FILENO);
        if (run->quiet) {
            dup2(fd, STDERR_FILENO);
        }
        execvp(run->argv[0], run->argv);
        fprintf(stderr, "plural bench time: cannot run '%s': %s\n", run->argv[0],
                strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return -errno;
        }
    }
    values[0] = (clock_now_ns() - t0) / 1e9;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        return 0;
    }
    if (WIFEXITED(status)) {
        bench_cli_failure("time", "round %u: '%s' exited with status %d", round,
                          run->argv[0], WEXITSTATUS(status));
    } else {
        bench_cli_failure("time", "round %u: '%s' was killed by signal %d", round,
                          run->argv[0], WTERMSIG(status));
    }
    return -ECHILD;
}

int
bench_time_command(int argc, char *argv[])
{
    enum { OPT_NAME = BENCH_OPT_FIRST_FREE, OPT_QUIET };
    static const struct option options[] = {
        { "name", required_argument, NULL, OPT_NAME },
        { "quiet-command", no_argument, NULL, OPT_QUIET },
        { "help", no_argument, NULL, 'h' },
        BENCH_CLI_OUTPUT_LONG_OPTIONS,
        { NULL, 0, NULL, 0 },
    };
    struct bench_cli_output out;
    bench_cli_output_init(&out, "plural bench time");
    struct time_run run = { NULL, false };
    const char *name = "time";
    int c;
    optind = 0;
    opterr = 0;
    /* '+': stop at the first non-option, so CMD's own options are not ours. */
    while ((c = getopt_long(argc, argv, "+:h", options, NULL)) != -1) {
        int handled = bench_cli_output_option(&out, "time", c, optarg);
        if (handled < 0) {
            return BENCH_EXIT_USAGE;
        } else if (handled) {
            continue;
        }
        switch (c) {
        case OPT_NAME:
            name = optarg;
            break;
        case OPT_QUIET:
            run.quiet = true;
            break;
        case 'h':
            time_usage(stdout);
            return 0;
        default:
            return bench_cli_bad_option("time", argv, c);
        }
    }
    if (optind >= argc) {
        return bench_cli_usage_error("time", "no command to time (usage: plural bench time "
                                     "[OPTIONS] -- CMD [ARGS...])");
    }
    run.argv = argv + optind;
    char *cmdline = xstrdup(run.argv[0]);
    for (char **a = run.argv + 1; *a; a++) {
        char *longer = xasprintf("%s %s", cmdline, *a);
        free(cmdline);
        cmdline = longer;
    }
    char *title = xasprintf("plural bench time: wall time of '%s'", cmdline);
    struct bench_report *r = bench_report_create(name, title);
    free(title);
    bench_report_set_param_string(r, "command", cmdline);
    bench_report_set_param_string(r, "clock", "CLOCK_MONOTONIC of the timing process, "
                                  "fork to exit");
    free(cmdline);
    bench_report_set_timing(r, BENCH_TIMING_EXTERNAL);
    bench_report_add_series(r, "time", "s", BENCH_LOWER_IS_BETTER);
    int rc = bench_run_rounds(r, &out.run, time_round, &run)
             ? 1 : bench_cli_output_emit(&out, "time", r);
    bench_report_destroy(r);
    return rc;
}

/* Reads samples from `f`.  Returns 0 or -EINVAL after printing the bad token. */
static int
read_samples(FILE *f, const char *source, double **values, size_t *n)
{
    char *line = NULL;
    size_t cap = 0, allocated = 0;
    unsigned lineno = 0;
    *values = NULL;
    *n = 0;
    while (getline(&line, &cap, f) >= 0) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash) {
            *hash = '\0';
        }
        char *save = NULL;
        for (char *tok = strtok_r(line, " \t\r\n,;", &save); tok;
             tok = strtok_r(NULL, " \t\r\n,;", &save)) {
            char *end;
            errno = 0;
            double x = strtod(tok, &end);
            if (*end || errno || x != x || x - x != 0) {
                bench_cli_usage_error("ingest", "%s:%u: '%s' is not a finite number",
                                      source, lineno, tok);
                free(line);
                free(*values);
                *values = NULL;
                return -EINVAL;
            }
            if (*n == allocated) {
                allocated = allocated ? 2 * allocated : 32;
                *values = xrealloc(*values, allocated * sizeof **values);
            }
            (*values)[(*n)++] = x;
        }
    }
    free(line);
    return 0;
}

int
bench_ingest_command(int argc, char *argv[])
{
    enum { OPT_SAMPLES = BENCH_OPT_FIRST_FREE, OPT_NAME, OPT_SERIES, OPT_UNIT, OPT_BETTER,
           OPT_TITLE };
    static const struct option options[] = {
        { "samples", required_argument, NULL, OPT_SAMPLES },
        { "name", required_argument, NULL, OPT_NAME },
        { "series", required_argument, NULL, OPT_SERIES },
        { "unit", required_argument, NULL, OPT_UNIT },
        { "better", required_argument, NULL, OPT_BETTER },
        { "title", required_argument, NULL, OPT_TITLE },
        { "help", no_argument, NULL, 'h' },
        BENCH_CLI_OUTPUT_LONG_OPTIONS,
        { NULL, 0, NULL, 0 },
    };
    struct bench_cli_output out;
    bench_cli_output_init(&out, "plural bench ingest");
    out.run.warmup = 0;
    const char *path = "-", *name = "external", *series = "time", *unit = "s";
    const char *title = NULL;
    enum bench_better better = BENCH_LOWER_IS_BETTER;
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        if (c == BENCH_OPT_ROUNDS) {
            return bench_cli_usage_error("ingest", "--rounds does not apply: every sample "
                                         "given is a round");
        }
        int handled = bench_cli_output_option(&out, "ingest", c, optarg);
        if (handled < 0) {
            return BENCH_EXIT_USAGE;
        } else if (handled) {
            continue;
        }
        switch (c) {
        case OPT_SAMPLES: path = optarg; break;
        case OPT_NAME: name = optarg; break;
        case OPT_SERIES: series = optarg; break;
        case OPT_UNIT: unit = optarg; break;
        case OPT_TITLE: title = optarg; break;
        case OPT_BETTER:
            if (!strcmp(optarg, "lower")) {
                better = BENCH_LOWER_IS_BETTER;
            } else if (!strcmp(optarg, "higher")) {
                better = BENCH_HIGHER_IS_BETTER;
            } else {
                return bench_cli_usage_error("ingest", "--better must be lower or higher "
                                             "(got '%s')", optarg);
            }
            break;
        case 'h':
            ingest_usage(stdout);
            return 0;
        default:
            return bench_cli_bad_option("ingest", argv, c);
        }
    }
    if (optind < argc) {
        return bench_cli_usage_error("ingest", "unexpected argument '%s' (samples come from "
                                     "--samples FILE or stdin)", argv[optind]);
    }
    FILE *f = !strcmp(path, "-") ? stdin : fopen(path, "r");
    if (!f) {
        return bench_cli_failure("ingest", "%s: %s", path, strerror(errno));
    }
    double *values;
    size_t n;
    int error = read_samples(f, !strcmp(path, "-") ? "stdin" : path, &values, &n);
    if (f != stdin) {
        fclose(f);
    }
    if (error) {
        return BENCH_EXIT_USAGE;
    }
    if (n <= out.run.warmup) {
        free(values);
        return bench_cli_usage_error("ingest", "%zu sample%s, %u of them warm-up: nothing "
                                     "left to summarize", n, n == 1 ? "" : "s",
                                     out.run.warmup);
    }
    char *default_title = xasprintf("plural bench ingest: %zu externally measured samples",
                                    n - out.run.warmup);
    struct bench_report *r = bench_report_create(name, title ? title : default_title);
    free(default_title);
    bench_report_set_timing(r, BENCH_TIMING_EXTERNAL);
    bench_report_set_rounds(r, n - out.run.warmup, out.run.warmup);
    bench_report_set_param_string(r, "source", path);
    struct bench_series *s = bench_report_add_series(r, series, unit, better);
    for (size_t i = 0; i < n; i++) {
        bench_series_add_sample(s, values[i], i < out.run.warmup);
    }
    free(values);
    int rc = bench_cli_output_emit(&out, "ingest", r);
    bench_report_destroy(r);
    return rc;
}
