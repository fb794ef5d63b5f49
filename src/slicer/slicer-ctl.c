/* slicer-ctl — plural-slicer's control socket commands (what
 * `plural slice ...` sends):
 *
 *   slice/list                         one line per slice
 *   slice/show NAME                    definition, counters, per switch
 *   slice/add NAME CONTROLLER [KEY=VALUE...]
 *   slice/set NAME KEY=VALUE...        change limits, ports, flowspace
 *   slice/del NAME                     removes the slice and its flows
 *   slice/set-controller NAME TARGET [--keep-flows[=SECONDS]]
 *                                      re-points the slice's control plane;
 *                                      --keep-flows holds back the new
 *                                      controller's catch-all DELETE during
 *                                      its first SECONDS (default 10)
 *   slice/flowspace-add NAME ENTRY     ENTRY: "[dpid=D] [priority=P]
 *                                       [perms=rwd] MATCH" (flowspace.h)
 *   slice/flowspace-del NAME INDEX     0-based, as slice/show lists them
 *   slice/stats [NAME]                 counters (JSON with --json)
 *   slice/switches                     connected switches
 *   slice/vlan-map                     the VLAN -> slice map for the data plane
 *   slice/map-status                   automatic map pushes (--switch-ctl)
 *
 * KEYs: ports=all|1,2,3  flowspace=ENTRY (repeatable; replaces the whole
 * flowspace in slice/set)  max-flows=N  rate=N  burst=N  max-buffers=N
 * weight=N  controller=TARGET  allow-emergency=yes|no. */
#include "slicer.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "net/ctl-server.h"
#include "util/buf.h"
#include "util/util.h"

#define KEEP_FLOWS_DEFAULT_S 10

static void
reply_result(struct ctl_conn *conn, int error, char *err, const char *ok)
{
    if (error) {
        ctl_reply_error(conn, err ? err : strerror(-error));
    } else {
        ctl_reply_ok(conn, ok);
    }
    free(err);
}

/* Writes the text form of a JSON reply document into 'out'. */
typedef void text_formatter(json_t *doc, struct buf *out);

/* Replies with 'doc' as it is to a client that asked for JSON, else with
 * the text 'format' makes of it.  Takes ownership of 'doc'. */
static void
reply_json_or_text(struct ctl_conn *conn, json_t *doc, text_formatter *format)
{
    if (ctl_conn_wants_json(conn)) {
        ctl_reply_json(conn, doc);
        return;
    }
    struct buf out = BUF_EMPTY;
    format(doc, &out);
    json_decref(doc);
    ctl_reply_ok(conn, buf_cstr(&out));
    buf_uninit(&out);
}

/* Applies KEY=VALUE arguments to def.  Returns 0 or -EINVAL with *errp. */
static int
apply_keys(struct slice_def *def, int argc, const char *argv[], bool replace_fs,
           char **errp)
{
    bool fs_cleared = false;
    for (int i = 0; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        if (!eq) {
            *errp = xasprintf("expected KEY=VALUE, got \"%s\"", argv[i]);
            return -EINVAL;
        }
        size_t klen = (size_t) (eq - argv[i]);
        const char *v = eq + 1;
        char *err = NULL;
        uint64_t n;
#define KEY(NAME) (klen == strlen(NAME) && !strncmp(argv[i], NAME, klen))
        if (KEY("ports")) {
            if (slice_def_set_ports(def, v, &err)) {
                *errp = err;
                return -EINVAL;
            }
        } else if (KEY("flowspace")) {
            struct fs_entry e;
            if (fs_entry_parse(v, &e, &err)) {
                *errp = xasprintf("flowspace \"%s\": %s", v, err);
                free(err);
                return -EINVAL;
            }
            if (replace_fs && !fs_cleared) {
                def->n_entries = 0;
                fs_cleared = true;
            }
            slice_def_add_entry(def, &e);
        } else if (KEY("controller")) {
            free(def->controller);
            def->controller = xstrdup(v);
        } else if (KEY("allow-emergency")) {
            if (!strcmp(v, "yes") || !strcmp(v, "true")) {
                def->allow_emergency = true;
            } else if (!strcmp(v, "no") || !strcmp(v, "false")) {
                def->allow_emergency = false;
            } else {
                *errp = xasprintf("allow-emergency: \"%s\" is not yes or no", v);
                return -EINVAL;
            }
        } else if (KEY("max-flows") || KEY("rate") || KEY("burst")
                   || KEY("max-buffers") || KEY("weight")) {
            bool weight = KEY("weight");
            if (str_to_u64(v, weight ? 1 : 0, weight ? 1000 : UINT32_MAX, &n)) {
                *errp = xasprintf("%.*s: bad number \"%s\"", (int) klen, argv[i], v);
                return -EINVAL;
            }
            uint32_t *field = KEY("max-flows") ? &def->limits.max_flows
                              : KEY("rate") ? &def->limits.rate
                              : KEY("burst") ? &def->limits.burst
                              : KEY("max-buffers") ? &def->limits.max_buffers
                              : &def->weight;
            *field = (uint32_t) n;
        } else {
            *errp = xasprintf("unknown key \"%.*s\" (ports, flowspace, controller, "
                              "max-flows, rate, burst, max-buffers, weight, allow-emergency)", (int) klen, argv[i]);
            return -EINVAL;
        }
#undef KEY
    }
    return 0;
}

