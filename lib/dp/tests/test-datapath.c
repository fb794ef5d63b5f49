/* The datapath end to end over dummy ports: forwarding, counters, cache,
 * every output kind, copy-on-edit between outputs, NORMAL learning, port
 * config bits, misses and upcalls (buffering, rate limit, miss modes),
 * PACKET_OUT with OFPP_TABLE, malformed frames, fragment dropping. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>
#include "dp/datapath.h"
#include "dp/flow-match.h"
#include "pkt/tests/frames.h"
#include "util/buf.h"
#include "util/clock.h"

#define N_PORTS 3

struct fixture {
    struct datapath *dp;
    struct port *ports[N_PORTS + 1];
    int n_upcalls;
    struct dp_upcall last;          /* packet/key pointers not kept. */
    uint32_t last_len;
};

static void
on_upcall(const struct dp_upcall *u, void *aux)
{
    struct fixture *f = aux;
    f->n_upcalls++;
    f->last = *u;
    f->last.packet = NULL;
    f->last.key = NULL;
    f->last_len = u->packet->len;
}

static int
setup(void **state)
{
    struct fixture *f = xzalloc(sizeof *f);
    clock_stop();
    f->dp = dp_create(0);
    for (int i = 1; i <= N_PORTS; i++) {
        char spec[32];
        snprintf(spec, sizeof spec, "dummy:dpt%d", i);
        assert_int_equal(dp_port_add(f->dp, spec, 0), i);
        f->ports[i] = dp_port_get(f->dp, (uint16_t) i);
    }
    dp_set_upcall_cb(f->dp, on_upcall, f);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    dp_destroy(f->dp);
    free(f);
    clock_resume();
    return 0;
}

static const uint8_t mac_a[6] = {0x02, 0, 0, 0, 0, 0xa};
static const uint8_t mac_b[6] = {0x02, 0, 0, 0, 0, 0xb};

static size_t
make_frame(uint8_t *buf, const uint8_t *src, const uint8_t *dst, uint16_t tp_dst)
{
    struct frame_spec s = {
        .vlan = -1, .dl_type = ETH_TYPE_IP, .proto = IP_PROTO_UDP,
        .nw_src = 0x0a000001, .nw_dst = 0x0a000002, .tp_src = 1000,
        .tp_dst = tp_dst, .payload = 18,
    };
    memcpy(s.src, src, 6);
    memcpy(s.dst, dst, 6);
    return frame_build(buf, &s);
}

static void
inject(struct fixture *f, int port, int n, uint16_t tp_dst)
{
    uint8_t buf[128];
    size_t len = make_frame(buf, mac_a, mac_b, tp_dst);
    for (int i = 0; i < n; i++) {
        assert_int_equal(port_dummy_inject(f->ports[port], buf, len), 0);
    }
}

/* Frames sent on `port` since last asked; the last one in *last. */
static int
drain(struct fixture *f, int port, struct buf *last)
{
    struct buf b;
    buf_init(&b, 0);
    int n = 0;
    while (port_dummy_pop_sent(f->ports[port], &b) == 0) {
        n++;
        if (last) {
            buf_clear(last);
            buf_put(last, b.data, b.size);
        }
    }
    buf_uninit(&b);
    return n;
}

static void
add_flow(struct fixture *f, const struct ofp_match_h *m, uint16_t priority,
         const struct ofp_action *acts, size_t n)
{
    struct ofp_flow_mod_h fm;
    memset(&fm, 0, sizeof fm);
    fm.match = *m;
    fm.command = OFPFC_ADD;
    fm.priority = priority;
    fm.buffer_id = OFP_NO_BUFFER;
    fm.out_port = OFPP_NONE;
    fm.actions = (struct ofp_action *) acts;
    fm.n_actions = n;
    struct ofp_error err;
    assert_int_equal(flow_table_apply(dp_flow_table(f->dp), &fm, &err), 0);
}

