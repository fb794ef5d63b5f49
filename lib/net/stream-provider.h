/* stream-provider — the vtable behind stream.h (for stream implementors only).
 *
 * A provider embeds `struct stream` (or `struct pstream`) as its first
 * member and fills a `struct stream_class`.  The generic layer (stream.c)
 * owns name parsing dispatch, the bounded send queue and the name strings;
 * a provider only moves bytes:
 *
 *   verify(name, suffix, errp)          parse the name, open nothing
 *   open(name, suffix, &stream, errp)   suffix is the text after "prefix:"
 *   connect(stream)    finish a connect/handshake: 0, -EAGAIN, -errno
 *   recv(stream, p, n) > 0, 0 at EOF, -EAGAIN, -errno
 *   send(stream, p, n) bytes taken now (>= 0; 0 or -EAGAIN if none), -errno
 *   wanted_events(stream, base)  optional: events a provider needs beyond
 *                      `base` (TLS may need LOOP_READ to make send progress)
 *   close(stream)      free the provider's part (the generic layer frees
 *                      the queue and name after)
 *
 * Passive classes mirror this with listen/accept/close.  To add a provider
 * (e.g. ssl/pssl) write stream-ssl.c and add its class to the tables in
 * stream.c. */
#ifndef PLURAL_NET_STREAM_PROVIDER_H
#define PLURAL_NET_STREAM_PROVIDER_H 1

#include <sys/socket.h>

#include "net/stream.h"
#include "util/buf.h"
#include "util/util.h"

struct stream_class;
struct pstream_class;

struct stream {
    const struct stream_class *class;
    char *name;
    int fd;
    int connect_error;      /* 0 connected, -EAGAIN in progress, or -errno. */
    int send_error;         /* 0, or the write error that killed it. */
    struct buf queue;       /* Bytes accepted by stream_send() not yet sent. */
    size_t queue_limit;
    uint64_t progress_ms;   /* Last time the queue was empty or drained. */
    bool established;       /* stream_set_established() was called. */
    /* Called by stream_close() before anything is freed (listener.c counts
     * its connections and cancels their handshake timers with it). */
    void (*close_hook)(struct stream *, void *aux);
    void *close_hook_aux;
};

struct stream_class {
    const char *prefix;     /* "tcp", "unix", ... (without the colon). */
    /* Parses the name only: 0 or -EINVAL/-ENAMETOOLONG with *errp. */
    int (*verify)(const char *name, const char *suffix, char **errp);
    int (*open)(const char *name, const char *suffix, struct stream **,
                char **errp);
    int (*connect)(struct stream *);
    ssize_t (*recv)(struct stream *, void *, size_t);
    ssize_t (*send)(struct stream *, const void *, size_t);
    unsigned int (*wanted_events)(const struct stream *, unsigned int base);
    void (*close)(struct stream *);
};

struct pstream {
    const struct pstream_class *class;
    char *name;
    int fd;
    uint16_t port;          /* Bound TCP port, 0 for unix. */
};

struct pstream_class {
    const char *prefix;     /* "ptcp", "punix", ... */
    int (*verify)(const char *name, const char *suffix, char **errp);
    int (*listen)(const char *name, const char *suffix, struct pstream **,
                  char **errp);
    int (*accept)(struct pstream *, struct stream **);
    void (*close)(struct pstream *);
};

/* For providers: initialise the generic part of a new stream. `fd` may be
 * -1; connect_error is 0 or -EAGAIN.  `name` is copied. */
void stream_init(struct stream *, const struct stream_class *,
                 const char *name, int fd, int connect_error);
void pstream_init(struct pstream *, const struct pstream_class *,
                  const char *name, int fd, uint16_t port);

/* The providers in this folder. */
extern const struct stream_class tcp_stream_class, unix_stream_class,
    ssl_stream_class;
extern const struct pstream_class ptcp_pstream_class, punix_pstream_class,
    pssl_pstream_class;

/* Socket helpers shared by the tcp, unix and ssl providers (stream-fd.c).
 * All sockets are non-blocking and close-on-exec; TCP ones TCP_NODELAY. */
struct sockaddr;
struct sockaddr_storage;
/* "PREFIX:IP:PORT" and "PPREFIX:PORT[:IP]" name suffixes. */
int stream_parse_tcp_active(const char *name, const char *suffix,
                            struct sockaddr_storage *, char **errp);
int stream_parse_tcp_passive(const char *name, const char *suffix,
                             struct sockaddr_storage *, char **errp);
/* New socket connecting to sa: 0 connected, -EAGAIN in progress (*fdp set
 * in both cases), or -errno with *errp. */
int stream_socket_connect(const char *name, const struct sockaddr *sa,
                          socklen_t len, int *fdp, char **errp);
/* Without waiting: 0 connected, -EAGAIN in progress, -errno failed. */
int stream_socket_connect_check(int fd);
int stream_tcp_listen(const char *name, const struct sockaddr_storage *,
                      int *fdp, uint16_t *portp, char **errp);
/* 0 with *fdp and the peer address, -EAGAIN, or -errno. */
int stream_socket_accept(int listen_fd, int *fdp, struct sockaddr_storage *);
/* "PREFIX:IP:PORT" of a peer (malloc'd). */
char *stream_tcp_peer_name(const char *prefix, const struct sockaddr_storage *);

/* Sets *errp (if errp) to a malloc'd message and returns `error`. */
int stream_error(char **errp, int error, const char *fmt, ...)
    PRINTF_FORMAT(3, 4);

#endif
