/* Unit tests: the apps driven by synthetic PACKET_INs through a detached
 * switch (no sockets): l2 learning/flooding, router ARP, forwarding with
 * TTL decrement, ICMP time exceeded / unreachable, proactive flows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "apps.h"
#include "ctl/controller.h"
#include "ctl/ctl-switch.h"
#include "ofp/ofp-msgs.h"
#include "pkt/csum.h"
#include "router/router.h"
#include <errno.h>
#include "util/buf.h"

/* Captured output: the raw messages. */
enum { MAX_OUT = 256 };
static struct { uint8_t type; uint8_t *data; size_t len; } out[MAX_OUT];
static size_t n_out;

static void
sink(const void *msg, size_t len, void *aux)
{
    (void) aux;
    assert_true(n_out < MAX_OUT);
    out[n_out].type = ((const uint8_t *) msg)[1];
    out[n_out].data = xmemdup(msg, len);
    out[n_out].len = len;
    n_out++;
}

static void
out_clear(void)
{
    for (size_t i = 0; i < n_out; i++) {
        free(out[i].data);
    }
    n_out = 0;
}

static size_t
count_type(uint8_t type)
{
    size_t n = 0;
    for (size_t i = 0; i < n_out; i++) {
        n += out[i].type == type;
    }
    return n;
}

/* Decodes the i-th captured message of `type` (caller uninits). */
static void
get_msg(uint8_t type, size_t nth, struct ofp_msg *msg)
{
    for (size_t i = 0; i < n_out; i++) {
        if (out[i].type == type && nth-- == 0) {
            struct ofp_error err;
            assert_int_equal(ofp_decode(out[i].data, out[i].len, msg, &err), 0);
            return;
        }
    }
    fail_msg("no message of type %u", type);
}

static void
inject(struct controller *ctl, struct ctl_switch *sw, uint16_t in_port, const uint8_t *frame,
       size_t len)
{
    struct ofp_msg m;
    struct buf b;
    buf_init(&b, 0);
    ofp_make_packet_in(&m, OFP_NO_BUFFER, (uint16_t) len, in_port, OFPR_NO_MATCH, frame, len);
    ofp_encode(&m, &b);
    assert_int_equal(ctl_switch_receive(sw, b.data, b.size), 0);
    buf_uninit(&b);
    controller_flush(ctl);
}

static const uint8_t mac_a[6] = { 2, 0, 0, 0, 0, 0xa }, mac_b[6] = { 2, 0, 0, 0, 0, 0xb };
static const uint8_t r1[6] = { 2, 0, 0, 0, 1, 1 }, r2[6] = { 2, 0, 0, 0, 2, 1 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static size_t
eth(uint8_t *f, const uint8_t *dst, const uint8_t *src, uint16_t type)
{
    memcpy(f, dst, 6);
    memcpy(f + 6, src, 6);
    f[12] = (uint8_t) (type >> 8);
    f[13] = (uint8_t) type;
    return 14;
}

static size_t
ipv4_icmp(uint8_t *f, const uint8_t *dst_mac, const uint8_t *src_mac, uint32_t src, uint32_t dst,
          uint8_t ttl)
{
    size_t n = eth(f, dst_mac, src_mac, 0x0800);
    uint8_t *ip = f + n;
    memset(ip, 0, 28);
    ip[0] = 0x45;
    ip[3] = 28;
    ip[8] = ttl;
    ip[9] = 1;
    for (int i = 0; i < 4; i++) {
        ip[12 + i] = (uint8_t) (src >> (24 - 8 * i));
        ip[16 + i] = (uint8_t) (dst >> (24 - 8 * i));
    }
    uint16_t c = csum_finish(csum_partial(ip, 20, 0));
    ip[10] = (uint8_t) (c >> 8);
    ip[11] = (uint8_t) c;
    ip[20] = 8;         /* Echo request. */
    c = csum_finish(csum_partial(ip + 20, 8, 0));
    ip[22] = (uint8_t) (c >> 8);
    ip[23] = (uint8_t) c;
    return n + 28;
}

static size_t
arp(uint8_t *f, const uint8_t *dst_mac, const uint8_t *sha, uint16_t op, uint32_t spa, uint32_t tpa)
{
    size_t n = eth(f, dst_mac, sha, 0x0806);
    uint8_t *a = f + n;
    memset(a, 0, 28);
    a[1] = 1; a[2] = 8; a[4] = 6; a[5] = 4; a[7] = (uint8_t) op;
    memcpy(a + 8, sha, 6);
    for (int i = 0; i < 4; i++) {
        a[14 + i] = (uint8_t) (spa >> (24 - 8 * i));
        a[24 + i] = (uint8_t) (tpa >> (24 - 8 * i));
    }
    return 60;
}

static struct controller *
make(const char *app, const char *config_text, struct ctl_switch **sw, char *path)
{
    struct controller_options o = { .app = ctl_app_class_find(app), .cookie = 7 };
    assert_non_null(o.app);
    if (config_text) {
        strcpy(path, "/tmp/plural-test-apps.XXXXXX");
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, config_text, strlen(config_text)), (ssize_t) strlen(config_text));
        close(fd);
        o.config = path;
    }
    struct controller *ctl;
    char *err = NULL;
    assert_int_equal(controller_create(NULL, &o, &ctl, &err), 0);
    struct ofp_port_h ports[3] = { { .port_no = 1 }, { .port_no = 2 }, { .port_no = 3 } };
    *sw = ctl_switch_create_detached(ctl, 1, ports, 3, sink, NULL);
    controller_flush(ctl);
    return ctl;
}

