/* net-iperf — drives iperf3 and reads its JSON report (-J) with jansson.
 *
 * One round = one `iperf3 -c SERVER -J -t TIME -l LEN [-u -b RATE] [-p PORT]`
 * run, optionally inside a network namespace (the child joins
 * /run/netns/NAME with setns() before exec).  From the report it takes
 *     end.sum_sent.bits_per_second       TX rate measured at the sender
 *     end.sum_received.bits_per_second   RX rate measured at the receiver
 * and, for UDP, the receiver's lost and total packet counts.  An iperf3
 * "error" member becomes -EPROTO with its text.  The iperf3 server must
 * already run (iperf3 -s).
 *
 * Errors: 0, -EPROTO (iperf3 reported an error, or JSON without the sums;
 * message in result->error), -ENOENT (iperf3 or the namespace missing),
 * -ETIMEDOUT (no exit within TIME + 30 s), or another negative errno.
 * Not thread-safe (forks; CLI code). */
#ifndef PLURAL_BENCH_NET_IPERF_H
#define PLURAL_BENCH_NET_IPERF_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct net_iperf_result {
    double tx_bps;              /* sum_sent.bits_per_second. */
    double rx_bps;              /* sum_received.bits_per_second. */
    double seconds;             /* sum_received.seconds. */
    int64_t lost_packets;       /* UDP only; -1 for TCP. */
    int64_t packets;            /* UDP only; -1 for TCP. */
    char error[256];            /* iperf3's error text, or why parsing failed. */
};

/* Parses an iperf3 -J report (`len` bytes).  Returns 0, or -EPROTO. */
int net_iperf_parse(const char *json, size_t len, struct net_iperf_result *);

struct net_iperf_config {
    const char *iperf3;         /* Program, default "iperf3". */
    const char *server;
    const char *netns;          /* Or NULL: the current namespace. */
    unsigned int port;          /* 0: iperf3's default. */
    double time_s;
    unsigned int len;           /* -l: write size (TCP) or datagram size (UDP). */
    bool udp;
    const char *bitrate;        /* -b for UDP (e.g. "1G"), or NULL. */
};

/* Runs one iperf3 client and parses its report. */
int net_iperf_run(const struct net_iperf_config *, struct net_iperf_result *);

#endif
