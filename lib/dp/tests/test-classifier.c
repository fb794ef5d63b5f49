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

static void
test_random_vs_reference(void **state)
{
    (void) state;
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
            uint16_t prio = (uint16_t) rnd(50);
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
    for (size_t i = 0; i < MAX_RULES; i++) {
        if (rules[i].in) {
            classifier_remove(&cls, &rules[i].cls);
        }
    }
    assert_int_equal(classifier_count(&cls), 0);
    assert_int_equal(cls.n_subtables, 0);
    classifier_destroy(&cls);
    flow_cache_destroy(&cache);
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
        cmocka_unit_test(test_exact_beats_priority),
        cmocka_unit_test(test_cover_overlap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
