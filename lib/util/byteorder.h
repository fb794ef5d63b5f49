/* byteorder — distinct big-endian types, so that a host-order value cannot be
 * stored in a wire field (or read from one) without an explicit conversion:
 * mixing them up does not compile.
 *
 *   be16_t v = htobe16_t(0x0800);      uint16_t h = be16_to_host(v);
 *   static const be16_t k = BE16_INIT(0x8100);  (usable in initializers)
 *
 * The types are one-member packed structs: the size of the plain integer and
 * an alignment of 1, so a be16_t/be32_t/be64_t pointer may point anywhere in
 * a message buffer (OpenFlow messages start at any offset of a stream) and
 * wire structs that embed them keep their layout. */
#ifndef PLURAL_BYTEORDER_H
#define PLURAL_BYTEORDER_H 1

#include <stdbool.h>
#include <stdint.h>

typedef struct __attribute__((packed)) { uint16_t raw; } be16_t;
typedef struct __attribute__((packed)) { uint32_t raw; } be32_t;
typedef struct __attribute__((packed)) { uint64_t raw; } be64_t;

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define BE16_RAW(x) ((uint16_t) __builtin_bswap16((uint16_t) (x)))
#define BE32_RAW(x) ((uint32_t) __builtin_bswap32((uint32_t) (x)))
#define BE64_RAW(x) ((uint64_t) __builtin_bswap64((uint64_t) (x)))
#else
#define BE16_RAW(x) ((uint16_t) (x))
#define BE32_RAW(x) ((uint32_t) (x))
#define BE64_RAW(x) ((uint64_t) (x))
#endif

#define BE16_INIT(x) { BE16_RAW(x) }
#define BE32_INIT(x) { BE32_RAW(x) }
#define BE64_INIT(x) { BE64_RAW(x) }

static inline be16_t htobe16_t(uint16_t x) { return (be16_t) { BE16_RAW(x) }; }
static inline be32_t htobe32_t(uint32_t x) { return (be32_t) { BE32_RAW(x) }; }
static inline be64_t htobe64_t(uint64_t x) { return (be64_t) { BE64_RAW(x) }; }
static inline uint16_t be16_to_host(be16_t x) { return BE16_RAW(x.raw); }
static inline uint32_t be32_to_host(be32_t x) { return BE32_RAW(x.raw); }
static inline uint64_t be64_to_host(be64_t x) { return BE64_RAW(x.raw); }
static inline bool be16_eq(be16_t a, be16_t b) { return a.raw == b.raw; }
static inline bool be32_eq(be32_t a, be32_t b) { return a.raw == b.raw; }
static inline bool be64_eq(be64_t a, be64_t b) { return a.raw == b.raw; }

/* Big-endian loads and stores at any byte address (frames being built or
 * parsed byte by byte). */
static inline uint16_t
get_be16(const void *p_)
{
    const uint8_t *p = p_;
    return (uint16_t) (p[0] << 8 | p[1]);
}

static inline uint32_t
get_be32(const void *p_)
{
    const uint8_t *p = p_;
    return (uint32_t) get_be16(p) << 16 | get_be16(p + 2);
}

static inline void
put_be16(void *p_, uint16_t v)
{
    uint8_t *p = p_;
    p[0] = (uint8_t) (v >> 8);
    p[1] = (uint8_t) v;
}

static inline void
put_be32(void *p_, uint32_t v)
{
    uint8_t *p = p_;
    put_be16(p, (uint16_t) (v >> 16));
    put_be16(p + 2, (uint16_t) v);
}

#endif
