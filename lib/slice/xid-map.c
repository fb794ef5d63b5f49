/* xid-map — see xid-map.h. */
#include "slice/xid-map.h"

#include <stdlib.h>
#include <string.h>
#include "util/hash.h"
#include "util/util.h"

#define FIRST_REQUEST_XID 0x10000u

void
xid_map_init(struct xid_map *m)
{
    memset(m, 0, sizeof *m);
    hmap_init(&m->requests);
    list_init(&m->by_age);
    m->next_xid = FIRST_REQUEST_XID;
}

void
xid_map_destroy(struct xid_map *m)
{
    xid_map_forget_owner(m, NULL);
    hmap_destroy(&m->requests);
    free(m->ring);
}

struct xid_req *
xid_map_request(struct xid_map *m, void *owner, uint32_t orig_xid, int kind,
                uint64_t now_ms)
{
    struct xid_req *r = xzalloc(sizeof *r);
    r->info.new_xid = m->next_xid++;
    if (m->next_xid >= XID_MAP_SENT_BIT) {
        m->next_xid = FIRST_REQUEST_XID;
    }
    r->info.orig_xid = orig_xid;
    r->info.owner = owner;
    r->kind = kind;
    r->created_ms = now_ms;
    hmap_insert(&m->requests, &r->node, hash_int(r->info.new_xid, 0));
    list_push_back(&m->by_age, &r->age_node);
    return r;
}

struct xid_req *
xid_map_find_request(const struct xid_map *m, uint32_t xid)
{
    struct xid_req *r;
    HMAP_FOR_EACH_WITH_HASH (r, node, hash_int(xid, 0), &m->requests) {
        if (r->info.new_xid == xid) {
            return r;
        }
    }
    return NULL;
}

void
xid_map_remove_request(struct xid_map *m, struct xid_req *r)
{
    if (r->kind == XID_MAP_RETIRE) {
        m->retire_pending = false;
    }
    hmap_remove(&m->requests, &r->node);
    list_remove(&r->age_node);
    free(r);
}

void
xid_map_expire(struct xid_map *m, uint64_t now_ms, uint64_t max_age_ms)
{
    while (!list_is_empty(&m->by_age)) {
        struct xid_req *r = CONTAINER_OF(m->by_age.next, struct xid_req, age_node);
        if (now_ms - r->created_ms < max_age_ms) {
            break;
        }
        xid_map_remove_request(m, r);
    }
}

static struct xid_info *
slot(const struct xid_map *m, uint32_t seq)
{
    return &m->ring[seq & (m->ring_cap - 1)];
}

struct xid_info *
xid_map_send(struct xid_map *m, void *owner, uint32_t orig_xid)
{
    uint32_t n = m->tail - m->head;
    if (n >= XID_MAP_SENT_MAX) {
        m->head++;              /* The switch never retires: forget the oldest. */
        m->overflow++;
        n--;
    }
    if (n == m->ring_cap) {
        uint32_t cap = m->ring_cap ? 2 * m->ring_cap : 256;
        struct xid_info *ring = xmalloc(cap * sizeof *ring);
        for (uint32_t i = 0; i < n; i++) {
            ring[(m->head + i) & (cap - 1)] = *slot(m, m->head + i);
        }
        free(m->ring);
        m->ring = ring;
        m->ring_cap = cap;
    }
    uint32_t seq = m->tail++;
    struct xid_info *x = slot(m, seq);
    memset(x, 0, sizeof *x);
    x->new_xid = XID_MAP_SENT_BIT | (seq & ~XID_MAP_SENT_BIT);
    x->orig_xid = orig_xid;
    x->owner = owner;
    m->since_retire++;
    return x;
}

struct xid_info *
xid_map_find_sent(struct xid_map *m, uint32_t xid)
{
    if (!(xid & XID_MAP_SENT_BIT) || m->tail == m->head) {
        return NULL;
    }
    uint32_t d = (xid - m->head) & ~XID_MAP_SENT_BIT;
    if (d >= m->tail - m->head) {
        return NULL;
    }
    struct xid_info *x = slot(m, m->head + d);
    return x->owner && x->new_xid == xid ? x : NULL;
}

bool
xid_map_retire_due(const struct xid_map *m)
{
    return !m->retire_pending && m->since_retire >= XID_MAP_RETIRE_EVERY;
}

uint32_t
xid_map_retire_start(struct xid_map *m, uint64_t now_ms)
{
    struct xid_req *r = xid_map_request(m, NULL, 0, XID_MAP_RETIRE, now_ms);
    r->retire_seq = m->tail;
    m->retire_pending = true;
    m->since_retire = 0;
    return r->info.new_xid;
}

void
xid_map_retired(struct xid_map *m, struct xid_req *r)
{
    /* Sequence arithmetic: only move head forward. */
    if ((int32_t) (r->retire_seq - m->head) > 0
        && (int32_t) (m->tail - r->retire_seq) >= 0) {
        m->head = r->retire_seq;
    }
    xid_map_remove_request(m, r);
}

void
xid_map_forget_owner(struct xid_map *m, const void *owner)
{
    struct xid_req *r, *next;
    LIST_FOR_EACH_SAFE (r, next, age_node, &m->by_age) {
        if (r->kind == XID_MAP_RETIRE ? !owner : !owner || r->info.owner == owner) {
            xid_map_remove_request(m, r);
        }
    }
    for (uint32_t seq = m->head; seq != m->tail; seq++) {
        struct xid_info *x = slot(m, seq);
        if (!owner || x->owner == owner) {
            x->owner = NULL;
        }
    }
}

size_t
xid_map_n_requests(const struct xid_map *m)
{
    return hmap_count(&m->requests);
}

size_t
xid_map_n_sent(const struct xid_map *m)
{
    return m->tail - m->head;
}
