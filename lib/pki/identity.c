/* identity — CN and slice of a certificate (see identity.h). */
#include "pki/identity.h"

#include <errno.h>
#include <string.h>

#include <openssl/x509v3.h>

/* Copies the first `nid` entry of `name` into buf if it is a valid name.
 * 0, -ENOENT (no entry), -EINVAL (not a valid name). */
static int
name_entry(const X509_NAME *name, int nid, char *buf, size_t size)
{
    int i = X509_NAME_get_index_by_NID(name, nid, -1);
    if (i < 0) {
        return -ENOENT;
    }
    const ASN1_STRING *s = X509_NAME_ENTRY_get_data(
        X509_NAME_get_entry(name, i));
    int len = ASN1_STRING_length(s);
    if (len <= 0 || (size_t) len >= size) {
        return -EINVAL;
    }
    memcpy(buf, ASN1_STRING_get0_data(s), len);
    buf[len] = '\0';
    return pki_name_is_valid(buf) ? 0 : -EINVAL;
}

/* The slice from a "urn:plural:slice:" URI in the subjectAltName.
 * 0, -ENOENT (none), -EINVAL (a malformed one). */
static int
san_slice(X509 *cert, char *buf, size_t size)
{
    GENERAL_NAMES *names = X509_get_ext_d2i(cert, NID_subject_alt_name,
                                            NULL, NULL);
    int error = -ENOENT;
    size_t prefix_len = strlen(PKI_SLICE_URI_PREFIX);
    for (int i = 0; i < sk_GENERAL_NAME_num(names) && error == -ENOENT; i++) {
        const GENERAL_NAME *gn = sk_GENERAL_NAME_value(names, i);
        if (gn->type != GEN_URI) {
            continue;
        }
        const ASN1_STRING *s = gn->d.uniformResourceIdentifier;
        size_t len = ASN1_STRING_length(s);
        const char *p = (const char *) ASN1_STRING_get0_data(s);
        if (len <= prefix_len || memcmp(p, PKI_SLICE_URI_PREFIX, prefix_len)) {
            continue;
        }
        len -= prefix_len;
        if (len >= size || memchr(p + prefix_len, '\0', len)) {
            error = -EINVAL;
            break;
        }
        memcpy(buf, p + prefix_len, len);
        buf[len] = '\0';
        error = pki_name_is_valid(buf) ? 0 : -EINVAL;
    }
    GENERAL_NAMES_free(names);
    return error;
}

int
pki_identity_from_x509(X509 *cert, struct pki_identity *id)
{
    memset(id, 0, sizeof *id);
    const X509_NAME *subject = X509_get_subject_name(cert);
    if (name_entry(subject, NID_commonName, id->cn, sizeof id->cn)) {
        memset(id, 0, sizeof *id);
        return -EINVAL;
    }
    int error = san_slice(cert, id->slice, sizeof id->slice);
    if (error == -ENOENT) {
        error = name_entry(subject, NID_organizationalUnitName, id->slice,
                           sizeof id->slice);
        if (error == -ENOENT) {
            id->slice[0] = '\0';
            error = 0;
        }
    }
    if (error) {
        memset(id, 0, sizeof *id);
    }
    return error;
}

int
pki_identity_from_ssl(const SSL *ssl, struct pki_identity *id)
{
    memset(id, 0, sizeof *id);
    X509 *cert = SSL_get1_peer_certificate(ssl);
    if (!cert) {
        return -ENOTCONN;
    }
    int error = SSL_get_verify_result(ssl) == X509_V_OK
                ? pki_identity_from_x509(cert, id) : -EACCES;
    X509_free(cert);
    return error;
}