static void
test_l2(void **state)
{
    (void) state;
    struct ctl_switch *sw;
    char path[64];
    out_clear();
    struct controller *ctl = make("l2", NULL, &sw, path);
    assert_int_equal(count_type(OFPT_FLOW_MOD), 1);     /* The initial delete-all. */
    out_clear();
    uint8_t f[64] = { 0 };
    eth(f, mac_b, mac_a, 0x0800);
    inject(ctl, sw, 1, f, 60);                          /* B unknown: flood. */
    assert_int_equal(count_type(OFPT_FLOW_MOD), 0);
    struct ofp_msg m;
    get_msg(OFPT_PACKET_OUT, 0, &m);
    assert_int_equal(m.packet_out.actions[0].output.port, OFPP_FLOOD);
    ofp_msg_uninit(&m);
    out_clear();
    eth(f, mac_a, mac_b, 0x0800);
    inject(ctl, sw, 2, f, 60);                          /* A known on port 1. */
    get_msg(OFPT_FLOW_MOD, 0, &m);
    assert_int_equal(m.flow_mod.actions[0].output.port, 1);
    assert_int_equal(m.flow_mod.match.in_port, 2);
    assert_memory_equal(m.flow_mod.match.dl_dst, mac_a, 6);
    assert_int_equal(m.flow_mod.idle_timeout, 60);
    assert_int_equal(m.flow_mod.cookie, 7);
    ofp_msg_uninit(&m);
    get_msg(OFPT_PACKET_OUT, 0, &m);
    assert_int_equal(m.packet_out.actions[0].output.port, 1);
    ofp_msg_uninit(&m);
    out_clear();

    /* Snapshot -> a fresh controller: it knows A's port without flooding. */
    struct ctl_app *app = controller_app(ctl);
    json_t *snap = app->class->snapshot(app);
    struct ctl_switch *sw2;
    struct controller *ctl2 = make("l2", NULL, &sw2, path);
    struct ctl_app *app2 = controller_app(ctl2);
    char *err = NULL;
    assert_int_equal(app2->class->restore(app2, snap, &err), 0);
    json_decref(snap);
    out_clear();
    eth(f, mac_a, mac_b, 0x0800);
    inject(ctl2, sw2, 2, f, 60);
    get_msg(OFPT_FLOW_MOD, 0, &m);
    assert_int_equal(m.flow_mod.actions[0].output.port, 1);
    ofp_msg_uninit(&m);
    out_clear();
    controller_destroy(ctl2);
    controller_destroy(ctl);
}

static const char router_conf[] =
    "mode proactive\n"
    "interface eth1 port 1 mac 02:00:00:00:01:01 ip 10.0.1.1/24\n"
    "interface eth2 port 2 mac 02:00:00:00:02:01 ip 10.0.2.1/24\n"
    "route 10.9.0.0/16 via 10.0.2.3\n";

