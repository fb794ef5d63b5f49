/* Unit tests: reading iperf3 -J reports (saved fixtures from real runs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench/net-iperf.h"
#include "util/util.h"

static char *
read_fixture(const char *name, size_t *len)
{
    const char *dir = getenv("BENCH_FIXTURES");
    char *path = xasprintf("%s/%s", dir ? dir : "lib/bench/tests/fixtures", name);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    free(path);
    char *text = xmalloc(1 << 20);
    *len = fread(text, 1, 1 << 20, f);
    fclose(f);
    return text;
}

static void
test_tcp_report(void **state)
{
    (void) state;
    struct net_iperf_result r;
    size_t len;
    char *text = read_fixture("net-iperf3-tcp.json", &len);

    assert_int_equal(net_iperf_parse(text, len, &r), 0);
    assert_true(fabs(r.tx_bps - 5800684343.883802) < 1e-3);
    assert_true(fabs(r.rx_bps - 5775259845.11781) < 1e-3);
    assert_true(r.seconds > 0.9 && r.seconds < 1.1);
    assert_int_equal(r.lost_packets, -1);
    assert_int_equal(r.packets, -1);
    free(text);
}

static void
test_udp_report(void **state)
{
    (void) state;
    struct net_iperf_result r;
    size_t len;
    char *text = read_fixture("net-iperf3-udp.json", &len);

    assert_int_equal(net_iperf_parse(text, len, &r), 0);
    assert_true(fabs(r.tx_bps - 9991230.39463224) < 1e-3);
    assert_true(fabs(r.rx_bps - 9990481.14226293) < 1e-3);
    assert_int_equal(r.packets, 19515);
    assert_int_equal(r.lost_packets, 0);
    free(text);
}

static void
test_error_report(void **state)
{
    (void) state;
    static const char text[] =
        "{ \"start\": {}, \"intervals\": [], \"end\": {},\n"
        "  \"error\": \"unable to connect to server: Connection refused\" }";
    struct net_iperf_result r;

    assert_int_equal(net_iperf_parse(text, strlen(text), &r), -EPROTO);
    assert_non_null(strstr(r.error, "Connection refused"));
}

static void
test_malformed_reports(void **state)
{
    (void) state;
    static const char *const bad[] = {
        "",
        "not json",
        "{\"end\": {}}",
        "{\"end\": {\"sum_sent\": {\"bits_per_second\": 1}}}",
        "{\"end\": {\"sum_sent\": {\"bits_per_second\": \"fast\"},"
        " \"sum_received\": {\"bits_per_second\": 1}}}",
        "[1, 2]",
    };
    struct net_iperf_result r;

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        assert_int_equal(net_iperf_parse(bad[i], strlen(bad[i]), &r), -EPROTO);
        assert_true(r.error[0] != '\0');
    }
}

static void
test_run_missing_program(void **state)
{
    (void) state;
    struct net_iperf_config c = {
        .iperf3 = "/nonexistent/iperf3", .server = "127.0.0.1", .time_s = 1, .len = 100,
    };
    struct net_iperf_result r;

    assert_int_equal(net_iperf_run(&c, &r), -ENOENT);
    c.iperf3 = "iperf3";
    c.netns = "plural-no-such-namespace";
    assert_int_equal(net_iperf_run(&c, &r), -ENOENT);
    assert_non_null(strstr(r.error, "plural-no-such-namespace"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tcp_report),
        cmocka_unit_test(test_udp_report),
        cmocka_unit_test(test_error_report),
        cmocka_unit_test(test_malformed_reports),
        cmocka_unit_test(test_run_missing_program),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
