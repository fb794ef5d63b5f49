/* listener — see listener.h.
 *
 * Each accepted stream gets a `struct listener_conn` (its close hook's aux):
 * it holds the handshake timer and points back at the listener, whose
 * n_conns it decrements when the stream is closed.  A closed listener
 * (`closed`) is freed by the last of its connections. */
#include "net/listener.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/event-loop.h"
#include "net/stream-provider.h"
#include "util/counter.h"
#include "util/log.h"
#include "util/util.h"

LOG_MODULE(listener);
COUNTER_DEFINE(listener_refused_cap,
               "connections closed at once: the listener's --max-connections "
               "was reached");
COUNTER_DEFINE(listener_accept_exhausted,
               "accept() failures for lack of descriptors or memory "
               "(EMFILE, ENFILE, ENOBUFS, ENOMEM): the listener paused");
COUNTER_DEFINE(listener_accept_errors, "other accept() failures");
COUNTER_DEFINE(listener_handshake_timeouts,
               "accepted connections shut down: no TLS handshake or no "
               "protocol message within --handshake-timeout");

#define ACCEPTS_PER_CALLBACK 64     /* Fairness with established peers. */

static struct listener_config defaults = {
    LISTENER_DEFAULT_MAX_CONNS, LISTENER_DEFAULT_HANDSHAKE_TIMEOUT_MS,
    LISTENER_DEFAULT_FD_RESERVE,
};

struct listener {
    struct loop *loop;
    struct pstream *pstream;
    struct listener_config cfg;
    listener_accept_cb *cb;
    void *aux;
    unsigned int n_conns;
    bool closed;                /* listener_close() called. */
    bool paused;
    uint32_t backoff_ms;
    uint64_t resume_timer;
    struct listener_stats stats;
};

struct listener_conn {
    struct listener *listener;
    struct stream *stream;
    uint64_t timer;             /* Handshake deadline, 0 once done. */
};

void listener_set_defaults(const struct listener_config *c) { defaults = *c; }
void listener_get_defaults(struct listener_config *c) { *c = defaults; }

static void
listener_free(struct listener *l)
{
    free(l);
}

/* Accepting. */

static void listener_fd_cb(struct loop *, int fd, unsigned int events,
                           void *);

static int64_t
resume_cb(struct loop *loop, uint64_t id, void *l_)
{
    struct listener *l = l_;
    (void) id;
    l->resume_timer = 0;
    l->paused = false;
    loop_set_fd_interest(loop, pstream_fd(l->pstream), LOOP_READ);
    return LOOP_TIMER_DONE;
}

static void
pause_listener(struct listener *l, int error)
{
    static struct log_ratelimit rl = LOG_RATELIMIT_INIT(2, 10);
    uint32_t delay = l->backoff_ms ? l->backoff_ms : LISTENER_BACKOFF_MIN_MS;
    l->backoff_ms = MIN(delay * 2, LISTENER_BACKOFF_MAX_MS);
    l->stats.exhausted++;
    counter_inc(&listener_accept_exhausted);
    LOG_RL(&rl, LOG_LEVEL_WARN, "%s: accept: %s (%u connections open; "
           "the last %u descriptors are kept for the control socket): "
           "not accepting for %u ms", pstream_name(l->pstream),
           strerror(-error), l->n_conns, l->cfg.fd_reserve, (unsigned) delay);
    l->paused = true;
    loop_set_fd_interest(l->loop, pstream_fd(l->pstream), 0);
    l->resume_timer = loop_add_timer(l->loop, delay, resume_cb, l);
}

static int64_t
handshake_timer_cb(struct loop *loop, uint64_t id, void *lc_)
{
    static struct log_ratelimit rl = LOG_RATELIMIT_INIT(5, 10);
    struct listener_conn *lc = lc_;
    (void) loop;
    (void) id;
    lc->timer = 0;
    if (!stream_is_established(lc->stream)) {
        lc->listener->stats.handshake_timeouts++;
        counter_inc(&listener_handshake_timeouts);
        LOG_RL(&rl, LOG_LEVEL_INFO, "%s: no %s within %u ms: closing",
               stream_name(lc->stream),
               lc->stream->connect_error == -EAGAIN ? "TLS handshake"
                                                    : "protocol handshake",
               (unsigned) lc->listener->cfg.handshake_timeout_ms);
        /* The owner sees end-of-stream and closes as for any lost peer. */
        shutdown(stream_fd(lc->stream), SHUT_RDWR);
    }
    return LOOP_TIMER_DONE;
}

static void
conn_closed(struct stream *s, void *lc_)
{
    struct listener_conn *lc = lc_;
    struct listener *l = lc->listener;
    (void) s;
    if (lc->timer) {
        loop_cancel_timer(l->loop, lc->timer);
    }
    free(lc);
    l->n_conns--;
    if (l->closed && !l->n_conns) {
        listener_free(l);
    }
}