/* Commits a new definition: slicer_add_slice() or slicer_update_slice(). */
typedef int slice_def_commit(struct slicer *, struct slice_def *, char **errp);

/* Applies the KEY=VALUE arguments to 'def' (taking ownership of it) and, if
 * they are all good, hands it to commit(); replies with the outcome. */
static void
apply_keys_and_commit(struct ctl_conn *conn, struct slicer *s, struct slice_def *def,
                      int argc, const char *argv[], bool replace_fs,
                      slice_def_commit *commit)
{
    char *err = NULL;
    int error = apply_keys(def, argc, argv, replace_fs, &err);
    if (error) {
        slice_def_destroy(def);
    } else {
        error = commit(s, def, &err);
    }
    reply_result(conn, error, err, NULL);
}

/* Returns the slice called 'name', or NULL after replying that there is
 * no such slice. */
static struct slice *
find_slice_or_reply(struct ctl_conn *conn, struct slicer *s, const char *name)
{
    struct slice *slice = slicer_find_slice(s, name);
    if (!slice) {
        reply_result(conn, -ENOENT, xasprintf("no slice %s", name), NULL);
    }
    return slice;
}

static void
cmd_add(struct ctl_conn *conn, int argc, const char *argv[], void *aux)
{
    apply_keys_and_commit(conn, aux, slice_def_create(argv[1], argv[2]),
                          argc - 3, argv + 3, false, slicer_add_slice);
}

static void
cmd_set(struct ctl_conn *conn, int argc, const char *argv[], void *aux)
{
    struct slice *slice = find_slice_or_reply(conn, aux, argv[1]);
    if (slice) {
        apply_keys_and_commit(conn, aux, slice_def_clone(slice->def),
                              argc - 2, argv + 2, true, slicer_update_slice);
    }
}

static void
cmd_del(struct ctl_conn *conn, int argc, const char *argv[], void *aux)
{
    char *err = NULL;
    (void) argc;
    int error = slicer_del_slice(aux, argv[1], &err);
    reply_result(conn, error, err, NULL);
}

static void
cmd_set_controller(struct ctl_conn *conn, int argc, const char *argv[], void *aux)
{
    char *err = NULL;
    uint64_t seconds = 0;
    if (argc > 3) {
        if (!strcmp(argv[3], "--keep-flows")) {
            seconds = KEEP_FLOWS_DEFAULT_S;
        } else if (strncmp(argv[3], "--keep-flows=", 13)
                   || str_to_u64(argv[3] + 13, 1, 3600, &seconds)) {
            reply_result(conn, -EINVAL, xasprintf("expected --keep-flows[=SECONDS] "
                                                  "(1-3600), got \"%s\"", argv[3]), NULL);
            return;
        }
    }
    int error = slicer_set_controller(aux, argv[1], argv[2], (uint32_t) seconds * 1000, &err);
    reply_result(conn, error, err, NULL);
}

static void
cmd_flowspace_add(struct ctl_conn *conn, int argc, const char *argv[], void *aux)
{
    struct slicer *s = aux;
    struct slice *slice = find_slice_or_reply(conn, s, argv[1]);
    struct fs_entry e;
    char *err = NULL;
    (void) argc;
    if (!slice) {
        return;
    }
    if (fs_entry_parse(argv[2], &e, &err)) {
        reply_result(conn, -EINVAL, err, NULL);
        return;
    }
    struct slice_def *def = slice_def_clone(slice->def);
    slice_def_add_entry(def, &e);
    int error = slicer_update_slice(s, def, &err);
    reply_result(conn, error, err, NULL);
}

