/* ofproto-ctl — what `show`, `dump-flows`, ... print, and the control-socket
 * commands that call them. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include "dp/datapath.h"
#include "dp/flow-table.h"
#include "dp/port.h"
#include "net/ctl-server.h"
#include "ofp/ofp-parse.h"
#include "ofp/ofp-print.h"
#include "ofproto/ofconn.h"
#include "ofproto/ofproto-private.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/counter.h"
#include "util/util.h"

/* Text. */

static void
format_mac(const uint8_t mac[6], char s[18])
{
    snprintf(s, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
             mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

static void
counter_line(const struct counter *c, void *out_)
{
    struct buf *out = out_;
    if (!strncmp(c->name, "ofp_", 4) || !strncmp(c->name, "dp_", 3)
        || !strncmp(c->name, "table_miss", 10)) {
        buf_printf(out, "  %-32s %" PRIu64 "\n", c->name, counter_read(c));
    }
}

/* One line per port: whether partial checksums and GSO super-frames pass
 * through the port (vnet header) or are finished in software before it. */
static void
format_offloads(const struct port *port, struct buf *out)
{
    struct port_stats s;
    port_get_stats(port, &s);
    if (port_offloads(port) & PORT_OL_VNET) {
        buf_printf(out, "      offloads: vnet header (checksum, GSO passed "
                   "through); rx with offload state %" PRIu64 "\n",
                   s.rx_offloaded);
    } else {
        buf_printf(out, "      offloads: none (completed in software: %" PRIu64
                   " checksums, %" PRIu64 " super-frames segmented)\n",
                   s.tx_csum_sw, s.tx_gso_sw);
    }
}

/* The datapath type and, with the XDP fast path, its cache and counters. */
static void
format_datapath(struct ofproto *p, struct buf *out)
{
    struct dp_fastpath_stats fs;
    buf_printf(out, "datapath: %s\n", dp_type_name(dp_get_type(p->dp)));
    if (dp_get_fastpath_stats(p->dp, &fs)) {
        buf_printf(out, "  xdp fast path: %" PRIu64 " datapath flows cached (max %" PRIu64
                   "), hits %" PRIu64 ", misses %" PRIu64 ", unparsed %" PRIu64
                   ", punt failures %" PRIu64 ", policed %" PRIu64 "\n",
                   fs.n_flows, fs.max_flows, fs.hits, fs.misses, fs.unparsed,
                   fs.punt_failed, fs.policed);
        buf_printf(out, "  installs %" PRIu64 ", removals %" PRIu64
                   ", revalidations %" PRIu64 "\n",
                   fs.installs, fs.removals, fs.revalidations);
    }
}

static json_t *
datapath_json(struct ofproto *p)
{
    struct dp_fastpath_stats fs;
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string(dp_type_name(dp_get_type(p->dp))));
    if (dp_get_fastpath_stats(p->dp, &fs)) {
        json_object_set_new(o, "xdp", json_pack(
            "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
            "flows", (json_int_t) fs.n_flows, "max_flows", (json_int_t) fs.max_flows,
            "hits", (json_int_t) fs.hits, "misses", (json_int_t) fs.misses,
            "unparsed", (json_int_t) fs.unparsed,
            "punt_failed", (json_int_t) fs.punt_failed,
            "policed", (json_int_t) fs.policed,
            "installs", (json_int_t) fs.installs, "removals", (json_int_t) fs.removals,
            "revalidations", (json_int_t) fs.revalidations));
    }
    return o;
}

void
ofproto_show(struct ofproto *p, struct buf *out)
{
    buf_printf(out, "dpid %016" PRIx64 "\n", p->dpid);
    buf_printf(out, "fail mode: %s%s%s\n", ofproto_fail_mode_to_string(p->fail_mode),
               ofproto_has_controller(p) ? ""
               : " (in effect: no controller session up)",
               p->ft->emergency_mode ? " (EMERGENCY: using the emergency flow table)" : "");
    buf_printf(out, "flows: %zu (emergency table: %zu)\n",
               classifier_count(&p->ft->normal), classifier_count(&p->ft->emerg));
    format_datapath(p, out);
    buf_printf(out, "ports:\n");
    size_t n;
    struct ofport **ports = ofproto_sorted_ports(p, &n);
    for (size_t i = 0; i < n; i++) {
        struct ofp_port_h d;
        char mac[18];
        ofport_to_ofp(ports[i], &d);
        format_mac(d.hw_addr, mac);
        const char *dpt = dp_port_datapath(p->dp, d.port_no);
        buf_printf(out, "  %u(%s): %s%s, link %s, addr %s%s%s\n", d.port_no,
                   port_name(ports[i]->port), port_type(ports[i]->port),
                   dpt && !strcmp(dpt, "xdp") ? " + xdp fast path" : "",
                   dp_port_is_up(p->dp, d.port_no) ? "up" : "down", mac,
                   d.config & OFPPC_PORT_DOWN ? ", PORT_DOWN" : "",
                   d.config & OFPPC_NO_FLOOD ? ", NO_FLOOD" : "");
        format_offloads(ports[i]->port, out);
    }
    free(ports);
    buf_printf(out, "controllers:%s\n", list_is_empty(&p->controllers) ? " none" : "");
    struct ofconn *c;
    LIST_FOR_EACH (c, node, &p->controllers) {
        ofconn_format(c, out);
    }
    if (!list_is_empty(&p->mgmt)) {
        buf_printf(out, "management connections:\n");
        LIST_FOR_EACH (c, node, &p->mgmt) {
            ofconn_format(c, out);
        }
    }
    buf_printf(out, "counters:\n");
    counter_for_each(counter_line, out);
}

static void
counter_json(const struct counter *c, void *obj)
{
    if (!strncmp(c->name, "ofp_", 4) || !strncmp(c->name, "dp_", 3)
        || !strncmp(c->name, "table_miss", 10)) {
        json_object_set_new(obj, c->name, json_integer(counter_read(c)));
    }
}

json_t *
ofproto_show_json(struct ofproto *p)
{
    json_t *o = json_object();
    char dpid[17];
    snprintf(dpid, sizeof dpid, "%016" PRIx64, p->dpid);
    json_object_set_new(o, "dpid", json_string(dpid));
    json_object_set_new(o, "fail_mode", json_string(ofproto_fail_mode_to_string(p->fail_mode)));
    json_object_set_new(o, "emergency", json_boolean(p->ft->emergency_mode));
    json_object_set_new(o, "fail_mode_in_effect",
                        json_boolean(!ofproto_has_controller(p)));
    json_object_set_new(o, "flows", json_integer(classifier_count(&p->ft->normal)));
    json_object_set_new(o, "datapath", datapath_json(p));
    json_t *ports = json_array();
    size_t n;
    struct ofport **v = ofproto_sorted_ports(p, &n);
    for (size_t i = 0; i < n; i++) {
        struct ofp_port_h d;
        char mac[18];
        ofport_to_ofp(v[i], &d);
        format_mac(d.hw_addr, mac);
        json_array_append_new(ports, json_pack("{s:i, s:s, s:s, s:s, s:b, s:s, s:i}",
            "port_no", d.port_no, "name", port_name(v[i]->port),
            "type", port_type(v[i]->port), "datapath", dp_port_datapath(p->dp, d.port_no),
            "link_up", dp_port_is_up(p->dp, d.port_no),
            "hw_addr", mac, "config", (int) d.config));
        json_t *po = json_array_get(ports, json_array_size(ports) - 1);
        json_object_set_new(po, "offloads", json_string(
            port_offloads(v[i]->port) & PORT_OL_VNET ? "vnet" : "none"));
    }
    free(v);
    json_object_set_new(o, "ports", ports);
    json_t *ctls = json_array();
    struct ofconn *c;
    LIST_FOR_EACH (c, node, &p->controllers) {
        json_array_append_new(ctls, json_pack("{s:s, s:b, s:I, s:I, s:I}",
            "target", c->name, "connected", ofconn_is_connected(c),
            "rx", (json_int_t) c->n_rx, "tx", (json_int_t) c->n_tx,
            "errors_sent", (json_int_t) c->n_errors_sent));
    }
    json_object_set_new(o, "controllers", ctls);
    json_t *counters = json_object();
    counter_for_each(counter_json, counters);
    json_object_set_new(o, "counters", counters);
    return o;
}

static struct flow_entry **
all_flows(struct ofproto *p, size_t *n)
{
    struct ofp_match_h any;
    ofp_match_init_catchall(&any);
    size_t n1, n2;
    struct flow_entry **a = flow_table_collect(p->ft, &any, OFPP_NONE, false, &n1);
    struct flow_entry **b = flow_table_collect(p->ft, &any, OFPP_NONE, true, &n2);
    struct flow_entry **v = xcalloc(n1 + n2 + 1, sizeof *v);
    if (n1) {
        memcpy(v, a, n1 * sizeof *v);
    }
    if (n2) {
        memcpy(v + n1, b, n2 * sizeof *v);
    }
    free(a);
    free(b);
    *n = n1 + n2;
    return v;
}

static void
entry_to_stats(const struct flow_entry *e, struct ofp_flow_stats_h *fs)
{
    memset(fs, 0, sizeof *fs);
    fs->table_id = e->emergency ? OFPTT_EMERG : 0;
    fs->match = e->match;
    flow_entry_duration(e, clock_now_ns(), &fs->duration_sec, &fs->duration_nsec);
    fs->priority = e->priority;
    fs->idle_timeout = e->idle_timeout;
    fs->hard_timeout = e->hard_timeout;
    fs->cookie = e->cookie;
    fs->packet_count = e->packet_count;
    fs->byte_count = e->byte_count;
    fs->actions = e->actions;
    fs->n_actions = e->n_actions;
}

void
ofproto_dump_flows(struct ofproto *p, struct buf *out)
{
    size_t n;
    struct flow_entry **v = all_flows(p, &n);
    for (size_t i = 0; i < n; i++) {
        struct ofp_flow_stats_h fs;
        entry_to_stats(v[i], &fs);
        ofp_flow_stats_format(&fs, out);
        buf_put_u8(out, '\n');
    }
    free(v);
}

json_t *
ofproto_dump_flows_json(struct ofproto *p)
{
    size_t n;
    struct flow_entry **v = all_flows(p, &n);
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct flow_entry *e = v[i];
        struct ofp_flow_stats_h fs;
        entry_to_stats(e, &fs);
        char *match = ofp_match_to_string(&e->match);
        char *actions = ofp_actions_to_string(e->actions, e->n_actions);
        char cookie[24];
        snprintf(cookie, sizeof cookie, "0x%" PRIx64, e->cookie);
        json_array_append_new(a, json_pack(
            "{s:s, s:i, s:s, s:s, s:s, s:I, s:I, s:f, s:i, s:i, s:b}",
            "table", e->emergency ? "emergency" : "0", "priority", e->priority,
            "match", match, "actions", actions, "cookie", cookie,
            "n_packets", (json_int_t) e->packet_count,
            "n_bytes", (json_int_t) e->byte_count,
            "duration", fs.duration_sec + fs.duration_nsec / 1e9,
            "idle_timeout", e->idle_timeout, "hard_timeout", e->hard_timeout,
            "send_flow_rem", (e->flags & OFPFF_SEND_FLOW_REM) != 0));
        free(match);
        free(actions);
    }
    free(v);
    return a;
}

