/* router-private — the router app's state, shared by router.c (forwarding,
 * flows, configuration) and router-state.c (JSON state, snapshot/restore,
 * control commands).  Nothing outside apps/router includes this. */
#ifndef PLURAL_APPS_ROUTER_PRIVATE_H
#define PLURAL_APPS_ROUTER_PRIVATE_H 1

#include <stdbool.h>
#include <stdint.h>
#include "arp-cache.h"
#include "ctl/ctl-app.h"
#include "ctl/lpm.h"
#include "router-config.h"
#include "router-pkt.h"

enum {
    PRIO_DROP = 0,
    PRIO_IP_MISS = 1,
    PRIO_REACTIVE = 100,
    PRIO_PREFIX_BASE = 1000,    /* + prefix length. */
    PRIO_HOST = 1032,
    PRIO_OWN = 1040,
    PRIO_ARP = 1050,
};

struct route {
    bool used;
    bool connected;             /* Interface subnet: next hop = destination. */
    bool from_config;
    uint32_t prefix;
    uint8_t plen;
    uint32_t next_hop;
    int iface;
};

struct router {
    struct ctl_app up;
    struct router_config cfg;
    struct lpm *lpm;
    struct route *routes;
    size_t n_routes;            /* Slots (used or not). */
    struct arp_cache arp;
    struct ctl_switch *sw;      /* The datapath it programs. */
    uint8_t frame[ROUTER_FRAME_MAX + 64];
    struct {
        uint64_t forwarded, echo_replies, ttl_exceeded, net_unreachable,
                 host_unreachable, arp_replies, arp_requests, dropped;
    } stats;
};

static inline struct router *
router_cast(struct ctl_app *app)
{
    return CONTAINER_OF(app, struct router, up);
}

/* router.c */
struct route *router_route_find(struct router *, uint32_t prefix, uint8_t plen);
bool router_on_connected_subnet(const struct router *, uint32_t ip, int *iface);
/* Learns ip -> mac on interface `iface`: releases queued packets, updates
 * proactive flows. */
void router_learn(struct router *, uint32_t ip, const uint8_t mac[6], int iface);

/* router-state.c */
json_t *router_dump(struct ctl_app *);
json_t *router_snapshot(struct ctl_app *);
int router_restore(struct ctl_app *, const json_t *, char **errp);
extern const struct ctl_app_command router_commands[];

#endif
