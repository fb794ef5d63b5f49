/* test-ofproto — the switch logic end to end within one process: an ofproto
 * with dummy ports and a management listener on loopback, driven by a raw
 * OpenFlow client over a real TCP stream (no root, no daemons). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "net/event-loop.h"
#include "net/rconn.h"
#include "net/stream.h"
#include "ofp/ofp-msgs.h"
#include "ofproto/ofproto.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/counter.h"
#include "util/util.h"

struct fixture {
    struct loop *loop;
    struct ofproto *p;
    struct stream *client;
    struct buf rx;
    uint32_t xid;
};

/* Runs the switch's loop until the client has a whole message (or the
 * stream closed: returns NULL).  The 5 s limit only guards against a hang. */
static struct buf *
recv_msg(struct fixture *f)
{
    uint64_t deadline = clock_now_ms() + 5000;
    for (;;) {
        int len = ofp_frame_length(f->rx.data, f->rx.size);
        assert_true(len >= 0);
        if (len > 0) {
            struct buf *m = buf_new(len);
            buf_put(m, buf_pull(&f->rx, len), len);
            return m;
        }
        uint8_t tmp[65536];
        ssize_t n = stream_recv(f->client, tmp, sizeof tmp);
        if (n == 0 || (n < 0 && n != -EAGAIN)) {
            return NULL;
        }
        if (n > 0) {
            buf_put(&f->rx, tmp, n);
            continue;
        }
        assert_true(clock_now_ms() < deadline);
        loop_run_once(f->loop, 10);
    }
}

static void
send_msg(struct fixture *f, const struct ofp_msg *msg)
{
    struct buf b;
    buf_init(&b, 128);
    ofp_encode(msg, &b);
    assert_int_equal(stream_send(f->client, b.data, b.size), 0);
    buf_uninit(&b);
}

static void
send_raw(struct fixture *f, const void *data, size_t n)
{
    assert_int_equal(stream_send(f->client, data, n), 0);
}

/* The next message that is not an echo, decoded. */
static void
expect(struct fixture *f, uint8_t type, struct ofp_msg *msg, struct buf **raw)
{
    struct buf *m = recv_msg(f);
    assert_non_null(m);
    struct ofp_error err;
    assert_int_equal(ofp_decode(m->data, m->size, msg, &err), 0);
    assert_int_equal(msg->type, type);
    *raw = m;
}

static void
expect_error(struct fixture *f, uint16_t type, uint16_t code)
{
    struct ofp_msg msg;
    struct buf *raw;
    expect(f, OFPT_ERROR, &msg, &raw);
    assert_int_equal(msg.error.type, type);
    assert_int_equal(msg.error.code, code);
    ofp_msg_uninit(&msg);
    buf_delete(raw);
}

static int
setup(void **state)
{
    struct fixture *f = xzalloc(sizeof *f);
    char *err = NULL;
    f->loop = loop_create();
    f->p = ofproto_create(f->loop, 0x42, OFPROTO_FAIL_SECURE);
    assert_int_equal(ofproto_add_port(f->p, 0, "dummy:p1", &err), 0);
    assert_int_equal(ofproto_add_port(f->p, 0, "dummy:p2", &err), 0);
    assert_int_equal(ofproto_add_listener(f->p, "ptcp:0:127.0.0.1", &err), 0);
    char *name = xasprintf("tcp:127.0.0.1:%u", ofproto_listener_port(f->p));
    assert_int_equal(stream_open(name, &f->client, &err), 0);
    free(name);
    buf_init(&f->rx, 4096);

    struct ofp_msg msg;
    struct buf *raw;
    expect(f, OFPT_HELLO, &msg, &raw);        /* The switch speaks first. */
    buf_delete(raw);
    ofp_make_hello(&msg, 1);
    send_msg(f, &msg);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    stream_close(f->client);
    ofproto_destroy(f->p);
    loop_destroy(f->loop);
    buf_uninit(&f->rx);
    free(f);
    return 0;
}

static void
test_features(void **state)
{
    struct fixture *f = *state;
    struct ofp_msg msg;
    struct buf *raw;
    ofp_msg_init(&msg, OFPT_FEATURES_REQUEST, 7);
    send_msg(f, &msg);
    expect(f, OFPT_FEATURES_REPLY, &msg, &raw);
    assert_int_equal(msg.xid, 7);
    assert_int_equal(msg.features.datapath_id, 0x42);
    assert_int_equal(msg.features.n_tables, 1);
    assert_int_equal(msg.features.capabilities, 0xc7);
    assert_int_equal(msg.features.n_ports, 2);
    assert_int_equal(msg.features.ports[0].port_no, 1);
    assert_string_equal(msg.features.ports[1].name, "p2");
    ofp_msg_uninit(&msg);
    buf_delete(raw);
}