void
ofproto_dump_ports(struct ofproto *p, struct buf *out)
{
    size_t n;
    struct ofport **v = ofproto_sorted_ports(p, &n);
    buf_printf(out, "%zu ports\n", n);
    for (size_t i = 0; i < n; i++) {
        struct port_stats s;
        dp_port_get_stats(p->dp, v[i]->port_no, &s);
        buf_printf(out, "  port %2u: rx pkts=%" PRIu64 ", bytes=%" PRIu64 ", drop=%" PRIu64
                   ", errs=%" PRIu64 "\n", v[i]->port_no, s.rx_packets, s.rx_bytes,
                   s.rx_dropped, s.rx_errors);
        buf_printf(out, "           tx pkts=%" PRIu64 ", bytes=%" PRIu64 ", drop=%" PRIu64
                   ", errs=%" PRIu64 "\n", s.tx_packets, s.tx_bytes, s.tx_dropped,
                   s.tx_errors);
    }
    free(v);
}

json_t *
ofproto_dump_ports_json(struct ofproto *p)
{
    size_t n;
    struct ofport **v = ofproto_sorted_ports(p, &n);
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        struct port_stats s;
        dp_port_get_stats(p->dp, v[i]->port_no, &s);
        json_array_append_new(a, json_pack(
            "{s:i, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
            "port_no", v[i]->port_no, "name", port_name(v[i]->port),
            "rx_packets", (json_int_t) s.rx_packets, "rx_bytes", (json_int_t) s.rx_bytes,
            "rx_dropped", (json_int_t) s.rx_dropped, "rx_errors", (json_int_t) s.rx_errors,
            "tx_packets", (json_int_t) s.tx_packets, "tx_bytes", (json_int_t) s.tx_bytes,
            "tx_dropped", (json_int_t) s.tx_dropped, "tx_errors", (json_int_t) s.tx_errors));
    }
    free(v);
    return a;
}

