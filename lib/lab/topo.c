/* topo — topology files to a validated model (see topo.h). */
#include "lab/topo.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lab/nl.h"
#include "lab/yaml-tree.h"
#include "util/buf.h"
#include "util/util.h"

static const char *const kind_names[] = {
    [LAB_NODE_HOST] = "host",
    [LAB_NODE_CONTAINER] = "container",
    [LAB_NODE_VM] = "vm",
    [LAB_NODE_ROUTER] = "linux-router",
    [LAB_NODE_PLURAL_SWITCH] = "plural-switch",
    [LAB_NODE_OVS] = "ovs",
    [LAB_NODE_CONTROLLER] = "controller",
    [LAB_NODE_SLICER] = "slicer",
};

const char *
lab_node_kind_name(enum lab_node_kind kind)
{
    return kind < ARRAY_SIZE(kind_names) ? kind_names[kind] : "?";
}

struct reader {
    const char *file;
    struct buf errors;
    size_t n_errors;
};

static void PRINTF_FORMAT(3, 4)
error_at(struct reader *r, int line, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    char *msg = xvasprintf(fmt, args);
    va_end(args);
    buf_printf(&r->errors, "%s:%d: %s\n", r->file, line, msg);
    r->n_errors++;
    free(msg);
}

int
lab_parse_size(const char *s, uint64_t *bytes)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    if (end == s || errno || *s == '-') {
        return -EINVAL;
    }
    uint64_t mult = 1;
    if (*end) {
        switch (toupper((unsigned char) *end)) {
        case 'K': mult = 1ULL << 10; break;
        case 'M': mult = 1ULL << 20; break;
        case 'G': mult = 1ULL << 30; break;
        default: return -EINVAL;
        }
        end++;
        if (*end == 'i') {
            end++;
        }
        if (*end == 'B') {
            end++;
        }
        if (*end) {
            return -EINVAL;
        }
    }
    if (n > UINT64_MAX / mult) {
        return -ERANGE;
    }
    *bytes = n * mult;
    return 0;
}

int
lab_parse_cpus(const char *s, uint64_t *maskp)
{
    uint64_t mask = 0;
    const char *p = s;
    while (*p) {
        char *end;
        unsigned long lo = strtoul(p, &end, 10), hi;
        if (end == p || lo > 63) {
            return -EINVAL;
        }
        hi = lo;
        if (*end == '-') {
            p = end + 1;
            hi = strtoul(p, &end, 10);
            if (end == p || hi > 63 || hi < lo) {
                return -EINVAL;
            }
        }
        for (unsigned long i = lo; i <= hi; i++) {
            mask |= 1ULL << i;
        }
        p = end;
        if (*p == ',') {
            p++;
            if (!*p) {
                return -EINVAL;
            }
        } else if (*p) {
            return -EINVAL;
        }
    }
    if (!mask) {
        return -EINVAL;
    }
    *maskp = mask;
    return 0;
}

static bool
valid_name(const char *s, size_t max)
{
    size_t len = strlen(s);
    if (!len || len > max || s[0] == '-') {
        return false;
    }
    for (const char *p = s; *p; p++) {
        if (!islower((unsigned char) *p) && !isdigit((unsigned char) *p) && *p != '-') {
            return false;
        }
    }
    return true;
}

static bool
valid_ifname(const char *s)
{
    size_t len = strlen(s);
    if (!len || len > LAB_IFNAME_MAX || !strcmp(s, ".") || !strcmp(s, "..")) {
        return false;
    }
    for (const char *p = s; *p; p++) {
        if (*p == '/' || *p == ':' || isspace((unsigned char) *p)) {
            return false;
        }
    }
    return true;
}

/* The scalar text of T, or NULL with an error naming WHAT. */
static const char *
scalar(struct reader *r, const struct ytree *t, const char *what)
{
    if (t->kind != YT_SCALAR) {
        error_at(r, t->line, "%s must be a single value", what);
        return NULL;
    }
    return t->value;
}

static void
check_keys(struct reader *r, const struct ytree *map, const char *what,
           const char *const *allowed)
{
    for (size_t i = 0; i < map->n; i++) {
        bool ok = false;
        for (const char *const *a = allowed; *a; a++) {
            if (!strcmp(map->keys[i], *a)) {
                ok = true;
            }
        }
        if (!ok) {
            error_at(r, map->key_lines[i], "unknown key '%s' in %s", map->keys[i], what);
        }
    }
}

