/* arp-cache — neighbour table with bounded resolution queues; see the header. */
#include "arp-cache.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "util/hash.h"
#include "util/util.h"

void
arp_cache_init(struct arp_cache *c, const struct arp_cache_config *cfg)
{
    static const struct arp_cache_config defaults = ARP_CACHE_CONFIG_DEFAULT;
    memset(c, 0, sizeof *c);
    c->cfg = cfg ? *cfg : defaults;
    hmap_init(&c->entries);
}

static void
entry_free(struct arp_cache *c, struct arp_entry *e)
{
    hmap_remove(&c->entries, &e->node);
    c->n_queued -= e->n_queued;
    arp_queued_list_free(&e->queue);
    free(e);
}

void
arp_cache_destroy(struct arp_cache *c)
{
    if (!c) {
        return;
    }
    struct arp_entry *e;
    HMAP_FOR_EACH (e, node, &c->entries) {
        entry_free(c, e);
    }
    hmap_destroy(&c->entries);
}

void
arp_queued_list_free(struct list *l)
{
    while (!list_is_empty(l)) {
        free(CONTAINER_OF(list_pop_front(l), struct arp_queued, node));
    }
}

struct arp_entry *
arp_cache_find(const struct arp_cache *c, uint32_t ip)
{
    struct arp_entry *e;
    HMAP_FOR_EACH_WITH_HASH (e, node, hash_int(ip, 0), &c->entries) {
        if (e->ip == ip) {
            return e;
        }
    }
    return NULL;
}

static bool
entry_valid(const struct arp_cache *c, const struct arp_entry *e, uint64_t now)
{
    return e->state == ARP_STATIC
           || (e->state == ARP_REACHABLE && now - e->updated_ms < c->cfg.reachable_ms);
}

bool
arp_cache_lookup(const struct arp_cache *c, uint32_t ip, uint64_t now, uint8_t mac[6])
{
    const struct arp_entry *e = arp_cache_find(c, ip);
    if (e && entry_valid(c, e, now)) {
        memcpy(mac, e->mac, 6);
        return true;
    }
    return false;
}

static struct arp_entry *
entry_create(struct arp_cache *c, uint32_t ip, uint32_t iface)
{
    if (hmap_count(&c->entries) >= c->cfg.max_entries) {
        return NULL;
    }
    struct arp_entry *e = xzalloc(sizeof *e);
    e->ip = ip;
    e->iface = iface;
    e->state = ARP_INCOMPLETE;
    list_init(&e->queue);
    hmap_insert(&c->entries, &e->node, hash_int(ip, 0));
    return e;
}

static void
release_queue(struct arp_cache *c, struct arp_entry *e, struct list *out)
{
    while (!list_is_empty(&e->queue)) {
        struct list *n = list_pop_front(&e->queue);
        if (out) {
            list_push_back(out, n);
        } else {
            free(CONTAINER_OF(n, struct arp_queued, node));
        }
    }
    c->n_queued -= e->n_queued;
    e->n_queued = 0;
}

int
arp_cache_learn(struct arp_cache *c, uint32_t ip, const uint8_t mac[6],
                uint32_t iface, uint64_t now, struct list *released)
{
    struct arp_entry *e = arp_cache_find(c, ip);
    if (!e) {
        e = entry_create(c, ip, iface);
        if (!e) {
            return -ENOSPC;
        }
    }
    if (e->state == ARP_STATIC) {
        return 0;
    }
    memcpy(e->mac, mac, 6);
    e->state = ARP_REACHABLE;
    e->iface = iface;
    e->updated_ms = now;
    e->requests = 0;
    release_queue(c, e, released);
    return 0;
}

int
arp_cache_add_static(struct arp_cache *c, uint32_t ip, const uint8_t mac[6], uint32_t iface)
{
    struct arp_entry *e = arp_cache_find(c, ip);
    if (!e) {
        e = entry_create(c, ip, iface);
        if (!e) {
            return -ENOSPC;
        }
    }
    memcpy(e->mac, mac, 6);
    e->iface = iface;
    e->state = ARP_STATIC;
    return 0;
}

int
arp_cache_enqueue(struct arp_cache *c, uint32_t ip, uint32_t iface,
                  const void *frame, uint32_t len, uint32_t aux, uint64_t now)
{
    struct arp_entry *e = arp_cache_find(c, ip);
    int ret = ARP_CACHE_QUEUED;
    if (!e) {
        e = entry_create(c, ip, iface);
        if (!e) {
            return -ENOSPC;
        }
    }
    if (e->state != ARP_INCOMPLETE) {
        /* Aged-out REACHABLE entry: resolve it again. */
        e->state = ARP_INCOMPLETE;
        e->requests = 0;
    }
    if (e->requests == 0) {
        e->iface = iface;
        e->updated_ms = now;
        e->requests = 1;
        e->next_retry_ms = now + c->cfg.retry_ms;
        c->requests_sent++;
        ret = ARP_CACHE_SEND_REQUEST;
    }
    if (!len) {
        return ret;             /* Only a resolution was asked for. */
    }
    if (e->n_queued >= c->cfg.max_queue_per_entry || c->n_queued >= c->cfg.max_queue_total) {
        c->drops_queue_full++;
        return ret == ARP_CACHE_SEND_REQUEST ? ret : -ENOBUFS;
    }
    struct arp_queued *q = xmalloc(sizeof *q + len);
    q->next_hop = ip;
    q->aux = aux;
    q->len = len;
    memcpy(q->data, frame, len);
    list_push_back(&e->queue, &q->node);
    e->n_queued++;
    c->n_queued++;
    return ret;
}

uint64_t
arp_cache_run(struct arp_cache *c, uint64_t now,
              void (*send_request)(uint32_t ip, uint32_t iface, void *aux),
              void *aux, struct list *failed)
{
    uint64_t next = UINT64_MAX;
    struct arp_entry *e;
    HMAP_FOR_EACH (e, node, &c->entries) {
        if (e->state == ARP_STATIC) {
            continue;
        }
        if (e->state == ARP_REACHABLE) {
            uint64_t expiry = e->updated_ms + c->cfg.reachable_ms;
            if (now >= expiry) {
                c->expired++;
                entry_free(c, e);
            } else {
                next = MIN(next, expiry);
            }
            continue;
        }
        /* INCOMPLETE */
        if (now < e->next_retry_ms) {
            next = MIN(next, e->next_retry_ms);
            continue;
        }
        if (e->requests >= c->cfg.max_retries) {
            c->failures++;
            release_queue(c, e, failed);
            entry_free(c, e);
            continue;
        }
        e->requests++;
        e->next_retry_ms = now + c->cfg.retry_ms;
        c->requests_sent++;
        if (send_request) {
            send_request(e->ip, e->iface, aux);
        }
        next = MIN(next, e->next_retry_ms);
    }
    return next;
}

int
arp_cache_remove(struct arp_cache *c, uint32_t ip)
{
    struct arp_entry *e = arp_cache_find(c, ip);
    if (!e) {
        return -ENOENT;
    }
    entry_free(c, e);
    return 0;
}

size_t
arp_cache_count(const struct arp_cache *c)
{
    return hmap_count(&c->entries);
}

const char *
arp_state_name(enum arp_state s)
{
    switch (s) {
    case ARP_INCOMPLETE: return "incomplete";
    case ARP_REACHABLE: return "reachable";
    case ARP_STATIC: return "static";
    }
    return "?";
}
