/* slice — slice definitions and their JSON form; see slice.h. */
#include "slice/slice.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "ofp/ofp-wire.h"
#include "util/buf.h"
#include "util/util.h"

struct slice_def *
slice_def_create(const char *name, const char *controller)
{
    struct slice_def *s = xzalloc(sizeof *s);
    s->name = xstrdup(name);
    s->controller = xstrdup(controller ? controller : "");
    s->all_ports = true;
    s->weight = 1;
    return s;
}

void
slice_def_destroy(struct slice_def *s)
{
    if (s) {
        free(s->name);
        free(s->controller);
        free(s->ports);
        free(s->entries);
        free(s);
    }
}

struct slice_def *
slice_def_clone(const struct slice_def *s)
{
    struct slice_def *c = xmemdup(s, sizeof *s);
    c->name = xstrdup(s->name);
    c->controller = xstrdup(s->controller);
    c->ports = s->n_ports ? xmemdup(s->ports, s->n_ports * sizeof *s->ports) : NULL;
    c->entries = s->n_entries ? xmemdup(s->entries, s->n_entries * sizeof *s->entries) : NULL;
    return c;
}

bool
slice_name_valid(const char *name)
{
    size_t n = strlen(name);
    if (!n || n > SLICE_NAME_MAX) {
        return false;
    }
    for (; *name; name++) {
        if (!isalnum((unsigned char) *name) && *name != '_' && *name != '-') {
            return false;
        }
    }
    return true;
}

bool
slice_def_has_port(const struct slice_def *s, uint16_t port)
{
    if (s->all_ports) {
        return true;
    }
    for (size_t i = 0; i < s->n_ports; i++) {
        if (s->ports[i] == port) {
            return true;
        }
    }
    return false;
}

static int
cmp_u16(const void *a_, const void *b_)
{
    uint16_t a = *(const uint16_t *) a_, b = *(const uint16_t *) b_;
    return a < b ? -1 : a > b;
}

static void
set_port_array(struct slice_def *s, uint16_t *ports, size_t n)
{
    if (n) {                    /* qsort(NULL, 0) is undefined. */
        qsort(ports, n, sizeof *ports, cmp_u16);
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!k || ports[k - 1] != ports[i]) {
            ports[k++] = ports[i];
        }
    }
    free(s->ports);
    s->ports = ports;
    s->n_ports = k;
    s->all_ports = false;
}

int
slice_def_set_ports(struct slice_def *s, const char *text, char **errp)
{
    if (!strcmp(text, "all")) {
        free(s->ports);
        s->ports = NULL;
        s->n_ports = 0;
        s->all_ports = true;
        return 0;
    }
    char *copy = xstrdup(text);
    uint16_t *ports = NULL;
    size_t n = 0;
    for (char *save = NULL, *tok = strtok_r(copy, ", ", &save); tok;
         tok = strtok_r(NULL, ", ", &save)) {
        uint64_t v;
        if (str_to_u64(tok, 1, OFPP_MAX - 1, &v)) {
            if (errp) {
                *errp = xasprintf("ports: bad port '%s' (1-%u, or \"all\")", tok, OFPP_MAX - 1);
            }
            free(ports);
            free(copy);
            return -EINVAL;
        }
        ports = xrealloc(ports, (n + 1) * sizeof *ports);
        ports[n++] = (uint16_t) v;
    }
    free(copy);
    set_port_array(s, ports, n);
    return 0;
}

void
slice_def_add_entry(struct slice_def *s, const struct fs_entry *e)
{
    s->entries = xrealloc(s->entries, (s->n_entries + 1) * sizeof *s->entries);
    s->entries[s->n_entries++] = *e;
}

int
slice_def_del_entry(struct slice_def *s, size_t i)
{
    if (i >= s->n_entries) {
        return -ENOENT;
    }
    memmove(&s->entries[i], &s->entries[i + 1],
            (s->n_entries - i - 1) * sizeof *s->entries);
    s->n_entries--;
    return 0;
}