static void
add_flow(struct fixture *f, uint16_t in_port, uint16_t out_port, uint32_t xid)
{
    struct ofp_msg msg;
    ofp_msg_init(&msg, OFPT_FLOW_MOD, xid);
    ofp_match_init_catchall(&msg.flow_mod.match);
    msg.flow_mod.match.wildcards &= ~OFPFW_IN_PORT;
    msg.flow_mod.match.in_port = in_port;
    msg.flow_mod.command = OFPFC_ADD;
    msg.flow_mod.priority = 100;
    msg.flow_mod.buffer_id = OFP_NO_BUFFER;
    msg.flow_mod.out_port = OFPP_NONE;
    msg.flow_mod.actions = xmalloc(sizeof *msg.flow_mod.actions);
    msg.flow_mod.actions[0] = ofp_action_output(out_port, 0);
    msg.flow_mod.n_actions = 1;
    send_msg(f, &msg);
    ofp_msg_uninit(&msg);
}

/* Sends a FLOW_MOD: `command`, match in_port (0: wildcarded), priority,
 * flags, out_port filter and one output action (0: none). */
static void
flow_mod(struct fixture *f, uint16_t command, uint16_t in_port,
         uint16_t priority, uint16_t flags, uint16_t out_port,
         uint16_t output)
{
    struct ofp_msg msg;
    ofp_msg_init(&msg, OFPT_FLOW_MOD, ++f->xid);
    ofp_match_init_catchall(&msg.flow_mod.match);
    if (in_port) {
        msg.flow_mod.match.wildcards &= ~OFPFW_IN_PORT;
        msg.flow_mod.match.in_port = in_port;
    }
    msg.flow_mod.command = command;
    msg.flow_mod.priority = priority;
    msg.flow_mod.flags = flags;
    msg.flow_mod.buffer_id = OFP_NO_BUFFER;
    msg.flow_mod.out_port = out_port;
    if (output) {
        msg.flow_mod.actions = xmalloc(sizeof *msg.flow_mod.actions);
        msg.flow_mod.actions[0] = ofp_action_output(output, 0);
        msg.flow_mod.n_actions = 1;
    }
    send_msg(f, &msg);
    ofp_msg_uninit(&msg);
}

/* FLOW stats request for `table_id` and out_port (match: all); returns
 * how many flows the reply lists, each of which must carry table_id
 * `want_table`. */
static size_t
flow_stats(struct fixture *f, uint8_t table_id, uint16_t out_port,
           uint8_t want_table)
{
    struct ofp_msg msg;
    struct buf *raw;
    ofp_msg_init(&msg, OFPT_STATS_REQUEST, ++f->xid);
    msg.stats_request.type = OFPST_FLOW;
    ofp_match_init_catchall(&msg.stats_request.flow.match);
    msg.stats_request.flow.table_id = table_id;
    msg.stats_request.flow.out_port = out_port;
    send_msg(f, &msg);
    expect(f, OFPT_STATS_REPLY, &msg, &raw);
    assert_int_equal(msg.stats_reply.type, OFPST_FLOW);
    size_t n = msg.stats_reply.flow.n;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(msg.stats_reply.flow.entries[i].table_id, want_table);
    }
    ofp_msg_uninit(&msg);
    buf_delete(raw);
    return n;
}

static uint32_t
aggregate_count(struct fixture *f, uint8_t table_id, uint16_t out_port)
{
    struct ofp_msg msg;
    struct buf *raw;
    ofp_msg_init(&msg, OFPT_STATS_REQUEST, ++f->xid);
    msg.stats_request.type = OFPST_AGGREGATE;
    ofp_match_init_catchall(&msg.stats_request.flow.match);
    msg.stats_request.flow.table_id = table_id;
    msg.stats_request.flow.out_port = out_port;
    send_msg(f, &msg);
    expect(f, OFPT_STATS_REPLY, &msg, &raw);
    assert_int_equal(msg.stats_reply.type, OFPST_AGGREGATE);
    uint32_t n = msg.stats_reply.aggregate.flow_count;
    ofp_msg_uninit(&msg);
    buf_delete(raw);
    return n;
}

