/* runner — warm-up + N rounds into a report (see runner.h). */
#include "bench/runner.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "util/util.h"

int
bench_run_rounds(struct bench_report *r, const struct bench_run_options *o,
                 bench_round_fn *fn, void *aux)
{
    size_t n_series = bench_report_n_series(r);
    if (!n_series || !o->rounds) {
        return -EINVAL;
    }
    bench_report_set_rounds(r, o->rounds, o->warmup);
    double *values = xcalloc(n_series, sizeof *values);
    unsigned total = o->warmup + o->rounds;
    struct bench_progress progress;
    bench_progress_begin(&progress, o->progress, o->label, total);
    bench_progress_update(&progress, 0, o->warmup ? "(warm-up)" : NULL);
    int error = 0;
    for (unsigned round = 1; round <= total; round++) {
        bool warmup = round <= o->warmup;
        error = fn(aux, round, warmup, values);
        if (error) {
            break;
        }
        for (size_t i = 0; i < n_series; i++) {
            bench_series_add_sample(bench_report_series(r, i), values[i], warmup);
        }
        char detail[96];
        snprintf(detail, sizeof detail, "last %s %.6g %s%s",
                 bench_series_name(bench_report_series(r, 0)), values[0],
                 bench_series_unit(bench_report_series(r, 0)),
                 warmup ? " (warm-up)" : "");
        bench_progress_update(&progress, round, detail);
    }
    bench_progress_end(&progress);
    free(values);
    return error;
}
