/* datapath — the batch data plane of plural-switchd: ports, one OpenFlow
 * 1.0 flow table with an exact-match cache in front, actions, MAC learning
 * for OFPP_NORMAL, and buffered packets for the controller.
 *
 * Packet path (dp_run_once -> dp_process_batch), per batch of up to 64
 * frames received from one port:
 *   1. flow_extract() each frame (frames shorter than Ethernet are dropped
 *      and counted: port rx_errors, counter dp_drop_malformed);
 *   2. look the key up in the flow cache (valid while the flow table's
 *      version is unchanged), else in the classifier, and cache the answer
 *      (misses too);
 *   3. group the frames by flow, add each group to its flow's counters
 *      once, run the flow's actions frame by frame;
 *   4. outputs are queued per output port and sent as one port_send() per
 *      port at the end of the batch (or when 64 are queued);
 *   5. a table miss goes to the miss handler: an upcall (PACKET_IN,
 *      reason NO_MATCH), a drop (fail-secure without controller), or
 *      OFPP_NORMAL (fail-standalone) — see dp_set_miss_mode().
 * Nothing is allocated per packet except (a) a copy of a frame that is
 * modified after it was already queued for output (output:1,
 * set_vlan:5, output:2), (b) a VLAN push on a frame with no headroom, and
 * (c) buffering a packet for the controller.
 *
 * Actions: all of OpenFlow 1.0 — OUTPUT to a port, IN_PORT, TABLE (only in
 * dp_execute, i.e. PACKET_OUT), NORMAL, FLOOD (all ports except the input
 * and OFPPC_NO_FLOOD ones), ALL (all but input), CONTROLLER (max_len),
 * LOCAL, the set-field actions (lib/pkt/packet-edit.h) and ENQUEUE (sent
 * like OUTPUT; counted per port and queue id).  OUTPUT to the input port
 * itself is dropped (OpenFlow requires OFPP_IN_PORT for that).  An empty
 * action list drops.
 *
 * Port config (OFPPC_*): PORT_DOWN (admin down: no rx, no tx), NO_RECV
 * (received frames dropped, counted rx_dropped), NO_FWD (nothing sent out
 * of it, counted tx_dropped), NO_FLOOD (skipped by FLOOD and NORMAL's
 * flooding), NO_PACKET_IN (no upcalls for frames received on it).  Frames
 * are not sent out of a port whose link is down.
 *
 * Upcalls are queued, one bounded queue per slice (upcall-queue.h), and
 * handed to the callback after the batch (and by dp_run_once()) in
 * weighted round-robin order by slice; a token bucket
 * (dp_set_upcall_limit(), default DP_UPCALL_RATE per second, burst
 * DP_UPCALL_BURST) limits how many per second reach the callback, the rest
 * wait, and a full queue drops its slice's upcalls, counted
 * (dp_upcall_ratelimited).  So a miss storm costs a cache lookup and a
 * copy per frame, never stalls forwarding, and cannot starve another
 * slice's upcalls.
 *
 * Ownership: the datapath owns its ports (closes them on dp_port_del and
 * dp_destroy), flow table, cache, MAC table and buffers.  Packets passed to
 * the upcall callback are valid only during the call (their copy, if
 * buffered, stays in dp_packet_buffers()).
 *
 * Callbacks: the upcall callback runs after a batch, never in the middle
 * of one, so it may change the flow table.  The port-status and the flow
 * table's removed callbacks run while the datapath or the flow table
 * walks its ports or flows (link polling, expiry, a FLOW_MOD's deletes):
 * they must not change the flow table or the ports; defer such work to the
 * event loop.
 *
 * Datapath types (dp_set_type(), before any port is added): a port given
 * by interface name alone ("veth0") is opened as
 *   xdp       an afxdp port with the XDP fast path under it (dp-xdp.h):
 *             frames whose datapath flow is cached are forwarded inside the
 *             kernel; misses reach dp_process_batch() through AF_XDP;
 *   afxdp     an afxdp port without the fast path: every frame comes up
 *             through AF_XDP and is forwarded here;
 *   afpacket  an AF_PACKET port (mmap rings);
 *   auto      (default) xdp where the kernel and the interface allow it,
 *             else afpacket, saying which once per port.
 * Ports with an explicit type ("afpacket:veth0", "tap:vm1", "dummy:p1")
 * are opened as asked, whatever the datapath type; TAP and dummy ports
 * work beside XDP ports in one switch (flows towards them stay on the
 * slow path).
 *
 * Thread-safety: a datapath and everything in it belongs to one thread
 * (the switch's main loop); callbacks run in that thread. */
