/* stream — byte streams named like Open vSwitch's, with a bounded send queue.
 *
 * Names (what users type on command lines):
 *   active  (struct stream):  "unix:PATH"       "tcp:IP:PORT"
 *   passive (struct pstream): "punix:PATH"      "ptcp:PORT[:IP]"
 * e.g. "tcp:127.0.0.1:6653", "ptcp:6653:127.0.0.1", "ptcp:0" (any free port,
 * read it back with pstream_port()).  IPv6 literals go in brackets:
 * "tcp:[::1]:6653", "ptcp:6653:[::1]".  punix sockets are created with mode
 * 0600 (owner only).  A socket file at PATH that nobody listens on (left by
 * a crash) is replaced; if a process listens there, pstream_open() fails
 * with -EADDRINUSE (finding out costs that process one empty connection).
 *
 * Everything is non-blocking.  stream_open() starts a connect and returns at
 * once; stream_connect() reports 0 when connected, -EAGAIN while in
 * progress (wait for LOOP_WRITE on stream_fd()), or the error.
 *
 * Sending: stream_send() takes all n bytes or none.  It writes what the
 * kernel takes now and queues the rest; stream_run() flushes the queue
 * (call it when the fd is writable).  The queue is bounded
 * (stream_set_queue_limit(), default STREAM_DEFAULT_QUEUE_LIMIT bytes):
 * when the bytes would exceed the limit, stream_send() returns -ENOBUFS and
 * queues nothing.  That is the back-pressure: the owner reads
 * stream_queued_bytes() and decides whether to drop or wait.
 *
 * Memory bounds (issue 12): besides the per-stream limit, all the streams of
 * the process together queue at most stream_total_queue_limit() bytes
 * (default STREAM_DEFAULT_TOTAL_QUEUE_LIMIT): over it, a stream that already
 * has bytes queued refuses more (-ENOBUFS), so one message can always go
 * out on an idle stream.  A peer that does not read is disconnected: when a
 * send is refused and nothing of the queue has been written for
 * stream_stall_timeout_ms() (default STREAM_DEFAULT_STALL_MS), the stream
 * dies with -ETIMEDOUT (its queue is freed at once; counted in
 * stream_stalled_disconnects, logged once per stream, rate-limited).  A slow
 * but reading peer makes progress and only sees -ENOBUFS.
 *
 * Providers: each prefix is a `struct stream_class` (stream-provider.h);
 * unix and tcp share the fd-based implementation in stream-fd.c.  TLS
 * ("ssl:"/"pssl:") plugs in as another class without changing this API.
 *
 * Errors: negative errno.  Opening functions take `char **errp`: on failure
 * *errp receives a malloc'd message that names the problem (e.g.
 * "tcp:1.2.3.4: missing port (expected tcp:IP:PORT)"); pass NULL to ignore.
 *
 * Thread-safety: a stream belongs to one thread. */
#ifndef PLURAL_NET_STREAM_H
#define PLURAL_NET_STREAM_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct stream;
struct pstream;

#define STREAM_DEFAULT_QUEUE_LIMIT (1024 * 1024)
#define STREAM_DEFAULT_TOTAL_QUEUE_LIMIT (32u * 1024 * 1024)
#define STREAM_DEFAULT_STALL_MS 10000

/* Active streams. */

/* Starts connecting to `name`.  Returns 0 with *streamp set (connection may
 * still be in progress), or -EINVAL (bad name), -EAFNOSUPPORT (unknown
 * prefix), -ENAMETOOLONG (unix path), or the socket()/connect() error. */
int stream_open(const char *name, struct stream **streamp, char **errp);
/* 0 once connected, -EAGAIN while in progress, or -errno (e.g.
 * -ECONNREFUSED).  Cheap to call repeatedly. */
int stream_connect(struct stream *);
/* Reads up to n bytes.  Returns the count (> 0), 0 at end of stream,
 * -EAGAIN if nothing is available, or -errno. */
ssize_t stream_recv(struct stream *, void *data, size_t n);
/* Sends or queues all n bytes (while connecting, everything is queued and
 * goes out once connected).  Returns 0, -ENOBUFS (queue limit; nothing
 * queued), -ETIMEDOUT (the peer has not read for the stall timeout: the
 * stream is dead), the connect error, or a write error (-EPIPE, ...) after
 * which the stream is dead. */
int stream_send(struct stream *, const void *data, size_t n);
/* Flushes the send queue as far as the kernel allows.  0 (even if bytes
 * remain queued) or a write error. */
int stream_run(struct stream *);
size_t stream_queued_bytes(const struct stream *);
void stream_set_queue_limit(struct stream *, size_t bytes);
size_t stream_queue_limit(const struct stream *);
/* Events to wait for on stream_fd() given that the owner wants to receive:
 * LOOP_READ, plus LOOP_WRITE while connecting or while bytes are queued. */
unsigned int stream_wanted_events(const struct stream *);
int stream_fd(const struct stream *);
/* The owner says the peer has authenticated itself (TLS handshake done) and
 * spoken the protocol (e.g. a first whole OpenFlow message): a stream
 * accepted by a listener (listener.h) is shut down if this has not happened
 * within the listener's handshake timeout. */
void stream_set_established(struct stream *);
bool stream_is_established(const struct stream *);
/* The name it was opened with ("tcp:127.0.0.1:6653"), or for an accepted
 * stream the peer ("tcp:127.0.0.1:40312", "unix:PATH"). */
const char *stream_name(const struct stream *);
/* Closes and frees.  Queued bytes are dropped.  Accepts NULL. */
void stream_close(struct stream *);

/* Process-wide send-queue bounds (see above).  Main thread, at start-up. */
void stream_set_total_queue_limit(size_t bytes);
size_t stream_total_queue_limit(void);
size_t stream_total_queued_bytes(void);
void stream_set_stall_timeout_ms(uint32_t ms);
uint32_t stream_stall_timeout_ms(void);

/* Passive streams. */

/* Listens on `name`.  Returns 0, -EINVAL (bad name), -EAFNOSUPPORT,
 * -EADDRINUSE, -EACCES, ... */
int pstream_open(const char *name, struct pstream **pstreamp, char **errp);
/* Accepts one connection: 0 with *streamp set, -EAGAIN if none is
 * pending, or -errno. */
int pstream_accept(struct pstream *, struct stream **streamp);
int pstream_fd(const struct pstream *);
const char *pstream_name(const struct pstream *);
/* The bound TCP port (useful after "ptcp:0"); 0 for unix. */
uint16_t pstream_port(const struct pstream *);
/* Stops listening, removes a punix socket file.  Accepts NULL. */
void pstream_close(struct pstream *);

/* Checks a name without opening anything: 0, -EINVAL or -EAFNOSUPPORT
 * with *errp as for stream_open().  `passive` selects punix/ptcp syntax. */
int stream_verify_name(const char *name, bool passive, char **errp);

#endif
