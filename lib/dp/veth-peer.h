/* veth-peer — can the kernel redirect XDP frames into this veth?
 *
 * A veth accepts frames redirected by an XDP program (ndo_xdp_xmit) only
 * when its PEER has NAPI: an XDP program attached, or GRO on.  Otherwise
 * the kernel drops them without counting them anywhere we can see.  The
 * peer usually lives in another network namespace (a host, a container):
 * veth_peer_has_napi() finds it by the nsid our namespace gives it
 * (RTM_GETLINK's IFLA_LINK_NETNSID), among the namespaces `ip netns`
 * names (/run/netns) and those processes live in (/proc/PID/ns/net), and
 * reads its XDP attachment (rtnetlink) and GRO flag (ethtool) from inside
 * it — in a forked child, so that no thread of the caller ever changes
 * namespace.  Read-only: nothing of the peer is changed.
 *
 * Returns 1 (yes), 0 (no) or -1 (cannot tell: not a veth pair we can see,
 * no permission, namespace not found).  Needs CAP_SYS_ADMIN for setns.
 * Costs a fork and a scan of /proc: call it when a port is added or its
 * link changes, never per packet. */
#ifndef PLURAL_DP_VETH_PEER_H
#define PLURAL_DP_VETH_PEER_H 1

int veth_peer_has_napi(int ifindex);

#endif
