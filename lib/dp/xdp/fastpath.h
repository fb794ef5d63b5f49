/* fastpath — the XDP fast path's kernel objects, seen from user space: the
 * BPF program of fastpath.bpf.c (built into the binary), its maps, and its
 * attachment to interfaces.  One instance per process (the maps are shared
 * by every port the program is attached to), loaded on first use and
 * released with the last reference.
 *
 * Who calls what:
 *   - port-afxdp.c attaches the program to its interface, registers its
 *     AF_XDP socket (fastpath_set_xsk) and its port entry; without the
 *     FP_PORT_F_FAST flag the program hands every frame to that socket
 *     (this is the plain `afxdp` datapath);
 *   - dp-xdp.c (the datapath's fast-path manager) sets FP_PORT_F_FAST and
 *     the OpenFlow port number, fills tx_ports, installs and removes
 *     datapath flows, reads their per-CPU counters, and sets policers;
 *   - tests run frames through the program with fastpath_test_run().
 * The attachment is a BPF link: it goes away when the process exits, so a
 * crashed switch leaves no program behind on its interfaces.
 *
 * Errors: 0 or -errno; loading failures (-EPERM without CAP_BPF/
 * CAP_NET_ADMIN, -EINVAL from the verifier of an old kernel) are logged
 * once with the reason.  Thread-safety: none; the switch's main thread. */
#ifndef PLURAL_DP_XDP_FASTPATH_H
#define PLURAL_DP_XDP_FASTPATH_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dp/xdp/fastpath-abi.h"

struct fastpath;

/* Loads the program and maps on the first call (max_flows sizes the flow
 * map then; 0: FP_DEFAULT_FLOWS) and returns the instance with one more
 * reference.  Returns 0 or -errno. */
int fastpath_get(size_t max_flows, struct fastpath **);
void fastpath_put(struct fastpath *);   /* Accepts NULL. */
size_t fastpath_max_flows(const struct fastpath *);

/* Attaches the program to `ifindex` (native XDP where the driver has it,
 * else generic); *native tells which.  Returns 0 or -errno (-EBUSY: another
 * XDP program is attached there). */
int fastpath_attach(struct fastpath *, int ifindex, bool *native);
void fastpath_detach(struct fastpath *, int ifindex);

/* AF_XDP socket slots (one per port): alloc returns a free slot or -ENOSPC. */
int fastpath_xsk_alloc(struct fastpath *);
void fastpath_xsk_free(struct fastpath *, int slot);
int fastpath_set_xsk(struct fastpath *, int slot, int xsk_fd);

/* The port entry of an interface (see struct fp_port). */
int fastpath_set_port(struct fastpath *, int ifindex, const struct fp_port *);
int fastpath_get_port(struct fastpath *, int ifindex, struct fp_port *);
int fastpath_del_port(struct fastpath *, int ifindex);
/* OpenFlow port number -> ifindex for redirects (ifindex 0: remove). */
int fastpath_set_tx_port(struct fastpath *, uint16_t port_no, int ifindex);

/* Datapath flows. */
int fastpath_flow_put(struct fastpath *, const struct fp_key *, const struct fp_flow *);
int fastpath_flow_del(struct fastpath *, const struct fp_key *);
/* Sums flow `id`'s per-CPU counters (used_ns: the latest). */
int fastpath_flow_stats(struct fastpath *, uint32_t id, struct fp_flow_stats *);
/* Sums ids[0..n-1] in one pass over the whole per-CPU array (one system
 * call); out[i] for ids[i]. */
int fastpath_flow_stats_many(struct fastpath *, const uint32_t *ids, size_t n,
                             struct fp_flow_stats *out);
int fastpath_flow_stats_zero(struct fastpath *, uint32_t id);

int fastpath_port_stats(struct fastpath *, uint16_t port_no, struct fp_port_stats *);
int fastpath_counters(struct fastpath *, uint64_t out[FP_C_MAX]);
int fastpath_set_config(struct fastpath *, uint32_t flags);
uint32_t fastpath_config(const struct fastpath *);

/* Slices: VLAN (0..4095, or 4096 untagged) -> slice slot (0: none). */
int fastpath_set_vlan_slice(struct fastpath *, uint32_t vlan, uint32_t slot);
/* Policer of slice slot; rate_pps 0 removes the limit.  The rate is split
 * evenly over the possible CPUs (each CPU has its own bucket). */
int fastpath_set_policer(struct fastpath *, uint32_t slot, uint64_t rate_pps,
                         uint64_t burst);
int fastpath_slice_stats(struct fastpath *, uint32_t slot, struct fp_slice_stats *);

/* Redirects one live copy of `frame` to OpenFlow port port_no (which must
 * be in tx_ports) from inside the kernel, as the fast path would.  Returns
 * 0 when the kernel accepted the redirect (the caller checks the device's
 * counters for a failed transmission), or -errno. */
int fastpath_probe_redirect(struct fastpath *, uint16_t port_no,
                            const void *frame, size_t len);

/* Runs the program once on `frame` as if received on ifindex
 * (BPF_PROG_TEST_RUN).  Returns 0 and the XDP action in *action, the
 * possibly edited frame in out (up to *out_len bytes; *out_len is set) and
 * the trace (FP_CFG_TRACE must be on); or -errno. */
int fastpath_test_run(struct fastpath *, int ifindex, const void *frame,
                      size_t len, uint32_t *action, void *out, size_t *out_len,
                      struct fp_trace *);

#endif
