/* Unit tests for flow_extract(): every field, each frame kind, and every
 * truncation of every frame kind (never reads past len: run under ASan). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>
#include "frames.h"
#include "pkt/flow-key.h"

static const struct frame_spec tcp_spec = {
    .dst = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55},
    .src = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee},
    .vlan = -1, .dl_type = ETH_TYPE_IP, .tos = 0xb9, .proto = IP_PROTO_TCP,
    .nw_src = 0x0a000001, .nw_dst = 0xc0a80102, .tp_src = 12345, .tp_dst = 80,
    .payload = 10,
};

static int
extract(uint8_t *buf, size_t len, struct flow_key *key, struct flow_layout *lay)
{
    /* Copy into an exact-size heap block so ASan catches over-reads. */
    uint8_t *copy = xmemdup(buf, len ? len : 1);
    struct packet p = { .data = copy, .len = (uint32_t) len, .room = (uint32_t) len };
    int error = flow_extract(&p, 7, key, lay);
    free(copy);
    return error;
}

static void
test_tcp_untagged(void **state)
{
    (void) state;
    uint8_t buf[256];
    size_t n = frame_build(buf, &tcp_spec);
    struct flow_key k;
    struct flow_layout lay;
    assert_int_equal(extract(buf, n, &k, &lay), 0);
    assert_int_equal(k.in_port, 7);
    assert_memory_equal(k.dl_dst, tcp_spec.dst, 6);
    assert_memory_equal(k.dl_src, tcp_spec.src, 6);
    assert_int_equal(k.dl_type, ETH_TYPE_IP);
    assert_int_equal(k.dl_vlan, FLOW_VLAN_NONE);
    assert_int_equal(k.dl_vlan_pcp, 0);
    assert_int_equal(k.nw_tos, 0xb8);               /* ECN bits dropped. */
    assert_int_equal(k.nw_proto, IP_PROTO_TCP);
    assert_int_equal(k.nw_src, 0x0a000001);
    assert_int_equal(k.nw_dst, 0xc0a80102);
    assert_int_equal(k.tp_src, 12345);
    assert_int_equal(k.tp_dst, 80);
    assert_int_equal(lay.l3, 14);
    assert_int_equal(lay.l4, 34);
    for (int i = 0; i < 7; i++) {
        assert_int_equal(k.pad[i], 0);
    }
    char text[512];
    flow_key_format(&k, text, sizeof text);
    assert_non_null(strstr(text, "tp_src=12345,tp_dst=80"));
}

static void
test_vlan_udp(void **state)
{
    (void) state;
    struct frame_spec s = tcp_spec;
    s.vlan = (5 << 13) | 0x123;
    s.proto = IP_PROTO_UDP;
    uint8_t buf[256];
    size_t n = frame_build(buf, &s);
    struct flow_key k;
    assert_int_equal(extract(buf, n, &k, NULL), 0);
    assert_int_equal(k.dl_vlan, 0x123);
    assert_int_equal(k.dl_vlan_pcp, 5);
    assert_int_equal(k.dl_type, ETH_TYPE_IP);
    assert_int_equal(k.nw_proto, IP_PROTO_UDP);
    assert_int_equal(k.tp_src, 12345);
    assert_int_equal(k.tp_dst, 80);
}

static void
test_icmp(void **state)
{
    (void) state;
    struct frame_spec s = tcp_spec;
    s.proto = IP_PROTO_ICMP;
    s.tp_src = 8;
    s.tp_dst = 3;
    uint8_t buf[256];
    size_t n = frame_build(buf, &s);
    struct flow_key k;
    assert_int_equal(extract(buf, n, &k, NULL), 0);
    assert_int_equal(k.nw_proto, IP_PROTO_ICMP);
    assert_int_equal(k.tp_src, 8);
    assert_int_equal(k.tp_dst, 3);
}