static void
barrier(struct fixture *f)
{
    struct ofp_msg msg;
    struct buf *raw;
    ofp_msg_init(&msg, OFPT_BARRIER_REQUEST, 99);
    send_msg(f, &msg);
    expect(f, OFPT_BARRIER_REPLY, &msg, &raw);
    assert_int_equal(msg.xid, 99);
    buf_delete(raw);
}

static void
test_flow_mod_and_forwarding(void **state)
{
    struct fixture *f = *state;
    add_flow(f, 1, 99, 10);                     /* No port 99. */
    expect_error(f, OFPET_BAD_ACTION, OFPBAC_BAD_OUT_PORT);
    add_flow(f, 1, 2, 11);
    barrier(f);

    struct buf out;
    buf_init(&out, 256);
    ofproto_dump_flows(f->p, &out);
    assert_non_null(strstr(buf_cstr(&out), "in_port=1 actions=output:2"));
    buf_clear(&out);

    uint8_t frame[60] = { 0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x88, 0xb5 };
    assert_int_equal(ofproto_inject(f->p, 1, frame, sizeof frame, NULL), 0);
    assert_int_equal(ofproto_pop_sent(f->p, 2, &out, NULL), 1);
    char *hex = hex_encode(frame, sizeof frame);
    assert_int_equal(strncmp(buf_cstr(&out), hex, strlen(hex)), 0);
    free(hex);
    buf_uninit(&out);
}

static void
test_config_frag_drop(void **state)
{
    struct fixture *f = *state;
    struct ofp_msg msg;
    struct buf *raw;

    add_flow(f, 1, 2, 40);
    ofp_msg_init(&msg, OFPT_SET_CONFIG, 41);
    msg.config.flags = OFPC_FRAG_DROP;
    msg.config.miss_send_len = 200;
    send_msg(f, &msg);
    ofp_msg_init(&msg, OFPT_GET_CONFIG_REQUEST, 42);
    send_msg(f, &msg);
    expect(f, OFPT_GET_CONFIG_REPLY, &msg, &raw);
    assert_int_equal(msg.config.flags, OFPC_FRAG_DROP);
    assert_int_equal(msg.config.miss_send_len, 200);
    buf_delete(raw);

    /* An IPv4 first fragment (MF set) is dropped; a whole datagram passes. */
    uint8_t frame[60] = { 0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00,
                          0x45, 0, 0, 46, 0, 1, 0x20, 0, 64, 17, 0, 0,
                          10, 0, 0, 1, 10, 0, 0, 2 };
    struct buf out;
    buf_init(&out, 256);
    assert_int_equal(ofproto_inject(f->p, 1, frame, sizeof frame, NULL), 0);
    assert_int_equal(ofproto_pop_sent(f->p, 2, &out, NULL), 0);
    frame[20] = 0x40;                           /* DF, not a fragment. */
    assert_int_equal(ofproto_inject(f->p, 1, frame, sizeof frame, NULL), 0);
    assert_int_equal(ofproto_pop_sent(f->p, 2, &out, NULL), 1);

    /* 802.3 LLC/SNAP with SNAP type 0x0800 but no valid IPv4 header
     * (version 0) whose would-be flag bytes have MF set: not a fragment,
     * it matches and forwards by its L2 fields. */
    uint8_t snap[60] = { 0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x00, 46,
                         0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00,
                         0x00, 0, 0, 46, 0, 1, 0x20, 0 };
    assert_int_equal(ofproto_inject(f->p, 1, snap, sizeof snap, NULL), 0);
    assert_int_equal(ofproto_pop_sent(f->p, 2, &out, NULL), 1);
    buf_uninit(&out);
}

