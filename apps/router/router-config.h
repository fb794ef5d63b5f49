/* router-config — the router app's configuration file.
 *
 * A line-oriented text format; '#' starts a comment; words are separated by
 * blanks.  Order of lines does not matter except that a route's `dev`
 * must name an interface defined anywhere in the file.
 *
 *   mode proactive|reactive          default proactive
 *   idle-timeout SECONDS             reactive flows' idle timeout (default 10)
 *   arp-timeout SECONDS              age of resolved ARP entries (default 300)
 *   interface NAME port N mac MAC ip A.B.C.D/LEN [vlan VID]
 *   route PREFIX/LEN via NEXT-HOP [dev NAME]
 *
 * Checks (each error is one line "FILE:LINE: message"): unknown keywords,
 * bad numbers, MACs, addresses and prefixes (length > 32, host bits set in a
 * route prefix), duplicate interface names, two interfaces on the same port
 * and VLAN, interface subnets that overlap, a next hop that is not on any
 * interface's subnet (unreachable) or is the router's own address,
 * duplicate routes.
 *
 * The same settings can be written in YAML (see router_config_parse_yaml).
 *
 * Pure: no I/O besides reading the file; thread-safe. */
#ifndef PLURAL_APPS_ROUTER_CONFIG_H
#define PLURAL_APPS_ROUTER_CONFIG_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ROUTER_VLAN_NONE 0xffff
#define ROUTER_IFNAME_MAX 16

struct router_iface {
    char name[ROUTER_IFNAME_MAX];
    uint16_t port;              /* OpenFlow port. */
    uint16_t vlan;              /* ROUTER_VLAN_NONE if untagged. */
    uint8_t mac[6];
    uint32_t ip;                /* Host order. */
    uint8_t plen;
    int line;
};

struct router_route_cfg {
    uint32_t prefix;
    uint8_t plen;
    uint32_t next_hop;
    int iface;                  /* Index into ifaces. */
    int line;
};

enum router_mode { ROUTER_PROACTIVE, ROUTER_REACTIVE };

struct router_config {
    enum router_mode mode;
    uint16_t idle_timeout;
    uint32_t arp_timeout_s;
    struct router_iface *ifaces;
    size_t n_ifaces;
    struct router_route_cfg *routes;
    size_t n_routes;
};

/* Parses the file at `path`.  Returns 0, or -errno (-ENOENT, -EINVAL...)
 * with *errp "PATH:LINE: message".  `cfg` is initialized in all cases;
 * free with router_config_uninit(). */
int router_config_read(const char *path, struct router_config *cfg, char **errp);
/* Same, from a string (`name` is used in messages). */
int router_config_parse(const char *name, const char *text,
                        struct router_config *cfg, char **errp);
/* The same configuration as YAML (router-config-yaml.c): keys mode,
 * idle-timeout, arp-timeout, interfaces (list of {name, port, mac, ip,
 * vlan}), routes (list of {prefix, via, dev}).  router_config_read() uses it
 * for files ending in .yaml or .yml.  Errors name the YAML line. */
int router_config_parse_yaml(const char *name, const char *text, size_t len,
                             struct router_config *cfg, char **errp);
void router_config_uninit(struct router_config *);

/* Checks a route against the interfaces: fills r->iface (dev may be NULL).
 * Returns 0 or -EINVAL with *errp (no file/line prefix). */
int router_config_resolve_route(const struct router_config *, struct router_route_cfg *r,
                                const char *dev, char **errp);

/* Parsing helpers shared with the run-time commands.  0 or -EINVAL. */
int router_parse_ipv4(const char *s, uint32_t *ip);
int router_parse_prefix(const char *s, uint32_t *ip, uint8_t *plen);
int router_parse_mac(const char *s, uint8_t mac[6]);
/* Formats "a.b.c.d" into buf (>= 16 bytes); returns buf. */
char *router_format_ip(uint32_t ip, char *buf);

#endif
