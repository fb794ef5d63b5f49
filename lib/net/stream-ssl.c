/* stream-ssl — the ssl/pssl providers (see stream-ssl.h).
 *
 * An ssl stream is a TCP socket plus an OpenSSL `SSL`.  The generic layer's
 * "connecting" state (connect_error == -EAGAIN) covers both the TCP connect
 * and the TLS handshake.  OpenSSL may need the socket readable to make a
 * write progress or vice versa; `want_write` remembers that the last
 * operation wanted LOOP_WRITE, and wanted_events() reports it.
 *
 * Reads: OpenSSL reads one TLS record (<= 16 KB of plaintext) per SSL_read.
 * ssl_recv() keeps reading while at least a whole record fits, so a record
 * is never left half-consumed inside OpenSSL where epoll cannot see it;
 * callers should therefore read with buffers of 16 KB or more (of-conn
 * reads 64 KB).
 *
 * Writes: SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER and partial writes let the
 * generic send queue retry a write from its (possibly moved) buffer. */
#include "net/stream-ssl.h"
#include "net/stream-provider.h"

#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "net/event-loop.h"
#include "util/log.h"

LOG_MODULE(stream_ssl);

#define MAX_RECORD 16384

static SSL_CTX *configured_ctx;     /* NULL until stream_ssl_configure(). */

struct ssl_stream {
    struct stream up;
    SSL_CTX *ctx;                   /* A reference. */
    SSL *ssl;
    bool tcp_connecting;
    bool want_write;                /* Last SSL call wanted LOOP_WRITE. */
};

struct ssl_pstream {
    struct pstream up;
    SSL_CTX *ctx;                   /* A reference. */
};

static struct ssl_stream *
ssl_stream_cast(const struct stream *s)
{
    return CONTAINER_OF(s, struct ssl_stream, up);
}

/* The oldest queued OpenSSL error as text ("no error" if none). */
static const char *
ssl_error_text(char *buf, size_t size)
{
    unsigned long e = ERR_get_error();
    if (!e) {
        snprintf(buf, size, "no OpenSSL error");
    } else {
        ERR_error_string_n(e, buf, size);
    }
    ERR_clear_error();
    return buf;
}

/* Configuration. */

static int
config_error(char **errp, SSL_CTX *ctx, const char *what, const char *file)
{
    char text[256];
    unsigned long e = ERR_peek_error();
    int error = ERR_GET_REASON(e) == ERR_R_SYS_LIB
                || ERR_GET_LIB(e) == ERR_LIB_SYS ? -ENOENT : -EINVAL;
    if (access(file, R_OK) < 0) {
        error = -errno;
    }
    stream_error(errp, error, "%s %s: %s", what, file,
                 ssl_error_text(text, sizeof text));
    SSL_CTX_free(ctx);
    return error;
}

int
stream_ssl_configure(const char *key_file, const char *cert_file,
                     const char *ca_file, char **errp)
{
    ERR_clear_error();
    SSL_CTX *ctx = SSL_CTX_new(TLS_method());
    if (!ctx) {
        char text[256];
        return stream_error(errp, -EINVAL, "SSL_CTX_new: %s",
                            ssl_error_text(text, sizeof text));
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE
                     | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (SSL_CTX_use_certificate_chain_file(ctx, cert_file) != 1) {
        return config_error(errp, ctx, "certificate", cert_file);
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, key_file, SSL_FILETYPE_PEM) != 1) {
        return config_error(errp, ctx, "private key", key_file);
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
        return config_error(errp, ctx, "private key does not match", cert_file);
    }
    if (SSL_CTX_load_verify_locations(ctx, ca_file, NULL) != 1) {
        return config_error(errp, ctx, "CA certificate", ca_file);
    }
    STACK_OF(X509_NAME) *ca_names = SSL_load_client_CA_file(ca_file);
    if (ca_names) {
        SSL_CTX_set_client_CA_list(ctx, ca_names);
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                       NULL);

    struct sigaction old;
    if (!sigaction(SIGPIPE, NULL, &old) && old.sa_handler == SIG_DFL) {
        signal(SIGPIPE, SIG_IGN);
    }
    SSL_CTX_free(configured_ctx);
    configured_ctx = ctx;
    return 0;
}

bool stream_ssl_is_configured(void) { return configured_ctx != NULL; }

