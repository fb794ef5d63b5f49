/* nl — the lab's network configuration: links, addresses and routes in a
 * network namespace, over rtnetlink (libmnl), without running `ip`.
 *
 * A `struct lab_nl` is one NETLINK_ROUTE socket opened inside a namespace
 * (lab_nl_open() opens it on a helper thread that entered the namespace,
 * see netns.h); every request sent through it acts on that namespace.  The
 * requests themselves are built by nl-msg.h.  Each call sends one request
 * and waits for the kernel's acknowledgement, so when it returns 0 the
 * change is in place.
 *
 * Device ioctls (ethtool offloads, TUN/TAP) also need a namespace: they
 * take its name and run on a helper thread there.
 *
 * A lab_nl is used by one thread at a time.  Errors: 0 or negative errno
 * (the kernel's, e.g. -EEXIST, -ENODEV, -ENETUNREACH). */
#ifndef PLURAL_LAB_NL_H
#define PLURAL_LAB_NL_H 1

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

struct lab_nl;

/* Opens a route socket in namespace NETNS (NULL: the caller's). */
int lab_nl_open(const char *netns, struct lab_nl **);
void lab_nl_close(struct lab_nl *);

/* The ifindex of NAME in the socket's namespace, or a negative errno. */
int lab_nl_ifindex(struct lab_nl *, const char *name);

/* veth NAME (into namespace NETNS) <-> PEER (into PEER_NETNS); a NULL
 * namespace is the socket's. */
int lab_nl_veth_add(struct lab_nl *, const char *name, const char *netns,
                    const char *peer, const char *peer_netns);
int lab_nl_bridge_add(struct lab_nl *, const char *name);
int lab_nl_vlan_add(struct lab_nl *, const char *parent, uint16_t vid, const char *name);
int lab_nl_link_del(struct lab_nl *, const char *name);
int lab_nl_link_set_up(struct lab_nl *, const char *name, bool up);
int lab_nl_link_set_mtu(struct lab_nl *, const char *name, unsigned int mtu);
/* Enslaves NAME to bridge MASTER (NULL: detach). */
int lab_nl_link_set_master(struct lab_nl *, const char *name, const char *master);
/* Moves NAME into namespace NETNS. */
int lab_nl_link_set_netns(struct lab_nl *, const char *name, const char *netns);

int lab_nl_addr_add(struct lab_nl *, const char *name, struct in_addr, unsigned int plen);
int lab_nl_addr_del(struct lab_nl *, const char *name, struct in_addr, unsigned int plen);

/* Route DST/PLEN via GW (INADDR_ANY: on-link) out of DEV (NULL: let the
 * kernel pick from GW). */
int lab_nl_route_add(struct lab_nl *, struct in_addr dst, unsigned int plen,
                     struct in_addr gw, const char *dev);

/* Checksum offloads (tx, rx), GSO, TSO and GRO off on NAME in NETNS
 * (SIOCETHTOOL); features a driver lacks are skipped.  Userspace switches
 * need real frames, see docs/lab.md. */
int lab_nl_offloads_off(const char *netns, const char *name);
/* Like `ethtool -K DEV gro on`: a veth whose peer is a port of
 * plural-switchd's XDP fast path takes redirected frames only with NAPI,
 * which GRO gives it (docs/switchd.md, "The XDP fast path"). */
int lab_nl_gro_on(const char *netns, const char *name);

/* A persistent TAP device NAME in NETNS (no packet information header,
 * vnet header off). */
int lab_nl_tap_add(const char *netns, const char *name);

/* Attaches to the existing tap NAME in NETNS and returns an open file
 * descriptor (no O_CLOEXEC: meant to be inherited by QEMU) or -errno. */
int lab_nl_tap_open(const char *netns, const char *name);

/* Parses "A.B.C.D/LEN" (or "default" = 0.0.0.0/0); -EINVAL if bad. */
int lab_parse_prefix(const char *s, struct in_addr *, unsigned int *plen);

#endif
