/* router-state — the router app's state as JSON (dump, snapshot,
 * restore) and its control-socket commands (route, arp, interfaces). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "net/ctl-server.h"
#include "router.h"
#include "router-private.h"
#include "util/buf.h"
#include "util/clock.h"

/* State as JSON. */

static char *
mac_str(const uint8_t m[6], char *buf)
{
    sprintf(buf, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
    return buf;
}

static int
route_cmp(const void *a_, const void *b_)
{
    const struct route *a = a_, *b = b_;
    if (a->prefix != b->prefix) {
        return a->prefix < b->prefix ? -1 : 1;
    }
    return (int) a->plen - (int) b->plen;
}

static json_t *
routes_json(const struct router *rt, bool runtime_only)
{
    struct route *v = xcalloc(rt->n_routes + 1, sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < rt->n_routes; i++) {
        if (rt->routes[i].used && (!runtime_only || !rt->routes[i].from_config)) {
            v[n++] = rt->routes[i];
        }
    }
    qsort(v, n, sizeof *v, route_cmp);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        char p[24], nh[16];
        router_format_ip(v[i].prefix, p);
        sprintf(p + strlen(p), "/%u", v[i].plen);
        json_t *j = json_pack("{s:s,s:s,s:s}", "prefix", p,
                              "dev", rt->cfg.ifaces[v[i].iface].name,
                              "origin", v[i].connected ? "connected"
                                        : v[i].from_config ? "config" : "runtime");
        if (!v[i].connected) {
            json_object_set_new(j, "via", json_string(router_format_ip(v[i].next_hop, nh)));
        }
        json_array_append_new(arr, j);
    }
    free(v);
    return arr;
}

static json_t *
arp_json(const struct router *rt)
{
    json_t *arr = json_array();
    struct arp_entry *e;
    uint64_t now = clock_now_ms();
    HMAP_FOR_EACH (e, node, &rt->arp.entries) {
        char ip[16], mac[18];
        json_t *j = json_pack("{s:s,s:s,s:s,s:i}", "ip", router_format_ip(e->ip, ip),
                              "state", arp_state_name(e->state),
                              "dev", rt->cfg.ifaces[e->iface].name,
                              "queued", (int) e->n_queued);
        if (e->state != ARP_INCOMPLETE) {
            json_object_set_new(j, "mac", json_string(mac_str(e->mac, mac)));
            json_object_set_new(j, "age_s", json_integer((json_int_t) ((now - e->updated_ms) / 1000)));
        }
        json_array_append_new(arr, j);
    }
    return arr;
}

static json_t *
ifaces_json(const struct router *rt)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < rt->cfg.n_ifaces; i++) {
        const struct router_iface *f = &rt->cfg.ifaces[i];
        char ip[24], mac[18];
        router_format_ip(f->ip, ip);
        sprintf(ip + strlen(ip), "/%u", f->plen);
        json_t *j = json_pack("{s:s,s:i,s:s,s:s}", "name", f->name, "port", (int) f->port,
                              "mac", mac_str(f->mac, mac), "ip", ip);
        if (f->vlan != ROUTER_VLAN_NONE) {
            json_object_set_new(j, "vlan", json_integer(f->vlan));
        }
        json_array_append_new(arr, j);
    }
    return arr;
}

json_t *
router_dump(struct ctl_app *app)
{
    struct router *rt = router_cast(app);
    return json_pack("{s:s,s:i,s:o,s:o,s:o,s:{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}}",
        "mode", rt->cfg.mode == ROUTER_PROACTIVE ? "proactive" : "reactive",
        "idle_timeout", (int) rt->cfg.idle_timeout,
        "interfaces", ifaces_json(rt), "routes", routes_json(rt, false), "arp", arp_json(rt),
        "stats", "forwarded", (json_int_t) rt->stats.forwarded,
        "echo_replies", (json_int_t) rt->stats.echo_replies,
        "ttl_exceeded", (json_int_t) rt->stats.ttl_exceeded,
        "net_unreachable", (json_int_t) rt->stats.net_unreachable,
        "host_unreachable", (json_int_t) rt->stats.host_unreachable,
        "arp_replies", (json_int_t) rt->stats.arp_replies,
        "arp_requests", (json_int_t) rt->stats.arp_requests,
        "arp_queue_drops", (json_int_t) rt->arp.drops_queue_full,
        "dropped", (json_int_t) rt->stats.dropped);
}

