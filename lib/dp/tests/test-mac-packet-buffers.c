/* MAC learning (per-VLAN, moves, aging, capacity, multicast) and packet
 * buffers (ids, single use, stale ids, full pool, timeout). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>
#include "dp/mac-learning.h"
#include "dp/packet-buffers.h"

static void
test_mac_learning(void **state)
{
    (void) state;
    struct mac_learning *ml = mac_learning_create(10, 3);
    uint8_t a[6] = {2, 0, 0, 0, 0, 1}, b[6] = {2, 0, 0, 0, 0, 2};
    uint8_t c[6] = {2, 0, 0, 0, 0, 3}, d[6] = {2, 0, 0, 0, 0, 4};
    uint8_t mc[6] = {1, 0, 0x5e, 0, 0, 1};
    assert_true(mac_learning_learn(ml, a, 0, 1, 1000));
    assert_false(mac_learning_learn(ml, a, 0, 1, 1500));      /* Refresh. */
    assert_true(mac_learning_learn(ml, a, 0, 2, 2000));       /* Moved. */
    assert_int_equal(mac_learning_lookup(ml, a, 0, 2000), 2);
    assert_int_equal(mac_learning_lookup(ml, a, 5, 2000), MAC_LEARNING_NO_PORT);
    assert_true(mac_learning_learn(ml, a, 5, 3, 2000));       /* Other VLAN. */
    assert_int_equal(mac_learning_lookup(ml, a, 5, 2000), 3);
    assert_false(mac_learning_learn(ml, mc, 0, 1, 2000));
    assert_int_equal(mac_learning_count(ml), 2);

    /* Capacity 3: the least recently refreshed goes. */
    assert_true(mac_learning_learn(ml, b, 0, 1, 3000));
    assert_true(mac_learning_learn(ml, c, 0, 1, 4000));
    assert_int_equal(mac_learning_count(ml), 3);
    assert_int_equal(mac_learning_lookup(ml, a, 0, 4000), MAC_LEARNING_NO_PORT);

    /* Aging: 10 s idle. */
    assert_int_equal(mac_learning_lookup(ml, b, 0, 12999), 1);
    assert_int_equal(mac_learning_lookup(ml, b, 0, 13000), MAC_LEARNING_NO_PORT);
    assert_int_equal(mac_learning_expire(ml, 13000), 2);      /* a@5 and b. */
    assert_int_equal(mac_learning_count(ml), 1);
    mac_learning_learn(ml, d, 0, 4, 13000);
    mac_learning_flush_port(ml, 1);
    assert_int_equal(mac_learning_count(ml), 1);
    assert_int_equal(mac_learning_lookup(ml, d, 0, 13000), 4);
    mac_learning_destroy(ml);
    mac_learning_destroy(NULL);
}

static void
test_packet_buffers(void **state)
{
    (void) state;
    struct packet_buffers *pb = packet_buffers_create();
    uint8_t frame[60] = {1, 2, 3};
    struct packet p = { .data = frame, .len = sizeof frame, .room = sizeof frame };
    uint32_t ids[PACKET_BUFFERS_SLOTS];
    for (unsigned int i = 0; i < PACKET_BUFFERS_SLOTS; i++) {
        frame[3] = (uint8_t) i;
        ids[i] = packet_buffers_save(pb, &p, (uint16_t) i, 1000);
        assert_int_not_equal(ids[i], PACKET_BUFFERS_NONE);
    }
    assert_int_equal(packet_buffers_count(pb), PACKET_BUFFERS_SLOTS);
    /* Full of young packets. */
    assert_int_equal(packet_buffers_save(pb, &p, 1, 2000), PACKET_BUFFERS_NONE);

    struct packet *got;
    uint16_t in_port;
    assert_int_equal(packet_buffers_take(pb, ids[7], &got, &in_port), 0);
    assert_int_equal(in_port, 7);
    assert_int_equal(got->len, 60);
    assert_int_equal(got->data[3], 7);
    assert_true(got->headroom >= 4);
    packet_destroy(got);
    assert_int_equal(packet_buffers_take(pb, ids[7], &got, &in_port), -ENOENT);
    assert_null(got);

    /* The freed slot is reused with a new id; the old id stays empty. */
    uint32_t id = packet_buffers_save(pb, &p, 9, 2000);
    assert_int_not_equal(id, PACKET_BUFFERS_NONE);
    assert_int_not_equal(id, ids[7]);
    assert_int_equal(id & (PACKET_BUFFERS_SLOTS - 1), ids[7] & (PACKET_BUFFERS_SLOTS - 1));
    assert_int_equal(packet_buffers_take(pb, ids[7], &got, &in_port), -ENOENT);
    assert_int_equal(packet_buffers_take(pb, id + (100u << PACKET_BUFFERS_BITS), &got, &in_port), -EINVAL);

    /* After the timeout old packets are overwritten or expired. */
    assert_int_not_equal(packet_buffers_save(pb, &p, 1, 1000 + PACKET_BUFFERS_TIMEOUT_MS), PACKET_BUFFERS_NONE);
    packet_buffers_expire(pb, 1000 + PACKET_BUFFERS_TIMEOUT_MS);
    assert_int_equal(packet_buffers_count(pb), 2);
    assert_int_equal(packet_buffers_take(pb, ids[100], &got, &in_port), -ENOENT);
    assert_int_equal(packet_buffers_take(pb, id, &got, &in_port), 0);
    packet_destroy(got);
    packet_buffers_destroy(pb);
    packet_buffers_destroy(NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mac_learning),
        cmocka_unit_test(test_packet_buffers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
