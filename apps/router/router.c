/* router — virtual IPv4 router app; see router.h for the design. */
#include "router.h"
#include "router-private.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "arp-cache.h"
#include "ctl/controller.h"
#include "ctl/ctl-switch.h"
#include "ctl/lpm.h"
#include "router-config.h"
#include "router-pkt.h"
#include "util/clock.h"
#include "util/log.h"

LOG_MODULE(router);

static const uint8_t eth_bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static struct ctl_app *
router_create(void)
{
    struct router *rt = xzalloc(sizeof *rt);
    rt->lpm = lpm_create();
    arp_cache_init(&rt->arp, NULL);
    return &rt->up;
}

static void
router_destroy(struct ctl_app *app)
{
    struct router *rt = router_cast(app);
    lpm_destroy(rt->lpm);
    arp_cache_destroy(&rt->arp);
    router_config_uninit(&rt->cfg);
    free(rt->routes);
    free(rt);
}

/* Routes table. */

static int
route_alloc(struct router *rt)
{
    for (size_t i = 0; i < rt->n_routes; i++) {
        if (!rt->routes[i].used) {
            return (int) i;
        }
    }
    rt->routes = xrealloc(rt->routes, (rt->n_routes + 1) * sizeof *rt->routes);
    memset(&rt->routes[rt->n_routes], 0, sizeof *rt->routes);
    return (int) rt->n_routes++;
}

struct route *
router_route_find(struct router *rt, uint32_t prefix, uint8_t plen)
{
    uint32_t idx;
    return lpm_get(rt->lpm, prefix, plen, &idx) ? &rt->routes[idx] : NULL;
}

static const struct router_iface *
iface_by_port(const struct router *rt, uint16_t port, uint16_t vlan)
{
    for (size_t i = 0; i < rt->cfg.n_ifaces; i++) {
        const struct router_iface *ifc = &rt->cfg.ifaces[i];
        if (ifc->port == port && ifc->vlan == vlan) {
            return ifc;
        }
    }
    return NULL;
}

static const struct router_iface *
iface_by_ip(const struct router *rt, uint32_t ip)
{
    for (size_t i = 0; i < rt->cfg.n_ifaces; i++) {
        if (rt->cfg.ifaces[i].ip == ip) {
            return &rt->cfg.ifaces[i];
        }
    }
    return NULL;
}

bool
router_on_connected_subnet(const struct router *rt, uint32_t ip, int *iface)
{
    for (size_t i = 0; i < rt->cfg.n_ifaces; i++) {
        const struct router_iface *ifc = &rt->cfg.ifaces[i];
        if (((ip ^ ifc->ip) & lpm_mask(ifc->plen)) == 0) {
            *iface = (int) i;
            return true;
        }
    }
    return false;
}

/* Flow building. */

static size_t
rewrite_actions(const struct router_iface *out, const uint8_t dst_mac[6],
                struct ofp_action *a)
{
    size_t n = 0;
    if (out->vlan != ROUTER_VLAN_NONE) {
        a[n].type = OFPAT_SET_VLAN_VID;
        a[n++].vlan_vid = out->vlan;
    } else {
        a[n++].type = OFPAT_STRIP_VLAN;
    }
    a[n].type = OFPAT_SET_DL_SRC;
    memcpy(a[n++].dl_addr, out->mac, 6);
    a[n].type = OFPAT_SET_DL_DST;
    memcpy(a[n++].dl_addr, dst_mac, 6);
    a[n++] = ofp_action_output(out->port, 0);
    return n;
}

static void
ip_match(struct ofp_match_h *m, uint32_t dst, unsigned int plen)
{
    ofp_match_init_catchall(m);
    m->wildcards &= ~(uint32_t) OFPFW_DL_TYPE;
    m->dl_type = 0x0800;
    ofp_match_set_nw_dst(m, dst, (int) plen);
}

static void
send_flow(struct router *rt, uint16_t cmd, const struct ofp_match_h *m, uint16_t prio,
          const struct ofp_action *a, size_t n, uint16_t idle)
{
    if (!rt->sw) {
        return;
    }
    struct ofp_flow_mod_h fm;
    ctl_flow_mod_init(&fm, cmd, m, prio, a, n);
    fm.idle_timeout = idle;
    ctl_switch_flow_mod(rt->sw, &fm);
}