static void
test_router(void **state)
{
    (void) state;
    struct ctl_switch *sw;
    char path[64];
    out_clear();
    struct controller *ctl = make("router", router_conf, &sw, path);
    /* delete-all + ARP + ip-miss + drop + 2 own + 3 routes. */
    assert_int_equal(count_type(OFPT_FLOW_MOD), 9);
    assert_int_equal(ctl_switch_n_flows(sw), 8);
    out_clear();

    uint8_t f[128];
    const uint32_t a = 0x0a000102, b = 0x0a000202;
    /* ARP request for the router's address: answered. */
    inject(ctl, sw, 1, f, arp(f, bcast, mac_a, 1, a, 0x0a000101));
    struct ofp_msg m;
    get_msg(OFPT_PACKET_OUT, 0, &m);
    assert_int_equal(m.packet_out.actions[0].output.port, 1);
    const uint8_t *d = m.packet_out.data.data;
    assert_memory_equal(d, mac_a, 6);
    assert_memory_equal(d + 6, r1, 6);
    assert_int_equal(d[21], 2);                         /* ARP reply. */
    ofp_msg_uninit(&m);
    out_clear();

    /* A -> B: B unresolved: ARP request on port 2, packet queued. */
    inject(ctl, sw, 1, f, ipv4_icmp(f, r1, mac_a, a, b, 64));
    get_msg(OFPT_PACKET_OUT, 0, &m);
    assert_int_equal(m.packet_out.actions[0].output.port, 2);
    assert_int_equal(m.packet_out.data.data[21], 1);    /* ARP request. */
    ofp_msg_uninit(&m);
    out_clear();

    /* B answers: host flow for B, and the queued packet goes out, TTL 63. */
    inject(ctl, sw, 2, f, arp(f, r2, mac_b, 2, b, 0x0a000201));
    assert_int_equal(count_type(OFPT_FLOW_MOD), 1);
    get_msg(OFPT_FLOW_MOD, 0, &m);
    assert_int_equal(m.flow_mod.match.nw_dst, b);
    assert_int_equal(m.flow_mod.priority, 1032);
    ofp_msg_uninit(&m);
    get_msg(OFPT_PACKET_OUT, 0, &m);
    d = m.packet_out.data.data;
    assert_memory_equal(d, mac_b, 6);
    assert_memory_equal(d + 6, r2, 6);
    assert_int_equal(d[14 + 8], 63);
    assert_int_equal(csum_finish(csum_partial(d + 14, 20, 0)), 0);
    ofp_msg_uninit(&m);
    out_clear();

    /* TTL 1: ICMP time exceeded back to A. */
    inject(ctl, sw, 1, f, ipv4_icmp(f, r1, mac_a, a, b, 1));
    get_msg(OFPT_PACKET_OUT, 0, &m);
    d = m.packet_out.data.data;
    assert_int_equal(m.packet_out.actions[0].output.port, 1);
    assert_memory_equal(d, mac_a, 6);
    assert_int_equal(d[14 + 20], 11);
    ofp_msg_uninit(&m);
    out_clear();

    /* No route: ICMP net unreachable. */
    inject(ctl, sw, 1, f, ipv4_icmp(f, r1, mac_a, a, 0xc0a80001, 64));
    get_msg(OFPT_PACKET_OUT, 0, &m);
    d = m.packet_out.data.data;
    assert_int_equal(d[14 + 20], 3);
    assert_int_equal(d[14 + 21], 0);
    ofp_msg_uninit(&m);
    out_clear();

    /* Ping the router: echo reply. */
    inject(ctl, sw, 1, f, ipv4_icmp(f, r1, mac_a, a, 0x0a000101, 64));
    get_msg(OFPT_PACKET_OUT, 0, &m);
    d = m.packet_out.data.data;
    assert_int_equal(d[14 + 20], 0);
    assert_int_equal(csum_finish(csum_partial(d + 34, 8, 0)), 0);
    ofp_msg_uninit(&m);
    out_clear();

    /* Run-time route: add installs a flow, del removes it; errors name it. */
    struct ctl_app *app = controller_app(ctl);
    char *err = NULL;
    assert_int_equal(app->class->commands != NULL, 1);
    assert_int_equal(router_route_add(app, "10.8.0.0/16", "10.0.2.2", NULL, &err), 0);
    controller_flush(ctl);
    get_msg(OFPT_FLOW_MOD, 0, &m);
    assert_int_equal(m.flow_mod.priority, 1016);
    assert_int_equal(m.flow_mod.actions[m.flow_mod.n_actions - 1].output.port, 2);
    ofp_msg_uninit(&m);
    out_clear();
    assert_int_not_equal(router_route_add(app, "10.7.0.0/16", "10.5.5.5", NULL, &err), 0);
    assert_non_null(strstr(err, "unreachable"));
    free(err);
    err = NULL;
    assert_int_equal(router_route_del(app, "10.8.0.0/16", &err), 0);
    controller_flush(ctl);
    get_msg(OFPT_FLOW_MOD, 0, &m);
    assert_int_equal(m.flow_mod.command, OFPFC_DELETE_STRICT);
    ofp_msg_uninit(&m);
    out_clear();
    controller_destroy(ctl);
    unlink(path);
}

