/* ctl-client — one request/reply over a daemon's control socket (the
 * client side of ctl-server.h; what `plural` and the tests use).
 *
 * Blocking with a timeout (poll(), not an event loop): meant for CLIs and
 * tests, never for a daemon's loop thread.
 *
 * Thread-safety: reentrant; no global state. */
#ifndef PLURAL_NET_CTL_CLIENT_H
#define PLURAL_NET_CTL_CLIENT_H 1

#include <stdbool.h>
#include <jansson.h>

/* Sends argv[0] (the command) with arguments argv[1..argc-1] to the server
 * at `socket_path` (plain path or "unix:PATH") and waits for the reply, at
 * most timeout_ms (<= 0: 10 s).
 *
 * Returns 0 if the server replied "ok", 1 if it replied "error", or -errno
 * if there was no reply: -ENOENT/-ECONNREFUSED (no daemon), -ETIMEDOUT,
 * -EPROTO (malformed reply), ...
 *
 * *reply_text (if non-NULL) receives a malloc'd string in every case: the
 * reply text, the server's error message, or for -errno a message naming
 * the socket path ("cannot connect to /run/x.ctl: No such file or
 * directory").  *reply_json (if non-NULL) receives the reply's "json"
 * member (a new reference; NULL if absent).  `json` asks the server for
 * JSON output. */
int ctl_client_transact(const char *socket_path, int argc, char **argv,
                        bool json, char **reply_text, json_t **reply_json,
                        int timeout_ms);

#endif
