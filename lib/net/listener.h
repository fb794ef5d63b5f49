/* listener — a passive stream with the accept policy every plural daemon
 * needs (issue 12): plural-switchd's management listeners, plural-slicer's
 * switch listeners, plural-controller's listeners and the control socket all
 * accept through it, so the rules below hold in one place.
 *
 *   - Connection cap: at most `max_conns` accepted connections are open at
 *     once (counted from accept until stream_close()); a connection over the
 *     cap is accepted and closed at once (the peer sees a close, not a hang)
 *     and counted (listener_refused_cap).
 *   - Descriptor exhaustion: accept() failing with EMFILE, ENFILE, ENOBUFS
 *     or ENOMEM pauses the listener (it is taken out of the loop's interest
 *     set, so a level-triggered readable socket cannot spin the loop) for a
 *     back-off that starts at LISTENER_BACKOFF_MIN_MS and doubles up to
 *     LISTENER_BACKOFF_MAX_MS, and resets after a successful accept.
 *     Counted (listener_accept_exhausted).
 *   - Descriptor reserve: the highest `fd_reserve` descriptors below
 *     RLIMIT_NOFILE (at most a quarter of it) are kept for what must work
 *     when peers have taken everything else: the control socket (whose
 *     listener reserves none), outgoing connections, files.  Linux hands
 *     out the lowest free descriptor, so an accepted descriptor inside the
 *     reserve means the rest is in use: it is closed at once and the
 *     listener pauses as for EMFILE (counted the same way).
 *   - Handshake timeout: an accepted connection that is not
 *     stream_set_established() by its owner within `handshake_timeout_ms`
 *     (a stalled TLS handshake, an idle peer that never speaks) is shut
 *     down (shutdown(2): the owner sees end-of-stream on its next read and
 *     closes as for any lost peer).  Counted (listener_handshake_timeouts).
 *     0 disables it (the control socket: a local, owner-only unix socket).
 *   - Logging: every message about accept failures, refusals and timeouts is
 *     rate-limited (at most a few lines per 10 s, with the count of what was
 *     suppressed): an attacker cannot flood the log.
 *
 * Process-wide defaults come from the daemons' --max-connections and
 * --handshake-timeout options (listener_set_defaults()); a caller may give
 * its own config (NULL means the defaults).
 *
 * Ownership: the accept callback owns each new stream (close it with
 * stream_close() as usual: that is what the count follows).  A listener may
 * be closed while its streams live on; its memory goes with the last one.
 * The accept callback must not close its own listener.
 * Thread-safety: the thread that runs `loop`. */
#ifndef PLURAL_NET_LISTENER_H
#define PLURAL_NET_LISTENER_H 1

#include <stdbool.h>
#include <stdint.h>

struct loop;
struct listener;
struct stream;

#define LISTENER_DEFAULT_MAX_CONNS 1000
#define LISTENER_DEFAULT_HANDSHAKE_TIMEOUT_MS 10000
#define LISTENER_DEFAULT_FD_RESERVE 32
#define LISTENER_BACKOFF_MIN_MS 100
#define LISTENER_BACKOFF_MAX_MS 2000

struct listener_config {
    unsigned int max_conns;         /* 0: unlimited. */
    uint32_t handshake_timeout_ms;  /* 0: none. */
    unsigned int fd_reserve;        /* Descriptors left to others. */
};

/* The process-wide defaults (initially the LISTENER_DEFAULT_* values). */
void listener_set_defaults(const struct listener_config *);
void listener_get_defaults(struct listener_config *);

typedef void listener_accept_cb(struct listener *, struct stream *,
                                void *aux);

/* Listens on `name` (stream.h's passive names).  0, or -errno with *errp. */
int listener_open(struct loop *, const char *name,
                  const struct listener_config *, listener_accept_cb *,
                  void *aux, struct listener **, char **errp);
/* Stops listening (removes a punix socket file).  Accepts NULL. */
void listener_close(struct listener *);

const char *listener_name(const struct listener *);
/* The bound TCP port (after "ptcp:0"), 0 for unix. */
uint16_t listener_port(const struct listener *);
int listener_fd(const struct listener *);
unsigned int listener_n_conns(const struct listener *);
bool listener_is_paused(const struct listener *);

struct listener_stats {
    uint64_t accepted;
    uint64_t refused_cap;           /* Closed at once: over max_conns. */
    uint64_t exhausted;             /* EMFILE/ENFILE/ENOBUFS/ENOMEM. */
    uint64_t errors;                /* Other accept errors. */
    uint64_t handshake_timeouts;
};
void listener_get_stats(const struct listener *, struct listener_stats *);

/* Parses the values of --max-connections N (0..1000000, 0 = unlimited) and
 * --handshake-timeout SECONDS (0..3600, 0 = none).  0 or -EINVAL. */
int listener_parse_max_conns(const char *, unsigned int *);
int listener_parse_handshake_timeout(const char *, uint32_t *ms);

#endif