void
stream_ssl_unconfigure(void)
{
    SSL_CTX_free(configured_ctx);
    configured_ctx = NULL;
}

static int
need_config(const char *name, char **errp)
{
    return configured_ctx ? 0 : stream_error(
        errp, -ENOPROTOOPT, "%s: TLS is not configured (a private key, "
        "certificate and CA certificate are needed)", name);
}

/* Streams. */

static struct stream *
ssl_stream_new(const struct stream_class *class, const char *name, int fd,
               SSL_CTX *ctx, bool server, bool tcp_connecting)
{
    struct ssl_stream *s = xzalloc(sizeof *s);
    stream_init(&s->up, class, name, fd, -EAGAIN);
    SSL_CTX_up_ref(ctx);
    s->ctx = ctx;
    s->ssl = SSL_new(ctx);
    BUG_ON(!s->ssl);
    SSL_set_fd(s->ssl, fd);
    if (server) {
        SSL_set_accept_state(s->ssl);
    } else {
        SSL_set_connect_state(s->ssl);
    }
    s->tcp_connecting = tcp_connecting;
    return &s->up;
}

static int
verify_ssl(const char *name, const char *suffix, char **errp)
{
    struct sockaddr_storage ss;
    return stream_parse_tcp_active(name, suffix, &ss, errp);
}

static int
verify_pssl(const char *name, const char *suffix, char **errp)
{
    struct sockaddr_storage ss;
    return stream_parse_tcp_passive(name, suffix, &ss, errp);
}

static int
ssl_open(const char *name, const char *suffix, struct stream **streamp,
         char **errp)
{
    struct sockaddr_storage ss;
    int error = stream_parse_tcp_active(name, suffix, &ss, errp);
    if (!error) {
        error = need_config(name, errp);
    }
    if (error) {
        return error;
    }
    int fd;
    error = stream_socket_connect(name, (struct sockaddr *) &ss,
                                  ss.ss_family == AF_INET
                                  ? sizeof(struct sockaddr_in)
                                  : sizeof(struct sockaddr_in6), &fd, errp);
    if (error && error != -EAGAIN) {
        return error;
    }
    *streamp = ssl_stream_new(&ssl_stream_class, name, fd, configured_ctx,
                              false, error == -EAGAIN);
    return 0;
}

/* Maps the result of an SSL call that returned r <= 0.  Returns -EAGAIN
 * (remembering the wanted direction), 0 for a clean or abrupt EOF on a
 * read, or -errno / -EPROTO. */
static int
ssl_result(struct ssl_stream *s, int r, const char *op)
{
    int e = SSL_get_error(s->ssl, r);
    char text[256];
    switch (e) {
    case SSL_ERROR_WANT_READ:
        s->want_write = false;
        return -EAGAIN;
    case SSL_ERROR_WANT_WRITE:
        s->want_write = true;
        return -EAGAIN;
    case SSL_ERROR_ZERO_RETURN:
        return 0;
    case SSL_ERROR_SYSCALL:
        if (errno && errno != EAGAIN) {
            return -errno;
        }
        /* EOF without close_notify: a peer that went away. */
        return strcmp(op, "read") ? -ECONNRESET : 0;
    default:
        LOG_PEER("%s: TLS %s failed: %s", s->up.name, op,
                 ssl_error_text(text, sizeof text));
        return -EPROTO;
    }
}

static int
ssl_connect(struct stream *s_)
{
    struct ssl_stream *s = ssl_stream_cast(s_);
    if (s->tcp_connecting) {
        int error = stream_socket_connect_check(s_->fd);
        if (error) {
            return error;
        }
        s->tcp_connecting = false;
    }
    ERR_clear_error();
    errno = 0;
    int r = SSL_do_handshake(s->ssl);
    if (r == 1) {
        s->want_write = false;
        LOG_DBG("%s: TLS handshake done (%s)", s_->name,
                SSL_get_version(s->ssl));
        return 0;
    }
    int error = ssl_result(s, r, "handshake");
    return error ? error : -ECONNRESET;
}

static ssize_t
ssl_recv(struct stream *s_, void *data, size_t n)
{
    struct ssl_stream *s = ssl_stream_cast(s_);
    size_t got = 0;
    while (n - got >= MAX_RECORD || (got == 0 && n > 0)) {
        ERR_clear_error();
        errno = 0;
        int r = SSL_read(s->ssl, (char *) data + got, (int) MIN(n - got,
                                                                 INT32_MAX));
        if (r > 0) {
            got += r;
            continue;
        }
        int error = ssl_result(s, r, "read");
        if (got) {
            break;          /* Report the bytes; the error comes again. */
        }
        return error;
    }
    return got;
}

