/* ofp-parse — the ovs-ofctl flow syntax to host-order match and actions. */
#include "ofp/ofp-parse.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "util/util.h"

/* Sets *errp (if wanted) and returns -EINVAL. */
static int PRINTF_FORMAT(2, 3)
parse_error(char **errp, const char *fmt, ...)
{
    if (errp) {
        va_list args;
        va_start(args, fmt);
        *errp = xvasprintf(fmt, args);
        va_end(args);
    }
    return -EINVAL;
}

static int
parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    return str_to_u64(s, 0, max, out);
}

int
ofp_parse_port(const char *s, uint16_t *port)
{
    static const struct { const char *name; uint16_t port; } names[] = {
        { "in_port", OFPP_IN_PORT }, { "table", OFPP_TABLE },
        { "normal", OFPP_NORMAL }, { "flood", OFPP_FLOOD },
        { "all", OFPP_ALL }, { "controller", OFPP_CONTROLLER },
        { "local", OFPP_LOCAL }, { "none", OFPP_NONE }, { "any", OFPP_NONE },
    };
    uint64_t v;

    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (!strcasecmp(s, names[i].name)) {
            *port = names[i].port;
            return 0;
        }
    }
    if (parse_uint(s, UINT16_MAX, &v)) {
        return -EINVAL;
    }
    *port = (uint16_t) v;
    return 0;
}

static int
parse_mac(const char *s, uint8_t mac[OFP_ETH_ALEN])
{
    unsigned int b[OFP_ETH_ALEN];
    int n = 0;

    if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%n",
               &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &n) != 6
        || s[n] != '\0' || n != 17) {
        return -EINVAL;
    }
    for (int i = 0; i < OFP_ETH_ALEN; i++) {
        mac[i] = (uint8_t) b[i];
    }
    return 0;
}

static int
parse_ip(const char *s, uint32_t *ip)
{
    struct in_addr a;

    if (inet_pton(AF_INET, s, &a) != 1) {
        return -EINVAL;
    }
    *ip = ntohl(a.s_addr);
    return 0;
}

/* "a.b.c.d", "a.b.c.d/len" or "a.b.c.d/netmask" (contiguous). */
static int
parse_ip_prefix(const char *s, uint32_t *ip, int *prefix)
{
    char addr[32];
    const char *slash = strchr(s, '/');
    size_t n = slash ? (size_t) (slash - s) : strlen(s);

    if (n >= sizeof addr) {
        return -EINVAL;
    }
    memcpy(addr, s, n);
    addr[n] = '\0';
    if (parse_ip(addr, ip)) {
        return -EINVAL;
    }
    *prefix = 32;
    if (slash) {
        uint64_t len;
        uint32_t mask;

        if (!parse_uint(slash + 1, 32, &len) && !strchr(slash + 1, '.')) {
            *prefix = (int) len;
        } else if (!parse_ip(slash + 1, &mask)) {
            int bits = __builtin_popcount(mask);
            if (mask != ofp_prefix_to_mask(bits)) {
                return -EINVAL;
            }
            *prefix = bits;
        } else {
            return -EINVAL;
        }
    }
    return 0;
}