static void
test_garbage_is_peer_fault(void **state)
{
    (void) state;
    struct ctl_switch *sw;
    char path[64];
    out_clear();
    struct controller *ctl = make("l2", NULL, &sw, path);
    out_clear();
    /* A PACKET_IN whose length field is shorter than the fixed part. */
    uint8_t bad[12] = { 1, OFPT_PACKET_IN, 0, 12, 0, 0, 0, 9 };
    assert_int_equal(ctl_switch_receive(sw, bad, sizeof bad), -EPROTO);
    controller_flush(ctl);
    assert_int_equal(count_type(OFPT_ERROR), 1);
    out_clear();
    controller_destroy(ctl);
}

static int barrier_calls;
static void barrier_done(struct ctl_switch *sw, void *aux) { (void) sw; (void) aux; barrier_calls++; }

static void
test_framework(void **state)
{
    (void) state;
    struct ctl_switch *sw;
    char path[64];
    out_clear();
    struct controller *ctl = make("l2", NULL, &sw, path);
    out_clear();
    /* Echo requests are answered with the same xid and payload. */
    uint8_t echo[12] = { 1, OFPT_ECHO_REQUEST, 0, 12, 0, 0, 0, 0x42, 'p', 'i', 'n', 'g' };
    assert_int_equal(ctl_switch_receive(sw, echo, sizeof echo), 0);
    controller_flush(ctl);
    assert_int_equal(count_type(OFPT_ECHO_REPLY), 1);
    assert_int_equal(out[0].len, 12);
    assert_memory_equal(out[0].data + 4, echo + 4, 8);
    out_clear();
    /* Barriers: the callback runs when the reply with its xid arrives, and
     * earlier unanswered barriers complete with it. */
    barrier_calls = 0;
    uint32_t x1 = ctl_switch_barrier(sw, barrier_done, NULL);
    uint32_t x2 = ctl_switch_barrier(sw, barrier_done, NULL);
    assert_true(x1 && x2 && x1 != x2);
    controller_flush(ctl);
    assert_int_equal(count_type(OFPT_BARRIER_REQUEST), 2);
    uint8_t reply[8] = { 1, OFPT_BARRIER_REPLY, 0, 8, (uint8_t) (x2 >> 24), (uint8_t) (x2 >> 16),
                         (uint8_t) (x2 >> 8), (uint8_t) x2 };
    assert_int_equal(ctl_switch_receive(sw, reply, sizeof reply), 0);
    assert_int_equal(barrier_calls, 2);
    /* Messages split across reads are reassembled. */
    out_clear();
    assert_int_equal(ctl_switch_receive(sw, echo, 5), 0);
    controller_flush(ctl);
    assert_int_equal(n_out, 0);
    assert_int_equal(ctl_switch_receive(sw, echo + 5, sizeof echo - 5), 0);
    controller_flush(ctl);
    assert_int_equal(count_type(OFPT_ECHO_REPLY), 1);
    out_clear();
    controller_destroy(ctl);
}

static const char vlan_conf[] =
    "interface eth1 port 1 mac 02:00:00:00:01:01 ip 10.0.1.1/24\n"
    "interface eth7 port 2 mac 02:00:00:00:02:01 ip 10.0.2.1/24 vlan 7\n";