size_t
slice_def_vlans(const struct slice_def *s, uint64_t dpid, uint16_t *out,
                size_t max)
{
    /* A bitmap of 4096 VIDs keeps this simple and bounded. */
    uint64_t bits[4096 / 64] = { 0 };
    size_t n = 0;

    for (size_t i = 0; i < s->n_entries; i++) {
        const struct fs_entry *e = &s->entries[i];
        if ((dpid != FS_DPID_ANY && !fs_entry_applies(e, dpid)) || (e->region.match.wildcards & OFPFW_DL_VLAN)) {
            continue;
        }
        for (uint32_t v = e->region.vlan_lo; v <= e->region.vlan_hi && v < 4096; v++) {
            bits[v / 64] |= UINT64_C(1) << (v % 64);
        }
    }
    for (uint32_t v = 0; v < 4096; v++) {
        if (bits[v / 64] & (UINT64_C(1) << (v % 64))) {
            if (n < max) {
                out[n] = (uint16_t) v;
            }
            n++;
        }
    }
    return n;
}

char *
slice_def_map_entry(const struct slice_def *s, uint32_t id, uint64_t dpid)
{
    uint16_t vlans[4096];
    size_t n = slice_def_vlans(s, dpid, vlans, ARRAY_SIZE(vlans));
    if (!n) {
        return NULL;
    }
    struct buf b = BUF_EMPTY;
    buf_printf(&b, "%"PRIu32":%s:%"PRIu32":", id, s->name, s->weight);
    for (size_t i = 0; i < n; i++) {
        buf_printf(&b, "%s%u", i ? "," : "", vlans[i]);
    }
    char *entry = xstrdup(buf_cstr(&b));
    buf_uninit(&b);
    return entry;
}

/* ---- Entries. ---- */

static int
parse_dpid(const char *s, uint64_t *dpid)
{
    if (!strcmp(s, "any")) {
        *dpid = FS_DPID_ANY;
        return 0;
    }
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end || v == FS_DPID_ANY) {
        return -EINVAL;
    }
    *dpid = v;
    return 0;
}

static void
format_dpid(uint64_t dpid, char out[24])
{
    if (dpid == FS_DPID_ANY) {
        strcpy(out, "any");
    } else {
        snprintf(out, 24, "0x%016"PRIx64, dpid);
    }
}

static int
set_err(char **errp, int error, char *msg)
{
    if (errp) {
        *errp = msg;
    } else {
        free(msg);
    }
    return error;
}

int
fs_entry_parse(const char *text, struct fs_entry *e, char **errp)
{
    char *copy = xstrdup(text);
    struct buf rest = BUF_EMPTY;
    int error = 0;

    memset(e, 0, sizeof *e);
    e->dpid = FS_DPID_ANY;
    e->priority = 100;
    e->perms = FS_PERM_READ | FS_PERM_WRITE;
    for (char *save = NULL, *tok = strtok_r(copy, ", \t", &save); tok;
         tok = strtok_r(NULL, ", \t", &save)) {
        uint64_t v;
        if (!strncmp(tok, "dpid=", 5)) {
            if (parse_dpid(tok + 5, &e->dpid)) {
                error = set_err(errp, -EINVAL, xasprintf("dpid: bad value '%s' (any or a number)", tok + 5));
                break;
            }
        } else if (!strncmp(tok, "priority=", 9)) {
            if (str_to_u64(tok + 9, 0, UINT16_MAX, &v)) {
                error = set_err(errp, -EINVAL, xasprintf("priority: bad value '%s'", tok + 9));
                break;
            }
            e->priority = (uint16_t) v;
        } else if (!strncmp(tok, "perms=", 6)) {
            if (fs_perms_parse(tok + 6, &e->perms)) {
                error = set_err(errp, -EINVAL, xasprintf("perms: bad value '%s' (letters r, w, d)", tok + 6));
                break;
            }
        } else {
            buf_printf(&rest, "%s%s", rest.size ? "," : "", tok);
        }
    }
    if (!error) {
        error = fs_region_parse(rest.size ? buf_cstr(&rest) : "", &e->region, errp);
    }
    buf_uninit(&rest);
    free(copy);
    return error;
}