static void
cmd_flowspace_del(struct ctl_conn *conn, int argc, const char *argv[], void *aux)
{
    struct slicer *s = aux;
    struct slice *slice = find_slice_or_reply(conn, s, argv[1]);
    char *err = NULL;
    uint64_t idx;
    (void) argc;
    if (!slice) {
        return;
    }
    if (str_to_u64(argv[2], 0, SIZE_MAX, &idx) || idx >= slice->def->n_entries) {
        reply_result(conn, -EINVAL, xasprintf("slice %s has no flowspace entry %s",
                                              argv[1], argv[2]), NULL);
        return;
    }
    struct slice_def *def = slice_def_clone(slice->def);
    slice_def_del_entry(def, (size_t) idx);
    int error = slicer_update_slice(s, def, &err);
    reply_result(conn, error, err, NULL);
}

static void
format_ports(const struct slice_def *def, struct buf *out)
{
    if (def->all_ports) {
        buf_printf(out, "all");
        return;
    }
    for (size_t i = 0; i < def->n_ports; i++) {
        buf_printf(out, "%s%u", i ? "," : "", def->ports[i]);
    }
}

static void
cmd_list(struct ctl_conn *conn, int argc, const char *argv[], void *aux)
{
    struct slicer *s = aux;
    (void) argc;
    (void) argv;
    if (ctl_conn_wants_json(conn)) {
        json_t *a = json_array();
        for (size_t i = 0; i < slicer_n_slices(s); i++) {
            json_array_append_new(a, slicer_slice_to_json(s, slicer_slice_at(s, i), true));
        }
        ctl_reply_json(conn, a);
        return;
    }
    struct buf out = BUF_EMPTY;
    buf_printf(&out, "%-12s %-24s %-9s %-10s %-6s %s\n", "SLICE", "CONTROLLER",
               "CONNECTED", "PORTS", "FLOWS", "FLOWSPACE");
    for (size_t i = 0; i < slicer_n_slices(s); i++) {
        struct slice *slice = slicer_slice_at(s, i);
        json_t *j = slicer_slice_to_json(s, slice, true);
        json_t *sws = json_object_get(j, "switches");
        size_t up = 0, flows = 0;
        for (size_t k = 0; k < json_array_size(sws); k++) {
            json_t *sw = json_array_get(sws, k);
            up += json_is_true(json_object_get(sw, "connected"));
            flows += (size_t) json_integer_value(json_object_get(sw, "flows"));
        }
        struct buf ports = BUF_EMPTY, conns = BUF_EMPTY;
        format_ports(slice->def, &ports);
        buf_printf(&conns, "%zu/%zu", up, json_array_size(sws));
        buf_printf(&out, "%-12s %-24s %-9s %-10s %-6zu ", slice->def->name,
                   slice->def->controller, buf_cstr(&conns), buf_cstr(&ports), flows);
        for (size_t k = 0; k < slice->def->n_entries; k++) {
            char *e = fs_region_to_string(&slice->def->entries[k].region);
            buf_printf(&out, "%s%s", k ? "; " : "", e);
            free(e);
        }
        buf_printf(&out, "\n");
        buf_uninit(&ports);
        buf_uninit(&conns);
        json_decref(j);
    }
    ctl_reply_ok(conn, buf_cstr(&out));
    buf_uninit(&out);
}

