#include "hmap.h"

#include <stdlib.h>

static struct hmap_node *empty_bucket;

void
hmap_init(struct hmap *m)
{
    m->buckets = &empty_bucket;
    m->mask = 0;
    m->count = 0;
}

void
hmap_destroy(struct hmap *m)
{
    if (m && m->buckets != &empty_bucket) {
        free(m->buckets);
        m->buckets = &empty_bucket;
        m->mask = 0;
        m->count = 0;
    }
}

void
hmap_clear(struct hmap *m)
{
    for (size_t i = 0; i <= m->mask; i++) {
        m->buckets[i] = NULL;
    }
    m->count = 0;
}

static void
resize(struct hmap *m, size_t n_buckets)
{
    struct hmap_node **nb = xcalloc(n_buckets, sizeof *nb);
    for (size_t i = 0; i <= m->mask; i++) {
        struct hmap_node *n = m->buckets[i], *next;
        for (; n; n = next) {
            next = n->next;
            struct hmap_node **b = &nb[n->hash & (n_buckets - 1)];
            n->next = *b;
            *b = n;
        }
    }
    if (m->buckets != &empty_bucket) {
        free(m->buckets);
    }
    m->buckets = nb;
    m->mask = n_buckets - 1;
}

void
hmap_insert(struct hmap *m, struct hmap_node *node, uint32_t hash)
{
    node->hash = hash;
    if (m->count + 1 > (m->mask + 1) * 2 || m->buckets == &empty_bucket) {
        resize(m, m->buckets == &empty_bucket ? 8 : (m->mask + 1) * 2);
    }
    struct hmap_node **b = &m->buckets[hash & m->mask];
    node->next = *b;
    *b = node;
    m->count++;
}

void
hmap_remove(struct hmap *m, struct hmap_node *node)
{
    struct hmap_node **p = &m->buckets[node->hash & m->mask];
    while (*p != node) {
        BUG_ON(!*p);
        p = &(*p)->next;
    }
    *p = node->next;
    m->count--;
}

void
hmap_shrink(struct hmap *m)
{
    size_t want = 8;
    while (want * 2 < m->count) {
        want *= 2;
    }
    if (m->buckets != &empty_bucket && want < m->mask + 1) {
        resize(m, want);
    }
}

struct hmap_node *
hmap_first(const struct hmap *m)
{
    for (size_t i = 0; i <= m->mask; i++) {
        if (m->buckets[i]) {
            return m->buckets[i];
        }
    }
    return NULL;
}

struct hmap_node *
hmap_next(const struct hmap *m, const struct hmap_node *node)
{
    if (node->next) {
        return node->next;
    }
    for (size_t i = (node->hash & m->mask) + 1; i <= m->mask; i++) {
        if (m->buckets[i]) {
            return m->buckets[i];
        }
    }
    return NULL;
}
