/* cleanslate — VLAN+TCP-port and Ethertype-0x88B5 forwarding; see header. */
#include "cleanslate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ctl/ctl-switch.h"
#include "net/ctl-server.h"
#include "util/log.h"

LOG_MODULE(cleanslate);

enum cs_rule_kind { CS_NODE, CS_TCP, CS_ARP };

struct cs_rule {
    enum cs_rule_kind kind;
    uint16_t addr;              /* CS_NODE. */
    uint16_t vlan, tcp_port;    /* CS_TCP, CS_ARP. */
    uint16_t port_a, port_b;    /* CS_NODE: port_a is the node's port. */
    int line;
};

struct cleanslate {
    struct ctl_app up;
    struct cs_rule *rules;
    size_t n_rules;
    uint64_t unknown_dropped, flows_installed;
};

static struct cleanslate *
cs_cast(struct ctl_app *app)
{
    return CONTAINER_OF(app, struct cleanslate, up);
}

static struct ctl_app *
cs_create(void)
{
    return &((struct cleanslate *) xzalloc(sizeof(struct cleanslate)))->up;
}

static void
cs_destroy(struct ctl_app *app)
{
    struct cleanslate *cs = cs_cast(app);
    free(cs->rules);
    free(cs);
}

static int
parse_num(const char *s, uint64_t max, uint16_t *out)
{
    uint64_t v;
    if (str_to_u64(s, 0, max, &v)) {
        return -EINVAL;
    }
    *out = (uint16_t) v;
    return 0;
}

static int
cs_parse(const char *path, struct cs_rule **rulesp, size_t *np, char **errp)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        int e = errno;
        *errp = xasprintf("%s: cannot open: %s", path, strerror(e));
        return -e;
    }
    struct cs_rule *rules = NULL;
    size_t n = 0;
    char line[512];
    int lineno = 0, r = 0;
    char *msg = NULL;
    while (!msg && fgets(line, sizeof line, f)) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash) {
            *hash = 0;
        }
        char *w[16], *save = NULL;
        int nw = 0;
        for (char *t = strtok_r(line, " \t\r\n", &save); t && nw < 16; t = strtok_r(NULL, " \t\r\n", &save)) {
            w[nw++] = t;
        }
        if (!nw) {
            continue;
        }
        struct cs_rule rule = { .line = lineno };
        if (!strcmp(w[0], "node")) {
            rule.kind = CS_NODE;
            if (nw != 4 || strcmp(w[2], "port") || parse_num(w[1], 0xffff, &rule.addr)
                || parse_num(w[3], 0xfeff, &rule.port_a) || !rule.port_a) {
                msg = xstrdup("expected: node ADDR(0-65535) port N(1-65279)");
                break;
            }
            for (size_t i = 0; i < n; i++) {
                if (rules[i].kind == CS_NODE && rules[i].addr == rule.addr) {
                    msg = xasprintf("node %u is already placed on line %d", rule.addr, rules[i].line);
                }
            }
        } else if (!strcmp(w[0], "flow")) {
            rule.kind = CS_TCP;
            if (nw != 8 || strcmp(w[1], "vlan") || strcmp(w[3], "tcp-port") || strcmp(w[5], "between")
                || parse_num(w[2], 4095, &rule.vlan) || parse_num(w[4], 65535, &rule.tcp_port)
                || parse_num(w[6], 0xfeff, &rule.port_a) || parse_num(w[7], 0xfeff, &rule.port_b)
                || !rule.port_a || !rule.port_b || rule.port_a == rule.port_b) {
                msg = xstrdup("expected: flow vlan VID(0-4095) tcp-port P between A B (two different ports)");
                break;
            }
        } else if (!strcmp(w[0], "arp")) {
            rule.kind = CS_ARP;
            if (nw != 6 || strcmp(w[1], "vlan") || strcmp(w[3], "between")
                || parse_num(w[2], 4095, &rule.vlan) || parse_num(w[4], 0xfeff, &rule.port_a)
                || parse_num(w[5], 0xfeff, &rule.port_b) || !rule.port_a || !rule.port_b
                || rule.port_a == rule.port_b) {
                msg = xstrdup("expected: arp vlan VID between A B (two different ports)");
                break;
            }
        } else {
            msg = xasprintf("unknown keyword \"%s\" (node, flow, arp)", w[0]);
            break;
        }
        if (!msg) {
            rules = xrealloc(rules, (n + 1) * sizeof *rules);
            rules[n++] = rule;
        }
    }
    fclose(f);
    if (msg) {
        *errp = xasprintf("%s:%d: %s", path, lineno, msg);
        free(msg);
        free(rules);
        return -EINVAL;
    }
    *rulesp = rules;
    *np = n;
    return r;
}

static int
cs_configure(struct ctl_app *app, const char *path, char **errp)
{
    struct cleanslate *cs = cs_cast(app);
    if (!path) {
        *errp = xstrdup("the cleanslate app needs --config FILE (see docs/controller.md)");
        return -EINVAL;
    }
    struct cs_rule *rules;
    size_t n;
    int r = cs_parse(path, &rules, &n, errp);
    if (!r) {
        free(cs->rules);
        cs->rules = rules;
        cs->n_rules = n;
    }
    return r;
}

