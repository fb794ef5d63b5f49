/* The classifier (and the flow cache in front of it) against a trivial
 * linear reference, on random rule sets and random keys, with inserts and
 * deletes interleaved with lookups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>
#include "dp/classifier.h"
#include "dp/flow-cache.h"

#define MAX_RULES 400

struct test_rule {
    struct cls_rule cls;
    bool in;
};

static unsigned int seed = 12345;
static unsigned int
rnd(unsigned int n)
{
    seed = seed * 1103515245 + 12345;
    return (seed >> 8) % n;
}

/* Keys from a small domain, so that rules and keys often meet. */
static void
random_key(struct flow_key *k)
{
    memset(k, 0, sizeof *k);
    k->in_port = (uint16_t) (1 + rnd(3));
    k->dl_src[5] = (uint8_t) rnd(3);
    k->dl_dst[5] = (uint8_t) rnd(3);
    k->dl_type = rnd(4) ? 0x0800 : 0x0806;
    k->dl_vlan = rnd(2) ? FLOW_VLAN_NONE : (uint16_t) rnd(3);
    k->dl_vlan_pcp = (uint8_t) rnd(2);
    k->nw_src = 0x0a000000 | (rnd(4) << 16) | rnd(3);
    k->nw_dst = 0xc0a80000 | (rnd(2) << 8) | rnd(3);
    k->nw_proto = rnd(2) ? 6 : 17;
    k->nw_tos = (uint8_t) (rnd(2) << 2);
    k->tp_src = (uint16_t) rnd(3);
    k->tp_dst = (uint16_t) (80 + rnd(2));
}

static uint32_t
prefix_mask(unsigned int len)
{
    return len ? ~0u << (32 - len) : 0;
}

/* A mask from a few shapes; sometimes the exact mask. */
static void
random_mask(struct flow_key *m)
{
    if (!rnd(8)) {
        *m = *cls_exact_mask();
        return;
    }
    memset(m, 0, sizeof *m);
    unsigned int shape = rnd(64);
    if (shape & 1) { m->in_port = 0xffff; }
    if (shape & 2) { memset(m->dl_src, 0xff, 6); }
    if (shape & 4) { memset(m->dl_dst, 0xff, 6); }
    if (shape & 8) { m->dl_type = 0xffff; m->nw_proto = 0xff; }
    if (shape & 16) { m->tp_dst = 0xffff; }
    if (shape & 32) { m->dl_vlan = 0xffff; }
    static const unsigned int lens[] = { 0, 8, 16, 24, 30, 32 };
    m->nw_src = prefix_mask(lens[rnd(6)]);
    m->nw_dst = prefix_mask(lens[rnd(6)]);
}

static bool
matches(const struct cls_rule *r, const struct flow_key *k)
{
    for (int i = 0; i < FLOW_KEY_WORDS; i++) {
        if ((k->w[i] & r->mask.w[i]) != r->value.w[i]) {
            return false;
        }
    }
    return true;
}

static uint32_t
reference_rank(struct test_rule *rules, size_t n, const struct flow_key *k,
               bool *found)
{
    uint32_t best = 0;
    *found = false;
    for (size_t i = 0; i < n; i++) {
        if (rules[i].in && matches(&rules[i].cls, k)
            && (!*found || rules[i].cls.rank > best)) {
            best = rules[i].cls.rank;
            *found = true;
        }
    }
    return best;
}

static void
check_lookup(struct classifier *cls, struct flow_cache *cache,
             struct test_rule *rules, size_t n, const struct flow_key *k)
{
    bool found;
    uint32_t rank = reference_rank(rules, n, k, &found);
    const struct cls_rule *r = classifier_lookup(cls, k);
    if (!found) {
        assert_null(r);
    } else {
        assert_non_null(r);
        assert_true(matches(r, k));
        assert_int_equal(r->rank, rank);
    }
    /* Through the cache: same answer, then a hit the second time. */
    for (int pass = 0; pass < 2; pass++) {
        const void *cached;
        uint32_t h = flow_cache_hash(k);
        if (!flow_cache_lookup(cache, k, h, classifier_version(cls), &cached)) {
            assert_int_equal(pass, 0);
            cached = classifier_lookup(cls, k);
            flow_cache_insert(cache, k, h, classifier_version(cls), cached);
        }
        assert_ptr_equal(cached, r);
    }
}

/* Random inserts, removes and lookups against the linear reference, with
 * priorities drawn from 0..n_priorities-1 (1: all equal), then every rule
 * removed. */