/* Proactive: the flow of one route, with the next hop's MAC if known. */
static void
install_route_flow(struct router *rt, const struct route *r)
{
    struct ofp_match_h m;
    struct ofp_action a[5];
    size_t n;
    uint8_t mac[6];
    ip_match(&m, r->prefix, r->plen);
    if (!r->connected && arp_cache_lookup(&rt->arp, r->next_hop, clock_now_ms(), mac)) {
        n = rewrite_actions(&rt->cfg.ifaces[r->iface], mac, a);
    } else {
        a[0] = ofp_action_output(OFPP_CONTROLLER, 0xffff);
        n = 1;
    }
    send_flow(rt, OFPFC_ADD, &m, (uint16_t) (PRIO_PREFIX_BASE + r->plen), a, n, 0);
}

static void
install_host_flow(struct router *rt, uint32_t ip, const uint8_t mac[6], int iface)
{
    struct ofp_match_h m;
    struct ofp_action a[5];
    ip_match(&m, ip, 32);
    size_t n = rewrite_actions(&rt->cfg.ifaces[iface], mac, a);
    send_flow(rt, OFPFC_ADD, &m, PRIO_HOST, a, n, 0);
}

static void
proactive_install_all(struct router *rt)
{
    struct ofp_match_h m;
    struct ofp_action to_ctl = ofp_action_output(OFPP_CONTROLLER, 0xffff);
    ofp_match_init_catchall(&m);
    m.wildcards &= ~(uint32_t) OFPFW_DL_TYPE;
    m.dl_type = 0x0806;
    send_flow(rt, OFPFC_ADD, &m, PRIO_ARP, &to_ctl, 1, 0);
    /* IPv4 without a route still comes up (ICMP net unreachable); any
     * other protocol (IPv6, LLDP...) is not routed: dropped in the switch. */
    ip_match(&m, 0, 0);
    send_flow(rt, OFPFC_ADD, &m, PRIO_IP_MISS, &to_ctl, 1, 0);
    ofp_match_init_catchall(&m);
    send_flow(rt, OFPFC_ADD, &m, PRIO_DROP, NULL, 0, 0);
    for (size_t i = 0; i < rt->cfg.n_ifaces; i++) {
        ip_match(&m, rt->cfg.ifaces[i].ip, 32);
        send_flow(rt, OFPFC_ADD, &m, PRIO_OWN, &to_ctl, 1, 0);
    }
    for (size_t i = 0; i < rt->n_routes; i++) {
        if (rt->routes[i].used) {
            install_route_flow(rt, &rt->routes[i]);
        }
    }
    struct arp_entry *e;
    HMAP_FOR_EACH (e, node, &rt->arp.entries) {
        int ifc;
        if (e->state != ARP_INCOMPLETE && router_on_connected_subnet(rt, e->ip, &ifc)) {
            install_host_flow(rt, e->ip, e->mac, ifc);
        }
    }
}

/* Output. */

static void
packet_out(struct router *rt, uint16_t port, const uint8_t *frame, size_t len)
{
    if (rt->sw) {
        struct ofp_action out = ofp_action_output(port, 0);
        ctl_switch_packet_out(rt->sw, OFP_NO_BUFFER, OFPP_NONE, &out, 1, frame, len);
    }
}

static void
send_arp_request(uint32_t ip, uint32_t iface, void *rt_)
{
    struct router *rt = rt_;
    const struct router_iface *ifc = &rt->cfg.ifaces[iface];
    static const uint8_t zero[6];
    size_t n = router_build_arp(rt->frame, ifc->vlan, 1, eth_bcast, ifc->mac, ifc->ip, zero, ip);
    rt->stats.arp_requests++;
    packet_out(rt, ifc->port, rt->frame, n);
}

static void
send_icmp_error(struct router *rt, const struct router_iface *in, const uint8_t *eth_src,
                const uint8_t *ip, size_t ip_len, uint8_t type, uint8_t code)
{
    /* Never answer an ICMP error with one (RFC 1812 4.3.2.7). */
    if (ip[9] == 1 && ip_len > (size_t) (ip[0] & 0xf) * 4) {
        uint8_t t = ip[(ip[0] & 0xf) * 4];
        if (t != 0 && t != 8) {
            return;
        }
    }
    size_t n = router_build_icmp_error(rt->frame, eth_src, in->mac, in->vlan, in->ip, type, code,
                                       ip, ip_len);
    packet_out(rt, in->port, rt->frame, n);
}

