#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

void
buf_init(struct buf *b, size_t capacity)
{
    b->base = capacity ? xmalloc(capacity) : NULL;
    b->data = b->base;
    b->size = 0;
    b->allocated = capacity;
}

void
buf_use_const(struct buf *b, const void *data, size_t size)
{
    b->base = NULL;
    b->data = (uint8_t *) data;
    b->size = size;
    b->allocated = 0;
}

void
buf_uninit(struct buf *b)
{
    if (b) {
        free(b->base);
        b->base = b->data = NULL;
        b->size = b->allocated = 0;
    }
}

struct buf *
buf_new(size_t capacity)
{
    struct buf *b = xmalloc(sizeof *b);
    buf_init(b, capacity);
    return b;
}

void
buf_delete(struct buf *b)
{
    if (b) {
        buf_uninit(b);
        free(b);
    }
}

void
buf_clear(struct buf *b)
{
    b->data = b->base;
    b->size = 0;
}

void
buf_reserve(struct buf *b, size_t n)
{
    size_t headroom = b->base ? (size_t) (b->data - b->base) : 0;
    if (b->base && headroom + b->size + n <= b->allocated) {
        return;
    }
    BUG_ON(!b->base && b->data && b->size);  /* A const buf cannot grow. */
    size_t need = b->size + n;
    size_t cap = MAX(need, b->allocated * 2);
    cap = MAX(cap, (size_t) 64);
    uint8_t *nb = xmalloc(cap);
    if (b->size) {
        memcpy(nb, b->data, b->size);
    }
    free(b->base);
    b->base = b->data = nb;
    b->allocated = cap;
}

void *
buf_put_uninit(struct buf *b, size_t n)
{
    buf_reserve(b, n);
    void *p = b->data + b->size;
    b->size += n;
    return p;
}

void *
buf_put_zeros(struct buf *b, size_t n)
{
    return memset(buf_put_uninit(b, n), 0, n);
}

void *
buf_put(struct buf *b, const void *p, size_t n)
{
    void *dst = buf_put_uninit(b, n);
    if (n) {
        memcpy(dst, p, n);
    }
    return dst;
}

void buf_put_u8(struct buf *b, uint8_t v) { *(uint8_t *) buf_put_uninit(b, 1) = v; }

void
buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, args);
    va_end(args);
    if (n < 0) {
        return;
    }
    if ((size_t) n < sizeof tmp) {
        buf_put(b, tmp, n);
    } else {
        char *p = buf_put_uninit(b, n + 1);
        va_start(args, fmt);
        vsnprintf(p, n + 1, fmt, args);
        va_end(args);
        b->size--;  /* Drop the NUL. */
    }
}

const void *
buf_pull(struct buf *b, size_t n)
{
    if (b->size < n) {
        return NULL;
    }
    void *p = b->data;
    b->data += n;
    b->size -= n;
    return p;
}

void *
buf_at(const struct buf *b, size_t ofs, size_t n)
{
    return ofs + n <= b->size ? b->data + ofs : NULL;
}

const char *
buf_cstr(struct buf *b)
{
    buf_reserve(b, 1);
    b->data[b->size] = '\0';
    return (const char *) b->data;
}

void *
buf_steal(struct buf *b, size_t *size)
{
    if (b->data != b->base || !b->base) {
        void *copy = xmemdup(b->data ? (void *) b->data : "", b->size);
        if (size) {
            *size = b->size;
        }
        buf_uninit(b);
        return copy;
    }
    void *p = b->base;
    if (size) {
        *size = b->size;
    }
    b->base = b->data = NULL;
    b->size = b->allocated = 0;
    return p;
}
