/* proc — processes started inside a lab node: its network namespace, its
 * cgroups, its CPU affinity.
 *
 * A child enters, in order: the node's network namespace (setns), a
 * private mount namespace with /sys remounted (so /sys/class/net shows the
 * node's devices, as `ip netns exec` does), the node's cgroups, the CPU
 * affinity mask; then it execs.
 *
 * Daemons are started "gated": the child waits on a pipe until the parent
 * has recorded its pid in the lab state (lab_proc_release), so a crash of
 * the parent never leaves an unrecorded process behind.  A recorded process
 * is identified by (pid, start time) so that a recycled pid is never
 * killed.  Not thread-safe with respect to fork in other threads. */
#ifndef PLURAL_LAB_PROC_H
#define PLURAL_LAB_PROC_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct lab_exec_ctx {
    const char *netns;        /* NULL: stay in the caller's namespace. */
    char *const *cgroups;     /* Directories to join. */
    size_t n_cgroups;
    uint64_t cpu_mask;        /* 0: inherit. */
};

/* Starts ARGV[0] (searched in PATH) in CTX as a daemon (own session,
 * stdin /dev/null, stdout and stderr appended to LOG_PATH).  The child
 * waits until lab_proc_release(*gate).  Returns the pid or -errno. */
pid_t lab_proc_start(const struct lab_exec_ctx *, char *const argv[], const char *log_path,
                     int *gate);
void lab_proc_release(int gate);

/* Runs ARGV in CTX in the foreground, stdin/stdout/stderr inherited, and
 * returns its exit status (128+N if killed by signal N) or -errno. */
int lab_proc_run(const struct lab_exec_ctx *, char *const argv[]);

/* The start time of PID (clock ticks since boot, /proc/PID/stat field 22),
 * or 0 if there is no such process. */
uint64_t lab_proc_start_time(pid_t);

/* True if PID exists and started at START (not a recycled pid). */
bool lab_proc_alive(pid_t, uint64_t start);

/* Stops process (PID, START): SIGTERM, then SIGKILL after TIMEOUT_MS.
 * Reaps it if it is our child.  0 if gone. */
int lab_proc_stop(pid_t, uint64_t start, int timeout_ms);

#endif
