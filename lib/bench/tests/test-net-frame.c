/* Unit tests: plural's generator frames, marker parsing, sequence tracking. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>
#include "bench/net-frame.h"
#include "bench/net-seq.h"
#include "util/byteorder.h"

/* One's-complement sum over the IPv4 header: 0xffff when the checksum is right. */
static uint16_t
ip_sum(const uint8_t *ip)
{
    uint32_t sum = 0;
    for (int i = 0; i < 20; i += 2) {
        sum += get_be16(ip + i);
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return (uint16_t) sum;
}

static void
test_build_default(void **state)
{
    (void) state;
    struct net_frame_spec spec;
    uint8_t f[NET_FRAME_MAX];

    net_frame_spec_init(&spec);
    assert_int_equal(net_frame_spec_check(&spec), 0);
    assert_int_equal(spec.size, 60);
    net_frame_build(&spec, f);
    static const uint8_t dst[6] = { 2, 0, 0, 0, 0, 2 }, src[6] = { 2, 0, 0, 0, 0, 1 };
    assert_memory_equal(f, dst, 6);
    assert_memory_equal(f + 6, src, 6);
    assert_int_equal(get_be16(f + 12), 0x0800);
    const uint8_t *ip = f + 14;
    assert_int_equal(ip[0], 0x45);
    assert_int_equal(get_be16(ip + 2), 46);            /* 60 - 14 */
    assert_int_equal(ip[8], 64);
    assert_int_equal(ip[9], 17);
    assert_int_equal(ip_sum(ip), 0xffff);
    assert_int_equal(ip[12], 10);
    assert_int_equal(ip[15], 1);
    assert_int_equal(ip[19], 2);
    const uint8_t *udp = ip + 20;
    assert_int_equal(get_be16(udp), 49200);
    assert_int_equal(get_be16(udp + 2), 9);
    assert_int_equal(get_be16(udp + 4), 26);
    assert_int_equal(get_be16(udp + 6), 0);
    assert_int_equal(net_frame_marker_offset(&spec), 42);
    assert_int_equal(get_be16(f + 42), 0x504c);        /* "PL" */
}

static void
test_stamp_and_parse(void **state)
{
    (void) state;
    static const size_t sizes[] = { 60, 64, 1514, 9000 };
    struct net_frame_spec spec;
    static uint8_t f[NET_FRAME_MAX];

    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        for (int vlan = -1; vlan <= 7; vlan += 8) {
            net_frame_spec_init(&spec);
            spec.size = sizes[i];
            spec.vlan = vlan;
            if (net_frame_spec_check(&spec)) {
                assert_true(vlan >= 0 && sizes[i] < NET_FRAME_MIN_VLAN);
                continue;
            }
            net_frame_build(&spec, f);
            net_frame_stamp(f, net_frame_marker_offset(&spec), 0xfffffffeu,
                            0x0123456789abcdefull);
            uint32_t seq = 0;
            uint64_t ts = 0;
            assert_true(net_frame_parse_marker(f, spec.size, &seq, &ts));
            assert_int_equal(seq, 0xfffffffeu);
            assert_true(ts == 0x0123456789abcdefull);
            const uint8_t *ip = f + 14 + (vlan >= 0 ? 4 : 0);
            assert_int_equal(get_be16(ip + 2), spec.size - (size_t) (ip - f));
            assert_int_equal(ip_sum(ip), 0xffff);
            if (vlan >= 0) {
                assert_int_equal(get_be16(f + 12), 0x8100);
                assert_int_equal(get_be16(f + 14), 7);
            }
            /* Truncated copies are not recognized. */
            assert_false(net_frame_parse_marker(f, net_frame_marker_offset(&spec) + 15,
                                                &seq, &ts));
        }
    }
}