/* Sets field bits in a match being built. */
static int
parse_match_field(const char *key, const char *value, struct ofp_match_h *m,
                  char **errp)
{
    uint64_t v;

#define NEED_VALUE()                                                        \
    do {                                                                    \
        if (!value) {                                                       \
            return parse_error(errp, "%s: missing value", key);             \
        }                                                                   \
    } while (0)
#define NUM_FIELD(NAME, MAX, BIT, FIELD)                                    \
    if (!strcmp(key, NAME)) {                                               \
        NEED_VALUE();                                                       \
        if (parse_uint(value, MAX, &v)) {                                   \
            return parse_error(errp, "%s: invalid value '%s'", key, value); \
        }                                                                   \
        m->FIELD = (__typeof__(m->FIELD)) v;                                \
        m->wildcards &= ~(uint32_t) (BIT);                                  \
        return 0;                                                           \
    }

    if (!strcmp(key, "in_port")) {
        uint16_t port;
        NEED_VALUE();
        if (ofp_parse_port(value, &port)) {
            return parse_error(errp, "in_port: invalid port '%s'", value);
        }
        m->in_port = port;
        m->wildcards &= ~(uint32_t) OFPFW_IN_PORT;
        return 0;
    }
    if (!strcmp(key, "dl_vlan")) {
        NEED_VALUE();
        if (parse_uint(value, UINT16_MAX, &v) || (v > 0xfff && v != OFP_VLAN_NONE)) {
            return parse_error(errp, "dl_vlan: invalid VLAN '%s'", value);
        }
        m->dl_vlan = (uint16_t) v;
        m->wildcards &= ~(uint32_t) OFPFW_DL_VLAN;
        return 0;
    }
    NUM_FIELD("dl_vlan_pcp", 7, OFPFW_DL_VLAN_PCP, dl_vlan_pcp)
    NUM_FIELD("dl_type", UINT16_MAX, OFPFW_DL_TYPE, dl_type)
    NUM_FIELD("nw_proto", UINT8_MAX, OFPFW_NW_PROTO, nw_proto)
    NUM_FIELD("tp_src", UINT16_MAX, OFPFW_TP_SRC, tp_src)
    NUM_FIELD("tp_dst", UINT16_MAX, OFPFW_TP_DST, tp_dst)
    NUM_FIELD("icmp_type", UINT8_MAX, OFPFW_TP_SRC, tp_src)
    NUM_FIELD("icmp_code", UINT8_MAX, OFPFW_TP_DST, tp_dst)
    if (!strcmp(key, "nw_tos")) {
        NEED_VALUE();
        if (parse_uint(value, UINT8_MAX, &v) || (v & 3)) {
            return parse_error(errp, "nw_tos: invalid value '%s' (must be a "
                               "multiple of 4 up to 252)", value);
        }
        m->nw_tos = (uint8_t) v;
        m->wildcards &= ~(uint32_t) OFPFW_NW_TOS;
        return 0;
    }
    if (!strcmp(key, "dl_src") || !strcmp(key, "dl_dst")) {
        bool src = key[3] == 's';
        NEED_VALUE();
        if (parse_mac(value, src ? m->dl_src : m->dl_dst)) {
            return parse_error(errp, "%s: invalid MAC address '%s'", key, value);
        }
        m->wildcards &= ~(uint32_t) (src ? OFPFW_DL_SRC : OFPFW_DL_DST);
        return 0;
    }
    if (!strcmp(key, "nw_src") || !strcmp(key, "nw_dst")) {
        uint32_t ip;
        int prefix;
        NEED_VALUE();
        if (parse_ip_prefix(value, &ip, &prefix)) {
            return parse_error(errp, "%s: invalid IP address '%s'", key, value);
        }
        if (key[3] == 's') {
            ofp_match_set_nw_src(m, ip, prefix);
        } else {
            ofp_match_set_nw_dst(m, ip, prefix);
        }
        return 0;
    }
    if (value) {
        return parse_error(errp, "unknown field '%s'", key);
    }
    /* Shorthands. */
    {
        static const struct { const char *name; uint16_t dl_type; int nw_proto; }
        shorthands[] = {
            { "ip", 0x0800, -1 }, { "arp", 0x0806, -1 }, { "tcp", 0x0800, 6 },
            { "udp", 0x0800, 17 }, { "icmp", 0x0800, 1 },
        };
        for (size_t i = 0; i < ARRAY_SIZE(shorthands); i++) {
            if (!strcmp(key, shorthands[i].name)) {
                m->dl_type = shorthands[i].dl_type;
                m->wildcards &= ~(uint32_t) OFPFW_DL_TYPE;
                if (shorthands[i].nw_proto >= 0) {
                    m->nw_proto = (uint8_t) shorthands[i].nw_proto;
                    m->wildcards &= ~(uint32_t) OFPFW_NW_PROTO;
                }
                return 0;
            }
        }
    }
    return parse_error(errp, "unknown field '%s'", key);
#undef NUM_FIELD
#undef NEED_VALUE
}

/* Splits s at top-level commas (not inside parentheses) into tokens that
 * are handed to `fn` one by one (with surrounding spaces trimmed). */
static char *
trim(char *s)
{
    char *end;
    while (isspace((unsigned char) *s)) {
        s++;
    }
    end = s + strlen(s);
    while (end > s && isspace((unsigned char) end[-1])) {
        *--end = '\0';
    }
    return s;
}

