/* stream-fd — the unix and tcp providers of stream.h: plain sockets.
 *
 * Both use non-blocking, close-on-exec sockets.  TCP sockets get
 * TCP_NODELAY (OpenFlow is request/response).  Names are parsed without any
 * DNS lookup (which would block): IP literals only. */
#include "net/stream-provider.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

struct fd_stream {
    struct stream up;
};

struct fd_pstream {
    struct pstream up;
    char *unix_path;        /* punix: the socket file to remove on close. */
};

/* Name parsing. */

static int
parse_port(const char *name, const char *s, bool allow_zero, uint16_t *port,
           char **errp)
{
    uint64_t v;
    if (!*s) {
        return stream_error(errp, -EINVAL, "%s: missing port", name);
    }
    if (str_to_u64(s, allow_zero ? 0 : 1, 65535, &v)) {
        return stream_error(errp, -EINVAL, "%s: bad port \"%s\" (expected "
                            "%s..65535)", name, s, allow_zero ? "0" : "1");
    }
    *port = (uint16_t) v;
    return 0;
}

/* Parses an IP literal, "1.2.3.4" or "[::1]" (or bare "::1" if
 * `bare_v6_ok`), into *ss with port 0. */
static int
parse_ip(const char *name, const char *s, bool bare_v6_ok,
         struct sockaddr_storage *ss, char **errp)
{
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *sin = (struct sockaddr_in *) ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) ss;
    char *copy = xstrdup(s);
    char *ip6 = copy;
    size_t len = strlen(copy);
    bool bracketed = len >= 2 && copy[0] == '[' && copy[len - 1] == ']';
    if (bracketed) {
        copy[len - 1] = '\0';
        ip6++;
    }
    int error = 0;
    if (!bracketed && inet_pton(AF_INET, copy, &sin->sin_addr) == 1) {
        sin->sin_family = AF_INET;
    } else if ((bracketed || bare_v6_ok)
               && inet_pton(AF_INET6, ip6, &sin6->sin6_addr) == 1) {
        sin6->sin6_family = AF_INET6;
    } else {
        error = stream_error(errp, -EINVAL, "%s: \"%s\" is not an IP address "
                             "(host names are not resolved; IPv6 goes in "
                             "brackets)", name, s);
    }
    free(copy);
    return error;
}

static void
set_port(struct sockaddr_storage *ss, uint16_t port)
{
    if (ss->ss_family == AF_INET) {
        ((struct sockaddr_in *) ss)->sin_port = htons(port);
    } else {
        ((struct sockaddr_in6 *) ss)->sin6_port = htons(port);
    }
}

static socklen_t
ss_len(const struct sockaddr_storage *ss)
{
    return ss->ss_family == AF_INET ? sizeof(struct sockaddr_in)
                                    : sizeof(struct sockaddr_in6);
}

/* "tcp:" suffix "IP:PORT" (IP may be "[v6]"). */
int
stream_parse_tcp_active(const char *name, const char *suffix,
                 struct sockaddr_storage *ss, char **errp)
{
    const char *colon = strrchr(suffix, ':');
    const char *bracket = strrchr(suffix, ']');
    if (!colon || (bracket && colon < bracket)) {
        return stream_error(errp, -EINVAL, "%s: missing port (expected "
                            "%.*s:IP:PORT)", name,
                            (int) (suffix - name - 1), name);
    }
    char *ip = xstrndup(suffix, colon - suffix);
    uint16_t port = 0;
    int error = parse_port(name, colon + 1, false, &port, errp);
    if (!error) {
        error = parse_ip(name, ip, false, ss, errp);
    }
    if (!error) {
        set_port(ss, port);
    }
    free(ip);
    return error;
}

