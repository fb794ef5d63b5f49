/* report — benchmark results and their writers/reader (see report.h). */
#include "bench/report.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "plural-config.h"
#include "util/util.h"

#define REPORT_FORMAT "plural-bench/1"

enum param_type { PARAM_STRING, PARAM_INT, PARAM_REAL };

struct param {
    char *key;
    enum param_type type;
    char *text;             /* Always set: the value formatted as text. */
    int64_t integer;
    double real;
};

struct sample {
    double value;
    bool warmup;
};

struct bench_series {
    char *name;
    char *unit;
    enum bench_better better;
    struct sample *samples;
    size_t n_samples, allocated;
};

struct bench_report {
    char *benchmark;
    char *title;
    char *host;
    char *created;
    char *version;
    enum bench_timing timing;
    unsigned rounds, warmup;
    struct param *params;
    size_t n_params;
    struct bench_series **series;
    size_t n_series;
};

static char *
now_iso8601(void)
{
    time_t now = time(NULL);
    struct tm tm;
    char buf[32];
    gmtime_r(&now, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return xstrdup(buf);
}

static char *
hostname(void)
{
    char buf[256];
    if (gethostname(buf, sizeof buf - 1)) {
        return xstrdup("unknown");
    }
    buf[sizeof buf - 1] = '\0';
    return xstrdup(buf);
}

struct bench_report *
bench_report_create(const char *benchmark, const char *title)
{
    struct bench_report *r = xzalloc(sizeof *r);
    r->benchmark = xstrdup(benchmark);
    r->title = xstrdup(title ? title : benchmark);
    r->host = hostname();
    r->created = now_iso8601();
    r->version = xstrdup(PLURAL_VERSION);
    r->timing = BENCH_TIMING_INTERNAL;
    return r;
}

static void
series_destroy(struct bench_series *s)
{
    free(s->name);
    free(s->unit);
    free(s->samples);
    free(s);
}

void
bench_report_destroy(struct bench_report *r)
{
    if (!r) {
        return;
    }
    for (size_t i = 0; i < r->n_params; i++) {
        free(r->params[i].key);
        free(r->params[i].text);
    }
    free(r->params);
    for (size_t i = 0; i < r->n_series; i++) {
        series_destroy(r->series[i]);
    }
    free(r->series);
    free(r->benchmark);
    free(r->title);
    free(r->host);
    free(r->created);
    free(r->version);
    free(r);
}

void bench_report_set_timing(struct bench_report *r, enum bench_timing t) { r->timing = t; }

void
bench_report_set_rounds(struct bench_report *r, unsigned rounds, unsigned warmup)
{
    r->rounds = rounds;
    r->warmup = warmup;
}

static struct param *
param_slot(struct bench_report *r, const char *key)
{
    for (size_t i = 0; i < r->n_params; i++) {
        if (!strcmp(r->params[i].key, key)) {
            free(r->params[i].text);
            return &r->params[i];
        }
    }
    r->params = xrealloc(r->params, (r->n_params + 1) * sizeof *r->params);
    struct param *p = &r->params[r->n_params++];
    memset(p, 0, sizeof *p);
    p->key = xstrdup(key);
    return p;
}

void
bench_report_set_param_string(struct bench_report *r, const char *key, const char *value)
{
    struct param *p = param_slot(r, key);
    p->type = PARAM_STRING;
    p->text = xstrdup(value);
}

void
bench_report_set_param_int(struct bench_report *r, const char *key, int64_t value)
{
    struct param *p = param_slot(r, key);
    p->type = PARAM_INT;
    p->integer = value;
    p->text = xasprintf("%lld", (long long) value);
}

void
bench_report_set_param_real(struct bench_report *r, const char *key, double value)
{
    struct param *p = param_slot(r, key);
    p->type = PARAM_REAL;
    p->real = value;
    p->text = xasprintf("%.15g", value);
}

struct bench_series *
bench_report_add_series(struct bench_report *r, const char *name, const char *unit,
                        enum bench_better better)
{
    struct bench_series *s = xzalloc(sizeof *s);
    s->name = xstrdup(name);
    s->unit = xstrdup(unit);
    s->better = better;
    r->series = xrealloc(r->series, (r->n_series + 1) * sizeof *r->series);
    r->series[r->n_series++] = s;
    return s;
}

void
bench_series_add_sample(struct bench_series *s, double value, bool warmup)
{
    if (s->n_samples == s->allocated) {
        s->allocated = s->allocated ? 2 * s->allocated : 16;
        s->samples = xrealloc(s->samples, s->allocated * sizeof *s->samples);
    }
    s->samples[s->n_samples++] = (struct sample) { value, warmup };
}

const char *bench_report_benchmark(const struct bench_report *r) { return r->benchmark; }
const char *bench_report_title(const struct bench_report *r) { return r->title; }
enum bench_timing bench_report_timing(const struct bench_report *r) { return r->timing; }
size_t bench_report_n_series(const struct bench_report *r) { return r->n_series; }

struct bench_series *
bench_report_series(const struct bench_report *r, size_t i)
{
    return i < r->n_series ? r->series[i] : NULL;
}

struct bench_series *
bench_report_find_series(const struct bench_report *r, const char *name)
{
    for (size_t i = 0; i < r->n_series; i++) {
        if (!strcmp(r->series[i]->name, name)) {
            return r->series[i];
        }
    }
    return NULL;
}

const char *
bench_report_param(const struct bench_report *r, const char *key)
{
    for (size_t i = 0; i < r->n_params; i++) {
        if (!strcmp(r->params[i].key, key)) {
            return r->params[i].text;
        }
    }
    return NULL;
}

const char *bench_series_name(const struct bench_series *s) { return s->name; }
const char *bench_series_unit(const struct bench_series *s) { return s->unit; }
enum bench_better bench_series_better(const struct bench_series *s) { return s->better; }
size_t bench_series_n_samples(const struct bench_series *s) { return s->n_samples; }

double
bench_series_sample(const struct bench_series *s, size_t i, bool *warmup)
{
    if (warmup) {
        *warmup = s->samples[i].warmup;
    }
    return s->samples[i].value;
}

int
bench_series_summarize(const struct bench_series *s, struct bench_summary *summary)
{
    double *values = xcalloc(s->n_samples, sizeof *values);
    size_t n = 0;
    for (size_t i = 0; i < s->n_samples; i++) {
        if (!s->samples[i].warmup) {
            values[n++] = s->samples[i].value;
        }
    }
    int error = bench_stats_summarize(values, n, BENCH_DEFAULT_CONFIDENCE, summary);
    free(values);
    return error;
}

/* ---- Text. */

static int
finish_write(FILE *f)
{
    return fflush(f) || ferror(f) ? -EIO : 0;
}

int
bench_report_write_text(const struct bench_report *r, FILE *f)
{
    fprintf(f, "%s\n", r->title);
    for (size_t i = 0; i < r->n_params; i++) {
        fprintf(f, "  %-16s %s\n", r->params[i].key, r->params[i].text);
    }
    fprintf(f, "  %-16s %u measured", "rounds", r->rounds);
    if (r->warmup) {
        fprintf(f, " (+%u warm-up, discarded)", r->warmup);
    }
    fprintf(f, ", timed %s\n\n",
            r->timing == BENCH_TIMING_EXTERNAL ? "externally" : "by this process");
    fprintf(f, "%-12s %-6s %4s %12s %11s %27s %12s %12s %12s\n", "series", "unit", "n",
            "mean", "stddev", "95% confidence interval", "min", "median", "max");
    for (size_t i = 0; i < r->n_series; i++) {
        const struct bench_series *s = r->series[i];
        struct bench_summary sum;
        if (bench_series_summarize(s, &sum)) {
            fprintf(f, "%-12s %-6s %4d   (no samples)\n", s->name, s->unit, 0);
            continue;
        }
        char ci[64];
        if (isnan(sum.ci_half)) {
            snprintf(ci, sizeof ci, "(needs 2 samples)");
        } else {
            snprintf(ci, sizeof ci, "[%.6g, %.6g]", sum.ci_low, sum.ci_high);
        }
        fprintf(f, "%-12s %-6s %4zu %12.6g %11.4g %27s %12.6g %12.6g %12.6g\n",
                s->name, s->unit, sum.n, sum.mean, sum.stddev, ci,
                sum.min, sum.median, sum.max);
    }
    return finish_write(f);
}

/* ---- JSON. */

static json_t *
json_number_or_null(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

static json_t *
summary_to_json(const struct bench_summary *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "n", json_integer(s->n));
    json_object_set_new(o, "mean", json_number_or_null(s->mean));
    json_object_set_new(o, "stddev", json_number_or_null(s->stddev));
    json_object_set_new(o, "confidence", json_real(s->confidence));
    json_object_set_new(o, "t", json_number_or_null(s->t));
    json_object_set_new(o, "ci_half", json_number_or_null(s->ci_half));
    json_object_set_new(o, "ci_low", json_number_or_null(s->ci_low));
    json_object_set_new(o, "ci_high", json_number_or_null(s->ci_high));
    json_object_set_new(o, "min", json_number_or_null(s->min));
    json_object_set_new(o, "median", json_number_or_null(s->median));
    json_object_set_new(o, "max", json_number_or_null(s->max));
    return o;
}

static json_t *
report_to_json(const struct bench_report *r)
{
    json_t *root = json_object();
    json_object_set_new(root, "format", json_string(REPORT_FORMAT));
    json_object_set_new(root, "benchmark", json_string(r->benchmark));
    json_object_set_new(root, "title", json_string(r->title));
    json_object_set_new(root, "plural_version", json_string(r->version));
    json_object_set_new(root, "host", json_string(r->host));
    json_object_set_new(root, "created", json_string(r->created));
    json_object_set_new(root, "timing", json_string(
        r->timing == BENCH_TIMING_EXTERNAL ? "external" : "internal"));
    json_t *params = json_object();
    for (size_t i = 0; i < r->n_params; i++) {
        const struct param *p = &r->params[i];
        json_object_set_new(params, p->key,
                            p->type == PARAM_STRING ? json_string(p->text)
                            : p->type == PARAM_INT ? json_integer(p->integer)
                            : json_number_or_null(p->real));
    }
    json_object_set_new(root, "params", params);
    json_object_set_new(root, "rounds", json_integer(r->rounds));
    json_object_set_new(root, "warmup", json_integer(r->warmup));
    json_t *series = json_array();
    for (size_t i = 0; i < r->n_series; i++) {
        const struct bench_series *s = r->series[i];
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(s->name));
        json_object_set_new(o, "unit", json_string(s->unit));
        json_object_set_new(o, "better", json_string(
            s->better == BENCH_HIGHER_IS_BETTER ? "higher" : "lower"));
        json_t *samples = json_array();
        for (size_t j = 0; j < s->n_samples; j++) {
            json_t *sample = json_object();
            json_object_set_new(sample, "round", json_integer(j + 1));
            json_object_set_new(sample, "value", json_number_or_null(s->samples[j].value));
            json_object_set_new(sample, "warmup", json_boolean(s->samples[j].warmup));
            json_array_append_new(samples, sample);
        }
        json_object_set_new(o, "samples", samples);
        struct bench_summary sum;
        json_object_set_new(o, "summary", bench_series_summarize(s, &sum)
                                          ? json_null() : summary_to_json(&sum));
        json_array_append_new(series, o);
    }
    json_object_set_new(root, "series", series);
    return root;
}

