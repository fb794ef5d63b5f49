/* upcall-queue: weighted DRR across slices, bounded queues with per-slice
 * drop counts, FIFO order inside a slice, copies owned by the items. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "dp/upcall-queue.h"

static void
push_n(struct upcall_queue *q, uint32_t slice, int n, int *pushed)
{
    uint8_t frame[60];
    memset(frame, 0, sizeof frame);
    struct packet p = { .data = frame, .len = sizeof frame, .room = sizeof frame };
    struct flow_key key;
    memset(&key, 0, sizeof key);
    for (int i = 0; i < n; i++) {
        frame[0] = (uint8_t) i;
        if (upcall_queue_push(q, slice, &p, &key, 1, 0, 128)) {
            (*pushed)++;
        }
    }
}

static void
test_weights(void **state)
{
    (void) state;
    struct upcall_queue *q = upcall_queue_create(100);
    upcall_queue_set_weight(q, 1, 1);
    upcall_queue_set_weight(q, 2, 3);
    int pushed = 0;
    push_n(q, 1, 100, &pushed);
    push_n(q, 2, 100, &pushed);
    assert_int_equal(pushed, 200);
    int got[3] = { 0, 0, 0 };
    int last_seq[3] = { -1, -1, -1 };
    for (int i = 0; i < 80; i++) {
        struct upcall_item it;
        assert_true(upcall_queue_pop(q, &it));
        got[it.slice]++;
        assert_true(it.pkt->data[0] > last_seq[it.slice] || last_seq[it.slice] < 0);
        last_seq[it.slice] = it.pkt->data[0];
        packet_destroy(it.pkt);
    }
    /* 1:3 while both are backlogged. */
    assert_int_equal(got[1], 20);
    assert_int_equal(got[2], 60);
    assert_int_equal(upcall_queue_backlog(q), 120);
    upcall_queue_destroy(q);        /* Frees what is left (ASan checks). */
}

static void
test_overflow_is_per_slice(void **state)
{
    (void) state;
    struct upcall_queue *q = upcall_queue_create(10);
    int pushed = 0;
    push_n(q, 5, 50, &pushed);          /* A flood fills only its queue. */
    assert_int_equal(pushed, 10);
    pushed = 0;
    push_n(q, 6, 3, &pushed);           /* Another slice still gets in. */
    assert_int_equal(pushed, 3);
    struct upcall_queue_stats st;
    upcall_queue_get_stats(q, 5, &st);
    assert_int_equal(st.dropped, 40);
    assert_int_equal(st.waiting, 10);
    upcall_queue_get_stats(q, 6, &st);
    assert_int_equal(st.dropped, 0);
    /* Equal weights: the small slice is served within the first rounds. */
    int seen6 = 0;
    for (int i = 0; i < 6; i++) {
        struct upcall_item it;
        assert_true(upcall_queue_pop(q, &it));
        seen6 += it.slice == 6;
        packet_destroy(it.pkt);
    }
    assert_int_equal(seen6, 3);
    upcall_queue_destroy(q);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weights),
        cmocka_unit_test(test_overflow_is_per_slice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
