/* show — human-readable description of PEM files (pki_show() in pki.h).
 *
 * Walks every PEM block of the file with PEM_read_bio() and decodes it
 * according to its label; a label it does not know is named and skipped.
 * Private keys are described (type, size, public key fingerprint), never
 * printed. */
#include "pki/pki.h"

#include <errno.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "pki/identity.h"
#include "pki/pki-file.h"

static void
print_name(FILE *out, const char *label, const X509_NAME *name)
{
    BIO *bio = BIO_new(BIO_s_mem());
    X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    char *text;
    long len = BIO_get_mem_data(bio, &text);
    fprintf(out, "  %-12s %.*s\n", label, (int) len, text);
    BIO_free(bio);
}

static void
print_time(FILE *out, const char *label, const ASN1_TIME *t)
{
    BIO *bio = BIO_new(BIO_s_mem());
    ASN1_TIME_print(bio, t);
    char *text;
    long len = BIO_get_mem_data(bio, &text);
    fprintf(out, "  %-12s %.*s\n", label, (int) len, text);
    BIO_free(bio);
}

static void
print_hex(FILE *out, const char *label, const unsigned char *p, size_t n)
{
    fprintf(out, "  %-12s ", label);
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "%02X%s", p[i], i + 1 < n ? ":" : "\n");
    }
}

static void
print_key(FILE *out, EVP_PKEY *key)
{
    char group[64] = "";
    size_t len;
    if (!EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME,
                                        group, sizeof group, &len)) {
        group[0] = '\0';
    }
    ERR_clear_error();
    const char *type = EVP_PKEY_get0_type_name(key);
    fprintf(out, "  %-12s %s%s%s (%d bits)\n", "key:", type ? type : "?",
            *group ? " " : "", group, EVP_PKEY_get_bits(key));

    /* SHA-256 of the DER SubjectPublicKeyInfo: the same for a key and its
     * certificate, so the two can be matched by eye. */
    unsigned char *der = NULL;
    int n = i2d_PUBKEY(key, &der);
    if (n > 0) {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int md_len;
        EVP_Digest(der, n, md, &md_len, EVP_sha256(), NULL);
        print_hex(out, "pubkey sha256:", md, md_len);
    }
    OPENSSL_free(der);
}

static void
print_identity(FILE *out, X509 *cert)
{
    struct pki_identity id;
    if (pki_identity_from_x509(cert, &id)) {
        fprintf(out, "  %-12s none (no valid CN/slice)\n", "identity:");
    } else {
        fprintf(out, "  %-12s cn=%s slice=%s\n", "identity:", id.cn,
                *id.slice ? id.slice : "(none)");
    }
}

static void
show_cert(FILE *out, X509 *cert)
{
    fprintf(out, "certificate:\n");
    print_name(out, "subject:", X509_get_subject_name(cert));
    print_name(out, "issuer:", X509_get_issuer_name(cert));
    BIGNUM *serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
    char *hex = serial ? BN_bn2hex(serial) : NULL;
    fprintf(out, "  %-12s %s\n", "serial:", hex ? hex : "?");
    OPENSSL_free(hex);
    BN_free(serial);
    print_time(out, "not before:", X509_get0_notBefore(cert));
    print_time(out, "not after:", X509_get0_notAfter(cert));
    EVP_PKEY *key = X509_get0_pubkey(cert);
    if (key) {
        print_key(out, key);
    }
    bool self_signed = X509_check_issued(cert, cert) == X509_V_OK;
    fprintf(out, "  %-12s %s%s\n", "CA:", X509_check_ca(cert) ? "yes" : "no",
            self_signed ? " (self-signed)" : "");
    print_identity(out, cert);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len;
    if (X509_digest(cert, EVP_sha256(), md, &md_len)) {
        print_hex(out, "sha256:", md, md_len);
    }
    ERR_clear_error();
}

static void
show_req(FILE *out, X509_REQ *req)
{
    fprintf(out, "certificate request:\n");
    print_name(out, "subject:", X509_REQ_get_subject_name(req));
    EVP_PKEY *key = X509_REQ_get0_pubkey(req);
    if (key) {
        print_key(out, key);
    }
    fprintf(out, "  %-12s %s\n", "signature:",
            key && X509_REQ_verify(req, key) == 1 ? "valid" : "INVALID");
    ERR_clear_error();
}

/* Decodes one block.  0, or -EINVAL if a block of a known kind does not
 * parse. */
static int
show_block(FILE *out, const char *label, const unsigned char *data, long len)
{
    const unsigned char *p = data;
    if (!strcmp(label, "CERTIFICATE") || !strcmp(label, "X509 CERTIFICATE")) {
        X509 *cert = d2i_X509(NULL, &p, len);
        if (!cert) {
            return -EINVAL;
        }
        show_cert(out, cert);
        X509_free(cert);
    } else if (!strcmp(label, "CERTIFICATE REQUEST")
               || !strcmp(label, "NEW CERTIFICATE REQUEST")) {
        X509_REQ *req = d2i_X509_REQ(NULL, &p, len);
        if (!req) {
            return -EINVAL;
        }
        show_req(out, req);
        X509_REQ_free(req);
    } else if (!strcmp(label, "PRIVATE KEY") || !strcmp(label, "EC PRIVATE KEY")
               || !strcmp(label, "RSA PRIVATE KEY")) {
        EVP_PKEY *key = d2i_AutoPrivateKey(NULL, &p, len);
        if (!key) {
            return -EINVAL;
        }
        fprintf(out, "private key:\n");
        print_key(out, key);
        EVP_PKEY_free(key);
    } else if (!strcmp(label, "PUBLIC KEY")) {
        EVP_PKEY *key = d2i_PUBKEY(NULL, &p, len);
        if (!key) {
            return -EINVAL;
        }
        fprintf(out, "public key:\n");
        print_key(out, key);
        EVP_PKEY_free(key);
    } else {
        fprintf(out, "%s: (not shown)\n", label);
    }
    return 0;
}

int
pki_show(const char *file, FILE *out, char **errp)
{
    FILE *f = fopen(file, "re");
    if (!f) {
        int error = -errno;
        return pki_error(errp, error, "%s: %s", file, strerror(-error));
    }
    BIO *bio = BIO_new_fp(f, BIO_CLOSE);
    BUG_ON(!bio);
    int n = 0;
    int error = 0;
    for (;;) {
        char *label = NULL, *header = NULL;
        unsigned char *data = NULL;
        long len = 0;
        if (PEM_read_bio(bio, &label, &header, &data, &len) != 1) {
            ERR_clear_error();      /* End of file, or trailing garbage. */
            break;
        }
        if (n++) {
            fputc('\n', out);
        }
        error = show_block(out, label, data, len);
        if (error) {
            pki_error(errp, error, "%s: PEM block %d (%s) does not parse",
                      file, n, label);
        }
        OPENSSL_free(label);
        OPENSSL_free(header);
        OPENSSL_free(data);
        if (error) {
            break;
        }
    }
    BIO_free(bio);
    ERR_clear_error();
    if (!error && !n) {
        error = pki_error(errp, -EINVAL, "%s: no PEM object", file);
    }
    return error;
}
