/* ofproto-slice — plural-switchd's control commands for per-slice fair
 * scheduling of its data plane (dp/slice-sched.h), written by the slicing
 * area.  plural-slicer derives the VLAN -> slice map from its flowspace
 * (`plural slice vlan-map`) and `plural slice push-map` sends it here:
 *
 *   slice/map ID:NAME:WEIGHT:VLAN[,VLAN...] ...   replaces the map and
 *                       enables the scheduler (ID 1..63; VLAN 0-4095 or
 *                       "untagged"); frames of unmapped VLANs are slice 0
 *   slice/map-clear     disables the scheduler (the default datapath path)
 *   slice/budget N      frames forwarded per datapath pass (0: 64 per port)
 *   slice/stats         per slice: weight, packets, bytes, drops, CPU time
 *                       and CPU share (JSON with --json)
 *
 * One scheduler per process (plural-switchd runs one switch); it lives
 * until exit.  Runs in the switch's loop thread like every handler. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "dp/datapath.h"
#include "dp/slice-sched.h"
#include "net/ctl-server.h"
#include "ofproto/ofproto-private.h"
#include "util/buf.h"
#include "util/util.h"

static struct slice_sched *the_sched;
static char slice_names[SLICE_SCHED_MAX_SLICES][32];
static size_t sched_budget;

/* Queued frames are the datapath's copies. */
static void
release_frame(struct packet *p, void *aux)
{
    (void) aux;
    packet_destroy(p);
}

static int
parse_entry(struct slice_sched *s, const char *arg, char **errp)
{
    char *copy = xstrdup(arg);
    char *save = NULL;
    char *id_s = strtok_r(copy, ":", &save);
    char *name = strtok_r(NULL, ":", &save);
    char *weight_s = strtok_r(NULL, ":", &save);
    char *vlans = strtok_r(NULL, ":", &save);
    uint64_t id, weight;
    int error = 0;

    if (!vlans || str_to_u64(id_s, 1, SLICE_SCHED_MAX_SLICES - 1, &id)
        || str_to_u64(weight_s, 1, 1000, &weight) || strlen(name) >= sizeof slice_names[0]) {
        *errp = xasprintf("bad slice \"%s\" (expected ID:NAME:WEIGHT:VLAN[,VLAN...], "
                          "ID 1-63, WEIGHT 1-1000)", arg);
        free(copy);
        return -EINVAL;
    }
    slice_sched_set_weight(s, (uint32_t) id, (uint32_t) weight);
    snprintf(slice_names[id], sizeof slice_names[id], "%s", name);
    for (char *vs = NULL, *v = strtok_r(vlans, ",", &vs); v; v = strtok_r(NULL, ",", &vs)) {
        uint64_t vid;
        if (!strcmp(v, "untagged")) {
            vid = 0xffff;
        } else if (str_to_u64(v, 0, 4095, &vid)) {
            *errp = xasprintf("bad VLAN \"%s\" in \"%s\"", v, arg);
            error = -EINVAL;
            break;
        }
        slice_sched_map_vlan(s, (uint16_t) vid, (uint32_t) id);
    }
    free(copy);
    return error;
}

static void
cmd_map(struct ctl_conn *conn, int argc, const char *argv[], void *p_)
{
    struct ofproto *p = p_;
    struct slice_sched *s = the_sched ? the_sched
                            : slice_sched_create(0, 0, release_frame, NULL);
    char *err = NULL;

    slice_sched_clear_map(s);
    memset(slice_names, 0, sizeof slice_names);
    snprintf(slice_names[0], sizeof slice_names[0], "(unsliced)");
    for (int i = 1; i < argc; i++) {
        if (parse_entry(s, argv[i], &err)) {
            slice_sched_clear_map(s);
            if (!the_sched) {
                slice_sched_destroy(s);
            }
            ctl_reply_error(conn, err);
            free(err);
            return;
        }
    }
    the_sched = s;
    dp_set_slice_sched(p->dp, s, sched_budget);
    ctl_reply_ok(conn, NULL);
}

static void
cmd_map_clear(struct ctl_conn *conn, int argc, const char *argv[], void *p_)
{
    struct ofproto *p = p_;
    (void) argc;
    (void) argv;
    dp_set_slice_sched(p->dp, NULL, 0);
    if (the_sched) {
        slice_sched_flush(the_sched);       /* Frees the queued copies. */
    }
    ctl_reply_ok(conn, NULL);
}

static void
cmd_budget(struct ctl_conn *conn, int argc, const char *argv[], void *p_)
{
    struct ofproto *p = p_;
    uint64_t n;
    (void) argc;
    if (str_to_u64(argv[1], 0, 1000000, &n)) {
        ctl_reply_error(conn, "budget: expected 0-1000000 frames");
        return;
    }
    sched_budget = (size_t) n;
    if (dp_slice_sched(p->dp)) {
        dp_set_slice_sched(p->dp, the_sched, sched_budget);
    }
    ctl_reply_ok(conn, NULL);
}

