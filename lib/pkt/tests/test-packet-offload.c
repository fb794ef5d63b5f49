/* Tests for packet-offload: completing partial checksums, header rewrites
 * on frames with a partial checksum, and software GSO, each checked by
 * recomputing checksums from scratch (frames.h). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "pkt/packet-edit.h"
#include "pkt/packet-offload.h"
#include "tests/frames.h"
#include "util/util.h"

#define HEADROOM 8

static const struct frame_spec base = {
    .dst = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55},
    .src = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee},
    .vlan = -1, .dl_type = ETH_TYPE_IP, .proto = IP_PROTO_TCP,
    .nw_src = 0x0a000001, .nw_dst = 0x0a000002, .tp_src = 40000, .tp_dst = 5201,
    .payload = 100,
};

struct tpkt {
    struct packet p;
    uint8_t *block;
};

/* A frame (valid checksums) in a heap block with HEADROOM before it. */
static void
tpkt_init(struct tpkt *t, const struct frame_spec *s)
{
    static uint8_t buf[70000];
    size_t n = frame_build(buf, s);
    t->block = xmalloc(HEADROOM + n);
    memcpy(t->block + HEADROOM, buf, n);
    t->p = (struct packet) { .data = t->block + HEADROOM, .len = (uint32_t) n,
                             .room = (uint32_t) n, .headroom = HEADROOM };
}

static void
tpkt_free(struct tpkt *t)
{
    free(t->p.storage);
    free(t->block);
}

static uint32_t
l3_of(const struct packet *p)
{
    return fr_rd16(p->data + 12) == ETH_TYPE_VLAN ? 18 : 14;
}

/* Turns the frame's valid L4 checksum into what Linux hands over with
 * CHECKSUM_PARTIAL: the folded, uncomplemented pseudo-header sum. */
static void
make_partial(struct packet *p)
{
    uint32_t l3 = l3_of(p);
    const uint8_t *ip = p->data + l3;
    uint32_t ihl = (ip[0] & 0xfu) * 4;
    uint8_t proto = ip[9];
    uint8_t ph[12];
    memcpy(ph, ip + 12, 8);
    ph[8] = 0;
    ph[9] = proto;
    fr_wr16(ph + 10, (uint16_t) (fr_rd16(ip + 2) - ihl));
    uint16_t pseudo = (uint16_t) ~csum_finish(csum_partial(ph, 12, 0));
    p->ol_flags = PACKET_OL_CSUM;
    p->csum_start = (uint16_t) (l3 + ihl);
    p->csum_offset = proto == IP_PROTO_TCP ? 16 : 6;
    fr_wr16(p->data + p->csum_start + p->csum_offset, pseudo);
}

static void
test_csum_complete(void **state)
{
    (void) state;
    static const uint8_t protos[] = { IP_PROTO_TCP, IP_PROTO_UDP };
    for (size_t i = 0; i < 2; i++) {
        for (int vlan = -1; vlan <= 5; vlan += 6) {
            struct frame_spec s = base;
            s.proto = protos[i];
            s.vlan = vlan;
            struct tpkt t;
            tpkt_init(&t, &s);
            make_partial(&t.p);
            assert_false(l4_csum_ok(t.p.data + l3_of(&t.p)));
            assert_int_equal(packet_ol_finish(&t.p), 0);
            assert_int_equal(t.p.ol_flags, 0);
            assert_true(l4_csum_ok(t.p.data + l3_of(&t.p)));
            tpkt_free(&t);
        }
    }
    /* Offsets past the frame: refused, frame unchanged. */
    struct tpkt t;
    tpkt_init(&t, &base);
    t.p.ol_flags = PACKET_OL_CSUM;
    t.p.csum_start = (uint16_t) (t.p.len - 10);
    t.p.csum_offset = 16;
    assert_int_equal(packet_ol_csum_complete(&t.p), -EINVAL);
    assert_int_equal(t.p.ol_flags, PACKET_OL_CSUM);
    tpkt_free(&t);
}

