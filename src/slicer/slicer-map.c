/* slicer-map — see slicer-map.h.  One control-socket transaction per push,
 * as ctl-client.c does it but on the event loop: connect to the unix
 * socket, write one JSON request line, read one JSON reply line, close. */
#include "slicer-map.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include "net/event-loop.h"
#include "slicer.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/util.h"

LOG_MODULE(slicer_map);

#define PUSH_TIMEOUT_MS 5000
#define BACKOFF_MIN_MS 1000
#define BACKOFF_MAX_MS 30000
#define MAX_REPLY 65536

enum target_state { TARGET_IDLE, TARGET_PUSHING, TARGET_BACKOFF };

struct map_target {
    struct map_pusher *pusher;
    char *path;                 /* Socket path ("unix:" prefix removed). */
    uint64_t dpid;              /* FS_DPID_ANY: the map of every entry. */
    enum target_state state;
    int fd;                     /* PUSHING: the connection, else -1. */
    struct buf out;             /* PUSHING: request bytes not yet sent. */
    size_t out_sent;
    struct buf in;              /* PUSHING: reply bytes so far. */
    char *sending;              /* PUSHING: the map being pushed. */
    uint64_t timer;             /* PUSHING: timeout; BACKOFF: retry. */
    uint32_t backoff_ms;
    bool again;                 /* Push once more after this one. */
    char *accepted;             /* The last map the switch accepted. */
    char *last_result;          /* "ok" or why the last push failed. */
    uint64_t pushes, failures;
};

struct map_pusher {
    struct loop *loop;
    struct slicer *slicer;
    struct map_target *targets;
    size_t n_targets;
};

static void target_push(struct map_target *);

/* The map for `dpid` as the slice/map arguments, joined by spaces (a
 * comparable string); "" when no slice has a VLAN. */
static char *
build_map(const struct slicer *s, uint64_t dpid)
{
    struct buf b = BUF_EMPTY;
    for (size_t i = 0; i < slicer_n_slices(s); i++) {
        char *e = slice_def_map_entry(slicer_slice_at(s, i)->def,
                                      (uint32_t) i + 1, dpid);
        if (e) {
            buf_printf(&b, "%s%s", b.size ? " " : "", e);
            free(e);
        }
    }
    char *map = xstrdup(buf_cstr(&b));
    buf_uninit(&b);
    return map;
}

/* {"command": ..., "args": [...], "json": false} and a newline. */
static void
build_request(const char *map, struct buf *out)
{
    json_t *args = json_array();
    const char *command = *map ? "slice/map" : "slice/map-clear";
    char *copy = xstrdup(map);
    char *save = NULL;
    for (char *a = strtok_r(copy, " ", &save); a; a = strtok_r(NULL, " ", &save)) {
        json_array_append_new(args, json_string(a));
    }
    free(copy);
    json_t *req = json_pack("{s:s, s:o, s:b}", "command", command, "args", args,
                            "json", false);
    char *line = json_dumps(req, JSON_COMPACT);
    json_decref(req);
    buf_clear(out);
    buf_printf(out, "%s\n", line);
    free(line);
}

static void
set_result(struct map_target *t, char *text)
{
    free(t->last_result);
    t->last_result = text;
}

static void
close_connection(struct map_target *t)
{
    if (t->fd >= 0) {
        loop_remove_fd(t->pusher->loop, t->fd);
        close(t->fd);
        t->fd = -1;
    }
    loop_cancel_timer(t->pusher->loop, t->timer);
    t->timer = 0;
    buf_clear(&t->out);
    buf_clear(&t->in);
    t->out_sent = 0;
}

static int64_t
retry_cb(struct loop *loop, uint64_t id, void *t_)
{
    struct map_target *t = t_;
    (void) loop;
    (void) id;
    t->timer = 0;
    t->state = TARGET_IDLE;
    target_push(t);
    return LOOP_TIMER_DONE;
}

