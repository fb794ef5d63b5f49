/* Unit tests: buffer-track (grants by age, quota, take, reuse of nodes)
 * xid-map (requests, sent messages in a ring, retiring, overflow,
 * forgetting an owner) and flow-track's open-addressing table against a
 * reference (random adds and removals). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>
#include <stdlib.h>
#include "ofp/ofp-wire.h"
#include "slice/buffer-track.h"
#include "slice/flow-track.h"
#include "slice/xid-map.h"

static struct ofp_match_h
match_of(uint16_t in_port)
{
    struct ofp_match_h m;
    memset(&m, 0, sizeof m);
    m.in_port = in_port;
    return m;
}

static void
test_buffers(void **state)
{
    (void) state;
    struct buffer_track bt;
    struct ofp_match_h m = match_of(1), got;
    buffer_track_init(&bt);
    for (uint32_t i = 0; i < 4; i++) {
        assert_true(buffer_track_grant(&bt, 100 + i, &m, 1000 + i, 4));
    }
    assert_false(buffer_track_grant(&bt, 200, &m, 1010, 4));       /* Quota. */
    assert_true(buffer_track_grant(&bt, 101, &m, 1011, 4));        /* Reused id. */
    assert_int_equal(buffer_track_count(&bt), 4);
    assert_true(buffer_track_take(&bt, 102, &got));
    assert_false(buffer_track_take(&bt, 102, &got));
    assert_false(buffer_track_take(&bt, 999, &got));
    /* Age order: 100 (1000), 103 (1003), 101 (1011). */
    buffer_track_expire(&bt, 5999, 5000);
    assert_int_equal(buffer_track_count(&bt), 3);
    buffer_track_expire(&bt, 6000, 5000);                         /* 100: 5 s old. */
    assert_int_equal(buffer_track_count(&bt), 2);
    buffer_track_expire(&bt, 6004, 5000);
    assert_int_equal(buffer_track_count(&bt), 1);
    assert_true(buffer_track_take(&bt, 101, &got));
    assert_int_equal(got.in_port, 1);
    /* Many grants and takes reuse at most `quota` nodes. */
    for (uint32_t i = 0; i < 100000; i++) {
        assert_true(buffer_track_grant(&bt, i, &m, 7000, 8));
        if (i % 2) {
            assert_true(buffer_track_take(&bt, i, &got));
        } else {
            buffer_track_expire(&bt, 12001, 5000);
        }
    }
    buffer_track_clear(&bt);
    assert_int_equal(buffer_track_count(&bt), 0);
    buffer_track_destroy(&bt);
}

static void
test_xid_requests(void **state)
{
    (void) state;
    struct xid_map m;
    int owner_a, owner_b;
    xid_map_init(&m);
    struct xid_req *r1 = xid_map_request(&m, &owner_a, 7, 3, 1000);
    struct xid_req *r2 = xid_map_request(&m, &owner_b, 8, 4, 2000);
    uint32_t x1 = r1->info.new_xid;
    assert_true(r1->info.new_xid < XID_MAP_SENT_BIT);
    assert_ptr_equal(xid_map_find_request(&m, r2->info.new_xid), r2);
    assert_int_equal(xid_map_find_request(&m, r1->info.new_xid)->info.orig_xid, 7);
    xid_map_expire(&m, 31000, 30000);          /* r1 exactly 30 s old. */
    assert_null(xid_map_find_request(&m, x1));
    assert_non_null(xid_map_find_request(&m, r2->info.new_xid));
    xid_map_forget_owner(&m, &owner_b);
    assert_int_equal(xid_map_n_requests(&m), 0);
    xid_map_destroy(&m);
}