static void
read_addrs(struct reader *r, struct lab_node *node, const struct ytree *t)
{
    if (t->kind != YT_MAPPING) {
        error_at(r, t->line, "node %s: addresses must map interface -> A.B.C.D/LEN",
                 node->name);
        return;
    }
    for (size_t i = 0; i < t->n; i++) {
        const struct ytree *v = t->items[i];
        size_t n = v->kind == YT_SEQUENCE ? v->n : 1;
        for (size_t j = 0; j < n; j++) {
            const struct ytree *item = v->kind == YT_SEQUENCE ? v->items[j] : v;
            const char *s = scalar(r, item, "an address");
            if (!s) {
                continue;
            }
            struct lab_addr a = { .line = item->line };
            if (lab_parse_prefix(s, &a.addr, &a.plen) || !strcmp(s, "default")
                || !strchr(s, '/')) {
                error_at(r, item->line, "node %s: bad prefix '%s' (want A.B.C.D/LEN, "
                         "LEN 0..32)", node->name, s);
                continue;
            }
            a.ifname = xstrdup(t->keys[i]);
            node->addrs = xrealloc(node->addrs, (node->n_addrs + 1) * sizeof *node->addrs);
            node->addrs[node->n_addrs++] = a;
        }
    }
}

static void
read_routes(struct reader *r, struct lab_node *node, const struct ytree *t)
{
    static const char *const keys[] = { "dst", "via", "dev", NULL };
    if (t->kind != YT_SEQUENCE) {
        error_at(r, t->line, "node %s: routes must be a list", node->name);
        return;
    }
    for (size_t i = 0; i < t->n; i++) {
        const struct ytree *rt = t->items[i];
        if (rt->kind != YT_MAPPING) {
            error_at(r, rt->line, "node %s: a route is { dst: PREFIX, via: IP, dev: IF }",
                     node->name);
            continue;
        }
        check_keys(r, rt, "a route", keys);
        const struct ytree *dst = yaml_tree_get(rt, "dst");
        const struct ytree *via = yaml_tree_get(rt, "via");
        const struct ytree *dev = yaml_tree_get(rt, "dev");
        struct lab_route route = { .line = rt->line };
        const char *s;
        if (!dst) {
            error_at(r, rt->line, "node %s: route without dst", node->name);
            continue;
        }
        if (!(s = scalar(r, dst, "dst"))) {
            continue;
        }
        if (lab_parse_prefix(s, &route.dst, &route.plen)) {
            error_at(r, dst->line, "node %s: bad prefix '%s'", node->name, s);
            continue;
        }
        if (via) {
            unsigned int plen;
            if (!(s = scalar(r, via, "via"))) {
                continue;
            }
            if (lab_parse_prefix(s, &route.via, &plen) || plen != 32) {
                error_at(r, via->line, "node %s: bad gateway '%s'", node->name, s);
                continue;
            }
        }
        if (dev) {
            if (!(s = scalar(r, dev, "dev"))) {
                continue;
            }
            route.dev = xstrdup(s);
        }
        if (!via && !dev) {
            error_at(r, rt->line, "node %s: route needs via or dev", node->name);
            free(route.dev);
            continue;
        }
        node->routes = xrealloc(node->routes, (node->n_routes + 1) * sizeof *node->routes);
        node->routes[node->n_routes++] = route;
    }
}

static void
read_vlans(struct reader *r, struct lab_node *node, const struct ytree *t)
{
    static const char *const keys[] = { "parent", "id", "name", NULL };
    if (t->kind != YT_SEQUENCE) {
        error_at(r, t->line, "node %s: vlans must be a list", node->name);
        return;
    }
    for (size_t i = 0; i < t->n; i++) {
        const struct ytree *v = t->items[i];
        const struct ytree *parent = yaml_tree_get(v, "parent");
        const struct ytree *id = yaml_tree_get(v, "id");
        const struct ytree *name = yaml_tree_get(v, "name");
        if (v->kind != YT_MAPPING || !parent || !id) {
            error_at(r, v->line, "node %s: a vlan is { parent: IF, id: 1..4094 }",
                     node->name);
            continue;
        }
        check_keys(r, v, "a vlan", keys);
        const char *ps = scalar(r, parent, "parent"), *is = scalar(r, id, "id");
        uint64_t vid;
        if (!ps || !is) {
            continue;
        }
        if (str_to_u64(is, 1, 4094, &vid)) {
            error_at(r, id->line, "node %s: VLAN id '%s' not in 1..4094", node->name, is);
            continue;
        }
        struct lab_vlan vlan = { .parent = xstrdup(ps), .id = vid, .line = v->line };
        const char *ns = name ? scalar(r, name, "name") : NULL;
        vlan.name = ns ? xstrdup(ns) : xasprintf("%s.%u", ps, (unsigned) vid);
        if (!valid_ifname(vlan.name)) {
            error_at(r, v->line, "node %s: bad interface name '%s' (at most %d characters)",
                     node->name, vlan.name, LAB_IFNAME_MAX);
        }
        node->vlans = xrealloc(node->vlans, (node->n_vlans + 1) * sizeof *node->vlans);
        node->vlans[node->n_vlans++] = vlan;
    }
}

