/* flow-cache — exact-match cache of classifier results, in front of the
 * classifier, one per datapath.
 *
 * Each entry remembers (full flow key, its hash) -> result (a rule pointer
 * or NULL for "no rule matched", so a miss storm also hits the cache), and
 * the classifier version it was computed at.  An entry is valid only while
 * that version is current: any insert or remove in the classifier bumps the
 * version and so invalidates every entry at once, without touching them.
 * Therefore a cached rule pointer is never stale: a removed rule implies a
 * new version.
 *
 * Layout: FLOW_CACHE_ENTRIES entries, 2-way set associative (an entry may
 * live in slot h or h^1); the victim is the stale one, else the older.
 * Fixed size, allocated once: no allocation per packet.
 * Thread-safety: none; owned by the datapath thread. */
#ifndef PLURAL_DP_FLOW_CACHE_H
#define PLURAL_DP_FLOW_CACHE_H 1

#include <stdbool.h>
#include <stdint.h>
#include "pkt/flow-key.h"

#define FLOW_CACHE_ENTRIES 8192     /* Power of 2. */

struct flow_cache_entry {
    struct flow_key key;
    uint32_t hash;
    uint32_t version;               /* 0: empty. */
    const void *result;
};

struct flow_cache {
    struct flow_cache_entry *entries;
    uint32_t tick;                  /* Alternates the victim way. */
    uint64_t hits, misses;
};

void flow_cache_init(struct flow_cache *);
void flow_cache_destroy(struct flow_cache *);  /* Accepts NULL. */

/* The hash to pass to lookup/insert. */
static inline uint32_t
flow_cache_hash(const struct flow_key *key)
{
    return flow_key_hash(key, 0x5eed);
}

/* Returns true and sets *result (possibly NULL: a cached miss) when `key`
 * has an entry computed at `version`. */
static inline bool
flow_cache_lookup(struct flow_cache *c, const struct flow_key *key,
                  uint32_t hash, uint32_t version, const void **result)
{
    uint32_t i = hash & (FLOW_CACHE_ENTRIES - 1);
    for (int way = 0; way < 2; way++) {
        const struct flow_cache_entry *e = &c->entries[i ^ (uint32_t) way];
        if (e->hash == hash && e->version == version
            && flow_key_equal(&e->key, key)) {
            *result = e->result;
            c->hits++;
            return true;
        }
    }
    c->misses++;
    return false;
}

void flow_cache_insert(struct flow_cache *, const struct flow_key *key,
                       uint32_t hash, uint32_t version, const void *result);

#endif
