/* net-series — per-interval counts of a generator or receiver run (the
 * "every second" lines), kept for the JSON report.
 *
 * Each interval records frames and bytes counted in it and its real length
 * (the loop wakes up a little after each second boundary, so rates divide by
 * the measured length, not by 1 s).  Owned by the run's result; freed with
 * net_series_destroy().  Not thread-safe. */
#ifndef PLURAL_BENCH_NET_SERIES_H
#define PLURAL_BENCH_NET_SERIES_H 1

#include <stddef.h>
#include <stdint.h>

struct net_interval {
    double end_s;           /* Seconds since the run started. */
    double seconds;         /* Length of the interval. */
    uint64_t frames;
    uint64_t bytes;         /* Ethernet frame bytes (no FCS). */
};

struct net_series {
    struct net_interval *v;
    size_t n, cap;
};

void net_series_add(struct net_series *, double end_s, double seconds,
                    uint64_t frames, uint64_t bytes);
void net_series_destroy(struct net_series *);

static inline double
net_interval_pps(const struct net_interval *i)
{
    return i->seconds > 0 ? (double) i->frames / i->seconds : 0;
}

static inline double
net_interval_mbps(const struct net_interval *i)
{
    return i->seconds > 0 ? (double) i->bytes * 8 / i->seconds / 1e6 : 0;
}

#endif
