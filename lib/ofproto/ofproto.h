/* ofproto — the OpenFlow 1.0 switch: binds OpenFlow connections (controllers
 * and management clients) to the datapath (ports, flow table, actions).
 *
 * One `struct ofproto` is one switch (one datapath id).  It owns:
 *   - its ports (lib/dp/port.h), numbered 1..N in the order they were added
 *     or with explicit numbers;
 *   - the datapath: flow table (normal and emergency), packet buffers for
 *     buffer_id, MAC learning for the NORMAL action;
 *   - controller connections (rconn: reconnecting, every controller gets
 *     PACKET_IN / FLOW_REMOVED / PORT_STATUS, as OpenFlow 1.0 has no
 *     roles) and passive listeners whose accepted connections are
 *     management connections (e.g. ovs-ofctl: requests and replies only, no
 *     asynchronous messages).
 *
 * Fail mode (what happens while no controller is connected).  A
 * controller is connected only while its OpenFlow session is up: TCP (or
 * TLS) connected AND the HELLO exchange done, kept alive by the echo probe
 * (OFPROTO_PROBE_INTERVAL_MS of silence: ECHO_REQUEST; as long again: the
 * connection is dropped).  A peer that accepts the connection but never
 * sends HELLO is no controller at all, and one that stops answering
 * (SIGSTOP) stops being one when the probe drops it:
 *   OFPROTO_FAIL_SECURE      installed flows keep forwarding; a table miss
 *                            is dropped and counted (dp_drop_no_match, which
 *                            also counts a miss whose PACKET_IN no
 *                            controller could take);
 *   OFPROTO_FAIL_STANDALONE  a table miss is forwarded by NORMAL (MAC
 *                            learning), like a plain learning switch.
 * When every controller session is lost the emergency flow table
 * (flows added with OFPFF_EMERG) replaces the normal one, as OpenFlow 1.0
 * section 4.4 says (entering it deletes the normal flows); it is left when
 * a controller's session is up again (HELLO received), not on a bare TCP
 * connect.
 *
 * Table ids (OpenFlow 1.0 §5.3.5, as the 1.0 reference switch): one normal
 * table, id 0, and the emergency table.  FLOW_MOD's OFPFF_EMERG selects the
 * emergency table for ADD, MODIFY and DELETE (strict or not); without it
 * they act on the normal table only.  FLOW and AGGREGATE stats: table_id 0
 * or 0xff select the normal table, 0xfe the emergency table (entries
 * reported with table_id 0xfe), other ids nothing.  TABLE stats list table
 * 0 (normal flows only).
 *
 * Peers that send garbage: every malformed message gets the spec's
 * OFPT_ERROR and is counted (per connection and in global counters named
 * ofp_*); a connection that earns more than OFPROTO_GARBAGE_MAX error replies
 * within OFPROTO_GARBAGE_WINDOW_MS, or has a framing error, is
 * disconnected (ofp_peer_disconnect_garbage).  No peer input can remove a
 * flow it did not ask to remove, or crash the switch.
 *
 * Threading: everything runs in the thread that runs `loop` (one thread:
 * ports are polled through the same event loop as the connections).
 * Errors: 0 or negative errno; *errp (when given) receives a malloc'd
 * message naming what is wrong. */
#ifndef PLURAL_OFPROTO_H
#define PLURAL_OFPROTO_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "dp/datapath.h"

struct buf;
struct loop;
struct ofproto;

enum ofproto_fail_mode {
    OFPROTO_FAIL_SECURE,
    OFPROTO_FAIL_STANDALONE,
};

#define OFPROTO_GARBAGE_MAX        10
#define OFPROTO_GARBAGE_WINDOW_MS  10000
#define OFPROTO_PROBE_INTERVAL_MS  5000     /* Echo keepalive to controllers. */

/* Parses "secure" / "standalone".  0 or -EINVAL. */
int ofproto_fail_mode_from_string(const char *, enum ofproto_fail_mode *);
const char *ofproto_fail_mode_to_string(enum ofproto_fail_mode);

