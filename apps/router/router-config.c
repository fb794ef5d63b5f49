/* router-config — parser for the router app's config file; see header. */
#include "router-config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ctl/lpm.h"
#include "util/util.h"

void
router_config_uninit(struct router_config *cfg)
{
    if (cfg) {
        free(cfg->ifaces);
        free(cfg->routes);
        memset(cfg, 0, sizeof *cfg);
    }
}

char *
router_format_ip(uint32_t ip, char *buf)
{
    sprintf(buf, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
    return buf;
}

int
router_parse_ipv4(const char *s, uint32_t *ip)
{
    unsigned int a[4];
    char tail;
    if (sscanf(s, "%3u.%3u.%3u.%3u%c", &a[0], &a[1], &a[2], &a[3], &tail) != 4
        || a[0] > 255 || a[1] > 255 || a[2] > 255 || a[3] > 255) {
        return -EINVAL;
    }
    *ip = (a[0] << 24) | (a[1] << 16) | (a[2] << 8) | a[3];
    return 0;
}

int
router_parse_prefix(const char *s, uint32_t *ip, uint8_t *plen)
{
    const char *slash = strchr(s, '/');
    if (!slash) {
        return -EINVAL;
    }
    char addr[32];
    size_t n = (size_t) (slash - s);
    if (n >= sizeof addr) {
        return -EINVAL;
    }
    memcpy(addr, s, n);
    addr[n] = 0;
    uint64_t len;
    if (router_parse_ipv4(addr, ip) || str_to_u64(slash + 1, 0, 32, &len)) {
        return -EINVAL;
    }
    *plen = (uint8_t) len;
    return 0;
}

int
router_parse_mac(const char *s, uint8_t mac[6])
{
    unsigned int m[6];
    char tail;
    if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5],
               &tail) != 6) {
        return -EINVAL;
    }
    for (int i = 0; i < 6; i++) {
        mac[i] = (uint8_t) m[i];
    }
    return 0;
}

static bool
in_subnet(uint32_t ip, uint32_t net, unsigned int plen)
{
    return ((ip ^ net) & lpm_mask(plen)) == 0;
}

int
router_config_resolve_route(const struct router_config *cfg, struct router_route_cfg *r,
                            const char *dev, char **errp)
{
    char a[16], b[16];
    if (r->prefix & ~lpm_mask(r->plen)) {
        *errp = xasprintf("route %s/%u has host bits set (did you mean %s/%u?)",
                          router_format_ip(r->prefix, a), r->plen,
                          router_format_ip(r->prefix & lpm_mask(r->plen), b), r->plen);
        return -EINVAL;
    }
    r->iface = -1;
    for (size_t i = 0; i < cfg->n_ifaces; i++) {
        const struct router_iface *ifc = &cfg->ifaces[i];
        if (dev && strcmp(dev, ifc->name)) {
            continue;
        }
        if (ifc->ip == r->next_hop) {
            *errp = xasprintf("next hop %s is the router's own address (interface %s)",
                              router_format_ip(r->next_hop, a), ifc->name);
            return -EINVAL;
        }
        if (in_subnet(r->next_hop, ifc->ip, ifc->plen)) {
            r->iface = (int) i;
            break;
        }
    }
    if (dev && r->iface < 0) {
        bool known = false;
        for (size_t i = 0; i < cfg->n_ifaces; i++) {
            known |= !strcmp(dev, cfg->ifaces[i].name);
        }
        if (!known) {
            *errp = xasprintf("route %s/%u: no interface named \"%s\"",
                              router_format_ip(r->prefix, a), r->plen, dev);
            return -EINVAL;
        }
    }
    if (r->iface < 0) {
        *errp = xasprintf("route %s/%u: next hop %s is unreachable (not on the subnet of %s)",
                          router_format_ip(r->prefix, a), r->plen,
                          router_format_ip(r->next_hop, b),
                          dev ? dev : "any interface");
        return -EINVAL;
    }
    return 0;
}

