/* load-sample — how much CPU a process, a cgroup or a network namespace
 * uses, sampled at intervals (`plural bench load`).
 *
 * Targets:
 *   pid     utime + stime of /proc/PID/stat (all its threads), in clock ticks;
 *   cgroup  cgroup v1 cpuacct.usage (ns) or cgroup v2 cpu.stat usage_usec;
 *           PATH is a cgroup directory, or a path inside the hierarchy
 *           ("/foo") looked up under /sys/fs/cgroup/{cpuacct,cpu,cpuacct,
 *           unified,}/;
 *   netns   the sum over every process whose /proc/PID/ns/net is the
 *           namespace's inode (/run/netns/NAME).  Per-process deltas: a
 *           process that appears counts from zero, one that exits loses its
 *           last partial interval.
 * CPU share = CPU time used in the interval / wall time of the interval,
 * in percent of one core (a process busy on two cores reads 200%).
 *
 * Softirq: packet processing on veths runs in softirq context, charged to
 * whichever task was interrupted (or to ksoftirqd), not to the namespace
 * that owns the traffic.  So every sample also reports the machine-wide
 * softirq time and busy time from /proc/stat, in percent of one core.
 *
 * Errors: 0 or negative errno: -ESRCH (process gone), -ENOENT (no such
 * cgroup or namespace), -EINVAL.  Not thread-safe: one sampler per thread. */
#ifndef PLURAL_BENCH_LOAD_SAMPLE_H
#define PLURAL_BENCH_LOAD_SAMPLE_H 1

#include <stdint.h>
#include <sys/types.h>

enum load_target {
    LOAD_TARGET_PID,
    LOAD_TARGET_CGROUP,
    LOAD_TARGET_NETNS,
};

struct load_sample {
    double seconds;         /* Wall time of the interval. */
    double cpu_pct;         /* Target's CPU share, % of one core. */
    double softirq_pct;     /* Machine-wide softirq, % of one core. */
    double system_pct;      /* Machine-wide busy (not idle/iowait), % of one core. */
    unsigned int tasks;     /* Processes counted (netns); 1 for a pid. */
};

struct load_sampler;

/* Opens a sampler on `target` named by `name` (a PID number, a cgroup path,
 * a namespace name) and takes the first reading.  Returns 0 and *out, or
 * -ESRCH, -ENOENT, -EINVAL. */
int load_sampler_open(enum load_target, const char *name, struct load_sampler **out);

/* Reads again and fills `s` with the interval since the previous reading. */
int load_sampler_sample(struct load_sampler *, struct load_sample *s);

/* The file or directory the sampler reads (for messages). */
const char *load_sampler_source(const struct load_sampler *);

void load_sampler_destroy(struct load_sampler *);

/* utime + stime of a process, in clock ticks.  Returns 0 or -ESRCH. */
int load_read_pid_ticks(pid_t, uint64_t *ticks);

#endif