/* Queued packets carry: in interface (8 bits) | out interface (8) | l3 (16). */
static uint32_t
pack_aux(int in_if, int out_if, size_t l3)
{
    return (uint32_t) in_if << 24 | (uint32_t) out_if << 16 | (uint32_t) l3;
}

/* Sends the original frame `frame` (IPv4 at l3, TTL already checked) out of
 * out_if to dst_mac, TTL decremented. */
static void
emit_forward(struct router *rt, const uint8_t *frame, size_t len, size_t l3, int out_if,
             const uint8_t dst_mac[6])
{
    const struct router_iface *out = &rt->cfg.ifaces[out_if];
    size_t ip_len = router_ip_len(frame + l3, len - l3);
    size_t n = router_put_eth(rt->frame, dst_mac, out->mac, out->vlan, 0x0800);
    memcpy(rt->frame + n, frame + l3, ip_len);
    router_dec_ttl(rt->frame + n);
    rt->stats.forwarded++;
    packet_out(rt, out->port, rt->frame, n + ip_len);
}

static void
release_queued(struct router *rt, struct list *released)
{
    while (!list_is_empty(released)) {
        struct arp_queued *q = CONTAINER_OF(list_pop_front(released), struct arp_queued, node);
        int out_if = (q->aux >> 16) & 0xff;
        uint8_t mac[6];
        if (arp_cache_lookup(&rt->arp, q->next_hop, clock_now_ms(), mac)) {
            emit_forward(rt, q->data, q->len, q->aux & 0xffff, out_if, mac);
        }
        free(q);
    }
}

static void
fail_queued(struct router *rt, struct list *failed)
{
    while (!list_is_empty(failed)) {
        struct arp_queued *q = CONTAINER_OF(list_pop_front(failed), struct arp_queued, node);
        const struct router_iface *in = &rt->cfg.ifaces[q->aux >> 24];
        size_t l3 = q->aux & 0xffff;
        rt->stats.host_unreachable++;
        send_icmp_error(rt, in, q->data + 6, q->data + l3,
                        router_ip_len(q->data + l3, q->len - l3), 3, 1);
        free(q);
    }
}

/* Learned ip -> mac: update the data plane in proactive mode. */
static void
on_neighbour(struct router *rt, uint32_t ip, const uint8_t mac[6], bool changed)
{
    if (rt->cfg.mode != ROUTER_PROACTIVE || !changed) {
        return;
    }
    int ifc;
    if (router_on_connected_subnet(rt, ip, &ifc)) {
        install_host_flow(rt, ip, mac, ifc);
    }
    for (size_t i = 0; i < rt->n_routes; i++) {
        const struct route *r = &rt->routes[i];
        if (r->used && !r->connected && r->next_hop == ip) {
            install_route_flow(rt, r);
        }
    }
}

void
router_learn(struct router *rt, uint32_t ip, const uint8_t mac[6], int iface)
{
    uint8_t old[6];
    uint64_t now = clock_now_ms();
    bool had = arp_cache_lookup(&rt->arp, ip, now, old);
    struct list released;
    list_init(&released);
    if (arp_cache_learn(&rt->arp, ip, mac, (uint32_t) iface, now, &released) == 0) {
        on_neighbour(rt, ip, mac, !had || memcmp(old, mac, 6));
    }
    release_queued(rt, &released);
    ctl_app_wake_at(&rt->up, now + rt->arp.cfg.retry_ms);
}

static void
handle_arp(struct router *rt, const struct ctl_packet_in *pi, const struct router_iface *in)
{
    const uint8_t *a = pi->data + pi->layout.l3;
    if (!pi->layout.l3 || pi->len < pi->layout.l3 + 28u || a[4] != 6 || a[5] != 4
        || a[0] != 0 || a[1] != 1 || a[2] != 0x08 || a[3] != 0) {
        rt->stats.dropped++;
        return;
    }
    uint16_t op = (uint16_t) (a[6] << 8 | a[7]);
    const uint8_t *sha = a + 8;
    uint32_t spa = pi->key.nw_src, tpa = pi->key.nw_dst;
    int ifc = (int) (in - rt->cfg.ifaces);
    if (spa && ((spa ^ in->ip) & lpm_mask(in->plen)) == 0 && spa != in->ip && !(sha[0] & 1)) {
        router_learn(rt, spa, sha, ifc);
    }
    if (op == 1 && tpa == in->ip) {
        size_t n = router_build_arp(rt->frame, in->vlan, 2, sha, in->mac, in->ip, sha, spa);
        rt->stats.arp_replies++;
        packet_out(rt, in->port, rt->frame, n);
    }
}

