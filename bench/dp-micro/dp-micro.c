/* dp-micro — cost of the datapath's packet path without real I/O.
 *
 * Builds a datapath with two dummy ports, installs flows, and pushes
 * pre-built batches of 64-byte UDP frames through dp_process_batch()
 * (parse, cache/classifier lookup, grouping, actions, port_send on a dummy
 * port, which copies each frame).  Prints packets per second for:
 *   one-flow      every frame hits one wildcard flow (cache hits)
 *   many-masks    200 wildcard flows over 20 masks, 4096 distinct frames
 *   cache-miss    65536 distinct frames (over the cache), same 200 flows
 *   set-field     one flow: set_nw_dst + set_tp_dst + output
 *   extra-10000   one-flow plus 10,000 flows the traffic does not match
 *                 (exact nw_dst, every tenth also on tp_dst; as switch-fwd) 
 * Usage: dp-micro [seconds-per-case] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dp/datapath.h"
#include "pkt/csum.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/log.h"

#define FRAME_LEN 60

static void
build_udp(uint8_t *f, uint32_t seq)
{
    memset(f, 0, FRAME_LEN);
    memcpy(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00", 14);
    uint8_t *ip = f + 14;
    ip[0] = 0x45;
    ip[3] = FRAME_LEN - 14;
    ip[8] = 64;
    ip[9] = 17;
    ip[12] = 10; ip[15] = 1;
    ip[16] = 10; ip[17] = (uint8_t) (seq >> 16); ip[18] = (uint8_t) (seq >> 8); ip[19] = (uint8_t) seq;
    uint16_t c = csum_finish(csum_partial(ip, 20, 0));
    ip[10] = (uint8_t) (c >> 8);
    ip[11] = (uint8_t) c;
    uint8_t *udp = ip + 20;
    udp[0] = 0x13; udp[1] = 0x88;
    udp[2] = (uint8_t) (seq >> 8); udp[3] = (uint8_t) seq;
    udp[5] = FRAME_LEN - 34;
}

static void
flow_add(struct datapath *dp, const struct ofp_match_h *m, uint16_t prio,
         const struct ofp_action *a, size_t n)
{
    struct ofp_flow_mod_h fm;
    memset(&fm, 0, sizeof fm);
    fm.match = *m;
    fm.command = OFPFC_ADD;
    fm.priority = prio;
    fm.out_port = OFPP_NONE;
    fm.actions = (struct ofp_action *) a;
    fm.n_actions = n;
    struct ofp_error err;
    if (flow_table_apply(dp_flow_table(dp), &fm, &err)) {
        fprintf(stderr, "flow_mod failed\n");
        exit(1);
    }
}

static struct ofp_action
output(uint16_t port)
{
    struct ofp_action a;
    memset(&a, 0, sizeof a);
    a.type = OFPAT_OUTPUT;
    a.output.port = port;
    return a;
}

/* 200 flows over 20 masks (nw_dst prefixes x tp_dst on/off). */
static void
add_many(struct datapath *dp)
{
    struct ofp_action a = output(2);
    for (int i = 0; i < 200; i++) {
        struct ofp_match_h m;
        memset(&m, 0, sizeof m);
        int prefix = 12 + (i % 10);
        m.wildcards = OFPFW_ALL & ~(uint32_t) (OFPFW_DL_TYPE | OFPFW_NW_DST_MASK);
        m.wildcards |= (uint32_t) (32 - prefix) << OFPFW_NW_DST_SHIFT;
        if (i % 20 >= 10) {
            m.wildcards &= ~(uint32_t) (OFPFW_NW_PROTO | OFPFW_TP_DST);
            m.nw_proto = 17;
            m.tp_dst = (uint16_t) i;
        }
        m.dl_type = 0x0800;
        m.nw_dst = (0x0b000000u + ((uint32_t) i << 20)) & (~0u << (32 - prefix));
        flow_add(dp, &m, (uint16_t) (100 + i), &a, 1);
    }
    /* The catch-all that the traffic actually hits, lowest priority. */
    struct ofp_match_h all;
    memset(&all, 0, sizeof all);
    all.wildcards = OFPFW_ALL;
    flow_add(dp, &all, 0, &a, 1);
}

