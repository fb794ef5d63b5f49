/* peer-identity — the certificate identity of the peer of a TLS stream.
 *
 * For the slicer (bind each slice to its controller's certificate) and any
 * daemon that wants to log or authorise who is on the other end of an
 * "ssl:"/"pssl:" stream (lib/net stream-ssl.h).  The TLS handshake already
 * refused a peer whose certificate does not chain to the configured CA;
 * this tells which of the CA's certificates it was (pki/identity.h: CN and
 * slice).
 *
 * Call it once stream_connect() has returned 0 (the handshake is done).  A
 * daemon gets the stream of a connection with of_conn_stream() or, for a
 * reconnecting one, rconn_stream() (from its on_connected callback, as
 * plural-slicer does), or polls stream_connect() itself.
 *
 * Returns 0 with *id filled, -EAGAIN (handshake not finished), -ENOTSUP
 * (not a TLS stream: "tcp:", "unix:" peers have no identity), -ENOTCONN
 * (no peer certificate), -EACCES (the certificate did not verify), -EINVAL
 * (no valid CN or slice in it).
 *
 * The certificate comes from lib/net (stream_ssl_peer_certificate()), which
 * returns it only once the handshake verified it against the CA.
 *
 * Thread-safety: the stream's thread. */
#ifndef PLURAL_PKI_PEER_IDENTITY_H
#define PLURAL_PKI_PEER_IDENTITY_H 1

#include "pki/identity.h"

struct stream;

int pki_stream_peer_identity(struct stream *, struct pki_identity *);

#endif