static void
test_parse_rejects_strays(void **state)
{
    (void) state;
    struct net_frame_spec spec;
    uint8_t f[128];
    uint32_t seq;
    uint64_t ts;

    net_frame_spec_init(&spec);
    net_frame_build(&spec, f);
    assert_true(net_frame_parse_marker(f, 60, &seq, &ts));

    uint8_t g[128];
    memcpy(g, f, sizeof g);
    g[42] ^= 1;                                     /* Wrong magic. */
    assert_false(net_frame_parse_marker(g, 60, &seq, &ts));
    memcpy(g, f, sizeof g);
    g[12] = 0x08, g[13] = 0x06;                     /* ARP. */
    assert_false(net_frame_parse_marker(g, 60, &seq, &ts));
    memcpy(g, f, sizeof g);
    g[14 + 9] = 6;                                  /* TCP. */
    assert_false(net_frame_parse_marker(g, 60, &seq, &ts));
    memcpy(g, f, sizeof g);
    g[14] = 0x65;                                   /* IPv6 version. */
    assert_false(net_frame_parse_marker(g, 60, &seq, &ts));
    memcpy(g, f, sizeof g);
    g[14] = 0x44;                                   /* IHL below 5. */
    assert_false(net_frame_parse_marker(g, 60, &seq, &ts));
    assert_false(net_frame_parse_marker(f, 10, &seq, &ts));
    assert_false(net_frame_parse_marker(f, 0, &seq, &ts));
}

static void
test_spec_check(void **state)
{
    (void) state;
    struct net_frame_spec spec;

    net_frame_spec_init(&spec);
    spec.size = 59;
    assert_int_equal(net_frame_spec_check(&spec), -ERANGE);
    spec.size = 10;
    assert_int_equal(net_frame_spec_check(&spec), -ERANGE);
    spec.size = 9000;
    assert_int_equal(net_frame_spec_check(&spec), 0);
    spec.size = 9001;
    assert_int_equal(net_frame_spec_check(&spec), -ERANGE);
    spec.size = 63;
    spec.vlan = 100;
    assert_int_equal(net_frame_spec_check(&spec), -ERANGE);
    spec.size = 64;
    assert_int_equal(net_frame_spec_check(&spec), 0);
    spec.vlan = 4096;
    assert_int_equal(net_frame_spec_check(&spec), -EINVAL);
}

static void
test_parse_addresses(void **state)
{
    (void) state;
    uint8_t mac[6];
    uint32_t ip;
    static const uint8_t want[6] = { 0xaa, 0xbb, 0xcc, 0x01, 0x02, 0xff };

    assert_int_equal(net_parse_mac("aa:bb:cc:01:02:ff", mac), 0);
    assert_memory_equal(mac, want, 6);
    assert_int_equal(net_parse_mac("aa:bb:cc:01:02", mac), -EINVAL);
    assert_int_equal(net_parse_mac("aa:bb:cc:01:02:ff:00", mac), -EINVAL);
    assert_int_equal(net_parse_mac("zz:bb:cc:01:02:ff", mac), -EINVAL);
    assert_int_equal(net_parse_ipv4("192.168.1.20", &ip), 0);
    assert_int_equal(ip, 0xc0a80114);
    assert_int_equal(net_parse_ipv4("192.168.1", &ip), -EINVAL);
    assert_int_equal(net_parse_ipv4("300.1.1.1", &ip), -EINVAL);
}

static void
test_seq_in_order_loss_reorder(void **state)
{
    (void) state;
    struct net_seq s;

    net_seq_init(&s);
    for (uint32_t i = 0; i < 10; i++) {
        net_seq_add(&s, i);
    }
    assert_int_equal(s.received, 10);
    assert_int_equal(s.lost, 0);
    assert_int_equal(s.out_of_order, 0);

    net_seq_add(&s, 13);                /* 10, 11, 12 missing. */
    assert_int_equal(s.lost, 3);
    net_seq_add(&s, 11);                /* Late: one of them arrives. */
    assert_int_equal(s.lost, 2);
    assert_int_equal(s.out_of_order, 1);
    net_seq_add(&s, 14);
    assert_int_equal(s.lost, 2);
    assert_int_equal(s.received, 13);
}

static void
test_seq_wraps(void **state)
{
    (void) state;
    struct net_seq s;

    net_seq_init(&s);
    s.next = 0xfffffffeu;
    net_seq_add(&s, 0xfffffffeu);
    net_seq_add(&s, 0xffffffffu);
    net_seq_add(&s, 0);
    net_seq_add(&s, 2);                 /* 1 missing across the wrap. */
    assert_int_equal(s.lost, 1);
    assert_int_equal(s.out_of_order, 0);
    assert_int_equal(s.next, 3);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_build_default),
        cmocka_unit_test(test_stamp_and_parse),
        cmocka_unit_test(test_parse_rejects_strays),
        cmocka_unit_test(test_spec_check),
        cmocka_unit_test(test_parse_addresses),
        cmocka_unit_test(test_seq_in_order_loss_reorder),
        cmocka_unit_test(test_seq_wraps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
