/* Unit tests: stream names, unix and tcp connect/accept on 127.0.0.1, the
 * bounded send queue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "net/event-loop.h"
#include "net/stream.h"
#include "net-test-util.h"

static void
expect_bad_name(const char *name, bool passive, int error, const char *msg)
{
    char *err = NULL;
    assert_int_equal(stream_verify_name(name, passive, &err), error);
    assert_non_null(err);
    if (!strstr(err, msg)) {
        fail_msg("\"%s\": message \"%s\" lacks \"%s\"", name, err, msg);
    }
    free(err);

    err = NULL;
    if (passive) {
        struct pstream *p;
        assert_int_equal(pstream_open(name, &p, &err), error);
        assert_null(p);
    } else {
        struct stream *s;
        assert_int_equal(stream_open(name, &s, &err), error);
        assert_null(s);
    }
    assert_non_null(strstr(err, msg));
    free(err);
}

static void
test_bad_names(void **state)
{
    (void) state;
    expect_bad_name("tcp:1.2.3.4", false, -EINVAL, "missing port");
    expect_bad_name("tcp:1.2.3.4:", false, -EINVAL, "missing port");
    expect_bad_name("tcp:1.2.3.4:0", false, -EINVAL, "bad port");
    expect_bad_name("tcp:1.2.3.4:70000", false, -EINVAL, "bad port");
    expect_bad_name("tcp:example.com:80", false, -EINVAL, "not an IP address");
    expect_bad_name("tcp:[::1]", false, -EINVAL, "missing port");
    expect_bad_name("nocolon", false, -EINVAL, "missing stream type");
    expect_bad_name("udp:1.2.3.4:5", false, -EAFNOSUPPORT, "unknown stream type \"udp\"");
    expect_bad_name("ptcp:1.2.3.4:5", false, -EAFNOSUPPORT, "unix:PATH, tcp:IP:PORT or ssl:IP:PORT");
    expect_bad_name("unix:", false, -EINVAL, "missing socket path");
    expect_bad_name("ptcp:", true, -EINVAL, "missing port");
    expect_bad_name("ptcp:abc", true, -EINVAL, "bad port");
    expect_bad_name("ptcp:6653:1.2.3", true, -EINVAL, "not an IP address");
    expect_bad_name("tcp:6653", true, -EAFNOSUPPORT, "punix:PATH, ptcp:PORT[:IP] or pssl:PORT[:IP]");

    char longname[200] = "punix:/tmp/";
    memset(longname + 11, 'x', 150);
    expect_bad_name(longname, true, -ENAMETOOLONG, "longer than");

    assert_int_equal(stream_verify_name("tcp:127.0.0.1:6653", false, NULL), 0);
    assert_int_equal(stream_verify_name("tcp:[::1]:6653", false, NULL), 0);
    assert_int_equal(stream_verify_name("ptcp:6653:127.0.0.1", true, NULL), 0);
    assert_int_equal(stream_verify_name("ptcp:6653:[::1]", true, NULL), 0);
    assert_int_equal(stream_verify_name("ptcp:0", true, NULL), 0);
    assert_int_equal(stream_verify_name("unix:/x/y", false, NULL), 0);
}

/* Connects `name` to `p` and returns both ends, connected. */
static void
connect_pair(const char *name, struct pstream *p, struct stream **client,
             struct stream **server)
{
    char *err = NULL;
    assert_int_equal(stream_open(name, client, &err), 0);
    assert_null(err);
    assert_int_equal(test_wait_fd(pstream_fd(p), POLLIN), 1);
    assert_int_equal(pstream_accept(p, server), 0);
    int error;
    while ((error = stream_connect(*client)) == -EAGAIN) {
        assert_true(stream_wanted_events(*client) & LOOP_WRITE);
        assert_int_equal(test_wait_fd(stream_fd(*client), POLLOUT), 1);
    }
    assert_int_equal(error, 0);
    assert_int_equal(stream_wanted_events(*client), LOOP_READ);
}