struct ofproto *ofproto_create(struct loop *, uint64_t dpid,
                               enum ofproto_fail_mode);
/* Sets the datapath id from the lowest-numbered port's MAC address (as
 * Open vSwitch does), or 1 without ports. */
void ofproto_set_default_dpid(struct ofproto *);
/* Closes every connection and port, frees.  Accepts NULL. */
void ofproto_destroy(struct ofproto *);

/* Opens a port (spec as in port_open()) as OpenFlow port `port_no`, or the
 * lowest free number >= 1 when port_no is 0.  Sends PORT_STATUS (ADD) to
 * connected controllers.  Returns 0, -EEXIST (number taken), -ERANGE
 * (number >= OFPP_MAX), or port_open()'s error. */
/* Chooses the datapath type (dp_set_type()); before adding ports.
 * Returns 0 or -errno (xdp requested but the fast path cannot load). */
int ofproto_set_datapath_type(struct ofproto *, enum dp_type, size_t xdp_flows);
int ofproto_add_port(struct ofproto *, uint16_t port_no, const char *spec,
                     char **errp);
/* Removes a port (PORT_STATUS DELETE).  0 or -ENOENT. */
int ofproto_del_port(struct ofproto *, uint16_t port_no);

/* Adds a controller ("tcp:IP:PORT", "unix:PATH").  0 or -EINVAL. */
int ofproto_add_controller(struct ofproto *, const char *target, char **errp);
/* Listens for management connections ("ptcp:PORT[:IP]", "punix:PATH").
 * 0, -EINVAL, -EADDRINUSE, ... */
int ofproto_add_listener(struct ofproto *, const char *name, char **errp);
/* The bound TCP port of the first listener (after "ptcp:0"), or 0. */
uint16_t ofproto_listener_port(const struct ofproto *);

/* Control-socket operations (also used by tests).  Text goes to `out`. */
/* `show`: dpid, ports, controllers, fail mode, flows, counters. */
void ofproto_show(struct ofproto *, struct buf *out);
json_t *ofproto_show_json(struct ofproto *);
/* Flows in ovs-ofctl dump-flows style (one line each), or JSON. */
void ofproto_dump_flows(struct ofproto *, struct buf *out);
json_t *ofproto_dump_flows_json(struct ofproto *);
void ofproto_dump_ports(struct ofproto *, struct buf *out);
json_t *ofproto_dump_ports_json(struct ofproto *);
/* Adds a flow given in ovs-ofctl syntax.  0 or -EINVAL (*errp says why),
 * -ENOSPC (table full), -EEXIST (overlap: never, no CHECK_OVERLAP). */
int ofproto_add_flow_str(struct ofproto *, const char *flow, char **errp);
/* Deletes the flows a match (ovs-ofctl syntax, "" = all) covers.
 * Returns the number deleted, or -EINVAL. */
int ofproto_del_flows_str(struct ofproto *, const char *match, char **errp);
/* Dummy ports: inject a frame, take the frames sent, set the link. */
int ofproto_inject(struct ofproto *, uint16_t port_no, const void *frame,
                   size_t len, char **errp);
/* Appends each sent frame as a hex line to out; returns how many. */
int ofproto_pop_sent(struct ofproto *, uint16_t port_no, struct buf *out,
                     char **errp);
int ofproto_set_link(struct ofproto *, uint16_t port_no, bool up,
                     char **errp);
/* Runs timers that are due now (flow expiry); the control socket calls it
 * after clock/warp so a warp takes effect at once. */
void ofproto_run_timers(struct ofproto *);

/* Registers the switch's commands (show, dump-flows, dump-ports, add-flow,
 * del-flows, inject, pop-sent, port/set-link) on a control server. */
struct ctl_server;
void ofproto_ctl_register(struct ofproto *, struct ctl_server *);

#endif