static void
test_stats_and_errors(void **state)
{
    struct fixture *f = *state;
    struct ofp_msg msg;
    struct buf *raw;

    ofp_msg_init(&msg, OFPT_STATS_REQUEST, 20);
    msg.stats_request.type = OFPST_PORT;
    msg.stats_request.port.port_no = OFPP_NONE;
    send_msg(f, &msg);
    expect(f, OFPT_STATS_REPLY, &msg, &raw);
    assert_int_equal(msg.stats_reply.type, OFPST_PORT);
    assert_int_equal(msg.stats_reply.port.n, 2);
    ofp_msg_uninit(&msg);
    buf_delete(raw);

    ofp_msg_init(&msg, OFPT_QUEUE_GET_CONFIG_REQUEST, 21);
    msg.queue_get_config_request.port = 99;
    send_msg(f, &msg);
    expect_error(f, OFPET_QUEUE_OP_FAILED, OFPQOFC_BAD_PORT);

    static const uint8_t vendor[] = { 1, OFPT_VENDOR, 0, 12, 0, 0, 0, 22, 0, 0, 0x23, 0x20 };
    send_raw(f, vendor, sizeof vendor);
    expect_error(f, OFPET_BAD_REQUEST, OFPBRC_BAD_VENDOR);

    static const uint8_t short_flow_mod[] = { 1, OFPT_FLOW_MOD, 0, 16, 0, 0, 0, 23,
                                              0, 0, 0, 0, 0, 0, 0, 0 };
    send_raw(f, short_flow_mod, sizeof short_flow_mod);
    expect_error(f, OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);

    struct ofp_port_mod_h pm = { .port_no = 1 };    /* Wrong hw_addr. */
    ofp_msg_init(&msg, OFPT_PORT_MOD, 24);
    msg.port_mod = pm;
    send_msg(f, &msg);
    expect_error(f, OFPET_PORT_MOD_FAILED, OFPPMFC_BAD_HW_ADDR);
}

/* OpenFlow 1.0 §5.3.5 as the 1.0 reference switch reads it: table_id 0xff
 * and 0 select the normal table, 0xfe the emergency table; FLOW_MOD's
 * OFPFF_EMERG selects the table a MODIFY/DELETE acts on.  A plain delete-all
 * and 0xff stats agree, and so do an EMERG delete-all and 0xfe stats. */
static void
test_emergency_table_ids(void **state)
{
    struct fixture *f = *state;
    flow_mod(f, OFPFC_ADD, 1, 100, 0, OFPP_NONE, 2);
    flow_mod(f, OFPFC_ADD, 2, 200, OFPFF_EMERG, OFPP_NONE, 1);
    barrier(f);

    assert_int_equal(flow_stats(f, OFPTT_ALL, OFPP_NONE, 0), 1);
    assert_int_equal(flow_stats(f, 0, OFPP_NONE, 0), 1);
    assert_int_equal(flow_stats(f, OFPTT_EMERG, OFPP_NONE, OFPTT_EMERG), 1);
    assert_int_equal(flow_stats(f, 1, OFPP_NONE, 0), 0);      /* No table 1. */
    assert_int_equal(aggregate_count(f, OFPTT_ALL, OFPP_NONE), 1);
    assert_int_equal(aggregate_count(f, OFPTT_EMERG, OFPP_NONE), 1);
    assert_int_equal(aggregate_count(f, 0, OFPP_NONE), 1);
    /* out_port filters in each table. */
    assert_int_equal(flow_stats(f, OFPTT_ALL, 2, 0), 1);
    assert_int_equal(flow_stats(f, OFPTT_ALL, 1, 0), 0);
    assert_int_equal(flow_stats(f, OFPTT_EMERG, 1, OFPTT_EMERG), 1);
    assert_int_equal(aggregate_count(f, OFPTT_EMERG, 2), 0);

    /* A plain delete-all empties what 0xff shows, and only that. */
    flow_mod(f, OFPFC_DELETE, 0, 0, 0, OFPP_NONE, 0);
    barrier(f);
    assert_int_equal(flow_stats(f, OFPTT_ALL, OFPP_NONE, 0), 0);
    assert_int_equal(aggregate_count(f, OFPTT_ALL, OFPP_NONE), 0);
    assert_int_equal(flow_stats(f, OFPTT_EMERG, OFPP_NONE, OFPTT_EMERG), 1);

    /* Strict EMERG delete: wrong priority, wrong out_port, then a hit. */
    flow_mod(f, OFPFC_DELETE_STRICT, 2, 199, OFPFF_EMERG, OFPP_NONE, 0);
    flow_mod(f, OFPFC_DELETE_STRICT, 2, 200, OFPFF_EMERG, 2, 0);
    flow_mod(f, OFPFC_DELETE_STRICT, 2, 200, 0, OFPP_NONE, 0);  /* Normal. */
    barrier(f);
    assert_int_equal(aggregate_count(f, OFPTT_EMERG, OFPP_NONE), 1);
    flow_mod(f, OFPFC_DELETE_STRICT, 2, 200, OFPFF_EMERG, 1, 0);
    barrier(f);
    assert_int_equal(aggregate_count(f, OFPTT_EMERG, OFPP_NONE), 0);

    /* Non-strict EMERG delete-all: the normal table is left alone. */
    flow_mod(f, OFPFC_ADD, 1, 100, 0, OFPP_NONE, 2);
    flow_mod(f, OFPFC_ADD, 2, 200, OFPFF_EMERG, OFPP_NONE, 1);
    flow_mod(f, OFPFC_ADD, 1, 300, OFPFF_EMERG, OFPP_NONE, 2);
    flow_mod(f, OFPFC_DELETE, 0, 0, OFPFF_EMERG, 2, 0);         /* out_port. */
    barrier(f);
    assert_int_equal(flow_stats(f, OFPTT_EMERG, OFPP_NONE, OFPTT_EMERG), 1);
    flow_mod(f, OFPFC_DELETE, 0, 0, OFPFF_EMERG, OFPP_NONE, 0);
    barrier(f);
    assert_int_equal(flow_stats(f, OFPTT_EMERG, OFPP_NONE, OFPTT_EMERG), 0);
    assert_int_equal(flow_stats(f, OFPTT_ALL, OFPP_NONE, 0), 1);
}