static void
run_random_vs_reference(unsigned int n_priorities)
{
    struct test_rule *rules = xcalloc(MAX_RULES, sizeof *rules);
    struct classifier cls;
    struct flow_cache cache;
    classifier_init(&cls);
    flow_cache_init(&cache);
    size_t n_in = 0;
    for (int step = 0; step < 6000; step++) {
        unsigned int op = rnd(10);
        size_t i = rnd(MAX_RULES);
        if (op < 3 && !rules[i].in) {
            struct flow_key v, m;
            random_key(&v);
            random_mask(&m);
            uint16_t prio = (uint16_t) rnd(n_priorities);
            cls_rule_init(&rules[i].cls, &v, &m, prio);
            struct cls_rule *old = classifier_insert(&cls, &rules[i].cls);
            if (old) {
                CONTAINER_OF(old, struct test_rule, cls)->in = false;
                n_in--;
            }
            rules[i].in = true;
            n_in++;
        } else if (op < 5 && rules[i].in) {
            classifier_remove(&cls, &rules[i].cls);
            rules[i].in = false;
            n_in--;
        } else {
            struct flow_key k;
            random_key(&k);
            check_lookup(&cls, &cache, rules, MAX_RULES, &k);
            /* A key equal to some rule's value is sure to match it. */
            if (rules[i].in) {
                check_lookup(&cls, &cache, rules, MAX_RULES, &rules[i].cls.value);
            }
        }
        assert_int_equal(classifier_count(&cls), n_in);
    }
    assert_true(cache.hits > 1000);
    /* Remove all, still checking lookups against the reference. */
    for (size_t i = 0; i < MAX_RULES; i++) {
        if (rules[i].in) {
            classifier_remove(&cls, &rules[i].cls);
            rules[i].in = false;
            struct flow_key k;
            random_key(&k);
            check_lookup(&cls, &cache, rules, MAX_RULES, &k);
        }
    }
    assert_int_equal(classifier_count(&cls), 0);
    assert_int_equal(cls.n_subtables, 0);
    classifier_destroy(&cls);
    flow_cache_destroy(&cache);
    free(rules);
}

static void
test_random_vs_reference(void **state)
{
    (void) state;
    run_random_vs_reference(50);
}

static void
test_random_equal_priorities(void **state)
{
    (void) state;
    run_random_vs_reference(1);
}

static void
test_random_few_priorities(void **state)
{
    (void) state;
    run_random_vs_reference(3);
}

#define N_BIG 20000

/* The rule of test_rule i: nw_dst = i under a /32 mask, or with
 * `same_value` one value for all (then only priorities tell them apart). */
static void
big_rule(struct test_rule *r, uint32_t i, bool same_value, uint16_t priority)
{
    struct flow_key v, m;
    memset(&v, 0, sizeof v);
    memset(&m, 0, sizeof m);
    m.nw_dst = 0xffffffff;
    v.nw_dst = same_value ? 0x0a000001 : 0x0a000000 | i;
    cls_rule_init(&r->cls, &v, &m, priority);
}

/* Regression: removing the rule at a subtable's highest priority used to
 * rescan the whole subtable, and with equal priorities that is every
 * removal (O(n^2) to delete n flows).  Many rules of one priority in one
 * subtable (plus a catch-all below them), all removed: the rank upkeep
 * must not grow with the subtable's size, and lookups stay right. */
static void
test_equal_priorities_remove_all(void **state)
{
    (void) state;
    struct test_rule *rules = xcalloc(N_BIG, sizeof *rules);
    struct classifier cls;
    classifier_init(&cls);
    struct cls_rule catchall;
    struct flow_key zero;
    memset(&zero, 0, sizeof zero);
    cls_rule_init(&catchall, &zero, &zero, 1);
    assert_null(classifier_insert(&cls, &catchall));
    for (uint32_t i = 0; i < N_BIG; i++) {
        big_rule(&rules[i], i, false, 0x8000);
        assert_null(classifier_insert(&cls, &rules[i].cls));
    }
    assert_int_equal(classifier_count(&cls), N_BIG + 1);
    assert_int_equal(cls.n_subtables, 2);
    /* Remove in a scattered order; after each removal the removed key
     * falls to the catch-all and a key still present finds its rule. */
    for (uint32_t n = 0; n < N_BIG; n++) {
        uint32_t i = (uint32_t) ((n * 7919ull) % N_BIG);   /* 7919 prime. */
        classifier_remove(&cls, &rules[i].cls);
        struct flow_key k;
        memset(&k, 0, sizeof k);
        k.nw_dst = 0x0a000000 | i;
        assert_ptr_equal(classifier_lookup(&cls, &k), &catchall);
        if (n + 1 < N_BIG) {
            uint32_t j = (uint32_t) (((n + 1) * 7919ull) % N_BIG);
            k.nw_dst = 0x0a000000 | j;
            assert_ptr_equal(classifier_lookup(&cls, &k), &rules[j].cls);
        }
    }
    assert_int_equal(classifier_count(&cls), 1);
    assert_int_equal(cls.n_subtables, 1);
    /* One rank per subtable: nothing to reorder, ever (the old rescan
     * visited about N_BIG^2 / 2 rules here). */
    assert_true(cls.rank_work <= 2);
    classifier_remove(&cls, &catchall);
    assert_int_equal(cls.n_subtables, 0);
    classifier_destroy(&cls);
    free(rules);
}

/* Distinct priorities on one (value, mask): removing from the highest
 * priority down is the worst order for the subtable's max rank, which
 * must follow every removal at O(log ranks) cost.  (Rules with one value
 * share a hash chain, so this stays smaller than N_BIG.) */
