/* stream — STREAM's kernels with OpenMP and libnuma (see stream.h). */
#include "bench/stream.h"

#include <errno.h>
#include <math.h>
#include <numa.h>
#include <omp.h>
#include <string.h>
#include <sys/mman.h>
#include "util/clock.h"
#include "util/util.h"

#define REL_ERROR_LIMIT 1e-13

static const char *const kernel_names[] = { "Copy", "Scale", "Add", "Triad" };
BUILD_ASSERT(ARRAY_SIZE(kernel_names) == BENCH_STREAM_N_KERNELS, "one name per kernel");

const char *
bench_stream_kernel_name(enum bench_stream_kernel k)
{
    return k < BENCH_STREAM_N_KERNELS ? kernel_names[k] : "?";
}

unsigned
bench_stream_arrays_counted(enum bench_stream_kernel k)
{
    return k == BENCH_STREAM_COPY || k == BENCH_STREAM_SCALE ? 2 : 3;
}

uint64_t
bench_stream_bytes(enum bench_stream_kernel k, uint64_t elements)
{
    return (uint64_t) bench_stream_arrays_counted(k) * sizeof(double) * elements;
}

uint64_t
bench_stream_min_elements(uint64_t llc_total_bytes)
{
    if (!llc_total_bytes) {
        return BENCH_STREAM_DEFAULT_ELEMENTS;
    }
    uint64_t n = DIV_ROUND_UP(4 * llc_total_bytes, sizeof(double));
    return MAX(n, (uint64_t) BENCH_STREAM_MIN_ELEMENTS);
}

uint64_t
bench_stream_memory_bytes(uint64_t elements)
{
    return 3 * sizeof(double) * elements;
}

bool
bench_stream_numa_available(int *max_node)
{
    if (numa_available() < 0) {
        *max_node = -1;
        return false;
    }
    *max_node = numa_max_node();
    return true;
}

void
bench_stream_expected(unsigned ntimes, double *a, double *b, double *c)
{
    double aj = 1.0, bj = 2.0, cj = 0.0;
    aj = 2.0 * aj;      /* The timer-check pass. */
    for (unsigned k = 0; k < ntimes; k++) {
        cj = aj;
        bj = BENCH_STREAM_SCALAR * cj;
        cj = aj + bj;
        aj = bj + BENCH_STREAM_SCALAR * cj;
    }
    *a = aj;
    *b = bj;
    *c = cj;
}

bool
bench_stream_check(const double *a, const double *b, const double *c, uint64_t n,
                   unsigned ntimes, double rel_error[3])
{
    double expected[3];
    bench_stream_expected(ntimes, &expected[0], &expected[1], &expected[2]);
    const double *arrays[3] = { a, b, c };
    bool ok = true;
    for (int i = 0; i < 3; i++) {
        double sum_abs_err = 0;
        for (uint64_t j = 0; j < n; j++) {
            sum_abs_err += fabs(arrays[i][j] - expected[i]);
        }
        rel_error[i] = fabs(sum_abs_err / n / expected[i]);
        ok &= rel_error[i] <= REL_ERROR_LIMIT;
    }
    return ok;
}

/* The clock's granularity as STREAM estimates it: 20 successive readings
 * at least 1 us apart, and the smallest difference (so never below 1 us). */
static double
clock_granularity(void)
{
    uint64_t min_step = UINT64_MAX;
    for (int i = 0; i < 20; i++) {
        uint64_t t0 = clock_now_ns(), t1;
        while ((t1 = clock_now_ns()) - t0 < 1000) {
            continue;
        }
        min_step = MIN(min_step, t1 - t0);
    }
    return min_step / 1e9;
}

static double *
map_array(uint64_t elements, int memnode)
{
    size_t bytes = elements * sizeof(double);
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        return NULL;
    }
    if (memnode >= 0) {
        numa_tonode_memory(p, bytes, memnode);  /* Before the first touch. */
    }
    return p;
}

/* This thread's share [lo, hi) of n iterations: the partition of OpenMP's
 * schedule(static) (the first n % threads threads take one more), so first
 * touch and the kernels see the same pages from the same threads. */
static void
thread_range(int64_t n, int64_t *lo, int64_t *hi)
{
    int64_t threads = omp_get_num_threads(), id = omp_get_thread_num();
    int64_t q = n / threads, extra = n % threads;
    if (id < extra) {
        *lo = id * (q + 1);
        *hi = *lo + q + 1;
    } else {
        *lo = extra * (q + 1) + (id - extra) * q;
        *hi = *lo + q;
    }
}

/* The kernels take restrict pointers, as STREAM's distinct static arrays
 * are to the compiler: it may then generate the same code for them (e.g.
 * Copy as memcpy), so the rates compare with STREAM built the usual way.
 * noinline keeps the restrict guarantee from being lost in OpenMP's
 * outlined functions. */
__attribute__((noinline)) static void
kernel_init(double *restrict a, double *restrict b, double *restrict c, int64_t lo, int64_t hi)
{
    for (int64_t j = lo; j < hi; j++) {
        a[j] = 1.0;
        b[j] = 2.0;
        c[j] = 0.0;
    }
}

__attribute__((noinline)) static void
kernel_double(double *restrict a, int64_t lo, int64_t hi)
{
    for (int64_t j = lo; j < hi; j++) {
        a[j] = 2.0 * a[j];
    }
}

__attribute__((noinline)) static void
kernel_copy(double *restrict c, const double *restrict a, int64_t lo, int64_t hi)
{
    for (int64_t j = lo; j < hi; j++) {
        c[j] = a[j];
    }
}

