/* Unit tests: the dummy port (inject -> recv, send -> pop_sent, link
 * changes, limits, counters) through the generic port.h API. */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "dp/port.h"
#include "util/buf.h"

static int
setup(void **state)
{
    struct port *port;
    assert_int_equal(port_open("dummy:p1", &port), 0);
    *state = port;
    return 0;
}

static int
teardown(void **state)
{
    port_close(*state);
    return 0;
}

/* A frame of `len` bytes whose content depends on `seq`. */
static void
make_frame(uint8_t *frame, size_t len, unsigned int seq)
{
    for (size_t i = 0; i < len; i++) {
        frame[i] = (uint8_t) (seq * 31 + i * 7);
    }
}

static bool
readable(int fd)
{
    struct pollfd pfd = { .fd = fd, .events = POLLIN };
    return poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN);
}

static void
test_inject_recv_intact(void **state)
{
    struct port *port = *state;
    struct packet_batch batch;
    uint8_t frame[1514];

    assert_false(readable(port_wait_fd(port)));
    assert_int_equal(port_recv(port, &batch), 0);
    for (unsigned int i = 0; i < 3; i++) {
        make_frame(frame, 60 + i * 500, i);
        assert_int_equal(port_dummy_inject(port, frame, 60 + i * 500), 0);
    }
    assert_true(readable(port_wait_fd(port)));
    assert_int_equal(port_recv(port, &batch), 3);
    assert_int_equal(batch.n, 3);
    for (unsigned int i = 0; i < 3; i++) {
        struct packet *p = batch.pkts[i];
        make_frame(frame, 60 + i * 500, i);
        assert_int_equal(p->len, 60 + i * 500);
        assert_memory_equal(p->data, frame, p->len);
        assert_true(p->headroom >= PACKET_HEADROOM_WANTED);
        assert_true(p->room >= p->len);
        assert_null(p->storage);
        /* Headroom is writable (a VLAN push). */
        memset(p->data - 4, 0xab, 4);
    }
    port_recv_done(port, &batch);
    assert_false(readable(port_wait_fd(port)));
    assert_int_equal(port_recv(port, &batch), 0);

    struct port_stats s;
    port_get_stats(port, &s);
    assert_int_equal(s.rx_packets, 3);
    assert_int_equal(s.rx_bytes, 60 + 560 + 1060);
    assert_int_equal(s.rx_dropped, 0);
}

static void
test_batches_of_64(void **state)
{
    struct port *port = *state;
    struct packet_batch batch;
    uint8_t frame[64];
    for (unsigned int i = 0; i < 150; i++) {
        make_frame(frame, sizeof frame, i);
        assert_int_equal(port_dummy_inject(port, frame, sizeof frame), 0);
    }
    unsigned int expect[] = { 64, 64, 22, 0 }, seq = 0;
    for (unsigned int b = 0; b < 4; b++) {
        assert_int_equal(port_recv(port, &batch), expect[b]);
        for (unsigned int i = 0; i < batch.n; i++, seq++) {
            make_frame(frame, sizeof frame, seq);
            assert_memory_equal(batch.pkts[i]->data, frame, sizeof frame);
        }
        port_recv_done(port, &batch);
    }
    assert_int_equal(seq, 150);
}

static void
test_send_pop_in_order(void **state)
{
    struct port *port = *state;
    uint8_t frames[5][100];
    struct packet pkts[5];
    struct packet *ptrs[5];
    for (unsigned int i = 0; i < 5; i++) {
        make_frame(frames[i], 20 + i * 20, 100 + i);
        memset(&pkts[i], 0, sizeof pkts[i]);
        pkts[i].data = frames[i];
        pkts[i].len = pkts[i].room = 20 + i * 20;
        ptrs[i] = &pkts[i];
    }
    assert_int_equal(port_send(port, ptrs, 5), 5);
    memset(frames, 0, sizeof frames);   /* The port copied them. */

    struct buf b;
    buf_init(&b, 0);
    for (unsigned int i = 0; i < 5; i++) {
        uint8_t expect[100];
        make_frame(expect, 20 + i * 20, 100 + i);
        assert_int_equal(port_dummy_pop_sent(port, &b), 0);
        assert_int_equal(b.size, 20 + i * 20);
        assert_memory_equal(b.data, expect, b.size);
    }
    assert_int_equal(port_dummy_pop_sent(port, &b), -EAGAIN);
    buf_uninit(&b);

    struct port_stats s;
    port_get_stats(port, &s);
    assert_int_equal(s.tx_packets, 5);
    assert_int_equal(s.tx_bytes, 20 + 40 + 60 + 80 + 100);
    assert_int_equal(s.tx_dropped, 0);
}

