/* flow-track — see flow-track.h. */
#include "slice/flow-track.h"

#include <stdlib.h>
#include <string.h>
#include "ofp/ofp-wire.h"
#include "util/hash.h"
#include "util/util.h"

/* The hash of an already normalized match. */
static uint32_t
norm_hash(const struct ofp_match_h *norm, uint16_t priority)
{
    struct ofp_match wire;
    ofp_match_encode(norm, &wire);
    return hash_bytes(&wire, sizeof wire, priority);
}

/* The slot holding (norm, priority), or NULL. */
static struct flow_track_entry *
find_norm(const struct flow_track *ft, const struct ofp_match_h *norm,
          uint16_t priority, uint32_t hash)
{
    if (!ft->count) {
        return NULL;
    }
    for (size_t i = hash & ft->mask; ft->slots[i].used; i = (i + 1) & ft->mask) {
        struct flow_track_entry *e = &ft->slots[i];
        if (e->hash == hash && e->priority == priority && ofp_match_equal(&e->match, norm)) {
            return e;
        }
    }
    return NULL;
}

static struct flow_track_entry *
find(const struct flow_track *ft, const struct ofp_match_h *m, uint16_t priority)
{
    struct ofp_match_h norm = *m;
    ofp_match_normalize(&norm);
    return find_norm(ft, &norm, priority, norm_hash(&norm, priority));
}

static void
place(struct flow_track *ft, const struct flow_track_entry *e)
{
    size_t i = e->hash & ft->mask;
    while (ft->slots[i].used) {
        i = (i + 1) & ft->mask;
    }
    ft->slots[i] = *e;
}

static void
resize(struct flow_track *ft, size_t capacity)
{
    struct flow_track_entry *old = ft->slots;
    size_t old_cap = ft->slots ? ft->mask + 1 : 0;
    ft->slots = xcalloc(capacity, sizeof *ft->slots);
    ft->mask = capacity - 1;
    for (size_t i = 0; i < old_cap; i++) {
        if (old[i].used) {
            place(ft, &old[i]);
        }
    }
    free(old);
}

void
flow_track_init(struct flow_track *ft)
{
    ft->slots = NULL;
    ft->mask = 0;
    ft->count = 0;
}

void
flow_track_clear(struct flow_track *ft)
{
    if (ft->slots) {
        memset(ft->slots, 0, (ft->mask + 1) * sizeof *ft->slots);
    }
    ft->count = 0;
}

void
flow_track_destroy(struct flow_track *ft)
{
    if (ft) {
        free(ft->slots);
        flow_track_init(ft);
    }
}

size_t
flow_track_count(const struct flow_track *ft)
{
    return ft->count;
}

static bool
covers_any(const struct flow_track *ft, const struct ofp_match_h *m)
{
    for (size_t i = 0; ft->count && i <= ft->mask; i++) {
        if (ft->slots[i].used && ofp_match_covers(m, &ft->slots[i].match)) {
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
    struct flow_track_entry e = { .priority = priority, .used = true,
                                  .wants_removed = wants_removed, .match = *m };
    ofp_match_normalize(&e.match);
    e.hash = norm_hash(&e.match, priority);
    struct flow_track_entry *f = find_norm(ft, &e.match, priority, e.hash);
    if (f) {
        if (command == OFPFC_ADD) {
            f->wants_removed = wants_removed;
        }
        return false;
    }
    if (!ft->slots || 2 * (ft->count + 1) > ft->mask + 1) {
        resize(ft, ft->slots ? 2 * (ft->mask + 1) : 16);
    }
    place(ft, &e);
    ft->count++;
    return true;
}

bool
flow_track_removed(struct flow_track *ft, const struct ofp_match_h *m,
                   uint16_t priority, bool *wants_removed)
{
    struct flow_track_entry *f = find(ft, m, priority);
    if (!f) {
        return false;
    }
    *wants_removed = f->wants_removed;
    /* Backward-shift deletion: move later entries of the probe run into
     * the hole when their home slot allows it. */
    size_t hole = (size_t) (f - ft->slots);
    for (size_t i = (hole + 1) & ft->mask; ft->slots[i].used; i = (i + 1) & ft->mask) {
        size_t home = ft->slots[i].hash & ft->mask;
        /* Movable if home is not cyclically within (hole, i]. */
        bool stays = hole <= i ? (home > hole && home <= i) : (home > hole || home <= i);
        if (!stays) {
            ft->slots[hole] = ft->slots[i];
            hole = i;
        }
    }
    ft->slots[hole].used = false;
    ft->count--;
    return true;
}
