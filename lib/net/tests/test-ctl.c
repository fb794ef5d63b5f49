/* Unit tests: control socket server and client round trips.  The server's
 * loop runs in a second thread; the client (blocking, with a timeout) in
 * the test thread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "net/ctl-client.h"
#include "net/ctl-server.h"
#include "net/event-loop.h"
#include "net/stream.h"
#include "plural-config.h"
#include "util/clock.h"
#include "util/counter.h"
#include "util/log.h"
#include "net-test-util.h"

COUNTER_DEFINE(test_ctl_widgets, "widgets seen by the ctl test");

struct fixture {
    char *dir, *path;
    struct loop *loop;
    struct ctl_server *server;
    pthread_t thread;
};

static void
echo_cmd(struct ctl_conn *conn, int argc, const char *argv[], void *aux)
{
    (void) aux;
    if (ctl_conn_wants_json(conn)) {
        json_t *args = json_array();
        for (int i = 1; i < argc; i++) {
            json_array_append_new(args, json_string(argv[i]));
        }
        ctl_reply_json(conn, args);
        return;
    }
    char text[256] = "";
    for (int i = 0; i < argc; i++) {
        strcat(text, argv[i]);
        strcat(text, i + 1 < argc ? " " : "");
    }
    ctl_reply_ok(conn, text);
}

static void
fail_cmd(struct ctl_conn *conn, int argc, const char *argv[], void *aux)
{
    (void) argc;
    (void) argv;
    (void) aux;
    ctl_reply_error(conn, "it failed");
}

static void
silent_cmd(struct ctl_conn *conn, int argc, const char *argv[], void *aux)
{
    (void) conn;
    (void) argc;
    (void) argv;
    (void) aux;
}

static void *
server_thread(void *fx_)
{
    struct fixture *fx = fx_;
    loop_run(fx->loop);
    return NULL;
}

static int
setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    fx->dir = test_tmpdir();
    fx->path = test_path(fx->dir, "test.ctl");
    fx->loop = loop_create();
    char *err = NULL;
    assert_int_equal(ctl_server_create(fx->loop, fx->path, &fx->server, &err), 0);
    ctl_server_register(fx->server, "echo", 0, -1, echo_cmd, NULL);
    ctl_server_register(fx->server, "fail", 0, 0, fail_cmd, NULL);
    ctl_server_register(fx->server, "silent", 0, 0, silent_cmd, NULL);
    ctl_server_register(fx->server, "two", 1, 2, echo_cmd, NULL);
    ctl_server_set_usage(fx->server, "two", "A [B]");
    assert_int_equal(pthread_create(&fx->thread, NULL, server_thread, fx), 0);
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *fx = *state;
    loop_stop(fx->loop);
    pthread_join(fx->thread, NULL);
    ctl_server_destroy(fx->server);
    loop_destroy(fx->loop);
    struct stat st;
    assert_int_equal(stat(fx->path, &st), -1);   /* Socket file removed. */
    rmdir(fx->dir);
    free(fx->path);
    free(fx->dir);
    free(fx);
    return 0;
}

/* Runs a command given as a NULL-terminated list; returns the result and
 * the reply text (caller frees). */
static int
transact(struct fixture *fx, bool json, char **text, json_t **jreply, ...)
{
    char *argv[16];
    int argc = 0;
    va_list args;
    va_start(args, jreply);
    for (char *a; (a = va_arg(args, char *)) != NULL; ) {
        argv[argc++] = a;
    }
    va_end(args);
    return ctl_client_transact(fx->path, argc, argv, json, text, jreply, 5000);
}

static void
expect(struct fixture *fx, int result, const char *substring, ...)
{
    char *argv[16];
    int argc = 0;
    va_list args;
    va_start(args, substring);
    for (char *a; (a = va_arg(args, char *)) != NULL; ) {
        argv[argc++] = a;
    }
    va_end(args);
    char *text = NULL;
    int r = ctl_client_transact(fx->path, argc, argv, false, &text, NULL, 5000);
    if (r != result || !strstr(text, substring)) {
        fail_msg("%s: got %d \"%s\", want %d \"%s\"", argv[0], r, text,
                 result, substring);
    }
    free(text);
}