static void
match_in_port(struct ofp_match_h *m, uint16_t in_port)
{
    memset(m, 0, sizeof *m);
    m->wildcards = OFPFW_ALL & ~(uint32_t) OFPFW_IN_PORT;
    m->in_port = in_port;
}

static struct ofp_action
act_out(uint16_t port)
{
    struct ofp_action a;
    memset(&a, 0, sizeof a);
    a.type = OFPAT_OUTPUT;
    a.output.port = port;
    a.output.max_len = 128;
    return a;
}

static void
test_forward_and_counters(void **state)
{
    struct fixture *f = *state;
    struct ofp_match_h m;
    match_in_port(&m, 1);
    struct ofp_action a = act_out(2);
    add_flow(f, &m, 10, &a, 1);
    inject(f, 1, 100, 53);
    int total = 0, got;
    while ((got = dp_run_once(f->dp)) > 0) {
        total += got;
    }
    assert_int_equal(total, 100);
    assert_int_equal(drain(f, 2, NULL), 100);
    assert_int_equal(drain(f, 3, NULL), 0);
    assert_int_equal(drain(f, 1, NULL), 0);
    size_t n;
    struct ofp_match_h all;
    memset(&all, 0, sizeof all);
    all.wildcards = OFPFW_ALL;
    struct flow_entry **flows = flow_table_collect(dp_flow_table(f->dp), &all,
                                                   OFPP_NONE, false, &n);
    assert_int_equal(n, 1);
    assert_int_equal(flows[0]->packet_count, 100);
    assert_int_equal(flows[0]->byte_count, 100 * 60);
    free(flows);
    struct dp_stats st;
    dp_get_stats(f->dp, &st);
    assert_int_equal(st.n_packets, 100);
    assert_int_equal(st.n_matched, 100);
    assert_true(st.n_cache_hits >= 98);
    struct port_stats ps;
    assert_int_equal(dp_port_get_stats(f->dp, 2, &ps), 0);
    assert_int_equal(ps.tx_packets, 100);
    assert_int_equal(dp_port_get_stats(f->dp, 9, &ps), -ENOENT);
    assert_int_equal(dp_flow_table(f->dp)->lookups, 100);
}

