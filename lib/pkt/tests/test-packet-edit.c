/* Unit tests for packet-edit: each set-field action, VLAN push/pop with and
 * without headroom, and checksums after random edit sequences verified by
 * full recomputation. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>
#include "frames.h"
#include "pkt/packet-edit.h"

static const struct frame_spec base = {
    .dst = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55},
    .src = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee},
    .vlan = -1, .dl_type = ETH_TYPE_IP, .tos = 0x03, .proto = IP_PROTO_TCP,
    .nw_src = 0x0a000001, .nw_dst = 0xc0a80102, .tp_src = 12345, .tp_dst = 80,
    .payload = 33,
};

/* A packet over a heap block with `headroom` bytes before the frame. */
struct tpkt {
    struct packet p;
    uint8_t *block;
};

static void
tpkt_init(struct tpkt *t, const struct frame_spec *s, uint16_t headroom)
{
    uint8_t buf[512];
    size_t n = frame_build(buf, s);
    t->block = xmalloc(headroom + n);
    memcpy(t->block + headroom, buf, n);
    t->p = (struct packet) { .data = t->block + headroom, .len = (uint32_t) n,
                             .room = (uint32_t) n, .headroom = headroom };
}

static void
tpkt_free(struct tpkt *t)
{
    free(t->p.storage);
    free(t->block);
}

static uint8_t *
ip_of(struct packet *p)
{
    struct flow_key k;
    struct flow_layout lay;
    flow_extract(p, 0, &k, &lay);
    return lay.l3 ? p->data + lay.l3 : NULL;
}

static void
extract_ok(struct packet *p, struct flow_key *k)
{
    assert_int_equal(flow_extract(p, 1, k, NULL), 0);
}

static void
test_nw_and_tp(void **state)
{
    (void) state;
    static const uint8_t protos[] = { IP_PROTO_TCP, IP_PROTO_UDP };
    for (size_t i = 0; i < 2; i++) {
        struct frame_spec s = base;
        s.proto = protos[i];
        struct tpkt t;
        tpkt_init(&t, &s, 0);
        struct flow_key k;
        assert_int_equal(packet_set_nw_src(&t.p, 0x01020304), 0);
        assert_int_equal(packet_set_nw_dst(&t.p, 0xfffefdfc), 0);
        assert_int_equal(packet_set_nw_tos(&t.p, 0xff), 0);
        assert_int_equal(packet_set_tp_src(&t.p, 1), 0);
        assert_int_equal(packet_set_tp_dst(&t.p, 65535), 0);
        extract_ok(&t.p, &k);
        assert_int_equal(k.nw_src, 0x01020304);
        assert_int_equal(k.nw_dst, 0xfffefdfc);
        assert_int_equal(k.nw_tos, 0xfc);
        assert_int_equal(k.tp_src, 1);
        assert_int_equal(k.tp_dst, 65535);
        uint8_t *ip = ip_of(&t.p);
        assert_int_equal(ip[1] & 3, 3);             /* ECN kept. */
        assert_true(ip_csum_ok(ip));
        assert_true(l4_csum_ok(ip));
        tpkt_free(&t);
    }
}

static void
test_udp_zero_csum(void **state)
{
    (void) state;
    struct frame_spec s = base;
    s.proto = IP_PROTO_UDP;
    s.udp_no_csum = true;
    struct tpkt t;
    tpkt_init(&t, &s, 0);
    assert_int_equal(packet_set_nw_src(&t.p, 0x01020304), 0);
    assert_int_equal(packet_set_tp_dst(&t.p, 53), 0);
    uint8_t *ip = ip_of(&t.p);
    assert_int_equal(fr_rd16(ip + 20 + 6), 0);
    assert_true(ip_csum_ok(ip));
    tpkt_free(&t);
}