json_t *
router_snapshot(struct ctl_app *app)
{
    struct router *rt = router_cast(app);
    json_t *arp = json_array();
    struct arp_entry *e;
    HMAP_FOR_EACH (e, node, &rt->arp.entries) {
        if (e->state == ARP_REACHABLE) {
            char ip[16], mac[18];
            json_array_append_new(arp, json_pack("{s:s,s:s}", "ip", router_format_ip(e->ip, ip),
                                                 "mac", mac_str(e->mac, mac)));
        }
    }
    return json_pack("{s:s,s:o,s:o}", "app", "router", "routes", routes_json(rt, true),
                     "arp", arp);
}

int
router_restore(struct ctl_app *app, const json_t *j, char **errp)
{
    struct router *rt = router_cast(app);
    json_t *routes = json_object_get(j, "routes"), *arp = json_object_get(j, "arp");
    if (!json_is_array(routes) || !json_is_array(arp)) {
        *errp = xstrdup("snapshot: expected {\"routes\": [...], \"arp\": [...]}");
        return -EINVAL;
    }
    size_t i;
    json_t *v;
    json_array_foreach (routes, i, v) {
        const char *p = json_string_value(json_object_get(v, "prefix"));
        const char *via = json_string_value(json_object_get(v, "via"));
        const char *dev = json_string_value(json_object_get(v, "dev"));
        if (!p || !via) {
            *errp = xasprintf("snapshot: routes[%zu] needs prefix and via", i);
            return -EINVAL;
        }
        uint32_t pre;
        uint8_t plen;
        if (!router_parse_prefix(p, &pre, &plen) && router_route_find(rt, pre & lpm_mask(plen), plen)) {
            continue;
        }
        int r = router_route_add(app, p, via, dev, errp);
        if (r) {
            return r;
        }
    }
    json_array_foreach (arp, i, v) {
        const char *ip = json_string_value(json_object_get(v, "ip"));
        const char *mac = json_string_value(json_object_get(v, "mac"));
        uint32_t a;
        uint8_t m[6];
        int ifc;
        if (!ip || !mac || router_parse_ipv4(ip, &a) || router_parse_mac(mac, m)) {
            *errp = xasprintf("snapshot: arp[%zu] needs ip and mac", i);
            return -EINVAL;
        }
        if (router_on_connected_subnet(rt, a, &ifc)) {
            router_learn(rt, a, m, ifc);
        }
    }
    return 0;
}

/* Commands. */