/* Flow changes from text. */

int
ofproto_add_flow_str(struct ofproto *p, const char *flow, char **errp)
{
    struct ofp_flow_spec spec;
    int error = ofp_parse_flow(flow, &spec, errp);
    if (error) {
        return error;
    }
    struct ofp_flow_mod_h fm;
    memset(&fm, 0, sizeof fm);
    fm.match = spec.match;
    fm.cookie = spec.cookie;
    fm.command = OFPFC_ADD;
    fm.idle_timeout = spec.idle_timeout;
    fm.hard_timeout = spec.hard_timeout;
    fm.priority = spec.priority;
    fm.buffer_id = OFP_NO_BUFFER;
    fm.out_port = OFPP_NONE;
    fm.actions = spec.actions;
    fm.n_actions = spec.n_actions;
    struct ofp_error err;
    error = ofproto_flow_mod(p, &fm, &err);
    if (error && errp) {
        char name[96];
        *errp = xasprintf("flow refused: %s", ofp_error_format(err, name, sizeof name));
    }
    ofp_flow_spec_uninit(&spec);
    return error;
}

int
ofproto_del_flows_str(struct ofproto *p, const char *match, char **errp)
{
    struct ofp_flow_mod_h fm;
    memset(&fm, 0, sizeof fm);
    int error = ofp_parse_match(match, &fm.match, errp);
    if (error) {
        return error;
    }
    size_t before = classifier_count(&p->ft->normal);
    fm.command = OFPFC_DELETE;
    fm.buffer_id = OFP_NO_BUFFER;
    fm.out_port = OFPP_NONE;
    struct ofp_error err;
    error = ofproto_flow_mod(p, &fm, &err);
    if (error) {
        if (errp) {
            char name[96];
            *errp = xasprintf("delete refused: %s", ofp_error_format(err, name, sizeof name));
        }
        return error;
    }
    return (int) (before - classifier_count(&p->ft->normal));
}