static void
test_fragments(void **state)
{
    (void) state;
    struct frame_spec s = tcp_spec;
    uint8_t buf[256];
    struct flow_key k;

    struct flow_layout lay;
    size_t n = frame_build(buf, &s);
    assert_int_equal(extract(buf, n, &k, &lay), 0);
    assert_int_equal(lay.nw_frag, 0);       /* Not a fragment. */

    s.frag = 0x4000;                        /* DF only: not a fragment. */
    n = frame_build(buf, &s);
    assert_int_equal(extract(buf, n, &k, &lay), 0);
    assert_int_equal(lay.nw_frag, 0);

    s.frag = 0x2000;                        /* MF, offset 0: first fragment. */
    n = frame_build(buf, &s);
    assert_int_equal(extract(buf, n, &k, &lay), 0);
    assert_int_equal(k.tp_src, 12345);
    assert_int_equal(lay.nw_frag, FLOW_NW_FRAG_ANY);

    s.frag = 0x2000 | 185;                  /* Offset != 0: no ports. */
    n = frame_build(buf, &s);
    assert_int_equal(extract(buf, n, &k, &lay), 0);
    assert_int_equal(lay.nw_frag, FLOW_NW_FRAG_ANY | FLOW_NW_FRAG_LATER);
    assert_int_equal(k.nw_proto, IP_PROTO_TCP);
    assert_int_equal(k.nw_src, 0x0a000001);
    assert_int_equal(k.tp_src, 0);
    assert_int_equal(k.tp_dst, 0);
    assert_int_equal(lay.l4, 0);
}

static void
test_arp(void **state)
{
    (void) state;
    uint8_t buf[64] = {0};
    memcpy(buf, "\xff\xff\xff\xff\xff\xff\x02\x00\x00\x00\x00\x01\x08\x06", 14);
    uint8_t *a = buf + 14;
    fr_wr16(a, 1);
    fr_wr16(a + 2, ETH_TYPE_IP);
    a[4] = 6;
    a[5] = 4;
    fr_wr16(a + 6, 2);                      /* Reply. */
    fr_wr32(a + 14, 0x0a000001);
    fr_wr32(a + 24, 0x0a0000fe);
    struct flow_key k;
    assert_int_equal(extract(buf, 42, &k, NULL), 0);
    assert_int_equal(k.dl_type, ETH_TYPE_ARP);
    assert_int_equal(k.nw_proto, 2);
    assert_int_equal(k.nw_src, 0x0a000001);
    assert_int_equal(k.nw_dst, 0x0a0000fe);
    assert_int_equal(k.tp_src, 0);

    assert_int_equal(extract(buf, 41, &k, NULL), -EBADMSG);
    assert_int_equal(k.dl_type, ETH_TYPE_ARP);
    assert_int_equal(k.nw_src, 0);

    fr_wr16(a, 6);                          /* Not Ethernet hardware. */
    assert_int_equal(extract(buf, 42, &k, NULL), 0);
    assert_int_equal(k.nw_proto, 0);
    assert_int_equal(k.nw_src, 0);
}

static void
test_802_3(void **state)
{
    (void) state;
    uint8_t buf[128] = {0};
    struct flow_key k;
    memset(buf, 1, 12);
    fr_wr16(buf + 12, 64);                  /* 802.3 length. */
    buf[14] = 0x42;                         /* STP LLC. */
    buf[15] = 0x42;
    buf[16] = 0x03;
    assert_int_equal(extract(buf, 60, &k, NULL), 0);
    assert_int_equal(k.dl_type, FLOW_DL_TYPE_NONE);

    /* SNAP with OUI 0 carrying IPv4. */
    struct frame_spec s = tcp_spec;
    uint8_t ip[128];
    size_t n = frame_build(ip, &s);
    buf[14] = 0xaa;
    buf[15] = 0xaa;
    buf[16] = 0x03;
    buf[17] = buf[18] = buf[19] = 0;
    fr_wr16(buf + 20, ETH_TYPE_IP);
    memcpy(buf + 22, ip + 14, n - 14);
    struct flow_layout lay;
    assert_int_equal(extract(buf, n + 8, &k, &lay), 0);
    assert_int_equal(k.dl_type, ETH_TYPE_IP);
    assert_int_equal(k.tp_dst, 80);
    assert_int_equal(lay.l3, 22);

    assert_int_equal(lay.nw_frag, 0);

    /* SNAP type 0x0800 but no valid IPv4 header (version 0) whose "flags"
     * bytes have MF set: the key keeps the L2 fields, and the frame is not
     * a fragment (issue 12: OFPC_FRAG_DROP dropped such frames). */
    uint8_t saved[20];
    memcpy(saved, buf + 22, sizeof saved);
    memset(buf + 22, 0, 20);
    buf[22 + 6] = 0x20;
    assert_int_equal(extract(buf, n + 8, &k, &lay), -EBADMSG);
    assert_int_equal(k.dl_type, ETH_TYPE_IP);
    assert_int_equal(k.nw_proto, 0);
    assert_int_equal(lay.l3, 22);
    assert_int_equal(lay.nw_frag, 0);
    memcpy(buf + 22, saved, sizeof saved);

    buf[19] = 1;                            /* Other OUI. */
    assert_int_equal(extract(buf, n + 8, &k, NULL), 0);
    assert_int_equal(k.dl_type, FLOW_DL_TYPE_NONE);
    assert_int_equal(k.nw_src, 0);

    buf[19] = 0;                            /* SNAP type < 0x600. */
    fr_wr16(buf + 20, 0x0100);
    assert_int_equal(extract(buf, n + 8, &k, NULL), 0);
    assert_int_equal(k.dl_type, FLOW_DL_TYPE_NONE);
}