static void
test_outputs(void **state)
{
    struct fixture *f = *state;
    struct ofp_match_h m;
    struct ofp_action a;
    struct buf last;
    buf_init(&last, 0);

    /* FLOOD skips NO_FLOOD ports; ALL does not. */
    dp_port_set_config(f->dp, 3, OFPPC_NO_FLOOD, OFPPC_NO_FLOOD);
    match_in_port(&m, 1);
    a = act_out(OFPP_FLOOD);
    add_flow(f, &m, 10, &a, 1);
    inject(f, 1, 1, 1);
    dp_run_once(f->dp);
    assert_int_equal(drain(f, 2, NULL), 1);
    assert_int_equal(drain(f, 3, NULL), 0);
    assert_int_equal(drain(f, 1, NULL), 0);
    a = act_out(OFPP_ALL);
    add_flow(f, &m, 10, &a, 1);
    inject(f, 1, 1, 1);
    dp_run_once(f->dp);
    assert_int_equal(drain(f, 2, NULL), 1);
    assert_int_equal(drain(f, 3, NULL), 1);
    assert_int_equal(drain(f, 1, NULL), 0);

    /* OUTPUT to the input port is dropped; IN_PORT sends it back. */
    struct ofp_action two[2] = { act_out(1), act_out(OFPP_IN_PORT) };
    add_flow(f, &m, 10, two, 1);
    inject(f, 1, 1, 1);
    dp_run_once(f->dp);
    assert_int_equal(drain(f, 1, NULL), 0);
    add_flow(f, &m, 10, &two[1], 1);
    inject(f, 1, 1, 1);
    dp_run_once(f->dp);
    assert_int_equal(drain(f, 1, NULL), 1);

    /* output:2, set_vlan_vid:5, set_tp_dst:7, output:3 — port 2 gets the
     * original frame, port 3 the edited one (checksums right). */
    struct ofp_action chain[4] = { act_out(2), { .type = OFPAT_SET_VLAN_VID },
                                   { .type = OFPAT_SET_TP_DST }, act_out(3) };
    chain[1].vlan_vid = 5;
    chain[2].tp_port = 7;
    add_flow(f, &m, 10, chain, 4);
    inject(f, 1, 3, 1);
    dp_run_once(f->dp);
    assert_int_equal(drain(f, 2, &last), 3);
    struct flow_key k;
    struct packet p = { .data = last.data, .len = (uint32_t) last.size };
    assert_int_equal(flow_extract(&p, 0, &k, NULL), 0);
    assert_int_equal(k.dl_vlan, FLOW_VLAN_NONE);
    assert_int_equal(k.tp_dst, 1);
    assert_int_equal(drain(f, 3, &last), 3);
    p = (struct packet) { .data = last.data, .len = (uint32_t) last.size };
    assert_int_equal(flow_extract(&p, 0, &k, NULL), 0);
    assert_int_equal(k.dl_vlan, 5);
    assert_int_equal(k.tp_dst, 7);
    assert_true(ip_csum_ok(last.data + 18));
    assert_true(l4_csum_ok(last.data + 18));

    /* ENQUEUE: sent like OUTPUT, counted per queue id. */
    struct ofp_action enq[2];
    memset(enq, 0, sizeof enq);
    enq[0].type = OFPAT_ENQUEUE;
    enq[0].enqueue.port = 2;
    enq[0].enqueue.queue_id = 7;
    enq[1] = enq[0];
    enq[1].enqueue.port = 3;
    enq[1].enqueue.queue_id = 8;
    add_flow(f, &m, 10, enq, 2);
    inject(f, 1, 2, 1);
    dp_run_once(f->dp);
    assert_int_equal(drain(f, 2, NULL), 2);
    assert_int_equal(drain(f, 3, NULL), 2);
    uint64_t qp, qb;
    assert_int_equal(dp_port_get_queue_stats(f->dp, 2, 7, &qp, &qb), 0);
    assert_int_equal(qp, 2);
    assert_int_equal(qb, 120);
    assert_int_equal(dp_port_get_queue_stats(f->dp, 2, 8, &qp, &qb), -ENOENT);
    uint32_t qids[4];
    assert_int_equal(dp_port_list_queues(f->dp, 3, qids, 4), 1);
    assert_int_equal(qids[0], 8);
    buf_uninit(&last);
}

static void
on_status(uint16_t port_no, bool up UNUSED, void *aux)
{
    assert_int_equal(port_no, 2);
    (*(int *) aux)++;
}

static void
test_port_config(void **state)
{
    struct fixture *f = *state;
    struct ofp_match_h m;
    match_in_port(&m, 1);
    struct ofp_action a = act_out(2);
    add_flow(f, &m, 10, &a, 1);

    dp_port_set_config(f->dp, 1, OFPPC_NO_RECV, OFPPC_NO_RECV);
    assert_int_equal(dp_port_get_config(f->dp, 1), OFPPC_NO_RECV);
    inject(f, 1, 4, 1);
    assert_int_equal(dp_run_once(f->dp), 4);
    assert_int_equal(drain(f, 2, NULL), 0);
    struct port_stats ps;
    dp_port_get_stats(f->dp, 1, &ps);
    assert_int_equal(ps.rx_dropped, 4);

    dp_port_set_config(f->dp, 1, 0, OFPPC_NO_RECV);
    dp_port_set_config(f->dp, 2, OFPPC_NO_FWD, OFPPC_NO_FWD);
    inject(f, 1, 4, 1);
    dp_run_once(f->dp);
    assert_int_equal(drain(f, 2, NULL), 0);
    dp_port_get_stats(f->dp, 2, &ps);
    assert_int_equal(ps.tx_dropped, 4);

    /* Link down: reported once through the status callback, then frames
     * are not sent out of the port. */
    int changes = 0;
    dp_set_port_status_cb(f->dp, on_status, &changes);
    dp_port_set_config(f->dp, 2, 0, OFPPC_NO_FWD);
    port_dummy_set_link(f->ports[2], false);
    clock_warp_ms(2000);
    dp_run_once(f->dp);                 /* Polls the link. */
    assert_false(dp_port_is_up(f->dp, 2));
    assert_int_equal(changes, 1);
    inject(f, 1, 1, 1);
    dp_run_once(f->dp);
    assert_int_equal(drain(f, 2, NULL), 0);
    dp_port_get_stats(f->dp, 2, &ps);
    assert_int_equal(ps.tx_dropped, 5);
    port_dummy_set_link(f->ports[2], true);
    clock_warp_ms(2000);
    dp_run_once(f->dp);
    assert_int_equal(changes, 2);
    assert_true(dp_port_is_up(f->dp, 2));
    inject(f, 1, 1, 1);
    dp_run_once(f->dp);
    assert_int_equal(drain(f, 2, NULL), 1);
}