/* "ptcp:" suffix "PORT[:IP]"; IP defaults to 0.0.0.0. */
int
stream_parse_tcp_passive(const char *name, const char *suffix,
                  struct sockaddr_storage *ss, char **errp)
{
    const char *colon = strchr(suffix, ':');
    char *port_s = colon ? xstrndup(suffix, colon - suffix) : xstrdup(suffix);
    uint16_t port = 0;
    int error = parse_port(name, port_s, true, &port, errp);
    free(port_s);
    if (error) {
        return error;
    }
    error = parse_ip(name, colon ? colon + 1 : "0.0.0.0", true, ss, errp);
    if (!error) {
        set_port(ss, port);
    }
    return error;
}

static int
parse_unix(const char *name, const char *path, struct sockaddr_un *sun,
           char **errp)
{
    memset(sun, 0, sizeof *sun);
    sun->sun_family = AF_UNIX;
    if (!*path) {
        return stream_error(errp, -EINVAL, "%s: missing socket path", name);
    }
    if (strlen(path) >= sizeof sun->sun_path) {
        return stream_error(errp, -ENAMETOOLONG, "%s: socket path longer "
                            "than %zu bytes", name, sizeof sun->sun_path - 1);
    }
    strcpy(sun->sun_path, path);
    return 0;
}

static int
verify_tcp(const char *name, const char *suffix, char **errp)
{
    struct sockaddr_storage ss;
    return stream_parse_tcp_active(name, suffix, &ss, errp);
}

static int
verify_ptcp(const char *name, const char *suffix, char **errp)
{
    struct sockaddr_storage ss;
    return stream_parse_tcp_passive(name, suffix, &ss, errp);
}

static int
verify_unix(const char *name, const char *suffix, char **errp)
{
    struct sockaddr_un sun;
    return parse_unix(name, suffix, &sun, errp);
}

/* Active streams. */

static void
set_nodelay(int fd)
{
    int on = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

static struct stream *
fd_stream_new(const struct stream_class *class, const char *name, int fd,
              int connect_error)
{
    struct fd_stream *s = xzalloc(sizeof *s);
    stream_init(&s->up, class, name, fd, connect_error);
    return &s->up;
}

int
stream_socket_connect(const char *name, const struct sockaddr *sa,
                      socklen_t len, int *fdp, char **errp)
{
    *fdp = -1;
    int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                    0);
    if (fd < 0) {
        return stream_error(errp, -errno, "%s: socket: %s", name,
                            strerror(errno));
    }
    if (sa->sa_family != AF_UNIX) {
        set_nodelay(fd);
    }
    if (connect(fd, sa, len) < 0) {
        int e = errno;
        if (e != EINPROGRESS) {
            close(fd);
            /* A unix listener with a full backlog says EAGAIN. */
            e = e == EAGAIN ? ECONNREFUSED : e;
            return stream_error(errp, -e, "%s: connect: %s", name,
                                strerror(e));
        }
        *fdp = fd;
        return -EAGAIN;
    }
    *fdp = fd;
    return 0;
}

/* Starts a non-blocking connect of a new socket to `sa`. */
static int
start_connect(const char *name, const struct sockaddr *sa, socklen_t len,
              const struct stream_class *class, struct stream **streamp,
              char **errp)
{
    int fd;
    int error = stream_socket_connect(name, sa, len, &fd, errp);
    if (error && error != -EAGAIN) {
        return error;
    }
    *streamp = fd_stream_new(class, name, fd, error);
    return 0;
}

static int
tcp_open(const char *name, const char *suffix, struct stream **streamp,
         char **errp)
{
    struct sockaddr_storage ss;
    int error = stream_parse_tcp_active(name, suffix, &ss, errp);
    return error ? error : start_connect(name, (struct sockaddr *) &ss,
                                         ss_len(&ss), &tcp_stream_class,
                                         streamp, errp);
}

static int
unix_open(const char *name, const char *suffix, struct stream **streamp,
          char **errp)
{
    struct sockaddr_un sun;
    int error = parse_unix(name, suffix, &sun, errp);
    return error ? error : start_connect(name, (struct sockaddr *) &sun,
                                         sizeof sun, &unix_stream_class,
                                         streamp, errp);
}