/* Dummy ports. */

static int
find_port(struct ofproto *p, uint16_t port_no, struct ofport **opp, char **errp)
{
    *opp = ofproto_get_port(p, port_no);
    if (!*opp) {
        if (errp) {
            *errp = xasprintf("no port %u", port_no);
        }
        return -ENOENT;
    }
    return 0;
}

int
ofproto_inject(struct ofproto *p, uint16_t port_no, const void *frame,
               size_t len, char **errp)
{
    struct ofport *op;
    int error = find_port(p, port_no, &op, errp);
    if (!error) {
        error = port_dummy_inject(op->port, frame, len);
        if (error && errp) {
            *errp = xasprintf("port %u (%s): cannot inject: %s%s", port_no,
                              port_name(op->port), strerror(-error),
                              error == -EINVAL ? " (not a dummy port, or bad frame length)" : "");
        }
        if (!error) {
            /* Forward it now, so the reply to `inject` comes after. */
            ofproto_dp_run(p);
        }
    }
    return error;
}

int
ofproto_pop_sent(struct ofproto *p, uint16_t port_no, struct buf *out, char **errp)
{
    struct ofport *op;
    int error = find_port(p, port_no, &op, errp);
    if (error) {
        return error;
    }
    struct buf frame;
    buf_init(&frame, 2048);
    int n = 0;
    while (!(error = port_dummy_pop_sent(op->port, &frame))) {
        char *hex = hex_encode(frame.data, frame.size);
        buf_printf(out, "%s\n", hex);
        free(hex);
        n++;
    }
    buf_uninit(&frame);
    if (error != -EAGAIN) {
        if (errp) {
            *errp = xasprintf("port %u (%s): %s", port_no, port_name(op->port),
                              error == -EINVAL ? "not a dummy port" : strerror(-error));
        }
        return error;
    }
    return n;
}

