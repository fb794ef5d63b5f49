/* cmd-compare — `plural bench compare A.json B.json ...`: a side-by-side
 * table with ratios against the first report, and a bar chart. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bench/cli-output.h"
#include "bench/commands.h"
#include "bench/plot.h"

#define CMD "compare"

static void
usage(FILE *f)
{
    fprintf(f,
"usage: plural bench compare [--series NAME[,NAME...]] [--labels A,B,...]\n"
"                            [--plot FILE.png] [--title TEXT] A.json B.json ...\n"
"\n"
"Reads JSON reports written by plural bench (--json) and prints, for each\n"
"series, one row per report: n, mean, standard deviation, 95%% confidence\n"
"interval, and the ratio of its mean to the first report's mean (the first\n"
"report is the reference, e.g. native Linux).  Confidence intervals that do\n"
"not overlap the reference's are marked '*' (a difference beyond noise).\n"
"With --plot, draws a bar chart (gnuplot, PNG): one cluster per series,\n"
"one bar per report, the error bars spanning the 95%% confidence interval.\n"
"\n"
"Options:\n"
"  --series LIST   series to compare (default: every series of the first\n"
"                  report that has the same unit as its first series)\n"
"  --labels LIST   names of the reports, comma-separated (default: the file\n"
"                  names without .json)\n"
"  --plot FILE     write the bar chart to FILE (PNG)\n"
"  --title TEXT    chart title (default: the first report's title)\n"
"  -h, --help      this help\n"
"\n"
"Exit status: 0 ok, 1 unreadable report or plot failure, 2 usage error\n"
"(including a series missing from a report).\n");
}

static char *
label_from_path(const char *path)
{
    char *copy = xstrdup(path);
    char *label = xstrdup(basename(copy));
    free(copy);
    size_t n = strlen(label);
    if (n > 5 && !strcmp(label + n - 5, ".json")) {
        label[n - 5] = '\0';
    }
    return label;
}

static size_t
split_list(const char *list, char ***items)
{
    size_t n = 0;
    *items = NULL;
    char *copy = xstrdup(list), *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        *items = xrealloc(*items, (n + 1) * sizeof **items);
        (*items)[n++] = xstrdup(tok);
    }
    free(copy);
    return n;
}

static void
free_list(char **items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(items[i]);
    }
    free(items);
}

int
bench_compare_command(int argc, char *argv[])
{
    enum { OPT_SERIES = BENCH_OPT_FIRST_FREE, OPT_LABELS, OPT_PLOT, OPT_TITLE };
    static const struct option options[] = {
        { "series", required_argument, NULL, OPT_SERIES },
        { "labels", required_argument, NULL, OPT_LABELS },
        { "plot", required_argument, NULL, OPT_PLOT },
        { "title", required_argument, NULL, OPT_TITLE },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *series_arg = NULL, *labels_arg = NULL, *plot_path = NULL, *title = NULL;
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (c) {
        case OPT_SERIES: series_arg = optarg; break;
        case OPT_LABELS: labels_arg = optarg; break;
        case OPT_PLOT: plot_path = optarg; break;
        case OPT_TITLE: title = optarg; break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            return bench_cli_bad_option(CMD, argv, c);
        }
    }
    size_t n_reports = argc - optind;
    if (!n_reports) {
        return bench_cli_usage_error(CMD, "no report given (usage: plural bench compare "
                                     "A.json B.json ...)");
    }
    char **labels = NULL;
    size_t n_labels = 0;
    if (labels_arg && (n_labels = split_list(labels_arg, &labels)) != n_reports) {
        free_list(labels, n_labels);
        return bench_cli_usage_error(CMD, "--labels names %zu reports but %zu were given",
                                     n_labels, n_reports);
    }
    if (!labels) {
        labels = xcalloc(n_reports, sizeof *labels);
        for (size_t i = 0; i < n_reports; i++) {
            labels[i] = label_from_path(argv[optind + i]);
        }
        n_labels = n_reports;
    }

    int rc = 0;
    struct bench_report **reports = xcalloc(n_reports, sizeof *reports);
    char **series = NULL;
    size_t n_series = 0;
    double *means = NULL, *halves = NULL;
    for (size_t i = 0; i < n_reports; i++) {
        char *error;
        if (bench_report_read_json_file(argv[optind + i], &reports[i], &error)) {
            rc = bench_cli_failure(CMD, "%s", error);
            free(error);
            goto out;
        }
    }
    if (series_arg) {
        n_series = split_list(series_arg, &series);
    } else {
        const struct bench_series *first = bench_report_series(reports[0], 0);
        for (size_t s = 0; first && s < bench_report_n_series(reports[0]); s++) {
            const struct bench_series *x = bench_report_series(reports[0], s);
            if (!strcmp(bench_series_unit(x), bench_series_unit(first))) {
                series = xrealloc(series, (n_series + 1) * sizeof *series);
                series[n_series++] = xstrdup(bench_series_name(x));
            }
        }
    }
    if (!n_series) {
        rc = bench_cli_failure(CMD, "%s has no series", argv[optind]);
        goto out;
    }
    means = xcalloc(n_series * n_reports, sizeof *means);
    halves = xcalloc(n_series * n_reports, sizeof *halves);
    const char *unit = NULL;
    for (size_t s = 0; s < n_series; s++) {
        for (size_t i = 0; i < n_reports; i++) {
            const struct bench_series *x = bench_report_find_series(reports[i], series[s]);
            struct bench_summary sum;
            if (!x) {
                rc = bench_cli_usage_error(CMD, "%s has no series '%s'", argv[optind + i],
                                           series[s]);
                goto out;
            }
            if (bench_series_summarize(x, &sum)) {
                rc = bench_cli_failure(CMD, "%s: series '%s' has no samples",
                                       argv[optind + i], series[s]);
                goto out;
            }
            unit = unit ? unit : bench_series_unit(x);
            means[s * n_reports + i] = sum.mean;
            halves[s * n_reports + i] = sum.ci_half;
        }
    }

    printf("Reference: %s (%s)\n", labels[0], bench_report_title(reports[0]));
    for (size_t s = 0; s < n_series; s++) {
        const struct bench_series *ref = bench_report_find_series(reports[0], series[s]);
        struct bench_summary r0;
        bench_series_summarize(ref, &r0);
        printf("\n%s [%s, %s is better]\n", series[s], bench_series_unit(ref),
               bench_series_better(ref) == BENCH_HIGHER_IS_BETTER ? "higher" : "lower");
        printf("  %-20s %4s %12s %11s %27s %8s\n", "report", "n", "mean", "stddev",
               "95% confidence interval", "ratio");
        for (size_t i = 0; i < n_reports; i++) {
            struct bench_summary sum;
            bench_series_summarize(bench_report_find_series(reports[i], series[s]), &sum);
            char ci[64];
            if (isnan(sum.ci_half)) {
                snprintf(ci, sizeof ci, "(n < 2)");
            } else {
                snprintf(ci, sizeof ci, "[%.6g, %.6g]", sum.ci_low, sum.ci_high);
            }
            bool apart = i && !isnan(sum.ci_half) && !isnan(r0.ci_half)
                         && (sum.ci_low > r0.ci_high || sum.ci_high < r0.ci_low);
            printf("  %-20s %4zu %12.6g %11.4g %27s %7.3f%s\n", labels[i], sum.n, sum.mean,
                   sum.stddev, ci, r0.mean ? sum.mean / r0.mean : NAN, apart ? "*" : "");
        }
    }
    if (n_reports > 1) {
        printf("\nratio = mean / mean of %s; * = confidence intervals do not overlap\n",
               labels[0]);
    }

    if (plot_path) {
        char *ylabel = xasprintf("%s (mean, 95%% CI)", unit);
        struct bench_bar_chart chart = {
            .title = title ? title : bench_report_title(reports[0]),
            .ylabel = ylabel,
            .n_groups = n_series, .group_names = (const char *const *) series,
            .n_bars = n_reports, .bar_names = (const char *const *) labels,
            .mean = means, .ci_half = halves,
        };
        int error = bench_plot_png(&chart, plot_path);
        free(ylabel);
        if (error == -ENOENT) {
            rc = bench_cli_failure(CMD, "gnuplot is not installed (apt-get install gnuplot-nox)");
        } else if (error) {
            rc = bench_cli_failure(CMD, "gnuplot failed to draw %s", plot_path);
        } else {
            printf("chart: %s\n", plot_path);
        }
    }

out:
    for (size_t i = 0; i < n_reports; i++) {
        bench_report_destroy(reports[i]);
    }
    free(reports);
    free_list(series, n_series);
    free_list(labels, n_labels);
    free(means);
    free(halves);
    return rc;
}
