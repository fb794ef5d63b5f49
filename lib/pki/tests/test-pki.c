/* Unit tests: lib/pki (CA, requests, signing, identities, show). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "pki/identity.h"
#include "pki/pki.h"

static char dir[] = "/tmp/plural-test-pki.XXXXXX";

static char *
path(const char *name)
{
    static char buf[4][512];
    static int i;
    i = (i + 1) % 4;
    snprintf(buf[i], sizeof buf[i], "%s/%s", dir, name);
    return buf[i];
}

static X509 *
load_cert(const char *file)
{
    FILE *f = fopen(file, "r");
    assert_non_null(f);
    X509 *cert = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    assert_non_null(cert);
    return cert;
}

static mode_t
mode_of(const char *file)
{
    struct stat st;
    assert_int_equal(stat(file, &st), 0);
    return st.st_mode & 07777;
}

/* X509_verify_cert() of `cert_file` against the CA certificate `ca_file`:
 * the check a TLS peer makes. */
static int
verify(const char *ca_file, const char *cert_file)
{
    X509_STORE *store = X509_STORE_new();
    assert_int_equal(X509_STORE_load_file(store, ca_file), 1);
    X509 *cert = load_cert(cert_file);
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    X509_STORE_CTX_init(ctx, store, cert, NULL);
    if (strcmp(ca_file, cert_file)) {
        /* A leaf: usable as a TLS client (and server, checked below). */
        X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_CLIENT);
    }
    int ok = X509_verify_cert(ctx);
    int error = ok == 1 ? 0 : X509_STORE_CTX_get_error(ctx);
    X509_STORE_CTX_free(ctx);
    X509_free(cert);
    X509_STORE_free(store);
    ERR_clear_error();
    return error;
}

