/* net-pacer — paces a packet generator at a fixed rate.
 *
 * A schedule, not a free-running timer: frame k (k = 0, 1, ...) is due at
 * start + k * 1e9 / rate ns, so the average rate is exact however late the
 * sender wakes up; a sender that wakes late sends what is due at once, but
 * at most `burst` frames per call.  If the sender falls behind by more than
 * `max_debt` frames (10 ms worth, at least 4 bursts) (e.g. it was descheduled), the schedule is moved forward
 * and the frames that could not be sent in time are counted as `skipped`
 * instead of being sent later in a long burst.  rate 0 means unpaced: every
 * call allows `burst` frames.
 *
 * Time is passed in by the caller (clock_now_ns() in the generator), so the
 * pacer is pure and testable.  Not thread-safe: one pacer per sender. */
#ifndef PLURAL_BENCH_NET_PACER_H
#define PLURAL_BENCH_NET_PACER_H 1

#include <stdint.h>

struct net_pacer {
    uint64_t rate_pps;      /* 0: unpaced. */
    uint64_t start_ns;      /* When frame 0 of the schedule is due. */
    uint64_t scheduled;     /* Frames accounted to the schedule so far. */
    uint64_t skipped;       /* Frames dropped from the schedule (late). */
    unsigned int burst;     /* Most frames allowed per call. */
    unsigned int max_debt;  /* Most frames the sender may lag behind. */
};

/* Starts a schedule at `now_ns`.  burst >= 1. */
void net_pacer_init(struct net_pacer *, uint64_t rate_pps, unsigned int burst,
                    uint64_t now_ns);

/* How many frames may be sent now (0..burst).  The caller then reports what
 * it really sent with net_pacer_sent(). */
unsigned int net_pacer_allowed(struct net_pacer *, uint64_t now_ns);

/* Accounts `n` frames sent (n <= the last net_pacer_allowed()). */
void net_pacer_sent(struct net_pacer *, unsigned int n);

/* When the next frame is due (ns); now_ns-or-earlier if one is due. */
uint64_t net_pacer_next_due(const struct net_pacer *);

#endif
