/* hash — fast non-cryptographic hashing for tables (flows, MACs, slices).
 * Murmur3-style mixing; deterministic for a given basis.  Pure functions. */
#ifndef PLURAL_HASH_H
#define PLURAL_HASH_H 1

#include <stddef.h>
#include <stdint.h>

static inline uint32_t
hash_rot(uint32_t x, int k)
{
    return (x << k) | (x >> (32 - k));
}

static inline uint32_t
hash_add(uint32_t hash, uint32_t data)
{
    data *= 0xcc9e2d51;
    data = hash_rot(data, 15);
    data *= 0x1b873593;
    hash ^= data;
    hash = hash_rot(hash, 13);
    return hash * 5 + 0xe6546b64;
}

static inline uint32_t
hash_finish(uint32_t hash, uint32_t final)
{
    hash ^= final;
    hash ^= hash >> 16;
    hash *= 0x85ebca6b;
    hash ^= hash >> 13;
    hash *= 0xc2b2ae35;
    hash ^= hash >> 16;
    return hash;
}

/* Hashes n 32-bit words. */
uint32_t hash_words(const uint32_t *p, size_t n, uint32_t basis);
/* Hashes n 64-bit words (e.g. a masked flow key). */
uint32_t hash_words64(const uint64_t *p, size_t n, uint32_t basis);
/* Hashes any bytes. */
uint32_t hash_bytes(const void *p, size_t n, uint32_t basis);
static inline uint32_t hash_int(uint32_t x, uint32_t basis) { return hash_finish(hash_add(basis, x), 4); }
uint32_t hash_string(const char *s, uint32_t basis);

#endif
