/* Unit tests: the per-slice DRR scheduler — VLAN classification, bounded
 * queues with drop counters, byte shares that converge to the weights under
 * overload, and a flooding slice that cannot starve another. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "dp/datapath.h"
#include "dp/port.h"
#include "dp/slice-sched.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/util.h"

static struct packet *
make_packet(int vlan, uint32_t len)
{
    struct packet *p = calloc(1, sizeof *p);
    p->storage = calloc(1, len);
    p->data = p->storage;
    p->len = p->room = len;
    if (vlan >= 0) {
        p->data[12] = 0x81;
        p->data[13] = 0x00;
        p->data[14] = (uint8_t) (vlan >> 8);
        p->data[15] = (uint8_t) vlan;
        p->data[16] = 0x08;
    } else {
        p->data[12] = 0x08;
    }
    return p;
}

static void
free_packet(struct packet *p, void *aux)
{
    int *count = aux;
    if (count) {
        (*count)++;
    }
    free(p->storage);
    free(p);
}

static void
test_classify_and_bounds(void **state)
{
    (void) state;
    int released = 0;
    struct slice_sched *s = slice_sched_create(4, 0, free_packet, &released);
    assert_int_equal(slice_sched_map_vlan(s, 10, 1), 0);
    assert_int_equal(slice_sched_map_vlan(s, 20, 2), 0);
    assert_int_equal(slice_sched_map_vlan(s, 0xffff, 3), 0);
    assert_int_equal(slice_sched_map_vlan(s, 5000, 1), -EINVAL);
    assert_int_equal(slice_sched_map_vlan(s, 10, SLICE_SCHED_MAX_SLICES), -EINVAL);
    assert_int_equal(slice_sched_set_weight(s, 1, 0), -EINVAL);

    struct packet *p = make_packet(10, 100);
    assert_int_equal(slice_sched_classify(s, p), 1);
    free_packet(p, NULL);
    p = make_packet(-1, 100);
    assert_int_equal(slice_sched_classify(s, p), 3);
    free_packet(p, NULL);
    p = make_packet(30, 100);
    assert_int_equal(slice_sched_classify(s, p), 0);
    free_packet(p, NULL);
    /* An 802.1ad service tag (0x88a8) is an outer tag too, not untagged. */
    p = make_packet(20, 100);
    p->data[12] = 0x88;
    p->data[13] = 0xa8;
    assert_int_equal(slice_sched_classify(s, p), 2);
    free_packet(p, NULL);

    /* Capacity 4: the fifth is refused and counted; the caller keeps it. */
    for (int i = 0; i < 4; i++) {
        assert_true(slice_sched_enqueue(s, make_packet(10, 100)));
    }
    p = make_packet(10, 100);
    assert_false(slice_sched_enqueue(s, p));
    assert_int_equal(p->slice, 1);
    free_packet(p, NULL);
    struct slice_sched_stats st;
    assert_int_equal(slice_sched_get_stats(s, 1, &st), 0);
    assert_int_equal(st.drops, 1);
    assert_int_equal(st.queued, 4);
    assert_int_equal(st.rx_packets, 4);
    assert_int_equal(slice_sched_backlog(s), 4);
    /* FIFO order within a slice; then empty. */
    struct packet_batch b;
    packet_batch_init(&b);
    assert_int_equal(slice_sched_dequeue(s, &b, 64), 4);
    assert_int_equal(slice_sched_dequeue(s, &b, 64), 0);
    for (unsigned i = 0; i < b.n; i++) {
        free_packet(b.pkts[i], NULL);
    }
    /* Destroy releases what is still queued. */
    assert_true(slice_sched_enqueue(s, make_packet(20, 60)));
    assert_true(slice_sched_enqueue(s, make_packet(-1, 60)));
    slice_sched_destroy(s);
    assert_int_equal(released, 2);
    slice_sched_destroy(NULL);
}

/* Keeps every listed slice backlogged, dequeues `rounds` batches, and
 * returns the bytes sent per slice. */
static void
run_overload(struct slice_sched *s, const int *vlans, const uint32_t *sizes,
             size_t n, int rounds, uint64_t *bytes)
{
    for (int r = 0; r < rounds; r++) {
        for (size_t i = 0; i < n; i++) {
            /* Offer until the queue is full: always backlogged. */
            for (;;) {
                struct packet *p = make_packet(vlans[i], sizes[i]);
                if (!slice_sched_enqueue(s, p)) {
                    free_packet(p, NULL);
                    break;
                }
            }
        }
        struct packet_batch b;
        packet_batch_init(&b);
        slice_sched_dequeue(s, &b, 32);
        for (unsigned i = 0; i < b.n; i++) {
            for (size_t k = 0; k < n; k++) {
                if (slice_sched_classify(s, b.pkts[i]) == (uint32_t) (k + 1)) {
                    bytes[k] += b.pkts[i]->len;
                }
            }
            free_packet(b.pkts[i], NULL);
        }
    }
}

