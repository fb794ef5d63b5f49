/* plot — bar charts with confidence-interval error bars, drawn by gnuplot,
 * in the shape of the seed's figures: one cluster per measured quantity
 * (e.g. STREAM's Copy/Scale/Add/Triad, or a single "time"), one bar per
 * configuration (native, KVM, Xen... = one report each), the bar at the mean
 * and the error bar spanning the 95% confidence interval.
 *
 * bench_plot_script() writes the gnuplot program (data inline), so it can be
 * tested without gnuplot; bench_plot_png() pipes it to `gnuplot`.
 * Not thread-safe (runs a child process). */
#ifndef PLURAL_BENCH_PLOT_H
#define PLURAL_BENCH_PLOT_H 1

#include <stddef.h>
#include <stdio.h>

struct bench_bar_chart {
    const char *title;
    const char *ylabel;             /* E.g. "MB/s (mean, 95% CI)". */
    size_t n_groups;                /* Clusters along x. */
    const char *const *group_names;
    size_t n_bars;                  /* Bars per cluster (one per report). */
    const char *const *bar_names;
    const double *mean;             /* [group * n_bars + bar] */
    const double *ci_half;          /* Same layout; NaN draws no error bar. */
};

/* Writes a gnuplot program that draws `chart` as PNG into `png_path`. */
void bench_plot_script(FILE *, const struct bench_bar_chart *, const char *png_path);

/* Runs gnuplot to draw `chart` into `png_path`.  Returns 0, -ENOENT if
 * gnuplot is not installed, -EIO if it failed (its messages on stderr). */
int bench_plot_png(const struct bench_bar_chart *, const char *png_path);

#endif