static void
cmd_stats(struct ctl_conn *conn, int argc, const char *argv[], void *p_)
{
    struct ofproto *p = p_;
    (void) argc;
    (void) argv;
    json_t *a = json_array();
    uint64_t cpu_total = 0;
    if (the_sched) {
        for (uint32_t id = 0; id < SLICE_SCHED_MAX_SLICES; id++) {
            struct slice_sched_stats st;
            slice_sched_get_stats(the_sched, id, &st);
            cpu_total += st.cpu_ns;
        }
        for (uint32_t id = 0; id < SLICE_SCHED_MAX_SLICES; id++) {
            struct slice_sched_stats st;
            slice_sched_get_stats(the_sched, id, &st);
            struct dp_slice_fast_stats fs;
            dp_get_slice_fast_stats(p->dp, id, &fs);
            if (!slice_names[id][0] && !st.rx_packets && !st.drops && !fs.offered
                && !fs.upcalls) {
                continue;
            }
            json_t *e = json_pack("{s:i, s:s, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:f}",
                "id", (int) id, "name", slice_names[id][0] ? slice_names[id] : "?",
                "weight", (int) st.weight,
                "rx_packets", (json_int_t) st.rx_packets, "rx_bytes", (json_int_t) st.rx_bytes,
                "tx_packets", (json_int_t) st.tx_packets, "tx_bytes", (json_int_t) st.tx_bytes,
                "drops", (json_int_t) st.drops, "cpu_ns", (json_int_t) st.cpu_ns,
                "cpu_share", cpu_total ? (double) st.cpu_ns / (double) cpu_total : 0.0);
            /* Where else a slice's frames can be dropped: by its slow-path
             * policer in the XDP fast path, when the AF_XDP ring was full,
             * and in the upcall queue. */
            json_object_set_new(e, "xdp", json_pack("{s:I, s:I, s:I, s:I, s:I}",
                "offered", (json_int_t) fs.offered, "policed", (json_int_t) fs.policed,
                "punted", (json_int_t) fs.punted, "punt_failed", (json_int_t) fs.punt_failed,
                "policer_pps", (json_int_t) fs.policer_pps));
            json_object_set_new(e, "upcalls", json_pack("{s:I, s:I, s:I}",
                "queued", (json_int_t) fs.upcalls,
                "delivered", (json_int_t) fs.upcalls_delivered,
                "dropped", (json_int_t) fs.upcall_drops));
            json_array_append_new(a, e);
        }
    }
    if (ctl_conn_wants_json(conn)) {
        json_t *j = json_pack("{s:b, s:o}", "enabled", dp_slice_sched(p->dp) != NULL, "slices", a);
        ctl_reply_json(conn, j);
        return;
    }
    struct buf out = BUF_EMPTY;
    buf_printf(&out, "scheduler: %s\n", dp_slice_sched(p->dp) ? "enabled" : "disabled");
    buf_printf(&out, "%-3s %-12s %-6s %12s %14s %12s %12s %8s %12s %12s %10s %12s %10s\n",
               "ID", "SLICE", "WEIGHT", "TX_PACKETS", "TX_BYTES", "DROPS", "CPU_NS", "CPU_%",
               "XDP_OFFERED", "XDP_POLICED", "RING_FULL", "UPCALL_DROP", "POLICE_PPS");
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *e = json_array_get(a, i);
        buf_printf(&out, "%-3"JSON_INTEGER_FORMAT" %-12s %-6"JSON_INTEGER_FORMAT" %12"JSON_INTEGER_FORMAT
                   " %14"JSON_INTEGER_FORMAT" %12"JSON_INTEGER_FORMAT" %12"JSON_INTEGER_FORMAT" %7.1f%%",
                   json_integer_value(json_object_get(e, "id")),
                   json_string_value(json_object_get(e, "name")),
                   json_integer_value(json_object_get(e, "weight")),
                   json_integer_value(json_object_get(e, "tx_packets")),
                   json_integer_value(json_object_get(e, "tx_bytes")),
                   json_integer_value(json_object_get(e, "drops")),
                   json_integer_value(json_object_get(e, "cpu_ns")),
                   100 * json_real_value(json_object_get(e, "cpu_share")));
        json_t *x = json_object_get(e, "xdp"), *u = json_object_get(e, "upcalls");
        buf_printf(&out, " %12"JSON_INTEGER_FORMAT" %12"JSON_INTEGER_FORMAT" %10"JSON_INTEGER_FORMAT
                   " %12"JSON_INTEGER_FORMAT" %10"JSON_INTEGER_FORMAT"\n",
                   json_integer_value(json_object_get(x, "offered")),
                   json_integer_value(json_object_get(x, "policed")),
                   json_integer_value(json_object_get(x, "punt_failed")),
                   json_integer_value(json_object_get(u, "dropped")),
                   json_integer_value(json_object_get(x, "policer_pps")));
    }
    json_decref(a);
    ctl_reply_ok(conn, buf_cstr(&out));
    buf_uninit(&out);
}

void
ofproto_slice_ctl_register(struct ofproto *p, struct ctl_server *s)
{
    ctl_server_register(s, "slice/map", 0, -1, cmd_map, p);
    ctl_server_set_usage(s, "slice/map", "ID:NAME:WEIGHT:VLAN[,VLAN...]...");
    ctl_server_register(s, "slice/map-clear", 0, 0, cmd_map_clear, p);
    ctl_server_register(s, "slice/budget", 1, 1, cmd_budget, p);
    ctl_server_set_usage(s, "slice/budget", "FRAMES");
    ctl_server_register(s, "slice/stats", 0, 0, cmd_stats, p);
}
