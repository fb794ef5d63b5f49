/* hmap — intrusive hash map keyed by a caller-computed 32-bit hash.
 *
 * Embed `struct hmap_node` in each element; the caller hashes and compares
 * keys (the map only stores the hash).  Grows (doubles) when the load passes
 * 2 per bucket and shrinks on hmap_shrink().  Iteration order is unspecified.
 * Not thread-safe. */
#ifndef PLURAL_HMAP_H
#define PLURAL_HMAP_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "util.h"

struct hmap_node {
    uint32_t hash;
    struct hmap_node *next;
};

struct hmap {
    struct hmap_node **buckets;
    size_t mask;        /* Buckets - 1 (buckets is a power of 2). */
    size_t count;
};

void hmap_init(struct hmap *);
void hmap_destroy(struct hmap *);   /* Frees buckets, not elements. */
void hmap_clear(struct hmap *);     /* Forgets elements, keeps buckets. */
void hmap_insert(struct hmap *, struct hmap_node *, uint32_t hash);
void hmap_remove(struct hmap *, struct hmap_node *);
void hmap_shrink(struct hmap *);
static inline size_t hmap_count(const struct hmap *m) { return m->count; }
static inline bool hmap_is_empty(const struct hmap *m) { return m->count == 0; }

/* First node with this hash (or NULL), then the next with the same hash. */
static inline struct hmap_node *
hmap_first_with_hash(const struct hmap *m, uint32_t hash)
{
    struct hmap_node *n = m->buckets[hash & m->mask];
    while (n && n->hash != hash) {
        n = n->next;
    }
    return n;
}

static inline struct hmap_node *
hmap_next_with_hash(const struct hmap_node *node)
{
    struct hmap_node *n = node->next;
    uint32_t hash = node->hash;
    while (n && n->hash != hash) {
        n = n->next;
    }
    return n;
}

/* Iteration helpers: first node and the node after `node` (any order). */
struct hmap_node *hmap_first(const struct hmap *);
struct hmap_node *hmap_next(const struct hmap *, const struct hmap_node *);

#define HMAP_FOR_EACH_WITH_HASH(ITER, MEMBER, HASH, MAP)                    \
    for (struct hmap_node *hn_ = hmap_first_with_hash(MAP, HASH);          \
         hn_ && ((ITER) = CONTAINER_OF(hn_, __typeof__(*(ITER)), MEMBER), 1); \
         hn_ = hmap_next_with_hash(hn_))

/* Safe against removal of ITER (the next node is fetched first). */
#define HMAP_FOR_EACH(ITER, MEMBER, MAP)                                    \
    for (struct hmap_node *hn_ = hmap_first(MAP), *hnn_;                   \
         hn_ && ((hnn_ = hmap_next(MAP, hn_)), 1)                          \
         && ((ITER) = CONTAINER_OF(hn_, __typeof__(*(ITER)), MEMBER), 1);  \
         hn_ = hnn_)

#endif
