/* ctl-private — structures shared by controller.c and ctl-switch.c only.
 * Nothing outside lib/ctl includes this. */
#ifndef PLURAL_CTL_PRIVATE_H
#define PLURAL_CTL_PRIVATE_H 1

#include "ctl/controller.h"
#include "ctl/ctl-switch.h"
#include "util/buf.h"
#include "util/hmap.h"
#include "util/list.h"

struct stream;
struct rconn;
struct listener;
struct ctl_server;

enum ctl_switch_state {
    CTL_SW_HELLO,       /* Sent HELLO, waiting for the peer's. */
    CTL_SW_FEATURES,    /* Sent FEATURES_REQUEST. */
    CTL_SW_UP,          /* Handshake done; the app knows it. */
    CTL_SW_DOWN,        /* Active connection lost; waiting to reconnect. */
    CTL_SW_DEAD,        /* To be freed (passive) or reconnected (active). */
};

struct ctl_flow {
    struct hmap_node node;
    struct ofp_match_h match;
    uint16_t priority, idle_timeout, hard_timeout;
    uint64_t cookie;
    struct ofp_action *actions;
    size_t n_actions;
    uint64_t installed_ms;
};

struct ctl_barrier {
    struct list node;
    uint32_t xid;
    void (*cb)(struct ctl_switch *, void *aux);
    void *aux;
};

struct ctl_switch {
    struct list node;                   /* In controller->switches. */
    struct list dirty_node;             /* In controller->dirty if dirty. */
    bool dirty;
    struct controller *ctl;
    char *name;
    enum ctl_switch_state state;

    /* Exactly one transport. */
    struct stream *stream;              /* Accepted from a listener. */
    struct rconn *rconn;                /* --connect. */
    void (*sink)(const void *, size_t, void *);     /* Detached (tests). */
    void *sink_aux;
    bool fd_registered;

    struct buf rx, tx;
    uint64_t dpid;
    struct ofp_port_h *ports;
    size_t n_ports;
    uint32_t next_xid;
    uint64_t connected_ms, last_rx_ms;
    bool echo_pending;
    struct list barriers;
    struct hmap flows;
    void *app_data;
    struct ctl_switch_stats stats;
    const char *kill_reason;
};

struct controller {
    struct loop *loop;
    struct ctl_app *app;
    char *config_path;
    struct listener **listeners;        /* lib/net/listener.h. */
    size_t n_listeners;
    struct list switches;
    struct list dirty;
    struct ctl_server *server;
    uint64_t timer_id;
    uint64_t app_wake_ms;
    uint32_t probe_ms;
    bool keep_flows;
    uint64_t cookie;
    struct app_cmd_binding *bindings;
    struct buf scratch;                 /* Aligned encoding buffer (ctl-switch.c). */
};

/* ctl-flows.c: tracked flows of one switch. */
void ctl_flows_track(struct ctl_switch *, const struct ofp_flow_mod_h *);
struct ctl_flow *ctl_flow_find(const struct ctl_switch *, const struct ofp_match_h *,
                               uint16_t priority);
void ctl_flow_remove(struct ctl_switch *, struct ctl_flow *);
void ctl_flows_clear(struct ctl_switch *);

/* ctl-switch.c internals used by controller.c. */
struct ctl_switch *ctl_switch_alloc(struct controller *, const char *name);
void ctl_switch_free(struct ctl_switch *);
void ctl_switch_start_handshake(struct ctl_switch *);
int ctl_switch_process_rx(struct ctl_switch *);
void ctl_switch_handle_msg(struct ctl_switch *, const uint8_t *data, size_t len);
void ctl_switch_kill(struct ctl_switch *, const char *reason);
void ctl_switch_went_down(struct ctl_switch *);
int ctl_switch_flush(struct ctl_switch *);
void ctl_switch_check_timers(struct ctl_switch *, uint64_t now);
/* False while the output backlog is too large to keep reading the peer. */
bool ctl_switch_may_read(const struct ctl_switch *);

#endif