static void
read_slices(struct reader *r, struct lab_node *node, const struct ytree *t)
{
    static const char *const keys[] = { "name", "controller", "ports", "flowspace", "weight",
                                        NULL };
    if (t->kind != YT_SEQUENCE) {
        error_at(r, t->line, "node %s: slices must be a list", node->name);
        return;
    }
    node->slices = xcalloc(t->n ? t->n : 1, sizeof *node->slices);
    for (size_t i = 0; i < t->n; i++) {
        const struct ytree *sl = t->items[i];
        const struct ytree *name = yaml_tree_get(sl, "name");
        const struct ytree *ctl = yaml_tree_get(sl, "controller");
        if (sl->kind != YT_MAPPING || !name || !ctl || name->kind != YT_SCALAR
            || ctl->kind != YT_SCALAR) {
            error_at(r, sl->line, "node %s: a slice is { name: N, controller: NODE, ports: "
                     "all|[1, 2], flowspace: [MATCH, ...], weight: W }", node->name);
            continue;
        }
        check_keys(r, sl, "a slice", keys);
        struct lab_slice *slice = &node->slices[node->n_slices++];
        slice->name = xstrdup(name->value);
        slice->controller = xstrdup(ctl->value);
        slice->line = sl->line;
        const struct ytree *ports = yaml_tree_get(sl, "ports");
        struct buf b;
        buf_init(&b, 32);
        if (!ports || (ports->kind == YT_SCALAR && !strcmp(ports->value, "all"))) {
            buf_printf(&b, "\"all\"");
        } else if (ports->kind == YT_SEQUENCE) {
            buf_printf(&b, "[");
            for (size_t k = 0; k < ports->n; k++) {
                uint64_t port;
                const char *ps = scalar(r, ports->items[k], "a port");
                if (!ps || str_to_u64(ps, 1, 65279, &port)) {
                    error_at(r, ports->items[k]->line, "node %s: slice %s: bad port '%s'",
                             node->name, slice->name, ps ? ps : "");
                    port = 1;
                }
                buf_printf(&b, "%s%u", k ? ", " : "", (unsigned) port);
            }
            buf_printf(&b, "]");
        } else {
            error_at(r, ports->line, "node %s: slice %s: ports is 'all' or a list of port "
                     "numbers", node->name, slice->name);
        }
        slice->ports = xstrdup(buf_cstr(&b));
        buf_uninit(&b);
        const struct ytree *fs = yaml_tree_get(sl, "flowspace");
        if (fs && fs->kind == YT_SEQUENCE) {
            slice->matches = xcalloc(fs->n ? fs->n : 1, sizeof *slice->matches);
            for (size_t k = 0; k < fs->n; k++) {
                const char *m = scalar(r, fs->items[k], "a flowspace match");
                slice->matches[slice->n_matches++] = xstrdup(m ? m : "");
            }
        } else if (fs) {
            error_at(r, fs->line, "node %s: slice %s: flowspace is a list of matches",
                     node->name, slice->name);
        } else {
            error_at(r, sl->line, "node %s: slice %s has no flowspace", node->name,
                     slice->name);
        }
        const struct ytree *w = yaml_tree_get(sl, "weight");
        if (w) {
            uint64_t weight;
            const char *ws = scalar(r, w, "weight");
            if (!ws || str_to_u64(ws, 1, 1000, &weight)) {
                error_at(r, w->line, "node %s: slice %s: weight not in 1..1000", node->name,
                         slice->name);
            } else {
                slice->weight = weight;
            }
        }
    }
}

static char *
opt_string(struct reader *r, const struct ytree *node, const char *key)
{
    const struct ytree *t = yaml_tree_get(node, key);
    const char *s = t ? scalar(r, t, key) : NULL;
    return s ? xstrdup(s) : NULL;
}