static void
test_link_changes(void **state)
{
    struct port *port = *state;
    bool up;
    int link_fd = port_link_wait_fd(port);
    assert_true(link_fd >= 0);
    assert_true(port_is_link_up(port));
    assert_int_equal(port_poll_link_change(port, &up), 0);
    assert_true(up);
    assert_false(readable(link_fd));

    assert_int_equal(port_dummy_set_link(port, false), 0);
    assert_true(readable(link_fd));
    assert_false(port_is_link_up(port));
    assert_int_equal(port_poll_link_change(port, &up), 1);
    assert_false(up);
    assert_false(readable(link_fd));
    assert_int_equal(port_poll_link_change(port, &up), 0);

    /* A down link receives and sends nothing. */
    uint8_t frame[60] = { 0 };
    assert_int_equal(port_dummy_inject(port, frame, sizeof frame), -ENETDOWN);
    struct packet pkt = { .data = frame, .len = 60, .room = 60 };
    struct packet *ptr = &pkt;
    assert_int_equal(port_send(port, &ptr, 1), 0);
    struct port_stats s;
    port_get_stats(port, &s);
    assert_int_equal(s.rx_dropped, 1);
    assert_int_equal(s.tx_errors, 1);

    assert_int_equal(port_dummy_set_link(port, true), 0);
    assert_int_equal(port_poll_link_change(port, &up), 1);
    assert_true(up);

    /* Admin down is a change too (OFPPC_PORT_DOWN). */
    assert_int_equal(port_set_admin_up(port, false), 0);
    assert_false(port_is_admin_up(port));
    assert_int_equal(port_poll_link_change(port, &up), 1);
    assert_false(up);
    assert_int_equal(port_set_admin_up(port, true), 0);
    assert_int_equal(port_poll_link_change(port, &up), 1);
    assert_true(up);
}

static void
test_limits(void **state)
{
    struct port *port = *state;
    uint8_t frame[64] = { 0 };
    assert_int_equal(port_dummy_inject(port, frame, 13), -EINVAL);
    assert_int_equal(port_dummy_inject(port, frame, 65536), -EINVAL);
    assert_int_equal(port_dummy_inject(NULL, frame, 60), -EINVAL);
    assert_int_equal(port_dummy_set_link(NULL, true), -EINVAL);

    for (unsigned int i = 0; i < PORT_DUMMY_QUEUE_MAX; i++) {
        assert_int_equal(port_dummy_inject(port, frame, 60), 0);
    }
    assert_int_equal(port_dummy_inject(port, frame, 60), -ENOBUFS);
    struct port_stats s;
    port_get_stats(port, &s);
    assert_int_equal(s.rx_dropped, 1);

    /* The sent queue keeps the newest PORT_DUMMY_QUEUE_MAX frames. */
    struct packet pkt = { .data = frame, .len = 60, .room = 60 };
    struct packet *ptr = &pkt;
    for (unsigned int i = 0; i < PORT_DUMMY_QUEUE_MAX + 2; i++) {
        frame[0] = (uint8_t) i;
        assert_int_equal(port_send(port, &ptr, 1), 1);
    }
    port_get_stats(port, &s);
    assert_int_equal(s.tx_dropped, 2);
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(port_dummy_pop_sent(port, &b), 0);
    assert_int_equal(((uint8_t *) b.data)[0], 2);
    buf_uninit(&b);
    /* Closing with frames queued frees them (checked under ASan). */
}

static void
test_device_info(void **state)
{
    struct port *port = *state;
    uint8_t mac[6], mac2[6];
    assert_int_equal(port_get_mac(port, mac), 0);
    assert_int_equal(mac[0] & 0x03, 0x02);     /* Local, unicast. */
    struct port *other;
    assert_int_equal(port_open("dummy:p2", &other), 0);
    assert_int_equal(port_get_mac(other, mac2), 0);
    assert_memory_not_equal(mac, mac2, 6);
    port_close(other);
    assert_int_equal(port_open("dummy:p1", &other), 0);
    assert_int_equal(port_get_mac(other, mac2), 0);
    assert_memory_equal(mac, mac2, 6);         /* Stable per name. */
    port_close(other);

    int mtu;
    assert_int_equal(port_get_mtu(port, &mtu), 0);
    assert_int_equal(mtu, 1500);
    struct port_features f;
    assert_int_equal(port_get_features(port, &f), 0);
    assert_int_equal(f.speed_mbps, 10000);
    assert_true(f.curr & PORT_F_10GB_FD);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_inject_recv_intact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batches_of_64, setup, teardown),
        cmocka_unit_test_setup_teardown(test_send_pop_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_device_info, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