static void
cmd_route(struct ctl_app *app, struct ctl_conn *conn, int argc, const char *argv[])
{
    struct router *rt = router_cast(app);
    const char *sub = argc > 1 ? argv[1] : "show";
    char *err = NULL;
    int r;
    if (!strcmp(sub, "add")) {
        /* route add PREFIX via NH [dev IF] */
        if ((argc != 5 && argc != 7) || strcmp(argv[3], "via") || (argc == 7 && strcmp(argv[5], "dev"))) {
            ctl_reply_error(conn, "usage: route add PREFIX/LEN via NEXT-HOP [dev NAME]");
            return;
        }
        r = router_route_add(app, argv[2], argv[4], argc == 7 ? argv[6] : NULL, &err);
    } else if (!strcmp(sub, "del")) {
        if (argc != 3) {
            ctl_reply_error(conn, "usage: route del PREFIX/LEN");
            return;
        }
        r = router_route_del(app, argv[2], &err);
    } else if (!strcmp(sub, "show")) {
        json_t *routes = routes_json(rt, false);
        if (ctl_conn_wants_json(conn)) {
            ctl_reply_json(conn, routes);
            return;
        }
        struct buf out;
        buf_init(&out, 256);
        size_t i;
        json_t *v;
        json_array_foreach (routes, i, v) {
            const char *via = json_string_value(json_object_get(v, "via"));
            buf_printf(&out, "%-18s %-20s dev %-8s %s\n",
                       json_string_value(json_object_get(v, "prefix")),
                       via ? via : "connected",
                       json_string_value(json_object_get(v, "dev")),
                       json_string_value(json_object_get(v, "origin")));
        }
        json_decref(routes);
        ctl_reply_ok(conn, buf_cstr(&out));
        buf_uninit(&out);
        return;
    } else {
        ctl_reply_error(conn, "usage: route [show | add PREFIX/LEN via NEXT-HOP [dev NAME] | "
                              "del PREFIX/LEN]");
        return;
    }
    if (r) {
        ctl_reply_error(conn, err);
    } else {
        ctl_reply_ok(conn, "");
    }
    free(err);
}

static void
cmd_arp(struct ctl_app *app, struct ctl_conn *conn, int argc, const char *argv[])
{
    struct router *rt = router_cast(app);
    if (argc > 1 && !strcmp(argv[1], "flush")) {
        struct arp_entry *e;
        HMAP_FOR_EACH (e, node, &rt->arp.entries) {
            arp_cache_remove(&rt->arp, e->ip);
        }
        ctl_reply_ok(conn, "");
        return;
    } else if (argc > 1) {
        ctl_reply_error(conn, "usage: arp [flush]");
        return;
    }
    json_t *arr = arp_json(rt);
    if (ctl_conn_wants_json(conn)) {
        ctl_reply_json(conn, arr);
        return;
    }
    struct buf out;
    buf_init(&out, 256);
    size_t i;
    json_t *v;
    json_array_foreach (arr, i, v) {
        const char *mac = json_string_value(json_object_get(v, "mac"));
        buf_printf(&out, "%-16s %-18s %-10s dev %s\n",
                   json_string_value(json_object_get(v, "ip")), mac ? mac : "-",
                   json_string_value(json_object_get(v, "state")),
                   json_string_value(json_object_get(v, "dev")));
    }
    json_decref(arr);
    ctl_reply_ok(conn, buf_cstr(&out));
    buf_uninit(&out);
}

static void
cmd_interfaces(struct ctl_app *app, struct ctl_conn *conn, int argc, const char *argv[])
{
    (void) argc;
    (void) argv;
    json_t *arr = ifaces_json(router_cast(app));
    if (ctl_conn_wants_json(conn)) {
        ctl_reply_json(conn, arr);
        return;
    }
    struct buf out;
    buf_init(&out, 256);
    size_t i;
    json_t *v;
    json_array_foreach (arr, i, v) {
        buf_printf(&out, "%-8s port %-4"JSON_INTEGER_FORMAT" %s %s",
                   json_string_value(json_object_get(v, "name")),
                   json_integer_value(json_object_get(v, "port")),
                   json_string_value(json_object_get(v, "mac")),
                   json_string_value(json_object_get(v, "ip")));
        if (json_object_get(v, "vlan")) {
            buf_printf(&out, " vlan %"JSON_INTEGER_FORMAT,
                       json_integer_value(json_object_get(v, "vlan")));
        }
        buf_printf(&out, "\n");
    }
    json_decref(arr);
    ctl_reply_ok(conn, buf_cstr(&out));
    buf_uninit(&out);
}

const struct ctl_app_command router_commands[] = {
    { "route", "[show | add PREFIX/LEN via NEXT-HOP [dev NAME] | del PREFIX/LEN]", 0, 6, cmd_route },
    { "arp", "[flush]", 0, 1, cmd_arp },
    { "interfaces", "", 0, 0, cmd_interfaces },
    { NULL, NULL, 0, 0, NULL },
};

