/* stream — the generic layer of stream.h: prefix dispatch, connection
 * state, and the bounded send queue.  Providers only move bytes.
 *
 * Queue accounting: every change of a queue's size goes through
 * queue_added()/queue_removed(), which keep the process-wide total (an
 * atomic: streams of different threads share it). */
#include "net/stream-provider.h"

#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/event-loop.h"
#include "util/clock.h"
#include "util/counter.h"
#include "util/log.h"

LOG_MODULE(stream);
COUNTER_DEFINE(stream_stalled_disconnects,
               "connections closed because the peer read nothing of a full "
               "send queue for the stall timeout");
COUNTER_DEFINE(stream_queue_refused,
               "sends refused (-ENOBUFS) by a full per-connection or "
               "process-wide send queue");

static _Atomic size_t total_queued;
static size_t total_queue_limit = STREAM_DEFAULT_TOTAL_QUEUE_LIMIT;
static uint32_t stall_timeout_ms = STREAM_DEFAULT_STALL_MS;

void stream_set_total_queue_limit(size_t n) { total_queue_limit = n; }
size_t stream_total_queue_limit(void) { return total_queue_limit; }
size_t stream_total_queued_bytes(void) { return atomic_load(&total_queued); }
void stream_set_stall_timeout_ms(uint32_t ms) { stall_timeout_ms = ms; }
uint32_t stream_stall_timeout_ms(void) { return stall_timeout_ms; }

static void queue_added(size_t n) { atomic_fetch_add(&total_queued, n); }
static void queue_removed(size_t n) { atomic_fetch_sub(&total_queued, n); }

/* Empties the queue and gives its memory back. */
static void
queue_drop(struct stream *s)
{
    queue_removed(s->queue.size);
    buf_uninit(&s->queue);
    buf_init(&s->queue, 0);
}

static const struct stream_class *const stream_classes[] = {
    &tcp_stream_class,
    &unix_stream_class,
    &ssl_stream_class,
};

static const struct pstream_class *const pstream_classes[] = {
    &ptcp_pstream_class,
    &punix_pstream_class,
    &pssl_pstream_class,
};

int
stream_error(char **errp, int error, const char *fmt, ...)
{
    if (errp) {
        va_list args;
        va_start(args, fmt);
        *errp = xvasprintf(fmt, args);
        va_end(args);
    }
    return error;
}

/* Splits "prefix:rest": returns the length of the prefix, or -1. */
static int
prefix_len(const char *name)
{
    const char *colon = strchr(name, ':');
    return colon ? (int) (colon - name) : -1;
}

static bool
prefix_matches(const char *name, int len, const char *prefix)
{
    return strlen(prefix) == (size_t) len && !strncmp(name, prefix, len);
}

static int
unknown_prefix(const char *name, bool passive, char **errp)
{
    const char *expected = passive ? "punix:PATH, ptcp:PORT[:IP] or "
                                     "pssl:PORT[:IP]"
                                   : "unix:PATH, tcp:IP:PORT or ssl:IP:PORT";
    if (prefix_len(name) < 0) {
        return stream_error(errp, -EINVAL, "%s: missing stream type "
                            "(expected %s)", name, expected);
    }
    return stream_error(errp, -EAFNOSUPPORT, "%s: unknown stream type "
                        "\"%.*s\" (expected %s)", name, prefix_len(name),
                        name, expected);
}

void
stream_init(struct stream *s, const struct stream_class *class,
            const char *name, int fd, int connect_error)
{
    s->class = class;
    s->name = xstrdup(name);
    s->fd = fd;
    s->connect_error = connect_error;
    s->send_error = 0;
    buf_init(&s->queue, 0);
    s->queue_limit = STREAM_DEFAULT_QUEUE_LIMIT;
    s->progress_ms = 0;
    s->established = false;
    s->close_hook = NULL;
    s->close_hook_aux = NULL;
}

int
stream_open(const char *name, struct stream **streamp, char **errp)
{
    *streamp = NULL;
    int len = prefix_len(name);
    for (size_t i = 0; len >= 0 && i < ARRAY_SIZE(stream_classes); i++) {
        const struct stream_class *class = stream_classes[i];
        if (prefix_matches(name, len, class->prefix)) {
            return class->open(name, name + len + 1, streamp, errp);
        }
    }
    return unknown_prefix(name, false, errp);
}

int
stream_connect(struct stream *s)
{
    if (s->connect_error == -EAGAIN) {
        s->connect_error = s->class->connect(s);
    }
    return s->connect_error ? s->connect_error : s->send_error;
}

ssize_t
stream_recv(struct stream *s, void *data, size_t n)
{
    int error = stream_connect(s);
    return error ? error : s->class->recv(s, data, n);
}

/* Writes queued bytes until the kernel refuses.  Resets the buffer when it
 * empties so it never creeps forward through its allocation. */
static int
flush_queue(struct stream *s)
{
    while (s->queue.size) {
        ssize_t n = s->class->send(s, s->queue.data, s->queue.size);
        if (n < 0 && n != -EAGAIN) {
            s->send_error = (int) n;
            queue_drop(s);
            return s->send_error;
        }
        if (n <= 0) {
            return 0;
        }
        buf_pull(&s->queue, n);
        queue_removed(n);
        s->progress_ms = clock_now_ms();
    }
    buf_clear(&s->queue);
    return 0;
}

/* Appends to the queue, first sliding the pending bytes to the start of the
 * allocation so the buffer does not grow while it drains. */
