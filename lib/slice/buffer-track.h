/* buffer-track — the buffer_ids the slicer handed to one slice on one
 * switch (a PACKET_IN's buffer_id goes to one slice only; a FLOW_MOD or
 * PACKET_OUT may name only a buffer_id its slice was given).
 *
 * Each grant remembers the buffered frame's 12-tuple (the slicer checks a
 * PACKET_OUT that releases the buffer against the slice's flowspace).
 * Grants are kept in a hash map by buffer_id and in a list by age (grants
 * are made in time order), so take, grant and expiry are O(1) per buffer:
 * expiry pops the oldest while they are older than the switch keeps a
 * buffer, and never walks the rest.  Nodes are recycled through a free list
 * (at most `quota` are ever allocated), so the PACKET_IN path allocates
 * nothing once warm.  A grant of a buffer_id that is already tracked (the
 * switch reused it) replaces the old grant.
 *
 * Ownership: the tracker owns its nodes.  Not thread-safe; owned by one
 * (slice, switch) pair. */
#ifndef PLURAL_SLICE_BUFFER_TRACK_H
#define PLURAL_SLICE_BUFFER_TRACK_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp/ofp-match.h"
#include "util/hmap.h"
#include "util/list.h"

struct buffer_track {
    struct hmap by_id;          /* struct tracked_buffer, by buffer_id. */
    struct list by_age;         /* Oldest first. */
    struct list free;           /* Recycled nodes. */
};

void buffer_track_init(struct buffer_track *);
void buffer_track_destroy(struct buffer_track *);
/* Forgets every grant (nodes kept for reuse). */
void buffer_track_clear(struct buffer_track *);
size_t buffer_track_count(const struct buffer_track *);

/* Forgets grants made more than max_age_ms before now_ms. */
void buffer_track_expire(struct buffer_track *, uint64_t now_ms, uint64_t max_age_ms);
/* Records a grant made at now_ms, unless `quota` grants are held (false). */
bool buffer_track_grant(struct buffer_track *, uint32_t buffer_id,
                        const struct ofp_match_h *, uint64_t now_ms, size_t quota);
/* Takes the grant of buffer_id (its frame into *match); false if none. */
bool buffer_track_take(struct buffer_track *, uint32_t buffer_id,
                       struct ofp_match_h *match);

#endif