static void
test_normal(void **state)
{
    struct fixture *f = *state;
    struct ofp_match_h m;
    memset(&m, 0, sizeof m);
    m.wildcards = OFPFW_ALL;
    struct ofp_action a = act_out(OFPP_NORMAL);
    add_flow(f, &m, 0, &a, 1);
    uint8_t buf[128];

    /* A -> B from port 1: B unknown, flooded. */
    size_t len = make_frame(buf, mac_a, mac_b, 1);
    port_dummy_inject(f->ports[1], buf, len);
    dp_run_once(f->dp);
    assert_int_equal(drain(f, 2, NULL), 1);
    assert_int_equal(drain(f, 3, NULL), 1);
    /* B -> A from port 2: A learned on port 1. */
    len = make_frame(buf, mac_b, mac_a, 1);
    port_dummy_inject(f->ports[2], buf, len);
    dp_run_once(f->dp);
    assert_int_equal(drain(f, 1, NULL), 1);
    assert_int_equal(drain(f, 3, NULL), 0);
    /* A -> B now unicast to port 2. */
    len = make_frame(buf, mac_a, mac_b, 1);
    port_dummy_inject(f->ports[1], buf, len);
    dp_run_once(f->dp);
    assert_int_equal(drain(f, 2, NULL), 1);
    assert_int_equal(drain(f, 3, NULL), 0);
    assert_int_equal(mac_learning_count(dp_mac_learning(f->dp)), 2);
    /* Aging: after 301 s both are forgotten. */
    clock_warp_ms(301 * 1000);
    dp_expire(f->dp);
    assert_int_equal(mac_learning_count(dp_mac_learning(f->dp)), 0);
}