static void
test_not_applicable(void **state)
{
    (void) state;
    struct frame_spec s = base;
    s.dl_type = ETH_TYPE_ARP;
    struct tpkt t;
    tpkt_init(&t, &s, 0);
    assert_int_equal(packet_set_nw_src(&t.p, 1), -ENOENT);
    assert_int_equal(packet_set_tp_src(&t.p, 1), -ENOENT);
    assert_int_equal(packet_strip_vlan(&t.p), -ENOENT);
    tpkt_free(&t);

    s = base;
    s.proto = IP_PROTO_ICMP;
    tpkt_init(&t, &s, 0);
    assert_int_equal(packet_set_tp_src(&t.p, 1), -ENOENT);
    assert_int_equal(packet_set_nw_dst(&t.p, 9), 0);
    assert_true(ip_csum_ok(ip_of(&t.p)));
    tpkt_free(&t);

    s = base;
    s.frag = 100;                               /* Later fragment. */
    tpkt_init(&t, &s, 0);
    assert_int_equal(packet_set_tp_src(&t.p, 1), -ENOENT);
    assert_int_equal(packet_set_nw_src(&t.p, 9), 0);
    assert_true(ip_csum_ok(ip_of(&t.p)));
    tpkt_free(&t);

    uint8_t tiny[10] = {0};
    struct packet p = { .data = tiny, .len = 10, .room = 10 };
    assert_int_equal(packet_set_dl_src(&p, tiny), -EINVAL);
    assert_int_equal(packet_set_vlan_vid(&p, 1), -EINVAL);
    assert_int_equal(packet_strip_vlan(&p), -EINVAL);
    assert_int_equal(packet_set_nw_tos(&p, 1), -EINVAL);
}

static void
test_vlan(void **state)
{
    (void) state;
    for (uint16_t headroom = 0; headroom <= 8; headroom += 8) {
        struct tpkt t;
        tpkt_init(&t, &base, headroom);
        uint32_t len0 = t.p.len;
        struct flow_key k;
        assert_int_equal(packet_set_vlan_pcp(&t.p, 6), 0);     /* Push. */
        assert_int_equal(t.p.len, len0 + 4);
        extract_ok(&t.p, &k);
        assert_int_equal(k.dl_vlan, 0);
        assert_int_equal(k.dl_vlan_pcp, 6);
        assert_int_equal(k.tp_dst, 80);
        assert_memory_equal(k.dl_src, base.src, 6);
        if (headroom) {
            assert_null(t.p.storage);
            assert_int_equal(t.p.headroom, headroom - 4);
        } else {
            assert_non_null(t.p.storage);
        }
        assert_int_equal(packet_set_vlan_vid(&t.p, 0xabc), 0);  /* Modify. */
        assert_int_equal(t.p.len, len0 + 4);
        extract_ok(&t.p, &k);
        assert_int_equal(k.dl_vlan, 0xabc);
        assert_int_equal(k.dl_vlan_pcp, 6);
        assert_int_equal(packet_strip_vlan(&t.p), 0);
        assert_int_equal(t.p.len, len0);
        extract_ok(&t.p, &k);
        assert_int_equal(k.dl_vlan, FLOW_VLAN_NONE);
        assert_int_equal(k.tp_dst, 80);
        assert_true(l4_csum_ok(ip_of(&t.p)));
        assert_int_equal(packet_set_vlan_vid(&t.p, 5), 0);      /* Push vid. */
        extract_ok(&t.p, &k);
        assert_int_equal(k.dl_vlan, 5);
        assert_int_equal(k.dl_vlan_pcp, 0);
        tpkt_free(&t);
    }
}

static void
test_vlan_tailroom(void **state)
{
    (void) state;
    uint8_t buf[128];
    size_t n = frame_build(buf, &base);
    struct packet p = { .data = buf, .len = (uint32_t) n, .room = sizeof buf };
    assert_int_equal(packet_set_vlan_vid(&p, 9), 0);
    assert_ptr_equal(p.data, buf);
    assert_null(p.storage);
    struct flow_key k;
    extract_ok(&p, &k);
    assert_int_equal(k.dl_vlan, 9);
    assert_int_equal(k.tp_src, 12345);
}

