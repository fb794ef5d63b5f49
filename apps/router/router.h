/* router — the virtual IPv4 router app of plural-controller.
 *
 * One router programs one datapath (the first switch that comes up; others
 * are left alone with a warning).  Interfaces (port, optional VLAN, MAC,
 * address/prefix) and static routes come from the config file
 * (router-config.h); routes change at run time with `plural ctl route`.
 *
 * Forwarding table: DIR-16-8-8 LPM (lib/ctl/lpm.h) of connected subnets and
 * static routes.  Neighbours: arp-cache.h (answers ARP for its own
 * addresses, resolves next hops with bounded queues, ages entries).
 *
 * Packets that reach the controller are routed here: TTL decremented (ICMP
 * time exceeded at TTL <= 1), ICMP destination unreachable when no route
 * (net unreachable) or ARP fails (host unreachable), ICMP echo replies for
 * its own addresses, MACs rewritten, sent with PACKET_OUT.
 *
 * Data-plane flows (OpenFlow 1.0 has no TTL-decrement action, so switch-
 * forwarded packets keep their TTL; only packets through the controller
 * are decremented):
 *   proactive  one flow per prefix: ip,nw_dst=PREFIX priority 1000+LEN,
 *              actions mod_dl_src,mod_dl_dst,[vlan],output — or CONTROLLER
 *              while the next hop is unresolved and for connected subnets;
 *              /32 host flows (priority 1032) for resolved neighbours on
 *              connected subnets; own addresses (1040) and ARP (1050) go to
 *              the controller; IPv4 with no route goes to the controller
 *              (priority 1, for ICMP net unreachable) and anything else is
 *              dropped (priority 0).  Kept in sync on route changes and ARP
 *              resolution; established traffic sends no PACKET_IN.
 *   reactive   the first packet to a destination comes to the controller,
 *              which installs ip,nw_dst=DST/32 priority 100 with the
 *              config's idle timeout.
 */
#ifndef PLURAL_APPS_ROUTER_H
#define PLURAL_APPS_ROUTER_H 1

#include "ctl/ctl-app.h"

extern const struct ctl_app_class router_app_class;

/* Run-time route changes (what `plural ctl route add/del` call).  0 or
 * -errno with *errp. */
int router_route_add(struct ctl_app *, const char *prefix, const char *via,
                     const char *dev, char **errp);
int router_route_del(struct ctl_app *, const char *prefix, char **errp);

#endif
