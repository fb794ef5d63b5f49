#include "dp/classifier.h"

#include <stdlib.h>
#include <string.h>
#include "util/heap.h"
#include "util/util.h"

/* How many of a subtable's rules have one rank.  A subtable keeps one per
 * distinct rank of its rules, in a hash table (found by rank on insert and
 * remove) and in a binary max-heap by rank (the top is the subtable's
 * max_rank).  A rule's insert or remove only changes a count, O(1); a
 * count that reaches 0 leaves the heap in O(log ranks).  So removing every
 * rule of a subtable costs O(rules + ranks * log ranks), whatever the
 * order, instead of a rescan of the subtable per removal at the top rank.
 * `rank_work` counts the heap's moves, so tests can check it stays
 * logarithmic. */
struct cls_rank_count {
    struct hmap_node node;          /* In subtable->rank_counts. */
    struct heap_node heap_node;     /* In subtable->ranks, key RANK_KEY(rank). */
    uint32_t rank;
    uint32_t n_rules;               /* Rules of this rank, > 0. */
};

/* util/heap is a min-heap: the highest rank gets the smallest key. */
#define RANK_KEY(rank) ((uint64_t) UINT32_MAX - (rank))

struct cls_subtable {
    struct flow_key mask;
    uint8_t words[FLOW_KEY_WORDS];  /* Indexes of non-zero mask words. */
    uint8_t n_words;
    uint32_t max_rank;              /* Top rank of `ranks` while not empty. */
    struct hmap rules;
    struct hmap rank_counts;        /* Of struct cls_rank_count, by rank. */
    struct heap ranks;              /* The same, highest rank first. */
};

/* Every field bit; the padding never matters. */
static const struct flow_key full_mask = {
    .dl_dst = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, .in_port = 0xffff,
    .dl_src = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, .dl_type = 0xffff,
    .nw_src = 0xffffffff, .nw_dst = 0xffffffff,
    .dl_vlan = 0xffff, .tp_src = 0xffff, .tp_dst = 0xffff,
    .dl_vlan_pcp = 0xff, .nw_proto = 0xff, .nw_tos = 0xff,
};

const struct flow_key *
cls_exact_mask(void)
{
    return &full_mask;
}

static inline uint32_t
masked_hash(const struct cls_subtable *st, const struct flow_key *key)
{
    uint32_t h = 0;
    for (int i = 0; i < st->n_words; i++) {
        int w = st->words[i];
        uint64_t v = key->w[w] & st->mask.w[w];
        h = hash_add(h, (uint32_t) v);
        h = hash_add(h, (uint32_t) (v >> 32));
    }
    return hash_finish(h, st->n_words);
}

static inline bool
masked_equal(const struct cls_subtable *st, const struct flow_key *key,
             const struct flow_key *value)
{
    uint64_t diff = 0;
    for (int i = 0; i < st->n_words; i++) {
        int w = st->words[i];
        diff |= (key->w[w] & st->mask.w[w]) ^ value->w[w];
    }
    return !diff;
}

void
cls_rule_init(struct cls_rule *rule, const struct flow_key *value,
              const struct flow_key *mask, uint16_t priority)
{
    bool exact = true;
    memset(rule, 0, sizeof *rule);
    for (int i = 0; i < FLOW_KEY_WORDS; i++) {
        rule->mask.w[i] = mask->w[i] & full_mask.w[i];
        rule->value.w[i] = value->w[i] & rule->mask.w[i];
        exact &= rule->mask.w[i] == full_mask.w[i];
    }
    rule->priority = priority;
    rule->rank = exact ? CLS_RANK_EXACT : priority;
}

void
classifier_init(struct classifier *cls)
{
    memset(cls, 0, sizeof *cls);
    cls->version = 1;
}

static void
subtable_destroy(struct cls_subtable *st)
{
    for (size_t i = 0; i < heap_count(&st->ranks); i++) {
        free(CONTAINER_OF(st->ranks.nodes[i], struct cls_rank_count, heap_node));
    }
    heap_destroy(&st->ranks);
    hmap_destroy(&st->rank_counts);
    hmap_destroy(&st->rules);
    free(st);
}

