/* stream-ssl — TLS streams ("ssl:IP:PORT", "pssl:PORT[:IP]") over OpenSSL.
 *
 * The TLS provider of stream.h: once configured, "ssl:" and "pssl:" names
 * work everywhere a stream name is accepted (rconn targets, listeners),
 * with the same non-blocking API; the TLS handshake is part of
 * stream_connect() (-EAGAIN until it completes, -EPROTO if it fails).
 *
 * Authentication is always mutual, as in Open vSwitch: each side presents
 * its certificate and requires the peer's certificate to chain to the
 * configured CA certificate (no host name check: the CA is the trust
 * boundary).  TLS 1.2 is the minimum version.
 *
 * Configuration is process-wide and taken when a stream or listener is
 * opened: a later stream_ssl_configure() affects only streams opened
 * after it (a listener keeps the configuration it was opened with, and
 * gives it to the streams it accepts).
 *
 * Side effect: the first successful stream_ssl_configure() sets SIGPIPE to
 * SIG_IGN if it was SIG_DFL, because OpenSSL writes to sockets without
 * MSG_NOSIGNAL (Open vSwitch does the same).
 *
 * Thread-safety: configure from one thread before opening streams; each
 * stream belongs to one thread. */
#ifndef PLURAL_NET_STREAM_SSL_H
#define PLURAL_NET_STREAM_SSL_H 1

#include <stdbool.h>
#include <openssl/x509.h>

struct stream;

/* Loads the PEM private key, certificate (chain) and CA certificate.
 * Returns 0, or -ENOENT/-EACCES (unreadable file), -EINVAL (not PEM, or the
 * key does not match the certificate) with *errp naming the file and the
 * OpenSSL reason.  On failure the previous configuration stays. */
int stream_ssl_configure(const char *private_key_file,
                         const char *certificate_file,
                         const char *ca_cert_file, char **errp);
bool stream_ssl_is_configured(void);
/* Forgets the configuration (open streams keep theirs). */
void stream_ssl_unconfigure(void);

/* The certificate the peer of a TLS stream (opened "ssl:" or accepted on
 * "pssl:") presented, once the handshake is done and the certificate
 * verified against the CA: a new reference, which the caller X509_free()s.
 * Otherwise NULL with *errorp = -ENOTSUP (not a TLS stream), -EAGAIN
 * (handshake not finished: see stream_connect()), -ENOTCONN (no peer
 * certificate), -EACCES (it did not verify).  Does no I/O.  What the
 * certificate says (CN, slice) is lib/pki's business (pki/peer-identity.h). */
X509 *stream_ssl_peer_certificate(const struct stream *, int *errorp);

#endif
