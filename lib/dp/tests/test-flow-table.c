/* OpenFlow 1.0 flow-table semantics: add/replace, overlap, table full,
 * modify (strict and not), delete with out_port, emergency flows,
 * timeouts driven by clock_stop()/clock_warp_ms(), stats selection, and the
 * match <-> classifier conversion. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>
#include "dp/flow-match.h"
#include "dp/flow-table.h"
#include "util/clock.h"

struct removed_log {
    int n;
    uint8_t reasons[16];
    uint64_t cookies[16];
};

static void
on_removed(const struct flow_entry *e, uint8_t reason, void *aux)
{
    struct removed_log *log = aux;
    if (log->n < 16) {
        log->reasons[log->n] = reason;
        log->cookies[log->n] = e->cookie;
    }
    log->n++;
}

static struct ofp_action out_actions[2];

static struct ofp_flow_mod_h
fm_make(uint16_t command, uint16_t priority, uint16_t out_port)
{
    struct ofp_flow_mod_h fm;
    memset(&fm, 0, sizeof fm);
    fm.match.wildcards = OFPFW_ALL;
    fm.command = command;
    fm.priority = priority;
    fm.out_port = OFPP_NONE;
    fm.buffer_id = OFP_NO_BUFFER;
    out_actions[0].type = OFPAT_OUTPUT;
    out_actions[0].output.port = out_port;
    fm.actions = out_actions;
    fm.n_actions = 1;
    return fm;
}

/* Match on IPv4 nw_dst/prefix. */
static void
match_ip_dst(struct ofp_match_h *m, uint32_t dst, int prefix)
{
    memset(m, 0, sizeof *m);
    m->wildcards = OFPFW_ALL & ~(uint32_t) (OFPFW_DL_TYPE | OFPFW_NW_DST_MASK);
    m->wildcards |= (uint32_t) (32 - prefix) << OFPFW_NW_DST_SHIFT;
    m->dl_type = ETH_TYPE_IP;
    m->nw_dst = dst & (prefix ? ~0u << (32 - prefix) : 0);
}

static struct flow_key
ip_key(uint32_t dst)
{
    struct flow_key k;
    memset(&k, 0, sizeof k);
    k.in_port = 1;
    k.dl_vlan = FLOW_VLAN_NONE;
    k.dl_type = ETH_TYPE_IP;
    k.nw_proto = IP_PROTO_TCP;
    k.nw_dst = dst;
    k.tp_dst = 80;
    return k;
}

static void
test_add_replace_lookup(void **state)
{
    (void) state;
    struct flow_table ft;
    struct ofp_error err;
    flow_table_init(&ft, 0);
    struct ofp_flow_mod_h fm = fm_make(OFPFC_ADD, 10, 2);
    match_ip_dst(&fm.match, 0x0a000000, 8);
    fm.cookie = 1;
    assert_int_equal(flow_table_apply(&ft, &fm, &err), 0);
    struct flow_key k = ip_key(0x0a010203);
    struct flow_entry *e = flow_table_lookup(&ft, &k);
    assert_non_null(e);
    assert_int_equal(e->cookie, 1);
    flow_entry_account(e, 3, 300, clock_now_ms());

    /* Identical match + priority: replaced, counters reset. */
    fm.cookie = 2;
    out_actions[0].output.port = 3;
    assert_int_equal(flow_table_apply(&ft, &fm, &err), 0);
    assert_int_equal(flow_table_active_count(&ft), 1);
    e = flow_table_lookup(&ft, &k);
    assert_int_equal(e->cookie, 2);
    assert_int_equal(e->packet_count, 0);
    assert_int_equal(e->actions[0].output.port, 3);

    /* Same match, other priority: a second flow; higher wins. */
    fm = fm_make(OFPFC_ADD, 20, 4);
    match_ip_dst(&fm.match, 0x0a000000, 8);
    assert_int_equal(flow_table_apply(&ft, &fm, &err), 0);
    assert_int_equal(flow_table_active_count(&ft), 2);
    assert_int_equal(flow_table_lookup(&ft, &k)->priority, 20);

    /* An exact match beats both, even at priority 0. */
    fm = fm_make(OFPFC_ADD, 0, 5);
    flow_match_from_key(&k, &fm.match);
    assert_int_equal(flow_table_apply(&ft, &fm, &err), 0);
    assert_int_equal(flow_table_lookup(&ft, &k)->actions[0].output.port, 5);
    struct flow_key k2 = k;
    k2.tp_src = 1;
    assert_int_equal(flow_table_lookup(&ft, &k2)->priority, 20);
    assert_null(flow_table_lookup(&ft, &(struct flow_key) { .dl_vlan = 0xffff }));
    assert_int_equal(ft.lookups, 6);
    assert_int_equal(ft.matched, 5);
    flow_table_destroy(&ft);
}