int
bench_report_write_json(const struct bench_report *r, FILE *f)
{
    json_t *root = report_to_json(r);
    int error = json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER
                                    | JSON_REAL_PRECISION(15)) ? -EIO : 0;
    json_decref(root);
    if (!error) {
        fputc('\n', f);
    }
    return error ? error : finish_write(f);
}

/* ---- CSV. */

static void
csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') {
            fputc('"', f);
        }
        fputc(*s, f);
    }
    fputc('"', f);
}

int
bench_report_write_csv(const struct bench_report *r, FILE *f)
{
    fprintf(f, "benchmark,series,unit,round,warmup,value\n");
    for (size_t i = 0; i < r->n_series; i++) {
        const struct bench_series *s = r->series[i];
        for (size_t j = 0; j < s->n_samples; j++) {
            csv_field(f, r->benchmark);
            fputc(',', f);
            csv_field(f, s->name);
            fputc(',', f);
            csv_field(f, s->unit);
            fprintf(f, ",%zu,%d,%.15g\n", j + 1, s->samples[j].warmup,
                    s->samples[j].value);
        }
    }
    return finish_write(f);
}

typedef int writer_fn(const struct bench_report *, FILE *);

static int
write_to_path(const struct bench_report *r, const char *path, writer_fn *writer)
{
    if (!strcmp(path, "-")) {
        return writer(r, stdout);
    }
    FILE *f = fopen(path, "w");
    if (!f) {
        return -errno;
    }
    int error = writer(r, f);
    if (fclose(f) && !error) {
        error = -EIO;
    }
    return error;
}

