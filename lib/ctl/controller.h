/* controller — the core of plural-controller: one app, many switches.
 *
 * A controller owns: the app instance (ctl-app.h), passive listeners
 * ("ptcp:PORT[:IP]", "punix:PATH") whose accepted connections become
 * switches, active connections ("tcp:IP:PORT", "unix:PATH") that reconnect
 * with back-off (lib/net rconn), the control socket, and one timer that
 * drives keepalives, handshake timeouts and the app's run hook.  See
 * ctl-switch.h for what happens on each connection.
 *
 * Control-socket commands registered by the core: show, switches, dump,
 * flows [DPID], snapshot, restore FILE, reconfigure [FILE], plus the app's
 * commands (ctl-app.h) and lib/net's built-ins.
 *
 * Ownership: controller_create() takes nothing; controller_destroy() stops
 * the app, closes every connection and frees.  A controller made with a
 * NULL loop has no sockets and no timers (unit tests with detached
 * switches).  Thread-safety: loop thread only. */
#ifndef PLURAL_CTL_CONTROLLER_H
#define PLURAL_CTL_CONTROLLER_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ctl/ctl-app.h"

struct loop;
struct controller;

struct controller_options {
    const struct ctl_app_class *app;
    const char *config;                 /* App config file, or NULL. */
    const char *const *listen;          /* Passive stream names. */
    size_t n_listen;
    const char *const *connect;         /* Active stream names. */
    size_t n_connect;
    const char *ctl_path;               /* Control socket, or NULL. */
    uint32_t probe_interval_ms;         /* 0: default 5000. */
    bool keep_flows;                    /* Do not delete flows on connect. */
    uint64_t cookie;                    /* Cookie of every flow installed. */
};

/* Creates the app, reads its config, opens listeners, connections and the
 * control socket, then starts the app.  Returns 0, or -errno with *errp a
 * one-line message (config errors name FILE:LINE). */
int controller_create(struct loop *, const struct controller_options *,
                      struct controller **, char **errp);
void controller_destroy(struct controller *);          /* Accepts NULL. */

struct ctl_app *controller_app(const struct controller *);
uint64_t controller_cookie(const struct controller *);
size_t controller_n_switches(const struct controller *);   /* Up ones. */
/* The TCP port of the first ptcp listener (for "ptcp:0"), or 0. */
uint16_t controller_listen_port(const struct controller *);

/* Writes every switch's pending output.  The core calls this after each
 * event; tests with detached switches call it to collect output. */
void controller_flush(struct controller *);
/* Runs the keepalive/handshake checks and the app's run hook now
 * (tests: after clock_warp_ms()). */
void controller_run(struct controller *);

#endif
