/* Unit tests: identity of the peer of a real TLS stream (lib/net ssl/pssl)
 * with certificates made by lib/pki. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/stream-ssl.h"
#include "net/stream.h"
#include "pki/peer-identity.h"
#include "pki/pki.h"

static char dir[] = "/tmp/plural-test-peer-id.XXXXXX";

static void
configure(const char *ca_dir, const char *name)
{
    char key[512], cert[512], ca[512];
    snprintf(key, sizeof key, "%s/%s-privkey.pem", ca_dir, name);
    snprintf(cert, sizeof cert, "%s/%s-cert.pem", ca_dir, name);
    snprintf(ca, sizeof ca, "%s/cacert.pem", ca_dir);
    char *err = NULL;
    assert_int_equal(stream_ssl_configure(key, cert, ca, &err), 0);
}

static int
setup(void **state)
{
    (void) state;
    assert_non_null(mkdtemp(dir));
    char ca[600], evil[600];
    snprintf(ca, sizeof ca, "%s/ca", dir);
    snprintf(evil, sizeof evil, "%s/evil", dir);
    char *err = NULL;
    assert_int_equal(pki_ca_init(ca, NULL, NULL, &err), 0);
    assert_int_equal(pki_req_sign(ca, ca, "slicer", NULL, NULL, &err), 0);
    assert_int_equal(pki_req_sign(ca, ca, "ctl-red", "red", NULL, &err), 0);
    assert_int_equal(pki_ca_init(evil, "evil", NULL, &err), 0);
    assert_int_equal(pki_req_sign(evil, evil, "ctl-red", "red", NULL, &err), 0);
    return 0;
}

static int
teardown(void **state)
{
    (void) state;
    stream_ssl_unconfigure();
    char *cmd;
    assert_true(asprintf(&cmd, "rm -rf '%s'", dir) > 0);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    return 0;
}

/* Accepts one connection and drives both handshakes until neither side
 * says -EAGAIN (at most ~5 s).  Returns the server side; *client_error and
 * *server_error get the final stream_connect() results. */
static struct stream *
handshake(struct pstream *listener, struct stream *client,
          int *client_error, int *server_error)
{
    struct stream *server = NULL;
    *client_error = *server_error = -EAGAIN;
    for (int i = 0; i < 500; i++) {
        if (!server) {
            int e = pstream_accept(listener, &server);
            assert_true(e == 0 || e == -EAGAIN);
        }
        *client_error = stream_connect(client);
        if (server) {
            *server_error = stream_connect(server);
        }
        if (server && *client_error != -EAGAIN && *server_error != -EAGAIN) {
            break;
        }
        struct pollfd fds[2] = {
            { .fd = stream_fd(client), .events = POLLIN | POLLOUT },
            { .fd = server ? stream_fd(server) : pstream_fd(listener),
              .events = POLLIN },
        };
        poll(fds, 2, 10);
    }
    assert_non_null(server);
    return server;
}

static void
test_identity_both_ways(void **state)
{
    (void) state;
    char ca[600];
    snprintf(ca, sizeof ca, "%s/ca", dir);
    char *err = NULL;
    struct pstream *listener;
    configure(ca, "slicer");
    assert_int_equal(pstream_open("pssl:0:127.0.0.1", &listener, &err), 0);
    configure(ca, "ctl-red");
    char name[64];
    snprintf(name, sizeof name, "ssl:127.0.0.1:%u", pstream_port(listener));
    struct stream *client;
    assert_int_equal(stream_open(name, &client, &err), 0);

    struct pki_identity id;
    assert_int_equal(pki_stream_peer_identity(client, &id), -EAGAIN);

    int client_error, server_error;
    struct stream *server = handshake(listener, client, &client_error,
                                      &server_error);
    assert_int_equal(client_error, 0);
    assert_int_equal(server_error, 0);

    /* The listener sees the controller and its slice ... */
    assert_int_equal(pki_stream_peer_identity(server, &id), 0);
    assert_string_equal(id.cn, "ctl-red");
    assert_string_equal(id.slice, "red");
    /* ... and the controller sees the slicer. */
    assert_int_equal(pki_stream_peer_identity(client, &id), 0);
    assert_string_equal(id.cn, "slicer");
    assert_string_equal(id.slice, "");

    stream_close(client);
    stream_close(server);
    pstream_close(listener);
}

static void
test_other_ca_refused(void **state)
{
    (void) state;
    char ca[600], evil[600];
    snprintf(ca, sizeof ca, "%s/ca", dir);
    snprintf(evil, sizeof evil, "%s/evil", dir);
    char *err = NULL;
    struct pstream *listener;
    configure(ca, "slicer");
    assert_int_equal(pstream_open("pssl:0:127.0.0.1", &listener, &err), 0);
    /* Same CN and slice, signed by another CA. */
    configure(evil, "ctl-red");
    char name[64];
    snprintf(name, sizeof name, "ssl:127.0.0.1:%u", pstream_port(listener));
    struct stream *client;
    assert_int_equal(stream_open(name, &client, &err), 0);
    int client_error, server_error;
    struct stream *server = handshake(listener, client, &client_error,
                                      &server_error);
    assert_true(client_error < 0 && client_error != -EAGAIN);
    assert_true(server_error < 0 && server_error != -EAGAIN);
    struct pki_identity id;
    assert_int_equal(pki_stream_peer_identity(server, &id), -ENOTCONN);
    assert_string_equal(id.cn, "");
    stream_close(client);
    stream_close(server);
    pstream_close(listener);
}

static void
test_plain_tcp_has_no_identity(void **state)
{
    (void) state;
    char *err = NULL;
    struct pstream *listener;
    assert_int_equal(pstream_open("ptcp:0:127.0.0.1", &listener, &err), 0);
    char name[64];
    snprintf(name, sizeof name, "tcp:127.0.0.1:%u", pstream_port(listener));
    struct stream *client;
    assert_int_equal(stream_open(name, &client, &err), 0);
    struct pki_identity id;
    assert_int_equal(pki_stream_peer_identity(client, &id), -ENOTSUP);
    stream_close(client);
    pstream_close(listener);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identity_both_ways),
        cmocka_unit_test(test_other_ca_refused),
        cmocka_unit_test(test_plain_tcp_has_no_identity),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