#define N_PRIOS 3000

static void
test_distinct_priorities_remove_from_top(void **state)
{
    (void) state;
    struct test_rule *rules = xcalloc(N_PRIOS, sizeof *rules);
    struct classifier cls;
    classifier_init(&cls);
    for (uint32_t i = 0; i < N_PRIOS; i++) {
        /* Inserted in a scattered priority order. */
        uint16_t prio = (uint16_t) ((i * 7919ull) % N_PRIOS);
        big_rule(&rules[prio], prio, true, prio);
        assert_null(classifier_insert(&cls, &rules[prio].cls));
    }
    assert_int_equal(cls.n_subtables, 1);
    struct flow_key k;
    memset(&k, 0, sizeof k);
    k.nw_dst = 0x0a000001;
    for (uint32_t p = N_PRIOS; p-- > 0;) {
        assert_ptr_equal(classifier_lookup(&cls, &k), &rules[p].cls);
        classifier_remove(&cls, &rules[p].cls);
    }
    assert_null(classifier_lookup(&cls, &k));
    assert_int_equal(cls.n_subtables, 0);
    /* log2(3000) < 12: at most 12 moves per sift, 2 sifts per change. */
    assert_true(cls.rank_work <= 2ull * 2 * 12 * N_PRIOS);
    classifier_destroy(&cls);
    free(rules);
}

static void
test_exact_beats_priority(void **state)
{
    (void) state;
    struct classifier cls;
    classifier_init(&cls);
    struct flow_key k, zero;
    random_key(&k);
    memset(&zero, 0, sizeof zero);
    struct cls_rule wild, exact;
    cls_rule_init(&wild, &zero, &zero, 0xffff);
    cls_rule_init(&exact, &k, cls_exact_mask(), 0);
    classifier_insert(&cls, &wild);
    assert_ptr_equal(classifier_lookup(&cls, &k), &wild);
    classifier_insert(&cls, &exact);
    assert_true(cls_rule_is_exact(&exact));
    assert_false(cls_rule_is_exact(&wild));
    assert_ptr_equal(classifier_lookup(&cls, &k), &exact);
    struct flow_key other = k;
    other.tp_src ^= 1;
    assert_ptr_equal(classifier_lookup(&cls, &other), &wild);

    /* Identical match + priority replaces. */
    struct cls_rule wild2;
    cls_rule_init(&wild2, &zero, &zero, 0xffff);
    assert_ptr_equal(classifier_insert(&cls, &wild2), &wild);
    assert_int_equal(classifier_count(&cls), 2);
    struct cls_rule probe;
    cls_rule_init(&probe, &zero, &zero, 0xffff);
    assert_ptr_equal(classifier_find_exactly(&cls, &probe), &wild2);
    cls_rule_init(&probe, &zero, &zero, 1);
    assert_null(classifier_find_exactly(&cls, &probe));
    classifier_destroy(&cls);
}

static void
test_cover_overlap(void **state)
{
    (void) state;
    struct flow_key v, m, wide_v, wide_m;
    memset(&v, 0, sizeof v);
    memset(&m, 0, sizeof m);
    v.nw_dst = 0x0a010203;
    m.nw_dst = 0xffffffff;
    v.tp_dst = 80;
    m.tp_dst = 0xffff;
    struct cls_rule r;
    cls_rule_init(&r, &v, &m, 1);

    memset(&wide_v, 0, sizeof wide_v);
    memset(&wide_m, 0, sizeof wide_m);
    wide_v.nw_dst = 0x0a000000;
    wide_m.nw_dst = 0xff000000;
    assert_true(cls_rule_is_covered_by(&r, &wide_v, &wide_m));
    wide_v.nw_dst = 0x0b000000;
    assert_false(cls_rule_is_covered_by(&r, &wide_v, &wide_m));
    wide_v.nw_dst = 0;
    wide_m.nw_dst = 0;
    wide_m.tp_src = 0xffff;         /* r does not fix tp_src. */
    assert_false(cls_rule_is_covered_by(&r, &wide_v, &wide_m));

    struct cls_rule s;
    struct flow_key sv = v, sm = m;
    sm.tp_dst = 0;
    sv.tp_dst = 0;
    sm.tp_src = 0xffff;
    sv.tp_src = 5;
    cls_rule_init(&s, &sv, &sm, 1);
    assert_true(cls_rules_overlap(&r, &s));
    sv.nw_dst = 0x0a010204;
    cls_rule_init(&s, &sv, &sm, 1);
    assert_false(cls_rules_overlap(&r, &s));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_vs_reference),
        cmocka_unit_test(test_random_equal_priorities),
        cmocka_unit_test(test_random_few_priorities),
        cmocka_unit_test(test_equal_priorities_remove_all),
        cmocka_unit_test(test_distinct_priorities_remove_from_top),
        cmocka_unit_test(test_exact_beats_priority),
        cmocka_unit_test(test_cover_overlap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
