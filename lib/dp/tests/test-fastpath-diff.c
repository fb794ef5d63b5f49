/* test-fastpath-diff — the XDP fast path against the user-space datapath,
 * on random flow tables and random frames (issue 11's differential test).
 *
 * Two datapaths get the same random OpenFlow table (wildcards, priorities,
 * set-field and VLAN actions, single and multiple outputs, FLOOD, drops):
 *   ref  over dummy ports: the user-space classifier and actions;
 *   fast an `xdp` datapath over afxdp ports on veths (names on the command
 *        line), whose XDP program we run with BPF_PROG_TEST_RUN.
 * For each random frame and input port: the frame goes through `ref`
 * (outputs collected from the dummy ports) and through `fast` as a miss
 * would (which installs a datapath flow when the kernel can execute the
 * flow), then through the XDP program.  Whenever the program finishes the
 * frame in the kernel (a datapath-flow hit), its verdict must be exactly
 * the reference's: same single output port (or XDP_TX back out of the
 * input port, or a drop) and the same bytes.  Frames the reference sends
 * to several ports, to the controller or nowhere it can express must never
 * be hits.  At the end the OpenFlow flow counters of `fast` must equal the
 * reference's plus the kernel hits credited to the same flows.
 *
 * Needs root (BPF, AF_XDP); run by tests/integration/dp-fastpath-diff.sh
 * inside a private network namespace.  Exit 0 pass, 1 fail, 77 skip. */
#include <errno.h>
#include <inttypes.h>
#include <time.h>
#include <linux/bpf.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dp/datapath.h"
#include "dp/flow-match.h"
#include "dp/xdp/fastpath.h"
#include "pkt/tests/frames.h"
#include "util/buf.h"
#include "util/log.h"

#define N_PORTS 4
#define N_FLOWS 60
#define N_FRAMES 3000

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t
rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t) rng;
}
static uint32_t pick(uint32_t n) { return rnd() % n; }

static const uint8_t macs[3][6] = {
    {0x02, 0, 0, 0, 0, 0x0a}, {0x02, 0, 0, 0, 0, 0x0b}, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
};
static const uint32_t addrs[3] = { 0x0a000001, 0x0a000002, 0xc0a80105 };
static const uint16_t tports[3] = { 80, 443, 5001 };

static size_t
random_frame(uint8_t *buf)
{
    uint32_t kind = pick(20);
    if (kind == 0) {                    /* Garbage / truncated. */
        size_t n = 14 + pick(40);
        for (size_t i = 0; i < n; i++) {
            buf[i] = (uint8_t) rnd();
        }
        if (pick(2)) {
            buf[12] = 0x08;
            buf[13] = 0x00;
        }
        return n;
    }
    if (kind == 1) {                    /* 802.3 LLC/SNAP carrying IPv4. */
        memcpy(buf, macs[pick(3)], 6);
        memcpy(buf + 6, macs[pick(2)], 6);
        buf[12] = 0;
        buf[13] = 46;
        static const uint8_t snap[8] = {0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00};
        memcpy(buf + 14, snap, 8);
        memset(buf + 22, 0x45, 40);
        return 62;
    }
    if (kind == 2) {                    /* ARP request. */
        size_t o = 0;
        memcpy(buf, macs[2], 6);
        memcpy(buf + 6, macs[pick(2)], 6);
        o = 12;
        if (pick(3) == 0) {
            fr_wr16(buf + o, ETH_TYPE_VLAN);
            fr_wr16(buf + o + 2, (uint16_t) (pick(3) << 13 | (10 + pick(2))));
            o += 4;
        }
        fr_wr16(buf + o, ETH_TYPE_ARP);
        o += 2;
        static const uint8_t hdr[8] = {0, 1, 8, 0, 6, 4, 0, 1};
        memcpy(buf + o, hdr, 8);
        memcpy(buf + o + 8, macs[0], 6);
        fr_wr32(buf + o + 14, addrs[pick(3)]);
        memset(buf + o + 18, 0, 6);
        fr_wr32(buf + o + 24, addrs[pick(3)]);
        return MAX(o + 28, (size_t) 60);
    }
    struct frame_spec s;
    memset(&s, 0, sizeof s);
    memcpy(s.dst, macs[pick(3)], 6);
    memcpy(s.src, macs[pick(2)], 6);
    s.vlan = pick(3) == 0 ? (int) (pick(8) << 13 | (10 + pick(2))) : -1;
    s.dl_type = ETH_TYPE_IP;
    static const uint8_t protos[5] = { IP_PROTO_TCP, IP_PROTO_UDP, IP_PROTO_ICMP, 47, IP_PROTO_UDP };
    s.proto = protos[pick(5)];
    s.tos = (uint8_t) (pick(4) << 2 | pick(4));
    s.nw_src = addrs[pick(3)];
    s.nw_dst = addrs[pick(3)];
    s.frag = pick(10) == 0 ? (uint16_t) (pick(2) ? 0x2000 : 0x0010) : 0;
    s.tp_src = tports[pick(3)];
    s.tp_dst = tports[pick(3)];
    s.payload = (uint16_t) (pick(4) == 0 ? 1400 + pick(60) : pick(60));
    s.udp_no_csum = s.proto == IP_PROTO_UDP && pick(4) == 0;
    return frame_build(buf, &s);
}