__attribute__((noinline)) static void
kernel_scale(double *restrict b, const double *restrict c, double scalar, int64_t lo, int64_t hi)
{
    for (int64_t j = lo; j < hi; j++) {
        b[j] = scalar * c[j];
    }
}

__attribute__((noinline)) static void
kernel_add(double *restrict c, const double *restrict a, const double *restrict b,
           int64_t lo, int64_t hi)
{
    for (int64_t j = lo; j < hi; j++) {
        c[j] = a[j] + b[j];
    }
}

__attribute__((noinline)) static void
kernel_triad(double *restrict a, const double *restrict b, const double *restrict c,
             double scalar, int64_t lo, int64_t hi)
{
    for (int64_t j = lo; j < hi; j++) {
        a[j] = b[j] + scalar * c[j];
    }
}

/* Runs STMT in every thread with lo, hi set to the thread's share. */
#define PARALLEL_RANGE(N, STMT)                     \
    do {                                            \
        _Pragma("omp parallel")                     \
        {                                           \
            int64_t lo, hi;                         \
            thread_range((N), &lo, &hi);            \
            STMT;                                   \
        }                                           \
    } while (0)

static double
seconds(void)
{
    return clock_now_ns() / 1e9;
}

int
bench_stream_run(const struct bench_stream_config *cfg, struct bench_stream_result *res)
{
    memset(res, 0, sizeof *res);
    if (cfg->ntimes < 2 || cfg->elements < BENCH_STREAM_MIN_ELEMENTS) {
        return -EINVAL;
    }
    if (cfg->cpunode >= 0 || cfg->memnode >= 0) {
        int max_node;
        if (!bench_stream_numa_available(&max_node)
            || cfg->cpunode > max_node || cfg->memnode > max_node) {
            return -ENODEV;
        }
    }
    if (cfg->cpunode >= 0 && numa_run_on_node(cfg->cpunode)) {
        return -ENODEV;
    }
    if (cfg->threads > 0) {
        omp_set_num_threads(cfg->threads);
    }
    const int64_t n = cfg->elements;
    double *a = map_array(n, cfg->memnode);
    double *b = map_array(n, cfg->memnode);
    double *c = map_array(n, cfg->memnode);
    int error = 0;
    if (!a || !b || !c) {
        error = -ENOMEM;
        goto out;
    }

    /* First touch by the threads that will use each part. */
    int threads = 1;
#pragma omp parallel
    {
#pragma omp master
        threads = omp_get_num_threads();
    }
    res->threads = threads;
    PARALLEL_RANGE(n, kernel_init(a, b, c, lo, hi));

    res->granularity_s = clock_granularity();
    double t = seconds();
    PARALLEL_RANGE(n, kernel_double(a, lo, hi));
    res->check_loop_ticks = (seconds() - t) / res->granularity_s;

    const double scalar = BENCH_STREAM_SCALAR;
    double min_t[BENCH_STREAM_N_KERNELS], max_t[BENCH_STREAM_N_KERNELS];
    double sum_t[BENCH_STREAM_N_KERNELS];
    for (int k = 0; k < BENCH_STREAM_N_KERNELS; k++) {
        min_t[k] = INFINITY;
        max_t[k] = 0;
        sum_t[k] = 0;
    }
    for (unsigned trial = 0; trial < cfg->ntimes; trial++) {
        double times[BENCH_STREAM_N_KERNELS];
        times[BENCH_STREAM_COPY] = seconds();
        PARALLEL_RANGE(n, kernel_copy(c, a, lo, hi));
        times[BENCH_STREAM_COPY] = seconds() - times[BENCH_STREAM_COPY];

        times[BENCH_STREAM_SCALE] = seconds();
        PARALLEL_RANGE(n, kernel_scale(b, c, scalar, lo, hi));
        times[BENCH_STREAM_SCALE] = seconds() - times[BENCH_STREAM_SCALE];

        times[BENCH_STREAM_ADD] = seconds();
        PARALLEL_RANGE(n, kernel_add(c, a, b, lo, hi));
        times[BENCH_STREAM_ADD] = seconds() - times[BENCH_STREAM_ADD];

        times[BENCH_STREAM_TRIAD] = seconds();
        PARALLEL_RANGE(n, kernel_triad(a, b, c, scalar, lo, hi));
        times[BENCH_STREAM_TRIAD] = seconds() - times[BENCH_STREAM_TRIAD];

        if (trial == 0) {
            continue;       /* STREAM excludes the first trial. */
        }
        for (int k = 0; k < BENCH_STREAM_N_KERNELS; k++) {
            sum_t[k] += times[k];
            min_t[k] = MIN(min_t[k], times[k]);
            max_t[k] = MAX(max_t[k], times[k]);
        }
    }
    res->ticks_ok = true;
    for (int k = 0; k < BENCH_STREAM_N_KERNELS; k++) {
        struct bench_stream_kernel_result *kr = &res->kernel[k];
        kr->avg_time = sum_t[k] / (cfg->ntimes - 1);
        kr->min_time = min_t[k];
        kr->max_time = max_t[k];
        kr->best_rate_mbs = min_t[k] > 0 ? 1e-6 * bench_stream_bytes(k, n) / min_t[k] : INFINITY;
        res->ticks_ok &= min_t[k] >= BENCH_STREAM_MIN_TICKS * res->granularity_s;
    }
    res->valid = bench_stream_check(a, b, c, n, cfg->ntimes, res->avg_rel_error);

out:
    if (a) {
        munmap(a, n * sizeof(double));
    }
    if (b) {
        munmap(b, n * sizeof(double));
    }
    if (c) {
        munmap(c, n * sizeof(double));
    }
    return error;
}
