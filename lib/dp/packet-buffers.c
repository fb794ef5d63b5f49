#include "dp/packet-buffers.h"

#include <errno.h>
#include <stdlib.h>
#include "util/util.h"

struct packet_slot {
    struct packet *pkt;         /* NULL: empty. */
    uint32_t cookie;            /* Of the id last issued for this slot. */
    uint16_t in_port;
    uint64_t saved_ms;
};

struct packet_buffers {
    struct packet_slot slots[PACKET_BUFFERS_SLOTS];
    unsigned int next;          /* Next slot to try. */
    unsigned int count;
};

#define COOKIE_MAX ((1u << (32 - PACKET_BUFFERS_BITS)) - 1)

struct packet_buffers *
packet_buffers_create(void)
{
    return xzalloc(sizeof(struct packet_buffers));
}

static void
slot_clear(struct packet_buffers *pb, struct packet_slot *s)
{
    if (s->pkt) {
        packet_destroy(s->pkt);
        s->pkt = NULL;
        pb->count--;
    }
}

void
packet_buffers_destroy(struct packet_buffers *pb)
{
    if (pb) {
        for (unsigned int i = 0; i < PACKET_BUFFERS_SLOTS; i++) {
            slot_clear(pb, &pb->slots[i]);
        }
        free(pb);
    }
}

uint32_t
packet_buffers_save(struct packet_buffers *pb, const struct packet *pkt,
                    uint16_t in_port, uint64_t now_ms)
{
    /* Round-robin from the oldest issued slot, skipping young packets. */
    struct packet_slot *s = NULL;
    for (unsigned int i = 0; i < PACKET_BUFFERS_SLOTS; i++) {
        struct packet_slot *t = &pb->slots[pb->next];
        if (!t->pkt || now_ms >= t->saved_ms + PACKET_BUFFERS_TIMEOUT_MS) {
            s = t;
            break;
        }
        pb->next = (pb->next + 1) % PACKET_BUFFERS_SLOTS;
    }
    if (!s) {
        return PACKET_BUFFERS_NONE;
    }
    slot_clear(pb, s);
    /* Cookie 0 is never issued, and the all-ones id never either. */
    s->cookie = s->cookie >= COOKIE_MAX - 1 ? 1 : s->cookie + 1;
    s->pkt = packet_clone(pkt);
    s->in_port = in_port;
    s->saved_ms = now_ms;
    pb->count++;
    uint32_t id = (s->cookie << PACKET_BUFFERS_BITS) | pb->next;
    pb->next = (pb->next + 1) % PACKET_BUFFERS_SLOTS;
    return id;
}

int
packet_buffers_take(struct packet_buffers *pb, uint32_t id,
                    struct packet **pkt, uint16_t *in_port)
{
    *pkt = NULL;
    if (id == PACKET_BUFFERS_NONE) {
        return -EINVAL;
    }
    struct packet_slot *s = &pb->slots[id & (PACKET_BUFFERS_SLOTS - 1)];
    uint32_t cookie = id >> PACKET_BUFFERS_BITS;
    if (!cookie || cookie > s->cookie) {
        return -EINVAL;
    }
    if (cookie != s->cookie || !s->pkt) {
        return -ENOENT;
    }
    *pkt = s->pkt;
    *in_port = s->in_port;
    s->pkt = NULL;
    pb->count--;
    return 0;
}

void
packet_buffers_expire(struct packet_buffers *pb, uint64_t now_ms)
{
    for (unsigned int i = 0; i < PACKET_BUFFERS_SLOTS; i++) {
        struct packet_slot *s = &pb->slots[i];
        if (s->pkt && now_ms >= s->saved_ms + PACKET_BUFFERS_TIMEOUT_MS) {
            slot_clear(pb, s);
        }
    }
}

unsigned int
packet_buffers_count(const struct packet_buffers *pb)
{
    return pb->count;
}
