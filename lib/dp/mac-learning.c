#include "dp/mac-learning.h"

#include <stdlib.h>
#include <string.h>
#include "util/hash.h"
#include "util/hmap.h"
#include "util/list.h"
#include "util/util.h"

struct mac_entry {
    struct hmap_node node;
    struct list lru_node;       /* Oldest first. */
    uint8_t mac[6];
    uint16_t vlan;
    uint16_t port;
    uint64_t used_ms;
};

struct mac_learning {
    struct hmap table;
    struct list lru;
    uint64_t idle_ms;
    size_t max_entries;
};

static uint32_t
mac_hash(const uint8_t mac[6], uint16_t vlan)
{
    uint32_t a = (uint32_t) mac[0] << 24 | (uint32_t) mac[1] << 16
                 | (uint32_t) mac[2] << 8 | mac[3];
    uint32_t b = (uint32_t) mac[4] << 24 | (uint32_t) mac[5] << 16 | vlan;
    return hash_finish(hash_add(hash_add(0, a), b), 8);
}

struct mac_learning *
mac_learning_create(unsigned int idle_s, size_t max_entries)
{
    struct mac_learning *ml = xzalloc(sizeof *ml);
    hmap_init(&ml->table);
    list_init(&ml->lru);
    ml->idle_ms = (uint64_t) (idle_s ? idle_s : MAC_LEARNING_DEFAULT_IDLE_S) * 1000;
    ml->max_entries = max_entries ? max_entries : MAC_LEARNING_DEFAULT_MAX;
    return ml;
}

static void
entry_remove(struct mac_learning *ml, struct mac_entry *e)
{
    hmap_remove(&ml->table, &e->node);
    list_remove(&e->lru_node);
    free(e);
}

void
mac_learning_flush(struct mac_learning *ml)
{
    while (!list_is_empty(&ml->lru)) {
        entry_remove(ml, CONTAINER_OF(ml->lru.next, struct mac_entry, lru_node));
    }
}

void
mac_learning_destroy(struct mac_learning *ml)
{
    if (ml) {
        mac_learning_flush(ml);
        hmap_destroy(&ml->table);
        free(ml);
    }
}

static struct mac_entry *
find(const struct mac_learning *ml, const uint8_t mac[6], uint16_t vlan)
{
    struct mac_entry *e;
    HMAP_FOR_EACH_WITH_HASH (e, node, mac_hash(mac, vlan), &ml->table) {
        if (e->vlan == vlan && !memcmp(e->mac, mac, 6)) {
            return e;
        }
    }
    return NULL;
}

bool
mac_learning_learn(struct mac_learning *ml, const uint8_t mac[6],
                   uint16_t vlan, uint16_t port, uint64_t now_ms)
{
    if (eth_addr_is_multicast(mac)) {
        return false;
    }
    struct mac_entry *e = find(ml, mac, vlan);
    bool changed;
    if (e) {
        changed = e->port != port || now_ms >= e->used_ms + ml->idle_ms;
        list_remove(&e->lru_node);
    } else {
        if (hmap_count(&ml->table) >= ml->max_entries) {
            entry_remove(ml, CONTAINER_OF(ml->lru.next, struct mac_entry, lru_node));
        }
        e = xmalloc(sizeof *e);
        memcpy(e->mac, mac, 6);
        e->vlan = vlan;
        hmap_insert(&ml->table, &e->node, mac_hash(mac, vlan));
        changed = true;
    }
    e->port = port;
    e->used_ms = now_ms;
    list_push_back(&ml->lru, &e->lru_node);
    return changed;
}

int
mac_learning_lookup(const struct mac_learning *ml, const uint8_t mac[6],
                    uint16_t vlan, uint64_t now_ms)
{
    const struct mac_entry *e = find(ml, mac, vlan);
    if (!e || now_ms >= e->used_ms + ml->idle_ms) {
        return MAC_LEARNING_NO_PORT;
    }
    return e->port;
}

size_t
mac_learning_expire(struct mac_learning *ml, uint64_t now_ms)
{
    size_t n = 0;
    while (!list_is_empty(&ml->lru)) {
        struct mac_entry *e = CONTAINER_OF(ml->lru.next, struct mac_entry, lru_node);
        if (now_ms < e->used_ms + ml->idle_ms) {
            break;
        }
        entry_remove(ml, e);
        n++;
    }
    return n;
}

void
mac_learning_flush_port(struct mac_learning *ml, uint16_t port)
{
    struct mac_entry *e, *next;
    LIST_FOR_EACH_SAFE (e, next, lru_node, &ml->lru) {
        if (e->port == port) {
            entry_remove(ml, e);
        }
    }
}

size_t
mac_learning_count(const struct mac_learning *ml)
{
    return hmap_count(&ml->table);
}
