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
 * daemon that hands the stream to of_conn_create() keeps its own pointer
 * to the stream (valid until of_conn_destroy()) and may call this from the
 * first on_message callback, or poll stream_connect() itself.
 *
 * Returns 0 with *id filled, -EAGAIN (handshake not finished), -ENOTSUP
 * (not a TLS stream: "tcp:", "unix:" peers have no identity), -ENOTCONN
 * (no peer certificate), -EACCES (the certificate did not verify), -EINVAL
 * (no valid CN or slice in it).
 *
 * Implementation note: lib/net does not (yet) export a stream's SSL
 * object, so peer-identity.c mirrors the head of stream-ssl.c's private
 * `struct ssl_stream` and checks the mirror at run time (the SSL's fd must
 * be the stream's fd); lib/pki's test-peer-identity runs it over a real TLS
 * connection so a layout change in stream-ssl.c fails that test.  When
 * lib/net gets an accessor for the SSL or peer certificate, only
 * peer-identity.c changes.
 *
 * Thread-safety: the stream's thread. */
#ifndef PLURAL_PKI_PEER_IDENTITY_H
#define PLURAL_PKI_PEER_IDENTITY_H 1

#include "pki/identity.h"

struct stream;

int pki_stream_peer_identity(struct stream *, struct pki_identity *);

#endif