static void
install_reactive(struct router *rt, uint32_t dst, int out_if, const uint8_t mac[6])
{
    struct ofp_match_h m;
    struct ofp_action a[5];
    ip_match(&m, dst, 32);
    size_t n = rewrite_actions(&rt->cfg.ifaces[out_if], mac, a);
    send_flow(rt, OFPFC_ADD, &m, PRIO_REACTIVE, a, n, rt->cfg.idle_timeout);
}

static void
handle_ipv4(struct router *rt, const struct ctl_packet_in *pi, const struct router_iface *in)
{
    size_t l3 = pi->layout.l3;
    const uint8_t *ip = pi->data + l3;
    size_t ip_len = l3 ? router_ip_len(ip, pi->len - l3) : 0;
    if (!ip_len || (pi->key.dl_dst[0] & 1) || memcmp(pi->key.dl_dst, in->mac, 6)) {
        rt->stats.dropped++;        /* Not addressed to us at layer 2. */
        return;
    }
    uint32_t dst = pi->key.nw_dst;
    const struct router_iface *own = iface_by_ip(rt, dst);
    if (own) {
        if (pi->key.nw_proto == 1 && pi->key.tp_src == 8) {
            size_t n = router_build_echo_reply(rt->frame, pi->key.dl_src, in->mac, in->vlan,
                                               dst, ip, ip_len);
            if (n) {
                rt->stats.echo_replies++;
                packet_out(rt, in->port, rt->frame, n);
            }
        } else if (pi->key.nw_proto == 17) {
            send_icmp_error(rt, in, pi->key.dl_src, ip, ip_len, 3, 3);
        }
        return;
    }
    if (ip[8] <= 1) {
        rt->stats.ttl_exceeded++;
        send_icmp_error(rt, in, pi->key.dl_src, ip, ip_len, 11, 0);
        return;
    }
    uint32_t idx;
    if (!lpm_lookup(rt->lpm, dst, &idx)) {
        rt->stats.net_unreachable++;
        send_icmp_error(rt, in, pi->key.dl_src, ip, ip_len, 3, 0);
        return;
    }
    const struct route *r = &rt->routes[idx];
    uint32_t nh = r->connected ? dst : r->next_hop;
    uint8_t mac[6];
    uint64_t now = clock_now_ms();
    if (arp_cache_lookup(&rt->arp, nh, now, mac)) {
        emit_forward(rt, pi->data, l3 + ip_len, l3, r->iface, mac);
        if (rt->cfg.mode == ROUTER_REACTIVE) {
            install_reactive(rt, dst, r->iface, mac);
        } else if (r->connected) {
            install_host_flow(rt, dst, mac, r->iface);
        } else {
            install_route_flow(rt, r);
        }
        return;
    }
    int q = arp_cache_enqueue(&rt->arp, nh, (uint32_t) r->iface, pi->data, (uint32_t) (l3 + ip_len),
                              pack_aux((int) (in - rt->cfg.ifaces), r->iface, l3), now);
    if (q == ARP_CACHE_SEND_REQUEST) {
        send_arp_request(nh, (uint32_t) r->iface, rt);
        ctl_app_wake_at(&rt->up, now + rt->arp.cfg.retry_ms);
    } else if (q < 0) {
        rt->stats.dropped++;
    }
}

static void
router_packet_in(struct ctl_app *app, struct ctl_switch *sw, const struct ctl_packet_in *pi)
{
    struct router *rt = router_cast(app);
    if (sw != rt->sw) {
        return;
    }
    const struct router_iface *in = iface_by_port(rt, pi->in_port, pi->key.dl_vlan);
    if (!in) {
        rt->stats.dropped++;
        return;
    }
    if (pi->key.dl_type == 0x0806) {
        handle_arp(rt, pi, in);
    } else if (pi->key.dl_type == 0x0800) {
        handle_ipv4(rt, pi, in);
    } else {
        rt->stats.dropped++;
    }
}

