/* classifier — wildcard packet classification by tuple-space search.
 *
 * A rule is a (value, mask) pair over struct flow_key (lib/pkt/flow-key.h)
 * plus a 16-bit priority: a key K matches when (K & mask) == value for
 * every word.  Any bit pattern is a valid mask, so nw_src/nw_dst prefixes
 * and fully wildcarded fields need nothing special.
 *
 * Rules with the same mask share a subtable: a hash table keyed by the
 * masked key.  Lookup probes subtables in decreasing order of the highest
 * rank they hold and stops as soon as no later subtable can beat the best
 * match found, so a table of a few masks costs a few hash probes.
 *
 * Ranks: OpenFlow 1.0 says an exact-match entry (no wildcards: the mask
 * covers every field) beats every wildcarded entry, whatever the
 * priorities.  A rule's rank is therefore CLS_RANK_EXACT for a full mask,
 * else its priority.  Between matching rules of the same rank the choice
 * is unspecified (as in OpenFlow).
 *
 * Each subtable counts its rules per rank (a max-heap of the distinct
 * ranks), so insert and remove cost O(1) plus O(log distinct ranks) when a
 * rank appears or disappears; no removal rescans a subtable.
 *
 * Version: every insert/remove increments classifier_version(), so a cache
 * of lookup results (flow-cache.h) can invalidate itself in O(1).
 *
 * Ownership: rules are embedded by the caller in its own struct
 * (CONTAINER_OF) and are never freed by the classifier; the caller removes
 * a rule before freeing it.  Subtables belong to the classifier.
 * No allocation happens in classifier_lookup().
 * Thread-safety: none; one thread owns a classifier. */
#ifndef PLURAL_DP_CLASSIFIER_H
#define PLURAL_DP_CLASSIFIER_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "pkt/flow-key.h"
#include "util/hmap.h"

#define CLS_RANK_EXACT 0x10000u

struct cls_subtable;

struct cls_rule {
    struct hmap_node node;          /* In subtable->rules. */
    struct flow_key value;          /* Always value & mask. */
    struct flow_key mask;
    struct cls_subtable *subtable;  /* NULL when not inserted. */
    uint32_t rank;                  /* CLS_RANK_EXACT or priority. */
    uint16_t priority;
};

struct classifier {
    struct cls_subtable **subtables;    /* Sorted by max_rank, highest first. */
    size_t n_subtables, allocated;
    size_t n_rules;
    uint32_t version;
    uint64_t rank_work;     /* Steps spent keeping subtables' max rank
                             * (for tests: O(log ranks) per change). */
};

/* The mask that matches every field exactly. */
const struct flow_key *cls_exact_mask(void);

/* Prepares `rule` for insertion: stores value & mask and the rank. */
void cls_rule_init(struct cls_rule *, const struct flow_key *value,
                   const struct flow_key *mask, uint16_t priority);
static inline bool
cls_rule_is_exact(const struct cls_rule *r) { return r->rank == CLS_RANK_EXACT; }
/* Gives an initialised rule the exact-match rank even though its mask is
 * not full: OpenFlow 1.0 calls a match with wildcards == 0 exact even when
 * some of its fields do not apply to the protocol (and are masked out). */
static inline void cls_rule_force_exact(struct cls_rule *r) { r->rank = CLS_RANK_EXACT; }

void classifier_init(struct classifier *);
/* Frees the subtables (rules stay the caller's).  Accepts NULL. */
void classifier_destroy(struct classifier *);

/* Inserts `rule` (initialised, not in any classifier).  If a rule with the
 * same value, mask, priority and rank is already present, it is removed and
 * returned (the caller frees it); else returns NULL. */
struct cls_rule *classifier_insert(struct classifier *, struct cls_rule *);
/* Removes an inserted rule. */
void classifier_remove(struct classifier *, struct cls_rule *);

/* The highest-ranked rule matching `key`, or NULL.  No allocation. */
const struct cls_rule *classifier_lookup(const struct classifier *,
                                         const struct flow_key *key);

/* The inserted rule with the same value, mask, priority and rank as
 * `probe` (an initialised rule that is not inserted), or NULL. */
struct cls_rule *classifier_find_exactly(const struct classifier *,
                                         const struct cls_rule *probe);

static inline size_t classifier_count(const struct classifier *c) { return c->n_rules; }
static inline uint32_t classifier_version(const struct classifier *c) { return c->version; }

/* Match algebra over (value, mask) pairs, for OpenFlow's non-strict
 * modify/delete/stats ("covers") and CHECK_OVERLAP. */
/* True if every key `rule` matches is also matched by (value, mask): mask
 * is a subset of the rule's mask and the rule's value agrees on it. */
bool cls_rule_is_covered_by(const struct cls_rule *,
                            const struct flow_key *value,
                            const struct flow_key *mask);
/* True if some key matches both rules. */
bool cls_rules_overlap(const struct cls_rule *, const struct cls_rule *);

/* Iteration over every rule (any order).  The callback may not modify the
 * classifier; collect rules first to remove them. */
void classifier_for_each(const struct classifier *,
                         void (*cb)(struct cls_rule *, void *aux), void *aux);


#endif
