/* ctl-server — see ctl-server.h.
 *
 * Each client connection (ctl_conn) buffers bytes until a newline, then
 * parses the line, runs the command and queues the reply line on its
 * stream.  Requests on one connection are handled strictly in order, one at
 * a time, and handlers reply before returning, so a reply can never outlive
 * or overtake its request.  A connection is only freed from its own fd
 * callback or by ctl_server_destroy(). */
#include "net/ctl-server.h"
#include "net/ctl-internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net/event-loop.h"
#include "net/listener.h"
#include "net/stream.h"
#include "plural-config.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/counter.h"
#include "util/list.h"
#include "util/log.h"
#include "util/util.h"

LOG_MODULE(ctl_server);

/* Replies can be large (dump-flows); a client that does not read them is
 * dropped once this much is queued. */
#define CTL_QUEUE_LIMIT (64 * 1024 * 1024)
/* Clients at once (an owner-only unix socket: no handshake timeout). */
#define CTL_MAX_CONNS 64

struct ctl_command {
    char *name;
    char *usage;
    int min_args, max_args;
    ctl_handler *handler;
    void *aux;
};

struct ctl_server {
    struct loop *loop;
    struct listener *listener;
    char *path;
    struct ctl_command *commands;
    size_t n_commands, allocated_commands;
    struct list conns;          /* struct ctl_conn's. */
};

struct ctl_conn {
    struct list node;
    struct ctl_server *server;
    struct stream *stream;
    struct buf rx;
    bool wants_json;            /* Of the request being handled. */
    bool replied;               /* The current request has its reply. */
    int error;                  /* Non-zero: close after this callback. */
};

/* Replies. */