static void
queue_append(struct stream *s, const void *data, size_t n)
{
    struct buf *q = &s->queue;
    if (q->base && q->data != q->base) {
        memmove(q->base, q->data, q->size);
        q->data = q->base;
    }
    if (!q->size) {
        s->progress_ms = clock_now_ms();     /* The stall clock starts. */
    }
    buf_put(q, data, n);
    queue_added(n);
}

/* A send that does not fit: -ENOBUFS, or -ETIMEDOUT (the stream dies) if
 * the peer has read nothing for the stall timeout. */
static int
refuse_send(struct stream *s)
{
    uint64_t now = clock_now_ms();
    if (stall_timeout_ms && now - s->progress_ms >= stall_timeout_ms) {
        static struct log_ratelimit rl = LOG_RATELIMIT_INIT(5, 10);
        counter_inc(&stream_stalled_disconnects);
        LOG_RL(&rl, LOG_LEVEL_WARN, "%s: peer read nothing of %zu queued "
               "bytes for %u ms: disconnecting", s->name, s->queue.size,
               (unsigned) (now - s->progress_ms));
        s->send_error = -ETIMEDOUT;
        queue_drop(s);
        return s->send_error;
    }
    counter_inc(&stream_queue_refused);
    return -ENOBUFS;
}

int
stream_send(struct stream *s, const void *data, size_t n)
{
    int error = stream_connect(s);
    if (error && error != -EAGAIN) {
        return error;
    }
    /* A message larger than the limit still goes out when nothing else is
     * queued; otherwise it could never be sent. */
    if (s->queue.size && (s->queue.size + n > s->queue_limit
                          || atomic_load(&total_queued) + n
                             > total_queue_limit)) {
        return refuse_send(s);
    }
    size_t sent = 0;
    if (!error && !s->queue.size) {
        ssize_t r = s->class->send(s, data, n);
        if (r < 0 && r != -EAGAIN) {
            s->send_error = (int) r;
            return s->send_error;
        }
        sent = r > 0 ? (size_t) r : 0;
    }
    if (sent < n) {
        queue_append(s, (const uint8_t *) data + sent, n - sent);
    }
    return 0;
}

int
stream_run(struct stream *s)
{
    int error = stream_connect(s);
    if (error) {
        return error == -EAGAIN ? 0 : error;
    }
    return flush_queue(s);
}

size_t stream_queued_bytes(const struct stream *s) { return s->queue.size; }
void stream_set_queue_limit(struct stream *s, size_t n) { s->queue_limit = n; }
size_t stream_queue_limit(const struct stream *s) { return s->queue_limit; }
int stream_fd(const struct stream *s) { return s->fd; }
const char *stream_name(const struct stream *s) { return s->name; }

unsigned int
stream_wanted_events(const struct stream *s)
{
    unsigned int events = LOOP_READ;
    if (s->connect_error == -EAGAIN || s->queue.size) {
        events |= LOOP_WRITE;
    }
    return s->class->wanted_events ? s->class->wanted_events(s, events)
                                   : events;
}

void stream_set_established(struct stream *s) { s->established = true; }
bool stream_is_established(const struct stream *s) { return s->established; }

void
stream_close(struct stream *s)
{
    if (s) {
        char *name = s->name;
        if (s->close_hook) {
            s->close_hook(s, s->close_hook_aux);
        }
        queue_removed(s->queue.size);
        buf_uninit(&s->queue);
        s->class->close(s);         /* Closes the fd and frees s. */
        free(name);
    }
}

int
stream_verify_name(const char *name, bool passive, char **errp)
{
    int len = prefix_len(name);
    if (len >= 0) {
        const char *suffix = name + len + 1;
        if (passive) {
            for (size_t i = 0; i < ARRAY_SIZE(pstream_classes); i++) {
                if (prefix_matches(name, len, pstream_classes[i]->prefix)) {
                    return pstream_classes[i]->verify(name, suffix, errp);
                }
            }
        } else {
            for (size_t i = 0; i < ARRAY_SIZE(stream_classes); i++) {
                if (prefix_matches(name, len, stream_classes[i]->prefix)) {
                    return stream_classes[i]->verify(name, suffix, errp);
                }
            }
        }
    }
    return unknown_prefix(name, passive, errp);
}

/* Passive streams. */

void
pstream_init(struct pstream *p, const struct pstream_class *class,
             const char *name, int fd, uint16_t port)
{
    p->class = class;
    p->name = xstrdup(name);
    p->fd = fd;
    p->port = port;
}

int
pstream_open(const char *name, struct pstream **pstreamp, char **errp)
{
    *pstreamp = NULL;
    int len = prefix_len(name);
    for (size_t i = 0; len >= 0 && i < ARRAY_SIZE(pstream_classes); i++) {
        const struct pstream_class *class = pstream_classes[i];
        if (prefix_matches(name, len, class->prefix)) {
            return class->listen(name, name + len + 1, pstreamp, errp);
        }
    }
    return unknown_prefix(name, true, errp);
}

int
pstream_accept(struct pstream *p, struct stream **streamp)
{
    *streamp = NULL;
    return p->class->accept(p, streamp);
}

int pstream_fd(const struct pstream *p) { return p->fd; }
const char *pstream_name(const struct pstream *p) { return p->name; }
uint16_t pstream_port(const struct pstream *p) { return p->port; }

void
pstream_close(struct pstream *p)
{
    if (p) {
        char *name = p->name;
        p->class->close(p);         /* Closes the fd and frees p. */
        free(name);
    }
}
