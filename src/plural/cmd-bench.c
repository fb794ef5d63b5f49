/* cmd-bench — `plural bench SUBCOMMAND ...`: the benchmarking lab's tools.
 * The subcommands live in lib/bench (commands.h, net-cli.h); this file is
 * the group's help and dispatch table. */
#include <stdio.h>
#include <string.h>
#include "bench/commands.h"
#include "bench/net-cli.h"
#include "command.h"
#include "util/util.h"

struct bench_subcommand {
    const char *name;
    const char *summary;
    int (*run)(int argc, char *argv[]);
};

static const struct bench_subcommand subcommands[] = {
    { "cpu", "pi to 2^K digits on one thread (Chudnovsky/GMP), timed", bench_cpu_command },
    { "mem", "memory bandwidth: STREAM Copy/Scale/Add/Triad (OpenMP, NUMA)", bench_mem_command },
    { "numa", "NUMA topology, the NUMA threshold, largest node-local VM", bench_numa_command },
    { "time", "time a command from outside, N rounds (-- CMD ARGS)", bench_time_command },
    { "ingest", "turn externally measured samples into a report", bench_ingest_command },
    { "compare", "side-by-side table of reports with ratios, bar chart", bench_compare_command },
    { "net", "packet generator/receiver, iperf3 driver", bench_net_command },
    { "load", "CPU-load sampler of a process, cgroup or namespace", bench_load_command },
};

static void
usage(FILE *f)
{
    fprintf(f, "usage: plural bench SUBCOMMAND [OPTIONS]\n"
               "       plural bench SUBCOMMAND --help\n\n"
               "Measures a host or a virtual machine the way the seed did: every\n"
               "measurement runs N rounds (default 15, plus 1 warm-up round that is\n"
               "recorded but discarded) and is reported as mean, standard deviation,\n"
               "95%% confidence interval (Student t), min, median and max, as text,\n"
               "JSON (--json FILE, --format json) or CSV (--csv FILE).  compare puts\n"
               "reports side by side with ratios and draws bar charts with CI error\n"
               "bars.  Long runs show a progress line on stderr when it is a terminal.\n\n"
               "Subcommands:\n");
    for (size_t i = 0; i < ARRAY_SIZE(subcommands); i++) {
        fprintf(f, "  %-9s %s\n", subcommands[i].name, subcommands[i].summary);
    }
    fprintf(f, "\nExamples:\n"
               "  plural bench cpu --digits-log2 22 --json native-cpu.json\n"
               "  plural bench mem --threads 2 --json native-mem.json\n"
               "  plural bench time --rounds 15 -- ssh guest ./workload\n"
               "  plural bench compare native-mem.json kvm-mem.json --plot mem.png\n\n"
               "See docs/bench.md for the methods and the report format.\n"
               "Exit status: 0 success, 1 failure, 2 usage error.\n");
}

static int
run(int argc, char *argv[])
{
    if (argc < 2) {
        fprintf(stderr, "plural bench: missing subcommand: cpu, mem, numa, time, ingest, "
                "compare, net or load (see plural bench --help)\n");
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < ARRAY_SIZE(subcommands); i++) {
        if (!strcmp(argv[1], subcommands[i].name)) {
            return subcommands[i].run(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "plural bench: unknown subcommand '%s' (see plural bench --help)\n",
            argv[1]);
    return EXIT_USAGE;
}

const struct command_group bench_command_group = {
    "bench", "benchmarks with confidence intervals: cpu, mem, numa, net, time, compare", run
};
