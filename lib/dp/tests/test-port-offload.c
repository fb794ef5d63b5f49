/* Unit tests: frames carrying offload state (partial checksum, GSO
 * super-frame) reaching a port without PORT_OL_VNET (port_send() finishes
 * them in software) and the controller (upcalls get wire frames). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "dp/datapath.h"
#include "dp/port.h"
#include "pkt/packet-offload.h"
#include "pkt/tests/frames.h"
#include "util/buf.h"
#include "util/util.h"

static const struct frame_spec tcp_spec = {
    .dst = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55},
    .src = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee},
    .vlan = -1, .dl_type = ETH_TYPE_IP, .proto = IP_PROTO_TCP,
    .nw_src = 0x0a000001, .nw_dst = 0x0a000002, .tp_src = 40000, .tp_dst = 5201,
    .payload = 5000,
};

static uint8_t frame_buf[8192];

/* A TCP frame of `payload` bytes with the partial checksum Linux hands
 * over (pseudo-header sum in the field); a super-frame if gso_size. */
static struct packet
offloaded_frame(uint16_t payload, uint16_t gso_size)
{
    struct frame_spec s = tcp_spec;
    s.payload = payload;
    size_t n = frame_build(frame_buf, &s);
    uint8_t *ip = frame_buf + 14;
    uint8_t ph[12];
    memcpy(ph, ip + 12, 8);
    ph[8] = 0;
    ph[9] = IP_PROTO_TCP;
    fr_wr16(ph + 10, (uint16_t) (n - 34));
    fr_wr16(ip + 20 + 16, (uint16_t) ~csum_finish(csum_partial(ph, 12, 0)));
    struct packet p = { .data = frame_buf, .len = (uint32_t) n, .room = (uint32_t) n,
                        .ol_flags = PACKET_OL_CSUM, .csum_start = 34, .csum_offset = 16 };
    if (gso_size) {
        p.ol_flags |= PACKET_OL_GSO;
        p.gso_type = PACKET_GSO_TCPV4;
        p.gso_size = gso_size;
    }
    return p;
}

static void
test_send_finishes_in_software(void **state)
{
    (void) state;
    struct port *port;
    assert_int_equal(port_open("dummy:p1", &port), 0);
    assert_int_equal(port_offloads(port), 0);

    struct packet p = offloaded_frame(300, 0);
    struct packet *pp = &p;
    assert_int_equal(port_send(port, &pp, 1), 1);
    assert_int_equal(p.ol_flags, 0);          /* Completed in place. */
    struct buf out;
    buf_init(&out, 0);
    assert_int_equal(port_dummy_pop_sent(port, &out), 0);
    assert_int_equal(out.size, 14 + 20 + 20 + 300);
    assert_true(l4_csum_ok((const uint8_t *) out.data + 14));

    /* A super-frame (5000 bytes of payload, 1448 per segment) between two
     * ordinary frames: 1 + 4 + 1 frames, in order. */
    struct frame_spec s = tcp_spec;
    s.payload = 10;
    uint8_t small[128];
    size_t small_len = frame_build(small, &s);
    struct packet a = { .data = small, .len = (uint32_t) small_len, .room = (uint32_t) small_len };
    struct packet g = offloaded_frame(5000, 1448);
    struct packet *three[] = { &a, &g, &a };
    assert_int_equal(port_send(port, three, 3), 3);
    assert_int_equal(g.ol_flags, PACKET_OL_CSUM | PACKET_OL_GSO);  /* Untouched. */
    static const size_t want[] = { 10, 1448, 1448, 1448, 656, 10 };
    for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
        assert_int_equal(port_dummy_pop_sent(port, &out), 0);
        assert_int_equal(out.size, 54 + want[i]);
        assert_true(ip_csum_ok((const uint8_t *) out.data + 14));
        assert_true(l4_csum_ok((const uint8_t *) out.data + 14));
    }
    assert_int_equal(port_dummy_pop_sent(port, &out), -EAGAIN);

    /* What cannot be segmented (UFO) is counted, not sent. */
    struct packet u = offloaded_frame(3000, 1400);
    u.gso_type = PACKET_GSO_UDP;
    struct packet *up = &u;
    assert_int_equal(port_send(port, &up, 1), 0);

    struct port_stats st;
    port_get_stats(port, &st);
    assert_int_equal(st.tx_csum_sw, 1);
    assert_int_equal(st.tx_gso_sw, 1);
    assert_int_equal(st.tx_errors, 1);
    assert_int_equal(st.tx_packets, 7);
    buf_uninit(&out);
    port_close(port);
}

struct upcalls {
    unsigned int n;
    size_t lens[8];
    bool csum_ok[8];
};

static void
record_upcall(const struct dp_upcall *u, void *aux)
{
    struct upcalls *r = aux;
    if (r->n < ARRAY_SIZE(r->lens)) {
        r->lens[r->n] = u->packet->len;
        r->csum_ok[r->n] = u->packet->ol_flags == 0
                           && l4_csum_ok(u->packet->data + 14);
    }
    r->n++;
}

static void
test_upcall_gets_wire_frames(void **state)
{
    (void) state;
    struct datapath *dp = dp_create(0);
    assert_int_equal(dp_port_add(dp, "dummy:po1", 1), 1);
    assert_int_equal(dp_port_add(dp, "dummy:po2", 2), 2);
    dp_set_miss_mode(dp, DP_MISS_UPCALL);
    struct upcalls r = { 0 };
    dp_set_upcall_cb(dp, record_upcall, &r);

    struct packet p = offloaded_frame(300, 0);
    struct packet_batch b = { .n = 1, .pkts = { &p } };
    dp_process_batch(dp, 1, &b);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.lens[0], 354);
    assert_true(r.csum_ok[0]);

    r.n = 0;
    struct packet g = offloaded_frame(3000, 1448);
    b = (struct packet_batch) { .n = 1, .pkts = { &g } };
    dp_process_batch(dp, 1, &b);
    assert_int_equal(r.n, 3);                 /* 1448 + 1448 + 104. */
    assert_int_equal(r.lens[0], 54 + 1448);
    assert_int_equal(r.lens[2], 54 + 104);
    for (unsigned int i = 0; i < 3; i++) {
        assert_true(r.csum_ok[i]);
    }
    dp_destroy(dp);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_send_finishes_in_software),
        cmocka_unit_test(test_upcall_gets_wire_frames),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