static double
run_case(struct datapath *dp, struct port *out, unsigned int n_frames,
         double seconds)
{
    uint8_t *frames = malloc((size_t) n_frames * (FRAME_LEN + 64));
    struct packet *pkts = calloc(n_frames, sizeof *pkts);
    for (unsigned int i = 0; i < n_frames; i++) {
        uint8_t *block = frames + (size_t) i * (FRAME_LEN + 64);
        build_udp(block + 64, i);
        pkts[i] = (struct packet) { .data = block + 64, .len = FRAME_LEN,
                                    .room = FRAME_LEN, .headroom = 64 };
    }
    struct buf sink;
    buf_init(&sink, 0);
    uint64_t start = clock_now_ns(), packets = 0;
    unsigned int next = 0;
    while (clock_now_ns() - start < (uint64_t) (seconds * 1e9)) {
        for (int rep = 0; rep < 64; rep++) {
            struct packet_batch b;
            b.n = PACKET_BATCH_MAX;
            for (unsigned int j = 0; j < b.n; j++) {
                b.pkts[j] = &pkts[next];
                next = next + 1 == n_frames ? 0 : next + 1;
            }
            dp_process_batch(dp, 1, &b);
            packets += b.n;
        }
        while (port_dummy_pop_sent(out, &sink) == 0) {
            continue;
        }
    }
    double pps = (double) packets / ((double) (clock_now_ns() - start) / 1e9);
    buf_uninit(&sink);
    free(pkts);
    free(frames);
    return pps;
}

static struct datapath *
make_dp(struct port **out)
{
    struct datapath *dp = dp_create(0);
    dp_port_add(dp, "dummy:micro1", 1);
    dp_port_add(dp, "dummy:micro2", 2);
    *out = dp_port_get(dp, 2);
    return dp;
}

int
main(int argc, char *argv[])
{
    double secs = argc > 1 ? atof(argv[1]) : 1.0;
    log_set_level("ALL", LOG_LEVEL_WARN);
    struct port *out;
    struct datapath *dp;

    dp = make_dp(&out);
    struct ofp_match_h m;
    memset(&m, 0, sizeof m);
    m.wildcards = OFPFW_ALL & ~(uint32_t) OFPFW_IN_PORT;
    m.in_port = 1;
    struct ofp_action a[3] = { output(2) };
    flow_add(dp, &m, 1, a, 1);
    printf("one-flow     %10.0f pps\n", run_case(dp, out, 1024, secs));
    dp_destroy(dp);

    dp = make_dp(&out);
    add_many(dp);
    printf("many-masks   %10.0f pps\n", run_case(dp, out, 4096, secs));
    printf("cache-miss   %10.0f pps\n", run_case(dp, out, 65536, secs));
    dp_destroy(dp);

    dp = make_dp(&out);
    memset(a, 0, sizeof a);
    a[0].type = OFPAT_SET_NW_DST;
    a[0].nw_addr = 0xc0a80001;
    a[1].type = OFPAT_SET_TP_DST;
    a[1].tp_port = 9;
    a[2] = output(2);
    flow_add(dp, &m, 1, a, 3);
    printf("set-field    %10.0f pps\n", run_case(dp, out, 1024, secs));
    dp_destroy(dp);

    dp = make_dp(&out);
    a[0] = output(2);
    flow_add(dp, &m, 0x8000, a, 1);
    for (uint32_t i = 0; i < 10000; i++) {
        struct ofp_match_h x;
        memset(&x, 0, sizeof x);
        x.wildcards = OFPFW_ALL & ~(uint32_t) (OFPFW_DL_TYPE | OFPFW_NW_DST_MASK);
        x.dl_type = 0x0800;
        x.nw_dst = 0xac100000u + i;
        if (i % 10 == 0) {
            x.wildcards &= ~(uint32_t) (OFPFW_NW_PROTO | OFPFW_TP_DST);
            x.nw_proto = 6;
            x.tp_dst = (uint16_t) (1000 + i % 5000);
        }
        struct ofp_action drop;
        flow_add(dp, &x, 5, &drop, 0);
    }
    uint64_t t0 = clock_now_ns();
    dp_expire(dp);
    double expiry_us = (double) (clock_now_ns() - t0) / 1e3;
    printf("extra-10000  %10.0f pps   (one expiry pass: %.0f us)\n",
           run_case(dp, out, 1024, secs), expiry_us);
    dp_destroy(dp);
    return 0;
}