static void
test_shares_follow_weights(void **state)
{
    (void) state;
    struct slice_sched *s = slice_sched_create(256, 0, free_packet, NULL);
    const int vlans[] = { 10, 20, 30 };
    const uint32_t sizes[] = { 1500, 64, 600 };    /* Sizes differ on purpose. */
    const uint32_t weights[] = { 1, 2, 3 };
    for (int i = 0; i < 3; i++) {
        slice_sched_map_vlan(s, (uint16_t) vlans[i], (uint32_t) i + 1);
        slice_sched_set_weight(s, (uint32_t) i + 1, weights[i]);
    }
    uint64_t bytes[3] = { 0 };
    run_overload(s, vlans, sizes, 3, 20000, bytes);
    uint64_t total = bytes[0] + bytes[1] + bytes[2];
    for (int i = 0; i < 3; i++) {
        double share = (double) bytes[i] / (double) total;
        double want = weights[i] / 6.0;
        printf("# slice %d weight %u: byte share %.4f (weight share %.4f)\n",
               i + 1, weights[i], share, want);
        assert_true(share > want - 0.01 && share < want + 0.01);
    }
    struct slice_sched_stats st;
    slice_sched_get_stats(s, 2, &st);
    assert_true(st.drops > 0);          /* It really was overloaded. */
    assert_int_equal(st.weight, 2);
    slice_sched_destroy(s);
}

static void
test_flood_cannot_starve(void **state)
{
    (void) state;
    struct slice_sched *s = slice_sched_create(128, 0, free_packet, NULL);
    slice_sched_map_vlan(s, 10, 1);
    slice_sched_map_vlan(s, 20, 2);
    uint64_t b_sent = 0, b_offered = 0, a_sent = 0;
    for (int r = 0; r < 5000; r++) {
        /* Slice 1 floods: 200 frames per round, far beyond what is served. */
        for (int k = 0; k < 200; k++) {
            struct packet *p = make_packet(10, 1500);
            if (!slice_sched_enqueue(s, p)) {
                free_packet(p, NULL);
            }
        }
        /* Slice 2 sends a modest 4 frames per round. */
        for (int k = 0; k < 4; k++) {
            struct packet *p = make_packet(20, 1500);
            b_offered++;
            assert_true(slice_sched_enqueue(s, p));
        }
        struct packet_batch b;
        packet_batch_init(&b);
        slice_sched_dequeue(s, &b, 16);
        for (unsigned i = 0; i < b.n; i++) {
            if (b.pkts[i]->slice == 2) {
                b_sent++;
            } else {
                a_sent++;
            }
            free_packet(b.pkts[i], NULL);
        }
    }
    struct slice_sched_stats a, bst;
    slice_sched_get_stats(s, 1, &a);
    slice_sched_get_stats(s, 2, &bst);
    printf("# flood: slice 1 sent %llu dropped %llu; slice 2 offered %llu sent %llu dropped %llu queued %zu\n",
           (unsigned long long) a_sent, (unsigned long long) a.drops,
           (unsigned long long) b_offered, (unsigned long long) b_sent,
           (unsigned long long) bst.drops, bst.queued);
    assert_int_equal(bst.drops, 0);
    assert_true(bst.queued <= 4);
    assert_true(b_sent + bst.queued == b_offered);
    assert_true(a.drops > 0);
    /* The flooder still gets the rest of the capacity. */
    assert_true(a_sent > b_sent);
    slice_sched_charge_cpu(s, 1, 1000);
    slice_sched_get_stats(s, 1, &a);
    assert_int_equal(a.cpu_ns, 1000);
    slice_sched_destroy(s);
}

static void
test_batch_limit_keeps_turn(void **state)
{
    (void) state;
    struct slice_sched *s = slice_sched_create(64, 64 * 10, free_packet, NULL);
    slice_sched_map_vlan(s, 1, 1);
    slice_sched_map_vlan(s, 2, 2);
    for (int i = 0; i < 20; i++) {
        assert_true(slice_sched_enqueue(s, make_packet(1, 64)));
        assert_true(slice_sched_enqueue(s, make_packet(2, 64)));
    }
    /* Quantum = 10 frames; batches of 3 must not reset the turn. */
    uint32_t order[40];
    size_t n = 0;
    while (slice_sched_backlog(s)) {
        struct packet_batch b;
        packet_batch_init(&b);
        slice_sched_dequeue(s, &b, 3);
        for (unsigned i = 0; i < b.n; i++) {
            order[n++] = b.pkts[i]->slice;
            free_packet(b.pkts[i], NULL);
        }
    }
    assert_int_equal(n, 40);
    for (size_t i = 0; i < 40; i++) {
        assert_int_equal(order[i], (i / 10) % 2 ? 2 : 1);
    }
    slice_sched_destroy(s);
}

static void
release_clone(struct packet *p, void *aux)
{
    (void) aux;
    packet_destroy(p);
}

/* A caller that serves a small budget per pass and flushes the rest (what
 * the datapath does): shares still follow the weights (1:3). */
