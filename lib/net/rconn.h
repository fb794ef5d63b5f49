/* rconn — a reconnecting OpenFlow connection to a controller (or any
 * active stream target such as "tcp:127.0.0.1:6653" or "unix:PATH").
 *
 * State machine (all times from util/clock.h, timers on the event loop):
 *
 *   BACKOFF --deadline--> CONNECTING --connected--> ACTIVE <--any msg-- IDLE
 *      ^                     |  connect error or         |  silence for      |
 *      |                     |  timeout (= backoff)      |  probe_interval:  |
 *      +---------------------+---------------------------+  send ECHO_REQUEST|
 *      +-------------- disconnect (EOF, error, no reply for another interval)+
 *
 * The first attempt happens at once (rconn_create()).  After each failed
 * attempt or lost connection the rconn waits `backoff` before the next
 * attempt; backoff starts at backoff_min_ms and doubles up to
 * backoff_max_ms; it returns to backoff_min_ms once a connection is
 * established.  A connect still pending after `backoff` is abandoned.
 *
 * Keepalive: if nothing is received for probe_interval_ms while ACTIVE, an
 * ECHO_REQUEST (version 0x01, 8 bytes) is sent and the state becomes IDLE;
 * if still nothing arrives within another probe_interval_ms, the connection
 * is dropped with -ETIMEDOUT.  probe_interval_ms == 0 disables probing.
 * With answer_echo, ECHO_REQUESTs from the peer are answered automatically.
 *
 * Ownership: messages passed to on_message are owned by the callback (as in
 * of-conn.h); rconn_send() always takes ownership of its message.  Callbacks
 * may call rconn_send(), but not rconn_destroy().
 *
 * Thread-safety: the thread that runs `loop`. */
#ifndef PLURAL_NET_RCONN_H
#define PLURAL_NET_RCONN_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

struct buf;
struct loop;
struct rconn;

enum rconn_state {
    RCONN_BACKOFF,      /* Waiting before the next connection attempt. */
    RCONN_CONNECTING,   /* Connection attempt in progress. */
    RCONN_ACTIVE,       /* Connected, peer recently heard from. */
    RCONN_IDLE,         /* Connected, echo probe sent, awaiting anything. */
};

struct rconn_config {
    uint32_t backoff_min_ms;    /* 0 means the default, 1000. */
    uint32_t backoff_max_ms;    /* 0 means the default, 8000. */
    uint32_t probe_interval_ms; /* 0 disables keepalive probes. */
    bool answer_echo;           /* Reply to the peer's ECHO_REQUESTs. */
    size_t queue_limit;         /* 0 means STREAM_DEFAULT_QUEUE_LIMIT. */
};
#define RCONN_DEFAULT_BACKOFF_MIN_MS 1000
#define RCONN_DEFAULT_BACKOFF_MAX_MS 8000

struct rconn_callbacks {
    void (*on_connected)(struct rconn *, void *aux);           /* May be NULL. */
    void (*on_message)(struct rconn *, struct buf *msg, void *aux);
    void (*on_disconnected)(struct rconn *, int error, void *aux); /* May be NULL. */
};

/* Creates an rconn to `target` and starts the first attempt.  Returns 0,
 * or -EINVAL/-EAFNOSUPPORT for a bad target (with *errp, see stream.h).
 * `cfg` may be NULL for the defaults; `cbs` must outlive the rconn. */
int rconn_create(struct loop *, const char *target,
                 const struct rconn_config *cfg,
                 const struct rconn_callbacks *cbs, void *aux,
                 struct rconn **rconnp, char **errp);
/* Disconnects and frees.  Accepts NULL. */
void rconn_destroy(struct rconn *);

/* Sends one message (ownership taken).  0, -ENOTCONN (not connected:
 * dropped), -ENOBUFS (send queue full: dropped). */
int rconn_send(struct rconn *, struct buf *msg);
/* The same for bytes the caller keeps (of_conn_send_data()). */
int rconn_send_data(struct rconn *, const void *data, size_t n);
/* Drops the current connection (if any) and reconnects at once, resetting
 * the back-off. */
void rconn_reconnect(struct rconn *);

/* Drops the current connection (if any) as a failure: on_disconnected is
 * called with `error`, the back-off grows as after a failed attempt and
 * the next attempt waits for it.  For an owner that refuses the peer it
 * reached (e.g. the wrong certificate identity); may be called from the
 * rconn's own callbacks.  `reason` (may be NULL) is the status text. */
void rconn_disconnect(struct rconn *, int error, const char *reason);

bool rconn_is_connected(const struct rconn *);
/* The connected stream (valid while connected: until the next
 * disconnection or rconn_destroy()), e.g. for the TLS peer's certificate
 * (stream-ssl.h); NULL when not connected. */
struct stream *rconn_stream(const struct rconn *);
enum rconn_state rconn_get_state(const struct rconn *);
const char *rconn_state_name(enum rconn_state);
const char *rconn_target(const struct rconn *);

/* For `show` commands. */
struct rconn_status {
    const char *target;
    enum rconn_state state;
    bool connected;
    uint32_t backoff_ms;        /* Current back-off. */
    int last_error;             /* 0 or -errno of the last failure. */
    const char *last_error_text;/* "" if none; e.g. "connection refused",
                                 * "closed by peer", "inactivity probe
                                 * timeout".  Valid until the next call. */
    uint64_t connected_s;       /* Seconds in the current connection. */
    uint64_t n_attempts;        /* Connection attempts so far. */
    uint64_t n_connects;        /* Successful connections so far. */
    uint64_t rx_msgs, tx_msgs;  /* Over all connections. */
    uint64_t queued_bytes;
};
void rconn_get_status(const struct rconn *, struct rconn_status *);
/* The status as a JSON object {"target","state","connected","backoff_ms",
 * "last_error","connected_s","attempts","connects","rx_msgs","tx_msgs",
 * "queued_bytes"} (a new reference). */
json_t *rconn_status_to_json(const struct rconn_status *);

#endif
