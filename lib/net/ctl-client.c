/* ctl-client — see ctl-client.h.  One connection per transaction: connect,
 * write one request line, read one reply line, close.  Waits use poll()
 * with what is left of the caller's timeout. */
#include "net/ctl-client.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/clock.h"
#include "util/util.h"

#define DEFAULT_TIMEOUT_MS 10000

/* Waits for `events` on fd until deadline_ms.  0 or -ETIMEDOUT/-errno.
 * poll() returning 0 means the remaining time really passed, even if the
 * process clock is stopped. */
static int
wait_fd(int fd, short events, uint64_t deadline_ms)
{
    for (;;) {
        uint64_t now = clock_now_ms();
        if (now >= deadline_ms) {
            return -ETIMEDOUT;
        }
        struct pollfd pfd = { .fd = fd, .events = events };
        int n = poll(&pfd, 1, (int) MIN(deadline_ms - now, INT32_MAX));
        if (n > 0) {
            return 0;
        }
        if (n == 0) {
            return -ETIMEDOUT;
        }
        if (errno != EINTR) {
            return -errno;
        }
    }
}

static int
connect_socket(const char *path, int *fdp)
{
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof sun.sun_path) {
        return -ENAMETOOLONG;
    }
    strcpy(sun.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -errno;
    }
    if (connect(fd, (struct sockaddr *) &sun, sizeof sun) < 0) {
        int error = errno == EAGAIN ? -ECONNREFUSED : -errno;
        close(fd);
        return error;
    }
    *fdp = fd;
    return 0;
}

static char *
make_request(int argc, char **argv, bool json)
{
    json_t *args = json_array();
    for (int i = 1; i < argc; i++) {
        json_array_append_new(args, json_string(argv[i]));
    }
    json_t *req = json_pack("{s:s, s:o, s:b}", "command", argv[0],
                            "args", args, "json", json);
    char *line = req ? json_dumps(req, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(req);
    return line;    /* NULL only for arguments that are not UTF-8. */
}

static int
send_all(int fd, const char *data, size_t n, uint64_t deadline_ms)
{
    while (n) {
        ssize_t r = send(fd, data, n, MSG_NOSIGNAL);
        if (r > 0) {
            data += r;
            n -= r;
        } else if (errno == EAGAIN || errno == EINTR) {
            int error = wait_fd(fd, POLLOUT, deadline_ms);
            if (error) {
                return error;
            }
        } else {
            return -errno;
        }
    }
    return 0;
}

/* Reads up to the first newline into `line` (without it). */
static int
recv_line(int fd, struct buf *line, uint64_t deadline_ms)
{
    for (;;) {
        char chunk[4096];
        ssize_t r = recv(fd, chunk, sizeof chunk, 0);
        if (r > 0) {
            char *nl = memchr(chunk, '\n', r);
            buf_put(line, chunk, nl ? (size_t) (nl - chunk) : (size_t) r);
            if (nl) {
                return 0;
            }
        } else if (r == 0) {
            return -EPROTO;      /* Closed without a complete reply. */
        } else if (errno == EAGAIN || errno == EINTR) {
            int error = wait_fd(fd, POLLIN, deadline_ms);
            if (error) {
                return error;
            }
        } else {
            return -errno;
        }
    }
}

/* Interprets a reply line: 0 (ok), 1 (error), or -EPROTO. */
static int
parse_reply(const struct buf *line, char **text, json_t **json)
{
    json_t *reply = json_loadb((const char *) line->data, line->size, 0, NULL);
    const char *status = json_string_value(json_object_get(reply, "status"));
    if (!status || (strcmp(status, "ok") && strcmp(status, "error"))) {
        json_decref(reply);
        return -EPROTO;
    }
    const char *t = json_string_value(json_object_get(reply, "text"));
    *text = xstrdup(t ? t : "");
    *json = json_incref(json_object_get(reply, "json"));
    int result = strcmp(status, "ok") ? 1 : 0;
    json_decref(reply);
    return result;
}

int
ctl_client_transact(const char *socket_path, int argc, char **argv, bool json,
                    char **reply_text, json_t **reply_json, int timeout_ms)
{
    if (!strncmp(socket_path, "unix:", 5)) {
        socket_path += 5;
    }
    uint64_t deadline = clock_now_ms()
                        + (timeout_ms > 0 ? timeout_ms : DEFAULT_TIMEOUT_MS);
    char *text = NULL;
    json_t *rjson = NULL;
    struct buf line = BUF_EMPTY;
    int fd = -1;
    int result = argc < 1 ? -EINVAL : connect_socket(socket_path, &fd);
    if (result) {
        text = argc < 1 ? xstrdup("no command given")
               : xasprintf("cannot connect to %s: %s", socket_path,
                           strerror(-result));
        goto out;
    }

    char *req = make_request(argc, argv, json);
    if (!req) {
        result = -EINVAL;
        text = xstrdup("command arguments are not valid UTF-8");
        goto out;
    }
    size_t len = strlen(req);
    req[len] = '\n';
    result = send_all(fd, req, len + 1, deadline);
    free(req);
    if (!result) {
        result = recv_line(fd, &line, deadline);
    }
    if (!result) {
        result = parse_reply(&line, &text, &rjson);
    }
    if (result < 0) {
        text = xasprintf("%s: %s", socket_path,
                         result == -ETIMEDOUT ? "timed out waiting for reply"
                         : result == -EPROTO ? "malformed or missing reply"
                         : strerror(-result));
    }

out:
    if (fd >= 0) {
        close(fd);
    }
    buf_uninit(&line);
    if (reply_text) {
        *reply_text = text;
    } else {
        free(text);
    }
    if (reply_json) {
        *reply_json = rjson;
    } else {
        json_decref(rjson);
    }
    return result;
}