int
stream_socket_connect_check(int fd)
{
    struct pollfd pfd = { .fd = fd, .events = POLLOUT };
    if (poll(&pfd, 1, 0) == 0) {
        return -EAGAIN;
    }
    int error = 0;
    socklen_t len = sizeof error;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) < 0) {
        return -errno;
    }
    return -error;
}

static int
fd_connect(struct stream *s)
{
    return stream_socket_connect_check(s->fd);
}

static ssize_t
fd_recv(struct stream *s, void *data, size_t n)
{
    ssize_t r = recv(s->fd, data, n, 0);
    return r >= 0 ? r : -errno;
}

static ssize_t
fd_send(struct stream *s, const void *data, size_t n)
{
    ssize_t r = send(s->fd, data, n, MSG_NOSIGNAL);
    return r >= 0 ? r : -errno;
}

static void
fd_close(struct stream *s)
{
    close(s->fd);
    free(CONTAINER_OF(s, struct fd_stream, up));
}

const struct stream_class tcp_stream_class = {
    "tcp", verify_tcp, tcp_open, fd_connect, fd_recv, fd_send, NULL, fd_close,
};

const struct stream_class unix_stream_class = {
    "unix", verify_unix, unix_open, fd_connect, fd_recv, fd_send, NULL,
    fd_close,
};

/* Passive streams. */

static int
listen_socket(const char *name, int fd, const struct sockaddr *sa,
              socklen_t len, const char *unix_path, char **errp)
{
    if (bind(fd, sa, len) < 0) {
        return stream_error(errp, -errno, "%s: bind: %s", name,
                            strerror(errno));
    }
    /* Owner-only before listen(): nobody can connect until listen(). */
    if (unix_path && chmod(unix_path, 0600) < 0) {
        int e = errno;
        unlink(unix_path);
        return stream_error(errp, -e, "%s: chmod: %s", name, strerror(e));
    }
    if (listen(fd, 64) < 0) {
        int e = errno;
        if (unix_path) {
            unlink(unix_path);
        }
        return stream_error(errp, -e, "%s: listen: %s", name, strerror(e));
    }
    return 0;
}

static struct pstream *
fd_pstream_new(const struct pstream_class *class, const char *name, int fd,
               uint16_t port, const char *unix_path)
{
    struct fd_pstream *p = xzalloc(sizeof *p);
    pstream_init(&p->up, class, name, fd, port);
    p->unix_path = unix_path ? xstrdup(unix_path) : NULL;
    return &p->up;
}

int
stream_tcp_listen(const char *name, const struct sockaddr_storage *ss_,
                  int *fdp, uint16_t *portp, char **errp)
{
    struct sockaddr_storage ss = *ss_;
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                    0);
    if (fd < 0) {
        return stream_error(errp, -errno, "%s: socket: %s", name,
                            strerror(errno));
    }
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    int error = listen_socket(name, fd, (struct sockaddr *) &ss, ss_len(&ss),
                              NULL, errp);
    if (error) {
        close(fd);
        return error;
    }
    socklen_t len = sizeof ss;
    getsockname(fd, (struct sockaddr *) &ss, &len);
    *portp = ntohs(ss.ss_family == AF_INET
                   ? ((struct sockaddr_in *) &ss)->sin_port
                   : ((struct sockaddr_in6 *) &ss)->sin6_port);
    *fdp = fd;
    return 0;
}

static int
ptcp_listen(const char *name, const char *suffix, struct pstream **pstreamp,
            char **errp)
{
    struct sockaddr_storage ss;
    int fd;
    uint16_t port;
    int error = stream_parse_tcp_passive(name, suffix, &ss, errp);
    if (!error) {
        error = stream_tcp_listen(name, &ss, &fd, &port, errp);
    }
    if (!error) {
        *pstreamp = fd_pstream_new(&ptcp_pstream_class, name, fd, port, NULL);
    }
    return error;
}

