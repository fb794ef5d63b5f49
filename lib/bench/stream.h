/* stream — memory bandwidth with STREAM's four kernels, following the rules
 * of McCalpin's STREAM benchmark (written here from its published
 * description, not its code):
 *
 *   Copy:  c[j] = a[j]                 counts 2 arrays:  16 bytes per element
 *   Scale: b[j] = q * c[j]             counts 2 arrays:  16 bytes
 *   Add:   c[j] = a[j] + b[j]          counts 3 arrays:  24 bytes
 *   Triad: a[j] = b[j] + q * c[j]      counts 3 arrays:  24 bytes
 *   (q = 3.0; arrays of doubles, initialized a = 1, b = 2, c = 0, then a
 *   scaled by 2 once while the timer granularity is checked)
 *
 * - Array size: each array at least 4x the sum of the last-level caches
 *   (bench_stream_min_elements(), cache.h); never below 1000 elements.
 * - NTIMES trials of the four kernels in order; the first trial is excluded
 *   from the statistics; the figure of merit is the best rate
 *   (bytes / minimum time, in MB/s = 10^6 bytes/s), with average, minimum
 *   and maximum time reported as STREAM does.
 * - Timer check: the granularity is estimated as STREAM does (smallest
 *   difference of 20 successive readings at least 1 us apart, so 1 us at
 *   best), and each kernel's minimum time should span at least 20 ticks;
 *   bench_stream_run() reports whether it did.
 * - Validation: the expected final value of each array is computed by
 *   replaying the same operations on scalars; the average absolute error of
 *   each array, relative to that value, must stay below 1e-13.
 * - Parallelism: OpenMP, static schedule; arrays are first touched by the
 *   same threads and loop partition that later use them.  Kernels take
 *   restrict pointers, so the compiler sees distinct arrays as it does
 *   STREAM's static ones (gcc -O2 turns Copy into memcpy in both).  With libnuma,
 *   the threads can be bound to one node (cpunode) and the arrays to
 *   another (memnode), to compare local and remote memory.
 *
 * Not thread-safe: a run uses the whole machine (or the chosen node). */
#ifndef PLURAL_BENCH_STREAM_H
#define PLURAL_BENCH_STREAM_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum bench_stream_kernel {
    BENCH_STREAM_COPY,
    BENCH_STREAM_SCALE,
    BENCH_STREAM_ADD,
    BENCH_STREAM_TRIAD,
    BENCH_STREAM_N_KERNELS,
};

#define BENCH_STREAM_SCALAR 3.0
#define BENCH_STREAM_MIN_TICKS 20
#define BENCH_STREAM_DEFAULT_ELEMENTS 10000000   /* When no cache is known. */
#define BENCH_STREAM_MIN_ELEMENTS 1000

const char *bench_stream_kernel_name(enum bench_stream_kernel);   /* "Copy"... */
/* Arrays a kernel counts: 2 for Copy and Scale, 3 for Add and Triad. */
unsigned bench_stream_arrays_counted(enum bench_stream_kernel);
/* Bytes one kernel pass moves, as STREAM counts them: arrays x 8 x n. */
uint64_t bench_stream_bytes(enum bench_stream_kernel, uint64_t elements);
/* Smallest array (elements) satisfying the 4x-last-level-caches rule. */
uint64_t bench_stream_min_elements(uint64_t llc_total_bytes);
/* Memory the three arrays take. */
uint64_t bench_stream_memory_bytes(uint64_t elements);

struct bench_stream_config {
    uint64_t elements;      /* Per array. */
    unsigned ntimes;        /* Trials, >= 2 (the first is excluded). */
    int threads;            /* 0: OpenMP's default. */
    int cpunode;            /* -1: any CPU; else bind threads to this node. */
    int memnode;            /* -1: first touch; else bind arrays to this node. */
};

struct bench_stream_kernel_result {
    double best_rate_mbs;   /* bytes / min_time / 10^6. */
    double avg_time, min_time, max_time;    /* Seconds, first trial excluded. */
};

struct bench_stream_result {
    struct bench_stream_kernel_result kernel[BENCH_STREAM_N_KERNELS];
    double granularity_s;   /* Clock tick measured before the run. */
    double check_loop_ticks;    /* Ticks one pass of "a = 2 a" took. */
    bool ticks_ok;          /* Every kernel's min_time >= 20 ticks. */
    int threads;            /* Threads actually used. */
    double avg_rel_error[3];    /* Validation: a, b, c. */
    bool valid;             /* All relative errors below 1e-13. */
};

/* Runs STREAM once with `config`.  Returns 0 (check result->valid), or
 * -EINVAL (ntimes < 2, elements too small), -ENODEV (a node was asked for
 * but NUMA is not available or the node does not exist), -ENOMEM (the
 * arrays could not be mapped). */
int bench_stream_run(const struct bench_stream_config *, struct bench_stream_result *);

/* The validation on its own, for tests: expected values after `ntimes`
 * trials, and whether arrays a, b, c of n elements match them. */
void bench_stream_expected(unsigned ntimes, double *a, double *b, double *c);
bool bench_stream_check(const double *a, const double *b, const double *c, uint64_t n,
                        unsigned ntimes, double rel_error[3]);

/* Whether libnuma works here, and the highest node number. */
bool bench_stream_numa_available(int *max_node);

#endif
