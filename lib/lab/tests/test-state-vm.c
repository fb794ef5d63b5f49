/* Unit tests (no root): the lab state file (objects appended and saved
 * before creation, reload, node records) and the guest control channel
 * against a fake agent on a unix socket (answers framed like the guest's
 * /init, interleaved with console noise). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "lab/state.h"
#include "lab/vm.h"
#include "util/util.h"

static char dir[64];

static int
setup(void **state)
{
    (void) state;
    snprintf(dir, sizeof dir, "/tmp/test-lab-state.XXXXXX");
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int
teardown(void **state)
{
    (void) state;
    char *cmd = xasprintf("rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    return 0;
}

static void
test_state(void **state)
{
    (void) state;
    struct lab_state *st;
    assert_int_equal(lab_state_load(dir, &st), -ENOENT);
    assert_int_equal(lab_state_create(dir, "demo", &st), 0);
    /* Each add is on disk at once: a second reader sees it. */
    assert_int_equal(lab_state_add(st, json_pack("{s:s, s:s}", "type", "netns", "name",
                                                 "demo-a")), 0);
    json_object_set_new(lab_state_node(st, "a", 1), "kind", json_string("host"));
    assert_null(lab_state_node(st, "b", 0));
    assert_int_equal(lab_state_add(st, json_pack("{s:s, s:i, s:I}", "type", "process", "pid",
                                                 42, "start", (json_int_t) 7)), 0);
    struct lab_state *again;
    assert_int_equal(lab_state_load(dir, &again), 0);
    json_t *objects = json_object_get(again->root, "objects");
    assert_int_equal(json_array_size(objects), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(objects, 0), "name")),
                        "demo-a");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(objects, 1), "pid")), 42);
    assert_string_equal(json_string_value(json_object_get(again->root, "name")), "demo");
    assert_string_equal(json_string_value(json_object_get(lab_state_node(again, "a", 0),
                                                          "kind")), "host");
    lab_state_destroy(again);
    /* No temporary file is left next to it. */
    char *tmp = xasprintf("%s/state.json.tmp", dir);
    assert_int_equal(access(tmp, F_OK), -1);
    free(tmp);
    lab_state_remove(st);
    lab_state_destroy(st);
    assert_int_equal(lab_state_load(dir, &st), -ENOENT);

    /* A damaged file is refused, not half-read. */
    char *path = xasprintf("%s/state.json", dir);
    FILE *f = fopen(path, "w");
    fputs("{\"name\": \"x\", \"objects\": 3}", f);
    fclose(f);
    assert_int_equal(lab_state_load(dir, &st), -EINVAL);
    free(path);
}

/* A fake guest agent: accepts one connection, prints console noise, then
 * answers each "ID CMD" line: "echo TEXT" -> TEXT, "exit N" -> status N. */
struct agent {
    int listen_fd;
    int commands;
};

static void *
agent_main(void *a_)
{
    struct agent *a = a_;
    int fd = accept(a->listen_fd, NULL, NULL);
    if (fd < 0) {
        return NULL;
    }
    const char *noise = "[    1.234] random kernel message\r\nPLURAL-END bogus 9\r\n";
    ssize_t w = write(fd, noise, strlen(noise));
    (void) w;
    char line[512];
    size_t len = 0;
    char c;
    while (read(fd, &c, 1) == 1) {
        if (c != '\n') {
            if (len < sizeof line - 1) {
                line[len++] = c;
            }
            continue;
        }
        line[len] = '\0';
        len = 0;
        char *space = strchr(line, ' ');
        if (!space) {
            continue;
        }
        *space = '\0';
        const char *cmd = space + 1;
        int rc = 0;
        char out[256] = "";
        if (!strncmp(cmd, "echo ", 5)) {
            snprintf(out, sizeof out, "%s\r\n", cmd + 5);
        } else if (!strncmp(cmd, "exit ", 5)) {
            rc = atoi(cmd + 5);
        }
        char *answer = xasprintf("PLURAL-BEGIN %s\r\n%sPLURAL-END %s %d\r\n", line, out, line,
                                 rc);
        w = write(fd, answer, strlen(answer));
        free(answer);
        a->commands++;
    }
    close(fd);
    return NULL;
}

static void
test_vm_exec(void **state)
{
    (void) state;
    char *path = xasprintf("%s/console", dir);
    struct agent a = { .listen_fd = socket(AF_UNIX, SOCK_STREAM, 0) };
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
    assert_int_equal(bind(a.listen_fd, (struct sockaddr *) &sun, sizeof sun), 0);
    assert_int_equal(listen(a.listen_fd, 4), 0);

    for (int round = 0; round < 2; round++) {
        pthread_t t;
        pthread_create(&t, NULL, agent_main, &a);
        int rc = -1;
        char *out = NULL;
        double secs = -1;
        if (round == 0) {
            assert_int_equal(lab_vm_exec(path, "echo hello guest", 5000, &rc, &out, &secs), 0);
            assert_int_equal(rc, 0);
            assert_string_equal(out, "hello guest\n");   /* \r removed. */
            assert_true(secs >= 0 && secs < 5);
        } else {
            assert_int_equal(lab_vm_exec(path, "exit 42", 5000, &rc, &out, NULL), 0);
            assert_int_equal(rc, 42);
            assert_string_equal(out, "");
        }
        free(out);
        pthread_join(t, NULL);
    }
    assert_int_equal(a.commands, 2);
    int rc;
    assert_int_equal(lab_vm_exec(path, "two\nlines", 1000, &rc, NULL, NULL), -EINVAL);
    close(a.listen_fd);
    unlink(path);
    /* Nobody listening. */
    assert_int_equal(lab_vm_exec(path, "true", 1000, &rc, NULL, NULL), -ENOENT);
    free(path);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_state, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vm_exec, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