static int
parse_line(struct router_config *cfg, char **w, int n, int line, char **msg)
{
    uint64_t v;
    if (!strcmp(w[0], "mode")) {
        if (n != 2 || (strcmp(w[1], "proactive") && strcmp(w[1], "reactive"))) {
            *msg = xstrdup("expected: mode proactive|reactive");
            return -EINVAL;
        }
        cfg->mode = !strcmp(w[1], "proactive") ? ROUTER_PROACTIVE : ROUTER_REACTIVE;
    } else if (!strcmp(w[0], "idle-timeout") || !strcmp(w[0], "arp-timeout")) {
        if (n != 2 || str_to_u64(w[1], 1, 65535, &v)) {
            *msg = xasprintf("expected: %s SECONDS (1-65535)", w[0]);
            return -EINVAL;
        }
        if (w[0][0] == 'i') {
            cfg->idle_timeout = (uint16_t) v;
        } else {
            cfg->arp_timeout_s = (uint32_t) v;
        }
    } else if (!strcmp(w[0], "interface")) {
        struct router_iface ifc = { .vlan = ROUTER_VLAN_NONE, .line = line };
        bool have_port = false, have_mac = false, have_ip = false;
        if (n < 2 || strlen(w[1]) >= ROUTER_IFNAME_MAX) {
            *msg = xasprintf("expected: interface NAME port N mac MAC ip A.B.C.D/LEN [vlan VID]"
                             " (NAME at most %d characters)", ROUTER_IFNAME_MAX - 1);
            return -EINVAL;
        }
        strcpy(ifc.name, w[1]);
        for (int i = 2; i < n; i += 2) {
            if (i + 1 >= n) {
                *msg = xasprintf("interface %s: \"%s\" needs a value", ifc.name, w[i]);
                return -EINVAL;
            }
            if (!strcmp(w[i], "port")) {
                if (str_to_u64(w[i + 1], 1, 0xff00 - 1, &v)) {
                    *msg = xasprintf("interface %s: bad port \"%s\" (1-65279)", ifc.name, w[i + 1]);
                    return -EINVAL;
                }
                ifc.port = (uint16_t) v;
                have_port = true;
            } else if (!strcmp(w[i], "vlan")) {
                if (str_to_u64(w[i + 1], 0, 4095, &v)) {
                    *msg = xasprintf("interface %s: bad vlan \"%s\" (0-4095)", ifc.name, w[i + 1]);
                    return -EINVAL;
                }
                ifc.vlan = (uint16_t) v;
            } else if (!strcmp(w[i], "mac")) {
                if (router_parse_mac(w[i + 1], ifc.mac) || (ifc.mac[0] & 1)) {
                    *msg = xasprintf("interface %s: bad MAC \"%s\" (unicast xx:xx:xx:xx:xx:xx)",
                                     ifc.name, w[i + 1]);
                    return -EINVAL;
                }
                have_mac = true;
            } else if (!strcmp(w[i], "ip")) {
                if (router_parse_prefix(w[i + 1], &ifc.ip, &ifc.plen) || ifc.plen > 30
                    || ifc.plen == 0) {
                    *msg = xasprintf("interface %s: bad address/prefix \"%s\" "
                                     "(expected A.B.C.D/LEN, LEN 1-30)", ifc.name, w[i + 1]);
                    return -EINVAL;
                }
                uint32_t host = ifc.ip & ~lpm_mask(ifc.plen);
                if (host == 0 || host == ~lpm_mask(ifc.plen)) {
                    *msg = xasprintf("interface %s: %s is the network or broadcast address of "
                                     "its subnet", ifc.name, w[i + 1]);
                    return -EINVAL;
                }
                have_ip = true;
            } else {
                *msg = xasprintf("interface %s: unknown attribute \"%s\" "
                                 "(port, mac, ip, vlan)", ifc.name, w[i]);
                return -EINVAL;
            }
        }
        if (!have_port || !have_mac || !have_ip) {
            *msg = xasprintf("interface %s: missing %s", ifc.name,
                             !have_port ? "port" : !have_mac ? "mac" : "ip");
            return -EINVAL;
        }
        char a[16], b[16];
        for (size_t i = 0; i < cfg->n_ifaces; i++) {
            const struct router_iface *o = &cfg->ifaces[i];
            if (!strcmp(o->name, ifc.name)) {
                *msg = xasprintf("interface %s is already defined on line %d", ifc.name, o->line);
                return -EINVAL;
            }
            if (o->port == ifc.port && o->vlan == ifc.vlan) {
                *msg = xasprintf("interface %s: port %u%s is already used by interface %s "
                                 "(line %d)", ifc.name, ifc.port,
                                 ifc.vlan == ROUTER_VLAN_NONE ? "" : " with this vlan",
                                 o->name, o->line);
                return -EINVAL;
            }
            unsigned int common = MIN(o->plen, ifc.plen);
            if (in_subnet(o->ip, ifc.ip, common)) {
                *msg = xasprintf("interface %s: subnet %s/%u overlaps interface %s "
                                 "(%s/%u, line %d)", ifc.name,
                                 router_format_ip(ifc.ip & lpm_mask(ifc.plen), a), ifc.plen,
                                 o->name, router_format_ip(o->ip & lpm_mask(o->plen), b),
                                 o->plen, o->line);
                return -EINVAL;
            }
        }
        cfg->ifaces = xrealloc(cfg->ifaces, (cfg->n_ifaces + 1) * sizeof *cfg->ifaces);
        cfg->ifaces[cfg->n_ifaces++] = ifc;
    } else if (!strcmp(w[0], "route")) {
        struct router_route_cfg r = { .line = line, .iface = -1 };
        if ((n != 4 && n != 6) || strcmp(w[2], "via") || (n == 6 && strcmp(w[4], "dev"))) {
            *msg = xstrdup("expected: route PREFIX/LEN via NEXT-HOP [dev NAME]");
            return -EINVAL;
        }
        if (router_parse_prefix(w[1], &r.prefix, &r.plen)) {
            *msg = xasprintf("bad prefix \"%s\" (expected A.B.C.D/LEN, LEN 0-32)", w[1]);
            return -EINVAL;
        }
        if (router_parse_ipv4(w[3], &r.next_hop)) {
            *msg = xasprintf("bad next hop \"%s\" (expected A.B.C.D)", w[3]);
            return -EINVAL;
        }
        /* Interfaces may come later in the file: resolve at the end, but
         * remember `dev` by stashing its index as -2 - (word kept below). */
        for (size_t i = 0; i < cfg->n_routes; i++) {
            if (cfg->routes[i].prefix == r.prefix && cfg->routes[i].plen == r.plen) {
                *msg = xasprintf("route %s is already defined on line %d", w[1],
                                 cfg->routes[i].line);
                return -EINVAL;
            }
        }
        cfg->routes = xrealloc(cfg->routes, (cfg->n_routes + 1) * sizeof *cfg->routes);
        cfg->routes[cfg->n_routes++] = r;
        return n == 6 ? 1 : 0;      /* 1: the caller keeps w[5] as dev. */
    } else {
        *msg = xasprintf("unknown keyword \"%s\" (mode, idle-timeout, arp-timeout, "
                         "interface, route)", w[0]);
        return -EINVAL;
    }
    return 0;
}