static void
test_router_vlan(void **state)
{
    (void) state;
    struct ctl_switch *sw;
    char path[64];
    out_clear();
    struct controller *ctl = make("router", vlan_conf, &sw, path);
    out_clear();
    /* An ARP request tagged with VLAN 7 on port 2 is answered tagged. */
    uint8_t f[128], t[132];
    size_t n = arp(f, bcast, mac_b, 1, 0x0a000202, 0x0a000201);
    memcpy(t, f, 12);
    t[12] = 0x81; t[13] = 0x00; t[14] = 0; t[15] = 7;
    memcpy(t + 16, f + 12, n - 12);
    inject(ctl, sw, 2, t, n + 4);
    struct ofp_msg m;
    get_msg(OFPT_PACKET_OUT, 0, &m);
    const uint8_t *d = m.packet_out.data.data;
    assert_int_equal(m.packet_out.actions[0].output.port, 2);
    assert_int_equal(d[12], 0x81);
    assert_int_equal(d[15], 7);
    assert_int_equal(d[25], 2);                         /* ARP reply. */
    ofp_msg_uninit(&m);
    out_clear();
    /* The same request untagged on port 2 matches no interface: ignored. */
    inject(ctl, sw, 2, f, n);
    assert_int_equal(n_out, 0);
    /* A packet from A to B leaves tagged: the flow sets the VLAN. */
    inject(ctl, sw, 1, f, ipv4_icmp(f, r1, mac_a, 0x0a000102, 0x0a000202, 64));
    controller_flush(ctl);
    get_msg(OFPT_FLOW_MOD, 0, &m);
    assert_int_equal(m.flow_mod.actions[0].type, OFPAT_SET_VLAN_VID);
    assert_int_equal(m.flow_mod.actions[0].vlan_vid, 7);
    ofp_msg_uninit(&m);
    get_msg(OFPT_PACKET_OUT, 0, &m);
    d = m.packet_out.data.data;
    assert_int_equal(d[12], 0x81);
    assert_int_equal(d[15], 7);
    assert_int_equal(d[18 + 8], 63);
    ofp_msg_uninit(&m);
    out_clear();
    controller_destroy(ctl);
    unlink(path);
}

/* Random messages (valid framing, random type and body) never crash the
 * framework or an app; each either is handled or disconnects the peer. */
static void
test_random_garbage(void **state)
{
    (void) state;
    static const char *const apps[] = { "l2", "router" };
    char path[64];
    srand(7);
    for (size_t a = 0; a < 2; a++) {
        for (int round = 0; round < 300; round++) {
            struct ctl_switch *sw;
            out_clear();
            struct controller *ctl = make(apps[a], a ? router_conf : NULL, &sw, path);
            for (int k = 0; k < 8; k++) {
                uint8_t m[200];
                size_t len = 8 + (size_t) (rand() % 190);
                for (size_t i = 0; i < len; i++) {
                    m[i] = (uint8_t) rand();
                }
                m[0] = rand() % 8 ? 1 : (uint8_t) rand();
                m[1] = (uint8_t) (rand() % 24);
                m[2] = (uint8_t) (len >> 8);
                m[3] = (uint8_t) len;
                if (ctl_switch_receive(sw, m, len) < 0) {
                    break;
                }
                /* A PACKET_IN with a random frame that looks like IPv4 or
                 * ARP to the router's MAC: exercises the apps' parsers. */
                uint8_t f[120];
                size_t flen = 14 + (size_t) (rand() % 100);
                for (size_t i = 0; i < flen; i++) {
                    f[i] = (uint8_t) rand();
                }
                memcpy(f, rand() % 2 ? r1 : bcast, 6);
                f[12] = 0x08;
                f[13] = rand() % 2 ? 0x00 : 0x06;
                if (rand() % 2) {
                    f[14] = 0x45;
                }
                inject(ctl, sw, (uint16_t) (1 + rand() % 3), f, flen);
            }
            controller_flush(ctl);
            out_clear();
            controller_destroy(ctl);
            if (a) {
                unlink(path);
            }
        }
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_l2),
        cmocka_unit_test(test_router),
        cmocka_unit_test(test_garbage_is_peer_fault),
        cmocka_unit_test(test_framework),
        cmocka_unit_test(test_router_vlan),
        cmocka_unit_test(test_random_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