/* Ends the push in progress: `error` NULL for success, else why not. */
static void
finish_push(struct map_target *t, char *error)
{
    close_connection(t);
    if (!error) {
        t->pushes++;
        t->backoff_ms = 0;
        LOG_INFO("slice map pushed to %s: %s", t->path,
                 *t->sending ? t->sending : "(no VLAN: scheduler off)");
        free(t->accepted);
        t->accepted = t->sending;
        t->sending = NULL;
        set_result(t, xstrdup("ok"));
        t->state = TARGET_IDLE;
        if (t->again) {
            t->again = false;
            target_push(t);
        }
        return;
    }
    t->failures++;
    free(t->sending);
    t->sending = NULL;
    t->backoff_ms = MIN(MAX(t->backoff_ms * 2, BACKOFF_MIN_MS), BACKOFF_MAX_MS);
    if (!t->last_result || strcmp(t->last_result, error)) {
        LOG_WARN("slice map to %s: %s (retrying, every %u s at most)", t->path,
                 error, BACKOFF_MAX_MS / 1000);
    }
    set_result(t, error);
    t->again = false;           /* The retry pushes the current map. */
    t->state = TARGET_BACKOFF;
    t->timer = loop_add_timer(t->pusher->loop, t->backoff_ms, retry_cb, t);
}

/* A whole reply line: {"status": "ok"|"error", "text": ...}. */
static void
handle_reply(struct map_target *t)
{
    json_t *reply = json_loadb((const char *) t->in.data, t->in.size, 0, NULL);
    const char *status = json_string_value(json_object_get(reply, "status"));
    const char *text = json_string_value(json_object_get(reply, "text"));
    if (status && !strcmp(status, "ok")) {
        finish_push(t, NULL);
    } else if (status && !strcmp(status, "error")) {
        finish_push(t, xasprintf("refused: %s", text ? text : "(no text)"));
    } else {
        finish_push(t, xstrdup("malformed reply"));
    }
    json_decref(reply);
}

static void
fd_cb(struct loop *loop, int fd, unsigned int events, void *t_)
{
    struct map_target *t = t_;
    (void) events;
    while (t->out_sent < t->out.size) {
        ssize_t r = send(fd, (const char *) t->out.data + t->out_sent,
                         t->out.size - t->out_sent, MSG_NOSIGNAL);
        if (r > 0) {
            t->out_sent += (size_t) r;
        } else if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
            return;
        } else {
            finish_push(t, xasprintf("send: %s", strerror(errno)));
            return;
        }
    }
    loop_set_fd_interest(loop, fd, LOOP_READ);
    for (;;) {
        char chunk[4096];
        ssize_t r = recv(fd, chunk, sizeof chunk, 0);
        if (r > 0) {
            char *nl = memchr(chunk, '\n', (size_t) r);
            buf_put(&t->in, chunk, nl ? (size_t) (nl - chunk) : (size_t) r);
            if (nl) {
                handle_reply(t);
                return;
            }
            if (t->in.size > MAX_REPLY) {
                finish_push(t, xstrdup("reply too long"));
                return;
            }
        } else if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
            return;
        } else {
            finish_push(t, r ? xasprintf("recv: %s", strerror(errno))
                             : xstrdup("closed without a reply"));
            return;
        }
    }
}

static int64_t
timeout_cb(struct loop *loop, uint64_t id, void *t_)
{
    struct map_target *t = t_;
    (void) loop;
    (void) id;
    t->timer = 0;
    finish_push(t, xstrdup("no reply in 5 s"));
    return LOOP_TIMER_DONE;
}

static void
target_push(struct map_target *t)
{
    if (t->state == TARGET_PUSHING) {
        t->again = true;
        return;
    }
    if (t->state == TARGET_BACKOFF) {
        loop_cancel_timer(t->pusher->loop, t->timer);
        t->timer = 0;
        t->state = TARGET_IDLE;
    }
    t->sending = build_map(t->pusher->slicer, t->dpid);
    t->state = TARGET_PUSHING;

    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    if (strlen(t->path) >= sizeof sun.sun_path) {
        finish_push(t, xstrdup("socket path too long"));
        return;
    }
    strcpy(sun.sun_path, t->path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        finish_push(t, xasprintf("socket: %s", strerror(errno)));
        return;
    }
    if (connect(fd, (struct sockaddr *) &sun, sizeof sun) < 0) {
        int error = errno;
        close(fd);
        finish_push(t, xasprintf("cannot connect: %s",
                                 strerror(error == EAGAIN ? ECONNREFUSED : error)));
        return;
    }
    t->fd = fd;
    build_request(t->sending, &t->out);
    t->out_sent = 0;
    t->timer = loop_add_timer(t->pusher->loop, PUSH_TIMEOUT_MS, timeout_cb, t);
    loop_add_fd(t->pusher->loop, fd, LOOP_READ | LOOP_WRITE, fd_cb, t);
}

