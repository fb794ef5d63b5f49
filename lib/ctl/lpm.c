/* lpm — DIR-16-8-8 longest-prefix match; see lpm.h for the design. */
#include "ctl/lpm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "util/hash.h"
#include "util/hmap.h"
#include "util/util.h"

enum { LPM_L0_SIZE = 1 << 16, LPM_GROUP_SIZE = 256 };
enum { LPM_VALID = 1, LPM_LINK = 2 };

struct lpm_entry {
    uint32_t value;     /* Leaf: caller's value.  Link: group index. */
    uint8_t depth;      /* Leaf: length of the prefix that wrote it. */
    uint8_t flags;      /* LPM_VALID, LPM_LINK. */
};

struct lpm_rule {
    struct hmap_node node;
    uint32_t prefix;
    uint8_t len;
    uint32_t value;
};

struct lpm {
    struct lpm_entry *l0;           /* LPM_L0_SIZE entries. */
    struct lpm_entry *groups;       /* n_groups * LPM_GROUP_SIZE entries. */
    size_t n_groups, groups_in_use;
    uint32_t *free_groups;          /* Stack of free group indices. */
    size_t n_free;
    struct hmap rules;
};

/* Per level: the lowest address bit it indexes and the prefix length at
 * which one entry covers exactly one block. */
static const unsigned int level_shift[3] = { 16, 8, 0 };
static const unsigned int level_end[3] = { 16, 24, 32 };
static const uint32_t level_mask[3] = { 0xffff, 0xff, 0xff };
static const unsigned int level_width[3] = { 16, 8, 8 };

/* Entries of a level table that a prefix of length len (<= level_end)
 * covers: a block, or the whole table for prefixes shorter than the level. */
static uint32_t
span(int level, unsigned int len)
{
    unsigned int bits = level_end[level] - len;
    return (uint32_t) 1 << MIN(bits, level_width[level]);
}

static uint32_t
rule_hash(uint32_t prefix, unsigned int len)
{
    return hash_int(prefix, len);
}

static struct lpm_rule *
rule_find(const struct lpm *lpm, uint32_t prefix, unsigned int len)
{
    struct lpm_rule *r;
    HMAP_FOR_EACH_WITH_HASH (r, node, rule_hash(prefix, len), &lpm->rules) {
        if (r->prefix == prefix && r->len == len) {
            return r;
        }
    }
    return NULL;
}

struct lpm *
lpm_create(void)
{
    struct lpm *lpm = xzalloc(sizeof *lpm);
    lpm->l0 = xcalloc(LPM_L0_SIZE, sizeof *lpm->l0);
    hmap_init(&lpm->rules);
    return lpm;
}

void
lpm_clear(struct lpm *lpm)
{
    struct lpm_rule *r;
    HMAP_FOR_EACH (r, node, &lpm->rules) {
        hmap_remove(&lpm->rules, &r->node);
        free(r);
    }
    memset(lpm->l0, 0, LPM_L0_SIZE * sizeof *lpm->l0);
    free(lpm->groups);
    free(lpm->free_groups);
    lpm->groups = NULL;
    lpm->free_groups = NULL;
    lpm->n_groups = lpm->groups_in_use = lpm->n_free = 0;
}

void
lpm_destroy(struct lpm *lpm)
{
    if (!lpm) {
        return;
    }
    lpm_clear(lpm);
    hmap_destroy(&lpm->rules);
    free(lpm->l0);
    free(lpm);
}

static struct lpm_entry *
group_entries(const struct lpm *lpm, uint32_t group)
{
    return &lpm->groups[(size_t) group * LPM_GROUP_SIZE];
}

/* Allocates a group whose entries all copy `leaf`.  May move lpm->groups:
 * callers re-derive entry pointers into groups afterwards. */
static uint32_t
group_alloc(struct lpm *lpm, struct lpm_entry leaf)
{
    uint32_t g;
    if (lpm->n_free) {
        g = lpm->free_groups[--lpm->n_free];
    } else {
        size_t n = lpm->n_groups ? lpm->n_groups * 2 : 16;
        lpm->groups = xrealloc(lpm->groups, n * LPM_GROUP_SIZE * sizeof *lpm->groups);
        lpm->free_groups = xrealloc(lpm->free_groups, n * sizeof *lpm->free_groups);
        for (size_t i = n; i-- > lpm->n_groups + 1;) {
            lpm->free_groups[lpm->n_free++] = (uint32_t) i;
        }
        g = (uint32_t) lpm->n_groups;
        lpm->n_groups = n;
    }
    struct lpm_entry *e = group_entries(lpm, g);
    for (int i = 0; i < LPM_GROUP_SIZE; i++) {
        e[i] = leaf;
    }
    lpm->groups_in_use++;
    return g;
}

static void
group_free(struct lpm *lpm, uint32_t g)
{
    lpm->free_groups[lpm->n_free++] = g;
    lpm->groups_in_use--;
}

/* Table of level `level`: l0, or group `g`.  Re-derived after allocations. */
static struct lpm_entry *
level_table(const struct lpm *lpm, int level, uint32_t g)
{
    return level == 0 ? lpm->l0 : group_entries(lpm, g);
}

