/* Unit tests: the DIR-16-8-8 LPM table against a linear reference on random
 * tables, with random inserts, value changes and deletes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include "ctl/lpm.h"

struct ref_rule {
    uint32_t prefix;
    unsigned int len;
    uint32_t value;
    bool present;
};

enum { N_RULES = 3000 };
static struct ref_rule ref[N_RULES];

static bool
ref_lookup(uint32_t addr, uint32_t *value)
{
    int best = -1;
    for (int i = 0; i < N_RULES; i++) {
        if (ref[i].present && (addr & lpm_mask(ref[i].len)) == ref[i].prefix
            && (best < 0 || ref[i].len > ref[best].len)) {
            best = i;
        }
    }
    if (best >= 0) {
        *value = ref[best].value;
    }
    return best >= 0;
}

static uint32_t
rand32(void)
{
    return ((uint32_t) rand() << 16) ^ (uint32_t) rand();
}

/* Lengths spread over all three levels, with clustering so that prefixes
 * nest (a random /28 inside a random /20 inside a /12). */
static void
random_rule(struct ref_rule *r, uint32_t base)
{
    static const unsigned int lens[] = { 0, 1, 8, 12, 15, 16, 17, 20, 23, 24, 25, 28, 31, 32 };
    r->len = lens[rand() % (int) (sizeof lens / sizeof lens[0])];
    uint32_t addr = (rand() % 4) ? (base ^ (rand32() & 0x000fffff)) : rand32();
    r->prefix = addr & lpm_mask(r->len);
    r->value = rand32();
}

/* Duplicate (prefix,len) pairs in the reference would make it ambiguous. */
static bool
ref_has(uint32_t prefix, unsigned int len, int except)
{
    for (int i = 0; i < N_RULES; i++) {
        if (i != except && ref[i].present && ref[i].prefix == prefix && ref[i].len == len) {
            return true;
        }
    }
    return false;
}

static void
check_against_ref(struct lpm *lpm, uint32_t base, int probes)
{
    for (int p = 0; p < probes; p++) {
        uint32_t addr;
        int pick = rand() % 3;
        if (pick == 0) {
            addr = rand32();
        } else if (pick == 1) {
            addr = base ^ (rand32() & 0x000fffff);
        } else {
            const struct ref_rule *r = &ref[rand() % N_RULES];
            addr = r->prefix | (rand32() & ~lpm_mask(r->len));
        }
        uint32_t got = 0, want = 0;
        bool got_ok = lpm_lookup(lpm, addr, &got);
        bool want_ok = ref_lookup(addr, &want);
        if (got_ok != want_ok || (want_ok && got != want)) {
            fail_msg("addr %08x: lpm %d/%08x ref %d/%08x", addr, got_ok, got, want_ok, want);
        }
    }
}

static void
test_random_tables(void **state)
{
    (void) state;
    for (unsigned int seed = 1; seed <= 4; seed++) {
        srand(seed);
        struct lpm *lpm = lpm_create();
        uint32_t base = rand32();
        size_t count = 0;
        for (int i = 0; i < N_RULES; i++) {
            ref[i].present = false;
        }
        for (int step = 0; step < 6000; step++) {
            int i = rand() % N_RULES;
            struct ref_rule *r = &ref[i];
            if (r->present && rand() % 4 == 0) {
                r->value = rand32();            /* Change the value. */
                assert_int_equal(lpm_insert(lpm, r->prefix, r->len, r->value), 0);
            } else if (r->present) {
                assert_int_equal(lpm_delete(lpm, r->prefix, r->len), 0);
                r->present = false;
                count--;
            } else {
                random_rule(r, base);
                if (ref_has(r->prefix, r->len, i)) {
                    continue;
                }
                assert_int_equal(lpm_insert(lpm, r->prefix, r->len, r->value), 0);
                r->present = true;
                count++;
            }
            if (step % 500 == 0) {
                check_against_ref(lpm, base, 2000);
            }
        }
        assert_int_equal(lpm_count(lpm), count);
        check_against_ref(lpm, base, 20000);
        /* Delete everything: the table must be empty and fold all groups. */
        for (int i = 0; i < N_RULES; i++) {
            if (ref[i].present) {
                assert_int_equal(lpm_delete(lpm, ref[i].prefix, ref[i].len), 0);
                ref[i].present = false;
            }
        }
        assert_int_equal(lpm_count(lpm), 0);
        assert_int_equal(lpm_groups_in_use(lpm), 0);
        check_against_ref(lpm, base, 2000);
        lpm_destroy(lpm);
    }
}

static void
test_edges(void **state)
{
    (void) state;
    struct lpm *lpm = lpm_create();
    uint32_t v;
    assert_false(lpm_lookup(lpm, 0x0a000001, &v));
    assert_int_equal(lpm_insert(lpm, 0, 0, 7), 0);            /* default */
    assert_int_equal(lpm_insert(lpm, 0x0a000001, 32, 9), 0);  /* host */
    assert_int_equal(lpm_insert(lpm, 0x0a0000ff, 24, 8), 0);  /* host bits ignored */
    assert_true(lpm_lookup(lpm, 0x0a000001, &v));
    assert_int_equal(v, 9);
    assert_true(lpm_lookup(lpm, 0x0a000002, &v));
    assert_int_equal(v, 8);
    assert_true(lpm_lookup(lpm, 0xc0a80001, &v));
    assert_int_equal(v, 7);
    assert_true(lpm_get(lpm, 0x0a000000, 24, &v));
    assert_int_equal(v, 8);
    assert_int_equal(lpm_insert(lpm, 1, 33, 1), -EINVAL);
    assert_int_equal(lpm_delete(lpm, 0x0b000000, 8), -ENOENT);
    assert_int_equal(lpm_delete(lpm, 0x0a000000, 24), 0);
    assert_true(lpm_lookup(lpm, 0x0a000002, &v));
    assert_int_equal(v, 7);
    assert_int_equal(lpm_delete(lpm, 0, 0), 0);
    assert_false(lpm_lookup(lpm, 0x0a000002, &v));
    assert_true(lpm_lookup(lpm, 0x0a000001, &v));
    lpm_destroy(lpm);
    lpm_destroy(NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_random_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
