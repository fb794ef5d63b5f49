/* token-bucket — a rate limiter (the slicer's per-slice control messages,
 * the datapath's upcalls).
 *
 * `rate` tokens per second accumulate up to `burst`; taking one token per
 * message allows a sustained `rate` messages/s with bursts of `burst`.
 * Time is passed in by the caller (milliseconds of util/clock.h), so the
 * module is pure and tests drive it without sleeping.  Tokens are kept in
 * thousandths so rates below 1000/s refill smoothly.  rate == 0 means
 * unlimited (every take succeeds).
 *
 * A bucket is a plain value owned by its user; not thread-safe. */
#ifndef PLURAL_UTIL_TOKEN_BUCKET_H
#define PLURAL_UTIL_TOKEN_BUCKET_H 1

#include <stdbool.h>
#include <stdint.h>

struct token_bucket {
    uint32_t rate;              /* Tokens per second; 0 = unlimited. */
    uint32_t burst;             /* Capacity in tokens (>= 1 when limited). */
    uint64_t milli_tokens;      /* Current fill, 1/1000 token units. */
    uint64_t last_ms;           /* Time of the last refill. */
};

/* Starts full at time now_ms.  burst 0 means max(rate, 1). */
void token_bucket_init(struct token_bucket *, uint32_t rate, uint32_t burst,
                       uint64_t now_ms);
/* Changes rate and burst, keeping the fill (clamped to the new burst);
 * a bucket that was unlimited starts full. */
void token_bucket_set(struct token_bucket *, uint32_t rate, uint32_t burst,
                      uint64_t now_ms);
/* Takes n tokens if available at now_ms; returns false (taking none)
 * otherwise. */
bool token_bucket_take(struct token_bucket *, uint32_t n, uint64_t now_ms);
/* Whole tokens available at now_ms (UINT32_MAX when unlimited). */
uint32_t token_bucket_available(struct token_bucket *, uint64_t now_ms);

#endif