static void
read_node(struct reader *r, struct lab_topo *topo, const char *name, int line,
          const struct ytree *t)
{
    static const char *const keys[] = {
        "kind", "cpus", "cpu", "memory", "vcpus", "nic", "accel", "app", "config", "container",
        "vm", "port", "controllers", "fail-mode", "addresses", "routes", "vlans", "slices", NULL,
    };
    struct lab_node *node = &topo->nodes[topo->n_nodes++];
    node->name = xstrdup(name);
    node->line = line;
    if (!valid_name(name, LAB_NAME_MAX)) {
        error_at(r, line, "bad node name '%s' (lower-case letters, digits, '-', at most %d)",
                 name, LAB_NAME_MAX);
    }
    if (t->kind != YT_MAPPING) {
        error_at(r, t->line, "node %s must be a mapping with at least 'kind'", name);
        return;
    }
    check_keys(r, t, "a node", keys);
    const struct ytree *kind = yaml_tree_get(t, "kind");
    const char *ks = kind ? scalar(r, kind, "kind") : NULL;
    if (!kind) {
        error_at(r, line, "node %s has no kind", name);
    } else if (ks) {
        size_t i;
        for (i = 0; i < ARRAY_SIZE(kind_names); i++) {
            if (!strcmp(ks, kind_names[i])) {
                break;
            }
        }
        if (i == ARRAY_SIZE(kind_names)) {
            error_at(r, kind->line, "node %s: unknown node kind '%s' (host, container, vm, "
                     "linux-router, plural-switch, ovs, controller, slicer)", name, ks);
        } else {
            node->kind = i;
        }
    }

    const struct ytree *cpus = yaml_tree_get(t, "cpus");
    if (cpus) {
        struct buf list;
        buf_init(&list, 16);
        if (cpus->kind == YT_SEQUENCE) {
            for (size_t i = 0; i < cpus->n; i++) {
                const char *c = scalar(r, cpus->items[i], "a CPU");
                buf_printf(&list, "%s%s", i ? "," : "", c ? c : "x");
            }
        } else if (cpus->kind == YT_SCALAR) {
            buf_printf(&list, "%s", cpus->value);
        }
        if (lab_parse_cpus(buf_cstr(&list), &node->cpu_mask)) {
            error_at(r, cpus->line, "node %s: bad CPU list '%s' (e.g. \"0-1,3\" or [0, 1])",
                     name, buf_cstr(&list));
        }
        buf_uninit(&list);
    }
    char *s;
    if ((s = opt_string(r, t, "cpu"))) {
        char *end;
        node->cpu_quota = strtod(s, &end);
        if (*end || !(node->cpu_quota > 0) || node->cpu_quota > 1024) {
            error_at(r, yaml_tree_get(t, "cpu")->line, "node %s: cpu '%s' is not a positive "
                     "number of CPUs", name, s);
        }
        free(s);
    }
    if ((s = opt_string(r, t, "memory"))) {
        if (lab_parse_size(s, &node->memory) || node->memory < (4u << 20)) {
            error_at(r, yaml_tree_get(t, "memory")->line, "node %s: bad memory size '%s' "
                     "(e.g. 512M, 2G; at least 4M)", name, s);
        }
        free(s);
    }
    if ((s = opt_string(r, t, "vcpus"))) {
        uint64_t n;
        if (str_to_u64(s, 1, 64, &n)) {
            error_at(r, yaml_tree_get(t, "vcpus")->line, "node %s: vcpus '%s' not in 1..64",
                     name, s);
        }
        node->vcpus = n;
        free(s);
    }
    node->nic = opt_string(r, t, "nic");
    if (node->nic && strcmp(node->nic, "virtio") && strcmp(node->nic, "e1000")) {
        error_at(r, yaml_tree_get(t, "nic")->line, "node %s: nic '%s' is neither virtio "
                 "nor e1000", name, node->nic);
    }
    node->accel = opt_string(r, t, "accel");
    if (node->accel && strcmp(node->accel, "auto") && strcmp(node->accel, "kvm")
        && strcmp(node->accel, "tcg")) {
        error_at(r, yaml_tree_get(t, "accel")->line, "node %s: accel '%s' is not auto, kvm "
                 "or tcg", name, node->accel);
    }
    node->app = opt_string(r, t, "app");
    node->config = opt_string(r, t, "config");
    if ((node->container = opt_string(r, t, "container"))) {
        node->container_line = yaml_tree_get(t, "container")->line;
    }
    if ((node->vm = opt_string(r, t, "vm"))) {
        node->vm_line = yaml_tree_get(t, "vm")->line;
    }
    if ((s = opt_string(r, t, "port"))) {
        uint64_t port = 0;
        if (str_to_u64(s, 1, 65535, &port)) {
            error_at(r, yaml_tree_get(t, "port")->line, "node %s: port '%s' not in 1..65535",
                     name, s);
        }
        node->port = port;
        free(s);
    }
    node->fail_mode = opt_string(r, t, "fail-mode");
    if (node->fail_mode && strcmp(node->fail_mode, "secure")
        && strcmp(node->fail_mode, "standalone")) {
        error_at(r, yaml_tree_get(t, "fail-mode")->line, "node %s: fail-mode '%s' is "
                 "neither secure nor standalone", name, node->fail_mode);
    }
    const struct ytree *ctls = yaml_tree_get(t, "controllers");
    if (ctls) {
        if (ctls->kind != YT_SEQUENCE) {
            error_at(r, ctls->line, "node %s: controllers must be a list of node names", name);
        } else {
            node->controllers = xcalloc(ctls->n, sizeof *node->controllers);
            for (size_t i = 0; i < ctls->n; i++) {
                const char *c = scalar(r, ctls->items[i], "a controller");
                node->controllers[node->n_controllers++] = xstrdup(c ? c : "");
            }
        }
    }
    const struct ytree *sub;
    if ((sub = yaml_tree_get(t, "addresses"))) {
        read_addrs(r, node, sub);
    }
    if ((sub = yaml_tree_get(t, "routes"))) {
        read_routes(r, node, sub);
    }
    if ((sub = yaml_tree_get(t, "vlans"))) {
        read_vlans(r, node, sub);
    }
    if ((sub = yaml_tree_get(t, "slices"))) {
        read_slices(r, node, sub);
    }
}

