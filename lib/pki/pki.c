/* pki — CA, requests and signing with libcrypto (see pki.h).
 *
 * Serial numbers are 127 random bits (no serial file to keep in step, as
 * RFC 5280 allows up to 20 octets).  Certificates are X.509 v3 with:
 *   CA:   basicConstraints critical CA:TRUE, pathlen:0;
 *         keyUsage critical keyCertSign, cRLSign; subjectKeyIdentifier.
 *   leaf: basicConstraints critical CA:FALSE; keyUsage critical
 *         digitalSignature; extendedKeyUsage serverAuth, clientAuth (every
 *         plural peer is both: TLS is mutual); subject/authority key ids;
 *         subjectAltName URI:urn:plural:slice:SLICE with a slice. */
#include "pki/pki.h"
#include "pki/pki-file.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "pki/identity.h"
#include "util/util.h"

bool
pki_name_is_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > PKI_NAME_MAX) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) {
            return false;
        }
    }
    return true;
}

static int
days_of(const struct pki_options *opts)
{
    return opts && opts->days > 0 ? opts->days : PKI_DEFAULT_DAYS;
}

static bool
force_of(const struct pki_options *opts)
{
    return opts && opts->force;
}

static EVP_PKEY *
new_key(void)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    BUG_ON(!key);
    return key;
}

static void
add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    BUG_ON(!ext);
    BUG_ON(!X509_add_ext(cert, ext, -1));
    X509_EXTENSION_free(ext);
}

static void
set_random_serial(X509 *cert)
{
    unsigned char bytes[16];
    BUG_ON(RAND_bytes(bytes, sizeof bytes) != 1);
    bytes[0] &= 0x7f;                       /* Positive. */
    bytes[0] |= 0x40;                       /* 16 octets, no leading zero. */
    BIGNUM *bn = BN_bin2bn(bytes, sizeof bytes, NULL);
    BUG_ON(!bn || !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)));
    BN_free(bn);
}

/* O=plural [, OU=slice], CN=cn. */
static X509_NAME *
make_name(const char *cn, const char *slice)
{
    X509_NAME *name = X509_NAME_new();
    BUG_ON(!X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                       (const unsigned char *) "plural", -1,
                                       -1, 0));
    if (slice) {
        BUG_ON(!X509_NAME_add_entry_by_txt(name, "OU", MBSTRING_ASC,
                                           (const unsigned char *) slice, -1,
                                           -1, 0));
    }
    BUG_ON(!X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                       (const unsigned char *) cn, -1, -1, 0));
    return name;
}

static X509 *
new_cert(const X509_NAME *subject, EVP_PKEY *pubkey, int days)
{
    X509 *cert = X509_new();
    BUG_ON(!cert);
    X509_set_version(cert, 2);
    set_random_serial(cert);
    /* A minute of slack for peers whose clocks are slightly behind. */
    X509_gmtime_adj(X509_getm_notBefore(cert), -60);
    X509_time_adj_ex(X509_getm_notAfter(cert), days, 0, NULL);
    X509_set_subject_name(cert, subject);
    X509_set_pubkey(cert, pubkey);
    return cert;
}

