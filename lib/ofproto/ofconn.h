/* ofconn — one OpenFlow connection of the switch, whatever carries it: a
 * controller (struct rconn: reconnects by itself) or a management client
 * accepted on a listener (struct of_conn: gone once closed).
 *
 * What it adds on top of lib/net:
 *   - the HELLO exchange: we send HELLO (version 1) as soon as connected;
 *     the peer's HELLO fixes the version (min(1, peer's)); a peer whose
 *     HELLO offers nothing we speak gets HELLO_FAILED/INCOMPATIBLE and is
 *     closed; a first message other than HELLO counts as an implicit
 *     HELLO of its version;
 *   - what "connected" means for a controller (ofconn_is_connected()):
 *     the transport is up, no disconnect is pending, and the HELLO
 *     exchange is done (the peer's HELLO, or a first message standing for
 *     it, fixed the version).  A peer that accepts TCP but never speaks
 *     OpenFlow is not a controller: the fail mode stays in force, and the
 *     rconn's inactivity probe (an ECHO_REQUEST after
 *     OFPROTO_PROBE_INTERVAL_MS of silence, disconnect after as long
 *     again) drops it and a controller that stops answering.  Reaching
 *     and leaving that state calls ofproto_controllers_changed();
 *   - per-connection state: miss_send_len (SET_CONFIG; the fragment flags
 *     are switch-wide);
 *   - the garbage policy: every error reply is counted; more than
 *     OFPROTO_GARBAGE_MAX within OFPROTO_GARBAGE_WINDOW_MS, or a framing
 *     error, disconnects the peer (deferred to a zero-delay timer, so a
 *     handler never frees the connection it is running for);
 *   - counters for `show` (per connection) and global ofp_* counters.
 *
 * Management connections are freed when closed; controller connections
 * live as long as the ofproto (they reconnect).
 * Thread-safety: the ofproto's loop thread only. */
#ifndef PLURAL_OFPROTO_OFCONN_H
#define PLURAL_OFPROTO_OFCONN_H 1

#include <stdbool.h>
#include <stdint.h>
#include "ofp/ofp-msgs.h"
#include "util/list.h"

struct buf;
struct of_conn;
struct ofproto;
struct rconn;
struct stream;

enum ofconn_kind {
    OFCONN_CONTROLLER,      /* Receives asynchronous messages. */
    OFCONN_MGMT,            /* Requests and replies only. */
};

struct ofconn {
    struct list node;               /* In ofproto's controllers or mgmt. */
    struct ofproto *ofproto;
    enum ofconn_kind kind;
    struct rconn *rconn;            /* OFCONN_CONTROLLER. */
    struct of_conn *conn;           /* OFCONN_MGMT. */
    char *name;

    bool hello_received;            /* Version negotiated. */
    bool dead;                      /* Disconnect pending. */
    uint64_t close_timer;
    uint16_t miss_send_len;

    uint64_t garbage_window_start_ms;
    unsigned int garbage_in_window;

    uint64_t n_rx, n_tx, n_errors_sent, n_disconnects_garbage;
};

/* Controller connections: the rconn is created by ofconn_create_controller
 * and reconnects on its own.  0 or -EINVAL with *errp. */
int ofconn_create_controller(struct ofproto *, const char *target,
                             struct ofconn **, char **errp);
/* Management connection over an accepted stream (ownership taken). */
struct ofconn *ofconn_create_mgmt(struct ofproto *, struct stream *);
/* Closes and frees.  Accepts NULL. */
void ofconn_destroy(struct ofconn *);

/* Controller: the OpenFlow session is up (see above).  Management
 * connection: the stream is open. */
bool ofconn_is_connected(const struct ofconn *);
/* Whether this connection should get asynchronous messages now. */
bool ofconn_wants_async(const struct ofconn *);

/* Encodes and sends; takes nothing (msg stays the caller's).  Returns 0 or
 * the send error (the message is dropped, e.g. queue full). */
int ofconn_send(struct ofconn *, const struct ofp_msg *);
/* Sends OFPT_ERROR for the request `raw` and applies the garbage policy. */
void ofconn_send_error(struct ofconn *, struct ofp_error,
                       const void *raw, size_t len);

/* Text / JSON for `show`. */
void ofconn_format(const struct ofconn *, struct buf *out);

#endif
