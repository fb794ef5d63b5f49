/* upcall-queue — see upcall-queue.h. */
#include "dp/upcall-queue.h"

#include <stdlib.h>
#include <string.h>
#include "util/util.h"

struct uq_slice {
    struct upcall_item *ring;
    size_t head, n;
    uint32_t weight;
    int64_t deficit;
    uint64_t queued, delivered, dropped;
};

struct upcall_queue {
    size_t capacity;
    struct uq_slice s[UPCALL_QUEUE_SLICES];
    size_t backlog;
    uint32_t rr;                    /* Slice whose turn it is. */
    bool rr_fresh;                  /* rr's deficit was topped up. */
};

struct upcall_queue *
upcall_queue_create(size_t capacity)
{
    struct upcall_queue *q = xzalloc(sizeof *q);
    q->capacity = capacity ? capacity : UPCALL_QUEUE_DEFAULT_CAPACITY;
    for (size_t i = 0; i < UPCALL_QUEUE_SLICES; i++) {
        q->s[i].weight = 1;
    }
    return q;
}

void
upcall_queue_destroy(struct upcall_queue *q)
{
    if (!q) {
        return;
    }
    for (size_t i = 0; i < UPCALL_QUEUE_SLICES; i++) {
        struct uq_slice *s = &q->s[i];
        for (size_t k = 0; k < s->n; k++) {
            packet_destroy(s->ring[(s->head + k) % q->capacity].pkt);
        }
        free(s->ring);
    }
    free(q);
}

void
upcall_queue_set_weight(struct upcall_queue *q, uint32_t slice, uint32_t weight)
{
    if (slice < UPCALL_QUEUE_SLICES && weight >= 1 && weight <= 1000) {
        q->s[slice].weight = weight;
    }
}

bool
upcall_queue_push(struct upcall_queue *q, uint32_t slice, const struct packet *pkt,
                  const struct flow_key *key, uint16_t in_port, uint8_t reason,
                  uint16_t max_len)
{
    if (slice >= UPCALL_QUEUE_SLICES) {
        slice = 0;
    }
    struct uq_slice *s = &q->s[slice];
    if (s->n == q->capacity) {
        s->dropped++;
        return false;
    }
    if (!s->ring) {
        s->ring = xcalloc(q->capacity, sizeof *s->ring);
    }
    struct upcall_item *it = &s->ring[(s->head + s->n) % q->capacity];
    it->pkt = packet_clone(pkt);
    it->key = *key;
    it->in_port = in_port;
    it->reason = reason;
    it->max_len = max_len;
    it->slice = slice;
    s->n++;
    s->queued++;
    q->backlog++;
    return true;
}

bool
upcall_queue_pop(struct upcall_queue *q, struct upcall_item *out)
{
    if (!q->backlog) {
        return false;
    }
    /* Deficit round robin in items: a backlogged slice gets `weight`
     * credits per visit and sends while it has one. */
    for (;;) {
        struct uq_slice *s = &q->s[q->rr];
        if (s->n) {
            if (!q->rr_fresh) {
                s->deficit += s->weight;
                q->rr_fresh = true;
            }
            if (s->deficit > 0) {
                *out = s->ring[s->head];
                s->head = (s->head + 1) % q->capacity;
                s->n--;
                s->deficit--;
                s->delivered++;
                q->backlog--;
                if (!s->n) {
                    s->deficit = 0;     /* No credit hoarding when idle. */
                }
                return true;
            }
        } else {
            s->deficit = 0;
        }
        q->rr = (q->rr + 1) % UPCALL_QUEUE_SLICES;
        q->rr_fresh = false;
    }
}

size_t
upcall_queue_backlog(const struct upcall_queue *q)
{
    return q->backlog;
}

void
upcall_queue_get_stats(const struct upcall_queue *q, uint32_t slice,
                       struct upcall_queue_stats *st)
{
    memset(st, 0, sizeof *st);
    if (slice >= UPCALL_QUEUE_SLICES) {
        return;
    }
    const struct uq_slice *s = &q->s[slice];
    st->queued = s->queued;
    st->delivered = s->delivered;
    st->dropped = s->dropped;
    st->waiting = s->n;
    st->weight = s->weight;
}