static void
test_budget_and_flush(void **state)
{
    (void) state;
    struct slice_sched *s = slice_sched_create(64, 0, free_packet, NULL);
    slice_sched_map_vlan(s, 10, 1);
    slice_sched_map_vlan(s, 20, 2);
    slice_sched_set_weight(s, 2, 3);
    uint64_t sent[3] = { 0 };
    for (int pass = 0; pass < 5000; pass++) {
        /* Interleaved arrivals, slice 1 first half the time. */
        for (int k = 0; k < 32; k++) {
            int first = (pass + k) % 2 ? 10 : 20;
            slice_sched_enqueue(s, make_packet(first, 142));
            slice_sched_enqueue(s, make_packet(first == 10 ? 20 : 10, 142));
        }
        struct packet_batch b;
        packet_batch_init(&b);
        slice_sched_dequeue(s, &b, 16);
        for (unsigned i = 0; i < b.n; i++) {
            sent[b.pkts[i]->slice]++;
            free_packet(b.pkts[i], NULL);
        }
        slice_sched_flush(s);
    }
    double share1 = (double) sent[1] / (double) (sent[1] + sent[2]);
    printf("# budget 16/pass + flush, weights 1:3: slice 1 share %.4f, slice 2 share %.4f\n",
           share1, 1 - share1);
    assert_true(share1 > 0.24 && share1 < 0.26);
    slice_sched_destroy(s);
}

/* The scheduler inside the datapath: slice 1 floods port 1, slice 2 sends
 * a little on port 2, both forwarded to port 3; the datapath may forward
 * only 32 frames per dp_run_once().  Slice 2 loses nothing. */
static void
test_datapath_integration(void **state)
{
    (void) state;
    struct datapath *dp = dp_create(0);
    struct port *ports[4];
    for (int i = 1; i <= 3; i++) {
        char spec[32];
        snprintf(spec, sizeof spec, "dummy:ssd%d", i);
        assert_int_equal(dp_port_add(dp, spec, 0), i);
        ports[i] = dp_port_get(dp, (uint16_t) i);
    }
    for (uint16_t in = 1; in <= 2; in++) {
        struct ofp_action out = ofp_action_output(3, 0);
        struct ofp_flow_mod_h fm;
        struct ofp_error err;
        memset(&fm, 0, sizeof fm);
        ofp_match_init_catchall(&fm.match);
        fm.match.wildcards &= ~(uint32_t) OFPFW_IN_PORT;
        fm.match.in_port = in;
        fm.command = OFPFC_ADD;
        fm.buffer_id = OFP_NO_BUFFER;
        fm.out_port = OFPP_NONE;
        fm.actions = &out;
        fm.n_actions = 1;
        assert_int_equal(flow_table_apply(dp_flow_table(dp), &fm, &err), 0);
    }
    struct slice_sched *s = slice_sched_create(64, 0, release_clone, NULL);
    slice_sched_map_vlan(s, 10, 1);
    slice_sched_map_vlan(s, 20, 2);
    dp_set_slice_sched(dp, s, 32);
    assert_ptr_equal(dp_slice_sched(dp), s);

    struct packet *f10 = make_packet(10, 200), *f20 = make_packet(20, 200);
    uint64_t sent2 = 0, sent1 = 0;
    struct buf b = BUF_EMPTY;
    for (int round = 0; round < 200; round++) {
        for (int k = 0; k < 64; k++) {
            port_dummy_inject(ports[1], f10->data, f10->len);
        }
        for (int k = 0; k < 8; k++) {
            port_dummy_inject(ports[2], f20->data, f20->len);
        }
        dp_run_once(dp);
        while (port_dummy_pop_sent(ports[3], &b) == 0) {
            if (b.size >= 16 && b.data[15] == 20) {
                sent2++;
            } else {
                sent1++;
            }
        }
    }
    struct slice_sched_stats st1, st2;
    slice_sched_get_stats(s, 1, &st1);
    slice_sched_get_stats(s, 2, &st2);
    printf("# datapath: slice 1 forwarded %llu dropped %llu cpu %llu ns; "
           "slice 2 forwarded %llu dropped %llu cpu %llu ns\n",
           (unsigned long long) sent1, (unsigned long long) st1.drops,
           (unsigned long long) st1.cpu_ns, (unsigned long long) sent2,
           (unsigned long long) st2.drops, (unsigned long long) st2.cpu_ns);
    assert_int_equal(sent2, 200 * 8);       /* Every frame of slice 2. */
    assert_int_equal(st2.drops, 0);
    assert_int_equal(sent1, 200 * 32 - 200 * 8);   /* The rest of the budget. */
    assert_true(st1.drops > 0);
    assert_int_equal(st1.tx_packets, sent1);
    buf_uninit(&b);
    free_packet(f10, NULL);
    free_packet(f20, NULL);
    dp_set_slice_sched(dp, NULL, 0);
    dp_destroy(dp);
    slice_sched_destroy(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify_and_bounds),
        cmocka_unit_test(test_shares_follow_weights),
        cmocka_unit_test(test_flood_cannot_starve),
        cmocka_unit_test(test_batch_limit_keeps_turn),
        cmocka_unit_test(test_budget_and_flush),
        cmocka_unit_test(test_datapath_integration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