static void
test_overlap_full_emerg(void **state)
{
    (void) state;
    struct flow_table ft;
    struct ofp_error err;
    flow_table_init(&ft, 2);
    struct ofp_flow_mod_h fm = fm_make(OFPFC_ADD, 10, 2);
    match_ip_dst(&fm.match, 0x0a000000, 8);
    assert_int_equal(flow_table_apply(&ft, &fm, &err), 0);

    /* Overlap: 10.1/16 within 10/8 at the same priority. */
    fm.flags = OFPFF_CHECK_OVERLAP;
    match_ip_dst(&fm.match, 0x0a010000, 16);
    assert_int_equal(flow_table_apply(&ft, &fm, &err), -EINVAL);
    assert_int_equal(err.type, OFPET_FLOW_MOD_FAILED);
    assert_int_equal(err.code, OFPFMFC_OVERLAP);
    fm.priority = 11;                               /* Other priority: ok. */
    assert_int_equal(flow_table_apply(&ft, &fm, &err), 0);
    fm.priority = 10;
    match_ip_dst(&fm.match, 0x0b000000, 8);         /* Disjoint: ok but full. */
    assert_int_equal(flow_table_apply(&ft, &fm, &err), -EINVAL);
    assert_int_equal(err.code, OFPFMFC_ALL_TABLES_FULL);
    /* Replacing an existing flow is allowed when full. */
    fm.flags = 0;
    match_ip_dst(&fm.match, 0x0a000000, 8);
    assert_int_equal(flow_table_apply(&ft, &fm, &err), 0);

    /* Emergency flows: no timeouts; own table. */
    fm.flags = OFPFF_EMERG;
    fm.idle_timeout = 5;
    assert_int_equal(flow_table_apply(&ft, &fm, &err), -EINVAL);
    assert_int_equal(err.code, OFPFMFC_BAD_EMERG_TIMEOUT);
    fm.idle_timeout = 0;
    fm.hard_timeout = 1;
    assert_int_equal(flow_table_apply(&ft, &fm, &err), -EINVAL);
    fm.hard_timeout = 0;
    out_actions[0].output.port = 9;
    assert_int_equal(flow_table_apply(&ft, &fm, &err), 0);
    struct flow_key k = ip_key(0x0a000001);
    assert_int_equal(flow_table_lookup(&ft, &k)->actions[0].output.port, 2);

    struct removed_log log = {0};
    flow_table_set_removed_cb(&ft, on_removed, &log);
    uint32_t v = ft.version;
    flow_table_set_emergency(&ft, true);
    assert_true(ft.version != v);
    assert_int_equal(log.n, 2);                     /* Normal flows deleted. */
    assert_int_equal(log.reasons[0], OFPRR_DELETE);
    assert_int_equal(flow_table_active_count(&ft), 0);
    assert_int_equal(flow_table_lookup(&ft, &k)->actions[0].output.port, 9);
    flow_table_set_emergency(&ft, false);
    assert_null(flow_table_lookup(&ft, &k));

    fm.command = 99;
    assert_int_equal(flow_table_apply(&ft, &fm, &err), -EINVAL);
    assert_int_equal(err.code, OFPFMFC_BAD_COMMAND);
    flow_table_destroy(&ft);
}