void
classifier_destroy(struct classifier *cls)
{
    if (cls) {
        for (size_t i = 0; i < cls->n_subtables; i++) {
            subtable_destroy(cls->subtables[i]);
        }
        free(cls->subtables);
        cls->subtables = NULL;
        cls->n_subtables = 0;
    }
}

static struct cls_subtable *
find_subtable(const struct classifier *cls, const struct flow_key *mask)
{
    for (size_t i = 0; i < cls->n_subtables; i++) {
        if (flow_key_equal(&cls->subtables[i]->mask, mask)) {
            return cls->subtables[i];
        }
    }
    return NULL;
}

static struct cls_subtable *
create_subtable(struct classifier *cls, const struct flow_key *mask)
{
    struct cls_subtable *st = xzalloc(sizeof *st);
    st->mask = *mask;
    for (int i = 0; i < FLOW_KEY_WORDS; i++) {
        if (mask->w[i]) {
            st->words[st->n_words++] = (uint8_t) i;
        }
    }
    hmap_init(&st->rules);
    hmap_init(&st->rank_counts);
    heap_init(&st->ranks);
    if (cls->n_subtables == cls->allocated) {
        cls->allocated = cls->allocated ? cls->allocated * 2 : 8;
        cls->subtables = xrealloc(cls->subtables,
                                  cls->allocated * sizeof *cls->subtables);
    }
    cls->subtables[cls->n_subtables++] = st;
    return st;
}

/* Moves subtable `st` to its place in the max_rank order. */
static void
resort_subtable(struct classifier *cls, struct cls_subtable *st)
{
    size_t i = 0;
    while (cls->subtables[i] != st) {
        i++;
    }
    while (i > 0 && cls->subtables[i - 1]->max_rank < st->max_rank) {
        cls->subtables[i] = cls->subtables[i - 1];
        cls->subtables[--i] = st;
    }
    while (i + 1 < cls->n_subtables
           && cls->subtables[i + 1]->max_rank > st->max_rank) {
        cls->subtables[i] = cls->subtables[i + 1];
        cls->subtables[++i] = st;
    }
}

static struct cls_rank_count *
find_rank_count(const struct cls_subtable *st, uint32_t rank)
{
    struct cls_rank_count *rc;
    HMAP_FOR_EACH_WITH_HASH (rc, node, hash_int(rank, 0), &st->rank_counts) {
        if (rc->rank == rank) {
            return rc;
        }
    }
    return NULL;
}

/* Counts one more rule of `rank` in `st`. */
static void
rank_count_inc(struct classifier *cls, struct cls_subtable *st, uint32_t rank)
{
    struct cls_rank_count *rc = find_rank_count(st, rank);
    if (rc) {
        rc->n_rules++;
        return;
    }
    rc = xmalloc(sizeof *rc);
    rc->rank = rank;
    rc->n_rules = 1;
    hmap_insert(&st->rank_counts, &rc->node, hash_int(rank, 0));
    uint64_t moves = st->ranks.moves;
    heap_insert(&st->ranks, &rc->heap_node, RANK_KEY(rank));
    cls->rank_work += st->ranks.moves - moves;
}

/* Counts one rule of `rank` fewer in `st`. */
static void
rank_count_dec(struct classifier *cls, struct cls_subtable *st, uint32_t rank)
{
    struct cls_rank_count *rc = find_rank_count(st, rank);
    BUG_ON(!rc);
    if (--rc->n_rules) {
        return;
    }
    hmap_remove(&st->rank_counts, &rc->node);
    uint64_t moves = st->ranks.moves;
    heap_remove(&st->ranks, &rc->heap_node);
    cls->rank_work += st->ranks.moves - moves;
    free(rc);
}

/* Brings st->max_rank and the subtables' order up to date after rank
 * counts changed (st not empty). */
static void
update_max_rank(struct classifier *cls, struct cls_subtable *st)
{
    uint32_t max = CONTAINER_OF(heap_min(&st->ranks), struct cls_rank_count, heap_node)->rank;
    if (max != st->max_rank) {
        st->max_rank = max;
        resort_subtable(cls, st);
    }
}