static void
router_switch_up(struct ctl_app *app, struct ctl_switch *sw)
{
    struct router *rt = router_cast(app);
    if (rt->sw) {
        LOG_WARN("%s: ignored: this router already programs switch %016"PRIx64,
                 ctl_switch_name(sw), ctl_switch_dpid(rt->sw));
        return;
    }
    rt->sw = sw;
    LOG_INFO("programming switch %016"PRIx64" (%s mode)", ctl_switch_dpid(sw),
             rt->cfg.mode == ROUTER_PROACTIVE ? "proactive" : "reactive");
    if (rt->cfg.mode == ROUTER_PROACTIVE) {
        proactive_install_all(rt);
    }
}

static void
router_switch_down(struct ctl_app *app, struct ctl_switch *sw)
{
    struct router *rt = router_cast(app);
    if (rt->sw == sw) {
        rt->sw = NULL;
    }
}

static uint64_t
router_run(struct ctl_app *app, uint64_t now)
{
    struct router *rt = router_cast(app);
    struct list failed;
    list_init(&failed);
    uint64_t next = arp_cache_run(&rt->arp, now, send_arp_request, rt, &failed);
    fail_queued(rt, &failed);
    return next;
}

/* Configuration. */

static void
add_route_entry(struct router *rt, const struct route *r)
{
    int i = route_alloc(rt);
    rt->routes[i] = *r;
    rt->routes[i].used = true;
    lpm_insert(rt->lpm, r->prefix, r->plen, (uint32_t) i);
}

static void
load_config(struct router *rt, struct router_config *cfg)
{
    router_config_uninit(&rt->cfg);
    rt->cfg = *cfg;
    lpm_clear(rt->lpm);
    free(rt->routes);
    rt->routes = NULL;
    rt->n_routes = 0;
    for (size_t i = 0; i < cfg->n_ifaces; i++) {
        const struct router_iface *ifc = &cfg->ifaces[i];
        struct route r = { .connected = true, .from_config = true,
                           .prefix = ifc->ip & lpm_mask(ifc->plen), .plen = ifc->plen,
                           .iface = (int) i };
        add_route_entry(rt, &r);
    }
    for (size_t i = 0; i < cfg->n_routes; i++) {
        const struct router_route_cfg *rc = &cfg->routes[i];
        struct route r = { .from_config = true, .prefix = rc->prefix, .plen = rc->plen,
                           .next_hop = rc->next_hop, .iface = rc->iface };
        add_route_entry(rt, &r);
    }
    rt->arp.cfg.reachable_ms = cfg->arp_timeout_s * 1000;
}

static int
router_configure(struct ctl_app *app, const char *path, char **errp)
{
    struct router *rt = router_cast(app);
    struct router_config cfg;
    if (!path) {
        *errp = xstrdup("the router app needs --config FILE (see docs/controller.md)");
        return -EINVAL;
    }
    int r = router_config_read(path, &cfg, errp);
    if (r) {
        return r;
    }
    if (!cfg.n_ifaces) {
        *errp = xasprintf("%s: no interface defined (a router needs at least one "
                          "`interface NAME port N mac MAC ip A.B.C.D/LEN` line)", path);
        router_config_uninit(&cfg);
        return -EINVAL;
    }
    load_config(rt, &cfg);
    return 0;
}

static int
router_reconfigure(struct ctl_app *app, const char *path, char **errp)
{
    struct router *rt = router_cast(app);
    struct router_config cfg;
    int r = router_config_read(path, &cfg, errp);
    if (r) {
        return r;
    }
    if (!cfg.n_ifaces) {
        *errp = xasprintf("%s: no interface defined", path);
        router_config_uninit(&cfg);
        return -EINVAL;
    }
    /* Keep run-time routes that still resolve. */
    struct route *keep = NULL;
    size_t n_keep = 0;
    for (size_t i = 0; i < rt->n_routes; i++) {
        if (rt->routes[i].used && !rt->routes[i].from_config) {
            keep = xrealloc(keep, (n_keep + 1) * sizeof *keep);
            keep[n_keep++] = rt->routes[i];
        }
    }
    load_config(rt, &cfg);
    for (size_t i = 0; i < n_keep; i++) {
        struct router_route_cfg rc = { .prefix = keep[i].prefix, .plen = keep[i].plen,
                                       .next_hop = keep[i].next_hop };
        char *e = NULL;
        if (!router_route_find(rt, rc.prefix, rc.plen)
            && !router_config_resolve_route(&rt->cfg, &rc, NULL, &e)) {
            keep[i].iface = rc.iface;
            add_route_entry(rt, &keep[i]);
        }
        free(e);
    }
    free(keep);
    if (rt->sw) {
        struct ofp_match_h all;
        ofp_match_init_catchall(&all);
        send_flow(rt, OFPFC_DELETE, &all, 0, NULL, 0, 0);
        if (rt->cfg.mode == ROUTER_PROACTIVE) {
            proactive_install_all(rt);
        }
    }
    return 0;
}

