/* net-cli — entry points of `plural bench net ...` and `plural bench load ...`.
 *
 * src/plural/cmd-bench.c dispatches to these with argv[0] == "net" (or
 * "load"): e.g. `plural bench net gen --dev IF ...` arrives here as
 * argc/argv = {"net", "gen", "--dev", "IF", ...}.
 *
 * Subcommands of `net`:
 *   gen    --dev IF --size BYTES --duration S [--rate PPS] [--count N]
 *          [--dst-mac M] [--src-mac M] [--vlan V] [--src-ip A] [--dst-ip A]
 *          [--json FILE]                       raw Ethernet/IPv4/UDP generator
 *   recv   --dev IF --duration S [--expect N] [--json FILE]
 *                                              counts frames with plural's marker
 *   iperf  --server IP [--netns NS] --time S --len BYTES --rounds N [--json FILE]
 *                                              iperf3 driver (TX and RX rates)
 * `load`:  --pid PID | --cgroup PATH | --netns NAME  --interval S --duration S
 *          [--json FILE]                       CPU share sampler
 *
 * Both return a process exit code: 0 success, 1 the operation failed (e.g.
 * unknown interface, named in the message), 2 wrong usage (one-line message
 * on stderr).  Both print their own help for --help.  Not thread-safe: each
 * is the whole program for the time it runs. */
#ifndef PLURAL_BENCH_NET_CLI_H
#define PLURAL_BENCH_NET_CLI_H 1

int bench_net_command(int argc, char *argv[]);
int bench_load_command(int argc, char *argv[]);

#endif
