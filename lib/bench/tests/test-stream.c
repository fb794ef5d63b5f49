/* Unit tests: STREAM sizing and byte accounting (pure functions), cache
 * detection on fixture trees, validation, and a tiny real run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "bench/cache.h"
#include "bench/stream.h"
#include "bench/sysfs.h"
#include "util/util.h"

static char *
fixture(const char *name)
{
    const char *dir = getenv("BENCH_FIXTURES");
    return xasprintf("%s/%s", dir ? dir : "lib/bench/tests/fixtures", name);
}

static void
test_byte_accounting(void **state)
{
    (void) state;
    assert_int_equal(bench_stream_arrays_counted(BENCH_STREAM_COPY), 2);
    assert_int_equal(bench_stream_arrays_counted(BENCH_STREAM_SCALE), 2);
    assert_int_equal(bench_stream_arrays_counted(BENCH_STREAM_ADD), 3);
    assert_int_equal(bench_stream_arrays_counted(BENCH_STREAM_TRIAD), 3);
    /* STREAM's default 10M elements: Copy 160 MB, Triad 240 MB per pass. */
    assert_int_equal(bench_stream_bytes(BENCH_STREAM_COPY, 10000000), 160000000);
    assert_int_equal(bench_stream_bytes(BENCH_STREAM_SCALE, 10000000), 160000000);
    assert_int_equal(bench_stream_bytes(BENCH_STREAM_ADD, 10000000), 240000000);
    assert_int_equal(bench_stream_bytes(BENCH_STREAM_TRIAD, 10000000), 240000000);
    assert_int_equal(bench_stream_memory_bytes(1000), 24000);
    assert_string_equal(bench_stream_kernel_name(BENCH_STREAM_TRIAD), "Triad");
}

static void
test_array_sizing(void **state)
{
    (void) state;
    /* 4 x caches / 8 bytes: 32 MiB of L3 -> 16 Mi elements (128 MiB per array). */
    assert_int_equal(bench_stream_min_elements(UINT64_C(32) << 20), UINT64_C(16) << 20);
    /* Rounded up, never below the minimum, STREAM's default without caches. */
    assert_int_equal(bench_stream_min_elements(10), BENCH_STREAM_MIN_ELEMENTS);
    assert_int_equal(bench_stream_min_elements(2001 * 8 / 4 + 1), 2002);
    assert_int_equal(bench_stream_min_elements(0), BENCH_STREAM_DEFAULT_ELEMENTS);
}

static void
test_llc_fixtures(void **state)
{
    (void) state;
    struct bench_llc llc;
    char *root = fixture("node1");
    assert_int_equal(bench_llc_detect(root, &llc), 0);
    assert_int_equal(llc.level, 3);
    assert_int_equal(llc.instances, 1);             /* Shared by CPUs 0-1: counted once. */
    assert_int_equal(llc.total_bytes, UINT64_C(32) << 20);
    free(root);

    root = fixture("node2");
    assert_int_equal(bench_llc_detect(root, &llc), 0);
    assert_int_equal(llc.instances, 2);             /* One per socket. */
    assert_int_equal(llc.each_bytes, UINT64_C(20) << 20);
    assert_int_equal(llc.total_bytes, UINT64_C(40) << 20);
    assert_int_equal(bench_stream_min_elements(llc.total_bytes), UINT64_C(20) << 20);
    free(root);

    root = fixture("node4");
    assert_int_equal(bench_llc_detect(root, &llc), 0);
    assert_int_equal(llc.instances, 4);
    assert_int_equal(llc.total_bytes, UINT64_C(24) << 20);
    free(root);

    assert_int_equal(bench_llc_detect("/nonexistent", &llc), -ENOENT);
}

static void
test_size_and_list_parsers(void **state)
{
    (void) state;
    uint64_t bytes, bits[2];
    assert_int_equal(bench_parse_size("48K", &bytes), 0);
    assert_int_equal(bytes, 48 * 1024);
    assert_int_equal(bench_parse_size("266240K", &bytes), 0);
    assert_int_equal(bytes, UINT64_C(266240) * 1024);
    assert_int_equal(bench_parse_size("2M", &bytes), 0);
    assert_int_equal(bytes, 2 << 20);
    assert_int_equal(bench_parse_size("12Q", &bytes), -EINVAL);
    assert_int_equal(bench_parse_cpulist("0-3,8,10-11", bits, 128), 7);
    assert_int_equal(bits[0], 0xd0f);
    assert_int_equal(bench_parse_cpulist("5", bits, 128), 1);
    assert_int_equal(bench_parse_cpulist("3-1", bits, 128), -EINVAL);
    assert_int_equal(bench_parse_cpulist("0-200", bits, 128), -EINVAL);
    assert_int_equal(bench_parse_cpulist("1,x", bits, 128), -EINVAL);
}

static void
test_validation(void **state)
{
    (void) state;
    /* After 0 trials only the timer-check pass ran: a = 2, b = 2, c = 0;
     * after one: c = 2, b = 6, c = 8, a = 6 + 3 * 8 = 30. */
    double a, b, c;
    bench_stream_expected(1, &a, &b, &c);
    assert_true(a == 30 && b == 6 && c == 8);
    enum { N = 1000 };
    double *aa = xcalloc(N, sizeof *aa), *bb = xcalloc(N, sizeof *bb), *cc = xcalloc(N, sizeof *cc);
    bench_stream_expected(10, &a, &b, &c);
    for (int j = 0; j < N; j++) {
        aa[j] = a;
        bb[j] = b;
        cc[j] = c;
    }
    double err[3];
    assert_true(bench_stream_check(aa, bb, cc, N, 10, err));
    assert_true(err[0] == 0 && err[1] == 0 && err[2] == 0);
    bb[17] *= 1.001;        /* One wrong element is enough. */
    assert_false(bench_stream_check(aa, bb, cc, N, 10, err));
    assert_true(err[1] > 1e-13 && err[0] == 0);
    free(aa);
    free(bb);
    free(cc);
}

static void
test_tiny_run(void **state)
{
    (void) state;
    struct bench_stream_config cfg = { .elements = 20000, .ntimes = 5, .threads = 2,
                                       .cpunode = -1, .memnode = -1 };
    struct bench_stream_result res;
    assert_int_equal(bench_stream_run(&cfg, &res), 0);
    assert_true(res.valid);
    for (int k = 0; k < BENCH_STREAM_N_KERNELS; k++) {
        assert_true(res.kernel[k].best_rate_mbs > 0);
        assert_true(res.kernel[k].min_time <= res.kernel[k].avg_time);
        assert_true(res.kernel[k].avg_time <= res.kernel[k].max_time);
    }
    assert_true(res.granularity_s > 0);
    assert_true(res.threads >= 1);

    cfg.ntimes = 1;         /* The first trial is discarded: 1 leaves nothing. */
    assert_int_equal(bench_stream_run(&cfg, &res), -EINVAL);
    cfg.ntimes = 2;
    cfg.memnode = 999;
    assert_int_equal(bench_stream_run(&cfg, &res), -ENODEV);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_byte_accounting),
        cmocka_unit_test(test_array_sizing),
        cmocka_unit_test(test_llc_fixtures),
        cmocka_unit_test(test_size_and_list_parsers),
        cmocka_unit_test(test_validation),
        cmocka_unit_test(test_tiny_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
