/* net-recv — plural's packet receiver: counts, on one interface, the frames
 * that carry plural's marker (net-frame.h), so stray traffic (IPv6 router
 * solicitations, ARP, ...) is not counted; other frames are counted apart.
 *
 * It opens the interface as a lib/dp port, "afpacket:DEV" (default: an
 * AF_PACKET mmap ring; works on every interface) or "afxdp:DEV" (an AF_XDP
 * socket fed by plural's XDP program, which is attached for the run), reads
 * it with port_recv()/port_recv_done() (afpacket with a 64 MiB ring,
 * NET_RECV_RING_MB, through PLURAL_AFPACKET_RX_MB unless that is set
 * already: 32768 frame slots of TPACKET_V2, so a receiver descheduled for
 * a burst of that many frames drops nothing; a TPACKET_V3 ring, for MTUs
 * above 1800, holds a number that depends on the rate, as its blocks are
 * handed over after 1 ms) for `duration_ms` (or until
 * `expect` marked frames arrived, or `stop` is set) and records every
 * `report_interval_ms`:   rx t=1.00 pps=10000 mbps=5.12 total=10000 lost=0 ooo=0
 * Loss and reordering come from the sequence numbers (net-seq.h); with
 * `expect` set, the frames never seen at the end count as lost too.
 * `ring_drops` are frames the kernel dropped because the ring was full
 * (the port's rx_dropped).
 *
 * Once the port is open, net_recv_run() prints "recv ready dev=IF method=M" to
 * `out` (if set), so a script can start the sender after it.
 *
 * Errors: 0, -ENODEV (interface unknown), -EPERM (needs CAP_NET_RAW),
 * -EINVAL (unknown method), or a negative errno from port_open() or
 * port_recv().  Not thread-safe. */
#ifndef PLURAL_BENCH_NET_RECV_H
#define PLURAL_BENCH_NET_RECV_H 1

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include "net-seq.h"
#include "net-series.h"

#define NET_RECV_RING_MB "64"

struct net_recv_config {
    const char *dev;
    const char *method;         /* Port type: "afpacket" (default), "afxdp". */
    uint64_t duration_ms;       /* 0: until `expect` or `stop`. */
    uint64_t expect;            /* 0: unknown. */
    unsigned int report_interval_ms;
    FILE *out;
    const volatile sig_atomic_t *stop;
};

struct net_recv_result {
    uint64_t rx_frames;         /* Frames with plural's marker. */
    uint64_t rx_bytes;          /* Their Ethernet bytes (no FCS). */
    uint64_t other_frames;      /* Frames without it (not counted above). */
    uint64_t lost;
    uint64_t out_of_order;
    uint64_t ring_drops;
    double seconds;             /* From the first marked frame to the last. */
    struct net_seq seq;
    struct net_series series;
};

void net_recv_config_init(struct net_recv_config *);
int net_recv_run(const struct net_recv_config *, struct net_recv_result *);
void net_recv_result_destroy(struct net_recv_result *);

static inline double
net_recv_result_pps(const struct net_recv_result *r)
{
    return r->seconds > 0 ? (double) r->rx_frames / r->seconds : 0;
}

#endif
