/* ctl-app — the plug-in interface of plural-controller's apps (after BIRD's
 * `struct protocol`: one class per app, hooks the core calls).
 *
 * An app is a `struct ctl_app_class` (static, one per app: router, l2,
 * cleanslate) and an instance derived from `struct ctl_app`, which the
 * class's `create` allocates with the base embedded:
 *
 *     struct l2 { struct ctl_app up; ... };      CONTAINER_OF(app, struct l2, up)
 *
 * Life cycle, in the order the core calls the hooks:
 *   create()                    allocate, defaults
 *   configure(path)             read the config file (path may be NULL when
 *                               the app needs none); errors name FILE:LINE
 *   start()                     after the controller listens/connects
 *   ... events ...
 *   stop()                      before the controller closes connections
 *   destroy()                   free everything (accepts an app that was
 *                               never configured or started)
 * At run time: reconfigure(path) (same checks as configure; on error the
 * running state is unchanged), dump() (state as JSON for `plural ctl dump`),
 * snapshot() / restore() (state that must survive moving the controller,
 * as JSON; restore runs after configure, before start).
 *
 * Events (every one optional): switch_up after the handshake (HELLO,
 * FEATURES, SET_CONFIG) and the initial flow flush; switch_down when the
 * connection is lost; packet_in with the flow key already extracted;
 * port_status, flow_removed, error (an OFPT_ERROR the switch sent about one
 * of our messages).  run(now) is called when the time the app last
 * returned from run (or from ctl_app_wake_at()) has come: aging, ARP
 * retransmissions.
 *
 * Apps never see sockets: they send through ctl-switch.h helpers
 * (ctl_switch_flow_mod, ctl_switch_packet_out, ctl_switch_barrier), which
 * append to the switch's output buffer; the core writes each switch's buffer
 * once per event-loop round (batched writes).
 *
 * Run-time commands: `commands` is a NULL-terminated table of control-socket
 * commands (`plural ctl route add ...` reaches the "route" command with
 * argv = {"route", "add", ...}).  A handler replies exactly once through
 * ctl_reply_ok / ctl_reply_json / ctl_reply_error (lib/net/ctl-server.h);
 * the core writes out any flows it sent afterwards.
 *
 * Errors: hooks that can fail return 0 or -errno and set *errp to a
 * malloc'd one-line message (for config: "FILE:LINE: what is wrong").
 * Thread-safety: everything runs in the controller's loop thread. */
#ifndef PLURAL_CTL_APP_H
#define PLURAL_CTL_APP_H 1

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "ofp/ofp-msgs.h"
#include "pkt/flow-key.h"

struct controller;
struct ctl_switch;
struct ctl_conn;

struct ctl_app {
    const struct ctl_app_class *class;
    struct controller *controller;      /* Set by the core before configure. */
};

/* A PACKET_IN as apps see it.  `data` is borrowed (valid during the call);
 * `key` and `layout` come from flow_extract() on it. */
struct ctl_packet_in {
    uint32_t buffer_id;                 /* OFP_NO_BUFFER if not buffered. */
    uint16_t total_len;
    uint16_t in_port;
    uint8_t reason;                     /* OFPR_*. */
    const uint8_t *data;
    size_t len;
    struct flow_key key;
    struct flow_layout layout;
    int extract_error;                  /* flow_extract()'s return. */
};

struct ctl_app_command {
    const char *name;
    const char *usage;                  /* e.g. "add|del PREFIX via IP [dev IF]". */
    int min_args, max_args;             /* Arguments after the name; -1 = any. */
    void (*handler)(struct ctl_app *, struct ctl_conn *, int argc, const char *argv[]);
};

struct ctl_app_class {
    const char *name;
    const char *summary;
    /* Keep a table of the flows this app installs on each switch (shown by
     * `plural ctl flows`).  Tracked flows with timeouts are installed with
     * OFPFF_SEND_FLOW_REM so the table follows the switch. */
    bool track_flows;

    struct ctl_app *(*create)(void);
    void (*destroy)(struct ctl_app *);
    int (*configure)(struct ctl_app *, const char *path, char **errp);
    int (*reconfigure)(struct ctl_app *, const char *path, char **errp);
    int (*start)(struct ctl_app *);
    void (*stop)(struct ctl_app *);
    json_t *(*dump)(struct ctl_app *);
    json_t *(*snapshot)(struct ctl_app *);
    int (*restore)(struct ctl_app *, const json_t *, char **errp);

    void (*switch_up)(struct ctl_app *, struct ctl_switch *);
    void (*switch_down)(struct ctl_app *, struct ctl_switch *);
    void (*packet_in)(struct ctl_app *, struct ctl_switch *, const struct ctl_packet_in *);
    void (*port_status)(struct ctl_app *, struct ctl_switch *, uint8_t reason,
                        const struct ofp_port_h *);
    void (*flow_removed)(struct ctl_app *, struct ctl_switch *,
                         const struct ofp_flow_removed_h *);
    void (*error)(struct ctl_app *, struct ctl_switch *, uint32_t xid,
                  const struct ofp_error_body *);
    /* Returns the next time (clock_now_ms() scale) it wants to run, or
     * UINT64_MAX. */
    uint64_t (*run)(struct ctl_app *, uint64_t now);

    const struct ctl_app_command *commands;
};

/* Asks the core to call class->run at `when_ms` (or earlier). */
void ctl_app_wake_at(struct ctl_app *, uint64_t when_ms);

/* Iterates the switches whose handshake is complete. */
struct ctl_switch *ctl_app_first_switch(const struct ctl_app *);
struct ctl_switch *ctl_app_next_switch(const struct ctl_app *, const struct ctl_switch *);
#define CTL_APP_FOR_EACH_SWITCH(SW, APP) \
    for ((SW) = ctl_app_first_switch(APP); (SW); (SW) = ctl_app_next_switch(APP, SW))

#endif