static void
expect_recv(struct stream *s, const char *text)
{
    char buf[64];
    size_t want = strlen(text), got = 0;
    while (got < want) {
        assert_int_equal(test_wait_fd(stream_fd(s), POLLIN), 1);
        ssize_t n = stream_recv(s, buf + got, sizeof buf - got);
        assert_true(n > 0);
        got += n;
    }
    assert_int_equal(got, want);
    assert_memory_equal(buf, text, want);
}

static void
exchange(struct stream *a, struct stream *b)
{
    char buf[8];
    assert_int_equal(stream_recv(b, buf, sizeof buf), -EAGAIN);
    assert_int_equal(stream_send(a, "hello", 5), 0);
    expect_recv(b, "hello");
    assert_int_equal(stream_send(b, "world!", 6), 0);
    expect_recv(a, "world!");
    assert_int_equal(stream_queued_bytes(a), 0);
    stream_close(a);
    assert_int_equal(test_wait_fd(stream_fd(b), POLLIN), 1);
    assert_int_equal(stream_recv(b, buf, sizeof buf), 0);   /* EOF. */
    stream_close(b);
}

static void
test_unix_roundtrip(void **state)
{
    (void) state;
    char *dir = test_tmpdir();
    char *path = test_path(dir, "s.sock");
    char *pname = test_path("punix:", path + 1);   /* "punix:/..." */
    char *aname = test_path("unix:", path + 1);
    struct pstream *p;
    assert_int_equal(pstream_open(pname, &p, NULL), 0);
    assert_int_equal(pstream_port(p), 0);

    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISSOCK(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0600);

    /* A second listener on a live socket is refused. */
    struct pstream *p2;
    char *err = NULL;
    assert_int_equal(pstream_open(pname, &p2, &err), -EADDRINUSE);
    free(err);
    /* That check connected once to the live socket and hung up. */
    struct stream *probe;
    assert_int_equal(test_wait_fd(pstream_fd(p), POLLIN), 1);
    assert_int_equal(pstream_accept(p, &probe), 0);
    expect_recv(probe, "");
    char c;
    assert_int_equal(test_wait_fd(stream_fd(probe), POLLIN), 1);
    assert_int_equal(stream_recv(probe, &c, 1), 0);
    stream_close(probe);

    struct stream *client, *server;
    connect_pair(aname, p, &client, &server);
    assert_string_equal(stream_name(server), aname);
    exchange(client, server);

    struct stream *none;
    assert_int_equal(pstream_accept(p, &none), -EAGAIN);
    pstream_close(p);
    assert_int_equal(stat(path, &st), -1);      /* Socket file removed. */

    /* Nobody listening now. */
    assert_true(stream_open(aname, &client, NULL) < 0);
    pstream_close(NULL);
    stream_close(NULL);
    rmdir(dir);
    free(aname);
    free(pname);
    free(path);
    free(dir);
}

static void
test_unix_stale_socket_replaced(void **state)
{
    (void) state;
    char *dir = test_tmpdir();
    char *path = test_path(dir, "stale.sock");
    char *pname = test_path("punix:", path + 1);
    /* What a crashed daemon leaves: a bound socket file, nobody behind. */
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    strcpy(sun.sun_path, path);
    assert_int_equal(bind(fd, (struct sockaddr *) &sun, sizeof sun), 0);
    close(fd);
    struct pstream *p2;
    assert_int_equal(pstream_open(pname, &p2, NULL), 0);
    pstream_close(p2);

    /* A file that is not a socket is never removed. */
    FILE *f = fopen(path, "w");
    fclose(f);
    char *err = NULL;
    assert_int_equal(pstream_open(pname, &p2, &err), -EEXIST);
    assert_non_null(strstr(err, "not a socket"));
    free(err);
    unlink(path);
    rmdir(dir);
    free(pname);
    free(path);
    free(dir);
}

static void
test_tcp_roundtrip(void **state)
{
    (void) state;
    struct pstream *p;
    char *err = NULL;
    assert_int_equal(pstream_open("ptcp:0:127.0.0.1", &p, &err), 0);
    uint16_t port = pstream_port(p);
    assert_true(port > 0);
    char name[64];
    snprintf(name, sizeof name, "tcp:127.0.0.1:%u", port);

    struct stream *client, *server;
    connect_pair(name, p, &client, &server);
    assert_string_equal(stream_name(client), name);
    assert_non_null(strstr(stream_name(server), "tcp:127.0.0.1:"));
    exchange(server, client);
    pstream_close(p);
}