static ssize_t
ssl_send(struct stream *s_, const void *data, size_t n)
{
    struct ssl_stream *s = ssl_stream_cast(s_);
    if (!n) {
        return 0;
    }
    ERR_clear_error();
    errno = 0;
    int r = SSL_write(s->ssl, data, (int) MIN(n, INT32_MAX));
    if (r > 0) {
        s->want_write = false;
        return r;
    }
    int error = ssl_result(s, r, "write");
    return error ? error : -ECONNRESET;
}

static unsigned int
ssl_wanted_events(const struct stream *s_, unsigned int base)
{
    const struct ssl_stream *s = ssl_stream_cast(s_);
    if (s->tcp_connecting) {
        return LOOP_WRITE;
    }
    if (s_->connect_error == -EAGAIN) {
        return s->want_write ? LOOP_WRITE : LOOP_READ;
    }
    return base | (s->want_write ? LOOP_WRITE : 0);
}

static void
ssl_close(struct stream *s_)
{
    struct ssl_stream *s = ssl_stream_cast(s_);
    if (s_->connect_error == 0) {
        SSL_shutdown(s->ssl);       /* Best effort close_notify. */
    }
    SSL_free(s->ssl);
    SSL_CTX_free(s->ctx);
    ERR_clear_error();
    close(s_->fd);
    free(s);
}

X509 *
stream_ssl_peer_certificate(const struct stream *stream, int *errorp)
{
    if (stream->class != &ssl_stream_class) {
        *errorp = -ENOTSUP;
        return NULL;
    }
    const struct ssl_stream *s = ssl_stream_cast(stream);
    if (s->tcp_connecting || !SSL_is_init_finished(s->ssl)) {
        *errorp = -EAGAIN;
        return NULL;
    }
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
    X509 *cert = SSL_get1_peer_certificate(s->ssl);
#else
    X509 *cert = SSL_get_peer_certificate(s->ssl);
#endif
    if (!cert) {
        *errorp = -ENOTCONN;
        return NULL;
    }
    if (SSL_get_verify_result(s->ssl) != X509_V_OK) {
        X509_free(cert);
        *errorp = -EACCES;
        return NULL;
    }
    *errorp = 0;
    return cert;
}

const struct stream_class ssl_stream_class = {
    "ssl", verify_ssl, ssl_open, ssl_connect, ssl_recv, ssl_send,
    ssl_wanted_events, ssl_close,
};

/* Listeners. */

static int
pssl_listen(const char *name, const char *suffix, struct pstream **pstreamp,
            char **errp)
{
    struct sockaddr_storage ss;
    int error = stream_parse_tcp_passive(name, suffix, &ss, errp);
    if (!error) {
        error = need_config(name, errp);
    }
    int fd;
    uint16_t port;
    if (!error) {
        error = stream_tcp_listen(name, &ss, &fd, &port, errp);
    }
    if (error) {
        return error;
    }
    struct ssl_pstream *p = xzalloc(sizeof *p);
    pstream_init(&p->up, &pssl_pstream_class, name, fd, port);
    SSL_CTX_up_ref(configured_ctx);
    p->ctx = configured_ctx;
    *pstreamp = &p->up;
    return 0;
}

static int
pssl_accept(struct pstream *p_, struct stream **streamp)
{
    struct ssl_pstream *p = CONTAINER_OF(p_, struct ssl_pstream, up);
    struct sockaddr_storage ss;
    int fd;
    int error = stream_socket_accept(p_->fd, &fd, &ss);
    if (error) {
        return error;
    }
    char *name = stream_tcp_peer_name("ssl", &ss);
    *streamp = ssl_stream_new(&ssl_stream_class, name, fd, p->ctx, true,
                              false);
    free(name);
    return 0;
}

static void
pssl_close(struct pstream *p_)
{
    struct ssl_pstream *p = CONTAINER_OF(p_, struct ssl_pstream, up);
    close(p_->fd);
    SSL_CTX_free(p->ctx);
    free(p);
}

const struct pstream_class pssl_pstream_class = {
    "pssl", verify_pssl, pssl_listen, pssl_accept, pssl_close,
};
