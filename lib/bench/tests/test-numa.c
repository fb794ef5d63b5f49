/* Unit tests: NUMA topology, threshold and VM advice on fixture sysfs trees
 * of 1-, 2- and 4-node machines, and the bar-chart script. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bench/numa-topo.h"
#include "bench/plot.h"
#include "util/util.h"

#define GIB (UINT64_C(1) << 30)

static char *
fixture(const char *name)
{
    const char *dir = getenv("BENCH_FIXTURES");
    return xasprintf("%s/%s", dir ? dir : "lib/bench/tests/fixtures", name);
}

static void
test_one_node(void **state)
{
    (void) state;
    char *root = fixture("node1");
    struct bench_numa_topology t;
    assert_int_equal(bench_numa_read(root, &t), 0);
    assert_int_equal(t.n_nodes, 1);
    assert_int_equal(t.n_cpus, 2);
    assert_int_equal(t.mem_total, 8 * GIB);
    assert_string_equal(t.nodes[0].cpulist, "0-1");
    assert_int_equal(t.nodes[0].distance[0], 10);
    assert_int_equal(bench_numa_host_threshold(&t), 4 * GIB);
    struct bench_numa_advice a;
    bench_numa_advise(&t, BENCH_NUMA_DEFAULT_RESERVE, &a);
    assert_int_equal(a.node, 0);
    assert_int_equal(a.vcpus, 2);
    assert_int_equal(a.memory, 7 * GIB);
    bench_numa_topology_uninit(&t);
    free(root);
}

static void
test_two_nodes(void **state)
{
    (void) state;
    char *root = fixture("node2");
    struct bench_numa_topology t;
    assert_int_equal(bench_numa_read(root, &t), 0);
    assert_int_equal(t.n_nodes, 2);
    assert_int_equal(t.n_cpus, 16);
    assert_int_equal(t.nodes[1].n_cpus, 8);
    assert_string_equal(t.nodes[1].cpulist, "8-15");
    assert_int_equal(t.nodes[0].distance[1], 21);
    assert_int_equal(t.nodes[1].distance[1], 10);
    assert_int_equal(bench_numa_node_threshold(&t.nodes[0]), 8 * GIB);
    struct bench_numa_advice a;
    bench_numa_advise(&t, 0, &a);
    assert_int_equal(a.vcpus, 8);
    assert_int_equal(a.memory, 64 * GIB);
    bench_numa_advise(&t, UINT64_C(1536) << 20, &a);   /* 1.5 GiB reserve. */
    assert_int_equal(a.memory, 64 * GIB - (UINT64_C(1536) << 20));
    bench_numa_topology_uninit(&t);
    free(root);
}

static void
test_four_nodes_seed_host(void **state)
{
    (void) state;
    /* The seed's host: 24 cores, 50 GB in 4 nodes: threshold ~2 GB. */
    char *root = fixture("node4");
    struct bench_numa_topology t;
    assert_int_equal(bench_numa_read(root, &t), 0);
    assert_int_equal(t.n_nodes, 4);
    assert_int_equal(t.n_cpus, 24);
    assert_int_equal(t.mem_total, UINT64_C(4) * 13107200 * 1024);
    uint64_t threshold = bench_numa_host_threshold(&t);
    assert_true(threshold > UINT64_C(2) * 1000 * 1000 * 1000 && threshold < (UINT64_C(22) << 27));
    assert_int_equal(t.nodes[3].distance[0], 22);
    assert_int_equal(t.nodes[2].distance[3], 16);
    struct bench_numa_advice a;
    bench_numa_advise(&t, BENCH_NUMA_DEFAULT_RESERVE, &a);
    assert_int_equal(a.node, 0);
    assert_int_equal(a.vcpus, 6);
    /* 12.5 GiB - 1 GiB = 11.5 GiB, a multiple of 256 MiB. */
    assert_int_equal(a.memory, UINT64_C(23) << 29);
    bench_numa_topology_uninit(&t);
    free(root);
}

static void
test_missing_tree(void **state)
{
    (void) state;
    struct bench_numa_topology t;
    assert_int_equal(bench_numa_read("/nonexistent", &t), -ENOENT);
    bench_numa_topology_uninit(NULL);
}

static void
test_plot_script(void **state)
{
    (void) state;
    const char *groups[] = { "copy", "triad" };
    const char *bars[] = { "native", "kvm \"virtio\"" };
    const double mean[] = { 100, 90, 200, 150 };
    const double half[] = { 1, 2, NAN, 4 };
    struct bench_bar_chart c = { "STREAM", "MB/s", 2, groups, 2, bars, mean, half };
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    bench_plot_script(f, &c, "/tmp/x.png");
    fclose(f);
    assert_non_null(strstr(text, "set output \"/tmp/x.png\""));
    assert_non_null(strstr(text, "set style histogram errorbars"));
    assert_non_null(strstr(text, "\"copy\" 100 1 90 2\n"));
    assert_non_null(strstr(text, "\"triad\" 200 0 150 4\n"));   /* NaN CI: no bar. */
    assert_non_null(strstr(text, "using 2:3:xtic(1) title \"native\""));
    assert_non_null(strstr(text, "using 4:5 title \"kvm \\\"virtio\\\"\""));
    free(text);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_node),
        cmocka_unit_test(test_two_nodes),
        cmocka_unit_test(test_four_nodes_seed_host),
        cmocka_unit_test(test_missing_tree),
        cmocka_unit_test(test_plot_script),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
