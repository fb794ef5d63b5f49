/* csum — Internet checksum (RFC 1071) and incremental update (RFC 1624).
 *
 * Checksums are handled as the 16-bit value read big-endian from the wire
 * (host-order integers holding network-order bytes' value).  The
 * incremental form  HC' = ~(~HC + ~m + m')  is exact for every input,
 * including the -0 corner case RFC 1624 fixes.  Pure functions. */
#ifndef PLURAL_CSUM_H
#define PLURAL_CSUM_H 1

#include <stddef.h>
#include <stdint.h>

/* One's-complement sum of `n` bytes (big-endian 16-bit words, odd byte
 * padded with zero) added to `partial`; not folded, not complemented. */
uint32_t csum_partial(const void *data, size_t n, uint32_t partial);
/* Folds a partial sum to 16 bits and complements it. */
uint16_t csum_finish(uint32_t partial);

/* New checksum after a 16-bit word changes from old16 to new16. */
static inline uint16_t
csum_update16(uint16_t csum, uint16_t old16, uint16_t new16)
{
    uint32_t sum = (uint16_t) ~csum;
    sum += (uint16_t) ~old16;
    sum += new16;
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t) ~sum;
}

/* New checksum after a 32-bit (aligned-to-16) value changes. */
static inline uint16_t
csum_update32(uint16_t csum, uint32_t old32, uint32_t new32)
{
    csum = csum_update16(csum, (uint16_t) (old32 >> 16), (uint16_t) (new32 >> 16));
    return csum_update16(csum, (uint16_t) old32, (uint16_t) new32);
}

#endif
