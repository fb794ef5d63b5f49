/* net-pacer — see net-pacer.h. */
#include "net-pacer.h"

#include "util/util.h"

#define NS_PER_S 1000000000ull

void
net_pacer_init(struct net_pacer *p, uint64_t rate_pps, unsigned int burst,
               uint64_t now_ns)
{
    p->rate_pps = rate_pps;
    p->start_ns = now_ns;
    p->scheduled = 0;
    p->skipped = 0;
    p->burst = burst ? burst : 1;
    /* Lagging up to 10 ms (or 4 bursts) is caught up; more is skipped. */
    uint64_t ten_ms = rate_pps / 100;
    p->max_debt = (unsigned int) MAX(ten_ms < UINT32_MAX ? ten_ms : UINT32_MAX,
                                     (uint64_t) p->burst * 4);
}

/* Frames due by now_ns since start (frame 0 is due at start). */
static uint64_t
due_by(const struct net_pacer *p, uint64_t now_ns)
{
    if (now_ns < p->start_ns) {
        return 0;
    }
    unsigned __int128 elapsed = now_ns - p->start_ns;
    return (uint64_t) (elapsed * p->rate_pps / NS_PER_S) + 1;
}

unsigned int
net_pacer_allowed(struct net_pacer *p, uint64_t now_ns)
{
    if (!p->rate_pps) {
        return p->burst;
    }
    uint64_t due = due_by(p, now_ns);
    if (due <= p->scheduled) {
        return 0;
    }
    uint64_t debt = due - p->scheduled;
    if (debt > p->max_debt) {
        /* Too late to catch up without a long burst: forgive the excess. */
        uint64_t excess = debt - p->max_debt;
        p->skipped += excess;
        p->scheduled += excess;
        debt = p->max_debt;
    }
    return debt > p->burst ? p->burst : (unsigned int) debt;
}

void
net_pacer_sent(struct net_pacer *p, unsigned int n)
{
    p->scheduled += n;
}

uint64_t
net_pacer_next_due(const struct net_pacer *p)
{
    if (!p->rate_pps) {
        return p->start_ns;
    }
    /* Frame number `scheduled` is due at start + scheduled * 1e9 / rate. */
    unsigned __int128 t = (unsigned __int128) p->scheduled * NS_PER_S;
    return p->start_ns + (uint64_t) ((t + p->rate_pps - 1) / p->rate_pps);
}