int
ofproto_set_link(struct ofproto *p, uint16_t port_no, bool up, char **errp)
{
    struct ofport *op;
    int error = find_port(p, port_no, &op, errp);
    if (!error) {
        error = port_dummy_set_link(op->port, up);
        if (error) {
            if (errp) {
                *errp = xasprintf("port %u (%s): not a dummy port", port_no,
                                  port_name(op->port));
            }
        }
    }
    return error;
}

/* Control-socket commands. */

static int
parse_port(struct ctl_conn *conn, const char *s, uint16_t *port_no)
{
    uint64_t v;
    if (str_to_u64(s, 1, OFPP_MAX - 1, &v)) {
        char *msg = xasprintf("bad port number '%s' (expected 1..%u)", s, OFPP_MAX - 1);
        ctl_reply_error(conn, msg);
        free(msg);
        return -EINVAL;
    }
    *port_no = v;
    return 0;
}

static void
reply_result(struct ctl_conn *conn, int error, char *errmsg, const char *ok)
{
    if (error < 0) {
        ctl_reply_error(conn, errmsg ? errmsg : strerror(-error));
    } else {
        ctl_reply_ok(conn, ok);
    }
    free(errmsg);
}

static void
cmd_show(struct ctl_conn *conn, int argc, const char *argv[], void *p)
{
    (void) argc;
    (void) argv;
    if (ctl_conn_wants_json(conn)) {
        ctl_reply_json(conn, ofproto_show_json(p));
        return;
    }
    struct buf out;
    buf_init(&out, 1024);
    ofproto_show(p, &out);
    ctl_reply_ok(conn, buf_cstr(&out));
    buf_uninit(&out);
}

static void
cmd_dump_flows(struct ctl_conn *conn, int argc, const char *argv[], void *p)
{
    (void) argc;
    (void) argv;
    struct ofproto *ofp = p;
    dp_sync_flow_stats(ofp->dp);        /* Counters include kernel hits. */
    if (ctl_conn_wants_json(conn)) {
        ctl_reply_json(conn, ofproto_dump_flows_json(p));
        return;
    }
    struct buf out;
    buf_init(&out, 1024);
    ofproto_dump_flows(p, &out);
    struct dp_fastpath_stats fs;
    if (dp_get_fastpath_stats(ofp->dp, &fs)) {
        buf_printf(&out, "xdp fast path: %" PRIu64 " datapath flows cached, "
                   "hits %" PRIu64 ", misses %" PRIu64 "\n",
                   fs.n_flows, fs.hits, fs.misses);
    }
    ctl_reply_ok(conn, buf_cstr(&out));
    buf_uninit(&out);
}

static void
cmd_dump_ports(struct ctl_conn *conn, int argc, const char *argv[], void *p)
{
    (void) argc;
    (void) argv;
    if (ctl_conn_wants_json(conn)) {
        ctl_reply_json(conn, ofproto_dump_ports_json(p));
        return;
    }
    struct buf out;
    buf_init(&out, 1024);
    ofproto_dump_ports(p, &out);
    ctl_reply_ok(conn, buf_cstr(&out));
    buf_uninit(&out);
}

static void
cmd_add_flow(struct ctl_conn *conn, int argc, const char *argv[], void *p)
{
    char *err = NULL;
    struct buf flow;
    buf_init(&flow, 256);
    for (int i = 1; i < argc; i++) {
        buf_printf(&flow, "%s%s", i > 1 ? " " : "", argv[i]);
    }
    int error = ofproto_add_flow_str(p, buf_cstr(&flow), &err);
    buf_uninit(&flow);
    reply_result(conn, error, err, NULL);
}

static void
cmd_del_flows(struct ctl_conn *conn, int argc, const char *argv[], void *p)
{
    char *err = NULL;
    int n = ofproto_del_flows_str(p, argc > 1 ? argv[1] : "", &err);
    if (n < 0) {
        reply_result(conn, n, err, NULL);
        return;
    }
    char *text = xasprintf("%d flows deleted", n);
    ctl_reply_ok(conn, text);
    free(text);
}

static void
cmd_inject(struct ctl_conn *conn, int argc, const char *argv[], void *p)
{
    uint16_t port_no;
    (void) argc;
    if (parse_port(conn, argv[1], &port_no)) {
        return;
    }
    uint8_t *frame;
    int len = hex_decode(argv[2], &frame);
    if (len < 0) {
        ctl_reply_error(conn, "the frame is not hexadecimal");
        return;
    }
    char *err = NULL;
    int error = ofproto_inject(p, port_no, frame, len, &err);
    free(frame);
    reply_result(conn, error, err, NULL);
}

