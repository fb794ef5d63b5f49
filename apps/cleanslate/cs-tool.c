/* plural-cleanslate — send and receive PLURAL-CS frames (Ethertype 0x88B5,
 * see cleanslate.h) on a Linux interface, so a user can watch the
 * cleanslate app forward a protocol that is not IP.
 *
 *   plural-cleanslate send --dev IF --from ADDR --to ADDR [--count N] MESSAGE
 *   plural-cleanslate recv --dev IF --addr ADDR [--count N] [--timeout S]
 *
 * recv prints one line per frame addressed to ADDR:
 *   "from 1 to 2 len 5: hello"  and exits 0 after --count frames, 1 on timeout.
 * Once its port is open (frames sent from then on are seen) it says so on
 * stderr: "plural-cleanslate: receiving on IF as node ADDR", so a script can
 * wait for that line instead of sleeping before it sends.
 *
 * Packet I/O is lib/dp's (one stack with the switch): IF is opened with
 * port_open("afpacket:IF") — or "afxdp:IF" with --method afxdp — frames go
 * out with port_send() and are read with port_recv()/port_recv_done(),
 * keeping PLURAL-CS frames (Ethertype 0x88B5, after an 802.1Q tag if the
 * port put one back) addressed to the node. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cleanslate/cleanslate.h"
#include "dp/port.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/util.h"

#define SEND_WAIT_NS (5ull * 1000 * 1000 * 1000)   /* Give up a stalled send. */

static void
usage(FILE *out)
{
    fprintf(out,
"usage: plural-cleanslate send --dev IF --from ADDR --to ADDR [--count N]\n"
"                              [--method afpacket|afxdp] MESSAGE\n"
"       plural-cleanslate recv --dev IF --addr ADDR [--count N] [--timeout SECONDS]\n"
"                              [--method afpacket|afxdp]\n"
"\n"
"Sends or receives PLURAL-CS frames: Ethertype 0x88B5, node ADDR (0-65535)\n"
"carried in the destination MAC 0a:88:b5:00:HI:LO (see docs/controller.md).\n"
"IF is opened as a plural port (lib/dp): afpacket (default, any interface)\n"
"or afxdp (AF_XDP; attaches plural's XDP program to IF while it runs).\n"
"Exit status: 0 success, 1 failure or timeout, 2 usage error.\n");
}

static struct port *
open_port(const char *method, const char *dev)
{
    char spec[48];
    struct port *port;
    snprintf(spec, sizeof spec, "%s:%s", method, dev);
    int error = port_open(spec, &port);
    if (error) {
        fprintf(stderr, "plural-cleanslate: cannot open %s: %s%s\n", spec, strerror(-error),
                error == -EPERM ? " (needs root)" : error == -ENODEV ? " (no such interface)" : "");
        return NULL;
    }
    return port;
}

/* Sends `frame` count times; 0, or -1 after a message. */
static int
send_frames(struct port *port, const uint8_t *frame, size_t len, uint64_t count)
{
    struct packet pkt = { .data = (uint8_t *) frame, .len = (uint32_t) len,
                          .room = (uint32_t) len };
    struct packet *pkts[PACKET_BATCH_MAX];
    for (size_t i = 0; i < ARRAY_SIZE(pkts); i++) {
        pkts[i] = &pkt;             /* The port copies: one frame will do. */
    }
    uint64_t sent = 0, deadline = clock_now_ns() + SEND_WAIT_NS;
    while (sent < count) {
        struct port_stats before, after;
        port_get_stats(port, &before);
        int n = port_send(port, pkts, (unsigned int) MIN(count - sent, (uint64_t) PACKET_BATCH_MAX));
        port_get_stats(port, &after);
        if (after.tx_errors > before.tx_errors) {
            fprintf(stderr, "plural-cleanslate: send on %s: the interface refused the frame\n",
                    port_name(port));
            return -1;
        }
        sent += (uint64_t) n;
        if (!n && clock_now_ns() > deadline) {
            fprintf(stderr, "plural-cleanslate: send on %s: stalled after %"PRIu64" frames\n",
                    port_name(port), sent);
            return -1;
        }
    }
    return 0;
}

/* The PLURAL-CS header of `p` (after any 802.1Q tag), or NULL if `p` is
 * not a PLURAL-CS frame. */
static const uint8_t *
cs_header(const struct packet *p)
{
    size_t ofs = 12;
    if (p->len >= 18 && p->data[12] == 0x81 && p->data[13] == 0x00) {
        ofs = 16;
    }
    if (p->len < ofs + 2 + CS_HEADER_LEN
        || (p->data[ofs] << 8 | p->data[ofs + 1]) != CS_ETHERTYPE) {
        return NULL;
    }
    return p->data + ofs + 2;
}

/* Prints the frames for node `addr` until `count` arrived or `timeout_s`
 * passed; returns how many arrived. */