static void
test_commands(void **state)
{
    struct fixture *fx = *state;
    struct stat st;
    assert_int_equal(stat(fx->path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    expect(fx, 0, "echo a b c", "echo", "a", "b", "c", NULL);
    expect(fx, 0, "echo", "echo", NULL);
    expect(fx, 1, "it failed", "fail", NULL);
    expect(fx, 0, PLURAL_VERSION, "version", NULL);

    char *text;
    json_t *j;
    assert_int_equal(transact(fx, true, &text, &j, "echo", "x", "y", NULL), 0);
    assert_true(json_is_array(j));
    assert_int_equal(json_array_size(j), 2);
    assert_string_equal(json_string_value(json_array_get(j, 1)), "y");
    assert_non_null(strstr(text, "\"x\""));
    json_decref(j);
    free(text);

    /* list-commands: text and JSON. */
    expect(fx, 0, "two                      A [B]", "list-commands", NULL);
    expect(fx, 0, "clock/warp", "list-commands", NULL);
    assert_int_equal(transact(fx, true, &text, &j, "list-commands", NULL), 0);
    bool found = false;
    for (size_t i = 0; i < json_array_size(j); i++) {
        json_t *c = json_array_get(j, i);
        if (!strcmp(json_string_value(json_object_get(c, "name")), "log/set")) {
            found = true;
            assert_int_equal(json_integer_value(json_object_get(c, "min_args")), 2);
        }
    }
    assert_true(found);
    json_decref(j);
    free(text);
}

static void
test_errors(void **state)
{
    struct fixture *fx = *state;
    expect(fx, 1, "unknown command \"nope\"", "nope", NULL);
    expect(fx, 1, "takes at least 1 argument but 0 were given", "two", NULL);
    expect(fx, 1, "takes at most 2 arguments but 3 were given (usage: two A [B])",
           "two", "a", "b", "c", NULL);
    expect(fx, 0, "two a b", "two", "a", "b", NULL);
    expect(fx, 1, "did not reply", "silent", NULL);
    expect(fx, 1, "takes at most 1 argument", "clock/warp", "1", "2", NULL);
    expect(fx, 1, "not a number", "clock/warp", "soon", NULL);

    /* Nobody at the path: the message names it. */
    char *text = NULL;
    char *argv[] = { "version" };
    char *missing = test_path(fx->dir, "missing.ctl");
    assert_int_equal(ctl_client_transact(missing, 1, argv, false, &text, NULL,
                                         1000), -ENOENT);
    assert_non_null(strstr(text, missing));
    free(text);
    free(missing);
}

static void
test_log_counters_clock(void **state)
{
    struct fixture *fx = *state;
    expect(fx, 0, "ctl_server", "log/list", NULL);
    expect(fx, 0, "", "log/set", "ctl_server", "dbg", NULL);
    expect(fx, 0, "dbg", "log/list", NULL);
    expect(fx, 1, "unknown log level \"loud\"", "log/set", "ctl_server", "loud", NULL);
    expect(fx, 1, "unknown log module \"nosuch\"", "log/set", "nosuch", "info", NULL);
    expect(fx, 0, "", "log/set", "ALL", "info", NULL);

    counter_add(&test_ctl_widgets, 7);
    expect(fx, 0, "widgets seen by the ctl test", "counters", NULL);
    char *text;
    json_t *j;
    assert_int_equal(transact(fx, true, &text, &j, "counters", NULL), 0);
    assert_int_equal(json_integer_value(json_object_get(j, "test_ctl_widgets")), 7);
    json_decref(j);
    free(text);

    expect(fx, 0, "", "clock/stop", NULL);
    assert_true(clock_is_stopped());
    uint64_t t0 = clock_now_ms();
    expect(fx, 0, "", "clock/warp", "30000", NULL);
    assert_int_equal(clock_now_ms(), t0 + 30000);
    expect(fx, 0, "", "clock/resume", NULL);
    assert_false(clock_is_stopped());
}

/* Raw access for malformed input. */
static int
raw_connect(struct fixture *fx)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    strcpy(sun.sun_path, fx->path);
    assert_int_equal(connect(fd, (struct sockaddr *) &sun, sizeof sun), 0);
    return fd;
}

static json_t *
raw_reply(int fd)
{
    char line[4096];
    size_t n = 0;
    while (n == 0 || line[n - 1] != '\n') {    /* Byte by byte: one line. */
        assert_int_equal(test_wait_fd(fd, POLLIN), 1);
        assert_true(n < sizeof line);
        assert_int_equal(read(fd, line + n, 1), 1);
        n++;
    }
    json_t *reply = json_loadb(line, n, 0, NULL);
    assert_non_null(reply);
    return reply;
}

static void
raw_expect(int fd, const char *request, const char *status, const char *text)
{
    assert_int_equal(write(fd, request, strlen(request)), strlen(request));
    json_t *reply = raw_reply(fd);
    assert_string_equal(json_string_value(json_object_get(reply, "status")), status);
    const char *t = json_string_value(json_object_get(reply, "text"));
    if (!strstr(t, text)) {
        fail_msg("reply to %s: \"%s\" lacks \"%s\"", request, t, text);
    }
    json_decref(reply);
}

static void
test_bad_lines_keep_server_running(void **state)
{
    struct fixture *fx = *state;
    int fd = raw_connect(fx);
    raw_expect(fd, "this is not json\n", "error", "bad request: not JSON");
    raw_expect(fd, "[1,2]\n", "error", "string \"command\"");
    raw_expect(fd, "{\"command\":5}\n", "error", "string \"command\"");
    raw_expect(fd, "{\"command\":\"echo\",\"args\":[1]}\n", "error", "array of strings");
    raw_expect(fd, "{\"command\":\"echo\",\"args\":\"x\"}\n", "error", "array of strings");
    raw_expect(fd, "{\"command\":\"echo\",\"json\":3}\n", "error", "true or false");
    /* Same connection still works; two requests in one write, in order. */
    raw_expect(fd, "{\"command\":\"echo\",\"args\":[\"1\"]}\n"
                   "{\"command\":\"echo\",\"args\":[\"2\"]}\n", "ok", "echo 1");
    json_t *second = raw_reply(fd);
    assert_string_equal(json_string_value(json_object_get(second, "text")), "echo 2");
    json_decref(second);
    /* A request split across writes. */
    assert_int_equal(write(fd, "{\"comma", 7), 7);
    raw_expect(fd, "nd\":\"version\"}\n", "ok", PLURAL_VERSION);
    close(fd);

    /* A client that disconnects mid-request. */
    fd = raw_connect(fx);
    assert_int_equal(write(fd, "{\"command\":\"ech", 15), 15);
    close(fd);
    /* A client that sends a request and leaves before the reply. */
    fd = raw_connect(fx);
    assert_int_equal(write(fd, "{\"command\":\"list-commands\"}\n", 28), 28);
    close(fd);

    expect(fx, 0, "still here", "echo", "still", "here", NULL);
}

static void
test_client_timeout(void **state)
{
    (void) state;
    /* A listener that never answers. */
    char *dir = test_tmpdir();
    char *path = test_path(dir, "mute.ctl");
    char *name = test_path("punix:", path + 1);
    struct pstream *p;
    assert_int_equal(pstream_open(name, &p, NULL), 0);
    char *argv[] = { "version" };
    char *text = NULL;
    json_t *j = NULL;
    assert_int_equal(ctl_client_transact(path, 1, argv, false, &text, &j, 100),
                     -ETIMEDOUT);
    assert_non_null(strstr(text, "timed out"));
    assert_non_null(strstr(text, path));
    assert_null(j);
    free(text);
    pstream_close(p);
    rmdir(dir);
    free(name);
    free(path);
    free(dir);
}

int
main(void)
{
    util_set_program_name("test-ctl");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_commands, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_log_counters_clock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_lines_keep_server_running, setup, teardown),
        cmocka_unit_test(test_client_timeout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