static void
test_modify_delete(void **state)
{
    (void) state;
    struct flow_table ft;
    struct ofp_error err;
    flow_table_init(&ft, 0);
    struct removed_log log = {0};
    flow_table_set_removed_cb(&ft, on_removed, &log);
    for (int i = 0; i < 4; i++) {
        struct ofp_flow_mod_h fm = fm_make(OFPFC_ADD, (uint16_t) (10 + i), (uint16_t) (i % 2 ? 7 : 8));
        match_ip_dst(&fm.match, 0x0a000000u | ((uint32_t) i << 8), 24);
        fm.cookie = (uint64_t) i;
        fm.flags = OFPFF_SEND_FLOW_REM;
        assert_int_equal(flow_table_apply(&ft, &fm, &err), 0);
    }
    struct flow_entry *e = flow_table_lookup(&ft, &(struct flow_key) { .dl_type = ETH_TYPE_IP, .nw_dst = 0x0a000105 });
    flow_entry_account(e, 5, 500, clock_now_ms());

    /* MODIFY_STRICT with wrong priority: nothing matched -> adds. */
    struct ofp_flow_mod_h fm = fm_make(OFPFC_MODIFY_STRICT, 99, 1);
    match_ip_dst(&fm.match, 0x0a000100, 24);
    assert_int_equal(flow_table_apply(&ft, &fm, &err), 0);
    assert_int_equal(flow_table_active_count(&ft), 5);
    /* MODIFY_STRICT hit: actions change, counters stay. */
    fm = fm_make(OFPFC_MODIFY_STRICT, 11, 6);
    match_ip_dst(&fm.match, 0x0a000100, 24);
    assert_int_equal(flow_table_apply(&ft, &fm, &err), 0);
    assert_int_equal(e->actions[0].output.port, 6);
    assert_int_equal(e->packet_count, 5);
    assert_int_equal(e->cookie, 1);
    /* Non-strict MODIFY over 10/8: all five. */
    fm = fm_make(OFPFC_MODIFY, 0, 4);
    match_ip_dst(&fm.match, 0x0a000000, 8);
    assert_int_equal(flow_table_apply(&ft, &fm, &err), 0);
    assert_int_equal(flow_table_active_count(&ft), 5);
    size_t n;
    struct ofp_match_h all;

    memset(&all, 0, sizeof all);
    all.wildcards = OFPFW_ALL;
    struct flow_entry **flows = flow_table_collect(&ft, &all, 4, false, &n);
    assert_int_equal(n, 5);
    free(flows);
    assert_null(flow_table_collect(&ft, &all, 7, false, &n));
    assert_int_equal(n, 0);

    /* Restore distinct outputs, then DELETE with out_port. */
    for (int i = 0; i < 4; i++) {
        fm = fm_make(OFPFC_MODIFY_STRICT, (uint16_t) (10 + i), (uint16_t) (i % 2 ? 7 : 8));
        match_ip_dst(&fm.match, 0x0a000000u | ((uint32_t) i << 8), 24);
        assert_int_equal(flow_table_apply(&ft, &fm, &err), 0);
    }
    struct flow_table_aggregate agg;
    flow_table_aggregate(&ft, &all, 7, false, &agg);
    assert_int_equal(agg.flow_count, 2);
    assert_int_equal(agg.packet_count, 5);
    assert_int_equal(agg.byte_count, 500);

    fm = fm_make(OFPFC_DELETE, 0, 0);
    fm.out_port = 7;
    assert_int_equal(flow_table_apply(&ft, &fm, &err), 0);
    assert_int_equal(flow_table_active_count(&ft), 3);
    assert_int_equal(log.n, 2);
    assert_int_equal(log.reasons[0], OFPRR_DELETE);
    assert_int_equal(log.cookies[0] % 2, 1);

    /* DELETE_STRICT needs the exact priority. */
    fm = fm_make(OFPFC_DELETE_STRICT, 12, 0);
    match_ip_dst(&fm.match, 0x0a000200, 24);
    fm.priority = 13;
    assert_int_equal(flow_table_apply(&ft, &fm, &err), 0);
    assert_int_equal(flow_table_active_count(&ft), 3);
    fm.priority = 12;
    assert_int_equal(flow_table_apply(&ft, &fm, &err), 0);
    assert_int_equal(flow_table_active_count(&ft), 2);

    /* Non-strict DELETE of a narrower match does not remove wider flows. */
    fm = fm_make(OFPFC_DELETE, 0, 0);
    match_ip_dst(&fm.match, 0x0a000000, 32);
    assert_int_equal(flow_table_apply(&ft, &fm, &err), 0);
    assert_int_equal(flow_table_active_count(&ft), 2);
    fm.match = all;
    assert_int_equal(flow_table_apply(&ft, &fm, &err), 0);
    assert_int_equal(flow_table_active_count(&ft), 0);
    assert_int_equal(log.n, 5);
    flow_table_destroy(&ft);
}