static void
test_tcp_refused(void **state)
{
    (void) state;
    struct pstream *p;
    assert_int_equal(pstream_open("ptcp:0:127.0.0.1", &p, NULL), 0);
    char name[64];
    snprintf(name, sizeof name, "tcp:127.0.0.1:%u", pstream_port(p));
    pstream_close(p);

    struct stream *s;
    int error = stream_open(name, &s, NULL);
    if (!error) {
        while ((error = stream_connect(s)) == -EAGAIN) {
            assert_int_equal(test_wait_fd(stream_fd(s), POLLOUT), 1);
        }
        assert_int_equal(stream_send(s, "x", 1), -ECONNREFUSED);
        stream_close(s);
    }
    assert_int_equal(error, -ECONNREFUSED);
}

static void
test_send_queue_limit(void **state)
{
    (void) state;
    struct pstream *p;
    assert_int_equal(pstream_open("ptcp:0:127.0.0.1", &p, NULL), 0);
    char name[64];
    snprintf(name, sizeof name, "tcp:127.0.0.1:%u", pstream_port(p));
    struct stream *client, *server;
    connect_pair(name, p, &client, &server);

    /* The peer does not read: the kernel buffers fill, then our queue. */
    enum { CHUNK = 4096, LIMIT = 64 * 1024 };
    stream_set_queue_limit(client, LIMIT);
    assert_int_equal(stream_queue_limit(client), LIMIT);
    static char chunk[CHUNK];
    size_t accepted = 0;
    int error = 0;
    for (int i = 0; i < 100000 && !error; i++) {
        memset(chunk, i & 0xff, sizeof chunk);
        error = stream_send(client, chunk, sizeof chunk);
        if (!error) {
            accepted += CHUNK;
        }
    }
    assert_int_equal(error, -ENOBUFS);
    size_t queued = stream_queued_bytes(client);
    assert_true(queued > LIMIT - CHUNK && queued <= LIMIT);
    assert_true(stream_wanted_events(client) & LOOP_WRITE);

    /* The owner may keep trying: still refused, nothing queued. */
    assert_int_equal(stream_send(client, chunk, 1), -ENOBUFS);
    assert_int_equal(stream_queued_bytes(client), queued);

    /* Drain at the peer; run the sender; every accepted byte arrives in
     * order. */
    size_t received = 0;
    static char rbuf[65536];
    while (received < accepted) {
        assert_int_equal(stream_run(client), 0);
        ssize_t n = stream_recv(server, rbuf, sizeof rbuf);
        if (n == -EAGAIN) {
            assert_int_equal(test_wait_fd(stream_fd(server), POLLIN), 1);
            continue;
        }
        assert_true(n > 0);
        for (ssize_t j = 0; j < n; j++) {
            size_t ofs = received + j;
            assert_int_equal((uint8_t) rbuf[j], (uint8_t) ((ofs / CHUNK) & 0xff));
        }
        received += n;
    }
    assert_int_equal(received, accepted);
    assert_int_equal(stream_queued_bytes(client), 0);
    assert_int_equal(stream_wanted_events(client), LOOP_READ);

    /* A peer that went away: the write error is reported and sticks. */
    stream_close(server);
    error = 0;
    for (int i = 0; i < 1000 && !error; i++) {
        error = stream_send(client, chunk, sizeof chunk);
        if (!error) {
            error = stream_run(client);
        }
    }
    assert_true(error == -EPIPE || error == -ECONNRESET);
    assert_int_equal(stream_send(client, "x", 1), error);
    stream_close(client);
    pstream_close(p);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_names),
        cmocka_unit_test(test_unix_roundtrip),
        cmocka_unit_test(test_unix_stale_socket_replaced),
        cmocka_unit_test(test_tcp_roundtrip),
        cmocka_unit_test(test_tcp_refused),
        cmocka_unit_test(test_send_queue_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
