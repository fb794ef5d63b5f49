/* clock — the one source of time for plural.
 *
 * Every timeout, keepalive, rate limiter and flow duration reads time here,
 * never from clock_gettime() directly, so tests can freeze time and move it
 * forward deterministically (after OVS's time/stop and time/warp):
 *
 *     clock_stop();            time no longer advances by itself
 *     clock_warp_ms(30000);    jump 30 s ahead (works stopped or running)
 *     clock_resume();          run again, keeping the accumulated offset
 *
 * Monotonic time is CLOCK_MONOTONIC plus the warp offset; wall time (for
 * logs and reports) is CLOCK_REALTIME and is not affected.  The daemon's
 * control socket exposes stop/warp so integration tests need no sleeping.
 *
 * Thread-safety: reads are lock-free; stop/warp/resume are meant for the
 * main thread of a test or of a daemon's control-socket handler. */
#ifndef PLURAL_CLOCK_H
#define PLURAL_CLOCK_H 1

#include <stdbool.h>
#include <stdint.h>

uint64_t clock_now_ns(void);    /* Monotonic (warpable), nanoseconds. */
uint64_t clock_now_ms(void);    /* Monotonic (warpable), milliseconds. */
uint64_t clock_wall_ms(void);   /* Wall clock, ms since the epoch. */
/* The real monotonic clock, never stopped or warped: for deadlines that
 * bound how long a call may block or spin (e.g. TX back-pressure), which
 * must pass even while a test has the clock stopped. */
uint64_t clock_real_ns(void);

void clock_stop(void);
void clock_resume(void);
void clock_warp_ms(uint64_t ms);
bool clock_is_stopped(void);

#endif
