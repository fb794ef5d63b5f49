/* cli-output — shared options and report output of `plural bench` commands. */
#include "bench/cli-output.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

void
bench_cli_output_init(struct bench_cli_output *o, const char *label)
{
    memset(o, 0, sizeof *o);
    o->run = (struct bench_run_options) BENCH_RUN_OPTIONS_INIT;
    o->run.label = label;
    o->format = BENCH_FORMAT_TEXT;
}

static void
vmessage(const char *cmd, const char *fmt, va_list args)
{
    fprintf(stderr, "plural bench%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    vfprintf(stderr, fmt, args);
    fputc('\n', stderr);
}

int
bench_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vmessage(cmd, fmt, args);
    va_end(args);
    return BENCH_EXIT_USAGE;
}

int
bench_cli_failure(const char *cmd, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vmessage(cmd, fmt, args);
    va_end(args);
    return 1;
}

int
bench_cli_bad_option(const char *cmd, char *argv[], int c)
{
    const char *arg = argv[optind - 1];
    if (c == ':') {
        return bench_cli_usage_error(cmd, "option '%s' needs a value (see --help)", arg);
    }
    if (optopt && optopt < 0x100 && arg[0] == '-' && arg[1] != '-') {
        return bench_cli_usage_error(cmd, "unknown option '-%c' (see --help)", optopt);
    }
    return bench_cli_usage_error(cmd, "unknown option '%s' (see --help)", arg);
}

int
bench_cli_parse_uint(const char *cmd, const char *name, const char *arg,
                     uint64_t min, uint64_t max, uint64_t *out)
{
    if (str_to_u64(arg, min, max, out)) {
        bench_cli_usage_error(cmd, "--%s must be an integer from %llu to %llu (got '%s')",
                              name, (unsigned long long) min, (unsigned long long) max, arg);
        return -EINVAL;
    }
    return 0;
}

int
bench_cli_output_option(struct bench_cli_output *o, const char *cmd, int opt,
                        const char *arg)
{
    uint64_t n;
    switch (opt) {
    case BENCH_OPT_ROUNDS:
        if (bench_cli_parse_uint(cmd, "rounds", arg, 1, 1000000, &n)) {
            return -EINVAL;
        }
        o->run.rounds = n;
        return 1;
    case BENCH_OPT_WARMUP:
        if (bench_cli_parse_uint(cmd, "warmup", arg, 0, 1000000, &n)) {
            return -EINVAL;
        }
        o->run.warmup = n;
        return 1;
    case BENCH_OPT_JSON:
        o->json_path = arg;
        return 1;
    case BENCH_OPT_CSV:
        o->csv_path = arg;
        return 1;
    case BENCH_OPT_FORMAT:
        if (!strcmp(arg, "text")) {
            o->format = BENCH_FORMAT_TEXT;
        } else if (!strcmp(arg, "json")) {
            o->format = BENCH_FORMAT_JSON;
        } else if (!strcmp(arg, "csv")) {
            o->format = BENCH_FORMAT_CSV;
        } else {
            bench_cli_usage_error(cmd, "--format must be text, json or csv (got '%s')", arg);
            return -EINVAL;
        }
        return 1;
    case BENCH_OPT_PROGRESS:
        o->run.progress = BENCH_PROGRESS_ON;
        return 1;
    case BENCH_OPT_NO_PROGRESS:
        o->run.progress = BENCH_PROGRESS_OFF;
        return 1;
    default:
        return 0;
    }
}

void
bench_cli_output_help(FILE *f)
{
    fputs("Rounds and output (all measuring commands):\n"
          "  --rounds N       measured rounds (default 15); each gives one sample\n"
          "  --warmup N       extra rounds run first, kept in the report marked\n"
          "                   \"warmup\" and left out of the statistics (default 1)\n"
          "  --format F       what stdout shows: text (default), json or csv\n"
          "  --json FILE      also write the JSON report to FILE ('-' = stdout)\n"
          "  --csv FILE       also write the samples as CSV to FILE ('-' = stdout)\n"
          "  --progress       always show the progress line on stderr\n"
          "  --no-progress    never show it (default: only when stderr is a terminal)\n",
          f);
}

int
bench_cli_output_emit(const struct bench_cli_output *o, const char *cmd,
                      const struct bench_report *r)
{
    int error = o->format == BENCH_FORMAT_JSON ? bench_report_write_json(r, stdout)
                : o->format == BENCH_FORMAT_CSV ? bench_report_write_csv(r, stdout)
                : bench_report_write_text(r, stdout);
    if (error) {
        return bench_cli_failure(cmd, "writing to stdout: %s", strerror(-error));
    }
    if (o->json_path && (error = bench_report_write_json_file(r, o->json_path))) {
        return bench_cli_failure(cmd, "%s: %s", o->json_path, strerror(-error));
    }
    if (o->csv_path && (error = bench_report_write_csv_file(r, o->csv_path))) {
        return bench_cli_failure(cmd, "%s: %s", o->csv_path, strerror(-error));
    }
    return 0;
}