static void
add_flow(struct cleanslate *cs, struct ctl_switch *sw, const struct ofp_match_h *m, uint16_t port)
{
    struct ofp_action out = ofp_action_output(port, 0);
    struct ofp_flow_mod_h fm;
    ctl_flow_mod_init(&fm, OFPFC_ADD, m, 1000, &out, 1);
    ctl_switch_flow_mod(sw, &fm);
    cs->flows_installed++;
}

static void
install_rules(struct cleanslate *cs, struct ctl_switch *sw)
{
    for (size_t i = 0; i < cs->n_rules; i++) {
        const struct cs_rule *r = &cs->rules[i];
        struct ofp_match_h m;
        ofp_match_init_catchall(&m);
        if (r->kind == CS_NODE) {
            m.wildcards &= ~(uint32_t) (OFPFW_DL_TYPE | OFPFW_DL_DST);
            m.dl_type = CS_ETHERTYPE;
            cs_addr_to_mac(r->addr, m.dl_dst);
            add_flow(cs, sw, &m, r->port_a);
            continue;
        }
        m.wildcards &= ~(uint32_t) (OFPFW_IN_PORT | OFPFW_DL_VLAN | OFPFW_DL_TYPE);
        m.dl_vlan = r->vlan;
        if (r->kind == CS_ARP) {
            m.dl_type = 0x0806;
            m.in_port = r->port_a;
            add_flow(cs, sw, &m, r->port_b);
            m.in_port = r->port_b;
            add_flow(cs, sw, &m, r->port_a);
            continue;
        }
        m.wildcards &= ~(uint32_t) OFPFW_NW_PROTO;
        m.dl_type = 0x0800;
        m.nw_proto = 6;
        m.in_port = r->port_a;
        m.wildcards &= ~(uint32_t) OFPFW_TP_DST;
        m.tp_dst = r->tcp_port;
        add_flow(cs, sw, &m, r->port_b);
        m.wildcards |= OFPFW_TP_DST;
        m.tp_dst = 0;
        m.wildcards &= ~(uint32_t) OFPFW_TP_SRC;
        m.tp_src = r->tcp_port;
        m.in_port = r->port_b;
        add_flow(cs, sw, &m, r->port_a);
    }
}

static void
cs_switch_up(struct ctl_app *app, struct ctl_switch *sw)
{
    install_rules(cs_cast(app), sw);
}

static int
cs_reconfigure(struct ctl_app *app, const char *path, char **errp)
{
    int r = cs_configure(app, path, errp);
    if (r) {
        return r;
    }
    struct ctl_switch *sw;
    CTL_APP_FOR_EACH_SWITCH (sw, app) {
        struct ofp_match_h all;
        struct ofp_flow_mod_h fm;
        ofp_match_init_catchall(&all);
        ctl_flow_mod_init(&fm, OFPFC_DELETE, &all, 0, NULL, 0);
        ctl_switch_flow_mod(sw, &fm);
        install_rules(cs_cast(app), sw);
    }
    return 0;
}

static void
cs_packet_in(struct ctl_app *app, struct ctl_switch *sw, const struct ctl_packet_in *pi)
{
    (void) sw;
    (void) pi;
    /* Everything this app forwards is in the flow table: what comes up
     * matched no rule. */
    cs_cast(app)->unknown_dropped++;
}

static json_t *
cs_dump(struct ctl_app *app)
{
    struct cleanslate *cs = cs_cast(app);
    json_t *rules = json_array();
    for (size_t i = 0; i < cs->n_rules; i++) {
        const struct cs_rule *r = &cs->rules[i];
        if (r->kind == CS_NODE) {
            json_array_append_new(rules, json_pack("{s:s,s:i,s:i}", "kind", "node",
                                                   "addr", r->addr, "port", r->port_a));
        } else {
            json_t *j = json_pack("{s:s,s:i,s:i,s:i}", "kind", r->kind == CS_TCP ? "tcp" : "arp",
                                  "vlan", r->vlan, "port_a", r->port_a, "port_b", r->port_b);
            if (r->kind == CS_TCP) {
                json_object_set_new(j, "tcp_port", json_integer(r->tcp_port));
            }
            json_array_append_new(rules, j);
        }
    }
    return json_pack("{s:o,s:I,s:I}", "rules", rules,
                     "flows_installed", (json_int_t) cs->flows_installed,
                     "unmatched_packet_ins", (json_int_t) cs->unknown_dropped);
}

/* All of this app's state is its configuration (and the flows it derives
 * from it): a snapshot is informative, restoring one has nothing to load. */
static int
cs_restore(struct ctl_app *app, const json_t *j, char **errp)
{
    (void) app;
    if (!json_is_array(json_object_get(j, "rules"))) {
        *errp = xstrdup("snapshot: not a cleanslate snapshot (no \"rules\")");
        return -EINVAL;
    }
    return 0;
}

const struct ctl_app_class cleanslate_app_class = {
    .name = "cleanslate",
    .summary = "non-IP forwarding: VLAN+TCP port, and Ethertype 0x88B5 by Ethernet fields",
    .track_flows = true,
    .create = cs_create,
    .destroy = cs_destroy,
    .configure = cs_configure,
    .reconfigure = cs_reconfigure,
    .dump = cs_dump,
    .snapshot = cs_dump,
    .restore = cs_restore,
    .switch_up = cs_switch_up,
    .packet_in = cs_packet_in,
};
