#include "pkt/packet.h"

#include <stdlib.h>
#include <string.h>
#include "util/util.h"

struct packet *
packet_clone(const struct packet *src)
{
    /* One block: the struct, then headroom, then the frame and tailroom. */
    uint32_t room = src->len < 64 ? 64 : src->len;
    struct packet *p = xmalloc(sizeof *p);
    p->storage = xmalloc(PACKET_HEADROOM_WANTED + room);
    p->data = p->storage + PACKET_HEADROOM_WANTED;
    memcpy(p->data, src->data, src->len);
    p->len = src->len;
    p->room = room;
    p->headroom = PACKET_HEADROOM_WANTED;
    p->in_port = src->in_port;
    p->slice = src->slice;
    p->ol_flags = src->ol_flags;
    p->gso_type = src->gso_type;
    p->gso_size = src->gso_size;
    p->csum_start = src->csum_start;
    p->csum_offset = src->csum_offset;
    return p;
}

void
packet_destroy(struct packet *p)
{
    if (p) {
        free(p->storage);
        free(p);
    }
}

void
packet_grow_front(struct packet *p, uint32_t n)
{
    if (p->headroom >= n) {
        p->data -= n;
        p->headroom = (uint16_t) (p->headroom - n);
        p->room += n;
    } else if (p->room - p->len >= n) {
        memmove(p->data + n, p->data, p->len);  /* Into tailroom. */
    } else {
        uint32_t room = p->len + n + 64;
        uint8_t *storage = xmalloc(PACKET_HEADROOM_WANTED + room);
        uint8_t *data = storage + PACKET_HEADROOM_WANTED;
        memcpy(data + n, p->data, p->len);
        free(p->storage);
        p->storage = storage;
        p->data = data;
        p->headroom = PACKET_HEADROOM_WANTED;
        p->room = room;
    }
    p->len += n;
    if (p->ol_flags) {
        p->csum_start = (uint16_t) (p->csum_start + n);
    }
}

void
packet_shrink_front(struct packet *p, uint32_t n)
{
    BUG_ON(n > p->len);
    p->data += n;
    p->len -= n;
    p->room -= n;
    p->headroom = (uint16_t) MIN(p->headroom + n, UINT16_MAX);
    if (p->ol_flags) {
        /* Only VLAN strips shrink the front, never past the L4 header. */
        p->csum_start = (uint16_t) (p->csum_start >= n ? p->csum_start - n : 0);
    }
}
