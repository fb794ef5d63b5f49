/* cgroup — CPU and memory limits of a lab container (cgroup v1 or v2).
 *
 * A lab cgroup is one directory per controller under
 *   v1: /sys/fs/cgroup/{cpu,memory,cpuset}/plural-lab/NAME
 *   v2: /sys/fs/cgroup/plural-lab/NAME  (when cgroup2 is mounted there
 *       with the cpu/memory/cpuset controllers; pure v2 machines)
 * with cpu time quota (cfs_quota_us / cpu.max over a 100 ms period),
 * memory limit (memory.limit_in_bytes / memory.max) and cpuset.
 *
 * lab_cgroup_create() returns the directories it made (the caller records
 * them before anything joins, so lab down can remove them after a crash);
 * lab_cgroup_join() moves a process into all of them (call it in a child
 * before exec); lab_cgroup_remove() kills what is left inside and removes
 * the directory.  Root only.  Thread-safe (files only). */
#ifndef PLURAL_LAB_CGROUP_H
#define PLURAL_LAB_CGROUP_H 1

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct lab_cgroup_limits {
    double cpus;              /* CPU time, in CPUs; 0: none. */
    uint64_t memory;          /* Bytes; 0: none. */
    uint64_t cpu_mask;        /* cpuset; 0: none. */
};

/* The directories a cgroup NAME would use (caller frees each and the
 * array), without creating them: what to record before lab_cgroup_create. */
int lab_cgroup_paths(const char *name, const struct lab_cgroup_limits *,
                     char ***paths, size_t *n);

/* Creates the directories from lab_cgroup_paths() and writes the limits. */
int lab_cgroup_create(char **paths, size_t n, const struct lab_cgroup_limits *);

/* Moves PID (0 = caller) into each directory. */
int lab_cgroup_join(char *const *paths, size_t n, pid_t pid);

/* Kills the processes still in PATH (SIGKILL) and removes it.
 * 0 if it is gone (also if it never existed). */
int lab_cgroup_remove(const char *path);

/* Memory in use by the cgroup whose memory directory is PATH, bytes. */
int lab_cgroup_memory_usage(const char *path, uint64_t *bytes);

#endif
