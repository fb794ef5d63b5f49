#include "dp/flow-cache.h"

#include <stdlib.h>
#include "util/util.h"

void
flow_cache_init(struct flow_cache *c)
{
    c->entries = xcalloc(FLOW_CACHE_ENTRIES, sizeof *c->entries);
    c->tick = 0;
    c->hits = c->misses = 0;
}

void
flow_cache_destroy(struct flow_cache *c)
{
    if (c) {
        free(c->entries);
        c->entries = NULL;
    }
}

void
flow_cache_insert(struct flow_cache *c, const struct flow_key *key,
                  uint32_t hash, uint32_t version, const void *result)
{
    uint32_t i = hash & (FLOW_CACHE_ENTRIES - 1);
    struct flow_cache_entry *a = &c->entries[i], *b = &c->entries[i ^ 1];
    struct flow_cache_entry *victim;
    if (a->version != version) {
        victim = a;
    } else if (b->version != version) {
        victim = b;
    } else {
        victim = (c->tick++ & 1) ? a : b;
    }
    victim->key = *key;
    victim->hash = hash;
    victim->version = version;
    victim->result = result;
}
