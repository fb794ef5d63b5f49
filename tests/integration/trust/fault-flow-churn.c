/* fault-flow-churn — the flow table (lib/dp/flow-table.h) under churn:
 *
 *   1. 1,000,000 random FLOW_MOD ADD / DELETE_STRICT operations over
 *      20,000 possible flows (about 10,000 installed at a time) of three
 *      match shapes (IPv4 destination, TCP source, in_port + Ethernet
 *      destination) and seven priorities, checked against a
 *      reference set: after every 100,000 operations, flow_table_collect()
 *      (what dump-flows uses) returns exactly the reference flows, each
 *      once, with the actions it was added with;
 *   2. 100,000 flows installed at once: collect returns all of them, each
 *      exact match finds its one flow, aggregate counts them;
 *   3. everything deleted with one DELETE: the table is empty and the heap
 *      in use (mallinfo2) is back to the baseline taken after a warm-up
 *      round (the first round may leave hash buckets sized for the peak,
 *      which is fine; growth after that would be a leak).  Under ASan the
 *      allocator is ASan's (mallinfo2 sees nothing): leak detection at exit
 *      checks the same thing.
 * Prints the operation count, time and heap numbers. */
#include <errno.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dp/flow-table.h"
#include "ofp/ofp-wire.h"

#ifndef N_KEYS
#define N_KEYS 20000
#endif
#ifndef N_OPS
#define N_OPS 1000000
#endif
#ifndef N_INSTALLED
#define N_INSTALLED 100000
#endif
#ifndef WARM_OPS
#define WARM_OPS 100000
#endif
#ifndef CHECK_EVERY
#define CHECK_EVERY 100000
#endif

/* Size of the per-flow arrays. */
#define N_ALL (N_KEYS > N_INSTALLED ? N_KEYS : N_INSTALLED)

#define CHECK(cond, ...)                                                    \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "fault-flow-churn: FAIL %s:%d: %s: ", __FILE__, \
                    __LINE__, #cond);                                       \
            fprintf(stderr, __VA_ARGS__);                                   \
            fputc('\n', stderr);                                            \
            exit(1);                                                        \
        }                                                                   \
    } while (0)

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t
random_u32(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t) rng;
}

static uint16_t
port_of(uint32_t i)
{
    return 1 + i % 16;
}

/* The match of flow i (one of three shapes, so several subtables). */
static void
match_of(uint32_t i, struct ofp_match_h *m)
{
    memset(m, 0, sizeof *m);
    switch (i % 3) {
    case 0:
        m->wildcards = OFPFW_ALL & ~(uint32_t) (OFPFW_DL_TYPE | OFPFW_NW_DST_MASK);
        m->dl_type = ETH_TYPE_IP;
        m->nw_dst = 0x0a000000u | i;
        break;
    case 1:
        m->wildcards = OFPFW_ALL & ~(uint32_t) (OFPFW_DL_TYPE | OFPFW_NW_PROTO
                                                | OFPFW_NW_SRC_MASK);
        m->dl_type = ETH_TYPE_IP;
        m->nw_proto = 6;
        m->nw_src = 0x0b000000u | i;
        break;
    default:
        m->wildcards = OFPFW_ALL & ~(uint32_t) (OFPFW_IN_PORT | OFPFW_DL_DST);
        m->in_port = port_of(i);
        m->dl_dst[0] = 0x02;
        m->dl_dst[3] = i >> 16;
        m->dl_dst[4] = i >> 8;
        m->dl_dst[5] = i;
        break;
    }
    ofp_match_normalize(m);
}

/* Which flow an entry is (inverse of match_of). */
static uint32_t
key_of(const struct flow_entry *e)
{
    const struct ofp_match_h *m = &e->match;
    if (!(m->wildcards & OFPFW_IN_PORT)) {
        return (uint32_t) m->dl_dst[3] << 16 | m->dl_dst[4] << 8 | m->dl_dst[5];
    }
    return m->nw_proto == 6 ? m->nw_src & 0xffffff : m->nw_dst & 0xffffff;
}

static struct ofp_action action;

static void
apply(struct flow_table *ft, uint16_t command, uint32_t i)
{
    struct ofp_flow_mod_h fm;
    memset(&fm, 0, sizeof fm);
    match_of(i, &fm.match);
    fm.command = command;
    fm.priority = 100 + i % 7;
    fm.out_port = OFPP_NONE;
    fm.buffer_id = OFP_NO_BUFFER;
    fm.cookie = i;
    action.type = OFPAT_OUTPUT;
    action.output.port = port_of(i);
    fm.actions = &action;
    fm.n_actions = 1;
    struct ofp_error err;
    int error = flow_table_apply(ft, &fm, &err);
    CHECK(!error, "flow %u command %u: error %d (type %u code %u)", i,
          command, error, err.type, err.code);
}

static void
delete_all(struct flow_table *ft)
{
    struct ofp_flow_mod_h fm;
    memset(&fm, 0, sizeof fm);
    ofp_match_init_catchall(&fm.match);
    fm.command = OFPFC_DELETE;
    fm.out_port = OFPP_NONE;
    fm.buffer_id = OFP_NO_BUFFER;
    struct ofp_error err;
    CHECK(!flow_table_apply(ft, &fm, &err), "delete all");
}