static uint64_t
recv_frames(struct port *port, uint16_t addr, uint64_t count, uint64_t timeout_s)
{
    uint8_t want[6];
    cs_addr_to_mac(addr, want);
    uint64_t got = 0, end = clock_now_ns() + timeout_s * 1000000000ull;
    while (got < count) {
        uint64_t now = clock_now_ns();
        if (now >= end) {
            break;
        }
        struct pollfd pfd = { .fd = port_wait_fd(port), .events = POLLIN };
        poll(&pfd, 1, (int) MIN((end - now) / 1000000 + 1, 100u));
        struct packet_batch batch;
        int n;
        while (got < count && (n = port_recv(port, &batch)) > 0) {
            for (int i = 0; i < n && got < count; i++) {
                const struct packet *p = batch.pkts[i];
                const uint8_t *h = cs_header(p);
                size_t len = h ? (size_t) (h[6] << 8 | h[7]) : 0;
                if (!h || memcmp(p->data, want, 6) || h[0] != 1
                    || h + CS_HEADER_LEN + len > p->data + p->len) {
                    continue;
                }
                printf("from %u to %u len %zu: %.*s\n", h[4] << 8 | h[5], h[2] << 8 | h[3],
                       len, (int) len, (const char *) h + CS_HEADER_LEN);
                got++;
            }
            fflush(stdout);
            port_recv_done(port, &batch);
        }
    }
    return got;
}

static int
parse_addr(const char *s, uint16_t *a)
{
    uint64_t v;
    if (str_to_u64(s, 0, 65535, &v)) {
        fprintf(stderr, "plural-cleanslate: bad address \"%s\" (0-65535)\n", s);
        return -1;
    }
    *a = (uint16_t) v;
    return 0;
}

int
main(int argc, char *argv[])
{
    static const struct option opts[] = {
        { "dev", required_argument, NULL, 'd' }, { "from", required_argument, NULL, 'f' },
        { "to", required_argument, NULL, 't' }, { "addr", required_argument, NULL, 'a' },
        { "count", required_argument, NULL, 'c' }, { "timeout", required_argument, NULL, 'T' },
        { "method", required_argument, NULL, 'm' },
        { "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
    };
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *mode = argv[1], *dev = NULL, *method = "afpacket";
    uint16_t from = 0, to = 0, addr = 0;
    bool have_from = false, have_to = false, have_addr = false;
    uint64_t count = 1, timeout = 5;
    int c;
    optind = 2;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dev = optarg; break;
        case 'f': if (parse_addr(optarg, &from)) return 2; have_from = true; break;
        case 't': if (parse_addr(optarg, &to)) return 2; have_to = true; break;
        case 'a': if (parse_addr(optarg, &addr)) return 2; have_addr = true; break;
        case 'c':
            if (str_to_u64(optarg, 1, 1000000, &count)) {
                fprintf(stderr, "plural-cleanslate: bad --count \"%s\"\n", optarg);
                return 2;
            }
            break;
        case 'T':
            if (str_to_u64(optarg, 1, 3600, &timeout)) {
                fprintf(stderr, "plural-cleanslate: bad --timeout \"%s\"\n", optarg);
                return 2;
            }
            break;
        case 'm':
            if (strcmp(optarg, "afpacket") && strcmp(optarg, "afxdp")) {
                fprintf(stderr, "plural-cleanslate: bad --method \"%s\" (afpacket, afxdp)\n", optarg);
                return 2;
            }
            method = optarg;
            break;
        case 'h': usage(stdout); return 0;
        default: return 2;
        }
    }
    if (!dev) {
        fprintf(stderr, "plural-cleanslate: --dev IF is required\n");
        return 2;
    }
    log_set_level("port", LOG_LEVEL_ERR);   /* open_port() says what failed. */
    if (!strcmp(mode, "send")) {
        if (!have_from || !have_to || optind != argc - 1) {
            fprintf(stderr, "plural-cleanslate: send needs --from, --to and one MESSAGE\n");
            return 2;
        }
        const char *msg = argv[optind];
        size_t len = strlen(msg);
        if (len > 1400) {
            fprintf(stderr, "plural-cleanslate: message longer than 1400 bytes\n");
            return 2;
        }
        struct port *port = open_port(method, dev);
        if (!port) {
            return 1;
        }
        uint8_t frame[1514] = { 0 };
        cs_addr_to_mac(to, frame);
        (void) port_get_mac(port, frame + 6);
        frame[12] = CS_ETHERTYPE >> 8;
        frame[13] = CS_ETHERTYPE & 0xff;
        uint8_t *h = frame + 14;
        h[0] = 1;
        h[1] = 1;
        h[2] = (uint8_t) (to >> 8); h[3] = (uint8_t) to;
        h[4] = (uint8_t) (from >> 8); h[5] = (uint8_t) from;
        h[6] = (uint8_t) (len >> 8); h[7] = (uint8_t) len;
        memcpy(h + CS_HEADER_LEN, msg, len);
        int rc = send_frames(port, frame, MAX(60, 14 + CS_HEADER_LEN + len), count) ? 1 : 0;
        port_close(port);
        return rc;
    } else if (!strcmp(mode, "recv")) {
        if (!have_addr || optind != argc) {
            fprintf(stderr, "plural-cleanslate: recv needs --addr and no other argument\n");
            return 2;
        }
        struct port *port = open_port(method, dev);
        if (!port) {
            return 1;
        }
        fprintf(stderr, "plural-cleanslate: receiving on %s as node %u\n", dev, addr);
        uint64_t got = recv_frames(port, addr, count, timeout);
        port_close(port);
        if (got < count) {
            fprintf(stderr, "plural-cleanslate: received %"PRIu64" of %"PRIu64" frames in %"PRIu64" s\n",
                    got, count, timeout);
            return 1;
        }
        return 0;
    }
    fprintf(stderr, "plural-cleanslate: unknown command \"%s\" (send, recv)\n", mode);
    return 2;
}
