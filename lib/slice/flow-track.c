/* flow-track — see flow-track.h. */
#include "slice/flow-track.h"

#include <stdlib.h>
#include <string.h>
#include "ofp/ofp-wire.h"
#include "util/hash.h"
#include "util/util.h"

struct tracked_flow {
    struct hmap_node node;
    struct ofp_match_h match;
    uint16_t priority;
    bool wants_removed;
};

/* The hash of an already normalized match. */
static uint32_t
norm_hash(const struct ofp_match_h *norm, uint16_t priority)
{
    struct ofp_match wire;
    ofp_match_encode(norm, &wire);
    return hash_bytes(&wire, sizeof wire, priority);
}

static struct tracked_flow *
find_norm(const struct flow_track *ft, const struct ofp_match_h *norm,
          uint16_t priority, uint32_t hash)
{
    struct tracked_flow *f;
    HMAP_FOR_EACH_WITH_HASH (f, node, hash, &ft->flows) {
        if (f->priority == priority && ofp_match_equal(&f->match, norm)) {
            return f;
        }
    }
    return NULL;
}

static struct tracked_flow *
find(const struct flow_track *ft, const struct ofp_match_h *m, uint16_t priority)
{
    struct ofp_match_h norm = *m;
    ofp_match_normalize(&norm);
    return find_norm(ft, &norm, priority, norm_hash(&norm, priority));
}

void
flow_track_init(struct flow_track *ft)
{
    hmap_init(&ft->flows);
}

void
flow_track_clear(struct flow_track *ft)
{
    struct tracked_flow *f;
    HMAP_FOR_EACH (f, node, &ft->flows) {
        hmap_remove(&ft->flows, &f->node);
        free(f);
    }
}

void
flow_track_destroy(struct flow_track *ft)
{
    if (ft) {
        flow_track_clear(ft);
        hmap_destroy(&ft->flows);
    }
}

size_t
flow_track_count(const struct flow_track *ft)
{
    return hmap_count(&ft->flows);
}

static bool
covers_any(const struct flow_track *ft, const struct ofp_match_h *m)
{
    struct tracked_flow *f;
    HMAP_FOR_EACH (f, node, &ft->flows) {
        if (ofp_match_covers(m, &f->match)) {
            return true;
        }
    }
    return false;
}

bool
flow_track_would_add(const struct flow_track *ft, uint16_t command,
                     const struct ofp_match_h *m, uint16_t priority)
{
    switch (command) {
    case OFPFC_ADD:
    case OFPFC_MODIFY_STRICT:
        return !find(ft, m, priority);
    case OFPFC_MODIFY:
        return !covers_any(ft, m);
    default:
        return false;
    }
}

bool
flow_track_apply(struct flow_track *ft, uint16_t command,
                 const struct ofp_match_h *m, uint16_t priority,
                 bool wants_removed)
{
    if (command == OFPFC_MODIFY && covers_any(ft, m)) {
        return false;           /* Modified existing flows only. */
    }
    if (command != OFPFC_ADD && command != OFPFC_MODIFY
        && command != OFPFC_MODIFY_STRICT) {
        return false;
    }
    struct ofp_match_h norm = *m;
    ofp_match_normalize(&norm);
    uint32_t hash = norm_hash(&norm, priority);
    struct tracked_flow *f = find_norm(ft, &norm, priority, hash);
    if (f) {
        if (command == OFPFC_ADD) {
            f->wants_removed = wants_removed;
        }
        return false;
    }
    f = xmalloc(sizeof *f);
    f->match = norm;
    f->priority = priority;
    f->wants_removed = wants_removed;
    hmap_insert(&ft->flows, &f->node, hash);
    return true;
}

bool
flow_track_removed(struct flow_track *ft, const struct ofp_match_h *m,
                   uint16_t priority, bool *wants_removed)
{
    struct tracked_flow *f = find(ft, m, priority);
    if (!f) {
        return false;
    }
    *wants_removed = f->wants_removed;
    hmap_remove(&ft->flows, &f->node);
    free(f);
    return true;
}