#ifndef PLURAL_DP_DATAPATH_H
#define PLURAL_DP_DATAPATH_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dp/flow-table.h"
#include "dp/mac-learning.h"
#include "dp/packet-buffers.h"
#include "dp/port.h"
#include "ofp/ofp-actions.h"
#include "pkt/flow-key.h"
#include "pkt/packet.h"

#define DP_MAX_PORTS 1024           /* Port numbers 1..DP_MAX_PORTS-1, and LOCAL. */
#define DP_UPCALL_RATE 20000        /* Upcalls per second (default). */
#define DP_UPCALL_BURST 2000

struct datapath;

/* A packet for the controller.  `packet` and `key` are valid only during
 * the callback.  max_len: for OFPR_ACTION the action's max_len; for
 * OFPR_NO_MATCH 0xffff (the owner applies its miss_send_len).  buffer_id:
 * the id of the copy kept in dp_packet_buffers(), or OFP_NO_BUFFER when
 * none could be kept (then send the whole frame). */
struct dp_upcall {
    const struct packet *packet;
    const struct flow_key *key;
    uint16_t in_port;
    uint8_t reason;                 /* OFPR_NO_MATCH or OFPR_ACTION. */
    uint16_t max_len;
    uint32_t buffer_id;
};
typedef void dp_upcall_cb(const struct dp_upcall *, void *aux);

/* Port link state changed (for PORT_STATUS): `up` = carrier and admin up. */
typedef void dp_port_status_cb(uint16_t port_no, bool up, void *aux);

enum dp_miss_mode {
    DP_MISS_UPCALL,     /* Connected to a controller: PACKET_IN. */
    DP_MISS_DROP,       /* Fail-secure, no controller: drop and count. */
    DP_MISS_NORMAL,     /* Fail-standalone, no controller: L2 learning. */
};

/* Lifecycle.  max_flows: flow table size (0: FLOW_TABLE_DEFAULT_MAX). */
struct datapath *dp_create(size_t max_flows);
void dp_destroy(struct datapath *);     /* Accepts NULL; closes the ports. */

enum dp_type {
    DP_TYPE_AUTO,
    DP_TYPE_XDP,
    DP_TYPE_AFXDP,
    DP_TYPE_AFPACKET,
};
/* "auto", "xdp", "afxdp", "afpacket" <-> enum dp_type.  Parsing returns
 * 0 or -EINVAL. */
const char *dp_type_name(enum dp_type);
int dp_type_parse(const char *, enum dp_type *);
/* Chooses the datapath type; call before adding ports.  xdp_flows sizes
 * the kernel's datapath-flow map (0: 65536).  For DP_TYPE_XDP the fast
 * path must load: returns 0 or -errno (-EPERM without CAP_BPF, ...).  For
 * DP_TYPE_AUTO a fast path that cannot load is logged once and ports fall
 * back to AF_PACKET. */
int dp_set_type(struct datapath *, enum dp_type, size_t xdp_flows);
enum dp_type dp_get_type(const struct datapath *);
/* What a port's frames go through: "xdp" (fast path on), "afxdp",
 * "afpacket", "tap", "dummy"; NULL for no such port. */
const char *dp_port_datapath(const struct datapath *, uint16_t port_no);

/* Ports. */
/* Opens `spec` (see port.h) as OpenFlow port `port_no` (1..DP_MAX_PORTS-1,
 * OFPP_LOCAL, or 0 for the lowest free number).  Returns the port number,
 * or -EEXIST (number taken), -EINVAL (bad number), -ENOSPC (no free
 * number), or port_open()'s error. */