static struct cls_rule *
find_in_subtable(const struct cls_subtable *st, const struct cls_rule *probe,
                 uint32_t hash)
{
    struct cls_rule *r;
    HMAP_FOR_EACH_WITH_HASH (r, node, hash, &st->rules) {
        if (r->priority == probe->priority && r->rank == probe->rank
            && flow_key_equal(&r->value, &probe->value)) {
            return r;
        }
    }
    return NULL;
}

struct cls_rule *
classifier_insert(struct classifier *cls, struct cls_rule *rule)
{
    struct cls_subtable *st = find_subtable(cls, &rule->mask);
    if (!st) {
        st = create_subtable(cls, &rule->mask);
    }
    uint32_t hash = masked_hash(st, &rule->value);
    struct cls_rule *old = find_in_subtable(st, rule, hash);
    if (old) {
        /* Same rank: the rank counts do not change. */
        hmap_remove(&st->rules, &old->node);
        old->subtable = NULL;
        cls->n_rules--;
    } else {
        rank_count_inc(cls, st, rule->rank);
    }
    hmap_insert(&st->rules, &rule->node, hash);
    rule->subtable = st;
    cls->n_rules++;
    cls->version++;
    update_max_rank(cls, st);    /* A new subtable (max_rank 0) is last. */
    return old;
}

void
classifier_remove(struct classifier *cls, struct cls_rule *rule)
{
    struct cls_subtable *st = rule->subtable;
    BUG_ON(!st);
    hmap_remove(&st->rules, &rule->node);
    rule->subtable = NULL;
    cls->n_rules--;
    cls->version++;
    if (hmap_is_empty(&st->rules)) {
        size_t i = 0;
        while (cls->subtables[i] != st) {
            i++;
        }
        memmove(&cls->subtables[i], &cls->subtables[i + 1],
                (cls->n_subtables - i - 1) * sizeof *cls->subtables);
        cls->n_subtables--;
        subtable_destroy(st);
    } else {
        rank_count_dec(cls, st, rule->rank);
        update_max_rank(cls, st);
    }
}

const struct cls_rule *
classifier_lookup(const struct classifier *cls, const struct flow_key *key)
{
    const struct cls_rule *best = NULL;
    uint32_t best_rank = 0;
    for (size_t i = 0; i < cls->n_subtables; i++) {
        const struct cls_subtable *st = cls->subtables[i];
        if (best && st->max_rank <= best_rank) {
            break;
        }
        uint32_t hash = masked_hash(st, key);
        const struct cls_rule *r;
        HMAP_FOR_EACH_WITH_HASH (r, node, hash, &st->rules) {
            if ((!best || r->rank > best_rank)
                && masked_equal(st, key, &r->value)) {
                best = r;
                best_rank = r->rank;
            }
        }
    }
    return best;
}

struct cls_rule *
classifier_find_exactly(const struct classifier *cls,
                        const struct cls_rule *probe)
{
    struct cls_subtable *st = find_subtable(cls, &probe->mask);
    if (!st) {
        return NULL;
    }
    return find_in_subtable(st, probe, masked_hash(st, &probe->value));
}

bool
cls_rule_is_covered_by(const struct cls_rule *rule,
                       const struct flow_key *value,
                       const struct flow_key *mask)
{
    for (int i = 0; i < FLOW_KEY_WORDS; i++) {
        uint64_t m = mask->w[i] & full_mask.w[i];
        if ((m & ~rule->mask.w[i]) || ((rule->value.w[i] ^ value->w[i]) & m)) {
            return false;
        }
    }
    return true;
}

bool
cls_rules_overlap(const struct cls_rule *a, const struct cls_rule *b)
{
    for (int i = 0; i < FLOW_KEY_WORDS; i++) {
        if ((a->value.w[i] ^ b->value.w[i]) & a->mask.w[i] & b->mask.w[i]) {
            return false;
        }
    }
    return true;
}

void
classifier_for_each(const struct classifier *cls,
                    void (*cb)(struct cls_rule *, void *aux), void *aux)
{
    for (size_t i = 0; i < cls->n_subtables; i++) {
        struct cls_rule *r;
        HMAP_FOR_EACH (r, node, &cls->subtables[i]->rules) {
            cb(r, aux);
        }
    }
}
