/* report — one benchmark's results: parameters, per-round samples of one or
 * more series, their summaries, and the writers (text, JSON, CSV) and the
 * JSON reader that `plural bench compare` uses.
 *
 * Model.  A report has a benchmark name ("cpu", "mem", "net-iperf", ...), a
 * title, free parameters (string, integer or real: digits, array size,
 * packet length...), and series.  A series is one measured quantity with a
 * unit and a direction ("time" in s, lower is better; "triad" in MB/s,
 * higher is better) and one sample per round.  Each sample is marked
 * warm-up or not; summaries use only the non-warm-up samples (stats.h).
 *
 * JSON shape (format 1, see docs/bench.md):
 *   { "format": "plural-bench/1", "benchmark": "cpu", "title": "...",
 *     "plural_version": "0.1.0", "host": "...", "created": "ISO-8601 UTC",
 *     "timing": "internal" | "external",
 *     "params": { "digits": 4194304, "algorithm": "...", ... },
 *     "rounds": 15, "warmup": 1,
 *     "series": [ { "name": "time", "unit": "s", "better": "lower",
 *                   "samples": [ { "round": 1, "value": 2.5, "warmup": true }, ...],
 *                   "summary": { "n", "mean", "stddev", "confidence", "t",
 *                                "ci_half", "ci_low", "ci_high",
 *                                "min", "median", "max" } } ] }
 *   Undefined numbers (the CI of a single sample) are written as null.
 * CSV shape: a header and one row per sample (tidy/long form):
 *   benchmark,series,unit,round,warmup,value
 *
 * Ownership: the report owns everything added to it (strings are copied);
 * a series pointer stays valid until bench_report_destroy().
 * Thread-safety: none; a report belongs to one thread at a time. */
#ifndef PLURAL_BENCH_REPORT_H
#define PLURAL_BENCH_REPORT_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "bench/stats.h"

struct bench_report;
struct bench_series;

enum bench_better {
    BENCH_LOWER_IS_BETTER,      /* Times, latencies, CPU load. */
    BENCH_HIGHER_IS_BETTER,     /* Rates, throughputs. */
};

enum bench_timing {
    BENCH_TIMING_INTERNAL,      /* Measured by this process. */
    BENCH_TIMING_EXTERNAL,      /* Measured outside (host timing a guest...). */
};

/* Creation and parameters. */
struct bench_report *bench_report_create(const char *benchmark, const char *title);
void bench_report_destroy(struct bench_report *);
void bench_report_set_timing(struct bench_report *, enum bench_timing);
void bench_report_set_rounds(struct bench_report *, unsigned rounds, unsigned warmup);
/* Parameters keep insertion order; setting an existing key replaces it. */
void bench_report_set_param_string(struct bench_report *, const char *key, const char *value);
void bench_report_set_param_int(struct bench_report *, const char *key, int64_t value);
void bench_report_set_param_real(struct bench_report *, const char *key, double value);

/* Series and samples. */
struct bench_series *bench_report_add_series(struct bench_report *, const char *name,
                                             const char *unit, enum bench_better);
void bench_series_add_sample(struct bench_series *, double value, bool warmup);

/* Accessors. */
const char *bench_report_benchmark(const struct bench_report *);
const char *bench_report_title(const struct bench_report *);
enum bench_timing bench_report_timing(const struct bench_report *);
size_t bench_report_n_series(const struct bench_report *);
struct bench_series *bench_report_series(const struct bench_report *, size_t i);
/* The series named `name`, or NULL. */
struct bench_series *bench_report_find_series(const struct bench_report *, const char *name);
/* A parameter formatted as text ("4194304", "Chudnovsky"), or NULL. */
const char *bench_report_param(const struct bench_report *, const char *key);
const char *bench_series_name(const struct bench_series *);
const char *bench_series_unit(const struct bench_series *);
enum bench_better bench_series_better(const struct bench_series *);
size_t bench_series_n_samples(const struct bench_series *);   /* All, warm-up included. */
double bench_series_sample(const struct bench_series *, size_t i, bool *warmup);
/* Summary of the non-warm-up samples at BENCH_DEFAULT_CONFIDENCE.
 * Returns 0, or -EINVAL if there is no non-warm-up sample. */
int bench_series_summarize(const struct bench_series *, struct bench_summary *);

/* Writers.  Return 0 or -errno (-EIO on a write error, or the fopen errno
 * for the *_file variants; path "-" means stdout). */
int bench_report_write_text(const struct bench_report *, FILE *);
int bench_report_write_json(const struct bench_report *, FILE *);
int bench_report_write_csv(const struct bench_report *, FILE *);
int bench_report_write_json_file(const struct bench_report *, const char *path);
int bench_report_write_csv_file(const struct bench_report *, const char *path);

/* Reads a report written by bench_report_write_json().  Returns 0 and the
 * new report in *out, or -errno (-ENOENT..., -EINVAL for a file that is not
 * a plural-bench report) with a one-line reason in *error (caller frees). */
int bench_report_read_json_file(const char *path, struct bench_report **out,
                                char **error);

#endif
