/* ctl-switch — one OpenFlow 1.0 switch as the controller sees it: the
 * connection, the handshake, and the helpers apps use to program it.
 *
 * Connection states:  HELLO --hello--> FEATURES --features reply--> UP
 * On connect the controller sends HELLO; on the peer's HELLO it sends
 * FEATURES_REQUEST and SET_CONFIG (miss_send_len 0xffff: whole frames in
 * PACKET_IN); the FEATURES_REPLY gives the datapath id and ports.  Unless
 * the controller keeps flows, it then deletes every flow, and the switch is
 * UP: the app's switch_up runs.  A peer that sends a message that does not
 * decode (lib/ofp's checks), a framing error, or a version other than 1.0 is
 * answered with the OFPT_ERROR the spec assigns, logged with LOG_PEER as
 * the peer's fault, counted, and disconnected; other switches are not
 * affected.  Keepalive: after probe_interval of silence an ECHO_REQUEST is
 * sent; after another interval without any message the switch is dropped.
 *
 * Output: every helper encodes straight into the switch's output buffer
 * (no allocation per message once the buffer has grown); the controller
 * writes the buffer to the socket once per event-loop round, or when it
 * passes 64 kB.  Helpers called while the switch is not connected drop
 * the message and return -ENOTCONN.  Back-pressure: while more than 4 MB
 * wait for a peer that does not read, the controller stops reading from it
 * (it sends no more requests we would have to answer); past 64 MB it is
 * disconnected as a peer that stopped reading.
 *
 * Test use: ctl_switch_create_detached() makes a switch with no socket whose
 * output goes to a callback, and ctl_switch_receive() feeds it raw bytes, so
 * apps can be driven by synthetic PACKET_INs without sockets.
 *
 * Ownership: switches belong to their controller (controller.h).  Pointers
 * stay valid until the app's switch_down returns (active --connect switches
 * keep their object across reconnects).  Thread-safety: loop thread only. */
#ifndef PLURAL_CTL_SWITCH_H
#define PLURAL_CTL_SWITCH_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "ofp/ofp-msgs.h"

struct controller;
struct ctl_switch;

/* Identity and ports. */
uint64_t ctl_switch_dpid(const struct ctl_switch *);
const char *ctl_switch_name(const struct ctl_switch *);  /* Peer address. */
bool ctl_switch_is_up(const struct ctl_switch *);
size_t ctl_switch_n_ports(const struct ctl_switch *);
const struct ofp_port_h *ctl_switch_port_at(const struct ctl_switch *, size_t i);
const struct ofp_port_h *ctl_switch_port(const struct ctl_switch *, uint16_t port_no);

/* Per-switch app data (the app owns what it stores; clear it in
 * switch_down). */
void ctl_switch_set_app_data(struct ctl_switch *, void *);
void *ctl_switch_get_app_data(const struct ctl_switch *);

/* Sending.  All return 0, or -ENOTCONN (not connected: dropped).
 * Actions and data are copied into the output buffer. */
int ctl_switch_flow_mod(struct ctl_switch *, const struct ofp_flow_mod_h *);
int ctl_switch_packet_out(struct ctl_switch *, uint32_t buffer_id, uint16_t in_port,
                          const struct ofp_action *, size_t n_actions,
                          const void *data, size_t len);
/* Sends any encodable message (ofp_encode). */
int ctl_switch_send(struct ctl_switch *, const struct ofp_msg *);
/* Sends BARRIER_REQUEST; cb (may be NULL) runs when the reply arrives (not
 * if the switch disconnects first).  Returns the xid, or 0 if not
 * connected. */
uint32_t ctl_switch_barrier(struct ctl_switch *,
                            void (*cb)(struct ctl_switch *, void *aux), void *aux);
uint32_t ctl_switch_next_xid(struct ctl_switch *);

/* Convenience: a flow_mod with common defaults (OFPFC_ADD, no buffer,
 * out_port NONE, cookie = the controller's cookie). */
void ctl_flow_mod_init(struct ofp_flow_mod_h *, uint16_t command,
                       const struct ofp_match_h *, uint16_t priority,
                       const struct ofp_action *, size_t n_actions);

/* Counters of one switch. */
struct ctl_switch_stats {
    uint64_t rx_msgs, tx_msgs;
    uint64_t packet_ins, flow_mods, packet_outs, flow_removed;
    uint64_t errors_received, barriers_pending;
    uint64_t echo_requests_sent;
};
void ctl_switch_get_stats(const struct ctl_switch *, struct ctl_switch_stats *);

/* Tracked flows (if the app class asks for it): JSON array of
 * {"match","priority","actions","idle_timeout","hard_timeout","cookie",
 *  "age_s"}, and the count. */
json_t *ctl_switch_flows_json(const struct ctl_switch *);
size_t ctl_switch_n_flows(const struct ctl_switch *);
/* Appends "priority=P,MATCH actions=ACTS" lines for each tracked flow. */
void ctl_switch_flows_format(const struct ctl_switch *, struct buf *out);

/* Detached switches for tests (no socket): created UP with `dpid` and
 * `ports`; every message the controller sends is passed whole to
 * sink(msg, len, aux) when the controller flushes. */
struct ctl_switch *ctl_switch_create_detached(struct controller *, uint64_t dpid,
                                              const struct ofp_port_h *ports, size_t n_ports,
                                              void (*sink)(const void *msg, size_t len, void *aux),
                                              void *aux);
/* Feeds raw bytes as if received from the peer (any number of messages).
 * Returns 0, or -EPROTO if the peer would have been disconnected. */
int ctl_switch_receive(struct ctl_switch *, const void *data, size_t len);
/* Removes a detached switch (switch_down runs).  Accepts NULL. */
void ctl_switch_destroy(struct ctl_switch *);

#endif
