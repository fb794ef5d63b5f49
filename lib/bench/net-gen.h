/* net-gen — plural's packet generator: raw Ethernet/IPv4/UDP frames (see
 * net-frame.h) on one interface, at maximum or at a fixed rate.
 *
 * The loop: take what the pacer allows (net-pacer.h; everything when
 * unpaced), stamp seq and time into that many ring slots, hand them to the
 * kernel in one call, reclaim the slots the kernel gave back and count them
 * as TX.  Back-pressure (EAGAIN, ENOBUFS, a full ring) is waited out and
 * counted, never fatal: the refused frames stay queued and go out later.
 * Every `report_interval_ms` the loop records (and prints, if `out` is set)
 * one line:   tx t=1.00 pps=10000 mbps=5.12 total=10000
 * At the end it drains what is still queued (at most 2 s) and stops.
 *
 * TX methods, both lib/dp's packet I/O (one stack with the switch):
 * NET_TX_XDP: an AF_XDP socket (lib/dp/xsk.h, copy mode, TX only: no XDP
 * program is attached, nothing is received; frames up to
 * NET_GEN_XDP_MAX_FRAME bytes).  Each transmit chunk is pre-filled with the
 * frame once (xsk_tx_prefill()), so a frame costs a marker stamp and a
 * descriptor: no copy.  lib/dp's afxdp *port* is not used for this: it
 * attaches plural's XDP program to receive, which a sender does not need.
 * NET_TX_AFPACKET: lib/dp's afpacket port (port_open("afpacket:DEV"),
 * port_send(): sendmmsg with qdisc bypass, or its TX ring with
 * PLURAL_AFPACKET_TX=ring), in batches of PACKET_BATCH_MAX from `batch`
 * prebuilt frames; frames port_send() did not take stay queued and are
 * sent again (never lost, order kept).  The port is opened with no
 * back-pressure budget (PLURAL_AFPACKET_TX_WAIT_US=0 unless set): on
 * back-pressure port_send() returns at once and the loop sleeps, as it
 * does for AF_XDP, instead of the port spinning for ~1 ms.  NET_TX_AUTO (default): AF_XDP
 * when the frame fits and the socket opens, else afpacket; `result.method`
 * says which ran.  On veth AF_XDP sent 1.5x what an AF_PACKET TX ring did
 * for 0.6x the CPU per frame (bench/gen-vs-trafgen); but frames the device
 * drops under back-pressure are counted (device_drops), not retried, where
 * afpacket keeps them queued: choose afpacket for "exactly N frames, in
 * order, whatever the receiver's pace".
 *
 * Errors (net_gen_run's return): 0, -ENODEV (interface unknown), -EPERM
 * (needs CAP_NET_RAW), -EMSGSIZE (frame larger than MTU + 14/18, or than
 * an AF_XDP chunk), -EAFNOSUPPORT (no AF_XDP in the kernel), or a
 * negative errno from a socket call the loop cannot wait out.
 * Not thread-safe: one run per thread; `stop` may be set by a signal. */
#ifndef PLURAL_BENCH_NET_GEN_H
#define PLURAL_BENCH_NET_GEN_H 1

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "net-frame.h"
#include "net-series.h"

enum net_tx_method {
    NET_TX_AFPACKET,
    NET_TX_XDP,
    NET_TX_AUTO,
};

/* Largest frame NET_TX_XDP sends (one UMEM chunk less XDP headroom). */
#define NET_GEN_XDP_MAX_FRAME (4096u - 256u)

/* "afpacket", "xdp" or "auto". */
const char *net_tx_method_name(enum net_tx_method);
/* Parses a method name ("ring" and "mmsg", the names of the generator's
 * former AF_PACKET paths, mean afpacket).  Returns 0 or -EINVAL. */
int net_tx_method_parse(const char *, enum net_tx_method *);

struct net_gen_config {
    const char *dev;
    struct net_frame_spec spec;
    bool src_mac_from_dev;      /* Use the interface's MAC as source. */
    uint64_t rate_pps;          /* 0: as fast as possible. */
    uint64_t count;             /* 0: no limit. */
    uint64_t duration_ms;       /* 0: no limit (then count must be set). */
    unsigned int batch;         /* Frames queued per pass, 1..4096. */
    enum net_tx_method method;
    unsigned int report_interval_ms;
    FILE *out;                  /* Per-interval lines, or NULL. */
    const volatile sig_atomic_t *stop;  /* Set asynchronously to stop. */
};

struct net_gen_result {
    uint64_t tx_frames;         /* Handed to the device. */
    uint64_t tx_bytes;
    double seconds;             /* From the first frame to the last. */
    uint64_t backpressure;      /* Kernel calls that hit EAGAIN/ENOBUFS/full ring. */
    uint64_t errors;            /* Other transient send errors (waited out). */
    uint64_t skipped;           /* Paced frames dropped from the schedule. */
    uint64_t wrong_format;      /* Frames the kernel refused (tx_errors). */
    uint64_t device_drops;      /* AF_XDP only: frames completed but dropped by
                                 * the device (its tx_dropped), not in tx_frames. */
    struct net_series series;   /* Per-interval TX. */
    enum net_tx_method method;  /* The one that ran (never NET_TX_AUTO). */
};

/* Fills `config` with defaults: no device, default frame spec, source MAC
 * from the device, unpaced, 10 s, batch 1024, auto, 1 s reports, no output. */
void net_gen_config_init(struct net_gen_config *);

/* Runs the generator.  `result` is always initialized (free its series with
 * net_gen_result_destroy(), also after an error). */
int net_gen_run(const struct net_gen_config *, struct net_gen_result *);
void net_gen_result_destroy(struct net_gen_result *);

static inline double
net_gen_result_pps(const struct net_gen_result *r)
{
    return r->seconds > 0 ? (double) r->tx_frames / r->seconds : 0;
}

#endif