static void
test_miss_upcall_buffer_packet_out(void **state)
{
    struct fixture *f = *state;
    inject(f, 1, 1, 99);
    dp_run_once(f->dp);
    assert_int_equal(f->n_upcalls, 1);
    assert_int_equal(f->last.reason, OFPR_NO_MATCH);
    assert_int_equal(f->last.in_port, 1);
    assert_int_equal(f->last.max_len, UINT16_MAX);
    assert_true(f->last.buffer_id != OFP_NO_BUFFER);

    struct packet *pkt;
    uint16_t in_port;
    struct packet_buffers *pb = dp_packet_buffers(f->dp);
    assert_int_equal(packet_buffers_take(pb, f->last.buffer_id, &pkt, &in_port), 0);
    assert_int_equal(in_port, 1);
    struct ofp_action a = act_out(3);
    assert_int_equal(dp_execute(f->dp, pkt, in_port, &a, 1), 0);
    assert_int_equal(drain(f, 3, NULL), 1);
    packet_destroy(pkt);
    assert_int_equal(packet_buffers_take(pb, f->last.buffer_id, &pkt, &in_port), -ENOENT);
    assert_int_equal(packet_buffers_take(pb, OFP_NO_BUFFER, &pkt, &in_port), -EINVAL);
    assert_int_equal(packet_buffers_take(pb, 0x7fffff00, &pkt, &in_port), -EINVAL);

    /* PACKET_OUT to TABLE: a flow forwards it and counts it. */
    struct ofp_match_h m;
    match_in_port(&m, 1);
    struct ofp_action to2 = act_out(2);
    add_flow(f, &m, 10, &to2, 1);
    uint8_t buf[128];
    size_t len = make_frame(buf, mac_a, mac_b, 1);
    struct packet raw = { .data = buf, .len = (uint32_t) len, .room = (uint32_t) len };
    a = act_out(OFPP_TABLE);
    assert_int_equal(dp_execute(f->dp, &raw, 1, &a, 1), 0);
    assert_int_equal(drain(f, 2, NULL), 1);
    /* ... and a TABLE miss is an upcall. */
    assert_int_equal(dp_execute(f->dp, &raw, 3, &a, 1), 0);
    assert_int_equal(f->n_upcalls, 2);
    assert_int_equal(f->last.in_port, 3);
    raw.len = 10;
    assert_int_equal(dp_execute(f->dp, &raw, 1, &a, 1), -EINVAL);

    /* CONTROLLER action: reason ACTION with max_len. */
    a = act_out(OFPP_CONTROLLER);
    add_flow(f, &m, 10, &a, 1);
    inject(f, 1, 1, 1);
    dp_run_once(f->dp);
    assert_int_equal(f->n_upcalls, 3);
    assert_int_equal(f->last.reason, OFPR_ACTION);
    assert_int_equal(f->last.max_len, 128);
    assert_int_equal(f->last_len, 60);

    /* NO_PACKET_IN on the input port suppresses both kinds. */
    dp_port_set_config(f->dp, 1, OFPPC_NO_PACKET_IN, OFPPC_NO_PACKET_IN);
    inject(f, 1, 1, 1);
    dp_run_once(f->dp);
    assert_int_equal(f->n_upcalls, 3);
}

static void
test_upcall_limit_and_miss_modes(void **state)
{
    struct fixture *f = *state;
    dp_set_upcall_limit(f->dp, 10, 5);
    inject(f, 1, 64, 1);
    dp_run_once(f->dp);
    /* The rate limit is spent when upcalls are handed over: 5 now, the
     * rest wait in the (per-slice) upcall queue. */
    assert_int_equal(f->n_upcalls, 5);
    struct dp_stats st;
    dp_get_stats(f->dp, &st);
    assert_int_equal(st.n_upcalls_dropped, 0);
    assert_int_equal(st.n_missed, 64);
    struct dp_slice_fast_stats sl;
    dp_get_slice_fast_stats(f->dp, 0, &sl);
    assert_int_equal(sl.upcalls - sl.upcalls_delivered, 59);
    clock_warp_ms(300);                 /* 3 tokens. */
    inject(f, 1, 10, 1);
    dp_run_once(f->dp);
    assert_int_equal(f->n_upcalls, 8);
    clock_warp_ms(100000);              /* Capped at the burst. */
    inject(f, 1, 10, 1);
    dp_run_once(f->dp);
    assert_int_equal(f->n_upcalls, 13);
    /* 71 wait; the queue holds UPCALL_QUEUE_DEFAULT_CAPACITY (512) per
     * slice: 500 more frames overflow it by 59, dropped and counted. */
    for (int k = 0; k < 5; k++) {
        inject(f, 1, 100, 1);
        while (dp_run_once(f->dp) > 0) {
            continue;
        }
    }
    dp_get_stats(f->dp, &st);
    assert_int_equal(st.n_upcalls_dropped, 59);
    dp_get_slice_fast_stats(f->dp, 0, &sl);
    assert_int_equal(sl.upcall_drops, 59);
    assert_int_equal(f->n_upcalls, 13);

    dp_set_miss_mode(f->dp, DP_MISS_DROP);
    inject(f, 1, 3, 1);
    dp_run_once(f->dp);
    assert_int_equal(f->n_upcalls, 13);
    assert_int_equal(drain(f, 2, NULL), 0);
    dp_set_miss_mode(f->dp, DP_MISS_NORMAL);
    inject(f, 1, 3, 1);
    dp_run_once(f->dp);
    assert_int_equal(drain(f, 2, NULL), 3);
    assert_int_equal(drain(f, 3, NULL), 3);
}