char *
fs_entry_to_string(const struct fs_entry *e)
{
    char dpid[24], perms[4];
    char *region = fs_region_to_string(&e->region);
    format_dpid(e->dpid, dpid);
    fs_perms_format(e->perms, perms);
    char *s = xasprintf("dpid=%s priority=%u perms=%s %s", dpid, e->priority, perms, region);
    free(region);
    return s;
}

json_t *
fs_entry_to_json(const struct fs_entry *e)
{
    char dpid[24], perms[4];
    char *region = fs_region_to_string(&e->region);
    format_dpid(e->dpid, dpid);
    fs_perms_format(e->perms, perms);
    json_t *j = json_pack("{s:s, s:s, s:i, s:s}", "dpid", dpid, "match", region,
                          "priority", (json_int_t) e->priority, "perms", perms);
    free(region);
    return j;
}

int
fs_entry_from_json(const json_t *j, struct fs_entry *e, char **errp)
{
    memset(e, 0, sizeof *e);
    if (!json_is_object(j)) {
        return set_err(errp, -EINVAL, xstrdup("flowspace entry: not an object"));
    }
    const json_t *dpid = json_object_get(j, "dpid");
    const json_t *match = json_object_get(j, "match");
    const json_t *prio = json_object_get(j, "priority");
    const json_t *perms = json_object_get(j, "perms");
    e->dpid = FS_DPID_ANY;
    e->priority = 100;
    e->perms = FS_PERM_READ | FS_PERM_WRITE;
    if (dpid && (!json_is_string(dpid) || parse_dpid(json_string_value(dpid), &e->dpid))) {
        return set_err(errp, -EINVAL, xstrdup("flowspace entry: \"dpid\" must be \"any\" or a number string"));
    }
    if (prio && (!json_is_integer(prio) || json_integer_value(prio) < 0
                 || json_integer_value(prio) > UINT16_MAX)) {
        return set_err(errp, -EINVAL, xstrdup("flowspace entry: \"priority\" must be 0-65535"));
    }
    if (prio) {
        e->priority = (uint16_t) json_integer_value(prio);
    }
    if (perms && (!json_is_string(perms) || fs_perms_parse(json_string_value(perms), &e->perms))) {
        return set_err(errp, -EINVAL, xstrdup("flowspace entry: \"perms\" must be letters r, w, d"));
    }
    if (match && !json_is_string(match)) {
        return set_err(errp, -EINVAL, xstrdup("flowspace entry: \"match\" must be a string"));
    }
    char *err = NULL;
    int error = fs_region_parse(match ? json_string_value(match) : "", &e->region, &err);
    if (error) {
        error = set_err(errp, error, xasprintf("flowspace entry: %s", err));
        free(err);
    }
    return error;
}

/* ---- Slices. ---- */

json_t *
slice_def_to_json(const struct slice_def *s)
{
    json_t *j = json_object();
    json_object_set_new(j, "name", json_string(s->name));
    json_object_set_new(j, "controller", json_string(s->controller));
    if (s->all_ports) {
        json_object_set_new(j, "ports", json_string("all"));
    } else {
        json_t *ports = json_array();
        for (size_t i = 0; i < s->n_ports; i++) {
            json_array_append_new(ports, json_integer(s->ports[i]));
        }
        json_object_set_new(j, "ports", ports);
    }
    json_t *fs = json_array();
    for (size_t i = 0; i < s->n_entries; i++) {
        json_array_append_new(fs, fs_entry_to_json(&s->entries[i]));
    }
    json_object_set_new(j, "flowspace", fs);
    json_object_set_new(j, "max_flows", json_integer(s->limits.max_flows));
    json_object_set_new(j, "rate", json_integer(s->limits.rate));
    json_object_set_new(j, "burst", json_integer(s->limits.burst));
    json_object_set_new(j, "max_buffers", json_integer(s->limits.max_buffers));
    json_object_set_new(j, "weight", json_integer(s->weight));
    if (s->allow_emergency) {
        json_object_set_new(j, "allow_emergency", json_true());
    }
    uint16_t vlans[4096];
    size_t n = slice_def_vlans(s, FS_DPID_ANY, vlans, ARRAY_SIZE(vlans));
    json_t *jv = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(jv, json_integer(vlans[i]));
    }
    json_object_set_new(j, "vlans", jv);
    return j;
}