/* Every rewrite on a partial-checksum frame, then completion, gives the
 * same bytes as the same rewrites on a complete frame. */
static void
test_edit_partial(void **state)
{
    (void) state;
    static const uint8_t protos[] = { IP_PROTO_TCP, IP_PROTO_UDP };
    for (size_t i = 0; i < 2; i++) {
        struct frame_spec s = base;
        s.proto = protos[i];
        struct tpkt full, part;
        tpkt_init(&full, &s);
        tpkt_init(&part, &s);
        make_partial(&part.p);
        for (struct packet *p = &full.p; p; p = p == &full.p ? &part.p : NULL) {
            assert_int_equal(packet_set_nw_src(p, 0xc0a80101), 0);
            assert_int_equal(packet_set_nw_dst(p, 0x0a0000fe), 0);
            assert_int_equal(packet_set_nw_tos(p, 0x10), 0);
            assert_int_equal(packet_set_tp_src(p, 1234), 0);
            assert_int_equal(packet_set_tp_dst(p, 8080), 0);
            assert_int_equal(packet_set_vlan_vid(p, 42), 0);   /* Push. */
        }
        assert_int_equal(part.p.csum_start, 18 + 20);   /* Followed the push. */
        assert_int_equal(packet_ol_csum_complete(&part.p), 0);
        assert_int_equal(part.p.len, full.p.len);
        assert_memory_equal(part.p.data, full.p.data, full.p.len);
        assert_true(l4_csum_ok(part.p.data + 18));
        /* And a strip moves csum_start back. */
        make_partial(&part.p);
        uint16_t start = part.p.csum_start;
        assert_int_equal(packet_strip_vlan(&part.p), 0);
        assert_int_equal(part.p.csum_start, start - 4);
        assert_int_equal(packet_ol_csum_complete(&part.p), 0);
        assert_true(l4_csum_ok(part.p.data + 14));
        tpkt_free(&full);
        tpkt_free(&part);
    }
}

static void
make_gso(struct packet *p, uint8_t type, uint16_t gso_size)
{
    make_partial(p);
    p->ol_flags |= PACKET_OL_GSO;
    p->gso_type = type;
    p->gso_size = gso_size;
}

static void
test_segment_tcp(void **state)
{
    (void) state;
    for (int vlan = -1; vlan <= 7; vlan += 8) {
        struct frame_spec s = base;
        s.payload = 5000;
        s.vlan = vlan;
        struct tpkt t;
        tpkt_init(&t, &s);
        uint32_t l3 = l3_of(&t.p);
        uint8_t *l4 = t.p.data + l3 + 20;
        fr_wr32(l4 + 4, 0xfffff000);                /* Sequence wraps. */
        l4[13] = 0x10 | 0x08 | 0x01 | 0x80;        /* ACK PSH FIN CWR. */
        fr_wr16(l4 + 16, 0);
        fr_wr16(l4 + 16, l4_csum(t.p.data + l3, l4, 20 + s.payload, IP_PROTO_TCP));
        make_gso(&t.p, PACKET_GSO_TCPV4 | PACKET_GSO_ECN, 1448);
        t.p.in_port = 3;
        struct packet *segs[8];
        unsigned int n;
        assert_int_equal(packet_ol_segment(&t.p, segs, 8, &n), 0);
        assert_int_equal(n, 4);                     /* 3 x 1448 + 656. */
        uint32_t off = 0;
        for (unsigned int i = 0; i < n; i++) {
            struct packet *g = segs[i];
            uint8_t *ip = g->data + l3, *tcp = ip + 20;
            uint32_t plen = i < 3 ? 1448 : 656;
            assert_int_equal(g->len, l3 + 40 + plen);
            assert_int_equal(g->ol_flags, 0);
            assert_int_equal(g->in_port, 3);
            assert_int_equal(fr_rd16(ip + 2), 40 + plen);
            assert_int_equal(fr_rd16(ip + 4), (uint16_t) (0x1234 + i));
            assert_true(ip_csum_ok(ip));
            assert_true(l4_csum_ok(ip));
            uint32_t seq = (uint32_t) fr_rd16(tcp + 4) << 16 | fr_rd16(tcp + 6);
            assert_int_equal(seq, (uint32_t) (0xfffff000u + off));
            uint8_t want = 0x10 | (i == 3 ? 0x09 : 0) | (i == 0 ? 0x80 : 0);
            assert_int_equal(tcp[13], want);
            assert_memory_equal(tcp + 20, t.p.data + l3 + 40 + off, plen);
            assert_memory_equal(g->data, t.p.data, l3);
            off += plen;
            packet_destroy(g);
        }
        assert_int_equal(packet_ol_segment(&t.p, segs, 3, &n), -E2BIG);
        assert_int_equal(n, 0);
        tpkt_free(&t);
    }
}

