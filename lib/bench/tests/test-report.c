/* Unit tests: report JSON/CSV shape, JSON round trip, the round runner. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bench/report.h"
#include "bench/runner.h"
#include "util/util.h"

static struct bench_report *
sample_report(void)
{
    struct bench_report *r = bench_report_create("cpu", "pi, 1024 digits");
    bench_report_set_param_int(r, "digits", 1024);
    bench_report_set_param_string(r, "algorithm", "Chudnovsky, \"binary\" splitting");
    bench_report_set_param_real(r, "scale", 0.5);
    bench_report_set_rounds(r, 4, 1);
    struct bench_series *s = bench_report_add_series(r, "time", "s", BENCH_LOWER_IS_BETTER);
    bench_series_add_sample(s, 100, true);
    bench_series_add_sample(s, 2, false);
    bench_series_add_sample(s, 4, false);
    bench_series_add_sample(s, 4, false);
    bench_series_add_sample(s, 6, false);
    return r;
}

static char *
write_to_string(int (*writer)(const struct bench_report *, FILE *), const struct bench_report *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_int_equal(writer(r, f), 0);
    fclose(f);
    return text;
}

static void
test_json_shape(void **state)
{
    (void) state;
    struct bench_report *r = sample_report();
    char *text = write_to_string(bench_report_write_json, r);
    json_error_t err;
    json_t *root = json_loads(text, 0, &err);
    assert_non_null(root);
    assert_string_equal(json_string_value(json_object_get(root, "format")), "plural-bench/1");
    assert_string_equal(json_string_value(json_object_get(root, "benchmark")), "cpu");
    assert_string_equal(json_string_value(json_object_get(root, "timing")), "internal");
    assert_int_equal(json_integer_value(json_object_get(root, "rounds")), 4);
    assert_int_equal(json_integer_value(json_object_get(root, "warmup")), 1);
    json_t *params = json_object_get(root, "params");
    assert_int_equal(json_integer_value(json_object_get(params, "digits")), 1024);
    assert_true(json_real_value(json_object_get(params, "scale")) == 0.5);
    json_t *series = json_array_get(json_object_get(root, "series"), 0);
    assert_string_equal(json_string_value(json_object_get(series, "better")), "lower");
    json_t *samples = json_object_get(series, "samples");
    assert_int_equal(json_array_size(samples), 5);
    assert_true(json_is_true(json_object_get(json_array_get(samples, 0), "warmup")));
    assert_true(json_is_false(json_object_get(json_array_get(samples, 1), "warmup")));
    json_t *summary = json_object_get(series, "summary");
    assert_int_equal(json_integer_value(json_object_get(summary, "n")), 4);
    assert_true(json_real_value(json_object_get(summary, "mean")) == 4);   /* Warm-up excluded. */
    assert_true(json_real_value(json_object_get(summary, "median")) == 4);
    assert_true(json_real_value(json_object_get(summary, "min")) == 2);
    /* s = sqrt(8/3), t(0.975, 3) = 3.182446. */
    double half = 3.182446305 * sqrt(8.0 / 3) / 2;
    assert_true(fabs(json_real_value(json_object_get(summary, "ci_half")) - half) < 1e-6);
    json_decref(root);
    free(text);
    bench_report_destroy(r);
}

static void
test_json_single_sample_ci_is_null(void **state)
{
    (void) state;
    struct bench_report *r = bench_report_create("x", NULL);
    bench_series_add_sample(bench_report_add_series(r, "v", "MB/s", BENCH_HIGHER_IS_BETTER),
                            7, false);
    char *text = write_to_string(bench_report_write_json, r);
    json_t *root = json_loads(text, 0, NULL);
    json_t *summary = json_object_get(json_array_get(json_object_get(root, "series"), 0),
                                      "summary");
    assert_true(json_is_null(json_object_get(summary, "ci_half")));
    assert_true(json_is_null(json_object_get(summary, "t")));
    json_decref(root);
    free(text);
    bench_report_destroy(r);
}

