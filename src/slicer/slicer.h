/* slicer — plural-slicer's core: a transparent OpenFlow 1.0 proxy that
 * shares switches among slices (FlowVisor's role).
 *
 *   switch --(of_conn)--> [struct sw] --(one rconn per slice)--> controller
 *
 * Switches connect to the slicer's --listen streams (at most max_switches
 * per stream: more are accepted and closed at once).  Nothing is opened
 * towards the slices' controllers before a switch has completed the
 * handshake (HELLO, then FEATURES_REPLY); a second switch with the same
 * datapath id replaces the first (a restarted switch whose old connection
 * is not yet known dead), so each dpid costs one set of upstream
 * connections.  Once a switch's handshake is done, the slicer opens one
 * reconnecting connection
 * (struct slice_conn) per slice to that slice's controller and plays the
 * switch to it, filtered to the slice's ports and flowspace.  Every
 * message is decoded (lib/ofp), checked or rewritten (lib/slice/rewrite.h)
 * and re-encoded; replies find their slice through xid translation (the
 * slicer picks the xid on the switch side and remembers slice + original
 * xid).
 *
 * Slices change at run time (control socket, slicer-ctl.c) and are saved
 * to the state file after every change (slicer-state.c).
 *
 * Ownership: the slicer owns its slices and switches; a switch owns its
 * slice_conns.  Everything runs in the one loop thread. */
#ifndef PLURAL_SLICER_H
#define PLURAL_SLICER_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "slice/slice.h"
#include "util/token-bucket.h"

struct loop;
struct slicer;
struct slice;
struct slice_conn;

struct slicer_options {
    const char **listen;        /* Passive streams for switches. */
    size_t n_listen;
    const char *config;         /* Initial slices (JSON), if no state file. */
    const char *state;          /* State file (JSON), may be NULL. */
    const char *ctl_path;       /* Control socket, may be NULL. */
    const char *const *switch_ctl; /* "PATH" or "DPID=PATH": plural-switchd
                                 * control sockets that get the slice map
                                 * automatically (slicer-map.h). */
    size_t n_switch_ctl;
    uint32_t probe_interval_ms; /* Echo keepalive towards controllers. */
    bool switch_identity;       /* A switch on a TLS listener must present a
                                 * certificate that names no slice (a slice
                                 * controller's cannot pose as a switch). */
    uint32_t max_switches;      /* Switch connections per --listen stream
                                 * (handshaking or ready); 0: the default,
                                 * SLICER_DEFAULT_MAX_SWITCHES. */
};
#define SLICER_DEFAULT_MAX_SWITCHES 512

/* Per-slice counters, summed over switches. */
struct slice_counters {
    uint64_t rx_msgs;               /* From the slice's controller. */
    uint64_t flow_mods;             /* Received. */
    uint64_t flow_mods_sent;        /* After rewriting (may expand). */
    uint64_t flow_mods_refused;     /* EPERM. */
    uint64_t flow_limit_refused;    /* ALL_TABLES_FULL (max_flows). */
    uint64_t packet_outs;
    uint64_t packet_outs_refused;
    uint64_t packet_ins;            /* Delivered to the slice. */
    uint64_t flow_removed;
    uint64_t port_status;
    uint64_t stats_requests;
    uint64_t rate_dropped;          /* Token bucket empty. */
    uint64_t unbuffered;            /* PACKET_INs sent without buffer_id
                                     * (buffer quota). */
    uint64_t buffer_refused;        /* Foreign or unknown buffer_id. */
    uint64_t other_refused;         /* Vendor, port_mod, bad stats port. */
    uint64_t errors_from_switch;    /* Forwarded OFPT_ERRORs. */
    uint64_t identity_refused;      /* TLS controller whose certificate is
                                     * not this slice's (disconnected). */
    uint64_t deletes_held;          /* Catch-all DELETEs dropped after a
                                     * set-controller --keep-flows. */
    uint64_t bad_messages;          /* Undecodable or of a type a
                                     * controller must not send. */
    uint64_t garbage_disconnects;   /* Controller connections dropped for
                                     * more than SLICER_GARBAGE_MAX bad
                                     * messages within the window. */
    uint64_t emerg_refused;         /* OFPFF_EMERG without allow_emergency. */
    uint64_t port_mod_refused;      /* PORT_MOD on a port the slice does not
                                     * own alone (or does not have). */
};

