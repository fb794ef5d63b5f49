/* token-bucket — see token-bucket.h. */
#include "token-bucket.h"

#include "util.h"

static void
refill(struct token_bucket *tb, uint64_t now_ms)
{
    if (now_ms > tb->last_ms) {
        uint64_t cap = (uint64_t) tb->burst * 1000;
        uint64_t elapsed = now_ms - tb->last_ms;
        /* rate tokens/s == rate milli-tokens/ms. */
        uint64_t add = elapsed >= cap ? cap : elapsed * tb->rate;
        tb->milli_tokens = MIN(cap, tb->milli_tokens + add);
    }
    tb->last_ms = now_ms;
}

void
token_bucket_init(struct token_bucket *tb, uint32_t rate, uint32_t burst,
                  uint64_t now_ms)
{
    tb->rate = rate;
    tb->burst = burst ? burst : MAX(rate, 1u);
    tb->milli_tokens = (uint64_t) tb->burst * 1000;
    tb->last_ms = now_ms;
}

void
token_bucket_set(struct token_bucket *tb, uint32_t rate, uint32_t burst,
                 uint64_t now_ms)
{
    bool was_unlimited = !tb->rate;
    refill(tb, now_ms);
    tb->rate = rate;
    tb->burst = burst ? burst : MAX(rate, 1u);
    tb->milli_tokens = was_unlimited ? (uint64_t) tb->burst * 1000
                       : MIN(tb->milli_tokens, (uint64_t) tb->burst * 1000);
}

bool
token_bucket_take(struct token_bucket *tb, uint32_t n, uint64_t now_ms)
{
    if (!tb->rate) {
        return true;
    }
    refill(tb, now_ms);
    uint64_t need = (uint64_t) n * 1000;
    if (tb->milli_tokens < need) {
        return false;
    }
    tb->milli_tokens -= need;
    return true;
}

uint32_t
token_bucket_available(struct token_bucket *tb, uint64_t now_ms)
{
    if (!tb->rate) {
        return UINT32_MAX;
    }
    refill(tb, now_ms);
    return (uint32_t) (tb->milli_tokens / 1000);
}