static void
send_reply(struct ctl_conn *conn, bool ok, const char *text, json_t *json)
{
    if (conn->replied) {
        json_decref(json);
        util_abort("ctl: a command replied twice");
    }
    conn->replied = true;
    json_t *reply = json_object();
    json_object_set_new(reply, "status", json_string(ok ? "ok" : "error"));
    json_object_set_new(reply, "text", json_string(text ? text : ""));
    if (json) {
        json_object_set_new(reply, "json", json);
    }
    /* Compact JSON never contains a raw newline: one reply, one line. */
    char *line = json_dumps(reply, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(reply);
    if (!line) {
        /* Only for invalid UTF-8 in `text`. */
        line = xstrdup("{\"status\":\"error\",\"text\":\"reply is not "
                       "valid UTF-8\"}");
    }
    size_t len = strlen(line);
    line[len] = '\n';           /* json_dumps' NUL becomes the newline. */
    int error = stream_send(conn->stream, line, len + 1);
    free(line);
    if (error) {
        static struct log_ratelimit rl = LOG_RATELIMIT_INIT(5, 10);
        LOG_RL(&rl, LOG_LEVEL_WARN, "%s: dropping control connection: %s",
               conn->server->path, strerror(-error));
        conn->error = error;
    }
}

void
ctl_reply_ok(struct ctl_conn *conn, const char *text)
{
    send_reply(conn, true, text, NULL);
}

void
ctl_reply_json(struct ctl_conn *conn, json_t *json)
{
    char *text = json_dumps(json, JSON_INDENT(2) | JSON_ENCODE_ANY);
    send_reply(conn, true, text, json);
    free(text);
}

void
ctl_reply_error(struct ctl_conn *conn, const char *text)
{
    send_reply(conn, false, text, NULL);
}

bool ctl_conn_wants_json(const struct ctl_conn *conn) { return conn->wants_json; }

/* Commands. */

static struct ctl_command *
find_command(const struct ctl_server *server, const char *name)
{
    for (size_t i = 0; i < server->n_commands; i++) {
        if (!strcmp(server->commands[i].name, name)) {
            return &server->commands[i];
        }
    }
    return NULL;
}

void
ctl_server_register(struct ctl_server *server, const char *name,
                    int min_args, int max_args, ctl_handler *handler,
                    void *aux)
{
    struct ctl_command *cmd = find_command(server, name);
    if (!cmd) {
        if (server->n_commands == server->allocated_commands) {
            server->allocated_commands = MAX(16, 2 * server->allocated_commands);
            server->commands = xrealloc(server->commands,
                                        server->allocated_commands
                                        * sizeof *server->commands);
        }
        cmd = &server->commands[server->n_commands++];
        cmd->name = xstrdup(name);
        cmd->usage = xstrdup("");
    }
    cmd->min_args = min_args;
    cmd->max_args = max_args;
    cmd->handler = handler;
    cmd->aux = aux;
}

void
ctl_server_set_usage(struct ctl_server *server, const char *name,
                     const char *usage)
{
    struct ctl_command *cmd = find_command(server, name);
    if (cmd) {
        free(cmd->usage);
        cmd->usage = xstrdup(usage);
    }
}

const char *ctl_server_path(const struct ctl_server *server) { return server->path; }

static void
run_command(struct ctl_conn *conn, const char *name, int argc,
            const char *argv[])
{
    const struct ctl_command *cmd = find_command(conn->server, name);
    if (!cmd) {
        char *msg = xasprintf("unknown command \"%s\"; use list-commands "
                              "to see the commands", name);
        ctl_reply_error(conn, msg);
        free(msg);
        return;
    }
    int n_args = argc - 1;
    if (n_args < cmd->min_args
        || (cmd->max_args >= 0 && n_args > cmd->max_args)) {
        char *msg = xasprintf(
            "\"%s\" takes %s %d argument%s but %d %s given (usage: %s %s)",
            name,
            n_args < cmd->min_args ? "at least" : "at most",
            n_args < cmd->min_args ? cmd->min_args : cmd->max_args,
            (n_args < cmd->min_args ? cmd->min_args : cmd->max_args) == 1
            ? "" : "s",
            n_args, n_args == 1 ? "was" : "were", name, cmd->usage);
        ctl_reply_error(conn, msg);
        free(msg);
        return;
    }
    cmd->handler(conn, argc, argv, cmd->aux);
    if (!conn->replied) {
        LOG_ERR("command \"%s\" returned without a reply (bug)", name);
        ctl_reply_error(conn, "internal error: the command did not reply");
    }
}

/* Parses one request line and answers it. */
static void
handle_line(struct ctl_conn *conn, const char *line, size_t len)
{
    conn->replied = false;
    conn->wants_json = false;
    json_error_t jerr;
    json_t *req = json_loadb(line, len, 0, &jerr);
    json_t *command = req ? json_object_get(req, "command") : NULL;
    json_t *args = req ? json_object_get(req, "args") : NULL;
    json_t *want_json = req ? json_object_get(req, "json") : NULL;
    char *msg = NULL;
    if (!req) {
        msg = xasprintf("bad request: not JSON: %s", jerr.text);
    } else if (!json_is_object(req) || !json_is_string(command)) {
        msg = xstrdup("bad request: expected a JSON object with a string "
                      "\"command\"");
    } else if (args && !json_is_array(args)) {
        msg = xstrdup("bad request: \"args\" must be an array of strings");
    } else if (want_json && !json_is_boolean(want_json)) {
        msg = xstrdup("bad request: \"json\" must be true or false");
    }
    size_t n_args = args ? json_array_size(args) : 0;
    for (size_t i = 0; !msg && i < n_args; i++) {
        if (!json_is_string(json_array_get(args, i))) {
            msg = xstrdup("bad request: \"args\" must be an array of strings");
        }
    }
    if (msg) {
        LOG_PEER("%s: %s", conn->server->path, msg);
        ctl_reply_error(conn, msg);
        free(msg);
    } else {
        const char **argv = xcalloc(n_args + 2, sizeof *argv);
        argv[0] = json_string_value(command);
        for (size_t i = 0; i < n_args; i++) {
            argv[i + 1] = json_string_value(json_array_get(args, i));
        }
        conn->wants_json = json_is_true(want_json);
        run_command(conn, argv[0], (int) n_args + 1, argv);
        free(argv);
    }
    json_decref(req);
}

/* Connections. */

static void
conn_destroy(struct ctl_conn *conn)
{
    list_remove(&conn->node);
    loop_remove_fd(conn->server->loop, stream_fd(conn->stream));
    stream_close(conn->stream);
    buf_uninit(&conn->rx);
    free(conn);
}

/* Handles every complete line in rx.  Returns false to close. */
static bool
handle_lines(struct ctl_conn *conn)
{
    struct buf *rx = &conn->rx;
    while (!conn->error) {
        uint8_t *nl = rx->size ? memchr(rx->data, '\n', rx->size) : NULL;
        if (!nl) {
            break;
        }
        size_t len = nl - rx->data;
        handle_line(conn, (const char *) rx->data, len);
        buf_pull(rx, len + 1);
    }
    if (rx->size > CTL_MAX_LINE) {
        LOG_PEER("%s: request line longer than %d bytes: closing",
                 conn->server->path, CTL_MAX_LINE);
        return false;
    }
    /* Keep the partial line at the start of the buffer. */
    if (rx->base && rx->data != rx->base) {
        memmove(rx->base, rx->data, rx->size);
        rx->data = rx->base;
    }
    return !conn->error;
}

static void
conn_fd_cb(struct loop *loop, int fd, unsigned int events, void *conn_)
{
    (void) fd;
    struct ctl_conn *conn = conn_;
    bool keep = stream_run(conn->stream) == 0;
    if (keep && (events & LOOP_READ)) {
        buf_reserve(&conn->rx, 4096);
        ssize_t n = stream_recv(conn->stream, conn->rx.data + conn->rx.size,
                                conn->rx.allocated - conn->rx.size
                                - (size_t) (conn->rx.data - conn->rx.base));
        if (n > 0) {
            conn->rx.size += n;
            keep = handle_lines(conn);
        } else if (n != -EAGAIN) {
            keep = false;   /* EOF or error, perhaps mid-request: drop it. */
        }
    }
    if (keep) {
        loop_set_fd_interest(loop, stream_fd(conn->stream),
                             stream_wanted_events(conn->stream));
    } else {
        conn_destroy(conn);
    }
}

static void
accept_cb(struct listener *l, struct stream *stream, void *server_)
{
    (void) l;
    struct ctl_server *server = server_;
    struct ctl_conn *conn = xzalloc(sizeof *conn);
    conn->server = server;
    conn->stream = stream;
    buf_init(&conn->rx, 0);
    stream_set_queue_limit(stream, CTL_QUEUE_LIMIT);
    stream_set_established(stream);
    list_push_back(&server->conns, &conn->node);
    loop_add_fd(server->loop, stream_fd(stream), LOOP_READ, conn_fd_cb, conn);
}

int
ctl_server_create(struct loop *loop, const char *path,
                  struct ctl_server **serverp, char **errp)
{
    *serverp = NULL;
    if (!strncmp(path, "punix:", 6)) {
        path += 6;
    }
    char *name = xasprintf("punix:%s", path);
    struct ctl_server *server = xzalloc(sizeof *server);
    const struct listener_config cfg = { CTL_MAX_CONNS, 0, 0 };
    int error = listener_open(loop, name, &cfg, accept_cb, server,
                              &server->listener, errp);
    free(name);
    if (error) {
        free(server);
        return error;
    }
    server->loop = loop;
    server->path = xstrdup(path);
    list_init(&server->conns);
    ctl_register_builtins(server);
    *serverp = server;
    return 0;
}

void
ctl_server_destroy(struct ctl_server *server)
{
    if (!server) {
        return;
    }
    struct ctl_conn *conn, *next;
    LIST_FOR_EACH_SAFE (conn, next, node, &server->conns) {
        conn_destroy(conn);
    }
    listener_close(server->listener);
    for (size_t i = 0; i < server->n_commands; i++) {
        free(server->commands[i].name);
        free(server->commands[i].usage);
    }
    free(server->commands);
    free(server->path);
    free(server);
}

static int
compare_commands(const void *a_, const void *b_)
{
    const struct ctl_command *a = a_, *b = b_;
    return strcmp(a->name, b->name);
}

void
ctl_server_list_commands(struct ctl_conn *conn, int argc, const char *argv[],
                         void *server_)
{
    (void) argc;
    (void) argv;
    struct ctl_server *server = server_;
    struct ctl_command *sorted = xmemdup(server->commands, server->n_commands
                                         * sizeof *sorted);
    qsort(sorted, server->n_commands, sizeof *sorted, compare_commands);
    if (ctl_conn_wants_json(conn)) {
        json_t *list = json_array();
        for (size_t i = 0; i < server->n_commands; i++) {
            json_array_append_new(list, json_pack(
                "{s:s, s:s, s:i, s:i}", "name", sorted[i].name,
                "usage", sorted[i].usage, "min_args", sorted[i].min_args,
                "max_args", sorted[i].max_args));
        }
        ctl_reply_json(conn, list);
    } else {
        struct buf out = BUF_EMPTY;
        buf_printf(&out, "The available commands are:\n");
        for (size_t i = 0; i < server->n_commands; i++) {
            buf_printf(&out, "  %-24s %s\n", sorted[i].name, sorted[i].usage);
        }
        ctl_reply_ok(conn, buf_cstr(&out));
        buf_uninit(&out);
    }
    free(sorted);
}
