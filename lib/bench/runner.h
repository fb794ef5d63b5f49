/* runner — runs a measurement for warm-up + N rounds and records one sample
 * per series per round into a report, with a progress line on stderr.
 *
 * Usage:
 *     struct bench_report *r = bench_report_create("cpu", "pi ...");
 *     bench_report_add_series(r, "time", "s", BENCH_LOWER_IS_BETTER);
 *     struct bench_run_options o = BENCH_RUN_OPTIONS_INIT;   15 rounds, 1 warm-up
 *     int error = bench_run_rounds(r, &o, my_round, aux);
 * my_round(aux, round, warmup, values) fills values[i] for each series i of
 * the report (in the order they were added) and returns 0 or -errno; the
 * first error stops the run and is returned (samples of finished rounds stay
 * in the report).  Warm-up rounds come first and are recorded marked
 * "warmup" so a reader sees them but summaries ignore them.
 *
 * Progress (progress.h semantics): shown only when stderr is a terminal,
 * unless forced on or off with `progress` (BENCH_PROGRESS_*).
 *
 * Not thread-safe: one run at a time per report. */
#ifndef PLURAL_BENCH_RUNNER_H
#define PLURAL_BENCH_RUNNER_H 1

#include <stdbool.h>
#include "bench/progress.h"
#include "bench/report.h"

#define BENCH_DEFAULT_ROUNDS 15
#define BENCH_DEFAULT_WARMUP 1

struct bench_run_options {
    unsigned rounds;            /* Measured rounds, >= 1. */
    unsigned warmup;            /* Extra rounds first, recorded as warm-up. */
    enum bench_progress_mode progress;
    const char *label;          /* Progress label, e.g. "bench cpu". */
};
#define BENCH_RUN_OPTIONS_INIT \
    { BENCH_DEFAULT_ROUNDS, BENCH_DEFAULT_WARMUP, BENCH_PROGRESS_AUTO, "bench" }

typedef int bench_round_fn(void *aux, unsigned round, bool warmup, double *values);

/* Runs o->warmup + o->rounds rounds (round numbers from 1) and records the
 * samples in `r` (which must already have its series); also records rounds
 * and warm-up in the report.  Returns 0, -EINVAL (no series, rounds == 0),
 * or the first error of `fn`. */
int bench_run_rounds(struct bench_report *r, const struct bench_run_options *o,
                     bench_round_fn *fn, void *aux);

#endif
