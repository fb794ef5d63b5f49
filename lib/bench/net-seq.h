/* net-seq — loss and reordering from the sequence numbers of one sender.
 *
 * The generator numbers its frames 0, 1, 2, ... (32 bits, wrapping).  The
 * tracker expects `next` (initially 0) and classifies each received seq by
 * serial-number arithmetic (d = (int32_t) (seq - next)):
 *     d == 0   in order; next++
 *     d > 0    d frames are missing so far: lost += d; next = seq + 1
 *     d < 0    a frame counted missing arrives late: out_of_order++,
 *              lost-- (a duplicate is indistinguishable and counted the same)
 * So at any time lost = frames skipped over and not seen since; frames after
 * the last one received are not known to this tracker (the receiver's
 * --expect N closes that gap).  Pure; not thread-safe (one per receiver). */
#ifndef PLURAL_BENCH_NET_SEQ_H
#define PLURAL_BENCH_NET_SEQ_H 1

#include <stdint.h>

struct net_seq {
    uint32_t next;
    uint64_t received;
    uint64_t lost;
    uint64_t out_of_order;
};

void net_seq_init(struct net_seq *);
void net_seq_add(struct net_seq *, uint32_t seq);

#endif