static struct ofp_action
random_action(void)
{
    struct ofp_action a;
    memset(&a, 0, sizeof a);
    switch (pick(14)) {
    case 0: a.type = OFPAT_SET_VLAN_VID; a.vlan_vid = (uint16_t) pick(4096); break;
    case 1: a.type = OFPAT_SET_VLAN_PCP; a.vlan_pcp = (uint8_t) pick(8); break;
    case 2: a.type = OFPAT_STRIP_VLAN; break;
    case 3: a.type = OFPAT_SET_DL_SRC; memcpy(a.dl_addr, macs[pick(2)], 6); break;
    case 4: a.type = OFPAT_SET_DL_DST; memcpy(a.dl_addr, macs[pick(2)], 6); break;
    case 5: a.type = OFPAT_SET_NW_SRC; a.nw_addr = addrs[pick(3)] + pick(2); break;
    case 6: a.type = OFPAT_SET_NW_DST; a.nw_addr = addrs[pick(3)] + pick(2); break;
    case 7: a.type = OFPAT_SET_NW_TOS; a.nw_tos = (uint8_t) (pick(64) << 2); break;
    case 8: a.type = OFPAT_SET_TP_SRC; a.tp_port = (uint16_t) rnd(); break;
    case 9: a.type = OFPAT_SET_TP_DST; a.tp_port = (uint16_t) rnd(); break;
    case 10: a.type = OFPAT_OUTPUT; a.output.port = OFPP_IN_PORT; break;
    case 11: a.type = OFPAT_OUTPUT; a.output.port = OFPP_FLOOD; break;
    default: a.type = OFPAT_OUTPUT; a.output.port = (uint16_t) (1 + pick(N_PORTS)); break;
    }
    return a;
}

static void
random_flow(struct ofp_flow_mod_h *fm, struct ofp_action *acts)
{
    uint8_t buf[1600];
    size_t len = random_frame(buf);
    struct packet pkt = { .data = buf, .len = (uint32_t) len, .room = (uint32_t) len };
    struct flow_key key;
    flow_extract(&pkt, (uint16_t) (1 + pick(N_PORTS)), &key, NULL);
    memset(fm, 0, sizeof *fm);
    flow_match_from_key(&key, &fm->match);
    uint32_t w = 0;
    static const uint32_t bits[] = {
        OFPFW_IN_PORT, OFPFW_DL_VLAN, OFPFW_DL_SRC, OFPFW_DL_DST, OFPFW_DL_TYPE,
        OFPFW_NW_PROTO, OFPFW_TP_SRC, OFPFW_TP_DST, OFPFW_DL_VLAN_PCP, OFPFW_NW_TOS,
    };
    for (size_t i = 0; i < ARRAY_SIZE(bits); i++) {
        if (pick(3)) {
            w |= bits[i];
        }
    }
    w |= (pick(33)) << OFPFW_NW_SRC_SHIFT;
    w |= (pick(33)) << OFPFW_NW_DST_SHIFT;
    fm->match.wildcards = w;
    ofp_match_normalize(&fm->match);
    fm->command = OFPFC_ADD;
    fm->priority = (uint16_t) pick(5) * 100;
    fm->buffer_id = OFP_NO_BUFFER;
    fm->out_port = OFPP_NONE;
    fm->n_actions = pick(12) == 0 ? 0 : 1 + pick(5);
    for (size_t i = 0; i < fm->n_actions; i++) {
        acts[i] = random_action();
    }
    /* Mostly one output at the end, as forwarding flows have. */
    if (fm->n_actions && pick(4)) {
        acts[fm->n_actions - 1].type = OFPAT_OUTPUT;
        acts[fm->n_actions - 1].output.port = (uint16_t) (1 + pick(N_PORTS));
        acts[fm->n_actions - 1].output.max_len = 0;
    }
    fm->actions = acts;
}

