/* Helpers shared by the lib/net unit tests (header-only, test code only). */
#ifndef PLURAL_NET_TEST_UTIL_H
#define PLURAL_NET_TEST_UTIL_H 1

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A fresh private directory for socket files; caller frees the string. */
static inline char *
test_tmpdir(void)
{
    char tmpl[] = "/tmp/plural-net-test-XXXXXX";
    char *dir = mkdtemp(tmpl);
    return dir ? strdup(dir) : NULL;
}

static inline char *
test_path(const char *dir, const char *file)
{
    size_t n = strlen(dir) + strlen(file) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", dir, file);
    return p;
}

/* Waits (bounded, for the test to fail rather than hang) until fd has
 * `events`; returns poll()'s result. */
static inline int
test_wait_fd(int fd, short events)
{
    struct pollfd pfd = { .fd = fd, .events = events };
    return poll(&pfd, 1, 5000);
}

#endif