static void
test_dl(void **state)
{
    (void) state;
    struct tpkt t;
    tpkt_init(&t, &base, 0);
    static const uint8_t a[6] = {1, 2, 3, 4, 5, 6}, b[6] = {6, 5, 4, 3, 2, 1};
    assert_int_equal(packet_set_dl_src(&t.p, a), 0);
    assert_int_equal(packet_set_dl_dst(&t.p, b), 0);
    struct flow_key k;
    extract_ok(&t.p, &k);
    assert_memory_equal(k.dl_src, a, 6);
    assert_memory_equal(k.dl_dst, b, 6);
    tpkt_free(&t);
}

/* Random frames, random edit sequences: checksums always verify and the
 * key reflects exactly the edits made. */
static void
test_random_checksums(void **state)
{
    (void) state;
    srand(7);
    for (int iter = 0; iter < 5000; iter++) {
        struct frame_spec s = base;
        s.vlan = rand() % 3 ? -1 : rand() & 0xffff;
        s.proto = rand() % 2 ? IP_PROTO_TCP : IP_PROTO_UDP;
        s.tos = (uint8_t) rand();
        s.nw_src = (uint32_t) rand() * 2654435761u;
        s.nw_dst = (uint32_t) rand();
        s.tp_src = (uint16_t) rand();
        s.tp_dst = (uint16_t) rand();
        s.payload = (uint16_t) (rand() % 100);
        s.udp_no_csum = rand() % 5 == 0;
        struct tpkt t;
        tpkt_init(&t, &s, (uint16_t) (rand() % 2 ? 0 : 64));
        struct flow_key want;
        extract_ok(&t.p, &want);
        for (int e = 0; e < 6; e++) {
            uint32_t v = (uint32_t) rand() * 2246822519u;
            switch (rand() % 8) {
            case 0: packet_set_nw_src(&t.p, v); want.nw_src = v; break;
            case 1: packet_set_nw_dst(&t.p, v); want.nw_dst = v; break;
            case 2: packet_set_nw_tos(&t.p, (uint8_t) v); want.nw_tos = v & 0xfc; break;
            case 3: packet_set_tp_src(&t.p, (uint16_t) v); want.tp_src = (uint16_t) v; break;
            case 4: packet_set_tp_dst(&t.p, (uint16_t) v); want.tp_dst = (uint16_t) v; break;
            case 5: packet_set_vlan_vid(&t.p, v & 0xfff);
                    if (want.dl_vlan == FLOW_VLAN_NONE) { want.dl_vlan_pcp = 0; }
                    want.dl_vlan = v & 0xfff; break;
            case 6: packet_set_vlan_pcp(&t.p, v & 7);
                    if (want.dl_vlan == FLOW_VLAN_NONE) { want.dl_vlan = 0; }
                    want.dl_vlan_pcp = v & 7; break;
            case 7: packet_strip_vlan(&t.p);
                    want.dl_vlan = FLOW_VLAN_NONE; want.dl_vlan_pcp = 0; break;
            }
        }
        struct flow_key got;
        extract_ok(&t.p, &got);
        assert_true(flow_key_equal(&got, &want));
        uint8_t *ip = ip_of(&t.p);
        assert_true(ip_csum_ok(ip));
        assert_true(l4_csum_ok(ip));
        if (s.proto == IP_PROTO_UDP) {
            uint16_t c = fr_rd16(ip + 26);
            assert_true(s.udp_no_csum ? c == 0 : c != 0);
        }
        tpkt_free(&t);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nw_and_tp),
        cmocka_unit_test(test_udp_zero_csum),
        cmocka_unit_test(test_not_applicable),
        cmocka_unit_test(test_vlan),
        cmocka_unit_test(test_vlan_tailroom),
        cmocka_unit_test(test_dl),
        cmocka_unit_test(test_random_checksums),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