static int
parse_action(char *token, struct ofp_action *a, char **errp)
{
    char *arg = NULL;
    char *p;
    uint64_t v;
    uint16_t port;

    memset(a, 0, sizeof *a);
    /* "name:arg", "name=arg" or "name(arg)". */
    p = token + strcspn(token, ":=(");
    if (*p == '(') {
        char *close = strrchr(p, ')');
        if (!close || close[1] != '\0') {
            return parse_error(errp, "bad action '%s': unbalanced parentheses",
                               token);
        }
        *close = '\0';
        *p = '\0';
        arg = p + 1;
    } else if (*p) {
        *p = '\0';
        arg = p + 1;
    }
    token = trim(token);
    if (arg) {
        arg = trim(arg);
    }

#define NEED_ARG()                                                          \
    do {                                                                    \
        if (!arg || !*arg) {                                                \
            return parse_error(errp, "action '%s' needs an argument", token); \
        }                                                                   \
    } while (0)
#define NO_ARG()                                                            \
    do {                                                                    \
        if (arg) {                                                          \
            return parse_error(errp, "action '%s' takes no argument", token); \
        }                                                                   \
    } while (0)

    if (!strcasecmp(token, "output")) {
        NEED_ARG();
        if (ofp_parse_port(arg, &port) || port == OFPP_NONE) {
            return parse_error(errp, "output: invalid port '%s'", arg);
        }
        *a = ofp_action_output(port, port == OFPP_CONTROLLER ? UINT16_MAX : 0);
        return 0;
    }
    if (!strcasecmp(token, "controller")) {
        v = UINT16_MAX;
        if (arg) {
            if (!strncmp(arg, "max_len=", 8)) {
                arg += 8;
            }
            if (parse_uint(arg, UINT16_MAX, &v)) {
                return parse_error(errp, "controller: invalid max_len '%s'", arg);
            }
        }
        *a = ofp_action_output(OFPP_CONTROLLER, (uint16_t) v);
        return 0;
    }
    if (!strcasecmp(token, "in_port") || !strcasecmp(token, "normal")
        || !strcasecmp(token, "flood") || !strcasecmp(token, "all")
        || !strcasecmp(token, "local") || !strcasecmp(token, "table")) {
        NO_ARG();
        ofp_parse_port(token, &port);
        *a = ofp_action_output(port, 0);
        return 0;
    }
    if (!arg && isdigit((unsigned char) token[0])) {
        if (parse_uint(token, OFPP_MAX - 1, &v)) {
            return parse_error(errp, "invalid output port '%s'", token);
        }
        *a = ofp_action_output((uint16_t) v, 0);
        return 0;
    }
    if (!strcasecmp(token, "strip_vlan")) {
        NO_ARG();
        a->type = OFPAT_STRIP_VLAN;
        return 0;
    }
    if (!strcasecmp(token, "mod_vlan_vid")) {
        NEED_ARG();
        if (parse_uint(arg, 0xfff, &v)) {
            return parse_error(errp, "mod_vlan_vid: invalid VLAN '%s'", arg);
        }
        a->type = OFPAT_SET_VLAN_VID;
        a->vlan_vid = (uint16_t) v;
        return 0;
    }
    if (!strcasecmp(token, "mod_vlan_pcp")) {
        NEED_ARG();
        if (parse_uint(arg, 7, &v)) {
            return parse_error(errp, "mod_vlan_pcp: invalid priority '%s'", arg);
        }
        a->type = OFPAT_SET_VLAN_PCP;
        a->vlan_pcp = (uint8_t) v;
        return 0;
    }
    if (!strcasecmp(token, "mod_dl_src") || !strcasecmp(token, "mod_dl_dst")) {
        NEED_ARG();
        if (parse_mac(arg, a->dl_addr)) {
            return parse_error(errp, "%s: invalid MAC address '%s'", token, arg);
        }
        a->type = !strcasecmp(token, "mod_dl_src") ? OFPAT_SET_DL_SRC
                                                   : OFPAT_SET_DL_DST;
        return 0;
    }
    if (!strcasecmp(token, "mod_nw_src") || !strcasecmp(token, "mod_nw_dst")) {
        NEED_ARG();
        if (parse_ip(arg, &a->nw_addr)) {
            return parse_error(errp, "%s: invalid IP address '%s'", token, arg);
        }
        a->type = !strcasecmp(token, "mod_nw_src") ? OFPAT_SET_NW_SRC
                                                   : OFPAT_SET_NW_DST;
        return 0;
    }
    if (!strcasecmp(token, "mod_nw_tos")) {
        NEED_ARG();
        if (parse_uint(arg, UINT8_MAX, &v) || (v & 3)) {
            return parse_error(errp, "mod_nw_tos: invalid value '%s' (must be "
                               "a multiple of 4 up to 252)", arg);
        }
        a->type = OFPAT_SET_NW_TOS;
        a->nw_tos = (uint8_t) v;
        return 0;
    }
    if (!strcasecmp(token, "mod_tp_src") || !strcasecmp(token, "mod_tp_dst")) {
        NEED_ARG();
        if (parse_uint(arg, UINT16_MAX, &v)) {
            return parse_error(errp, "%s: invalid port '%s'", token, arg);
        }
        a->type = !strcasecmp(token, "mod_tp_src") ? OFPAT_SET_TP_SRC
                                                   : OFPAT_SET_TP_DST;
        a->tp_port = (uint16_t) v;
        return 0;
    }
    if (!strcasecmp(token, "enqueue")) {
        char *q;
        NEED_ARG();
        q = arg + strcspn(arg, ":,");
        if (!*q) {
            return parse_error(errp, "enqueue: expected PORT:QUEUE, got '%s'", arg);
        }
        *q++ = '\0';
        arg = trim(arg);
        q = trim(q);
        if (ofp_parse_port(arg, &port)) {
            return parse_error(errp, "enqueue: invalid port '%s'", arg);
        }
        if (parse_uint(q, UINT32_MAX, &v)) {
            return parse_error(errp, "enqueue: invalid queue '%s'", q);
        }
        *a = ofp_action_enqueue(port, (uint32_t) v);
        return 0;
    }
    return parse_error(errp, "unknown action '%s'", token);
#undef NEED_ARG
#undef NO_ARG
}

