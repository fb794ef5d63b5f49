/* peer-identity — see peer-identity.h. */
#include "pki/peer-identity.h"

#include <errno.h>
#include <string.h>

#include "net/stream-provider.h"
#include "net/stream.h"

/* The head of lib/net/stream-ssl.c's `struct ssl_stream` (see the note in
 * peer-identity.h). */
struct ssl_stream_head {
    struct stream up;
    SSL_CTX *ctx;
    SSL *ssl;
};

int
pki_stream_peer_identity(struct stream *stream, struct pki_identity *id)
{
    memset(id, 0, sizeof *id);
    if (stream->class != &ssl_stream_class) {
        return -ENOTSUP;
    }
    int error = stream_connect(stream);
    if (error) {
        return error == -EAGAIN ? -EAGAIN : -ENOTCONN;
    }
    const struct ssl_stream_head *s = CONTAINER_OF(stream,
                                                   struct ssl_stream_head, up);
    BUG_ON(!s->ssl || SSL_get_fd(s->ssl) != stream_fd(stream)
           || SSL_get_SSL_CTX(s->ssl) != s->ctx);
    return pki_identity_from_ssl(s->ssl, id);
}