static int
find_node(const struct lab_topo *topo, const char *name)
{
    for (size_t i = 0; i < topo->n_nodes; i++) {
        if (!strcmp(topo->nodes[i].name, name)) {
            return i;
        }
    }
    return -1;
}

const struct lab_node *
lab_topo_find(const struct lab_topo *topo, const char *name)
{
    int i = find_node(topo, name);
    return i < 0 ? NULL : &topo->nodes[i];
}

static bool
node_has_iface(const struct lab_node *node, const char *ifname)
{
    if (!strcmp(ifname, "lo")) {
        return true;
    }
    for (size_t i = 0; i < node->n_ifaces; i++) {
        if (!strcmp(node->ifaces[i], ifname)) {
            return true;
        }
    }
    for (size_t i = 0; i < node->n_vlans; i++) {
        if (!strcmp(node->vlans[i].name, ifname)) {
            return true;
        }
    }
    return false;
}

static void
read_link(struct reader *r, struct lab_topo *topo, const struct ytree *t)
{
    static const char *const keys[] = { "endpoints", "mtu", NULL };
    const struct ytree *eps = yaml_tree_get(t, "endpoints");
    if (t->kind != YT_MAPPING || !eps || eps->kind != YT_SEQUENCE || eps->n != 2) {
        error_at(r, t->line, "a link is { endpoints: [NODE:IF, NODE:IF] }");
        return;
    }
    check_keys(r, t, "a link", keys);
    struct lab_link link = { .line = t->line };
    bool ok = true;
    for (size_t i = 0; i < 2; i++) {
        const char *s = scalar(r, eps->items[i], "an endpoint");
        const char *colon = s ? strchr(s, ':') : NULL;
        if (!colon) {
            if (s) {
                error_at(r, eps->items[i]->line, "endpoint '%s' is not NODE:IF", s);
            }
            ok = false;
            continue;
        }
        char *node_name = xstrndup(s, colon - s);
        int n = find_node(topo, node_name);
        if (n < 0) {
            error_at(r, eps->items[i]->line, "link to a missing node '%s'", node_name);
            ok = false;
        } else if (!valid_ifname(colon + 1)) {
            error_at(r, eps->items[i]->line, "bad interface name '%s' (at most %d "
                     "characters, no '/' or ':')", colon + 1, LAB_IFNAME_MAX);
            ok = false;
        } else if (node_has_iface(&topo->nodes[n], colon + 1)) {
            error_at(r, eps->items[i]->line, "interface %s:%s used twice", node_name,
                     colon + 1);
            ok = false;
        } else {
            struct lab_node *node = &topo->nodes[n];
            link.ep[i].node = n;
            link.ep[i].ifname = xstrdup(colon + 1);
            node->ifaces = xrealloc(node->ifaces, (node->n_ifaces + 1) * sizeof *node->ifaces);
            node->ifaces[node->n_ifaces++] = xstrdup(colon + 1);
        }
        free(node_name);
    }
    const struct ytree *mtu = yaml_tree_get(t, "mtu");
    if (mtu) {
        const char *s = scalar(r, mtu, "mtu");
        uint64_t v;
        if (s && str_to_u64(s, 68, 65535, &v)) {
            error_at(r, mtu->line, "mtu '%s' not in 68..65535", s);
        } else if (s) {
            link.mtu = v;
        }
    }
    if (ok && topo->nodes[link.ep[0].node].kind == LAB_NODE_VM
        && topo->nodes[link.ep[1].node].kind == LAB_NODE_VM) {
        error_at(r, t->line, "a link between two vms is not supported (put a switch or "
                 "host between them)");
    }
    if (ok && link.ep[0].node == link.ep[1].node) {
        error_at(r, t->line, "a link from node %s to itself", topo->nodes[link.ep[0].node].name);
    }
    if (!ok) {
        free(link.ep[0].ifname);
        free(link.ep[1].ifname);
        return;
    }
    topo->links[topo->n_links++] = link;
}