static void
test_malformed_and_frags(void **state)
{
    struct fixture *f = *state;
    struct ofp_match_h m;
    memset(&m, 0, sizeof m);
    m.wildcards = OFPFW_ALL;
    struct ofp_action a = act_out(2);
    add_flow(f, &m, 0, &a, 1);

    uint8_t small[10] = {0}, frag[128];
    struct frame_spec s = { .vlan = -1, .dl_type = ETH_TYPE_IP,
                            .proto = IP_PROTO_UDP, .frag = 0x2000, .payload = 10 };
    size_t flen = frame_build(frag, &s);
    struct packet p0 = { .data = small, .len = sizeof small, .room = sizeof small };
    struct packet p1 = { .data = frag, .len = (uint32_t) flen, .room = (uint32_t) flen };
    struct packet_batch b = { .n = 2, .pkts = { &p0, &p1 } };
    dp_process_batch(f->dp, 1, &b);
    assert_int_equal(drain(f, 2, NULL), 1);
    struct port_stats ps;
    dp_port_get_stats(f->dp, 1, &ps);
    assert_int_equal(ps.rx_errors, 1);

    dp_set_frag_drop(f->dp, true);
    b.n = 2;
    dp_process_batch(f->dp, 1, &b);
    assert_int_equal(drain(f, 2, NULL), 0);

    /* A VLAN push on a frame with no headroom and no tailroom. */
    dp_set_frag_drop(f->dp, false);
    struct ofp_action push[2] = { { .type = OFPAT_SET_VLAN_VID }, act_out(3) };
    push[0].vlan_vid = 9;
    add_flow(f, &m, 0, push, 2);
    b.n = 1;
    b.pkts[0] = &p1;
    dp_process_batch(f->dp, 1, &b);
    assert_null(p1.storage);
    assert_int_equal(drain(f, 3, NULL), 1);
}

/* An upcall callback that deletes every flow.  Upcalls are handed over
 * after the batch (never in the middle of it), so the batch ran on the
 * flows it found, and the callback may change the table. */
static void
deleting_upcall(const struct dp_upcall *u, void *aux)
{
    struct fixture *f = aux;
    on_upcall(u, aux);
    struct ofp_flow_mod_h fm;
    memset(&fm, 0, sizeof fm);
    fm.command = OFPFC_DELETE;
    fm.match.wildcards = OFPFW_ALL;
    fm.out_port = OFPP_NONE;
    struct ofp_error err;
    flow_table_apply(dp_flow_table(f->dp), &fm, &err);
}

static void
test_table_changed_by_callback(void **state)
{
    struct fixture *f = *state;
    dp_set_upcall_cb(f->dp, deleting_upcall, f);
    struct ofp_match_h m;
    memset(&m, 0, sizeof m);
    m.wildcards = OFPFW_ALL & ~(uint32_t) (OFPFW_DL_TYPE | OFPFW_NW_PROTO | OFPFW_TP_DST);
    m.dl_type = ETH_TYPE_IP;
    m.nw_proto = IP_PROTO_UDP;
    m.tp_dst = 1;
    struct ofp_action a = act_out(OFPP_CONTROLLER);
    add_flow(f, &m, 10, &a, 1);
    m.tp_dst = 2;
    a = act_out(2);
    add_flow(f, &m, 10, &a, 1);
    a = act_out(OFPP_CONTROLLER);
    struct ofp_action two[2] = { a, act_out(3) };
    m.tp_dst = 1;
    add_flow(f, &m, 10, two, 2);
    inject(f, 1, 2, 1);
    inject(f, 1, 1, 2);
    dp_run_once(f->dp);
    /* Both frames of the CONTROLLER+output:3 flow went out of port 3 and
     * up as ACTION upcalls; the third frame out of port 2.  The first
     * upcall's callback then deleted every flow. */
    assert_int_equal(f->n_upcalls, 2);
    assert_int_equal(f->last.reason, OFPR_ACTION);
    assert_int_equal(drain(f, 3, NULL), 2);
    assert_int_equal(drain(f, 2, NULL), 1);
    /* Later frames miss. */
    inject(f, 1, 1, 2);
    dp_run_once(f->dp);
    assert_int_equal(f->n_upcalls, 3);
    assert_int_equal(f->last.reason, OFPR_NO_MATCH);
    assert_int_equal(drain(f, 2, NULL), 0);
}