static void
test_bad_ip(void **state)
{
    (void) state;
    uint8_t buf[256];
    size_t n = frame_build(buf, &tcp_spec);
    struct flow_key k;
    buf[14] = 0x44;                         /* IHL 4: invalid. */
    assert_int_equal(extract(buf, n, &k, NULL), -EBADMSG);
    assert_int_equal(k.dl_type, ETH_TYPE_IP);
    assert_int_equal(k.nw_src, 0);
    buf[14] = 0x4f;                         /* IHL 60 > what is left? no: n=74 */
    assert_int_equal(extract(buf, 14 + 40, &k, NULL), -EBADMSG);
    buf[14] = 0x65;                         /* Version 6 with type 0x0800. */
    assert_int_equal(extract(buf, n, &k, NULL), -EBADMSG);
}

/* Every prefix of every frame kind: the right code, never an over-read. */
static void
test_truncations(void **state)
{
    (void) state;
    static const uint8_t protos[] = { IP_PROTO_TCP, IP_PROTO_UDP, IP_PROTO_ICMP, 47 };
    for (int tagged = 0; tagged < 2; tagged++) {
        for (size_t i = 0; i < ARRAY_SIZE(protos); i++) {
            struct frame_spec s = tcp_spec;
            s.vlan = tagged ? 7 : -1;
            s.proto = protos[i];
            s.payload = 0;
            uint8_t buf[256];
            size_t n = frame_build(buf, &s);
            size_t l3 = tagged ? 18 : 14;
            size_t need = protos[i] == IP_PROTO_TCP ? 20 : protos[i] == IP_PROTO_UDP ? 8
                          : protos[i] == IP_PROTO_ICMP ? 4 : 0;
            for (size_t len = 0; len <= n; len++) {
                struct flow_key k;
                int error = extract(buf, len, &k, NULL);
                if (len < 14) {
                    assert_int_equal(error, -EINVAL);
                    assert_int_equal(k.in_port, 7);
                    assert_int_equal(k.dl_vlan, FLOW_VLAN_NONE);
                } else if (len >= l3 + 20 + need) {
                    assert_int_equal(error, 0);
                    assert_int_equal(k.nw_proto, protos[i]);
                } else {
                    assert_int_equal(error, -EBADMSG);
                }
            }
        }
    }
}

static void
test_short_vlan(void **state)
{
    (void) state;
    uint8_t buf[18] = {0};
    fr_wr16(buf + 12, ETH_TYPE_VLAN);
    struct flow_key k;
    for (size_t len = 14; len < 18; len++) {
        assert_int_equal(extract(buf, len, &k, NULL), -EBADMSG);
        assert_int_equal(k.dl_vlan, FLOW_VLAN_NONE);
    }
    assert_int_equal(extract(buf, 18, &k, NULL), 0);
    assert_int_equal(k.dl_vlan, 0);
    assert_int_equal(k.dl_type, FLOW_DL_TYPE_NONE);  /* Inner "type" 0. */
}

/* Random bytes: no crash, padding stays zero. */
static void
test_random(void **state)
{
    (void) state;
    srand(42);
    for (int i = 0; i < 20000; i++) {
        uint8_t buf[96];
        size_t len = (size_t) rand() % sizeof buf;
        for (size_t j = 0; j < len; j++) {
            buf[j] = (uint8_t) rand();
        }
        if (len > 13 && rand() % 2) {
            fr_wr16(buf + 12, rand() % 2 ? ETH_TYPE_IP : ETH_TYPE_VLAN);
        }
        struct flow_key k;
        int error = extract(buf, len, &k, NULL);
        assert_true(error == 0 || error == -EINVAL || error == -EBADMSG);
        for (int j = 0; j < 7; j++) {
            assert_int_equal(k.pad[j], 0);
        }
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tcp_untagged),
        cmocka_unit_test(test_vlan_udp),
        cmocka_unit_test(test_icmp),
        cmocka_unit_test(test_fragments),
        cmocka_unit_test(test_arp),
        cmocka_unit_test(test_802_3),
        cmocka_unit_test(test_bad_ip),
        cmocka_unit_test(test_truncations),
        cmocka_unit_test(test_short_vlan),
        cmocka_unit_test(test_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