/* collect(catch-all) == the reference set, each flow once, right actions. */
static void
check_dump(const struct flow_table *ft, const bool *installed, size_t n_ref)
{
    struct ofp_match_h all;
    ofp_match_init_catchall(&all);
    size_t n;
    struct flow_entry **flows = flow_table_collect(ft, &all, OFPP_NONE, false,
                                                   &n);
    CHECK(n == n_ref, "dump has %zu flows, reference %zu", n, n_ref);
    CHECK(flow_table_active_count(ft) == n_ref, "active count %zu",
          flow_table_active_count(ft));
    static uint8_t seen[N_ALL];
    memset(seen, 0, sizeof seen);
    for (size_t k = 0; k < n; k++) {
        uint32_t i = key_of(flows[k]);
        CHECK(i < N_ALL && installed[i], "dump has flow %u not installed", i);
        CHECK(!seen[i]++, "flow %u twice in the dump", i);
        CHECK(flows[k]->n_actions == 1
              && flows[k]->actions[0].output.port == port_of(i)
              && flows[k]->cookie == i && flows[k]->priority == 100 + i % 7,
              "flow %u has wrong actions/cookie/priority", i);
    }
    free(flows);
}

static size_t
heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks;
}

static double
seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* One churn round: n_ops random adds/deletes checked against a reference
 * (the table holds about N_KEYS / 2 flows). */
static void
churn(struct flow_table *ft, bool *installed, uint32_t n_ops)
{
    size_t n_ref = 0;
    memset(installed, 0, N_KEYS);
    for (uint32_t op = 1; op <= n_ops; op++) {
        uint32_t i = random_u32() % N_KEYS;
        if (installed[i]) {
            apply(ft, OFPFC_DELETE_STRICT, i);
            installed[i] = false;
            n_ref--;
        } else {
            apply(ft, OFPFC_ADD, i);
            installed[i] = true;
            n_ref++;
        }
        if (op % CHECK_EVERY == 0) {
            check_dump(ft, installed, n_ref);
        }
    }
    delete_all(ft);
    memset(installed, 0, N_KEYS);
    check_dump(ft, installed, 0);
}

int
main(void)
{
    static bool installed[N_ALL];
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    size_t heap_empty = heap_in_use();

    struct flow_table ft;
    flow_table_init(&ft, 2 * N_ALL);

    /* Warm-up round, then the baseline. */
    churn(&ft, installed, WARM_OPS);
    size_t heap_base = heap_in_use();

    /* 1. The churn. */
    struct timespec t_churn;
    clock_gettime(CLOCK_MONOTONIC, &t_churn);
    churn(&ft, installed, N_OPS);
    size_t heap_after_churn = heap_in_use();
    printf("churn: %d add/delete operations over %d flows (about %d "
           "installed at a time), dump checked every %d: %.2f s\n",
           N_OPS, N_KEYS, N_KEYS / 2, CHECK_EVERY, seconds_since(&t_churn));

    /* 2. 100,000 installed flows. */
    struct timespec t_install;
    clock_gettime(CLOCK_MONOTONIC, &t_install);
    memset(installed, 0, sizeof installed);
    for (uint32_t i = 0; i < N_INSTALLED; i++) {
        apply(&ft, OFPFC_ADD, i);
        installed[i] = true;
    }
    check_dump(&ft, installed, N_INSTALLED);
    for (uint32_t k = 0; k < 1000; k++) {
        uint32_t i = random_u32() % (2 * N_INSTALLED);
        struct ofp_match_h m;
        match_of(i, &m);
        size_t n;
        struct flow_entry **flows = flow_table_collect(&ft, &m, OFPP_NONE,
                                                       false, &n);
        CHECK(n == (i < N_INSTALLED), "exact match of flow %u found %zu", i, n);
        CHECK(!n || key_of(flows[0]) == i, "exact match of %u found %u", i,
              key_of(flows[0]));
        free(flows);
    }
    struct ofp_match_h all;
    ofp_match_init_catchall(&all);
    struct flow_table_aggregate agg;
    flow_table_aggregate(&ft, &all, OFPP_NONE, false, &agg);
    CHECK(agg.flow_count == N_INSTALLED, "aggregate %u", agg.flow_count);
    size_t heap_full = heap_in_use();
    printf("installed: %d flows, dump, exact lookups and aggregate correct: "
           "%.2f s\n", N_INSTALLED, seconds_since(&t_install));

    /* 3. Back to empty. */
    struct timespec t_delete;
    clock_gettime(CLOCK_MONOTONIC, &t_delete);
    delete_all(&ft);
    printf("delete-all of %d flows: %.2f s\n", N_INSTALLED,
           seconds_since(&t_delete));
    memset(installed, 0, sizeof installed);
    check_dump(&ft, installed, 0);
    size_t heap_final = heap_in_use();
    flow_table_destroy(&ft);
    size_t heap_destroyed = heap_in_use();

    printf("heap in use (bytes): before %zu, baseline after warm-up %zu, "
           "after churn %zu, with %d flows %zu, after delete-all %zu, "
           "after destroy %zu\n", heap_empty, heap_base, heap_after_churn,
           N_INSTALLED, heap_full, heap_final, heap_destroyed);
    printf("time: %.2f s\n", seconds_since(&t0));
    if (UNDER_ASAN) {
        printf("heap checks left to the sanitizer's leak detection\n");
    } else {
        /* Slack: 64 KB for allocator bookkeeping. */
        CHECK(heap_after_churn <= heap_base + 65536,
              "heap grew over a churn round: %zu -> %zu", heap_base,
              heap_after_churn);
        CHECK(heap_final <= heap_base + 65536,
              "heap after delete-all %zu above baseline %zu", heap_final,
              heap_base);
        CHECK(heap_destroyed <= heap_empty + 65536,
              "heap after destroy %zu above start %zu", heap_destroyed,
              heap_empty);
        CHECK(heap_full > heap_base, "flows used no heap?");
    }
    printf("PASS\n");
    return 0;
}