/* A socket file nobody listens on is stale (a crashed daemon): remove it.
 * A live one means another daemon owns the name. */
static int
remove_stale_socket(const char *name, const struct sockaddr_un *sun,
                    char **errp)
{
    struct stat st;
    if (lstat(sun->sun_path, &st) < 0) {
        return 0;
    }
    if (!S_ISSOCK(st.st_mode)) {
        return stream_error(errp, -EEXIST, "%s: exists and is not a socket",
                            name);
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return stream_error(errp, -errno, "%s: socket: %s", name,
                            strerror(errno));
    }
    int r = connect(fd, (const struct sockaddr *) sun, sizeof *sun);
    close(fd);
    if (r == 0 || errno == EAGAIN) {
        return stream_error(errp, -EADDRINUSE, "%s: another process is "
                            "listening on this socket", name);
    }
    unlink(sun->sun_path);
    return 0;
}

static int
punix_listen(const char *name, const char *suffix, struct pstream **pstreamp,
             char **errp)
{
    struct sockaddr_un sun;
    int error = parse_unix(name, suffix, &sun, errp);
    if (!error) {
        error = remove_stale_socket(name, &sun, errp);
    }
    if (error) {
        return error;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return stream_error(errp, -errno, "%s: socket: %s", name,
                            strerror(errno));
    }
    error = listen_socket(name, fd, (struct sockaddr *) &sun, sizeof sun,
                          sun.sun_path, errp);
    if (error) {
        close(fd);
        return error;
    }
    *pstreamp = fd_pstream_new(&punix_pstream_class, name, fd, 0,
                               sun.sun_path);
    return 0;
}

char *
stream_tcp_peer_name(const char *prefix, const struct sockaddr_storage *ss)
{
    char ip[INET6_ADDRSTRLEN] = "?";
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *) ss;
        inet_ntop(AF_INET, &sin->sin_addr, ip, sizeof ip);
        return xasprintf("%s:%s:%u", prefix, ip, ntohs(sin->sin_port));
    }
    const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *) ss;
    inet_ntop(AF_INET6, &sin6->sin6_addr, ip, sizeof ip);
    return xasprintf("%s:[%s]:%u", prefix, ip, ntohs(sin6->sin6_port));
}

int
stream_socket_accept(int listen_fd, int *fdp, struct sockaddr_storage *ss)
{
    socklen_t len = sizeof *ss;
    int fd = accept4(listen_fd, (struct sockaddr *) ss, &len,
                     SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
        return errno == EWOULDBLOCK ? -EAGAIN : -errno;
    }
    if (ss->ss_family != AF_UNIX) {
        set_nodelay(fd);
    }
    *fdp = fd;
    return 0;
}

static int
fd_accept(struct pstream *p, struct stream **streamp)
{
    struct sockaddr_storage ss;
    int fd;
    int error = stream_socket_accept(p->fd, &fd, &ss);
    if (error) {
        return error;
    }
    struct fd_pstream *fp = CONTAINER_OF(p, struct fd_pstream, up);
    char *name = fp->unix_path ? xasprintf("unix:%s", fp->unix_path)
                               : stream_tcp_peer_name("tcp", &ss);
    *streamp = fd_stream_new(fp->unix_path ? &unix_stream_class
                             : &tcp_stream_class, name, fd, 0);
    free(name);
    return 0;
}

static void
fd_pstream_close(struct pstream *p)
{
    struct fd_pstream *fp = CONTAINER_OF(p, struct fd_pstream, up);
    close(p->fd);
    if (fp->unix_path) {
        unlink(fp->unix_path);
        free(fp->unix_path);
    }
    free(fp);
}

const struct pstream_class ptcp_pstream_class = {
    "ptcp", verify_ptcp, ptcp_listen, fd_accept, fd_pstream_close,
};

const struct pstream_class punix_pstream_class = {
    "punix", verify_unix, punix_listen, fd_accept, fd_pstream_close,
};