/* Cross-checks after everything is read. */
/* A controller placed in a vm node (`vm: G`, `port`): G must be a vm with
 * an address to listen on; only slicers reach such a controller (over a
 * link of their own to G), since a switch's links are all ports. */
static void
check_vm_placement(struct reader *r, const struct lab_topo *topo, const struct lab_node *node)
{
    for (size_t j = 0; j < node->n_controllers; j++) {
        const struct lab_node *c = lab_topo_find(topo, node->controllers[j]);
        if (c && c->vm) {
            error_at(r, node->line, "node %s: controller '%s' runs in vm '%s', which a switch "
                     "cannot reach (its links are ports): put a slicer linked to the vm "
                     "between them", node->name, c->name, c->vm);
        }
    }
    if (node->port && !node->vm) {
        error_at(r, node->line, "node %s: port is for a controller placed in a vm",
                 node->name);
    }
    if (!node->vm) {
        return;
    }
    const struct lab_node *g = lab_topo_find(topo, node->vm);
    if (node->kind != LAB_NODE_CONTROLLER) {
        error_at(r, node->vm_line, "node %s: only controller nodes run in a vm", node->name);
    } else if (!g || g->kind != LAB_NODE_VM) {
        error_at(r, node->vm_line, "node %s: vm '%s' is not a vm node", node->name, node->vm);
    } else if (!g->n_addrs) {
        error_at(r, node->vm_line, "node %s: vm '%s' has no address to listen on (give it "
                 "addresses and link it to the slicer)", node->name, node->vm);
    } else if (node->container) {
        error_at(r, node->vm_line, "node %s: a controller is in a container or in a vm, not "
                 "both", node->name);
    } else if (node->n_ifaces) {
        error_at(r, node->vm_line, "node %s: a controller in a vm has no links of its own "
                 "(link the vm)", node->name);
    } else if (node->app && !strcmp(node->app, "ovs-testcontroller")) {
        error_at(r, node->vm_line, "node %s: only plural-controller apps run in a vm (the "
                 "guest has no Open vSwitch)", node->name);
    }
}