int
bench_report_write_json_file(const struct bench_report *r, const char *path)
{
    return write_to_path(r, path, bench_report_write_json);
}

int
bench_report_write_csv_file(const struct bench_report *r, const char *path)
{
    return write_to_path(r, path, bench_report_write_csv);
}

/* ---- Reader. */

static const char *
json_string_member(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static int
read_series(struct bench_report *r, json_t *o, char **error)
{
    const char *name = json_string_member(o, "name");
    const char *unit = json_string_member(o, "unit");
    const char *better = json_string_member(o, "better");
    json_t *samples = json_object_get(o, "samples");
    if (!name || !unit || !json_is_array(samples)) {
        *error = xstrdup("a series lacks \"name\", \"unit\" or \"samples\"");
        return -EINVAL;
    }
    struct bench_series *s = bench_report_add_series(
        r, name, unit, better && !strcmp(better, "higher")
                       ? BENCH_HIGHER_IS_BETTER : BENCH_LOWER_IS_BETTER);
    size_t i;
    json_t *sample;
    json_array_foreach(samples, i, sample) {
        json_t *value = json_object_get(sample, "value");
        if (!json_is_number(value)) {
            *error = xasprintf("series \"%s\": sample %zu has no numeric \"value\"",
                               name, i + 1);
            return -EINVAL;
        }
        bench_series_add_sample(s, json_number_value(value),
                                json_is_true(json_object_get(sample, "warmup")));
    }
    return 0;
}

static int
report_from_json(json_t *root, struct bench_report **out, char **error)
{
    const char *format = json_string_member(root, "format");
    const char *benchmark = json_string_member(root, "benchmark");
    json_t *series = json_object_get(root, "series");
    if (!format || strcmp(format, REPORT_FORMAT) || !benchmark || !json_is_array(series)) {
        *error = xstrdup("not a plural bench report (\"format\": \"" REPORT_FORMAT "\" expected)");
        return -EINVAL;
    }
    struct bench_report *r = bench_report_create(benchmark, json_string_member(root, "title"));
    const char *s;
    if ((s = json_string_member(root, "host"))) {
        free(r->host);
        r->host = xstrdup(s);
    }
    if ((s = json_string_member(root, "created"))) {
        free(r->created);
        r->created = xstrdup(s);
    }
    if ((s = json_string_member(root, "plural_version"))) {
        free(r->version);
        r->version = xstrdup(s);
    }
    s = json_string_member(root, "timing");
    r->timing = s && !strcmp(s, "external") ? BENCH_TIMING_EXTERNAL : BENCH_TIMING_INTERNAL;
    r->rounds = json_integer_value(json_object_get(root, "rounds"));
    r->warmup = json_integer_value(json_object_get(root, "warmup"));
    const char *key;
    json_t *value;
    json_object_foreach(json_object_get(root, "params"), key, value) {
        if (json_is_string(value)) {
            bench_report_set_param_string(r, key, json_string_value(value));
        } else if (json_is_integer(value)) {
            bench_report_set_param_int(r, key, json_integer_value(value));
        } else if (json_is_real(value)) {
            bench_report_set_param_real(r, key, json_real_value(value));
        }
    }
    size_t i;
    json_array_foreach(series, i, value) {
        int err = read_series(r, value, error);
        if (err) {
            bench_report_destroy(r);
            return err;
        }
    }
    *out = r;
    return 0;
}

int
bench_report_read_json_file(const char *path, struct bench_report **out, char **error)
{
    *out = NULL;
    *error = NULL;
    FILE *f = !strcmp(path, "-") ? stdin : fopen(path, "r");
    if (!f) {
        int err = errno;
        *error = xasprintf("%s: %s", path, strerror(err));
        return -err;
    }
    json_error_t jerr;
    json_t *root = json_loadf(f, 0, &jerr);
    if (f != stdin) {
        fclose(f);
    }
    if (!root) {
        *error = xasprintf("%s:%d: %s", path, jerr.line, jerr.text);
        return -EINVAL;
    }
    char *reason = NULL;
    int err = json_is_object(root) ? report_from_json(root, out, &reason)
                                   : (reason = xstrdup("not a JSON object"), -EINVAL);
    json_decref(root);
    if (err) {
        *error = xasprintf("%s: %s", path, reason);
        free(reason);
    }
    return err;
}
