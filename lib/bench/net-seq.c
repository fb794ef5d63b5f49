/* net-seq — see net-seq.h. */
#include "net-seq.h"

#include <string.h>

void
net_seq_init(struct net_seq *s)
{
    memset(s, 0, sizeof *s);
}

void
net_seq_add(struct net_seq *s, uint32_t seq)
{
    int32_t d = (int32_t) (seq - s->next);

    s->received++;
    if (d == 0) {
        s->next++;
    } else if (d > 0) {
        s->lost += (uint64_t) d;
        s->next = seq + 1;
    } else {
        s->out_of_order++;
        if (s->lost) {
            s->lost--;
        }
    }
}
