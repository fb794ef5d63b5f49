/* ctl-server — the control socket every plural daemon serves (like OVS's
 * unixctl / ovs-appctl).
 *
 * Protocol: newline-delimited JSON over a unix socket (mode 0600).
 *   request:  {"command":"dump-flows","args":["br0"],"json":true}\n
 *   reply:    {"status":"ok","text":"...","json":...}\n
 *             {"status":"error","text":"unknown command \"x\"; ..."}\n
 * "args" (strings) and "json" (bool, default false) are optional.  A client
 * may send several requests on one connection; replies come in order.  A
 * line that is not a JSON object with a string "command" gets an error
 * reply and the connection stays usable.  Lines longer than
 * CTL_MAX_LINE bytes close the connection.
 *
 * Clients: at most 64 at once (more are accepted and closed at once, see
 * listener.h); no handshake timeout (the socket is the owner's only).
 *
 * Commands: ctl_server_register(server, "dump-flows", 0, 1, handler, aux).
 * The handler gets argc/argv with argv[0] = the command name and
 * argv[1..argc-1] = the arguments; min_args/max_args bound argc-1 and are
 * checked before the handler runs (-1 for max means unlimited).  The
 * handler must reply exactly once before it returns, with one of
 * ctl_reply_ok(), ctl_reply_json(), ctl_reply_error(); if it does not, the
 * client receives an error (and the bug is logged); replying twice is a bug
 * that aborts.  ctl_conn_wants_json() tells whether the client
 * asked for JSON (handlers that support it then use ctl_reply_json()).
 *
 * Built-in commands: list-commands, version, log/list, log/set MODULE LEVEL,
 * counters, clock/stop, clock/warp MS, clock/resume.
 *
 * Thread-safety: the thread that runs `loop`; handlers run there. */
#ifndef PLURAL_NET_CTL_SERVER_H
#define PLURAL_NET_CTL_SERVER_H 1

#include <stdbool.h>
#include <jansson.h>

struct loop;
struct ctl_server;
struct ctl_conn;

#define CTL_MAX_LINE (1024 * 1024)

typedef void ctl_handler(struct ctl_conn *, int argc, const char *argv[],
                         void *aux);

/* Listens on the unix socket `path` (a plain path, or "punix:PATH").
 * Returns 0, or -errno with *errp naming the path (see stream.h). */
int ctl_server_create(struct loop *, const char *path,
                      struct ctl_server **serverp, char **errp);
/* Closes all connections, removes the socket file, frees.  Accepts NULL.
 * Must not be called from a handler. */
void ctl_server_destroy(struct ctl_server *);

/* Registers (or replaces) a command.  `name` is copied. */
void ctl_server_register(struct ctl_server *, const char *name,
                         int min_args, int max_args, ctl_handler *,
                         void *aux);
/* Optional one-line usage shown by list-commands, e.g. "[BRIDGE]". */
void ctl_server_set_usage(struct ctl_server *, const char *name,
                          const char *usage);
const char *ctl_server_path(const struct ctl_server *);

/* Replies (exactly one per request).  `text` may be NULL for "".
 * ctl_reply_json() takes ownership of `json` (a reference is stolen). */
void ctl_reply_ok(struct ctl_conn *, const char *text);
void ctl_reply_json(struct ctl_conn *, json_t *json);
void ctl_reply_error(struct ctl_conn *, const char *text);
bool ctl_conn_wants_json(const struct ctl_conn *);

#endif