static void
validate(struct reader *r, struct lab_topo *topo)
{
    for (size_t i = 0; i < topo->n_nodes; i++) {
        struct lab_node *node = &topo->nodes[i];
        for (size_t j = 0; j < node->n_addrs; j++) {
            struct lab_addr *a = &node->addrs[j];
            if (!node_has_iface(node, a->ifname)) {
                error_at(r, a->line, "node %s: address on interface '%s', which the node "
                         "does not have", node->name, a->ifname);
            }
            /* Duplicate addresses anywhere in the lab. */
            for (size_t k = 0; k <= i; k++) {
                const struct lab_node *other = &topo->nodes[k];
                size_t limit = k == i ? j : other->n_addrs;
                for (size_t m = 0; m < limit; m++) {
                    if (other->addrs[m].addr.s_addr == a->addr.s_addr) {
                        char s[INET_ADDRSTRLEN];
                        inet_ntop(AF_INET, &a->addr, s, sizeof s);
                        error_at(r, a->line, "duplicate address %s (also on %s:%s, line %d)",
                                 s, other->name, other->addrs[m].ifname,
                                 other->addrs[m].line);
                    }
                }
            }
        }
        for (size_t j = 0; j < node->n_routes; j++) {
            const struct lab_route *rt = &node->routes[j];
            if (rt->dev && !node_has_iface(node, rt->dev)) {
                error_at(r, rt->line, "node %s: route via interface '%s', which the node "
                         "does not have", node->name, rt->dev);
            }
        }
        for (size_t j = 0; j < node->n_vlans; j++) {
            if (!node_has_iface(node, node->vlans[j].parent)) {
                error_at(r, node->vlans[j].line, "node %s: VLAN on interface '%s', which the "
                         "node does not have", node->name, node->vlans[j].parent);
            }
        }
        for (size_t j = 0; j < node->n_controllers; j++) {
            const struct lab_node *c = lab_topo_find(topo, node->controllers[j]);
            if (!c || (c->kind != LAB_NODE_CONTROLLER && c->kind != LAB_NODE_SLICER)) {
                error_at(r, node->line, "node %s: controller '%s' is not a controller node",
                         node->name, node->controllers[j]);
            }
        }
        if (node->n_controllers && node->kind != LAB_NODE_PLURAL_SWITCH
            && node->kind != LAB_NODE_OVS) {
            error_at(r, node->line, "node %s: only plural-switch and ovs nodes have "
                     "controllers", node->name);
        }
        for (size_t j = 0; j < node->n_slices; j++) {
            const struct lab_node *c = lab_topo_find(topo, node->slices[j].controller);
            if (!c || c->kind != LAB_NODE_CONTROLLER) {
                error_at(r, node->slices[j].line, "node %s: slice %s: controller '%s' is not "
                         "a controller node", node->name, node->slices[j].name,
                         node->slices[j].controller);
            }
        }
        if (node->kind == LAB_NODE_SLICER && !node->n_slices) {
            error_at(r, node->line, "node %s: a slicer needs slices", node->name);
        } else if (node->kind != LAB_NODE_SLICER && node->n_slices) {
            error_at(r, node->line, "node %s: only slicer nodes have slices", node->name);
        }
        check_vm_placement(r, topo, node);
        if (node->kind == LAB_NODE_CONTROLLER) {
            static const char *const apps[] = { "router", "l2", "cleanslate",
                                                "ovs-testcontroller" };
            bool known = false;
            for (size_t k = 0; node->app && k < ARRAY_SIZE(apps); k++) {
                known |= !strcmp(node->app, apps[k]);
            }
            if (!known) {
                error_at(r, node->line, "node %s: controller needs app: router, l2, "
                         "cleanslate or ovs-testcontroller", node->name);
            }
        } else if (node->app) {
            error_at(r, node->line, "node %s: only controller nodes have an app", node->name);
        }
        if (node->container) {
            const struct lab_node *c = lab_topo_find(topo, node->container);
            if (node->kind != LAB_NODE_CONTROLLER) {
                error_at(r, node->container_line, "node %s: only controller nodes run in a "
                         "container", node->name);
            } else if (!c || c->kind != LAB_NODE_CONTAINER) {
                error_at(r, node->container_line, "node %s: container '%s' is not a container "
                         "node", node->name, node->container);
            } else if (node->n_ifaces) {
                error_at(r, node->container_line, "node %s: a controller in a container has "
                         "no links of its own (link the container)", node->name);
            }
        }
        if (node->kind == LAB_NODE_VM) {
            if (node->n_routes || node->n_vlans) {
                error_at(r, node->line, "node %s: routes and vlans inside a vm are not "
                         "supported; give addresses only", node->name);
            }
        } else if (node->vcpus || node->nic || node->accel) {
            error_at(r, node->line, "node %s: vcpus, nic and accel are for vm nodes",
                     node->name);
        }
        if ((node->cpu_quota || node->memory) && node->kind != LAB_NODE_CONTAINER
            && node->kind != LAB_NODE_VM) {
            error_at(r, node->line, "node %s: cpu and memory limits are for container and vm "
                     "nodes", node->name);
        }
    }
}