int
router_config_parse(const char *name, const char *text, struct router_config *cfg,
                    char **errp)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->mode = ROUTER_PROACTIVE;
    cfg->idle_timeout = 10;
    cfg->arp_timeout_s = 300;
    char *copy = xstrdup(text);
    char **devs = NULL;             /* Per route: its dev word, or NULL. */
    char *save = NULL;
    int line = 0, r = 0;
    char *msg = NULL;
    const char *p = copy;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t) (eol - p) : strlen(p);
        char *ln = xstrndup(p, len);
        p += len + (eol ? 1 : 0);
        line++;
        char *hash = strchr(ln, '#');
        if (hash) {
            *hash = 0;
        }
        char *w[32];
        int n = 0;
        for (char *tok = strtok_r(ln, " \t\r", &save); tok && n < 32;
             tok = strtok_r(NULL, " \t\r", &save)) {
            w[n++] = tok;
        }
        if (n) {
            int pr = parse_line(cfg, w, n, line, &msg);
            if (pr < 0) {
                r = pr;
                free(ln);
                break;
            }
            if (!strcmp(w[0], "route")) {
                devs = xrealloc(devs, cfg->n_routes * sizeof *devs);
                devs[cfg->n_routes - 1] = pr == 1 ? xstrdup(w[5]) : NULL;
            }
        }
        free(ln);
    }
    if (!r) {
        for (size_t i = 0; i < cfg->n_routes; i++) {
            if (router_config_resolve_route(cfg, &cfg->routes[i], devs[i], &msg)) {
                line = cfg->routes[i].line;
                r = -EINVAL;
                break;
            }
        }
    }
    for (size_t i = 0; devs && i < cfg->n_routes; i++) {
        free(devs[i]);
    }
    free(devs);
    free(copy);
    if (r) {
        *errp = xasprintf("%s:%d: %s", name, line, msg);
        free(msg);
        router_config_uninit(cfg);
        cfg->mode = ROUTER_PROACTIVE;
    }
    return r;
}

int
router_config_read(const char *path, struct router_config *cfg, char **errp)
{
    memset(cfg, 0, sizeof *cfg);
    FILE *f = fopen(path, "r");
    if (!f) {
        int e = errno;
        *errp = xasprintf("%s: cannot open: %s", path, strerror(e));
        return -e;
    }
    char *text = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&text, &size);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        fwrite(chunk, 1, n, mem);
    }
    fclose(f);
    fclose(mem);
    size_t plen = strlen(path);
    bool yaml = (plen > 5 && !strcmp(path + plen - 5, ".yaml"))
                || (plen > 4 && !strcmp(path + plen - 4, ".yml"));
    int r = yaml ? router_config_parse_yaml(path, text, size, cfg, errp)
                 : router_config_parse(path, text, cfg, errp);
    free(text);
    return r;
}