static int
setup(void **state)
{
    (void) state;
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int
teardown(void **state)
{
    (void) state;
    char *cmd;
    assert_true(asprintf(&cmd, "rm -rf '%s'", dir) > 0);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    return 0;
}

static void
test_names(void **state)
{
    (void) state;
    assert_true(pki_name_is_valid("switch-1"));
    assert_true(pki_name_is_valid("ctl_a.b"));
    assert_false(pki_name_is_valid(""));
    assert_false(pki_name_is_valid("a b"));
    assert_false(pki_name_is_valid("a/b"));
    assert_false(pki_name_is_valid("a,CN=b"));
    char long_name[PKI_NAME_MAX + 2];
    memset(long_name, 'x', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    assert_false(pki_name_is_valid(long_name));
    long_name[PKI_NAME_MAX] = '\0';
    assert_true(pki_name_is_valid(long_name));
}

static void
test_ca_and_sign(void **state)
{
    (void) state;
    char *err = NULL;
    char ca[512];
    snprintf(ca, sizeof ca, "%s", path("ca"));
    assert_int_equal(pki_ca_init(ca, NULL, NULL, &err), 0);
    assert_int_equal(mode_of(path("ca/cakey.pem")), 0600);
    assert_int_equal(mode_of(path("ca/cacert.pem")), 0644);
    assert_int_equal(mode_of(ca), 0700);

    /* A second init is refused and leaves the CA alone. */
    X509 *before = load_cert(path("ca/cacert.pem"));
    assert_int_equal(pki_ca_init(ca, NULL, NULL, &err), -EEXIST);
    assert_non_null(strstr(err, "cacert.pem exists"));
    free(err);
    err = NULL;
    X509 *after = load_cert(path("ca/cacert.pem"));
    assert_int_equal(X509_cmp(before, after), 0);
    X509_free(before);
    X509_free(after);

    /* The CA verifies itself; a controller for slice "red". */
    assert_int_equal(verify(path("ca/cacert.pem"), path("ca/cacert.pem")), 0);
    assert_int_equal(pki_req_sign(ca, path("out"), "ctl-red", "red", NULL,
                                  &err), 0);
    assert_int_equal(mode_of(path("out/ctl-red-privkey.pem")), 0600);
    assert_int_equal(mode_of(path("out/ctl-red-cert.pem")), 0644);
    assert_int_equal(verify(path("ca/cacert.pem"), path("out/ctl-red-cert.pem")),
                     0);

    X509 *cert = load_cert(path("out/ctl-red-cert.pem"));
    struct pki_identity id;
    assert_int_equal(pki_identity_from_x509(cert, &id), 0);
    assert_string_equal(id.cn, "ctl-red");
    assert_string_equal(id.slice, "red");
    assert_int_equal(X509_check_ca(cert), 0);
    X509_free(cert);

    /* Without a slice, the identity has none. */
    assert_int_equal(pki_req_sign(ca, path("out"), "sw1", NULL, NULL, &err), 0);
    cert = load_cert(path("out/sw1-cert.pem"));
    assert_int_equal(pki_identity_from_x509(cert, &id), 0);
    assert_string_equal(id.cn, "sw1");
    assert_string_equal(id.slice, "");
    X509_free(cert);

    /* Existing identity: refused, then replaced with force. */
    assert_int_equal(pki_req_sign(ca, path("out"), "sw1", NULL, NULL, &err),
                     -EEXIST);
    free(err);
    err = NULL;
    struct pki_options force = { .force = true, .days = 30 };
    assert_int_equal(pki_req_sign(ca, path("out"), "sw1", NULL, &force, &err), 0);
    assert_null(err);
}

static void
test_sign_request(void **state)
{
    (void) state;
    char *err = NULL;
    char ca[512];
    snprintf(ca, sizeof ca, "%s", path("ca"));
    /* Separate req and sign: the slice comes from the request's OU, or
     * from the signer, who has the last word. */
    assert_int_equal(pki_req(path("req"), "ctl-blue", "blue", NULL, &err), 0);
    assert_int_equal(pki_sign(ca, path("req"), "ctl-blue", NULL, NULL, &err), 0);
    X509 *cert = load_cert(path("req/ctl-blue-cert.pem"));
    struct pki_identity id;
    assert_int_equal(pki_identity_from_x509(cert, &id), 0);
    assert_string_equal(id.slice, "blue");
    X509_free(cert);

    struct pki_options force = { .force = true };
    assert_int_equal(pki_sign(ca, path("req"), "ctl-blue", "green", &force,
                              &err), 0);
    cert = load_cert(path("req/ctl-blue-cert.pem"));
    assert_int_equal(pki_identity_from_x509(cert, &id), 0);
    assert_string_equal(id.slice, "green");
    X509_free(cert);

    /* Wrong name for the request, missing request, bad names. */
    assert_int_equal(rename(path("req/ctl-blue-req.pem"),
                            path("req/other-req.pem")), 0);
    assert_int_equal(pki_sign(ca, path("req"), "other", NULL, NULL, &err),
                     -EINVAL);
    assert_non_null(strstr(err, "CN is not"));
    free(err);
    assert_int_equal(pki_sign(ca, path("req"), "nobody", NULL, NULL, &err),
                     -ENOENT);
    free(err);
    assert_int_equal(pki_req(path("req"), "bad name", NULL, NULL, &err),
                     -EINVAL);
    free(err);
    assert_int_equal(pki_req(path("req"), "x", "s/l", NULL, &err), -EINVAL);
    free(err);
    /* No CA there: nothing is left behind. */
    assert_int_equal(pki_req_sign(path("noca"), path("req"), "y", NULL, NULL,
                                  &err), -ENOENT);
    free(err);
    assert_int_equal(access(path("req/y-privkey.pem"), F_OK), -1);
}

static void
test_other_ca_refused(void **state)
{
    (void) state;
    char *err = NULL;
    assert_int_equal(pki_ca_init(path("ca2"), "other CA", NULL, &err), 0);
    assert_int_equal(pki_req_sign(path("ca2"), path("ca2"), "intruder", "red",
                                  NULL, &err), 0);
    assert_int_equal(verify(path("ca2/cacert.pem"), path("ca2/intruder-cert.pem")),
                     0);
    int error = verify(path("ca/cacert.pem"), path("ca2/intruder-cert.pem"));
    assert_true(error == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
                || error == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT);
    /* A leaf certificate cannot act as a CA (CA:FALSE). */
    assert_int_equal(rename(path("out/sw1-cert.pem"), path("ca3-cacert.pem")), 0);
    assert_int_not_equal(verify(path("ca3-cacert.pem"),
                                path("out/ctl-red-cert.pem")), 0);
}

static void
test_show(void **state)
{
    (void) state;
    char *err = NULL;
    char *out_file = path("show.txt");
    FILE *out = fopen(out_file, "w+");
    assert_non_null(out);
    assert_int_equal(pki_show(path("out/ctl-red-cert.pem"), out, &err), 0);
    assert_int_equal(pki_show(path("out/ctl-red-privkey.pem"), out, &err), 0);
    assert_int_equal(pki_show(path("out/ctl-red-req.pem"), out, &err), 0);
    rewind(out);
    char text[8192];
    size_t n = fread(text, 1, sizeof text - 1, out);
    text[n] = '\0';
    fclose(out);
    assert_non_null(strstr(text, "identity:    cn=ctl-red slice=red"));
    assert_non_null(strstr(text, "prime256v1 (256 bits)"));
    assert_non_null(strstr(text, "CA:          no"));
    assert_non_null(strstr(text, "signature:   valid"));
    assert_null(strstr(text, "BEGIN"));
    /* The key and its certificate have the same public key fingerprint. */
    char *first = strstr(text, "pubkey sha256:");
    assert_non_null(first);
    char *second = strstr(first + 1, "pubkey sha256:");
    assert_non_null(second);
    assert_memory_equal(first, second, 14 + 1 + 95);

    assert_int_equal(pki_show(path("nonexistent"), stdout, &err), -ENOENT);
    free(err);
    FILE *junk = fopen(path("junk.pem"), "w");
    fputs("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
          junk);
    fclose(junk);
    assert_int_equal(pki_show(path("junk.pem"), stdout, &err), -EINVAL);
    free(err);
    assert_int_equal(pki_show(path("show.txt"), stdout, &err), -EINVAL);
    assert_non_null(strstr(err, "no PEM object"));
    free(err);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_ca_and_sign),
        cmocka_unit_test(test_sign_request),
        cmocka_unit_test(test_other_ca_refused),
        cmocka_unit_test(test_show),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
