/* net-cli-util — helpers shared by the `plural bench net ...` and
 * `plural bench load` commands (net-cli.c, net-iperf.c, load-cli.c).
 *
 * Messages follow cli-output.h: one line "plural bench CMD: ...", exit code
 * 2 for wrong usage and 1 for a failed operation.  CLI code: not
 * thread-safe. */
#ifndef PLURAL_BENCH_NET_CLI_UTIL_H
#define PLURAL_BENCH_NET_CLI_UTIL_H 1

#include <signal.h>
#include <stdint.h>
#include "bench/report.h"
#include "net-series.h"

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
