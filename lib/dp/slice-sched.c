/* slice-sched — deficit round robin over per-slice queues; see header. */
#include "dp/slice-sched.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "util/util.h"

struct slice_queue {
    struct packet **ring;
    size_t head, count;
    uint32_t weight;
    uint64_t deficit;
    bool active;                /* In the round-robin list. */
    struct slice_sched_stats stats;
};

struct slice_sched {
    size_t capacity;
    uint32_t quantum;
    slice_sched_release_cb *release;
    void *aux;
    uint8_t vlan_map[4096];     /* VID -> slice. */
    uint8_t untagged_slice;
    struct slice_queue queues[SLICE_SCHED_MAX_SLICES];
    /* Active slices in round-robin order (a ring of ids). */
    uint8_t active[SLICE_SCHED_MAX_SLICES];
    size_t active_head, n_active;
    bool turn_started;          /* The head slice got its quantum. */
    size_t backlog;
};

struct slice_sched *
slice_sched_create(size_t capacity, uint32_t quantum,
                   slice_sched_release_cb *release, void *aux)
{
    struct slice_sched *s = xzalloc(sizeof *s);
    s->capacity = capacity ? capacity : SLICE_SCHED_DEFAULT_CAPACITY;
    s->quantum = quantum ? quantum : SLICE_SCHED_DEFAULT_QUANTUM;
    s->release = release;
    s->aux = aux;
    for (size_t i = 0; i < SLICE_SCHED_MAX_SLICES; i++) {
        s->queues[i].weight = 1;
    }
    return s;
}

void
slice_sched_flush(struct slice_sched *s)
{
    for (size_t i = 0; i < SLICE_SCHED_MAX_SLICES; i++) {
        struct slice_queue *q = &s->queues[i];
        while (q->count) {
            struct packet *p = q->ring[q->head];
            q->head = (q->head + 1) % s->capacity;
            q->count--;
            q->stats.drops++;
            if (s->release) {
                s->release(p, s->aux);
            }
        }
        /* The round-robin order, the turn in progress and the deficits
         * stay: a slice cut off by the caller's budget resumes where it
         * stopped at the next dequeue (if it has frames again by then;
         * otherwise dequeue retires it as idle). */
    }
    s->backlog = 0;
}

void
slice_sched_destroy(struct slice_sched *s)
{
    if (s) {
        slice_sched_flush(s);
        for (size_t i = 0; i < SLICE_SCHED_MAX_SLICES; i++) {
            free(s->queues[i].ring);
        }
        free(s);
    }
}

int
slice_sched_set_weight(struct slice_sched *s, uint32_t slice, uint32_t weight)
{
    if (slice >= SLICE_SCHED_MAX_SLICES || weight < 1 || weight > 1000) {
        return -EINVAL;
    }
    s->queues[slice].weight = weight;
    return 0;
}

int
slice_sched_map_vlan(struct slice_sched *s, uint16_t vlan, uint32_t slice)
{
    if (slice >= SLICE_SCHED_MAX_SLICES || (vlan > 0xfff && vlan != 0xffff)) {
        return -EINVAL;
    }
    if (vlan == 0xffff) {
        s->untagged_slice = (uint8_t) slice;
    } else {
        s->vlan_map[vlan] = (uint8_t) slice;
    }
    return 0;
}

void
slice_sched_clear_map(struct slice_sched *s)
{
    memset(s->vlan_map, 0, sizeof s->vlan_map);
    s->untagged_slice = 0;
}

uint32_t
slice_sched_vlan_slice(const struct slice_sched *s, uint16_t vlan)
{
    return vlan == 0xffff ? s->untagged_slice : vlan <= 0xfff ? s->vlan_map[vlan] : 0;
}

uint32_t
slice_sched_classify(const struct slice_sched *s, const struct packet *p)
{
    const uint8_t *f = p->data;
    /* The outer tag: 802.1Q (0x8100) or an 802.1ad service tag (0x88a8). */
    if (p->len >= 18 && ((f[12] == 0x81 && f[13] == 0x00)
                         || (f[12] == 0x88 && f[13] == 0xa8))) {
        return s->vlan_map[((f[14] << 8) | f[15]) & 0xfff];
    }
    return s->untagged_slice;
}

bool
slice_sched_enqueue(struct slice_sched *s, struct packet *p)
{
    uint32_t id = slice_sched_classify(s, p);
    struct slice_queue *q = &s->queues[id];

    p->slice = id;
    if (q->count >= s->capacity) {
        q->stats.drops++;
        return false;
    }
    if (!q->ring) {
        q->ring = xcalloc(s->capacity, sizeof *q->ring);
    }
    q->ring[(q->head + q->count) % s->capacity] = p;
    q->count++;
    q->stats.rx_packets++;
    q->stats.rx_bytes += p->len;
    s->backlog++;
    if (!q->active) {
        q->active = true;
        q->deficit = 0;
        s->active[(s->active_head + s->n_active) % SLICE_SCHED_MAX_SLICES] = (uint8_t) id;
        s->n_active++;
    }
    return true;
}

/* Moves the head slice to the tail (its turn is over). */
static void
next_turn(struct slice_sched *s, bool keep)
{
    uint8_t id = s->active[s->active_head];
    s->active_head = (s->active_head + 1) % SLICE_SCHED_MAX_SLICES;
    s->n_active--;
    if (keep) {
        s->active[(s->active_head + s->n_active) % SLICE_SCHED_MAX_SLICES] = id;
        s->n_active++;
    }
    s->turn_started = false;
}

size_t
slice_sched_dequeue(struct slice_sched *s, struct packet_batch *out, size_t max)
{
    size_t n = 0;
    max = MIN(max, (size_t) PACKET_BATCH_MAX - out->n);
    while (n < max && s->n_active) {
        struct slice_queue *q = &s->queues[s->active[s->active_head]];
        if (!s->turn_started) {
            q->deficit += (uint64_t) s->quantum * q->weight;
            s->turn_started = true;
        }
        while (n < max && q->count) {
            struct packet *p = q->ring[q->head];
            if (p->len > q->deficit) {
                break;
            }
            q->deficit -= p->len;
            q->head = (q->head + 1) % s->capacity;
            q->count--;
            s->backlog--;
            q->stats.tx_packets++;
            q->stats.tx_bytes += p->len;
            out->pkts[out->n++] = p;
            n++;
        }
        if (!q->count) {
            q->active = false;
            q->deficit = 0;
            next_turn(s, false);
        } else if (n < max) {
            next_turn(s, true);     /* Credit exhausted: next slice. */
        }
        /* else the batch is full mid-turn: the slice keeps its turn. */
    }
    return n;
}

size_t
slice_sched_backlog(const struct slice_sched *s)
{
    return s->backlog;
}

void
slice_sched_charge_cpu(struct slice_sched *s, uint32_t slice, uint64_t ns)
{
    if (slice < SLICE_SCHED_MAX_SLICES) {
        s->queues[slice].stats.cpu_ns += ns;
    }
}

int
slice_sched_get_stats(const struct slice_sched *s, uint32_t slice,
                      struct slice_sched_stats *st)
{
    if (slice >= SLICE_SCHED_MAX_SLICES) {
        return -EINVAL;
    }
    *st = s->queues[slice].stats;
    st->weight = s->queues[slice].weight;
    st->queued = s->queues[slice].count;
    return 0;
}
