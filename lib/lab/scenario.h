/* scenario — the seed's experiments as lab runs (`plural lab run`).
 *
 * Each scenario (named after the seed's figures, see /docs/lab.md) builds
 * the topologies it needs (one lab per scenario, written to the results
 * directory as topology.yml), runs a `plural bench` measurement on every
 * platform available — native (a namespace on the host, no limits),
 * container (namespace + cgroup), vm-virtio and vm-e1000 (QEMU guests),
 * plural (plural-switchd + plural-controller as shared data plane), ovs —
 * and writes under the results directory:
 *   PLATFORM.json / PLATFORM.csv   the bench reports (rounds, mean, 95% CI)
 *   summary.json, summary.csv      one row per platform and series
 *   SCENARIO.png                   bar chart with CI error bars (gnuplot)
 *   report.md                      the comparison table, ratios to native,
 *                                  accelerator used, method notes.
 * Work inside a guest is timed on the host (plural bench time / iperf3 on
 * the host side) except STREAM's bandwidth, which STREAM times itself.
 *
 * A platform that cannot run here (no binary, a guest that does not boot)
 * is reported as skipped with the reason; the scenario fails only if the
 * native reference fails.  Single-threaded; runs child processes. */
#ifndef PLURAL_LAB_SCENARIO_H
#define PLURAL_LAB_SCENARIO_H 1

#include <stdbool.h>

struct lab_scenario_opts {
    int rounds;                /* Measured rounds (default 15, --quick 3). */
    bool quick;                /* Short runs, small sizes (CI). */
    const char *results_dir;   /* Default ./lab-results/SCENARIO-YYYYmmdd-HHMMSS. */
    const char *platforms;     /* Comma-separated subset, NULL = all. */
};

/* "cpu, mem, ..." for help texts. */
const char *lab_scenario_names(void);

/* Runs scenario NAME ("all" runs every one).  Returns a process exit code:
 * 0 ok, 1 failed, 2 unknown scenario. */
int lab_scenario_run(const char *name, const struct lab_scenario_opts *);

#endif
