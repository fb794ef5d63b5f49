/* port-afxdp — accessors of the afxdp port provider (port-afxdp.c) for the
 * XDP datapath (dp-xdp.c), which must know each port's interface and
 * AF_XDP socket slot to program the fast path.  Everyone else uses port.h. */
#ifndef PLURAL_DP_PORT_AFXDP_H
#define PLURAL_DP_PORT_AFXDP_H 1

#include <stdbool.h>
#include <stdint.h>

struct port;

/* -1 when `port` is not an afxdp port. */
int port_afxdp_ifindex(const struct port *);
int port_afxdp_xsk_slot(const struct port *);
/* True when the XDP program runs in the driver (not generic XDP). */
bool port_afxdp_is_native(const struct port *);
/* For a veth: how many redirect transmissions into it the kernel made
 * (xmits) and how many failed (errors).  A veth whose peer has no NAPI (no
 * XDP program, GRO off) drops redirected frames without counting either.
 * Returns 0, or -EOPNOTSUPP for other devices. */
int port_afxdp_xdp_xmit_stats(const struct port *, uint64_t *xmits, uint64_t *errors);

#endif
