/* peer-identity — see peer-identity.h. */
#include "pki/peer-identity.h"

#include <errno.h>
#include <string.h>

#include "net/stream-ssl.h"
#include "net/stream.h"

int
pki_stream_peer_identity(struct stream *stream, struct pki_identity *id)
{
    memset(id, 0, sizeof *id);
    int error;
    X509 *cert = stream_ssl_peer_certificate(stream, &error);
    if (!cert && error == -EAGAIN) {
        /* Drive the handshake as far as it goes without blocking. */
        error = stream_connect(stream);
        if (error) {
            return error == -EAGAIN ? -EAGAIN : -ENOTCONN;
        }
        cert = stream_ssl_peer_certificate(stream, &error);
    }
    if (!cert) {
        return error;
    }
    error = pki_identity_from_x509(cert, id);
    X509_free(cert);
    return error;
}
