/* flow-track — the slicer's shadow of one slice's flows on one switch, to
 * enforce the slice's flow-entry limit.
 *
 * Keyed like the switch's table: (normalized match, priority).  The slicer
 * forces OFPFF_SEND_FLOW_REM on every flow it installs for a slice, so the
 * switch reports every removal (timeout or DELETE, as OpenFlow 1.0 requires)
 * and flow_track_removed() keeps the count exact; `wants_removed` records
 * whether the slice itself asked for FLOW_REMOVED (the slicer drops the
 * others).
 *
 * flow_track_would_add() answers "does this ADD/MODIFY create an entry?":
 *   ADD: no entry with the same key exists;
 *   MODIFY_STRICT: same (OpenFlow 1.0 adds when nothing matches);
 *   MODIFY: no tracked entry is covered by the match.
 *
 * Not thread-safe; owned by one (slice, switch) pair. */
#ifndef PLURAL_SLICE_FLOW_TRACK_H
#define PLURAL_SLICE_FLOW_TRACK_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp/ofp-match.h"

/* Open addressing with linear probing, keys stored inline (a lookup is
 * usually one cache line: the slicer looks a flow up for every FLOW_MOD
 * of every slice), at most half full, backward-shift deletion (no
 * tombstones). */
struct flow_track_entry {
    uint32_t hash;
    uint16_t priority;
    bool used;
    bool wants_removed;
    struct ofp_match_h match;   /* Normalized. */
};

struct flow_track {
    struct flow_track_entry *slots;
    size_t mask;                /* Capacity - 1 (capacity a power of 2), or 0. */
    size_t count;
};

void flow_track_init(struct flow_track *);
void flow_track_destroy(struct flow_track *);
void flow_track_clear(struct flow_track *);
size_t flow_track_count(const struct flow_track *);

bool flow_track_would_add(const struct flow_track *, uint16_t command,
                          const struct ofp_match_h *, uint16_t priority);
/* Records the effect of an accepted ADD/MODIFY/MODIFY_STRICT; true if it
 * created an entry (what flow_track_would_add() said before). */
bool flow_track_apply(struct flow_track *, uint16_t command,
                      const struct ofp_match_h *, uint16_t priority,
                      bool wants_removed);
/* A FLOW_REMOVED arrived: forgets the entry.  Returns true if it was
 * tracked, with *wants_removed set. */
bool flow_track_removed(struct flow_track *, const struct ofp_match_h *,
                        uint16_t priority, bool *wants_removed);

#endif