/* The lowest descriptor of the reserve (listener.h), or INT32_MAX. */
static int
reserve_start(const struct listener *l)
{
    struct rlimit rl;
    if (!l->cfg.fd_reserve || getrlimit(RLIMIT_NOFILE, &rl)
        || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > INT32_MAX) {
        return INT32_MAX;
    }
    unsigned int reserve = MIN(l->cfg.fd_reserve, rl.rlim_cur / 4);
    return (int) (rl.rlim_cur - reserve);
}

static bool
over_cap(const struct listener *l)
{
    return l->cfg.max_conns && l->n_conns >= l->cfg.max_conns;
}

static void
listener_fd_cb(struct loop *loop, int fd, unsigned int events, void *l_)
{
    static struct log_ratelimit rl_cap = LOG_RATELIMIT_INIT(2, 10);
    static struct log_ratelimit rl_err = LOG_RATELIMIT_INIT(2, 10);
    struct listener *l = l_;
    (void) fd;
    (void) events;
    int reserve = reserve_start(l);
    for (int i = 0; i < ACCEPTS_PER_CALLBACK && !l->paused; i++) {
        struct stream *s;
        int error = pstream_accept(l->pstream, &s);
        if (error == -EAGAIN) {
            return;
        }
        if (error == -EMFILE || error == -ENFILE || error == -ENOBUFS
            || error == -ENOMEM) {
            pause_listener(l, error);
            return;
        }
        if (error) {
            l->stats.errors++;
            counter_inc(&listener_accept_errors);
            LOG_RL(&rl_err, LOG_LEVEL_WARN, "%s: accept: %s",
                   pstream_name(l->pstream), strerror(-error));
            continue;
        }
        if (stream_fd(s) >= reserve) {
            stream_close(s);
            pause_listener(l, -EMFILE);
            return;
        }
        l->backoff_ms = 0;
        if (over_cap(l)) {
            l->stats.refused_cap++;
            counter_inc(&listener_refused_cap);
            LOG_RL(&rl_cap, LOG_LEVEL_WARN, "%s: %u connections open (the "
                   "--max-connections limit): refusing %s",
                   pstream_name(l->pstream), l->n_conns, stream_name(s));
            stream_close(s);
            continue;
        }
        struct listener_conn *lc = xzalloc(sizeof *lc);
        lc->listener = l;
        lc->stream = s;
        if (l->cfg.handshake_timeout_ms) {
            lc->timer = loop_add_timer(loop, l->cfg.handshake_timeout_ms,
                                       handshake_timer_cb, lc);
        }
        s->close_hook = conn_closed;
        s->close_hook_aux = lc;
        l->n_conns++;
        l->stats.accepted++;
        l->cb(l, s, l->aux);
    }
}

/* Life cycle. */

int
listener_open(struct loop *loop, const char *name,
              const struct listener_config *cfg, listener_accept_cb *cb,
              void *aux, struct listener **lp, char **errp)
{
    struct pstream *ps;
    *lp = NULL;
    int error = pstream_open(name, &ps, errp);
    if (error) {
        return error;
    }
    struct listener *l = xzalloc(sizeof *l);
    l->loop = loop;
    l->pstream = ps;
    l->cfg = cfg ? *cfg : defaults;
    l->cb = cb;
    l->aux = aux;
    error = loop_add_fd(loop, pstream_fd(ps), LOOP_READ, listener_fd_cb, l);
    if (error) {
        pstream_close(ps);
        free(l);
        return stream_error(errp, error, "%s: cannot watch the socket: %s",
                            name, strerror(-error));
    }
    *lp = l;
    return 0;
}

void
listener_close(struct listener *l)
{
    if (!l) {
        return;
    }
    loop_remove_fd(l->loop, pstream_fd(l->pstream));
    loop_cancel_timer(l->loop, l->resume_timer);
    pstream_close(l->pstream);
    l->pstream = NULL;
    l->closed = true;
    if (!l->n_conns) {
        listener_free(l);
    }
}

const char *listener_name(const struct listener *l) { return pstream_name(l->pstream); }
uint16_t listener_port(const struct listener *l) { return pstream_port(l->pstream); }
int listener_fd(const struct listener *l) { return pstream_fd(l->pstream); }
unsigned int listener_n_conns(const struct listener *l) { return l->n_conns; }
bool listener_is_paused(const struct listener *l) { return l->paused; }

void
listener_get_stats(const struct listener *l, struct listener_stats *stats)
{
    *stats = l->stats;
}

int
listener_parse_max_conns(const char *s, unsigned int *n)
{
    uint64_t v;
    if (str_to_u64(s, 0, 1000000, &v)) {
        return -EINVAL;
    }
    *n = (unsigned int) v;
    return 0;
}

int
listener_parse_handshake_timeout(const char *s, uint32_t *ms)
{
    uint64_t v;
    if (str_to_u64(s, 0, 3600, &v)) {
        return -EINVAL;
    }
    *ms = (uint32_t) v * 1000;
    return 0;
}