int
router_route_add(struct ctl_app *app, const char *prefix, const char *via, const char *dev,
                 char **errp)
{
    struct router *rt = router_cast(app);
    struct router_route_cfg rc = { 0 };
    if (router_parse_prefix(prefix, &rc.prefix, &rc.plen)) {
        *errp = xasprintf("bad prefix \"%s\" (expected A.B.C.D/LEN, LEN 0-32)", prefix);
        return -EINVAL;
    }
    if (router_parse_ipv4(via, &rc.next_hop)) {
        *errp = xasprintf("bad next hop \"%s\" (expected A.B.C.D)", via);
        return -EINVAL;
    }
    int r = router_config_resolve_route(&rt->cfg, &rc, dev, errp);
    if (r) {
        return r;
    }
    if (router_route_find(rt, rc.prefix, rc.plen)) {
        *errp = xasprintf("route %s already exists (delete it first)", prefix);
        return -EEXIST;
    }
    struct route route = { .prefix = rc.prefix, .plen = rc.plen, .next_hop = rc.next_hop,
                           .iface = rc.iface };
    add_route_entry(rt, &route);
    if (rt->cfg.mode == ROUTER_PROACTIVE) {
        install_route_flow(rt, router_route_find(rt, rc.prefix, rc.plen));
        uint8_t mac[6];
        if (!arp_cache_lookup(&rt->arp, rc.next_hop, clock_now_ms(), mac)) {
            /* Resolve now so the flow gets its MAC without waiting for traffic. */
            if (arp_cache_enqueue(&rt->arp, rc.next_hop, (uint32_t) rc.iface, NULL, 0, 0,
                                  clock_now_ms()) == ARP_CACHE_SEND_REQUEST) {
                send_arp_request(rc.next_hop, (uint32_t) rc.iface, rt);
            }
        }
    } else {
        struct ofp_match_h m;
        ip_match(&m, rc.prefix, rc.plen);
        send_flow(rt, OFPFC_DELETE, &m, 0, NULL, 0, 0);
    }
    return 0;
}

int
router_route_del(struct ctl_app *app, const char *prefix, char **errp)
{
    struct router *rt = router_cast(app);
    uint32_t p;
    uint8_t plen;
    if (router_parse_prefix(prefix, &p, &plen)) {
        *errp = xasprintf("bad prefix \"%s\" (expected A.B.C.D/LEN)", prefix);
        return -EINVAL;
    }
    struct route *r = router_route_find(rt, p & lpm_mask(plen), plen);
    if (!r) {
        *errp = xasprintf("no route %s", prefix);
        return -ENOENT;
    }
    if (r->connected) {
        *errp = xasprintf("%s is an interface's subnet: change the config instead", prefix);
        return -EPERM;
    }
    struct ofp_match_h m;
    ip_match(&m, r->prefix, r->plen);
    if (rt->cfg.mode == ROUTER_PROACTIVE) {
        send_flow(rt, OFPFC_DELETE_STRICT, &m, (uint16_t) (PRIO_PREFIX_BASE + r->plen), NULL, 0, 0);
    } else {
        send_flow(rt, OFPFC_DELETE, &m, 0, NULL, 0, 0);
    }
    r->used = false;
    lpm_delete(rt->lpm, r->prefix, r->plen);
    return 0;
}

const struct ctl_app_class router_app_class = {
    .name = "router",
    .summary = "virtual IPv4 router (LPM routes, ARP, ICMP; proactive or reactive flows)",
    .track_flows = true,
    .create = router_create,
    .destroy = router_destroy,
    .configure = router_configure,
    .reconfigure = router_reconfigure,
    .dump = router_dump,
    .snapshot = router_snapshot,
    .restore = router_restore,
    .switch_up = router_switch_up,
    .switch_down = router_switch_down,
    .packet_in = router_packet_in,
    .run = router_run,
    .commands = router_commands,
};
