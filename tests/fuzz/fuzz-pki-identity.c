/* fuzz-pki-identity — libFuzzer target for reading a plural identity (CN,
 * slice from the subjectAltName URI or OU) out of a certificate (lib/pki
 * identity.h).  The input is a DER certificate as a peer would present it
 * (OpenSSL parses the DER; this exercises plural's code on what it gives).
 *
 * Checks: an identity that is returned is made of valid names (1-64 of
 * [A-Za-z0-9._-]; the slice may be empty) — else abort(). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/x509.h>
#include "pki/identity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const unsigned char *p = data;
    X509 *cert = d2i_X509(NULL, &p, (long) size);
    if (!cert) {
        return 0;
    }
    struct pki_identity id;
    if (!pki_identity_from_x509(cert, &id)) {
        if (!pki_name_is_valid(id.cn)
            || (id.slice[0] && !pki_name_is_valid(id.slice))) {
            abort();
        }
    } else if (id.cn[0] || id.slice[0]) {
        abort();                /* A failure leaves the identity empty. */
    }
    X509_free(cert);
    return 0;
}
