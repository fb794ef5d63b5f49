/* pki — plural's certificate authority: the files behind `plural pki`.
 *
 * One CA signs the certificates of every switch, slicer and controller;
 * the TLS streams of lib/net (stream-ssl.h) accept a peer whose certificate
 * chains to that CA.  Keys are EC P-256, signatures ECDSA-SHA256.
 *
 * Files (PEM), like ovs-pki's:
 *   CA directory DIR:    DIR/cacert.pem        the self-signed CA certificate
 *                        DIR/cakey.pem         its private key (mode 0600)
 *   each identity NAME, in an output directory OUT (often DIR):
 *                        OUT/NAME-privkey.pem  private key (mode 0600)
 *                        OUT/NAME-req.pem      certificate request
 *                        OUT/NAME-cert.pem     certificate signed by the CA
 *
 * Identity (what a peer is, see identity.h): subject CN = NAME; with a
 * slice, the certificate also carries OU = SLICE and the subjectAltName URI
 * "urn:plural:slice:SLICE".  The slicer binds a slice to the controller
 * whose certificate names it.  NAME and SLICE are 1-64 characters of
 * [A-Za-z0-9._-] (no spaces, no '/', nothing to quote).
 *
 * Every file is written to a temporary name and renamed into place, so a
 * reader never sees half a file.  Existing files are not replaced unless
 * `force` (-EEXIST otherwise).  Private keys are created 0600 (whatever the
 * umask); certificates and requests 0644.
 *
 * Errors: 0 or negative errno; on error *errp (if errp) receives a
 * malloc'd one-line message naming the file and the reason.
 *
 * Thread-safety: none needed (no global state besides OpenSSL's). */
#ifndef PLURAL_PKI_PKI_H
#define PLURAL_PKI_PKI_H 1

#include <stdbool.h>
#include <stdio.h>

#define PKI_CA_CERT_FILE "cacert.pem"
#define PKI_CA_KEY_FILE "cakey.pem"
#define PKI_NAME_MAX 64
#define PKI_DEFAULT_DAYS 3650

struct pki_options {
    int days;                   /* Validity from now; 0: PKI_DEFAULT_DAYS. */
    bool force;                 /* Replace existing files. */
};

/* True if `s` is a valid NAME or SLICE (see above). */
bool pki_name_is_valid(const char *s);

/* Creates DIR (mode 0700 if missing) and a new CA in it, subject
 * "O=plural, CN=<cn>" (cn NULL: "plural CA").  Returns 0, -EEXIST (a CA is
 * there and !force), -EINVAL (bad cn), or a file error. */
int pki_ca_init(const char *dir, const char *cn, const struct pki_options *,
                char **errp);

/* Makes OUT/NAME-privkey.pem and OUT/NAME-req.pem (CN=NAME, OU=SLICE if
 * slice is non-NULL).  Creates OUT if missing.  -EINVAL for a bad name or
 * slice, -EEXIST, or a file error. */
int pki_req(const char *out_dir, const char *name, const char *slice,
            const struct pki_options *, char **errp);

/* Signs OUT/NAME-req.pem with the CA in ca_dir into OUT/NAME-cert.pem.
 * The certificate's subject is rebuilt from the request's CN (which must
 * equal NAME) and the slice: `slice` if non-NULL, else the request's OU (if
 * any); no extension is copied from the request.  -EINVAL (bad request,
 * bad signature, CN mismatch), -ENOENT (no CA or no request), -EEXIST,
 * or a file error. */
int pki_sign(const char *ca_dir, const char *out_dir, const char *name,
             const char *slice, const struct pki_options *, char **errp);

/* pki_req() then pki_sign(): key, request and certificate. */
int pki_req_sign(const char *ca_dir, const char *out_dir, const char *name,
                 const char *slice, const struct pki_options *, char **errp);

/* Prints every PEM object in `file` (certificates, requests, keys) in
 * human-readable form to `out`: subject, issuer, serial, validity, key,
 * CA or not, plural identity (CN, slice), SHA-256 fingerprint.  Never
 * prints private key material.  -ENOENT, -EACCES, -EINVAL (no PEM object,
 * or one that does not parse). */
int pki_show(const char *file, FILE *out, char **errp);

#endif