static int
get_u32(const json_t *j, const char *key, uint32_t min, uint32_t *out,
        char **errp)
{
    const json_t *v = json_object_get(j, key);
    if (!v) {
        return 0;
    }
    if (!json_is_integer(v) || json_integer_value(v) < min
        || json_integer_value(v) > UINT32_MAX) {
        return set_err(errp, -EINVAL, xasprintf("slice: \"%s\" must be an integer >= %u", key, min));
    }
    *out = (uint32_t) json_integer_value(v);
    return 0;
}

int
slice_def_from_json(const json_t *j, struct slice_def **sp, char **errp)
{
    *sp = NULL;
    if (!json_is_object(j)) {
        return set_err(errp, -EINVAL, xstrdup("slice: not an object"));
    }
    const json_t *name = json_object_get(j, "name");
    const json_t *ctrl = json_object_get(j, "controller");
    if (!json_is_string(name) || !slice_name_valid(json_string_value(name))) {
        return set_err(errp, -EINVAL, xstrdup("slice: \"name\" must be 1-31 of A-Z a-z 0-9 _ -"));
    }
    if (!json_is_string(ctrl)) {
        return set_err(errp, -EINVAL, xasprintf("slice %s: \"controller\" must be a string", json_string_value(name)));
    }
    struct slice_def *s = slice_def_create(json_string_value(name), json_string_value(ctrl));
    int error = 0;
    const json_t *ports = json_object_get(j, "ports");
    if (json_is_array(ports)) {
        size_t n = json_array_size(ports);
        uint16_t *p = n ? xcalloc(n, sizeof *p) : NULL;
        for (size_t i = 0; i < n; i++) {
            const json_t *v = json_array_get(ports, i);
            if (!json_is_integer(v) || json_integer_value(v) < 1
                || json_integer_value(v) >= OFPP_MAX) {
                free(p);
                error = set_err(errp, -EINVAL, xasprintf("slice %s: bad port in \"ports\"", s->name));
                goto fail;
            }
            p[i] = (uint16_t) json_integer_value(v);
        }
        set_port_array(s, p, n);
    } else if (ports && !(json_is_string(ports) && !strcmp(json_string_value(ports), "all"))) {
        error = set_err(errp, -EINVAL, xasprintf("slice %s: \"ports\" must be \"all\" or an array", s->name));
        goto fail;
    }
    const json_t *fs = json_object_get(j, "flowspace");
    if (fs && !json_is_array(fs)) {
        error = set_err(errp, -EINVAL, xasprintf("slice %s: \"flowspace\" must be an array", s->name));
        goto fail;
    }
    for (size_t i = 0; fs && i < json_array_size(fs); i++) {
        struct fs_entry e;
        char *err = NULL;
        error = fs_entry_from_json(json_array_get(fs, i), &e, &err);
        if (error) {
            error = set_err(errp, error, xasprintf("slice %s: %s", s->name, err));
            free(err);
            goto fail;
        }
        slice_def_add_entry(s, &e);
    }
    if ((error = get_u32(j, "max_flows", 0, &s->limits.max_flows, errp))
        || (error = get_u32(j, "rate", 0, &s->limits.rate, errp))
        || (error = get_u32(j, "burst", 0, &s->limits.burst, errp))
        || (error = get_u32(j, "max_buffers", 0, &s->limits.max_buffers, errp))
        || (error = get_u32(j, "weight", 1, &s->weight, errp))) {
        goto fail;
    }
    const json_t *emerg = json_object_get(j, "allow_emergency");
    if (emerg && !json_is_boolean(emerg)) {
        error = set_err(errp, -EINVAL, xasprintf("slice %s: \"allow_emergency\" must be true or false", s->name));
        goto fail;
    }
    s->allow_emergency = json_is_true(emerg);
    *sp = s;
    return 0;
fail:
    slice_def_destroy(s);
    return error;
}