static void
test_csv_shape(void **state)
{
    (void) state;
    struct bench_report *r = sample_report();
    char *text = write_to_string(bench_report_write_csv, r);
    assert_string_equal(text,
                        "benchmark,series,unit,round,warmup,value\n"
                        "cpu,time,s,1,1,100\n"
                        "cpu,time,s,2,0,2\n"
                        "cpu,time,s,3,0,4\n"
                        "cpu,time,s,4,0,4\n"
                        "cpu,time,s,5,0,6\n");
    free(text);
    bench_report_destroy(r);
}

static void
test_json_round_trip(void **state)
{
    (void) state;
    struct bench_report *r = sample_report();
    char path[] = "/tmp/plural-test-report-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(bench_report_write_json_file(r, path), 0);
    struct bench_report *back;
    char *error;
    assert_int_equal(bench_report_read_json_file(path, &back, &error), 0);
    assert_string_equal(bench_report_benchmark(back), "cpu");
    assert_string_equal(bench_report_param(back, "digits"), "1024");
    assert_string_equal(bench_report_param(back, "algorithm"), "Chudnovsky, \"binary\" splitting");
    struct bench_series *s = bench_report_find_series(back, "time");
    assert_non_null(s);
    assert_int_equal(bench_series_n_samples(s), 5);
    bool warmup;
    assert_true(bench_series_sample(s, 0, &warmup) == 100 && warmup);
    struct bench_summary a, b;
    bench_series_summarize(bench_report_series(r, 0), &a);
    bench_series_summarize(s, &b);
    assert_true(a.mean == b.mean && a.ci_half == b.ci_half);
    bench_report_destroy(back);

    /* Not a report. */
    FILE *f = fopen(path, "w");
    fputs("{\"hello\": 1}", f);
    fclose(f);
    assert_int_equal(bench_report_read_json_file(path, &back, &error), -EINVAL);
    assert_null(back);
    assert_non_null(strstr(error, "not a plural bench report"));
    free(error);
    unlink(path);
    assert_int_equal(bench_report_read_json_file(path, &back, &error), -ENOENT);
    free(error);
    bench_report_destroy(r);
}

static int
counting_round(void *aux, unsigned round, bool warmup, double *values)
{
    unsigned *calls = aux;
    ++*calls;
    values[0] = warmup ? -1.0 : (double) round;
    values[1] = 10.0 * round;
    return round == 99 ? -EIO : 0;
}

static void
test_runner(void **state)
{
    (void) state;
    struct bench_report *r = bench_report_create("t", NULL);
    bench_report_add_series(r, "a", "s", BENCH_LOWER_IS_BETTER);
    bench_report_add_series(r, "b", "MB/s", BENCH_HIGHER_IS_BETTER);
    struct bench_run_options o = BENCH_RUN_OPTIONS_INIT;
    o.rounds = 3;
    o.warmup = 2;
    o.progress = BENCH_PROGRESS_OFF;
    unsigned calls = 0;
    assert_int_equal(bench_run_rounds(r, &o, counting_round, &calls), 0);
    assert_int_equal(calls, 5);
    struct bench_series *a = bench_report_series(r, 0);
    assert_int_equal(bench_series_n_samples(a), 5);
    bool warmup;
    assert_true(bench_series_sample(a, 1, &warmup) == -1 && warmup);
    assert_true(bench_series_sample(a, 2, &warmup) == 3 && !warmup);
    struct bench_summary s;
    assert_int_equal(bench_series_summarize(a, &s), 0);
    assert_true(s.n == 3 && s.mean == 4);
    assert_true(bench_series_sample(bench_report_series(r, 1), 4, NULL) == 50);

    o.rounds = 0;
    assert_int_equal(bench_run_rounds(r, &o, counting_round, &calls), -EINVAL);
    o.rounds = 200;
    o.warmup = 0;
    calls = 0;
    assert_int_equal(bench_run_rounds(r, &o, counting_round, &calls), -EIO);
    assert_int_equal(calls, 99);
    bench_report_destroy(r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_shape),
        cmocka_unit_test(test_json_single_sample_ci_is_null),
        cmocka_unit_test(test_csv_shape),
        cmocka_unit_test(test_json_round_trip),
        cmocka_unit_test(test_runner),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
