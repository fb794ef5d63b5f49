/* Unit tests: TLS streams with mutual authentication.  Keys and
 * certificates (EC P-256) are made here with the OpenSSL API, so the test
 * needs no fixture files and no openssl binary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "net/event-loop.h"
#include "net/of-conn.h"
#include "net/rconn.h"
#include "net/stream-ssl.h"
#include "net/stream.h"
#include "util/buf.h"
#include "net-test-util.h"

static char *dir;

struct pki {
    EVP_PKEY *key;
    X509 *cert;
};

static void
add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    assert_non_null(ext);
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

/* A certificate for `cn`, signed by `ca` (self-signed CA if NULL). */
static struct pki
make_cert(const char *cn, const struct pki *ca, long serial)
{
    struct pki p;
    p.key = EVP_EC_gen("P-256");
    assert_non_null(p.key);
    p.cert = X509_new();
    X509_set_version(p.cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(p.cert), serial);
    X509_gmtime_adj(X509_getm_notBefore(p.cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(p.cert), 3600L * 24 * 365);
    X509_set_pubkey(p.cert, p.key);
    X509_NAME *name = X509_get_subject_name(p.cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               (const unsigned char *) cn, -1, -1, 0);
    X509_set_issuer_name(p.cert, ca ? X509_get_subject_name(ca->cert) : name);
    X509 *issuer = ca ? ca->cert : p.cert;
    add_ext(p.cert, issuer, NID_basic_constraints,
            ca ? "critical,CA:FALSE" : "critical,CA:TRUE");
    if (!ca) {
        add_ext(p.cert, issuer, NID_key_usage, "critical,keyCertSign,cRLSign");
    }
    assert_true(X509_sign(p.cert, ca ? ca->key : p.key, EVP_sha256()) > 0);
    return p;
}

static void
free_pki(struct pki *p)
{
    EVP_PKEY_free(p->key);
    X509_free(p->cert);
}

/* Writes NAME.key and NAME.crt under dir. */
static void
write_pki(const struct pki *p, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.key", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_true(PEM_write_PrivateKey(f, p->key, NULL, NULL, 0, NULL, NULL));
    fclose(f);
    snprintf(path, sizeof path, "%s/%s.crt", dir, name);
    f = fopen(path, "w");
    assert_true(PEM_write_X509(f, p->cert));
    fclose(f);
}

/* Configures the process with NAME.key/NAME.crt and CA.crt. */
static int
configure(const char *name, const char *ca, char **err)
{
    char key[512], crt[512], cacrt[512];
    snprintf(key, sizeof key, "%s/%s.key", dir, name);
    snprintf(crt, sizeof crt, "%s/%s.crt", dir, name);
    snprintf(cacrt, sizeof cacrt, "%s/%s.crt", dir, ca);
    return stream_ssl_configure(key, crt, cacrt, err);
}

static int
setup_pki(void **state)
{
    (void) state;
    dir = test_tmpdir();
    struct pki ca = make_cert("plural test CA", NULL, 1);
    struct pki rogue_ca = make_cert("rogue CA", NULL, 2);
    struct pki sw = make_cert("switch", &ca, 3);
    struct pki ctl = make_cert("controller", &ca, 4);
    struct pki rogue = make_cert("intruder", &rogue_ca, 5);
    write_pki(&ca, "ca");
    write_pki(&rogue_ca, "rogue-ca");
    write_pki(&sw, "switch");
    write_pki(&ctl, "controller");
    write_pki(&rogue, "rogue");
    free_pki(&ca);
    free_pki(&rogue_ca);
    free_pki(&sw);
    free_pki(&ctl);
    free_pki(&rogue);
    return 0;
}

static int
teardown_pki(void **state)
{
    (void) state;
    stream_ssl_unconfigure();
    const char *names[] = { "ca", "rogue-ca", "switch", "controller", "rogue" };
    for (size_t i = 0; i < 5; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s.key", dir, names[i]);
        unlink(path);
        snprintf(path, sizeof path, "%s/%s.crt", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
    free(dir);
    return 0;
}

static void
test_configuration_errors(void **state)
{
    (void) state;
    stream_ssl_unconfigure();
    assert_false(stream_ssl_is_configured());
    struct stream *s;
    char *err = NULL;
    assert_int_equal(stream_open("ssl:127.0.0.1:6653", &s, &err), -ENOPROTOOPT);
    assert_non_null(strstr(err, "TLS is not configured"));
    free(err);
    err = NULL;
    assert_int_equal(stream_verify_name("ssl:1.2.3.4", false, &err), -EINVAL);
    assert_non_null(strstr(err, "missing port (expected ssl:IP:PORT)"));
    free(err);
    assert_int_equal(stream_verify_name("pssl:0:127.0.0.1", true, NULL), 0);

    err = NULL;
    assert_int_equal(configure("missing", "ca", &err), -ENOENT);
    assert_non_null(strstr(err, "missing.crt"));
    free(err);
    /* A key that does not match the certificate. */
    char key[512], crt[512], ca[512];
    snprintf(key, sizeof key, "%s/controller.key", dir);
    snprintf(crt, sizeof crt, "%s/switch.crt", dir);
    snprintf(ca, sizeof ca, "%s/ca.crt", dir);
    err = NULL;
    assert_int_equal(stream_ssl_configure(key, crt, ca, &err), -EINVAL);
    assert_non_null(err);
    free(err);
    assert_false(stream_ssl_is_configured());
    assert_int_equal(configure("switch", "ca", NULL), 0);
    assert_true(stream_ssl_is_configured());
}

/* Drives both handshakes; returns the two results. */
static void
handshake(struct stream *a, struct stream *b, int *ra, int *rb)
{
    for (int i = 0; i < 500; i++) {
        *ra = stream_connect(a);
        *rb = stream_connect(b);
        if (*ra != -EAGAIN && *rb != -EAGAIN) {
            return;
        }
        struct pollfd pfds[2] = {
            { stream_fd(a), (stream_wanted_events(a) & LOOP_READ ? POLLIN : 0)
                            | (stream_wanted_events(a) & LOOP_WRITE ? POLLOUT : 0), 0 },
            { stream_fd(b), (stream_wanted_events(b) & LOOP_READ ? POLLIN : 0)
                            | (stream_wanted_events(b) & LOOP_WRITE ? POLLOUT : 0), 0 },
        };
        poll(pfds, 2, 100);
    }
}

static void
open_pair(const char *server_id, const char *client_id, const char *client_ca,
          struct pstream **p, struct stream **client, struct stream **server)
{
    assert_int_equal(configure(server_id, "ca", NULL), 0);
    char *err = NULL;
    assert_int_equal(pstream_open("pssl:0:127.0.0.1", p, &err), 0);
    char name[64];
    snprintf(name, sizeof name, "ssl:127.0.0.1:%u", pstream_port(*p));
    /* The listener keeps the server's configuration. */
    assert_int_equal(configure(client_id, client_ca, NULL), 0);
    assert_int_equal(stream_open(name, client, NULL), 0);
    assert_int_equal(test_wait_fd(pstream_fd(*p), POLLIN), 1);
    assert_int_equal(pstream_accept(*p, server), 0);
    assert_non_null(strstr(stream_name(*server), "ssl:127.0.0.1:"));
}

static void
test_mutual_auth_roundtrip(void **state)
{
    (void) state;
    struct pstream *p;
    struct stream *client, *server;
    open_pair("switch", "controller", "ca", &p, &client, &server);
    int rc, rs;
    handshake(client, server, &rc, &rs);
    assert_int_equal(rc, 0);
    assert_int_equal(rs, 0);

    /* 300 KB each way through the send queue and TLS records. */
    enum { TOTAL = 300 * 1024 };
    static uint8_t out[TOTAL], in[TOTAL];
    for (size_t i = 0; i < TOTAL; i++) {
        out[i] = (uint8_t) (i * 7);
    }
    assert_int_equal(stream_send(client, out, TOTAL), 0);
    size_t got = 0;
    for (int i = 0; i < 2000 && got < TOTAL; i++) {
        assert_int_equal(stream_run(client), 0);
        ssize_t n = stream_recv(server, in + got, TOTAL - got);
        if (n == -EAGAIN) {
            struct pollfd pfds[2] = {
                { stream_fd(server), POLLIN, 0 },
                { stream_fd(client),
                  stream_wanted_events(client) & LOOP_WRITE ? POLLOUT : 0, 0 },
            };
            poll(pfds, 2, 100);
            continue;
        }
        assert_true(n > 0);
        got += n;
    }
    assert_int_equal(got, TOTAL);
    assert_memory_equal(in, out, TOTAL);
    assert_int_equal(stream_queued_bytes(client), 0);

    /* A clean close is an EOF for the peer. */
    stream_close(client);
    ssize_t n;
    do {
        assert_int_equal(test_wait_fd(stream_fd(server), POLLIN), 1);
        n = stream_recv(server, in, sizeof in);
    } while (n == -EAGAIN);
    assert_int_equal(n, 0);
    stream_close(server);
    pstream_close(p);
}

static void
test_untrusted_client_rejected(void **state)
{
    (void) state;
    /* The intruder trusts our CA but its own certificate is from another. */
    struct pstream *p;
    struct stream *client, *server;
    open_pair("switch", "rogue", "ca", &p, &client, &server);
    int rc, rs;
    handshake(client, server, &rc, &rs);
    assert_int_equal(rs, -EPROTO);
    /* With TLS 1.3 the client may finish first and learn of the rejection
     * on its first read. */
    if (rc == 0) {
        char c;
        ssize_t n;
        do {
            assert_int_equal(test_wait_fd(stream_fd(client), POLLIN), 1);
            n = stream_recv(client, &c, 1);
        } while (n == -EAGAIN);
        assert_true(n <= 0);
    } else {
        assert_true(rc < 0);
    }
    stream_close(client);
    stream_close(server);
    pstream_close(p);
}

static void
test_untrusted_server_rejected(void **state)
{
    (void) state;
    /* The client trusts only the rogue CA: it rejects the real switch. */
    struct pstream *p;
    struct stream *client, *server;
    open_pair("switch", "controller", "rogue-ca", &p, &client, &server);
    int rc, rs;
    handshake(client, server, &rc, &rs);
    assert_int_equal(rc, -EPROTO);
    assert_true(rs < 0);
    stream_close(client);
    stream_close(server);
    pstream_close(p);
}

/* OpenFlow over TLS through of_conn and the event loop. */
struct msg_sink {
    int n;
    uint8_t type;
};

static void
sink_message(struct of_conn *conn, struct buf *msg, void *sink_)
{
    (void) conn;
    struct msg_sink *sink = sink_;
    sink->n++;
    sink->type = msg->data[1];
    buf_delete(msg);
}

static void
sink_close(struct of_conn *conn, int error, void *sink_)
{
    (void) conn;
    (void) error;
    (void) sink_;
}

static const struct of_conn_callbacks sink_callbacks = { sink_message, sink_close };

static void
test_of_conn_over_ssl(void **state)
{
    (void) state;
    struct pstream *p;
    struct stream *client, *server;
    open_pair("switch", "controller", "ca", &p, &client, &server);
    struct loop *loop = loop_create();
    struct msg_sink at_client = { 0 }, at_server = { 0 };
    struct of_conn *cc = of_conn_create(loop, client, &sink_callbacks, &at_client);
    struct of_conn *sc = of_conn_create(loop, server, &sink_callbacks, &at_server);
    of_conn_set_auto_echo(sc, true);
    /* Sent before the handshake completes: queued, then delivered. */
    assert_int_equal(of_conn_send(cc, of_msg_make(OF_VERSION_1_0,
                                                  OFPT_ECHO_REQUEST, 1, NULL, 0)), 0);
    for (int i = 0; i < 200 && !(at_server.n && at_client.n); i++) {
        loop_run_once(loop, 50);
    }
    assert_int_equal(at_server.n, 1);
    assert_int_equal(at_server.type, OFPT_ECHO_REQUEST);
    assert_int_equal(at_client.n, 1);
    assert_int_equal(at_client.type, OFPT_ECHO_REPLY);
    of_conn_destroy(cc);
    of_conn_destroy(sc);
    loop_destroy(loop);
    pstream_close(p);
}

/* rconn to a pssl listener: connect, handshake, echo round trip. */
static void
rconn_message(struct rconn *rc, struct buf *msg, void *sink_)
{
    (void) rc;
    sink_message(NULL, msg, sink_);
}

static const struct rconn_callbacks rconn_sink_callbacks = {
    NULL, rconn_message, NULL,
};

static void
test_rconn_over_ssl(void **state)
{
    (void) state;
    assert_int_equal(configure("switch", "ca", NULL), 0);
    struct pstream *p;
    assert_int_equal(pstream_open("pssl:0:127.0.0.1", &p, NULL), 0);
    char name[64];
    snprintf(name, sizeof name, "ssl:127.0.0.1:%u", pstream_port(p));
    assert_int_equal(configure("controller", "ca", NULL), 0);

    struct loop *loop = loop_create();
    struct msg_sink at_rconn = { 0 }, at_server = { 0 };
    struct rconn *rc;
    char *err = NULL;
    assert_int_equal(rconn_create(loop, name, NULL, &rconn_sink_callbacks,
                                  &at_rconn, &rc, &err), 0);
    struct of_conn *sc = NULL;
    for (int i = 0; i < 200 && !rconn_is_connected(rc); i++) {
        struct stream *server;
        if (!sc && !pstream_accept(p, &server)) {
            sc = of_conn_create(loop, server, &sink_callbacks, &at_server);
            of_conn_set_auto_echo(sc, true);
        }
        loop_run_once(loop, 20);
    }
    assert_true(rconn_is_connected(rc));
    assert_int_equal(rconn_send(rc, of_msg_make(OF_VERSION_1_0,
                                                OFPT_ECHO_REQUEST, 7, NULL, 0)), 0);
    for (int i = 0; i < 200 && !at_rconn.n; i++) {
        loop_run_once(loop, 20);
    }
    assert_int_equal(at_rconn.n, 1);
    assert_int_equal(at_rconn.type, OFPT_ECHO_REPLY);
    rconn_destroy(rc);
    of_conn_destroy(sc);
    loop_destroy(loop);
    pstream_close(p);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_configuration_errors),
        cmocka_unit_test(test_mutual_auth_roundtrip),
        cmocka_unit_test(test_untrusted_client_rejected),
        cmocka_unit_test(test_untrusted_server_rejected),
        cmocka_unit_test(test_of_conn_over_ssl),
        cmocka_unit_test(test_rconn_over_ssl),
    };
    return cmocka_run_group_tests(tests, setup_pki, teardown_pki);
}
