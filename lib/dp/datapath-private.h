/* datapath-private — the datapath's internals, shared by datapath.c (ports,
 * run loop, batches) and actions.c (action execution, output queues).
 * Nothing outside lib/dp includes this. */
#ifndef PLURAL_DP_DATAPATH_PRIVATE_H
#define PLURAL_DP_DATAPATH_PRIVATE_H 1

#include "dp/datapath.h"
#include "dp/flow-cache.h"
#include "util/token-bucket.h"

struct dp_port {
    struct port *port;
    uint16_t port_no;
    uint32_t config;                /* OFPPC_*. */
    bool link_up;                   /* Last seen: carrier and admin up. */
    bool xdp_tx_ok;                 /* The XDP fast path can redirect to it
                                     * (probed: dp-xdp.c). */
    uint64_t xdp_tx_checked_ms;     /* Last check of xdp_tx_ok (0: never). */
    bool xdp_tx_distrust;           /* Counters proved the peer check wrong:
                                     * no rechecks until the link changes. */
    uint64_t xdp_xmit_errors;       /* veth: last counts of failed and */
    uint64_t xdp_xmits;             /* made redirect transmissions, and */
    uint64_t xdp_redirects;         /* of our program's redirects to it */
    uint64_t xdp_redirects_prev;    /* (then, and at the previous sync). */
    /* Queued outputs, sent by dp_flush(). */
    struct packet *out[PACKET_BATCH_MAX];
    unsigned int n_out;
    bool dirty;                     /* In dp->dirty. */
    /* The datapath's own counters (added to the provider's). */
    uint64_t rx_dropped, tx_dropped, rx_errors;
    struct dp_queue {
        uint32_t queue_id;
        uint64_t tx_packets, tx_bytes;
    } queues[DP_MAX_QUEUES];
    size_t n_queues;
};

struct datapath {
    struct dp_port *ports[DP_MAX_PORTS];    /* By port number; [0] unused. */
    struct dp_port *local;                  /* OFPP_LOCAL, or NULL. */
    struct dp_port **list;                  /* All ports, by number. */
    size_t n_ports;
    struct dp_port **dirty;                 /* Ports with queued output. */
    size_t n_dirty;
    unsigned int rr_next;                   /* Round-robin start. */

    struct flow_table table;
    struct flow_cache cache;
    struct mac_learning *ml;
    struct packet_buffers *buffers;

    /* Frames copied because they changed after being queued: freed by
     * dp_flush(). */
    struct packet **clones;
    size_t n_clones, allocated_clones;

    dp_upcall_cb *upcall_cb;
    void *upcall_aux;
    dp_port_status_cb *status_cb;
    void *status_aux;
    enum dp_miss_mode miss_mode;
    bool frag_drop;

    /* Upcalls waiting for the owner (per slice, DRR), and the token
     * bucket spent when they are handed over. */
    struct upcall_queue *upcalls;
    struct token_bucket upcall_tb;

    /* The XDP fast path (dp-xdp.h), or NULL. */
    enum dp_type type;
    struct dp_xdp *xdp;

    /* Per-slice fair scheduling (dp_set_slice_sched()), or NULL. */
    struct slice_sched *sched;
    size_t sched_budget;                    /* Frames per dp_run_once(). */

    uint64_t now_ms;                        /* Read once per batch. */
    uint64_t next_expire_ms, next_link_poll_ms;
    struct dp_stats stats;
};

struct dp_port *dp_port_lookup(const struct datapath *, uint16_t port_no);
/* Hands queued upcalls to the owner's callback, as the rate limit allows
 * (actions.c). */
void dp_drain_upcalls(struct datapath *);
/* Counts a frame enqueued to queue_id on p. */
void dp_port_count_queue(struct dp_port *p, uint32_t queue_id, uint32_t bytes);

#endif
