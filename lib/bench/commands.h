/* commands — the `plural bench` subcommands implemented in lib/bench.
 *
 * src/plural/cmd-bench.c dispatches `plural bench SUB ARGS` to
 * bench_SUB_command(argc, argv) with argv[0] == "SUB".  Each prints its own
 * help for --help and returns the exit code: 0 success, 1 the measurement
 * or an I/O failed (message on stderr), 2 wrong usage (one line on stderr,
 * "plural bench SUB: ...").  (net and load live in net-cli.h.)
 *
 * Each command is the whole program while it runs: not thread-safe, and it
 * uses getopt_long's globals. */
#ifndef PLURAL_BENCH_COMMANDS_H
#define PLURAL_BENCH_COMMANDS_H 1

int bench_cpu_command(int argc, char *argv[]);
int bench_mem_command(int argc, char *argv[]);
int bench_numa_command(int argc, char *argv[]);
int bench_time_command(int argc, char *argv[]);
int bench_ingest_command(int argc, char *argv[]);
int bench_compare_command(int argc, char *argv[]);

#endif