struct out {
    uint16_t port;
    size_t len;
    uint8_t data[1700];
};

static int
ref_run(struct datapath *ref, uint16_t in_port, const uint8_t *frame, size_t len,
        struct out *outs, int max)
{
    struct port *in = dp_port_get(ref, in_port);
    if (port_dummy_inject(in, frame, len)) {
        return -1;
    }
    while (dp_run_once(ref) > 0) {
        continue;
    }
    int n = 0;
    struct buf b;
    buf_init(&b, 2048);
    for (uint16_t p = 1; p <= N_PORTS; p++) {
        while (!port_dummy_pop_sent(dp_port_get(ref, p), &b)) {
            if (n < max) {
                outs[n].port = p;
                outs[n].len = b.size;
                memcpy(outs[n].data, b.data, MIN(b.size, sizeof outs[n].data));
            }
            n++;
        }
    }
    buf_uninit(&b);
    return n;
}

static int failures;
#define CHECK(COND, ...)                                                   \
    do { if (!(COND)) { failures++; if (failures < 20) {                   \
        fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);               \
        fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } } while (0)

int
main(int argc, char *argv[])
{
    if (argc != N_PORTS + 1) {
        fprintf(stderr, "usage: %s IF1 IF2 IF3 IF4 (veths in a private namespace)\n", argv[0]);
        return 2;
    }
    cpu_set_t cpus;                     /* The trace is per CPU. */
    CPU_ZERO(&cpus);
    CPU_SET(0, &cpus);
    sched_setaffinity(0, sizeof cpus, &cpus);
    log_set_level("ALL", LOG_LEVEL_WARN);

    struct datapath *ref = dp_create(0);
    struct datapath *fast = dp_create(0);
    int error = dp_set_type(fast, DP_TYPE_XDP, 0);
    if (error) {
        printf("SKIP: no XDP fast path here (%s)\n", strerror(-error));
        return 77;
    }
    int ifindex[N_PORTS + 1] = {0};
    for (int i = 1; i <= N_PORTS; i++) {
        char spec[64];
        snprintf(spec, sizeof spec, "dummy:ref%d", i);
        if (dp_port_add(ref, spec, (uint16_t) i) != i
            || dp_port_add(fast, argv[i], (uint16_t) i) != i) {
            fprintf(stderr, "FAIL: cannot add port %d (%s)\n", i, argv[i]);
            return 1;
        }
        ifindex[i] = (int) if_nametoindex(argv[i]);
        if (strcmp(dp_port_datapath(fast, (uint16_t) i), "xdp")) {
            fprintf(stderr, "FAIL: port %s is %s, not xdp\n", argv[i],
                    dp_port_datapath(fast, (uint16_t) i));
            return 1;
        }
    }
    /* Link state as the switch sees it (polled once a second). */
    for (int k = 0; k < 15; k++) {
        dp_run_once(ref);
        dp_run_once(fast);
        struct timespec ts = { 0, 100 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    dp_set_miss_mode(ref, DP_MISS_DROP);
    dp_set_miss_mode(fast, DP_MISS_DROP);

    struct ofp_action acts[8];
    for (int i = 0; i < N_FLOWS; i++) {
        struct ofp_flow_mod_h fm;
        struct ofp_error err;
        random_flow(&fm, acts);
        int e1 = flow_table_apply(dp_flow_table(ref), &fm, &err);
        int e2 = flow_table_apply(dp_flow_table(fast), &fm, &err);
        CHECK(e1 == e2, "flow %d: apply %d vs %d", i, e1, e2);
    }
    dp_revalidate(fast);

    struct fastpath *fp;
    fastpath_get(0, &fp);
    fastpath_set_config(fp, fastpath_config(fp) | FP_CFG_TRACE);

    int hits = 0, punts = 0, compared = 0, multi_refused = 0;
    static struct out outs[8];
    for (int i = 0; i < N_FRAMES; i++) {
        uint8_t frame[1600];
        size_t len = random_frame(frame);
        uint16_t in_port = (uint16_t) (1 + pick(N_PORTS));
        int n_out = ref_run(ref, in_port, frame, len, outs, 8);

        /* The miss path of the fast datapath (installs datapath flows). */
        uint8_t copy[1600 + 64];
        memcpy(copy + 64, frame, len);
        struct packet pkt = { .data = copy + 64, .len = (uint32_t) len,
                              .room = (uint32_t) len, .headroom = 64 };
        struct packet_batch b = { .n = 1, .pkts = { &pkt } };
        dp_process_batch(fast, in_port, &b);

        uint8_t xout[1700];
        size_t xlen = sizeof xout;
        uint32_t action;
        struct fp_trace tr;
        error = fastpath_test_run(fp, ifindex[in_port], frame, len, &action, xout,
                                  &xlen, &tr);
        CHECK(!error, "test_run: %s", strerror(-error));
        if (getenv("FP_DEBUG") && i < 5) {
            uint64_t c[FP_C_MAX];
            fastpath_counters(fp, c);
            fprintf(stderr, "frame %d: action %u hit %u out %u; editfail %" PRIu64 " dropact %" PRIu64 " hit %" PRIu64 " miss %"
                    PRIu64 " unparsed %" PRIu64 " notport %" PRIu64 "\n", i, action,
                    tr.hit, tr.out_port, c[FP_C_EDIT_FAILED], c[FP_C_DROP_ACTION], c[FP_C_HIT], c[FP_C_MISS], c[FP_C_UNPARSED],
                    c[FP_C_NOT_PORT]);
        }
        if (!tr.hit) {
            punts++;
            continue;
        }
        hits++;
        if (action == XDP_DROP) {
            CHECK(n_out == 0, "frame %d: kernel dropped, reference sent %d", i, n_out);
            continue;
        }
        CHECK(n_out == 1, "frame %d: kernel forwarded to one port, reference sent %d",
              i, n_out);
        if (n_out != 1) {
            multi_refused++;
            continue;
        }
        uint16_t kport = action == XDP_TX ? in_port : (uint16_t) tr.out_port;
        CHECK(action == XDP_TX || action == XDP_REDIRECT, "frame %d: action %u", i, action);
        CHECK(kport == outs[0].port, "frame %d: kernel port %u, reference %u", i,
              kport, outs[0].port);
        CHECK(xlen == outs[0].len && !memcmp(xout, outs[0].data, xlen),
              "frame %d: bytes differ (kernel %zu, reference %zu bytes)", i, xlen,
              outs[0].len);
        compared++;
    }

    /* Counters: fast = reference + kernel hits on the same flows. */
    dp_sync_flow_stats(fast);
    uint64_t ref_total = 0, fast_total = 0;
    struct flow_table *ft_ref = dp_flow_table(ref), *ft_fast = dp_flow_table(fast);
    struct flow_entry *e;
    LIST_FOR_EACH (e, list_node, &ft_ref->entries) {
        ref_total += e->packet_count;
    }
    LIST_FOR_EACH (e, list_node, &ft_fast->entries) {
        fast_total += e->packet_count;
    }
    CHECK(fast_total == ref_total + (uint64_t) hits,
          "flow counters: fast %" PRIu64 " != reference %" PRIu64 " + hits %d",
          fast_total, ref_total, hits);

    struct dp_fastpath_stats fs;
    dp_get_fastpath_stats(fast, &fs);
    printf("%d frames: %d kernel hits compared byte for byte (%d), %d punted; "
           "%" PRIu64 " datapath flows installed; flow counters %" PRIu64 " = %" PRIu64
           " + %d\n", N_FRAMES, hits, compared, punts, fs.installs, fast_total,
           ref_total, hits);
    CHECK(compared > N_FRAMES / 10, "too few frames compared (%d): the test "
          "exercises nothing", compared);
    (void) multi_refused;
    fastpath_put(fp);
    dp_destroy(fast);
    dp_destroy(ref);
    if (failures) {
        fprintf(stderr, "%d failures\n", failures);
        return 1;
    }
    printf("PASS\n");
    return 0;
}
