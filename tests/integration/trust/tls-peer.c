/* tls-peer — a minimal OpenFlow 1.0 peer over lib/net streams, for the
 * trust tests (tests/integration/trust-*.sh).
 *
 *   tls-peer server PSTREAM [TLS] [--count N]
 *       listens ("pssl:0:127.0.0.1", "ptcp:0:127.0.0.1"), prints
 *       "listening PORT", then for each of N connections (default 1):
 *       "accepted PEER cn=CN slice=SLICE" (TLS) or "accepted PEER" (tcp)
 *       once connected, answers HELLO with HELLO and ECHO_REQUEST with
 *       ECHO_REPLY until the peer closes, or "refused PEER: REASON" if the
 *       TLS handshake fails.  Exits 0 after N connections.
 *   tls-peer client STREAM [TLS] [--echoes N]
 *       connects, sends HELLO and N ECHO_REQUESTs (default 1), waits for
 *       the ECHO_REPLYs; prints "ok: N echoes, peer cn=CN" and exits 0, or
 *       "failed: REASON" and exits 1.
 *   tls-peer flood STREAM KIND [TLS] [--seconds N]
 *       a misbehaving controller on a switch's management port: sends HELLO
 *       then, for N seconds (default 3), as fast as the stream takes them:
 *         flow-mod    FLOW_MOD ADDs (distinct exact matches, output:3),
 *         packet-out  PACKET_OUTs of a 64-byte frame to port 3,
 *         no-read     ECHO_REQUESTs with 60,000-byte payloads, never
 *                     reading (the switch's replies pile up);
 *       the first two read and discard what comes back.  Prints "flood
 *       KIND: N messages in S s, connection open|closed (REASON)".
 *   TLS = --private-key FILE --certificate FILE --ca-cert FILE
 * Every wait is bounded (10 s). */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/event-loop.h"
#include "net/of-conn.h"
#include "net/stream-ssl.h"
#include "net/stream.h"
#include "pki/peer-identity.h"
#include "util/buf.h"
#include "util/util.h"
#include "util/byteorder.h"

#define OFPT_HELLO 0
#define TIMEOUT_MS 10000

static long long
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Waits until `s` can make progress on `events` (or 50 ms). */
static void
wait_stream(struct stream *s, unsigned int events)
{
    struct pollfd pfd = { .fd = stream_fd(s), .events = 0 };
    events |= stream_wanted_events(s);
    if (events & LOOP_READ) {
        pfd.events |= POLLIN;
    }
    if (events & LOOP_WRITE) {
        pfd.events |= POLLOUT;
    }
    poll(&pfd, 1, 50);
}

/* Drives the handshake: 0 or the error. */
static int
finish_connect(struct stream *s)
{
    long long deadline = now_ms() + TIMEOUT_MS;
    int error;
    while ((error = stream_connect(s)) == -EAGAIN && now_ms() < deadline) {
        wait_stream(s, 0);
    }
    return error;
}

static void
print_identity(struct stream *s)
{
    struct pki_identity id;
    int error = pki_stream_peer_identity(s, &id);
    if (!error) {
        printf(" cn=%s slice=%s", id.cn, *id.slice ? id.slice : "-");
    } else if (error != -ENOTSUP) {
        printf(" identity-error=%s", strerror(-error));
    }
}

static int
send_msg(struct stream *s, uint8_t type, uint32_t xid, const void *payload,
         size_t len)
{
    struct buf *msg = of_msg_make(OF_VERSION_1_0, type, xid, payload, len);
    int error = stream_send(s, msg->data, msg->size);
    buf_delete(msg);
    return error;
}

/* Reads whatever is available into rx; 1 if bytes came, 0 at EOF, -EAGAIN,
 * or the error. */
static int
read_some(struct stream *s, struct buf *rx)
{
    char data[65536];
    ssize_t n = stream_recv(s, data, sizeof data);
    if (n > 0) {
        buf_put(rx, data, n);
        return 1;
    }
    return n;
}

static void
serve(struct stream *s)
{
    struct buf *rx = buf_new(0);
    long long deadline = now_ms() + TIMEOUT_MS;
    send_msg(s, OFPT_HELLO, 0, NULL, 0);
    while (now_ms() < deadline) {
        stream_run(s);
        int r = read_some(s, rx);
        if (r == 0 || (r < 0 && r != -EAGAIN)) {
            break;
        }
        struct buf *msg;
        while (of_frame_pull(rx, &msg) == 1) {
            const uint8_t *h = msg->data;
            if (h[1] == OFPT_ECHO_REQUEST) {
                uint32_t xid;
                memcpy(&xid, h + 4, 4);
                send_msg(s, OFPT_ECHO_REPLY, be32toh(xid), h + 8,
                         msg->size - 8);
            }
            buf_delete(msg);
        }
        if (r == -EAGAIN) {
            wait_stream(s, LOOP_READ);
        }
    }
    stream_run(s);
    buf_delete(rx);
}