/* A peer (switch or slice controller) that sends more than
 * SLICER_GARBAGE_MAX bad messages (undecodable, wrong version, a type it
 * must not send) within SLICER_GARBAGE_WINDOW_MS is disconnected, as
 * plural-switchd does (ofproto.h): a switch is dropped, a controller
 * connection is closed and retried with back-off. */
#define SLICER_GARBAGE_MAX 10
#define SLICER_GARBAGE_WINDOW_MS 10000

struct slice {
    struct slice_def *def;
    struct token_bucket bucket;
    struct slice_counters counters;
    char *last_refusal;         /* Why the last controller was refused
                                 * (identity binding), or NULL. */
    /* Controller unreachable from every switch: only one switch's
     * connection (the prober) keeps retrying; the others are parked (no
     * socket, no timer) until the prober gets through. */
    bool dead;
    struct slice_conn *prober;  /* While dead, once all others are parked. */
};

int slicer_create(struct loop *, const struct slicer_options *,
                  struct slicer **, char **errp);
void slicer_destroy(struct slicer *);
/* The TCP port of the first --listen stream (for "ptcp:0"), or 0. */
uint16_t slicer_listen_port(const struct slicer *);

/* Runtime management (used by slicer-ctl.c).  Each returns 0 or -errno
 * with *errp, and saves the state file on success. */
int slicer_add_slice(struct slicer *, struct slice_def *, char **errp);
int slicer_del_slice(struct slicer *, const char *name, char **errp);
/* hold_delete_ms > 0 (set-controller --keep-flows): during the first
 * hold_delete_ms after the new controller connects to a switch, a
 * catch-all OFPFC_DELETE from it (all fields wildcarded, out_port NONE:
 * "delete every flow", what controllers send on connect) is dropped and
 * counted (deletes_held) instead of confined and sent, so the slice's
 * installed flows survive the move. */
int slicer_set_controller(struct slicer *, const char *name,
                          const char *target, uint32_t hold_delete_ms,
                          char **errp);
/* Replaces a slice's definition (limits, ports, flowspace), keeping its
 * connections and counters.  Takes ownership of def. */
int slicer_update_slice(struct slicer *, struct slice_def *, char **errp);

struct slice *slicer_find_slice(const struct slicer *, const char *name);
size_t slicer_n_slices(const struct slicer *);
struct slice *slicer_slice_at(const struct slicer *, size_t i);

/* JSON views for the control socket. */
json_t *slicer_slice_to_json(const struct slicer *, const struct slice *,
                             bool with_switches);
json_t *slicer_switches_to_json(const struct slicer *);
json_t *slicer_vlan_map_to_json(const struct slicer *);

/* State file (slicer-state.c). */
int slicer_state_save(const struct slicer *, const char *path, char **errp);
/* Reads {"slices": [...]} from path into a new array of definitions. */
int slicer_state_load(const char *path, struct slice_def ***defs,
                      size_t *n, char **errp);

/* Control socket (slicer-ctl.c). */
int slicer_ctl_start(struct slicer *, struct loop *, const char *path,
                     char **errp);
void slicer_ctl_stop(struct slicer *);
/* The automatic map pushes (slicer-map.h), for slice/map-status. */
json_t *slicer_map_status_to_json(const struct slicer *);
/* Where slicer-ctl.c keeps its server. */
void *slicer_ctl_handle(struct slicer *);
void slicer_set_ctl_handle(struct slicer *, void *);

#endif