static void
test_xid_sent(void **state)
{
    (void) state;
    struct xid_map m;
    int a, b;
    uint32_t xids[1000];
    xid_map_init(&m);
    for (uint32_t i = 0; i < 1000; i++) {
        struct xid_info *x = xid_map_send(&m, i % 2 ? &a : &b, i);
        x->priority = (uint16_t) i;
        xids[i] = x->new_xid;
        assert_true(xids[i] & XID_MAP_SENT_BIT);
    }
    for (uint32_t i = 0; i < 1000; i++) {
        struct xid_info *x = xid_map_find_sent(&m, xids[i]);
        assert_non_null(x);
        assert_int_equal(x->orig_xid, i);
        assert_int_equal(x->priority, i);
    }
    assert_null(xid_map_find_sent(&m, xids[999] + 1));
    assert_null(xid_map_find_sent(&m, 0x12345));
    /* Retiring: everything sent before the barrier is forgotten. */
    assert_true(xid_map_retire_due(&m));
    uint32_t bx = xid_map_retire_start(&m, 5000);
    assert_false(xid_map_retire_due(&m));
    struct xid_info *late = xid_map_send(&m, &a, 4242);
    uint32_t late_xid = late->new_xid;
    xid_map_retired(&m, xid_map_find_request(&m, bx));
    assert_null(xid_map_find_sent(&m, xids[500]));
    assert_int_equal(xid_map_find_sent(&m, late_xid)->orig_xid, 4242);
    assert_int_equal(xid_map_n_sent(&m), 1);
    xid_map_forget_owner(&m, &a);
    assert_null(xid_map_find_sent(&m, late_xid));
    /* A switch that never answers: the ring stops at XID_MAP_SENT_MAX. */
    for (uint32_t i = 0; i < XID_MAP_SENT_MAX + 10; i++) {
        xid_map_send(&m, &b, i);
    }
    assert_int_equal(xid_map_n_sent(&m), XID_MAP_SENT_MAX);
    assert_int_equal(m.overflow, 11);
    xid_map_destroy(&m);
}

static struct ofp_match_h
flow_key(int k)
{
    struct ofp_match_h m;
    ofp_match_init_catchall(&m);
    m.wildcards &= ~(uint32_t) (OFPFW_IN_PORT | OFPFW_DL_SRC);
    m.in_port = (uint16_t) (1 + k % 7);
    m.dl_src[4] = (uint8_t) (k >> 8);
    m.dl_src[5] = (uint8_t) k;
    return m;
}

static void
test_flow_track_reference(void **state)
{
    (void) state;
    enum { N = 3000 };
    static bool ref[N];
    struct flow_track ft;
    size_t count = 0;
    srand(12);
    flow_track_init(&ft);
    for (int round = 0; round < 200000; round++) {
        int k = rand() % N;
        struct ofp_match_h m = flow_key(k);
        uint16_t prio = (uint16_t) (k % 3);
        bool wants;
        if (rand() % 3) {
            assert_int_equal(flow_track_would_add(&ft, OFPFC_ADD, &m, prio), !ref[k]);
            assert_int_equal(flow_track_apply(&ft, OFPFC_ADD, &m, prio, k & 1), !ref[k]);
            count += !ref[k];
            ref[k] = true;
        } else {
            assert_int_equal(flow_track_removed(&ft, &m, prio, &wants), ref[k]);
            if (ref[k]) {
                assert_int_equal(wants, k & 1);
                count--;
            }
            ref[k] = false;
        }
        assert_int_equal(flow_track_count(&ft), count);
    }
    for (int k = 0; k < N; k++) {
        struct ofp_match_h m = flow_key(k);
        assert_int_equal(flow_track_would_add(&ft, OFPFC_ADD, &m, (uint16_t) (k % 3)), !ref[k]);
    }
    flow_track_clear(&ft);
    assert_int_equal(flow_track_count(&ft), 0);
    flow_track_destroy(&ft);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buffers),
        cmocka_unit_test(test_xid_requests),
        cmocka_unit_test(test_xid_sent),
        cmocka_unit_test(test_flow_track_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