int
ofp_parse_actions(const char *s, struct ofp_action **actionsp,
                  size_t *n_actionsp, char **errp)
{
    char *copy = xstrdup(s);
    char *p = copy;
    struct ofp_action *actions = NULL;
    size_t n = 0, allocated = 0;
    bool saw_drop = false;
    int error = 0;

    *actionsp = NULL;
    *n_actionsp = 0;
    while (*p) {
        char *start = p, *token;
        int depth = 0;

        for (; *p; p++) {
            if (*p == '(') {
                depth++;
            } else if (*p == ')') {
                depth--;
            } else if (*p == ',' && depth <= 0) {
                break;
            }
        }
        if (*p) {
            *p++ = '\0';
        }
        token = trim(start);
        if (!*token) {
            error = parse_error(errp, "empty action in '%s'", s);
            goto out;
        }
        if (!strcasecmp(token, "drop")) {
            saw_drop = true;
            continue;
        }
        if (n == allocated) {
            allocated = allocated ? 2 * allocated : 4;
            actions = xrealloc(actions, allocated * sizeof *actions);
        }
        error = parse_action(token, &actions[n], errp);
        if (error) {
            goto out;
        }
        n++;
    }
    if (saw_drop && n) {
        error = parse_error(errp, "'drop' must be the only action");
        goto out;
    }

out:
    free(copy);
    if (error) {
        free(actions);
        return error;
    }
    *actionsp = n ? actions : NULL;
    if (!n) {
        free(actions);
    }
    *n_actionsp = n;
    return 0;
}

/* The token that last set a transport field, for checks that need the
 * whole match (pointers into parse_fields' copy of the input). */
struct tp_token {
    const char *key, *value;
};

static void
note_tp_token(const char *key, const char *value, struct tp_token *tp_src,
              struct tp_token *tp_dst)
{
    if (!strcmp(key, "tp_src") || !strcmp(key, "icmp_type")) {
        *tp_src = (struct tp_token) { key, value };
    } else if (!strcmp(key, "tp_dst") || !strcmp(key, "icmp_code")) {
        *tp_dst = (struct tp_token) { key, value };
    }
}

/* Checks the transport fields against the protocol the whole match ends up
 * with (keywords may come in any order: "tp_src=544,icmp").  In OpenFlow
 * 1.0 tp_src/tp_dst of an ICMP match are the ICMP type and code, one byte
 * each: a larger value could never match and would print as an
 * icmp_type/icmp_code the parser refuses, so it is refused here. */
static int
check_tp_fields(const struct ofp_match_h *m, const struct tp_token *tp_src,
                const struct tp_token *tp_dst, char **errp)
{
    bool icmp = !(m->wildcards & (OFPFW_DL_TYPE | OFPFW_NW_PROTO))
                && m->dl_type == 0x0800 && m->nw_proto == 1;

    if (!icmp) {
        return 0;
    }
    if (!(m->wildcards & OFPFW_TP_SRC) && m->tp_src > UINT8_MAX) {
        return parse_error(errp, "%s: invalid value '%s' for ICMP (icmp_type "
                           "is 0..255)", tp_src->key, tp_src->value);
    }
    if (!(m->wildcards & OFPFW_TP_DST) && m->tp_dst > UINT8_MAX) {
        return parse_error(errp, "%s: invalid value '%s' for ICMP (icmp_code "
                           "is 0..255)", tp_dst->key, tp_dst->value);
    }
    return 0;
}