static int
run_server(const char *name, int count)
{
    struct pstream *p;
    char *err = NULL;
    if (pstream_open(name, &p, &err)) {
        fprintf(stderr, "tls-peer: %s\n", err);
        return 1;
    }
    printf("listening %u\n", pstream_port(p));
    fflush(stdout);
    for (int i = 0; i < count; i++) {
        struct stream *s;
        int error;
        for (;;) {
            error = pstream_accept(p, &s);
            if (error != -EAGAIN) {
                break;
            }
            struct pollfd pfd = { .fd = pstream_fd(p), .events = POLLIN };
            poll(&pfd, 1, 1000);
        }
        if (error) {
            fprintf(stderr, "tls-peer: accept: %s\n", strerror(-error));
            pstream_close(p);
            return 1;
        }
        error = finish_connect(s);
        if (error) {
            printf("refused %s: %s\n", stream_name(s), strerror(-error));
        } else {
            printf("accepted %s", stream_name(s));
            print_identity(s);
            printf("\n");
        }
        fflush(stdout);
        if (!error) {
            serve(s);
        }
        stream_close(s);
    }
    pstream_close(p);
    return 0;
}

/* One flood message of `kind` number i (OpenFlow 1.0 wire format, written
 * by hand: lib/net's of-conn.h and lib/ofp's ofp-wire.h both name the
 * message types), appended to out. */
static void
flood_msg(const char *kind, uint32_t i, struct buf *out)
{
    static uint8_t payload[60000];
    uint8_t m[88];
    memset(m, 0, sizeof m);
    m[0] = OF_VERSION_1_0;
    put_be32(m + 4, i);                            /* xid */
    size_t len;
    if (!strcmp(kind, "flow-mod")) {
        len = 80;
        m[1] = 14;                              /* OFPT_FLOW_MOD */
        /* Match: everything wildcarded but dl_type and an exact nw_dst. */
        put_be32(m + 8, 0x3fffff & ~(1u << 4) & ~(0x3fu << 14));
        put_be16(m + 8 + 22, 0x0800);
        put_be32(m + 8 + 32, 0x0a630000u | (i & 0xffff));      /* 10.99.x.y */
        put_be16(m + 56, 0);                       /* ADD */
        put_be16(m + 62, 10);                      /* priority */
        put_be32(m + 64, 0xffffffff);              /* no buffer */
        put_be16(m + 68, 0xffff);                  /* out_port NONE */
        put_be16(m + 72, 0);                       /* OUTPUT */
        put_be16(m + 74, 8);
        put_be16(m + 76, 3);                       /* port 3 */
    } else if (!strcmp(kind, "packet-out")) {
        len = 88;
        m[1] = 13;                              /* OFPT_PACKET_OUT */
        put_be32(m + 8, 0xffffffff);               /* no buffer */
        put_be16(m + 12, 0xffff);                  /* in_port NONE */
        put_be16(m + 14, 8);                       /* actions_len */
        put_be16(m + 16, 0);                       /* OUTPUT */
        put_be16(m + 18, 8);
        put_be16(m + 20, 3);                       /* port 3 */
        static const uint8_t frame_head[] = {
            0x02, 0, 0, 0, 0, 0x99, 0x02, 0, 0, 0, 0, 0x98, 0x88, 0xb5,
        };                                      /* local experimental type */
        memcpy(m + 24, frame_head, sizeof frame_head);
    } else {
        m[1] = OFPT_ECHO_REQUEST;
        put_be16(m + 2, 8 + sizeof payload);
        buf_put(out, m, 8);
        buf_put(out, payload, sizeof payload);
        return;
    }
    put_be16(m + 2, len);
    buf_put(out, m, len);
}

