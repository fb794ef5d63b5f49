/* counter — named event counters (drops, errors, malformed input), readable
 * from a daemon's control socket ("plural switch show" lists them).
 *
 *     COUNTER_DEFINE(drop_malformed_frame, "frames too short or malformed");
 *     counter_inc(&drop_malformed_frame);
 *
 * Counters are process-global, registered at start-up, and updated with
 * relaxed atomics (safe from any thread; never a lock on the hot path). */
#ifndef PLURAL_COUNTER_H
#define PLURAL_COUNTER_H 1

#include <stdatomic.h>
#include <stdint.h>

struct counter {
    const char *name;
    const char *help;
    _Atomic uint64_t value;
    struct counter *next;
};

void counter_register(struct counter *);

#define COUNTER_DEFINE(NAME, HELP)                                          \
    struct counter NAME = { #NAME, HELP, 0, 0 };                            \
    __attribute__((constructor)) static void counter_register_##NAME(void)  \
    { counter_register(&NAME); }

static inline void
counter_add(struct counter *c, uint64_t n)
{
    atomic_fetch_add_explicit(&c->value, n, memory_order_relaxed);
}

static inline void counter_inc(struct counter *c) { counter_add(c, 1); }

static inline uint64_t
counter_read(const struct counter *c)
{
    return atomic_load_explicit(&((struct counter *) c)->value, memory_order_relaxed);
}

/* Looks up a counter by name; NULL if none. */
struct counter *counter_find(const char *name);
/* Calls cb for each counter, in registration order. */
void counter_for_each(void (*cb)(const struct counter *, void *aux), void *aux);

#endif
