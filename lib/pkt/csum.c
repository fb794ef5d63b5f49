#include "pkt/csum.h"

uint32_t
csum_partial(const void *data_, size_t n, uint32_t sum)
{
    const uint8_t *p = data_;
    size_t i = 0;
    for (; i + 1 < n; i += 2) {
        sum += (uint32_t) ((p[i] << 8) | p[i + 1]);
        if (sum & 0x80000000u) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
    }
    if (i < n) {
        sum += (uint32_t) p[i] << 8;
    }
    return sum;
}

uint16_t
csum_finish(uint32_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return (uint16_t) ~sum;
}