static int
run_flood(const char *name, const char *kind, int seconds)
{
    if (strcmp(kind, "flow-mod") && strcmp(kind, "packet-out")
        && strcmp(kind, "no-read")) {
        fprintf(stderr, "tls-peer: unknown flood kind %s\n", kind);
        return 2;
    }
    struct stream *s;
    char *err = NULL;
    if (stream_open(name, &s, &err)) {
        printf("failed: %s\n", err);
        free(err);
        return 1;
    }
    int error = finish_connect(s);
    if (error) {
        printf("failed: connect: %s\n", strerror(-error));
        stream_close(s);
        return 1;
    }
    bool reads = strcmp(kind, "no-read");
    struct buf *rx = buf_new(0);
    struct buf *msg = buf_new(0);
    send_msg(s, OFPT_HELLO, 0, NULL, 0);
    long long start = now_ms(), deadline = start + seconds * 1000LL;
    uint32_t sent = 0;
    const char *end = "open";
    while (now_ms() < deadline) {
        buf_clear(msg);
        flood_msg(kind, sent, msg);
        error = stream_send(s, msg->data, msg->size);
        if (!error) {
            sent++;
        } else if (error == -ENOBUFS) {
            error = stream_run(s);
            wait_stream(s, reads ? LOOP_READ | LOOP_WRITE : LOOP_WRITE);
        }
        if (error && error != -ENOBUFS) {
            end = strerror(-error);
            break;
        }
        if (reads) {
            int r;
            while ((r = read_some(s, rx)) > 0) {
                buf_clear(rx);
            }
            if (r == 0 || (r < 0 && r != -EAGAIN)) {
                end = r ? strerror(-r) : "closed by the switch";
                break;
            }
        }
    }
    printf("flood %s: %u messages in %.1f s, connection %s\n", kind, sent,
           (now_ms() - start) / 1000.0, !strcmp(end, "open") ? "open"
           : "closed");
    if (strcmp(end, "open")) {
        printf("reason: %s\n", end);
    }
    buf_delete(msg);
    buf_delete(rx);
    stream_close(s);
    return 0;
}

static int
client_fail(struct stream *s, struct buf *rx, const char *what, int error)
{
    printf("failed: %s: %s\n", what, error ? strerror(-error) : "closed");
    stream_close(s);
    buf_delete(rx);
    return 1;
}

static int
run_client(const char *name, int echoes)
{
    struct stream *s;
    char *err = NULL;
    if (stream_open(name, &s, &err)) {
        printf("failed: %s\n", err);
        free(err);
        return 1;
    }
    struct buf *rx = buf_new(0);
    int error = finish_connect(s);
    if (error) {
        return client_fail(s, rx, "connect", error);
    }
    send_msg(s, OFPT_HELLO, 1, NULL, 0);
    for (int i = 0; i < echoes; i++) {
        send_msg(s, OFPT_ECHO_REQUEST, 100 + i, "plural-trust", 12);
    }
    int replies = 0;
    long long deadline = now_ms() + TIMEOUT_MS;
    while (replies < echoes && now_ms() < deadline) {
        stream_run(s);
        int r = read_some(s, rx);
        if (r == 0 || (r < 0 && r != -EAGAIN)) {
            return client_fail(s, rx, "read", r);
        }
        struct buf *msg;
        while (of_frame_pull(rx, &msg) == 1) {
            const uint8_t *h = msg->data;
            replies += h[1] == OFPT_ECHO_REPLY && msg->size == 20
                       && !memcmp(h + 8, "plural-trust", 12);
            buf_delete(msg);
        }
        if (r == -EAGAIN) {
            wait_stream(s, LOOP_READ);
        }
    }
    if (replies < echoes) {
        return client_fail(s, rx, "echo replies", -ETIMEDOUT);
    }
    printf("ok: %d echoes, peer", replies);
    print_identity(s);
    printf("\n");
    stream_close(s);
    buf_delete(rx);
    return 0;
}

int
main(int argc, char *argv[])
{
    static const struct option opts[] = {
        { "private-key", required_argument, NULL, 'k' },
        { "certificate", required_argument, NULL, 'c' },
        { "ca-cert", required_argument, NULL, 'C' },
        { "count", required_argument, NULL, 'n' },
        { "echoes", required_argument, NULL, 'e' },
        { "seconds", required_argument, NULL, 's' },
        { NULL, 0, NULL, 0 },
    };
    const char *key = NULL, *cert = NULL, *ca = NULL;
    int count = 1, echoes = 1, seconds = 3;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'k': key = optarg; break;
        case 'c': cert = optarg; break;
        case 'C': ca = optarg; break;
        case 'n': count = atoi(optarg); break;
        case 'e': echoes = atoi(optarg); break;
        case 's': seconds = atoi(optarg); break;
        default: return 2;
        }
    }
    bool flood = argc - optind == 3 && !strcmp(argv[optind], "flood");
    if (argc - optind != 2 && !flood) {
        fprintf(stderr, "usage: tls-peer server|client NAME [options]\n"
                "       tls-peer flood NAME KIND [options]\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (key || cert || ca) {
        char *err = NULL;
        if (stream_ssl_configure(key ? key : "", cert ? cert : "",
                                 ca ? ca : "", &err)) {
            printf("failed: %s\n", err);
            free(err);
            return 1;
        }
    }
    int rc = flood ? run_flood(argv[optind + 1], argv[optind + 2], seconds)
             : !strcmp(argv[optind], "server")
             ? run_server(argv[optind + 1], count)
             : run_client(argv[optind + 1], echoes);
    stream_ssl_unconfigure();
    return rc;
}