/* "PATH" or "DPID=PATH" (DPID decimal or 0x hex). */
static int
parse_spec(const char *spec, char **path, uint64_t *dpid, char **errp)
{
    const char *eq = strchr(spec, '=');
    *dpid = FS_DPID_ANY;
    if (eq) {
        char *d = xstrndup(spec, (size_t) (eq - spec));
        int error = str_to_u64(d, 0, UINT64_MAX - 1, dpid);
        free(d);
        if (error) {
            *errp = xasprintf("--switch-ctl \"%s\": expected PATH or DPID=PATH", spec);
            return -EINVAL;
        }
        spec = eq + 1;
    }
    if (!strncmp(spec, "unix:", 5)) {
        spec += 5;
    }
    if (!*spec) {
        *errp = xstrdup("--switch-ctl: empty path");
        return -EINVAL;
    }
    *path = xstrdup(spec);
    return 0;
}

int
map_pusher_create(struct loop *loop, struct slicer *slicer,
                  const char *const *specs, size_t n_specs,
                  struct map_pusher **pp, char **errp)
{
    struct map_pusher *p = xzalloc(sizeof *p);
    p->loop = loop;
    p->slicer = slicer;
    p->targets = xcalloc(n_specs + 1, sizeof *p->targets);
    *pp = NULL;
    for (size_t i = 0; i < n_specs; i++) {
        struct map_target *t = &p->targets[p->n_targets];
        if (parse_spec(specs[i], &t->path, &t->dpid, errp)) {
            map_pusher_destroy(p);
            return -EINVAL;
        }
        t->pusher = p;
        t->fd = -1;
        p->n_targets++;
    }
    *pp = p;
    return 0;
}

void
map_pusher_destroy(struct map_pusher *p)
{
    if (!p) {
        return;
    }
    for (size_t i = 0; i < p->n_targets; i++) {
        struct map_target *t = &p->targets[i];
        close_connection(t);
        buf_uninit(&t->out);
        buf_uninit(&t->in);
        free(t->path);
        free(t->sending);
        free(t->accepted);
        free(t->last_result);
    }
    free(p->targets);
    free(p);
}

void
map_pusher_changed(struct map_pusher *p)
{
    for (size_t i = 0; p && i < p->n_targets; i++) {
        struct map_target *t = &p->targets[i];
        char *map = build_map(p->slicer, t->dpid);
        /* A target in back-off retries with the current map anyway. */
        if (t->state == TARGET_PUSHING
            ? strcmp(map, t->sending) != 0
            : t->state == TARGET_IDLE && (!t->accepted || strcmp(map, t->accepted))) {
            target_push(t);
        }
        free(map);
    }
}

void
map_pusher_push_all(struct map_pusher *p)
{
    for (size_t i = 0; p && i < p->n_targets; i++) {
        target_push(&p->targets[i]);
    }
}

void
map_pusher_switch_ready(struct map_pusher *p, uint64_t dpid)
{
    for (size_t i = 0; p && i < p->n_targets; i++) {
        struct map_target *t = &p->targets[i];
        if (t->dpid == FS_DPID_ANY || t->dpid == dpid) {
            target_push(t);
        }
    }
}

json_t *
map_pusher_to_json(const struct map_pusher *p)
{
    static const char *const states[] = { "idle", "pushing", "backoff" };
    json_t *a = json_array();
    for (size_t i = 0; p && i < p->n_targets; i++) {
        const struct map_target *t = &p->targets[i];
        char dpid[24];
        if (t->dpid == FS_DPID_ANY) {
            snprintf(dpid, sizeof dpid, "any");
        } else {
            snprintf(dpid, sizeof dpid, "%016"PRIx64, t->dpid);
        }
        char *map = build_map(p->slicer, t->dpid);
        json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:b}",
            "target", t->path, "dpid", dpid, "state", states[t->state],
            "pushes", (json_int_t) t->pushes, "failures", (json_int_t) t->failures,
            "last_result", t->last_result ? t->last_result : "",
            "map", map,
            "in_sync", t->state == TARGET_IDLE && t->accepted && !strcmp(map, t->accepted)));
        free(map);
    }
    return a;
}
