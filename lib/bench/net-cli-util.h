/* net-cli-util — helpers shared by the `plural bench net ...` and
 * `plural bench load` commands (net-cli.c, net-iperf.c, load-cli.c);
 * implemented in net-cli.c.
 *
 * Messages follow cli-output.h: one line "plural bench CMD: ...", exit code
 * 2 for wrong usage and 1 for a failed operation.  CLI code: not
 * thread-safe. */
#ifndef PLURAL_BENCH_NET_CLI_UTIL_H
#define PLURAL_BENCH_NET_CLI_UTIL_H 1

#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include "bench/cli-output.h"
#include "bench/report.h"
#include "net-series.h"

/* ---- Command-line parsing of gen, recv and load ----
 *
 * The three commands share --json FILE, --quiet and --help, the getopt loop
 * around their own options and its error handling: a command lists
 * NET_CLI_COMMON_LONG_OPTIONS in its getopt_long() table, numbers its own
 * options from NET_CLI_OPT_FIRST_FREE and calls net_cli_parse() with a
 * handler for them. */

enum {
    NET_CLI_OPT_JSON_FILE = BENCH_OPT_FIRST_FREE,
    NET_CLI_OPT_QUIET,
    NET_CLI_OPT_HELP,
    NET_CLI_OPT_FIRST_FREE,     /* Commands number their own options from here. */
};

#define NET_CLI_COMMON_LONG_OPTIONS                                       \
    { "json", required_argument, NULL, NET_CLI_OPT_JSON_FILE },           \
    { "quiet", no_argument, NULL, NET_CLI_OPT_QUIET },                    \
    { "help", no_argument, NULL, NET_CLI_OPT_HELP }

/* What the shared options set. */
struct net_cli_common {
    const char *json;           /* --json FILE: also write a JSON report, or NULL. */
    bool quiet;                 /* --quiet: no per-interval lines. */
};

/* Handles one of the command's own options `opt` (with value `arg`, or
 * NULL).  Returns 0, or the exit code after printing a one-line message
 * naming `cmd`. */
typedef int net_cli_option_fn(void *aux, const char *cmd, int opt, const char *arg);

/* Parses argv (argv[0] = the command's name) with getopt_long(`options`):
 * the shared options into `*common` (zeroed first), every other option
 * through `handle(aux, ...)`, in command-line order.  Parsing stops at the
 * first of: --help (calls `help`; exit code 0), a non-zero code from
 * `handle` (that code), an unknown option, a missing value or a stray
 * argument (a one-line message; exit code 2).  Returns -1 when the command
 * should go on, else the exit code to return.  Resets getopt's state
 * (optind) and turns off its own messages (opterr). */
int net_cli_parse(const char *cmd, int argc, char *argv[], const struct option *options,
                  void (*help)(void), net_cli_option_fn *handle, void *aux,
                  struct net_cli_common *common);

/* SIGINT/SIGTERM set the flag returned by net_cli_stop_flag(), so a run ends
 * cleanly and still prints its totals. */
void net_cli_catch_signals(void);
const volatile sig_atomic_t *net_cli_stop_flag(void);

/* Parses a real number of seconds in [min, max]; prints a one-line error
 * naming --`name` and returns -EINVAL otherwise. */
int net_cli_parse_seconds(const char *cmd, const char *name, const char *arg,
                          double min, double max, double *out);

/* Adds series PREFIX_pps and PREFIX_mbps with one sample per interval of
 * `s` (intervals shorter than half of interval_s are left out). */
void net_cli_add_series(struct bench_report *, const struct net_series *s,
                        const char *prefix, double interval_s);

/* Pins the calling thread to `cpu`.  Returns 0, or 1 after a message. */
int net_cli_pin_cpu(const char *cmd, uint64_t cpu);

/* Prints why opening `dev` failed (unknown interface named) and returns 1. */
int net_cli_device_error(const char *cmd, const char *dev, int error);

/* `plural bench net iperf ...` with argv[0] == "iperf" (net-iperf.c). */
int net_iperf_command(int argc, char *argv[]);

#endif
