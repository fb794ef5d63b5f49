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
        { NULL, 0, NULL, 0 },
    };
    const char *key = NULL, *cert = NULL, *ca = NULL;
    int count = 1, echoes = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'k': key = optarg; break;
        case 'c': cert = optarg; break;
        case 'C': ca = optarg; break;
        case 'n': count = atoi(optarg); break;
        case 'e': echoes = atoi(optarg); break;
        default: return 2;
        }
    }
    if (argc - optind != 2) {
        fprintf(stderr, "usage: tls-peer server|client NAME [options]\n");
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
    int rc = !strcmp(argv[optind], "server")
             ? run_server(argv[optind + 1], count)
             : run_client(argv[optind + 1], echoes);
    stream_ssl_unconfigure();
    return rc;
}
