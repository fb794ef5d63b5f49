/* cli-output — the options every `plural bench` measuring command shares,
 * and how it prints its report.
 *
 *   --rounds N        measured rounds (default 15)
 *   --warmup N        extra first rounds, recorded as warm-up and discarded (default 1)
 *   --json FILE       also write the JSON report to FILE ("-" = stdout)
 *   --csv FILE        also write the samples as CSV to FILE ("-" = stdout)
 *   --format F        what goes to stdout: text (default), json or csv
 *   --progress / --no-progress   force the stderr progress line on/off
 *
 * A command puts BENCH_CLI_OUTPUT_LONG_OPTIONS in its getopt_long() table,
 * and passes each option to bench_cli_output_option() before its own.
 * Errors are one line on stderr, "plural bench CMD: what is wrong", and the
 * command exits with 2 (EXIT_USAGE).  Not thread-safe (CLI code). */
#ifndef PLURAL_BENCH_CLI_OUTPUT_H
#define PLURAL_BENCH_CLI_OUTPUT_H 1

#include <getopt.h>
#include <stdio.h>
#include "bench/report.h"
#include "bench/runner.h"
#include "util/util.h"

#define BENCH_EXIT_USAGE 2     /* Same as the CLI's EXIT_USAGE. */

enum bench_format { BENCH_FORMAT_TEXT, BENCH_FORMAT_JSON, BENCH_FORMAT_CSV };

struct bench_cli_output {
    struct bench_run_options run;
    const char *json_path;
    const char *csv_path;
    enum bench_format format;
};

void bench_cli_output_init(struct bench_cli_output *, const char *label);

enum {
    BENCH_OPT_ROUNDS = 0x1000,
    BENCH_OPT_WARMUP,
    BENCH_OPT_JSON,
    BENCH_OPT_CSV,
    BENCH_OPT_FORMAT,
    BENCH_OPT_PROGRESS,
    BENCH_OPT_NO_PROGRESS,
    BENCH_OPT_FIRST_FREE,       /* Commands number their own options from here. */
};

#define BENCH_CLI_OUTPUT_LONG_OPTIONS                                     \
    { "rounds", required_argument, NULL, BENCH_OPT_ROUNDS },              \
    { "warmup", required_argument, NULL, BENCH_OPT_WARMUP },              \
    { "json", required_argument, NULL, BENCH_OPT_JSON },                  \
    { "csv", required_argument, NULL, BENCH_OPT_CSV },                    \
    { "format", required_argument, NULL, BENCH_OPT_FORMAT },              \
    { "progress", no_argument, NULL, BENCH_OPT_PROGRESS },                \
    { "no-progress", no_argument, NULL, BENCH_OPT_NO_PROGRESS }

/* Handles option `opt` if it is one of the shared ones.  Returns 1 if it
 * was handled, 0 if it is not a shared option, -EINVAL after printing a
 * one-line error for a bad value.  `cmd` names the command in messages
 * ("cpu"). */
int bench_cli_output_option(struct bench_cli_output *, const char *cmd, int opt,
                            const char *arg);

/* Prints the shared options' help block (for a command's --help). */
void bench_cli_output_help(FILE *);

/* Prints the report to stdout in the chosen format and writes the --json and
 * --csv files.  Returns 0, or 1 after printing why a file failed. */
int bench_cli_output_emit(const struct bench_cli_output *, const char *cmd,
                          const struct bench_report *);

/* Prints "plural bench CMD: message" and returns EXIT_USAGE (2). */
int bench_cli_usage_error(const char *cmd, const char *fmt, ...) PRINTF_FORMAT(2, 3);
/* Same for an operational failure; returns 1. */
int bench_cli_failure(const char *cmd, const char *fmt, ...) PRINTF_FORMAT(2, 3);
/* getopt_long's own messages are not one-line-with-the-command: commands
 * set opterr = 0, start their short-option string with ':', and call this
 * when getopt_long returns '?' (unknown option) or ':' (missing value),
 * passing that return value as `c`.  Prints the message; returns 2. */
int bench_cli_bad_option(const char *cmd, char *argv[], int c);

/* Parses an unsigned integer option value in [min, max]; prints a one-line
 * error naming --`name` and returns -EINVAL if it is not one. */
int bench_cli_parse_uint(const char *cmd, const char *name, const char *arg,
                         uint64_t min, uint64_t max, uint64_t *out);

#endif
