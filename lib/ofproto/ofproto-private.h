/* ofproto-private — what the files of lib/ofproto share (not for outside
 * callers: they use ofproto.h).
 *
 *   ofproto.c           lifecycle, controllers, listeners, fail mode and
 *                       emergency mode, FLOW_REMOVED, flow expiry timer
 *   ofproto-port.c      ports: numbering, descriptions, PORT_MOD, PORT_STATUS
 *   ofproto-handle.c    one handler per OpenFlow request type
 *   ofproto-dp.c        the glue to lib/dp's datapath (running it, upcalls to
 *                       PACKET_IN, link changes, PACKET_OUT, buffers)
 *   ofproto-ctl.c       show/dump text and JSON, control-socket commands
 *   ofconn.c            one connection (HELLO, errors, garbage policy)
 *
 * Everything runs in the loop thread. */
#ifndef PLURAL_OFPROTO_PRIVATE_H
#define PLURAL_OFPROTO_PRIVATE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp/ofp-msgs.h"
#include "ofproto/ofproto.h"
#include "util/hmap.h"
#include "util/list.h"

struct datapath;
struct flow_entry;
struct flow_table;
struct ofconn;
struct packet;
struct port;
struct listener;

/* One switch port as ofproto sees it (the datapath owns the port). */
struct ofport {
    struct hmap_node node;          /* In ofproto->ports, by port_no. */
    struct ofproto *ofproto;
    uint16_t port_no;
    struct port *port;              /* Owned by the datapath. */
    int wait_fd;                    /* Registered receive fd, or -1. */
};

struct ofproto_listener {
    struct list node;
    struct ofproto *ofproto;
    struct listener *listener;      /* lib/net/listener.h: cap, back-off. */
};

struct ofproto {
    struct loop *loop;
    uint64_t dpid;
    enum ofproto_fail_mode fail_mode;
    struct datapath *dp;
    struct flow_table *ft;          /* The datapath's flow table. */

    struct hmap ports;              /* struct ofport, by port_no. */
    struct list controllers;        /* struct ofconn, OFCONN_CONTROLLER. */
    struct list mgmt;               /* struct ofconn, OFCONN_MGMT. */
    struct list listeners;          /* struct ofproto_listener. */

    uint16_t frag_flags;            /* OFPC_FRAG_NORMAL or _DROP (SET_CONFIG). */
    bool had_controller;            /* Some controller was ever connected. */
    uint64_t expire_timer;
    uint64_t dp_timer;
};

static inline struct loop *ofproto_loop(const struct ofproto *p) { return p->loop; }

/* ofproto-slice.c (slicing area): slice/map, slice/stats, ... */
struct ctl_server;
void ofproto_slice_ctl_register(struct ofproto *, struct ctl_server *);

/* ofproto.c */
void ofproto_mgmt_closed(struct ofproto *, struct ofconn *);
/* Called when a controller connects or disconnects. */
void ofproto_controllers_changed(struct ofproto *);
bool ofproto_has_controller(const struct ofproto *);
/* Broadcasts an asynchronous message to every controller that wants it. */
void ofproto_send_async(struct ofproto *, const struct ofp_msg *);

/* ofproto-handle.c: handles one decoded request.  Returns 0, or -errno
 * with *err set: the caller sends the error. */
int ofproto_handle_msg(struct ofproto *, struct ofconn *, const struct ofp_msg *,
                       const void *raw, size_t raw_len, struct ofp_error *err);
/* Applies a flow_mod from any source (OpenFlow or the control socket):
 * flow table change, then the buffered packet if buffer_id is set. */
int ofproto_flow_mod(struct ofproto *, const struct ofp_flow_mod_h *,
                     struct ofp_error *err);

/* ofproto-port.c */
struct ofport *ofproto_get_port(const struct ofproto *, uint16_t port_no);
void ofport_to_ofp(const struct ofport *, struct ofp_port_h *);
/* All ports sorted by number: malloc'd array of *n pointers. */
struct ofport **ofproto_sorted_ports(const struct ofproto *, size_t *n);
int ofproto_port_mod(struct ofproto *, const struct ofp_port_mod_h *,
                     struct ofp_error *err);
/* Sends PORT_STATUS (reason OFPPR_*) for the port to the controllers. */
void ofproto_port_status(struct ofproto *, struct ofport *, uint8_t reason);
void ofproto_ports_destroy(struct ofproto *);

/* ofproto-dp.c: the glue to lib/dp's datapath. */
void ofproto_dp_create(struct ofproto *);
void ofproto_dp_destroy(struct ofproto *);
/* Receives and forwards what the ports have ready (event-loop callback). */
void ofproto_dp_run(struct ofproto *);
/* PACKET_OUT: runs actions on a buffered packet or on data.  Returns 0 or
 * -errno with *err (BUFFER_UNKNOWN, BUFFER_EMPTY, bad port). */
int ofproto_dp_packet_out(struct ofproto *, const struct ofp_packet_out_h *,
                          struct ofp_error *err);
/* Releases the buffered packet `buffer_id` through the flow table (after a
 * flow_mod with a buffer_id).  0 or -errno with *err. */
int ofproto_dp_run_buffered(struct ofproto *, uint32_t buffer_id,
                            struct ofp_error *err);
uint32_t ofproto_dp_n_buffers(const struct ofproto *);
void ofproto_dp_fail_mode_changed(struct ofproto *);

#endif