/* Walks "key=value" / "key" items separated by commas and/or spaces.  Calls
 * fn for each; stops at "actions=" and returns its text through *actions. */
static int
parse_fields(const char *s, struct ofp_flow_spec *spec, bool allow_flow_fields,
             char **errp)
{
    char *copy = xstrdup(s);
    char *p = copy;
    struct tp_token tp_src = { "tp_src", "" }, tp_dst = { "tp_dst", "" };
    int error = 0;

    while (*p) {
        char *key, *value = NULL;
        uint64_t v;

        p += strspn(p, ", \t\r\n");
        if (!*p) {
            break;
        }
        key = p;
        p += strcspn(p, "=, \t\r\n");
        if (*p == '=') {
            *p++ = '\0';
            if (!strcmp(key, "actions") && allow_flow_fields) {
                error = ofp_parse_actions(p, &spec->actions, &spec->n_actions,
                                          errp);
                spec->has_actions = !error;
                break;
            }
            value = p;
            p += strcspn(p, ", \t\r\n");
        }
        if (*p) {
            *p++ = '\0';
        }
        if (value && !*value) {
            error = parse_error(errp, "%s: missing value", key);
            goto out;
        }

#define FLOW_FIELD(NAME, MAX, FIELD)                                        \
        if (allow_flow_fields && !strcmp(key, NAME)) {                      \
            if (!value || parse_uint(value, MAX, &v)) {                     \
                error = parse_error(errp, "%s: invalid value '%s'", key,    \
                                    value ? value : "");                    \
                goto out;                                                   \
            }                                                               \
            spec->FIELD = (__typeof__(spec->FIELD)) v;                      \
            continue;                                                       \
        }
        FLOW_FIELD("priority", UINT16_MAX, priority)
        FLOW_FIELD("idle_timeout", UINT16_MAX, idle_timeout)
        FLOW_FIELD("hard_timeout", UINT16_MAX, hard_timeout)
        FLOW_FIELD("cookie", UINT64_MAX, cookie)
#undef FLOW_FIELD
        if (allow_flow_fields && !strcmp(key, "table")) {
            if (!value || (parse_uint(value, UINT8_MAX, &v)
                           && strcasecmp(value, "all"))) {
                error = parse_error(errp, "table: invalid value '%s'",
                                    value ? value : "");
                goto out;
            }
            spec->table_id = strcasecmp(value, "all") ? (uint8_t) v : OFPTT_ALL;
            continue;
        }
        if (allow_flow_fields && !strcmp(key, "out_port")) {
            if (!value || ofp_parse_port(value, &spec->out_port)) {
                error = parse_error(errp, "out_port: invalid port '%s'",
                                    value ? value : "");
                goto out;
            }
            continue;
        }
        error = parse_match_field(key, value, &spec->match, errp);
        if (error) {
            goto out;
        }
        note_tp_token(key, value, &tp_src, &tp_dst);
    }
    ofp_match_normalize(&spec->match);
    if (!error) {
        error = check_tp_fields(&spec->match, &tp_src, &tp_dst, errp);
    }

out:
    free(copy);
    ofp_match_normalize(&spec->match);
    return error;
}

static void
flow_spec_init(struct ofp_flow_spec *spec)
{
    memset(spec, 0, sizeof *spec);
    ofp_match_init_catchall(&spec->match);
    spec->priority = OFP_DEFAULT_PRIORITY;
    spec->out_port = OFPP_NONE;
    spec->table_id = OFPTT_ALL;
}

int
ofp_parse_flow(const char *s, struct ofp_flow_spec *spec, char **errp)
{
    int error;

    flow_spec_init(spec);
    error = parse_fields(s, spec, true, errp);
    if (error) {
        ofp_flow_spec_uninit(spec);
        flow_spec_init(spec);
    }
    return error;
}

void
ofp_flow_spec_uninit(struct ofp_flow_spec *spec)
{
    if (spec) {
        free(spec->actions);
        spec->actions = NULL;
        spec->n_actions = 0;
    }
}

int
ofp_parse_match(const char *s, struct ofp_match_h *m, char **errp)
{
    struct ofp_flow_spec spec;
    int error;

    flow_spec_init(&spec);
    error = parse_fields(s, &spec, false, errp);
    *m = spec.match;
    if (error) {
        ofp_match_init_catchall(m);
    }
    return error;
}