static void
test_timeouts(void **state)
{
    (void) state;
    clock_stop();
    struct flow_table ft;
    struct ofp_error err;
    flow_table_init(&ft, 0);
    struct removed_log log = {0};
    flow_table_set_removed_cb(&ft, on_removed, &log);

    struct ofp_flow_mod_h fm = fm_make(OFPFC_ADD, 1, 1);
    match_ip_dst(&fm.match, 0x0a000000, 24);
    fm.idle_timeout = 10;
    fm.cookie = 100;
    assert_int_equal(flow_table_apply(&ft, &fm, &err), 0);
    fm = fm_make(OFPFC_ADD, 1, 1);
    match_ip_dst(&fm.match, 0x0b000000, 24);
    fm.hard_timeout = 15;
    fm.idle_timeout = 5;
    fm.cookie = 200;
    assert_int_equal(flow_table_apply(&ft, &fm, &err), 0);
    fm = fm_make(OFPFC_ADD, 1, 1);
    match_ip_dst(&fm.match, 0x0c000000, 24);
    fm.cookie = 300;                                /* Permanent. */
    assert_int_equal(flow_table_apply(&ft, &fm, &err), 0);

    struct flow_key kb = ip_key(0x0b000001);
    for (int s = 0; s < 14; s++) {
        clock_warp_ms(1000);
        flow_entry_account(flow_table_lookup(&ft, &kb), 1, 64, clock_now_ms());
        flow_table_expire(&ft, clock_now_ms());
    }
    /* The idle flow expired at 10 s; the busy one lives until 15 s. */
    assert_int_equal(log.n, 1);
    assert_int_equal(log.cookies[0], 100);
    assert_int_equal(log.reasons[0], OFPRR_IDLE_TIMEOUT);
    struct flow_entry *b = flow_table_lookup(&ft, &kb);
    uint32_t sec, nsec;
    flow_entry_duration(b, clock_now_ns(), &sec, &nsec);
    assert_int_equal(sec, 14);
    assert_int_equal(nsec, 0);
    clock_warp_ms(999);
    assert_int_equal(flow_table_expire(&ft, clock_now_ms()), 0);
    clock_warp_ms(1);
    assert_int_equal(flow_table_expire(&ft, clock_now_ms()), 1);
    assert_int_equal(log.reasons[1], OFPRR_HARD_TIMEOUT);
    assert_int_equal(log.cookies[1], 200);
    clock_warp_ms(1000000);
    assert_int_equal(flow_table_expire(&ft, clock_now_ms()), 0);
    assert_int_equal(flow_table_active_count(&ft), 1);
    flow_table_destroy(&ft);
    clock_resume();
}

/* Many flows of one priority removed by one wildcard DELETE (with an
 * out_port filter) and by expiry: each removal is O(1) in the classifier
 * (it used to rescan the flow's subtable per removal, O(n^2) in all). */
#define N_SAME_PRIORITY 20000

static void
test_delete_and_expire_many_same_priority(void **state)
{
    (void) state;
    clock_stop();
    struct flow_table ft;
    struct ofp_error err;
    flow_table_init(&ft, 0);
    struct removed_log log = {0};
    flow_table_set_removed_cb(&ft, on_removed, &log);
    for (uint32_t i = 0; i < N_SAME_PRIORITY; i++) {
        struct ofp_flow_mod_h fm = fm_make(OFPFC_ADD, 0x8000, 1 + i % 2);
        match_ip_dst(&fm.match, 0x0a000000 | i, 32);
        fm.idle_timeout = 10;
        fm.cookie = i;
        assert_int_equal(flow_table_apply(&ft, &fm, &err), 0);
    }
    assert_int_equal(flow_table_active_count(&ft), N_SAME_PRIORITY);

    /* DELETE ip,nw_dst=10.0.0.0/8 out_port=2: every other flow. */
    struct ofp_flow_mod_h del = fm_make(OFPFC_DELETE, 0, 1);
    match_ip_dst(&del.match, 0x0a000000, 8);
    del.out_port = 2;
    assert_int_equal(flow_table_apply(&ft, &del, &err), 0);
    assert_int_equal(log.n, N_SAME_PRIORITY / 2);
    assert_int_equal(log.reasons[0], OFPRR_DELETE);
    assert_int_equal(flow_table_active_count(&ft), N_SAME_PRIORITY / 2);
    struct flow_key k = ip_key(0x0a000001);      /* Flow 1: output 2. */
    assert_null(flow_table_lookup(&ft, &k));
    k = ip_key(0x0a000002);
    struct flow_entry *e = flow_table_lookup(&ft, &k);
    assert_non_null(e);
    assert_int_equal(e->cookie, 2);

    /* The rest idles out at 10 s. */
    clock_warp_ms(9999);
    assert_int_equal(flow_table_expire(&ft, clock_now_ms()), 0);
    clock_warp_ms(1);
    assert_int_equal(flow_table_expire(&ft, clock_now_ms()),
                     N_SAME_PRIORITY / 2);
    assert_int_equal(log.n, N_SAME_PRIORITY);
    assert_int_equal(flow_table_active_count(&ft), 0);
    assert_int_equal(ft.normal.n_subtables, 0);
    /* One priority: the classifier never had to re-rank a subtable. */
    assert_int_equal(ft.normal.rank_work, 0);
    flow_table_destroy(&ft);
    clock_resume();
}

