/* net-series — see net-series.h. */
#include "net-series.h"

#include <stdlib.h>
#include "util/util.h"

void
net_series_add(struct net_series *s, double end_s, double seconds,
               uint64_t frames, uint64_t bytes)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n++] = (struct net_interval) { end_s, seconds, frames, bytes };
}

void
net_series_destroy(struct net_series *s)
{
    if (s) {
        free(s->v);
        s->v = NULL;
        s->n = s->cap = 0;
    }
}