int
pki_ca_init(const char *dir, const char *cn, const struct pki_options *opts,
            char **errp)
{
    cn = cn ? cn : "plural CA";
    if (!*cn || strlen(cn) > PKI_NAME_MAX) {
        return pki_error(errp, -EINVAL, "CA name \"%s\": 1-%d characters",
                         cn, PKI_NAME_MAX);
    }
    char *cert_file = xasprintf("%s/%s", dir, PKI_CA_CERT_FILE);
    char *key_file = xasprintf("%s/%s", dir, PKI_CA_KEY_FILE);
    int error = pki_mkdir(dir, errp);
    if (!error && !force_of(opts)) {
        error = pki_refuse_existing(cert_file, errp);
        if (!error) {
            error = pki_refuse_existing(key_file, errp);
        }
    }
    if (!error) {
        EVP_PKEY *key = new_key();
        X509_NAME *name = make_name(cn, NULL);
        X509 *cert = new_cert(name, key, days_of(opts));
        X509_set_issuer_name(cert, name);
        add_ext(cert, cert, NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
        add_ext(cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign");
        add_ext(cert, cert, NID_subject_key_identifier, "hash");
        BUG_ON(X509_sign(cert, key, EVP_sha256()) <= 0);
        /* Key first: a certificate without its key would be useless. */
        error = pki_write_key(key_file, key, errp);
        if (!error) {
            error = pki_write_cert(cert_file, cert, errp);
        }
        X509_free(cert);
        X509_NAME_free(name);
        EVP_PKEY_free(key);
    }
    free(cert_file);
    free(key_file);
    return error;
}

static int
check_name_and_slice(const char *name, const char *slice, char **errp)
{
    if (!pki_name_is_valid(name)) {
        return pki_error(errp, -EINVAL, "name \"%s\": use 1-%d characters "
                         "of A-Z a-z 0-9 . _ -", name, PKI_NAME_MAX);
    }
    if (slice && !pki_name_is_valid(slice)) {
        return pki_error(errp, -EINVAL, "slice \"%s\": use 1-%d characters "
                         "of A-Z a-z 0-9 . _ -", slice, PKI_NAME_MAX);
    }
    return 0;
}

static char *
identity_file(const char *out_dir, const char *name, const char *suffix)
{
    return xasprintf("%s/%s-%s.pem", out_dir, name, suffix);
}

int
pki_req(const char *out_dir, const char *name, const char *slice,
        const struct pki_options *opts, char **errp)
{
    int error = check_name_and_slice(name, slice, errp);
    if (error) {
        return error;
    }
    char *key_file = identity_file(out_dir, name, "privkey");
    char *req_file = identity_file(out_dir, name, "req");
    error = pki_mkdir(out_dir, errp);
    if (!error && !force_of(opts)) {
        error = pki_refuse_existing(key_file, errp);
        if (!error) {
            error = pki_refuse_existing(req_file, errp);
        }
    }
    if (!error) {
        EVP_PKEY *key = new_key();
        X509_REQ *req = X509_REQ_new();
        X509_NAME *subject = make_name(name, slice);
        X509_REQ_set_version(req, 0);
        X509_REQ_set_subject_name(req, subject);
        X509_REQ_set_pubkey(req, key);
        BUG_ON(X509_REQ_sign(req, key, EVP_sha256()) <= 0);
        error = pki_write_key(key_file, key, errp);
        if (!error) {
            error = pki_write_req(req_file, req, errp);
        }
        X509_NAME_free(subject);
        X509_REQ_free(req);
        EVP_PKEY_free(key);
    }
    free(key_file);
    free(req_file);
    return error;
}

/* The first `nid` entry of a request's subject, or -ENOENT/-EINVAL. */
static int
req_name_entry(X509_REQ *req, int nid, char *buf, size_t size)
{
    const X509_NAME *subject = X509_REQ_get_subject_name(req);
    int i = X509_NAME_get_index_by_NID(subject, nid, -1);
    if (i < 0) {
        return -ENOENT;
    }
    const ASN1_STRING *s = X509_NAME_ENTRY_get_data(
        X509_NAME_get_entry(subject, i));
    int len = ASN1_STRING_length(s);
    if (len <= 0 || (size_t) len >= size) {
        return -EINVAL;
    }
    memcpy(buf, ASN1_STRING_get0_data(s), len);
    buf[len] = '\0';
    return pki_name_is_valid(buf) ? 0 : -EINVAL;
}

/* Loads the CA of ca_dir. */
static int
load_ca(const char *ca_dir, X509 **certp, EVP_PKEY **keyp, char **errp)
{
    char *cert_file = xasprintf("%s/%s", ca_dir, PKI_CA_CERT_FILE);
    char *key_file = xasprintf("%s/%s", ca_dir, PKI_CA_KEY_FILE);
    *certp = NULL;
    *keyp = NULL;
    int error = pki_read_cert(cert_file, certp, errp);
    if (!error) {
        error = pki_read_key(key_file, keyp, errp);
    }
    if (!error && X509_check_private_key(*certp, *keyp) != 1) {
        ERR_clear_error();
        error = pki_error(errp, -EINVAL, "%s does not match %s", key_file,
                          cert_file);
    }
    if (error) {
        X509_free(*certp);
        EVP_PKEY_free(*keyp);
        *certp = NULL;
        *keyp = NULL;
    }
    free(cert_file);
    free(key_file);
    return error;
}

static X509 *
issue(X509 *ca_cert, EVP_PKEY *ca_key, EVP_PKEY *pubkey, const char *name,
      const char *slice, int days)
{
    X509_NAME *subject = make_name(name, slice);
    X509 *cert = new_cert(subject, pubkey, days);
    X509_NAME_free(subject);
    X509_set_issuer_name(cert, X509_get_subject_name(ca_cert));
    add_ext(cert, ca_cert, NID_basic_constraints, "critical,CA:FALSE");
    add_ext(cert, ca_cert, NID_key_usage, "critical,digitalSignature");
    add_ext(cert, ca_cert, NID_ext_key_usage, "serverAuth,clientAuth");
    add_ext(cert, ca_cert, NID_subject_key_identifier, "hash");
    add_ext(cert, ca_cert, NID_authority_key_identifier, "keyid:always");
    if (slice) {
        char *san = xasprintf("URI:%s%s", PKI_SLICE_URI_PREFIX, slice);
        add_ext(cert, ca_cert, NID_subject_alt_name, san);
        free(san);
    }
    BUG_ON(X509_sign(cert, ca_key, EVP_sha256()) <= 0);
    return cert;
}

int
pki_sign(const char *ca_dir, const char *out_dir, const char *name,
         const char *slice, const struct pki_options *opts, char **errp)
{
    int error = check_name_and_slice(name, slice, errp);
    if (error) {
        return error;
    }
    char *req_file = identity_file(out_dir, name, "req");
    char *cert_file = identity_file(out_dir, name, "cert");
    X509 *ca_cert = NULL;
    EVP_PKEY *ca_key = NULL;
    X509_REQ *req = NULL;
    EVP_PKEY *pubkey = NULL;

    error = force_of(opts) ? 0 : pki_refuse_existing(cert_file, errp);
    if (!error) {
        error = load_ca(ca_dir, &ca_cert, &ca_key, errp);
    }
    if (!error) {
        error = pki_read_req(req_file, &req, errp);
    }
    if (!error) {
        pubkey = X509_REQ_get_pubkey(req);
        if (!pubkey || X509_REQ_verify(req, pubkey) != 1) {
            ERR_clear_error();
            error = pki_error(errp, -EINVAL, "%s: bad signature or key",
                              req_file);
        }
    }
    char cn[PKI_NAME_MAX + 1], req_slice[PKI_NAME_MAX + 1];
    if (!error && (req_name_entry(req, NID_commonName, cn, sizeof cn)
                   || strcmp(cn, name))) {
        error = pki_error(errp, -EINVAL, "%s: subject CN is not \"%s\"",
                          req_file, name);
    }
    if (!error && !slice) {
        int e = req_name_entry(req, NID_organizationalUnitName, req_slice,
                               sizeof req_slice);
        if (e == -EINVAL) {
            error = pki_error(errp, -EINVAL, "%s: subject OU is not a valid "
                              "slice name", req_file);
        } else if (!e) {
            slice = req_slice;
        }
    }
    if (!error) {
        X509 *cert = issue(ca_cert, ca_key, pubkey, name, slice,
                           days_of(opts));
        error = pki_write_cert(cert_file, cert, errp);
        X509_free(cert);
    }
    EVP_PKEY_free(pubkey);
    X509_REQ_free(req);
    X509_free(ca_cert);
    EVP_PKEY_free(ca_key);
    free(req_file);
    free(cert_file);
    return error;
}

int
pki_req_sign(const char *ca_dir, const char *out_dir, const char *name,
             const char *slice, const struct pki_options *opts, char **errp)
{
    /* Check the CA first: do not leave a key and request behind for a CA
     * that is not there. */
    X509 *ca_cert;
    EVP_PKEY *ca_key;
    int error = load_ca(ca_dir, &ca_cert, &ca_key, errp);
    if (error) {
        return error;
    }
    X509_free(ca_cert);
    EVP_PKEY_free(ca_key);
    if (!force_of(opts)) {
        char *cert_file = identity_file(out_dir, name, "cert");
        error = pki_refuse_existing(cert_file, errp);
        free(cert_file);
        if (error) {
            return error;
        }
    }
    error = pki_req(out_dir, name, slice, opts, errp);
    return error ? error : pki_sign(ca_dir, out_dir, name, slice, opts, errp);
}
