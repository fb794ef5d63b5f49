/* buf — a growable byte buffer for building and parsing messages.
 *
 * `data` points at `size` valid bytes; `allocated` bytes are owned.  Writers
 * append (buf_put*, buf_put_uninit); readers consume from the front
 * (buf_pull), which advances `data` without freeing.  A buf owns its memory
 * unless it was made with buf_use_const() (then it never frees or grows).
 * Not thread-safe; one owner at a time. */
#ifndef PLURAL_BUF_H
#define PLURAL_BUF_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
    uint8_t *base;      /* Start of the allocation (NULL if const or empty). */
    uint8_t *data;      /* First valid byte. */
    size_t size;        /* Valid bytes from data. */
    size_t allocated;   /* Bytes owned from base. */
};

#define BUF_EMPTY { NULL, NULL, 0, 0 }

void buf_init(struct buf *, size_t capacity);
void buf_use_const(struct buf *, const void *data, size_t size);
void buf_uninit(struct buf *);
struct buf *buf_new(size_t capacity);
void buf_delete(struct buf *);
void buf_clear(struct buf *);

/* Appends; returns a pointer to the new bytes in the buffer. */
void *buf_put_uninit(struct buf *, size_t n);
void *buf_put_zeros(struct buf *, size_t n);
void *buf_put(struct buf *, const void *p, size_t n);
void buf_put_u8(struct buf *, uint8_t);
void buf_printf(struct buf *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Ensures room for n more bytes; may move the data. */
void buf_reserve(struct buf *, size_t n);

/* Consumes n bytes from the front: returns them, or NULL if fewer remain. */
const void *buf_pull(struct buf *, size_t n);
/* Returns the byte at offset ofs of the data, for a struct pointer at that
 * offset, or NULL if fewer than n bytes are there. */
void *buf_at(const struct buf *, size_t ofs, size_t n);
/* Returns the data as a NUL-terminated string (adds the NUL past size). */
const char *buf_cstr(struct buf *);
/* Takes ownership of the data: returns a malloc'd copy-free pointer and
 * leaves the buf empty.  The data begins at the returned pointer. */
void *buf_steal(struct buf *, size_t *size);

#endif