static void
cmd_show(struct ctl_conn *conn, int argc, const char *argv[], void *aux)
{
    struct slicer *s = aux;
    struct slice *slice = slicer_find_slice(s, argv[1]);
    (void) argc;
    if (!slice) {
        ctl_reply_error(conn, "no such slice");
        return;
    }
    json_t *j = slicer_slice_to_json(s, slice, true);
    if (ctl_conn_wants_json(conn)) {
        ctl_reply_json(conn, j);
        return;
    }
    const struct slice_def *d = slice->def;
    struct buf out = BUF_EMPTY;
    buf_printf(&out, "slice %s\n  controller: %s\n  ports: ", d->name, d->controller);
    format_ports(d, &out);
    buf_printf(&out, "\n  limits: max-flows %u, rate %u/s (burst %u), max-buffers %u, weight %u\n",
               d->limits.max_flows, d->limits.rate, d->limits.burst,
               d->limits.max_buffers ? d->limits.max_buffers : SLICE_DEFAULT_MAX_BUFFERS,
               d->weight);
    if (d->allow_emergency) {
        buf_printf(&out, "  allowed emergency flows (OFPFF_EMERG)\n");
    }
    buf_printf(&out, "  flowspace:\n");
    for (size_t k = 0; k < d->n_entries; k++) {
        char *e = fs_entry_to_string(&d->entries[k]);
        buf_printf(&out, "    %zu: %s\n", k, e);
        free(e);
    }
    json_t *sws = json_object_get(j, "switches");
    buf_printf(&out, "  switches:\n");
    for (size_t k = 0; k < json_array_size(sws); k++) {
        json_t *sw = json_array_get(sws, k);
        const char *cn = json_string_value(json_object_get(sw, "controller_cn"));
        buf_printf(&out, "    dpid %s: controller %s %s%s%s%s, flows %"JSON_INTEGER_FORMAT
                   ", buffers %"JSON_INTEGER_FORMAT"\n",
                   json_string_value(json_object_get(sw, "dpid")),
                   json_string_value(json_object_get(sw, "controller")),
                   json_is_true(json_object_get(sw, "connected")) ? "connected"
                   : json_is_true(json_object_get(sw, "parked"))
                   ? "parked (controller down; another switch retries)" : "not connected",
                   cn && *cn ? " (certificate cn=" : "", cn && *cn ? cn : "",
                   cn && *cn ? ")" : "",
                   json_integer_value(json_object_get(sw, "flows")),
                   json_integer_value(json_object_get(sw, "buffers")));
    }
    const char *refusal = json_string_value(json_object_get(j, "last_refusal"));
    if (refusal) {
        buf_printf(&out, "  last refused controller: %s\n", refusal);
    }
    json_t *c = json_object_get(j, "counters");
    const char *key;
    json_t *v;
    buf_printf(&out, "  counters:\n");
    json_object_foreach (c, key, v) {
        buf_printf(&out, "    %-20s %"JSON_INTEGER_FORMAT"\n", key, json_integer_value(v));
    }
    json_decref(j);
    ctl_reply_ok(conn, buf_cstr(&out));
    buf_uninit(&out);
}

static void
format_stats(json_t *all, struct buf *out)
{
    const char *name;
    json_t *stats;
    json_object_foreach (all, name, stats) {
        buf_printf(out, "slice %s:\n", name);
        const char *key;
        json_t *v;
        json_object_foreach (stats, key, v) {
            buf_printf(out, "  %-20s %"JSON_INTEGER_FORMAT"\n", key, json_integer_value(v));
        }
    }
}

static void
cmd_stats(struct ctl_conn *conn, int argc, const char *argv[], void *aux)
{
    struct slicer *s = aux;
    json_t *all = json_object();
    for (size_t i = 0; i < slicer_n_slices(s); i++) {
        struct slice *slice = slicer_slice_at(s, i);
        if (argc > 1 && strcmp(argv[1], slice->def->name)) {
            continue;
        }
        json_t *j = slicer_slice_to_json(s, slice, true);
        json_t *stats = json_object_get(j, "counters");
        size_t flows = 0;
        json_t *sws = json_object_get(j, "switches");
        for (size_t k = 0; k < json_array_size(sws); k++) {
            flows += (size_t) json_integer_value(json_object_get(json_array_get(sws, k), "flows"));
        }
        json_object_set_new(stats, "flows", json_integer((json_int_t) flows));
        json_object_set_new(stats, "weight", json_integer(slice->def->weight));
        json_object_set(all, slice->def->name, stats);
        json_decref(j);
    }
    if (argc > 1 && !json_object_size(all)) {
        json_decref(all);
        ctl_reply_error(conn, "no such slice");
        return;
    }
    reply_json_or_text(conn, all, format_stats);
}

static void
format_switches(json_t *a, struct buf *out)
{
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *sw = json_array_get(a, i);
        const char *cn = json_string_value(json_object_get(sw, "cn"));
        buf_printf(out, "dpid %s from %s%s%s%s: %s, %"JSON_INTEGER_FORMAT" ports\n",
                   json_string_value(json_object_get(sw, "dpid")),
                   json_string_value(json_object_get(sw, "peer")),
                   cn && *cn ? " (certificate cn=" : "", cn && *cn ? cn : "",
                   cn && *cn ? ")" : "",
                   json_is_true(json_object_get(sw, "ready")) ? "ready" : "handshaking",
                   json_integer_value(json_object_get(sw, "ports")));
    }
    buf_printf(out, "switches: %zu\n", json_array_size(a));
}

