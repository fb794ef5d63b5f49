/* of-conn — one OpenFlow connection over a stream, driven by an event loop.
 *
 * Framing: bytes from the stream are cut into whole OpenFlow messages using
 * the common 8-byte header (version, type, big-endian length at offset 2,
 * xid).  A length below 8 cannot be framed: the connection reports a framing
 * error (-EPROTO) to its owner through on_close, counts it, logs it with
 * LOG_PEER, and stops reading.  Version and type are not checked here
 * (that is lib/ofp's job), so every OpenFlow version frames the same way.
 *
 * Receiving: on_message(conn, msg, aux) is called once per message; msg is
 * a struct buf holding exactly that message, and the callback OWNS it
 * (buf_delete it, keep it, or forward it).
 *
 * Sending: of_conn_send() takes ownership of the message buf in all cases
 * and hands its bytes to the stream's bounded send queue; -ENOBUFS means the
 * peer is not reading fast enough (see of_conn_queued_bytes()), and the
 * owner decides (drop, or of_conn_destroy() the connection).  A peer that
 * reads nothing for the stream's stall timeout (stream.h) kills the stream:
 * of_conn_send() returns -ETIMEDOUT and on_close follows from the loop.
 *
 * The first whole message received marks the stream established
 * (stream_set_established(): a listener's handshake timeout no longer
 * applies).
 *
 * Closing: on_close(conn, error, aux) is called once when the connection
 * ends: error 0 = peer closed cleanly, -EPROTO = framing error, or -errno
 * from the stream.  After on_close no callback is called again; the owner
 * must still call of_conn_destroy() (from on_close is fine).  Any callback
 * may call of_conn_destroy() on its own connection.
 *
 * Auto echo: with of_conn_set_auto_echo(conn, true) an ECHO_REQUEST
 * (type 2) is answered with an ECHO_REPLY (type 3, same version, xid and
 * payload) and is still passed to on_message.
 *
 * Thread-safety: the thread that runs `loop`. */
#ifndef PLURAL_NET_OF_CONN_H
#define PLURAL_NET_OF_CONN_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct loop;
struct stream;
struct of_conn;

/* OpenFlow constants this layer needs (version-independent values). */
#define OF_HEADER_LEN        8
#define OF_VERSION_1_0       0x01
#define OFPT_ECHO_REQUEST    2
#define OFPT_ECHO_REPLY      3

struct of_conn_callbacks {
    void (*on_message)(struct of_conn *, struct buf *msg, void *aux);
    void (*on_close)(struct of_conn *, int error, void *aux);
};

/* Takes ownership of `stream` (connected or still connecting) and starts
 * reading from it.  `cbs` must outlive the connection. */
struct of_conn *of_conn_create(struct loop *, struct stream *,
                               const struct of_conn_callbacks *cbs, void *aux);
/* Closes the stream and frees.  No callback is called.  Accepts NULL. */
void of_conn_destroy(struct of_conn *);

/* Sends one OpenFlow message; always takes ownership of `msg`.
 * Returns 0, -ENOBUFS (send queue full; message dropped), -ENOTCONN (the
 * connection is closed), or a stream error (the connection closes and
 * on_close will be reported from the loop). */
int of_conn_send(struct of_conn *, struct buf *msg);
/* The same for bytes the caller keeps (copied as needed): one message or
 * several whole messages back to back, e.g. a batch the caller reuses. */
int of_conn_send_data(struct of_conn *, const void *data, size_t n);

void of_conn_set_auto_echo(struct of_conn *, bool);
void of_conn_set_queue_limit(struct of_conn *, size_t bytes);
size_t of_conn_queued_bytes(const struct of_conn *);
bool of_conn_is_connected(const struct of_conn *);
const char *of_conn_name(const struct of_conn *);
/* The connection's stream (owned by the connection; valid until
 * of_conn_destroy()), e.g. for the TLS peer's certificate
 * (stream-ssl.h).  NULL once the stream has been closed. */
struct stream *of_conn_stream(const struct of_conn *);

struct of_conn_stats {
    uint64_t rx_msgs, tx_msgs;      /* Whole messages received/accepted. */
    uint64_t rx_bytes, tx_bytes;
    uint64_t tx_dropped;            /* Refused with -ENOBUFS. */
};
void of_conn_get_stats(const struct of_conn *, struct of_conn_stats *);

/* Framing, exposed for tests and fuzzing: if `rx` starts with a whole
 * message, moves it into a new buf *msgp and returns 1; returns 0 if more
 * bytes are needed, -EPROTO if the header's length is below 8. */
int of_frame_pull(struct buf *rx, struct buf **msgp);

/* Builds an OpenFlow header-only message (8 bytes) or, with payload, a
 * longer one: helpers for echo and tests.  Returns a new buf. */
struct buf *of_msg_make(uint8_t version, uint8_t type, uint32_t xid,
                        const void *payload, size_t payload_len);

#endif