/* Expiry against a reference: random idle/hard timeouts, random use over
 * time; after each expire call exactly the flows past a deadline are gone,
 * each with the right reason (hard before idle). */
#define N_TIMED 600

struct timed_ref {
    bool in;
    uint16_t idle, hard;
    uint64_t created_ms, used_ms;
    uint8_t removed_reason;         /* 0xff: not removed. */
};

static void
on_timed_removed(const struct flow_entry *e, uint8_t reason, void *aux)
{
    struct timed_ref *ref = aux;
    assert_true(e->cookie < N_TIMED);
    assert_int_equal(ref[e->cookie].removed_reason, 0xff);
    ref[e->cookie].removed_reason = reason;
}

static void
test_expire_vs_reference(void **state)
{
    (void) state;
    clock_stop();
    static struct timed_ref ref[N_TIMED];
    struct flow_table ft;
    struct ofp_error err;
    uint32_t seed = 42;
    flow_table_init(&ft, 0);
    flow_table_set_removed_cb(&ft, on_timed_removed, ref);
    memset(ref, 0, sizeof ref);
    size_t n_hard = 0, n_idle = 0;
    for (int step = 0; step < 400; step++) {
        /* Add a few flows (some permanent, some re-added). */
        for (int a = 0; a < 4; a++) {
            seed = seed * 1103515245 + 12345;
            uint32_t i = (seed >> 8) % N_TIMED;
            struct ofp_flow_mod_h fm = fm_make(OFPFC_ADD, 5, 1);
            match_ip_dst(&fm.match, 0x0a000000 | i, 32);
            fm.idle_timeout = (uint16_t) ((seed >> 4) % 4 ? (seed >> 12) % 8 : 0);
            fm.hard_timeout = (uint16_t) ((seed >> 6) % 3 ? (seed >> 16) % 12 : 0);
            fm.cookie = i;
            assert_int_equal(flow_table_apply(&ft, &fm, &err), 0);
            ref[i] = (struct timed_ref) {
                true, fm.idle_timeout, fm.hard_timeout, clock_now_ms(),
                clock_now_ms(), 0xff,
            };
        }
        /* Use some flows. */
        for (int u = 0; u < 40; u++) {
            seed = seed * 1103515245 + 12345;
            uint32_t i = (seed >> 8) % N_TIMED;
            struct flow_key k = ip_key(0x0a000000 | i);
            struct flow_entry *e = flow_table_lookup(&ft, &k);
            assert_true(!e == !ref[i].in);
            if (e) {
                flow_entry_account(e, 1, 60, clock_now_ms());
                ref[i].used_ms = clock_now_ms();
            }
        }
        seed = seed * 1103515245 + 12345;
        clock_warp_ms((seed >> 8) % 700);
        uint64_t now = clock_now_ms();
        size_t want = 0;
        for (uint32_t i = 0; i < N_TIMED; i++) {
            ref[i].removed_reason = 0xff;
        }
        size_t got = flow_table_expire(&ft, now);
        for (uint32_t i = 0; i < N_TIMED; i++) {
            struct timed_ref *r = &ref[i];
            uint8_t expect = 0xff;
            if (r->in && r->hard && now >= r->created_ms + r->hard * 1000u) {
                expect = OFPRR_HARD_TIMEOUT;
            } else if (r->in && r->idle && now >= r->used_ms + r->idle * 1000u) {
                expect = OFPRR_IDLE_TIMEOUT;
            }
            if (r->removed_reason != expect) {
                fail_msg("step %d flow %u (idle %u hard %u created %llu used "
                         "%llu now %llu): removed %u, want %u", step, i,
                         r->idle, r->hard, (unsigned long long) r->created_ms,
                         (unsigned long long) r->used_ms,
                         (unsigned long long) now, r->removed_reason, expect);
            }
            if (expect != 0xff) {
                r->in = false;
                want++;
                n_hard += expect == OFPRR_HARD_TIMEOUT;
                n_idle += expect == OFPRR_IDLE_TIMEOUT;
            }
        }
        assert_int_equal(got, want);
    }
    /* Both kinds happened, often. */
    print_message("expired: %zu hard, %zu idle\n", n_hard, n_idle);
    assert_true(n_hard > 100 && n_idle > 100);
    flow_table_destroy(&ft);
    clock_resume();
}