static void
cmd_pop_sent(struct ctl_conn *conn, int argc, const char *argv[], void *p)
{
    uint16_t port_no;
    (void) argc;
    if (parse_port(conn, argv[1], &port_no)) {
        return;
    }
    struct buf out;
    buf_init(&out, 1024);
    char *err = NULL;
    int n = ofproto_pop_sent(p, port_no, &out, &err);
    if (n < 0) {
        reply_result(conn, n, err, NULL);
    } else if (ctl_conn_wants_json(conn)) {
        json_t *a = json_array();
        char *save = NULL;
        for (char *line = strtok_r((char *) buf_cstr(&out), "\n", &save); line;
             line = strtok_r(NULL, "\n", &save)) {
            json_array_append_new(a, json_string(line));
        }
        ctl_reply_json(conn, a);
    } else {
        ctl_reply_ok(conn, buf_cstr(&out));
    }
    buf_uninit(&out);
}

static void
cmd_set_link(struct ctl_conn *conn, int argc, const char *argv[], void *p)
{
    uint16_t port_no;
    (void) argc;
    if (parse_port(conn, argv[1], &port_no)) {
        return;
    }
    bool up;
    if (!strcmp(argv[2], "up")) {
        up = true;
    } else if (!strcmp(argv[2], "down")) {
        up = false;
    } else {
        ctl_reply_error(conn, "expected 'up' or 'down'");
        return;
    }
    char *err = NULL;
    reply_result(conn, ofproto_set_link(p, port_no, up, &err), err, NULL);
}

static void
cmd_add_port(struct ctl_conn *conn, int argc, const char *argv[], void *p)
{
    /* add-port [N=]SPEC */
    uint16_t port_no = 0;
    const char *spec = argv[1];
    const char *eq = strchr(spec, '=');
    (void) argc;
    if (eq) {
        char *num = xstrndup(spec, eq - spec);
        int error = parse_port(conn, num, &port_no);
        free(num);
        if (error) {
            return;
        }
        spec = eq + 1;
    }
    char *err = NULL;
    int error = ofproto_add_port(p, port_no, spec, &err);
    reply_result(conn, error, err, NULL);
}

static void
cmd_del_port(struct ctl_conn *conn, int argc, const char *argv[], void *p)
{
    uint16_t port_no;
    (void) argc;
    if (parse_port(conn, argv[1], &port_no)) {
        return;
    }
    int error = ofproto_del_port(p, port_no);
    reply_result(conn, error, error ? xasprintf("no port %u", port_no) : NULL, NULL);
}

static void
cmd_run_timers(struct ctl_conn *conn, int argc, const char *argv[], void *p)
{
    (void) argc;
    (void) argv;
    ofproto_run_timers(p);
    ctl_reply_ok(conn, NULL);
}

void
ofproto_ctl_register(struct ofproto *p, struct ctl_server *s)
{
    static const struct {
        const char *name, *usage;
        int min, max;
        ctl_handler *cb;
    } cmds[] = {
        { "show", "", 0, 0, cmd_show },
        { "dump-flows", "", 0, 0, cmd_dump_flows },
        { "dump-ports", "", 0, 0, cmd_dump_ports },
        { "add-flow", "FLOW", 1, -1, cmd_add_flow },
        { "del-flows", "[MATCH]", 0, 1, cmd_del_flows },
        { "inject", "PORT HEXFRAME", 2, 2, cmd_inject },
        { "pop-sent", "PORT", 1, 1, cmd_pop_sent },
        { "port/set-link", "PORT up|down", 2, 2, cmd_set_link },
        { "add-port", "[N=]SPEC", 1, 1, cmd_add_port },
        { "del-port", "PORT", 1, 1, cmd_del_port },
        { "run-timers", "", 0, 0, cmd_run_timers },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
        ctl_server_register(s, cmds[i].name, cmds[i].min, cmds[i].max, cmds[i].cb, p);
        ctl_server_set_usage(s, cmds[i].name, cmds[i].usage);
    }
    ofproto_slice_ctl_register(p, s);
}