static void
format_vlan_map(json_t *a, struct buf *out)
{
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *e = json_array_get(a, i);
        json_t *vlans = json_object_get(e, "vlans");
        buf_printf(out, "slice %s id %"JSON_INTEGER_FORMAT" weight %"JSON_INTEGER_FORMAT" vlans",
                   json_string_value(json_object_get(e, "slice")),
                   json_integer_value(json_object_get(e, "id")),
                   json_integer_value(json_object_get(e, "weight")));
        for (size_t k = 0; k < json_array_size(vlans); k++) {
            buf_printf(out, "%s%"JSON_INTEGER_FORMAT, k ? "," : " ",
                       json_integer_value(json_array_get(vlans, k)));
        }
        buf_printf(out, "\n");
    }
}

static void
format_map_status(json_t *a, struct buf *out)
{
    if (!json_array_size(a)) {
        buf_printf(out, "no --switch-ctl: the map is pushed only by hand (push-map)\n");
    }
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *t = json_array_get(a, i);
        const char *map = json_string_value(json_object_get(t, "map"));
        buf_printf(out, "%s (dpid %s): %s, %s, %"JSON_INTEGER_FORMAT" pushes, "
                   "%"JSON_INTEGER_FORMAT" failures, last: %s\n  map: %s\n",
                   json_string_value(json_object_get(t, "target")),
                   json_string_value(json_object_get(t, "dpid")),
                   json_string_value(json_object_get(t, "state")),
                   json_is_true(json_object_get(t, "in_sync")) ? "in sync" : "not in sync",
                   json_integer_value(json_object_get(t, "pushes")),
                   json_integer_value(json_object_get(t, "failures")),
                   json_string_value(json_object_get(t, "last_result")),
                   *map ? map : "(no VLAN: scheduler off)");
    }
}

/* Commands without arguments that reply with one of the slicer's JSON
 * documents (or its text form). */
static void
cmd_switches(struct ctl_conn *conn, int argc, const char *argv[], void *aux)
{
    (void) argc, (void) argv;
    reply_json_or_text(conn, slicer_switches_to_json(aux), format_switches);
}

static void
cmd_vlan_map(struct ctl_conn *conn, int argc, const char *argv[], void *aux)
{
    (void) argc, (void) argv;
    reply_json_or_text(conn, slicer_vlan_map_to_json(aux), format_vlan_map);
}

static void
cmd_map_status(struct ctl_conn *conn, int argc, const char *argv[], void *aux)
{
    (void) argc, (void) argv;
    reply_json_or_text(conn, slicer_map_status_to_json(aux), format_map_status);
}

int
slicer_ctl_start(struct slicer *s, struct loop *loop, const char *path, char **errp)
{
    struct ctl_server *server;
    int error = ctl_server_create(loop, path, &server, errp);
    if (error) {
        return error;
    }
    static const struct {
        const char *name;
        int min, max;
        ctl_handler *handler;
        const char *usage;
    } cmds[] = {
        { "slice/list", 0, 0, cmd_list, "" },
        { "slice/show", 1, 1, cmd_show, "NAME" },
        { "slice/add", 2, -1, cmd_add, "NAME CONTROLLER [KEY=VALUE...]" },
        { "slice/set", 2, -1, cmd_set, "NAME KEY=VALUE..." },
        { "slice/del", 1, 1, cmd_del, "NAME" },
        { "slice/set-controller", 2, 3, cmd_set_controller, "NAME TARGET [--keep-flows[=SECONDS]]" },
        { "slice/flowspace-add", 2, 2, cmd_flowspace_add, "NAME ENTRY" },
        { "slice/flowspace-del", 2, 2, cmd_flowspace_del, "NAME INDEX" },
        { "slice/stats", 0, 1, cmd_stats, "[NAME]" },
        { "slice/switches", 0, 0, cmd_switches, "" },
        { "slice/vlan-map", 0, 0, cmd_vlan_map, "" },
        { "slice/map-status", 0, 0, cmd_map_status, "" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
        ctl_server_register(server, cmds[i].name, cmds[i].min, cmds[i].max,
                            cmds[i].handler, s);
        ctl_server_set_usage(server, cmds[i].name, cmds[i].usage);
    }
    slicer_set_ctl_handle(s, server);
    return 0;
}

void
slicer_ctl_stop(struct slicer *s)
{
    ctl_server_destroy(slicer_ctl_handle(s));
    slicer_set_ctl_handle(s, NULL);
}