static void
test_match_conversion(void **state)
{
    (void) state;
    struct ofp_match_h m, back;
    struct flow_key v, mk;

    /* ARP match: tp fields and nw_tos ignored, nw_proto/src/dst kept. */
    memset(&m, 0, sizeof m);
    m.wildcards = OFPFW_ALL & ~(uint32_t) (OFPFW_DL_TYPE | OFPFW_TP_SRC | OFPFW_NW_PROTO
                                           | OFPFW_NW_TOS | OFPFW_NW_SRC_MASK);
    m.dl_type = ETH_TYPE_ARP;
    m.tp_src = 80;
    m.nw_proto = 1;
    m.nw_src = 0x0a000001;
    flow_match_to_cls(&m, &v, &mk);
    assert_int_equal(mk.tp_src, 0);
    assert_int_equal(mk.nw_tos, 0);
    assert_int_equal(mk.nw_proto, 0xff);
    assert_int_equal(mk.nw_src, 0xffffffff);
    assert_int_equal(mk.nw_dst, 0);
    flow_match_from_cls(&v, &mk, &back);
    assert_int_equal(back.wildcards & OFPFW_TP_SRC, OFPFW_TP_SRC);
    assert_int_equal((back.wildcards & OFPFW_NW_DST_MASK) >> OFPFW_NW_DST_SHIFT, 32);
    assert_int_equal(back.nw_src, 0x0a000001);

    /* Untagged with a pcp: pcp ignored. */
    memset(&m, 0, sizeof m);
    m.wildcards = OFPFW_ALL & ~(uint32_t) (OFPFW_DL_VLAN | OFPFW_DL_VLAN_PCP);
    m.dl_vlan = OFP_VLAN_NONE;
    m.dl_vlan_pcp = 3;
    flow_match_to_cls(&m, &v, &mk);
    assert_int_equal(mk.dl_vlan_pcp, 0);
    assert_int_equal(v.dl_vlan, 0xffff);

    /* Wildcards 0 on a UDP key: full mask, exact rank. */
    struct flow_key k = ip_key(0x01020304);
    k.nw_proto = IP_PROTO_UDP;
    k.dl_vlan = 5;                  /* Tagged: pcp applies too. */
    flow_match_from_key(&k, &m);
    struct cls_rule r;
    flow_match_rule_init(&r, &m, 5);
    assert_true(cls_rule_is_exact(&r));
    assert_true(flow_key_equal(&r.mask, cls_exact_mask()));
    assert_true(flow_key_equal(&r.value, &k));
    /* Wildcards 0 on ARP: fields masked out but still exact-ranked. */
    k.dl_type = ETH_TYPE_ARP;
    flow_match_from_key(&k, &m);
    flow_match_rule_init(&r, &m, 5);
    assert_true(cls_rule_is_exact(&r));
    assert_int_equal(r.mask.tp_dst, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_replace_lookup),
        cmocka_unit_test(test_overlap_full_emerg),
        cmocka_unit_test(test_modify_delete),
        cmocka_unit_test(test_timeouts),
        cmocka_unit_test(test_delete_and_expire_many_same_priority),
        cmocka_unit_test(test_expire_vs_reference),
        cmocka_unit_test(test_match_conversion),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
