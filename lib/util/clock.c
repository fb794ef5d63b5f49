#include "clock.h"

#include <stdatomic.h>
#include <time.h>

static _Atomic uint64_t warp_ns;        /* Added to the real monotonic time. */
static _Atomic uint64_t stopped_at_ns;  /* Non-zero while stopped. */

static uint64_t
real_monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000000ull + (uint64_t) ts.tv_nsec;
}

uint64_t
clock_now_ns(void)
{
    uint64_t stopped = atomic_load(&stopped_at_ns);
    return (stopped ? stopped : real_monotonic_ns()) + atomic_load(&warp_ns);
}

uint64_t clock_now_ms(void) { return clock_now_ns() / 1000000ull; }

uint64_t clock_real_ns(void) { return real_monotonic_ns(); }

uint64_t
clock_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t) ts.tv_sec * 1000ull + (uint64_t) ts.tv_nsec / 1000000ull;
}

void
clock_stop(void)
{
    if (!atomic_load(&stopped_at_ns)) {
        atomic_store(&stopped_at_ns, real_monotonic_ns());
    }
}

void
clock_resume(void)
{
    uint64_t stopped = atomic_exchange(&stopped_at_ns, 0);
    if (stopped) {
        /* Keep time continuous: the time spent stopped does not count. */
        atomic_fetch_sub(&warp_ns, real_monotonic_ns() - stopped);
    }
}

void clock_warp_ms(uint64_t ms) { atomic_fetch_add(&warp_ns, ms * 1000000ull); }
bool clock_is_stopped(void) { return atomic_load(&stopped_at_ns) != 0; }