void
lab_topo_destroy(struct lab_topo *topo)
{
    if (!topo) {
        return;
    }
    for (size_t i = 0; i < topo->n_nodes; i++) {
        struct lab_node *n = &topo->nodes[i];
        free(n->name);
        free(n->nic);
        free(n->accel);
        free(n->app);
        free(n->config);
        free(n->container);
        free(n->vm);
        free(n->fail_mode);
        for (size_t j = 0; j < n->n_controllers; j++) {
            free(n->controllers[j]);
        }
        free(n->controllers);
        for (size_t j = 0; j < n->n_slices; j++) {
            struct lab_slice *sl = &n->slices[j];
            free(sl->name);
            free(sl->controller);
            free(sl->ports);
            for (size_t k = 0; k < sl->n_matches; k++) {
                free(sl->matches[k]);
            }
            free(sl->matches);
        }
        free(n->slices);
        for (size_t j = 0; j < n->n_addrs; j++) {
            free(n->addrs[j].ifname);
        }
        free(n->addrs);
        for (size_t j = 0; j < n->n_routes; j++) {
            free(n->routes[j].dev);
        }
        free(n->routes);
        for (size_t j = 0; j < n->n_vlans; j++) {
            free(n->vlans[j].parent);
            free(n->vlans[j].name);
        }
        free(n->vlans);
        for (size_t j = 0; j < n->n_ifaces; j++) {
            free(n->ifaces[j]);
        }
        free(n->ifaces);
    }
    for (size_t i = 0; i < topo->n_links; i++) {
        free(topo->links[i].ep[0].ifname);
        free(topo->links[i].ep[1].ifname);
    }
    free(topo->nodes);
    free(topo->links);
    free(topo->file);
    free(topo->name);
    free(topo);
}

int
lab_topo_parse(const char *file, const char *text, size_t len, struct lab_topo **topop,
               char **errp)
{
    static const char *const top_keys[] = { "name", "nodes", "links", NULL };
    struct reader r = { .file = file };
    buf_init(&r.errors, 256);
    *topop = NULL;
    *errp = NULL;

    struct ytree *root;
    char *yerr;
    if (yaml_tree_parse(text, len, &root, &yerr)) {
        *errp = xasprintf("%s:%s", file, yerr);
        free(yerr);
        buf_uninit(&r.errors);
        return -EINVAL;
    }
    struct lab_topo *topo = xzalloc(sizeof *topo);
    topo->file = xstrdup(file);
    if (root->kind != YT_MAPPING) {
        error_at(&r, root->line, "a topology is a mapping with name, nodes and links");
    } else {
        check_keys(&r, root, "the topology", top_keys);
        const struct ytree *name = yaml_tree_get(root, "name");
        const char *ns = name ? scalar(&r, name, "name") : NULL;
        if (!name) {
            error_at(&r, root->line, "the topology has no name");
        } else if (ns && !valid_name(ns, LAB_NAME_MAX)) {
            error_at(&r, name->line, "bad lab name '%s' (lower-case letters, digits, '-', "
                     "at most %d)", ns, LAB_NAME_MAX);
        }
        topo->name = xstrdup(ns ? ns : "");
        const struct ytree *nodes = yaml_tree_get(root, "nodes");
        if (!nodes || nodes->kind != YT_MAPPING || !nodes->n) {
            error_at(&r, nodes ? nodes->line : root->line,
                     "nodes must map node names to their settings");
        } else {
            topo->nodes = xcalloc(nodes->n, sizeof *topo->nodes);
            for (size_t i = 0; i < nodes->n; i++) {
                read_node(&r, topo, nodes->keys[i], nodes->key_lines[i], nodes->items[i]);
            }
        }
        const struct ytree *links = yaml_tree_get(root, "links");
        if (links && links->kind != YT_SEQUENCE) {
            error_at(&r, links->line, "links must be a list");
        } else if (links) {
            topo->links = xcalloc(links->n ? links->n : 1, sizeof *topo->links);
            for (size_t i = 0; i < links->n; i++) {
                read_link(&r, topo, links->items[i]);
            }
        }
        validate(&r, topo);
    }
    yaml_tree_destroy(root);
    if (r.n_errors) {
        lab_topo_destroy(topo);
        *errp = xstrdup(buf_cstr(&r.errors));
        buf_uninit(&r.errors);
        return -EINVAL;
    }
    buf_uninit(&r.errors);
    *topop = topo;
    return 0;
}

int
lab_topo_read(const char *file, struct lab_topo **topop, char **errp)
{
    FILE *f = fopen(file, "r");
    *topop = NULL;
    if (!f) {
        int error = -errno;
        *errp = xasprintf("%s: %s", file, strerror(errno));
        return error;
    }
    struct buf b;
    buf_init(&b, 4096);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        buf_put(&b, chunk, n);
    }
    fclose(f);
    int error = lab_topo_parse(file, buf_cstr(&b), strlen(buf_cstr(&b)), topop, errp);
    buf_uninit(&b);
    return error;
}
