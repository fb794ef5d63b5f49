#include "hash.h"

#include <string.h>

uint32_t
hash_words(const uint32_t *p, size_t n, uint32_t basis)
{
    uint32_t h = basis;
    for (size_t i = 0; i < n; i++) {
        h = hash_add(h, p[i]);
    }
    return hash_finish(h, (uint32_t) n * 4);
}

uint32_t
hash_words64(const uint64_t *p, size_t n, uint32_t basis)
{
    uint32_t h = basis;
    for (size_t i = 0; i < n; i++) {
        h = hash_add(h, (uint32_t) p[i]);
        h = hash_add(h, (uint32_t) (p[i] >> 32));
    }
    return hash_finish(h, (uint32_t) n * 8);
}

uint32_t
hash_bytes(const void *p_, size_t n, uint32_t basis)
{
    const uint8_t *p = p_;
    uint32_t h = basis;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        uint32_t w;
        memcpy(&w, p + i, 4);
        h = hash_add(h, w);
    }
    if (i < n) {
        uint32_t w = 0;
        memcpy(&w, p + i, n - i);
        h = hash_add(h, w);
    }
    return hash_finish(h, (uint32_t) n);
}

uint32_t
hash_string(const char *s, uint32_t basis)
{
    return hash_bytes(s, strlen(s), basis);
}