static void
test_segment_udp_and_errors(void **state)
{
    (void) state;
    struct frame_spec s = base;
    s.proto = IP_PROTO_UDP;
    s.payload = 3000;
    struct tpkt t;
    tpkt_init(&t, &s);
    make_gso(&t.p, PACKET_GSO_UDP_L4, 1400);
    struct packet *segs[4];
    unsigned int n;
    assert_int_equal(packet_ol_segment(&t.p, segs, 4, &n), 0);
    assert_int_equal(n, 3);
    for (unsigned int i = 0; i < n; i++) {
        uint8_t *ip = segs[i]->data + 14;
        uint32_t plen = i < 2 ? 1400 : 200;
        assert_int_equal(fr_rd16(ip + 20 + 4), 8 + plen);
        assert_true(ip_csum_ok(ip));
        assert_true(l4_csum_ok(ip));
        packet_destroy(segs[i]);
    }
    /* UFO, a TCPv6 type on an IPv4 frame, gso_size 0, a csum_start that
     * is not the L4 header: refused. */
    t.p.gso_type = PACKET_GSO_UDP;
    assert_int_equal(packet_ol_segment(&t.p, segs, 4, &n), -EINVAL);
    t.p.gso_type = PACKET_GSO_TCPV6;
    assert_int_equal(packet_ol_segment(&t.p, segs, 4, &n), -EINVAL);
    t.p.gso_type = PACKET_GSO_UDP_L4;
    t.p.gso_size = 0;
    assert_int_equal(packet_ol_segment(&t.p, segs, 4, &n), -EINVAL);
    t.p.gso_size = 1400;
    t.p.csum_start = 30;
    assert_int_equal(packet_ol_segment(&t.p, segs, 4, &n), -EINVAL);
    assert_int_equal(packet_ol_finish(&t.p), 1);
    tpkt_free(&t);
}

static void
test_clone_keeps_state(void **state)
{
    (void) state;
    struct tpkt t;
    tpkt_init(&t, &base);
    make_gso(&t.p, PACKET_GSO_TCPV4, 1000);
    struct packet *c = packet_clone(&t.p);
    assert_int_equal(c->ol_flags, PACKET_OL_CSUM | PACKET_OL_GSO);
    assert_int_equal(c->csum_start, t.p.csum_start);
    assert_int_equal(c->csum_offset, 16);
    assert_int_equal(c->gso_size, 1000);
    assert_int_equal(c->gso_type, PACKET_GSO_TCPV4);
    assert_int_equal(packet_ol_header_len(c), 54);
    packet_destroy(c);
    tpkt_free(&t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csum_complete),
        cmocka_unit_test(test_edit_partial),
        cmocka_unit_test(test_segment_tcp),
        cmocka_unit_test(test_segment_udp_and_errors),
        cmocka_unit_test(test_clone_keeps_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