/* The caller's packets stay the caller's: a packet that came with its own
 * malloc'd storage keeps it (a VLAN push without headroom may replace it,
 * and the caller frees whatever it has then); the datapath never frees it.
 * (Before, dp_process_batch() freed it, and the caller's packet_destroy()
 * freed it again: ASan reports the double free.) */
static void
test_caller_storage_kept(void **state)
{
    struct fixture *f = *state;
    struct ofp_match_h m;
    memset(&m, 0, sizeof m);
    m.wildcards = OFPFW_ALL;
    struct ofp_action acts[2] = { act_out(2), act_out(2) };
    acts[0].type = OFPAT_SET_VLAN_VID;
    acts[0].vlan_vid = 7;
    add_flow(f, &m, 10, acts, 2);
    uint8_t buf[128];
    size_t len = make_frame(buf, mac_a, mac_b, 1);
    struct packet *p = xzalloc(sizeof *p);
    p->storage = xmalloc(len);          /* No headroom: the push copies. */
    memcpy(p->storage, buf, len);
    p->data = p->storage;
    p->len = p->room = (uint32_t) len;
    struct packet_batch b = { .n = 1, .pkts = { p } };
    dp_process_batch(f->dp, 1, &b);
    assert_non_null(p->storage);
    assert_int_equal(p->len, len + 4);
    assert_int_equal(drain(f, 2, NULL), 1);
    packet_destroy(p);
}

static void
test_ports(void **state)
{
    struct fixture *f = *state;
    uint16_t list[8];
    assert_int_equal(dp_port_list(f->dp, list, 8), 3);
    assert_int_equal(dp_port_add(f->dp, "dummy:dptl", OFPP_LOCAL), OFPP_LOCAL);
    assert_int_equal(dp_port_add(f->dp, "dummy:dpt9", 2), -EEXIST);
    assert_int_equal(dp_port_add(f->dp, "dummy:dpt7", 7), 7);
    assert_int_equal(dp_port_list(f->dp, list, 8), 5);
    assert_int_equal(list[3], 7);
    assert_int_equal(list[4], OFPP_LOCAL);
    int fds[8];
    assert_int_equal(dp_get_wait_fds(f->dp, fds, 8), 5);
    assert_int_equal(dp_port_del(f->dp, 7), 0);
    assert_int_equal(dp_port_del(f->dp, 7), -ENOENT);
    /* Output to LOCAL. */
    struct ofp_match_h m;
    match_in_port(&m, 1);
    struct ofp_action a = act_out(OFPP_LOCAL);
    add_flow(f, &m, 10, &a, 1);
    inject(f, 1, 2, 1);
    dp_run_once(f->dp);
    struct buf b;
    buf_init(&b, 0);
    assert_int_equal(port_dummy_pop_sent(dp_port_get(f->dp, OFPP_LOCAL), &b), 0);
    buf_uninit(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_forward_and_counters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outputs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_port_config, setup, teardown),
        cmocka_unit_test_setup_teardown(test_normal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_miss_upcall_buffer_packet_out, setup, teardown),
        cmocka_unit_test_setup_teardown(test_upcall_limit_and_miss_modes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_and_frags, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ports, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_changed_by_callback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_caller_storage_kept, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
