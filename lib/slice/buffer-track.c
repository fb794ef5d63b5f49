/* buffer-track — see buffer-track.h. */
#include "slice/buffer-track.h"

#include <stdlib.h>
#include "util/hash.h"
#include "util/util.h"

struct tracked_buffer {
    struct hmap_node id_node;
    struct list age_node;       /* In by_age, or in free. */
    uint32_t buffer_id;
    uint64_t created_ms;
    struct ofp_match_h match;
};

void
buffer_track_init(struct buffer_track *bt)
{
    hmap_init(&bt->by_id);
    list_init(&bt->by_age);
    list_init(&bt->free);
}

static void
free_list(struct list *l)
{
    while (!list_is_empty(l)) {
        free(CONTAINER_OF(list_pop_front(l), struct tracked_buffer, age_node));
    }
}

void
buffer_track_destroy(struct buffer_track *bt)
{
    free_list(&bt->by_age);
    free_list(&bt->free);
    hmap_destroy(&bt->by_id);
}

static void
release(struct buffer_track *bt, struct tracked_buffer *b)
{
    hmap_remove(&bt->by_id, &b->id_node);
    list_remove(&b->age_node);
    list_push_front(&bt->free, &b->age_node);
}

void
buffer_track_clear(struct buffer_track *bt)
{
    while (!list_is_empty(&bt->by_age)) {
        release(bt, CONTAINER_OF(bt->by_age.next, struct tracked_buffer, age_node));
    }
}

size_t
buffer_track_count(const struct buffer_track *bt)
{
    return hmap_count(&bt->by_id);
}

void
buffer_track_expire(struct buffer_track *bt, uint64_t now_ms, uint64_t max_age_ms)
{
    while (!list_is_empty(&bt->by_age)) {
        struct tracked_buffer *b = CONTAINER_OF(bt->by_age.next, struct tracked_buffer,
                                                age_node);
        if (now_ms - b->created_ms < max_age_ms) {
            break;
        }
        release(bt, b);
    }
}

static struct tracked_buffer *
find(const struct buffer_track *bt, uint32_t buffer_id)
{
    struct tracked_buffer *b;
    HMAP_FOR_EACH_WITH_HASH (b, id_node, hash_int(buffer_id, 0), &bt->by_id) {
        if (b->buffer_id == buffer_id) {
            return b;
        }
    }
    return NULL;
}

bool
buffer_track_grant(struct buffer_track *bt, uint32_t buffer_id,
                   const struct ofp_match_h *match, uint64_t now_ms, size_t quota)
{
    struct tracked_buffer *b = find(bt, buffer_id);
    if (b) {
        release(bt, b);
    } else if (hmap_count(&bt->by_id) >= quota) {
        return false;
    }
    b = list_is_empty(&bt->free)
        ? xmalloc(sizeof *b)
        : CONTAINER_OF(list_pop_front(&bt->free), struct tracked_buffer, age_node);
    b->buffer_id = buffer_id;
    b->created_ms = now_ms;
    b->match = *match;
    hmap_insert(&bt->by_id, &b->id_node, hash_int(buffer_id, 0));
    list_push_back(&bt->by_age, &b->age_node);
    return true;
}

bool
buffer_track_take(struct buffer_track *bt, uint32_t buffer_id, struct ofp_match_h *match)
{
    struct tracked_buffer *b = find(bt, buffer_id);
    if (!b) {
        return false;
    }
    *match = b->match;
    release(bt, b);
    return true;
}