int dp_port_add(struct datapath *, const char *spec, uint16_t port_no);
/* The same for an already opened port; the datapath takes ownership (it
 * closes the port even on error). */
int dp_port_add_open(struct datapath *, struct port *, uint16_t port_no);
/* Closes and removes a port.  Returns 0 or -ENOENT. */
int dp_port_del(struct datapath *, uint16_t port_no);
/* The port (NULL if none): for name, MAC, features, dummy injection. */
struct port *dp_port_get(const struct datapath *, uint16_t port_no);
/* Port numbers in increasing order (LOCAL last); returns how many exist
 * (may exceed max: only max are written). */
size_t dp_port_list(const struct datapath *, uint16_t *ports, size_t max);
/* OFPPC_* bits: sets (config & mask) | (old & ~mask).  PORT_DOWN also
 * brings the device down/up (best effort).  Returns 0 or -ENOENT. */
int dp_port_set_config(struct datapath *, uint16_t port_no, uint32_t config,
                       uint32_t mask);
uint32_t dp_port_get_config(const struct datapath *, uint16_t port_no);
/* The link state the datapath last saw (carrier and admin up). */
bool dp_port_is_up(const struct datapath *, uint16_t port_no);
/* PORT stats: the provider's counters plus the datapath's own drops
 * (NO_RECV/PORT_DOWN -> rx_dropped, NO_FWD/link down -> tx_dropped,
 * malformed frames -> rx_errors).  Returns 0 or -ENOENT. */
int dp_port_get_stats(const struct datapath *, uint16_t port_no,
                      struct port_stats *);
/* ENQUEUE counters (plural has no real queues: ENQUEUE sends like OUTPUT
 * and counts here).  Up to DP_MAX_QUEUES queue ids per port are tracked;
 * later ids count under the last slot.  dp_port_get_queue_stats() returns
 * 0, or -ENOENT (no such port, or no packet was ever enqueued to that
 * queue id).  dp_port_list_queues() writes the queue ids seen (at most
 * max) and returns how many there are. */
#define DP_MAX_QUEUES 8
int dp_port_get_queue_stats(const struct datapath *, uint16_t port_no,
                            uint32_t queue_id, uint64_t *tx_packets,
                            uint64_t *tx_bytes);
size_t dp_port_list_queues(const struct datapath *, uint16_t port_no,
                           uint32_t *queue_ids, size_t max);
/* File descriptors to poll for readability (one per port); returns how
 * many exist (writes at most max). */
size_t dp_get_wait_fds(const struct datapath *, int *fds, size_t max);

/* Parts the owner (ofproto) uses directly. */
struct flow_table *dp_flow_table(struct datapath *);
struct packet_buffers *dp_packet_buffers(struct datapath *);
struct mac_learning *dp_mac_learning(struct datapath *);

/* Behaviour. */
void dp_set_upcall_cb(struct datapath *, dp_upcall_cb *, void *aux);
void dp_set_port_status_cb(struct datapath *, dp_port_status_cb *, void *aux);
void dp_set_miss_mode(struct datapath *, enum dp_miss_mode);
/* per_sec 0: unlimited. */
void dp_set_upcall_limit(struct datapath *, uint32_t per_sec, uint32_t burst);
/* OFPC_FRAG_DROP: drop IPv4 fragments (else OFPC_FRAG_NORMAL). */
void dp_set_frag_drop(struct datapath *, bool drop);

/* Per-slice fair scheduling (dp/slice-sched.h).  With a scheduler
 * attached, dp_run_once() receives one batch from every port and queues a
 * copy of each frame in its slice's bounded queue (by VLAN; a full queue
 * drops, counted per slice), then forwards at most `budget` queued frames
 * (0: 64 per port) in weighted deficit-round-robin order.  Frames not
 * served wait for the next call, so under overload each backlogged slice
 * gets its weight's share of the forwarding work, and a flooding slice
 * only overflows its own queue.  The time spent on each slice's frames is
 * charged to it.  The scheduler must have been created with
 * packet_destroy-compatible release (queued frames are packet_clone()s).
 * NULL restores the default path (queued frames stay in the scheduler
 * until its owner flushes it).  The caller keeps ownership. */