static void
test_garbage_disconnects_keeps_flows(void **state)
{
    struct fixture *f = *state;
    add_flow(f, 2, 1, 30);
    barrier(f);
    static const uint8_t bad[] = { 9, OFPT_ECHO_REQUEST, 0, 8, 0, 0, 0, 1 };
    for (int i = 0; i < OFPROTO_GARBAGE_MAX + 5; i++) {
        send_raw(f, bad, sizeof bad);
    }
    int errors = 0;
    struct buf *m;
    while ((m = recv_msg(f)) != NULL) {
        errors++;
        buf_delete(m);
    }
    assert_true(errors >= 1 && errors <= OFPROTO_GARBAGE_MAX + 1);
    struct buf out;
    buf_init(&out, 256);
    ofproto_dump_flows(f->p, &out);
    assert_non_null(strstr(buf_cstr(&out), "in_port=2 actions=output:1"));
    buf_uninit(&out);
}

/* A "controller" the switch connects to: the test holds the listener and
 * plays the peer on the accepted stream (f->client), so it can stay silent
 * (a controller that accepts TCP but never speaks OpenFlow, or one that is
 * SIGSTOPped).  The clock is stopped: probes and back-off move by warps. */
struct silent {
    struct fixture f;
    struct pstream *listener;
};

static void
silent_accept(struct silent *s)
{
    struct stream *stream = NULL;
    for (int i = 0; i < 500 && pstream_accept(s->listener, &stream); i++) {
        loop_run_once(s->f.loop, 10);
    }
    assert_non_null(stream);
    stream_close(s->f.client);
    s->f.client = stream;
    buf_clear(&s->f.rx);
    for (int i = 0; i < 20; i++) {
        loop_run_once(s->f.loop, 1);        /* Connect completes, HELLO out. */
    }
}

static void
silent_setup(struct silent *s, enum ofproto_fail_mode mode)
{
    char *err = NULL;
    memset(s, 0, sizeof *s);
    clock_stop();
    s->f.loop = loop_create();
    s->f.p = ofproto_create(s->f.loop, 0x43, mode);
    for (int i = 1; i <= 3; i++) {
        char *spec = xasprintf("dummy:p%d", i);
        assert_int_equal(ofproto_add_port(s->f.p, 0, spec, &err), 0);
        free(spec);
    }
    buf_init(&s->f.rx, 4096);
    assert_int_equal(pstream_open("ptcp:0:127.0.0.1", &s->listener, &err), 0);
    char *target = xasprintf("tcp:127.0.0.1:%u", pstream_port(s->listener));
    assert_int_equal(ofproto_add_controller(s->f.p, target, &err), 0);
    free(target);
    silent_accept(s);
}

static void
silent_teardown(struct silent *s)
{
    stream_close(s->f.client);
    pstream_close(s->listener);
    ofproto_destroy(s->f.p);
    loop_destroy(s->f.loop);
    buf_uninit(&s->f.rx);
    clock_resume();
}

/* Injects a frame from 02:..:0a to 02:..:0b on port `in`; returns how many
 * frames ports 1..3 sent, as a 3-digit number (port 1 first). */