static void
insert_at(struct lpm *lpm, int level, uint32_t g, uint32_t prefix,
          unsigned int len, uint32_t value)
{
    uint32_t idx = (prefix >> level_shift[level]) & level_mask[level];
    if (len <= level_end[level]) {
        uint32_t n = span(level, len);
        for (uint32_t i = idx; i < idx + n; i++) {
            struct lpm_entry *e = &level_table(lpm, level, g)[i];
            if (e->flags & LPM_LINK) {
                insert_at(lpm, level + 1, e->value, prefix, len, value);
            } else if (!(e->flags & LPM_VALID) || e->depth <= len) {
                *e = (struct lpm_entry) { value, (uint8_t) len, LPM_VALID };
            }
        }
        return;
    }
    struct lpm_entry *e = &level_table(lpm, level, g)[idx];
    if (!(e->flags & LPM_LINK)) {
        uint32_t child = group_alloc(lpm, *e);
        e = &level_table(lpm, level, g)[idx];
        *e = (struct lpm_entry) { child, 0, LPM_LINK };
    }
    insert_at(lpm, level + 1, e->value, prefix, len, value);
}

/* Folds group `child` (linked from entry `idx` of the level table) back into
 * a leaf if all its entries are equal leaves. */
static void
maybe_fold(struct lpm *lpm, int level, uint32_t g, uint32_t idx)
{
    struct lpm_entry *e = &level_table(lpm, level, g)[idx];
    uint32_t child = e->value;
    const struct lpm_entry *c = group_entries(lpm, child);
    for (int i = 0; i < LPM_GROUP_SIZE; i++) {
        if ((c[i].flags & LPM_LINK) || c[i].flags != c[0].flags
            || c[i].value != c[0].value || c[i].depth != c[0].depth) {
            return;
        }
    }
    /* Equal leaves of depth <= level_end[level] can be one leaf here. */
    if ((c[0].flags & LPM_VALID) && c[0].depth > level_end[level]) {
        return;
    }
    *e = c[0];
    group_free(lpm, child);
}

static void
delete_at(struct lpm *lpm, int level, uint32_t g, uint32_t prefix, unsigned int len,
          const struct lpm_entry *repl)
{
    uint32_t idx = (prefix >> level_shift[level]) & level_mask[level];
    if (len <= level_end[level]) {
        uint32_t n = span(level, len);
        for (uint32_t i = idx; i < idx + n; i++) {
            struct lpm_entry *e = &level_table(lpm, level, g)[i];
            if (e->flags & LPM_LINK) {
                delete_at(lpm, level + 1, e->value, prefix, len, repl);
                maybe_fold(lpm, level, g, i);
            } else if ((e->flags & LPM_VALID) && e->depth == len) {
                *e = *repl;
            }
        }
        return;
    }
    struct lpm_entry *e = &level_table(lpm, level, g)[idx];
    if (e->flags & LPM_LINK) {
        delete_at(lpm, level + 1, e->value, prefix, len, repl);
        maybe_fold(lpm, level, g, idx);
    }
}

int
lpm_insert(struct lpm *lpm, uint32_t prefix, unsigned int len, uint32_t value)
{
    if (len > 32) {
        return -EINVAL;
    }
    prefix &= lpm_mask(len);
    struct lpm_rule *r = rule_find(lpm, prefix, len);
    if (!r) {
        r = xzalloc(sizeof *r);
        r->prefix = prefix;
        r->len = (uint8_t) len;
        hmap_insert(&lpm->rules, &r->node, rule_hash(prefix, len));
    }
    r->value = value;
    insert_at(lpm, 0, 0, prefix, len, value);
    return 0;
}

int
lpm_delete(struct lpm *lpm, uint32_t prefix, unsigned int len)
{
    if (len > 32) {
        return -EINVAL;
    }
    prefix &= lpm_mask(len);
    struct lpm_rule *r = rule_find(lpm, prefix, len);
    if (!r) {
        return -ENOENT;
    }
    hmap_remove(&lpm->rules, &r->node);
    free(r);

    /* The next-longest stored prefix covering this one replaces it. */
    struct lpm_entry repl = { 0, 0, 0 };
    for (unsigned int l = len; l-- > 0;) {
        struct lpm_rule *cover = rule_find(lpm, prefix & lpm_mask(l), l);
        if (cover) {
            repl = (struct lpm_entry) { cover->value, (uint8_t) l, LPM_VALID };
            break;
        }
    }
    delete_at(lpm, 0, 0, prefix, len, &repl);
    return 0;
}

bool
lpm_lookup(const struct lpm *lpm, uint32_t addr, uint32_t *value)
{
    const struct lpm_entry *e = &lpm->l0[addr >> 16];
    if (e->flags & LPM_LINK) {
        e = &group_entries(lpm, e->value)[(addr >> 8) & 0xff];
        if (e->flags & LPM_LINK) {
            e = &group_entries(lpm, e->value)[addr & 0xff];
        }
    }
    if (!(e->flags & LPM_VALID)) {
        return false;
    }
    *value = e->value;
    return true;
}

bool
lpm_get(const struct lpm *lpm, uint32_t prefix, unsigned int len, uint32_t *value)
{
    if (len > 32) {
        return false;
    }
    const struct lpm_rule *r = rule_find(lpm, prefix & lpm_mask(len), len);
    if (r) {
        *value = r->value;
    }
    return r != NULL;
}

size_t
lpm_count(const struct lpm *lpm)
{
    return hmap_count(&lpm->rules);
}

size_t
lpm_groups_in_use(const struct lpm *lpm)
{
    return lpm->groups_in_use;
}

void
lpm_for_each(const struct lpm *lpm,
             void (*cb)(uint32_t prefix, unsigned int len, uint32_t value, void *aux),
             void *aux)
{
    struct lpm_rule *r;
    HMAP_FOR_EACH (r, node, &lpm->rules) {
        cb(r->prefix, r->len, r->value, aux);
    }
}
