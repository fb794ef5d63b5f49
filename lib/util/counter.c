#include "counter.h"

#include <string.h>

static struct counter *counters;

void
counter_register(struct counter *c)
{
    struct counter **p = &counters;
    while (*p) {
        p = &(*p)->next;
    }
    *p = c;
}

struct counter *
counter_find(const char *name)
{
    for (struct counter *c = counters; c; c = c->next) {
        if (!strcmp(c->name, name)) {
            return c;
        }
    }
    return NULL;
}

void
counter_for_each(void (*cb)(const struct counter *, void *), void *aux)
{
    for (struct counter *c = counters; c; c = c->next) {
        cb(c, aux);
    }
}