struct slice_sched;
void dp_set_slice_sched(struct datapath *, struct slice_sched *, size_t budget);
struct slice_sched *dp_slice_sched(const struct datapath *);

/* Running. */
/* Receives one batch from each port with frames ready and processes it;
 * polls link state (about once a second) and expires flows, MAC entries
 * and buffers (about every 100 ms).  Returns frames processed. */
int dp_run_once(struct datapath *);
/* Processes a batch received on `in_port` (the packets stay the caller's;
 * they are edited in place).  Sends all resulting outputs before
 * returning. */
void dp_process_batch(struct datapath *, uint16_t in_port,
                      struct packet_batch *);
/* PACKET_OUT: runs `actions` on a copy of `pkt` as if received on
 * `in_port` (a port number, OFPP_LOCAL, OFPP_CONTROLLER or OFPP_NONE).
 * OFPP_TABLE submits it to the flow table (a miss makes a NO_MATCH
 * upcall).  Outputs are sent before returning.  Returns 0, or -EINVAL if
 * the frame is shorter than an Ethernet header. */
int dp_execute(struct datapath *, const struct packet *pkt, uint16_t in_port,
               const struct ofp_action *actions, size_t n_actions);
/* Expires flows (calling the flow table's removed callback), MAC entries
 * and old buffered packets now; dp_run_once() does it periodically. */
void dp_expire(struct datapath *);

/* Brings the XDP fast path's datapath flows in line with the flow table
 * and port state now (normally done at the end of each dp_run_once());
 * ofproto calls it before a BARRIER_REPLY.  No-op without a fast path. */
void dp_revalidate(struct datapath *);
/* Adds the fast path's per-flow kernel counters to the OpenFlow flows
 * (done every ~100 ms; call before answering flow/table stats). */
void dp_sync_flow_stats(struct datapath *);

struct dp_fastpath_stats {
    uint64_t n_flows, max_flows;    /* Datapath flows cached in the kernel. */
    uint64_t hits, misses;          /* Kernel lookups. */
    uint64_t unparsed;              /* Frames the kernel hands up unparsed. */
    uint64_t punt_failed;           /* Misses dropped: AF_XDP ring full. */
    uint64_t policed;               /* Dropped by per-slice policers. */
    uint64_t installs, removals, revalidations;
};
/* False (and *s zeroed) when the datapath has no XDP fast path. */
bool dp_get_fastpath_stats(const struct datapath *, struct dp_fastpath_stats *s);

/* A slice's counters in the XDP fast path (slice ids as in slice-sched.h)
 * and in the upcall queue: frames the kernel saw, dropped by the slice's
 * slow-path policer, handed up, lost because the AF_XDP ring was full;
 * upcalls queued, handed to the owner, dropped (queue full). */
struct dp_slice_fast_stats {
    uint64_t offered, policed, punted, punt_failed;
    uint64_t policer_pps;           /* Current policer rate (0: none). */
    uint64_t upcalls, upcalls_delivered, upcall_drops;
};
void dp_get_slice_fast_stats(const struct datapath *, uint32_t slice,
                             struct dp_slice_fast_stats *);

struct dp_stats {
    uint64_t n_packets;         /* Frames processed (fast path hits too). */
    uint64_t n_fast_hits;       /* Frames forwarded by the XDP fast path. */
    uint64_t n_cache_hits;
    uint64_t n_matched;         /* Frames that matched a flow. */
    uint64_t n_missed;          /* Table misses. */
    uint64_t n_upcalls;         /* Callbacks made. */
    uint64_t n_upcalls_dropped; /* Rate limited or no callback. */
    uint64_t n_malformed;
};
void dp_get_stats(const struct datapath *, struct dp_stats *);

#endif
