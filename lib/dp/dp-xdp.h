/* dp-xdp — the datapath's XDP fast path manager: the user-space half of
 * Open vSwitch's ofproto/datapath split, with the datapath in XDP
 * (xdp/fastpath.bpf.c).  Internal to lib/dp: datapath.c calls it; the
 * rest of the switch sees it through datapath.h (dp_set_datapath_type,
 * dp_revalidate, dp_sync_flow_stats, dp_get_fastpath_stats).
 *
 * Datapath flows: when a frame received on a fast port misses in the
 * kernel, user space classifies it (datapath.c, as for every port type)
 * and calls dp_xdp_install() with the key and the OpenFlow flow it hit.
 * If the flow's actions compile to a fast-path verdict (header edits then
 * one output to a fast port, back out of the input port, or drop) the
 * exact key is installed in the kernel's flow map; every later frame with
 * that key is forwarded in XDP.  Flows whose actions the kernel cannot
 * execute (several outputs, FLOOD/ALL/NORMAL/CONTROLLER, ENQUEUE, output
 * to a TAP/dummy/AF_PACKET port, output to the input port without
 * IN_PORT) are not installed: their frames stay on the slow path, frame
 * by frame, exactly as before ("punt", documented in docs/switchd.md).
 *
 * Revalidation (the invariant): a datapath flow always holds the verdict
 * that the current OpenFlow table and port state give for its key — except
 * between a change and the next dp_xdp_revalidate(), which datapath.c runs
 * at the end of every pass of the switch's loop and which ofproto runs
 * before every BARRIER_REPLY (dp_revalidate()).  Revalidation re-classifies
 * each installed key, recompiles, and updates or deletes the kernel entry;
 * so no frame is forwarded by a stale entry after the barrier reply.
 *
 * Counters: each datapath flow has per-CPU packet/byte counters in the
 * kernel; dp_xdp_sync_stats() adds what they gained since the last sync to
 * the OpenFlow flow (and the table's lookup/match counts), so flow stats,
 * idle timeouts and FLOW_REMOVED see every frame.  It runs every 100 ms,
 * before stats replies, and — through the flow table's release callback —
 * for a flow just before it is removed, so FLOW_REMOVED carries its last
 * kernel counts.
 *
 * Ownership: the manager owns its records and the kernel entries it
 * installed; it holds pointers to flow entries only while they live (the
 * release callback forgets them).  Thread-safety: the switch's main
 * thread. */
#ifndef PLURAL_DP_DP_XDP_H
#define PLURAL_DP_DP_XDP_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct datapath;
struct dp_port;
struct flow_entry;
struct flow_key;

struct dp_xdp;

/* Returns NULL and sets *error when the fast path cannot be loaded. */
struct dp_xdp *dp_xdp_create(struct datapath *, size_t max_flows, int *error);
void dp_xdp_destroy(struct dp_xdp *);   /* Accepts NULL; removes every
                                         * datapath flow it installed. */

/* Ports: an afxdp port becomes a fast port (its frames are looked up in
 * the kernel); other port types are ignored.  Call after the port is in
 * the datapath's tables, and before it leaves them. */
void dp_xdp_port_added(struct dp_xdp *, struct dp_port *);
void dp_xdp_port_removed(struct dp_xdp *, struct dp_port *);
/* Port config or link state changed: updates the kernel's port entry and
 * schedules a revalidation of every datapath flow. */
void dp_xdp_port_changed(struct dp_xdp *, struct dp_port *);
bool dp_xdp_is_fast_port(const struct dp_xdp *, const struct dp_port *);

void dp_xdp_install(struct dp_xdp *, const struct flow_key *, struct flow_entry *);
void dp_xdp_revalidate(struct dp_xdp *);
void dp_xdp_sync_stats(struct dp_xdp *);
/* Housekeeping, about every 100 ms (datapath.c's loop): checks that
 * redirects into veth ports work, and sets the per-slice policers. */
void dp_xdp_run(struct dp_xdp *);
/* Frag-drop mode (OFPC_FRAG_DROP): fragments are punted to user space. */
void dp_xdp_set_frag_drop(struct dp_xdp *, bool);

/* The kernel's per-port counters of frames it handled without user space
 * (added to the port's stats by datapath.c). */
struct dp_xdp_port_stats {
    uint64_t rx_packets, rx_bytes, tx_packets, tx_bytes, rx_dropped;
};
void dp_xdp_port_stats(struct dp_xdp *, uint16_t port_no, struct dp_xdp_port_stats *);

struct dp_fastpath_stats;
void dp_xdp_get_stats(struct dp_xdp *, struct dp_fastpath_stats *);

/* Slow-path fairness (dp-xdp.c): the slices' VLAN map and weights, and
 * per-slice policers of what goes up to user space; NULL turns it off. */
struct slice_sched;
void dp_xdp_set_slices(struct dp_xdp *, struct slice_sched *);
struct dp_slice_fast_stats;
void dp_xdp_slice_info(struct dp_xdp *, uint32_t slot, struct dp_slice_fast_stats *);

/* Per-slice policing (see datapath.h). */
int dp_xdp_set_vlan_slice(struct dp_xdp *, uint32_t vlan, uint32_t slot);
int dp_xdp_set_policer(struct dp_xdp *, uint32_t slot, uint64_t rate_pps, uint64_t burst);
struct fp_slice_stats;
int dp_xdp_slice_stats(struct dp_xdp *, uint32_t slot, struct fp_slice_stats *);
void dp_xdp_set_policing(struct dp_xdp *, bool on);

#endif