static int
inject_count(struct silent *s, uint16_t in)
{
    uint8_t frame[60] = { 0x02, 0, 0, 0, 0, 0x0b, 0x02, 0, 0, 0, 0, 0x0a,
                          0x88, 0xb5 };
    struct buf out;
    buf_init(&out, 256);
    assert_int_equal(ofproto_inject(s->f.p, in, frame, sizeof frame, NULL), 0);
    int n = 0;
    for (uint16_t port = 1; port <= 3; port++) {
        n = n * 10 + ofproto_pop_sent(s->f.p, port, &out, NULL);
    }
    buf_uninit(&out);
    return n;
}

static bool
show_has(struct silent *s, const char *text)
{
    struct buf out;
    buf_init(&out, 1024);
    ofproto_show(s->f.p, &out);
    bool found = strstr(buf_cstr(&out), text) != NULL;
    buf_uninit(&out);
    return found;
}

/* The next message the switch sends the controller (type only). */
static uint8_t
next_type(struct silent *s)
{
    struct buf *m = recv_msg(&s->f);
    assert_non_null(m);
    uint8_t type = m->data[1];
    buf_delete(m);
    return type;
}

/* Issue 12: with --fail-mode standalone, a controller that accepted TCP and
 * never spoke kept the switch "connected": misses were dropped (uncounted)
 * and emergency mode never started. */
static void
test_silent_controller_standalone(void **state)
{
    (void) state;
    struct silent s;
    silent_setup(&s, OFPROTO_FAIL_STANDALONE);
    struct fixture *f = &s.f;
    assert_int_equal(next_type(&s), OFPT_HELLO);    /* TCP is up. */

    /* Silent peer: not a controller, so standalone floods the miss. */
    assert_true(show_has(&s, "in effect"));
    assert_int_equal(inject_count(&s, 1), 11);

    /* HELLO: the session is up; a miss becomes a PACKET_IN. */
    struct ofp_msg msg;
    ofp_make_hello(&msg, 1);
    send_msg(f, &msg);
    barrier(f);
    assert_false(show_has(&s, "in effect"));
    assert_int_equal(inject_count(&s, 1), 0);
    assert_int_equal(next_type(&s), OFPT_PACKET_IN);
    flow_mod(f, OFPFC_ADD, 1, 10, OFPFF_EMERG, OFPP_NONE, 3);
    barrier(f);

    /* The controller stops answering (SIGSTOP): an echo probe after one
     * interval, the session dropped after another; the fail mode and
     * emergency mode apply. */
    clock_warp_ms(OFPROTO_PROBE_INTERVAL_MS);
    loop_run_once(f->loop, 0);
    assert_int_equal(next_type(&s), OFPT_ECHO_REQUEST);
    clock_warp_ms(OFPROTO_PROBE_INTERVAL_MS);
    loop_run_once(f->loop, 0);
    assert_null(recv_msg(f));                       /* Closed by the switch. */
    assert_true(show_has(&s, "EMERGENCY"));
    assert_true(show_has(&s, "in effect"));
    assert_int_equal(inject_count(&s, 1), 1);       /* Emergency flow. */
    assert_int_equal(inject_count(&s, 2), 101);     /* Miss: standalone. */

    /* It reconnects to a peer that accepts TCP and stays silent: still no
     * controller, emergency mode and the fail mode stay. */
    clock_warp_ms(RCONN_DEFAULT_BACKOFF_MAX_MS);
    loop_run_once(f->loop, 0);
    silent_accept(&s);
    assert_int_equal(next_type(&s), OFPT_HELLO);
    assert_true(show_has(&s, "EMERGENCY"));
    assert_int_equal(inject_count(&s, 2), 101);
    silent_teardown(&s);
}

/* Fail-secure with a silent controller: every miss is dropped and counted
 * in dp_drop_no_match. */
static void
test_silent_controller_secure_counts(void **state)
{
    (void) state;
    struct silent s;
    silent_setup(&s, OFPROTO_FAIL_SECURE);
    assert_int_equal(next_type(&s), OFPT_HELLO);
    const struct counter *drops = counter_find("dp_drop_no_match");
    assert_non_null(drops);
    uint64_t before = counter_read(drops);
    assert_int_equal(inject_count(&s, 1), 0);
    assert_int_equal(inject_count(&s, 2), 0);
    assert_int_equal(counter_read(drops), before + 2);
    silent_teardown(&s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_features, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flow_mod_and_forwarding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_config_frag_drop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stats_and_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_garbage_disconnects_keeps_flows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_emergency_table_ids, setup, teardown),
        cmocka_unit_test(test_silent_controller_standalone),
        cmocka_unit_test(test_silent_controller_secure_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
