/* identity — who a certificate says its holder is (see pki.h).
 *
 * A plural identity is the certificate's subject CN (the NAME given to
 * `plural pki req+sign`) and, optionally, the slice it speaks for: the
 * subjectAltName URI "urn:plural:slice:SLICE", or if the certificate has no
 * such URI, its subject OU.  Both are 1-64 characters of [A-Za-z0-9._-];
 * a certificate whose CN or slice has any other character (or none) has no
 * valid identity (-EINVAL), so a name can be compared with strcmp() and
 * printed without quoting.
 *
 * These functions read a certificate; they do not check its chain.  Use
 * them on a peer certificate only after the TLS handshake verified it
 * (pki_identity_from_ssl() checks SSL_get_verify_result() for that).
 *
 * Thread-safety: pure functions of their arguments. */
#ifndef PLURAL_PKI_IDENTITY_H
#define PLURAL_PKI_IDENTITY_H 1

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "pki/pki.h"

#define PKI_SLICE_URI_PREFIX "urn:plural:slice:"

struct pki_identity {
    char cn[PKI_NAME_MAX + 1];
    char slice[PKI_NAME_MAX + 1];       /* "" if the certificate names none. */
};

/* Fills *id from `cert`.  0, or -EINVAL (no CN, or a CN/slice that is not
 * a valid name). */
int pki_identity_from_x509(X509 *cert, struct pki_identity *id);

/* The identity of the peer of an established TLS connection.  0, -ENOTCONN
 * (no peer certificate: handshake not done), -EACCES (the certificate did
 * not verify), -EINVAL (as above). */
int pki_identity_from_ssl(const SSL *ssl, struct pki_identity *id);

#endif
