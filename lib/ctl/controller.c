/* controller — listeners, connections, timers and control commands of
 * plural-controller; see controller.h. */
#include "ctl/ctl-private.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "net/ctl-server.h"
#include "net/event-loop.h"
#include "net/listener.h"
#include "net/rconn.h"
#include "net/stream.h"
#include "util/clock.h"
#include "util/log.h"

LOG_MODULE(controller);

enum { CTL_TICK_MS = 100, CTL_DEFAULT_PROBE_MS = 5000 };

struct app_cmd_binding {
    struct controller *ctl;
    const struct ctl_app_command *cmd;
};

static void controller_reap(struct controller *);

/* The app's view of the switches: UP ones only. */
struct ctl_switch *
ctl_app_next_switch(const struct ctl_app *app, const struct ctl_switch *after)
{
    const struct controller *ctl = app->controller;
    const struct list *n = after ? after->node.next : ctl->switches.next;
    for (; n != &ctl->switches; n = n->next) {
        struct ctl_switch *sw = CONTAINER_OF(n, struct ctl_switch, node);
        if (sw->state == CTL_SW_UP) {
            return sw;
        }
    }
    return NULL;
}

struct ctl_switch *
ctl_app_first_switch(const struct ctl_app *app)
{
    return ctl_app_next_switch(app, NULL);
}

void
ctl_app_wake_at(struct ctl_app *app, uint64_t when_ms)
{
    struct controller *ctl = app->controller;
    ctl->app_wake_ms = MIN(ctl->app_wake_ms, when_ms);
}

struct ctl_app *controller_app(const struct controller *ctl) { return ctl->app; }
uint64_t controller_cookie(const struct controller *ctl) { return ctl->cookie; }

size_t
controller_n_switches(const struct controller *ctl)
{
    size_t n = 0;
    const struct ctl_switch *sw;
    LIST_FOR_EACH (sw, node, &ctl->switches) {
        n += sw->state == CTL_SW_UP;
    }
    return n;
}

uint16_t
controller_listen_port(const struct controller *ctl)
{
    for (size_t i = 0; i < ctl->n_listeners; i++) {
        uint16_t p = listener_port(ctl->listeners[i]);
        if (p) {
            return p;
        }
    }
    return 0;
}

void
controller_flush(struct controller *ctl)
{
    while (!list_is_empty(&ctl->dirty)) {
        struct ctl_switch *sw = CONTAINER_OF(ctl->dirty.next, struct ctl_switch, dirty_node);
        ctl_switch_flush(sw);
        if (sw->dirty && sw->stream) {
            /* Back-pressure: retried when writable; leave the list. */
            list_remove(&sw->dirty_node);
            sw->dirty = false;
        }
    }
    controller_reap(ctl);
}

void
controller_run(struct controller *ctl)
{
    uint64_t now = clock_now_ms();
    struct ctl_switch *sw;
    LIST_FOR_EACH (sw, node, &ctl->switches) {
        ctl_switch_check_timers(sw, now);
    }
    struct ctl_app *app = ctl->app;
    if (app && app->class->run && now >= ctl->app_wake_ms) {
        ctl->app_wake_ms = UINT64_MAX;
        uint64_t next = app->class->run(app, now);
        ctl->app_wake_ms = MIN(ctl->app_wake_ms, next);
    }
    controller_flush(ctl);
}

/* Frees dead passive switches; resets dead active ones for reconnection. */
static void
controller_reap(struct controller *ctl)
{
    struct ctl_switch *sw, *next;
    LIST_FOR_EACH_SAFE (sw, next, node, &ctl->switches) {
        if (sw->state != CTL_SW_DEAD) {
            continue;
        }
        if (sw->rconn) {
            buf_clear(&sw->rx);
            buf_clear(&sw->tx);
            sw->state = CTL_SW_DOWN;
            rconn_reconnect(sw->rconn);
        } else if (sw->stream) {
            if (sw->tx.size) {
                /* Best effort: the error message that explains why. */
                stream_send(sw->stream, sw->tx.data, sw->tx.size);
                stream_run(sw->stream);
            }
            ctl_switch_free(sw);
        }
    }
}

/* Passive connections. */

static void
switch_fd_cb(struct loop *loop, int fd, unsigned int events, void *sw_)
{
    struct ctl_switch *sw = sw_;
    struct controller *ctl = sw->ctl;
    (void) loop;
    (void) fd;
    if (sw->state == CTL_SW_DEAD) {
        return;
    }
    if (events & LOOP_WRITE) {
        if (stream_run(sw->stream) < 0) {
            ctl_switch_kill(sw, "connection lost");
        } else if (sw->tx.size) {
            ctl_switch_flush(sw);
        }
    }
    if ((events & (LOOP_READ | LOOP_ERROR)) && sw->state != CTL_SW_DEAD) {
        for (int round = 0; round < 16 && sw->state != CTL_SW_DEAD && ctl_switch_may_read(sw);
             round++) {
            buf_reserve(&sw->rx, 65536);
            size_t room = sw->rx.allocated - (size_t) (sw->rx.data - sw->rx.base) - sw->rx.size;
            ssize_t n = stream_recv(sw->stream, sw->rx.data + sw->rx.size, room);
            if (n > 0) {
                sw->rx.size += (size_t) n;
                ctl_switch_process_rx(sw);
                if ((size_t) n < room) {
                    break;
                }
            } else if (n == 0) {
                ctl_switch_kill(sw, "connection closed by peer");
            } else if (n == -EAGAIN) {
                break;
            } else {
                ctl_switch_kill(sw, "receive error");
            }
        }
    }
    controller_flush(ctl);
}

/* One accepted switch (the connection cap, EMFILE back-off and handshake
 * timeout are lib/net/listener.c's; the stream keeps its default, bounded
 * send queue). */
static void
accept_cb(struct listener *l, struct stream *s, void *ctl_)
{
    static struct log_ratelimit rl = LOG_RATELIMIT_INIT(20, 10);
    struct controller *ctl = ctl_;
    (void) l;
    struct ctl_switch *sw = ctl_switch_alloc(ctl, stream_name(s));
    sw->stream = s;
    if (loop_add_fd(ctl->loop, stream_fd(s), stream_wanted_events(s), switch_fd_cb, sw) == 0) {
        sw->fd_registered = true;
    }
    LOG_RL(&rl, LOG_LEVEL_INFO, "%s: switch connected", sw->name);
    ctl_switch_start_handshake(sw);
    controller_flush(ctl);
}

/* Active connections. */

static void
rconn_connected(struct rconn *rc, void *sw_)
{
    struct ctl_switch *sw = sw_;
    (void) rc;
    buf_clear(&sw->rx);
    buf_clear(&sw->tx);
    LOG_INFO("%s: connected", sw->name);
    ctl_switch_start_handshake(sw);
}

static void
rconn_message(struct rconn *rc, struct buf *msg, void *sw_)
{
    struct ctl_switch *sw = sw_;
    (void) rc;
    if (sw->state != CTL_SW_DEAD && sw->state != CTL_SW_DOWN && msg->size >= sizeof(struct ofp_header)) {
        ctl_switch_receive(sw, msg->data, msg->size);
    }
    buf_delete(msg);
    /* Not controller_flush(): reaping may call rconn_reconnect(), which an
     * rconn callback must not; the tick reaps. */
    struct ctl_switch *d = sw;
    if (d->dirty) {
        list_remove(&d->dirty_node);
        d->dirty = false;
        ctl_switch_flush(d);
    }
}

static void
rconn_disconnected(struct rconn *rc, int error, void *sw_)
{
    struct ctl_switch *sw = sw_;
    (void) rc;
    LOG_INFO("%s: disconnected (%s)", sw->name, error ? strerror(-error) : "closed");
    if (sw->state != CTL_SW_DEAD) {
        ctl_switch_went_down(sw);
    }
    buf_clear(&sw->rx);
    buf_clear(&sw->tx);
    sw->state = CTL_SW_DOWN;
}

static const struct rconn_callbacks ctl_rconn_cbs = {
    rconn_connected, rconn_message, rconn_disconnected,
};

static int64_t
tick_cb(struct loop *loop, uint64_t id, void *ctl_)
{
    (void) loop;
    (void) id;
    controller_run(ctl_);
    return CTL_TICK_MS;
}

/* Control commands. */

static json_t *
switch_json(const struct ctl_switch *sw)
{
    static const char *const states[] = { "hello", "features", "up", "down", "dead" };
    char dpid[17];
    snprintf(dpid, sizeof dpid, "%016"PRIx64, sw->dpid);
    json_t *ports = json_array();
    for (size_t i = 0; i < sw->n_ports; i++) {
        const struct ofp_port_h *p = &sw->ports[i];
        char mac[18];
        snprintf(mac, sizeof mac, "%02x:%02x:%02x:%02x:%02x:%02x", p->hw_addr[0],
                 p->hw_addr[1], p->hw_addr[2], p->hw_addr[3], p->hw_addr[4], p->hw_addr[5]);
        json_array_append_new(ports, json_pack("{s:i,s:s,s:s,s:b}", "port_no", (int) p->port_no,
                                               "name", p->name, "hw_addr", mac,
                                               "link_up", !(p->state & OFPPS_LINK_DOWN)));
    }
    const struct ctl_switch_stats *s = &sw->stats;
    return json_pack("{s:s,s:s,s:s,s:o,s:{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}}",
                     "dpid", dpid, "peer", sw->name, "state", states[sw->state],
                     "ports", ports, "stats",
                     "rx_msgs", (json_int_t) s->rx_msgs, "tx_msgs", (json_int_t) s->tx_msgs,
                     "packet_in", (json_int_t) s->packet_ins,
                     "flow_mod", (json_int_t) s->flow_mods,
                     "packet_out", (json_int_t) s->packet_outs,
                     "flow_removed", (json_int_t) s->flow_removed,
                     "errors", (json_int_t) s->errors_received,
                     "flows_tracked", (json_int_t) hmap_count(&sw->flows));
}

static void
cmd_show(struct ctl_conn *conn, int argc, const char *argv[], void *ctl_)
{
    struct controller *ctl = ctl_;
    (void) argc;
    (void) argv;
    json_t *sws = json_array();
    struct ctl_switch *sw;
    LIST_FOR_EACH (sw, node, &ctl->switches) {
        json_array_append_new(sws, switch_json(sw));
    }
    if (ctl_conn_wants_json(conn)) {
        ctl_reply_json(conn, json_pack("{s:s,s:I,s:o}", "app", ctl->app->class->name,
                                       "cookie", (json_int_t) ctl->cookie, "switches", sws));
        return;
    }
    struct buf out;
    buf_init(&out, 256);
    buf_printf(&out, "app: %s (%s)\nswitches: %zu up\n", ctl->app->class->name,
               ctl->app->class->summary, controller_n_switches(ctl));
    size_t i;
    json_t *j;
    json_array_foreach (sws, i, j) {
        json_t *st = json_object_get(j, "stats");
        buf_printf(&out, "  %s %s %s ports=%zu packet_in=%"JSON_INTEGER_FORMAT
                   " flow_mod=%"JSON_INTEGER_FORMAT" packet_out=%"JSON_INTEGER_FORMAT
                   " errors=%"JSON_INTEGER_FORMAT" flows=%"JSON_INTEGER_FORMAT"\n",
                   json_string_value(json_object_get(j, "dpid")),
                   json_string_value(json_object_get(j, "peer")),
                   json_string_value(json_object_get(j, "state")),
                   json_array_size(json_object_get(j, "ports")),
                   json_integer_value(json_object_get(st, "packet_in")),
                   json_integer_value(json_object_get(st, "flow_mod")),
                   json_integer_value(json_object_get(st, "packet_out")),
                   json_integer_value(json_object_get(st, "errors")),
                   json_integer_value(json_object_get(st, "flows_tracked")));
    }
    json_decref(sws);
    ctl_reply_ok(conn, buf_cstr(&out));
    buf_uninit(&out);
}

static void
reply_json_or_text(struct ctl_conn *conn, json_t *j)
{
    if (ctl_conn_wants_json(conn)) {
        ctl_reply_json(conn, j);
    } else {
        char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        ctl_reply_ok(conn, s ? s : "");
        free(s);
        json_decref(j);
    }
}

static void
cmd_dump(struct ctl_conn *conn, int argc, const char *argv[], void *ctl_)
{
    struct controller *ctl = ctl_;
    (void) argc;
    (void) argv;
    if (!ctl->app->class->dump) {
        ctl_reply_error(conn, "this app has no state to dump");
        return;
    }
    reply_json_or_text(conn, ctl->app->class->dump(ctl->app));
}

static void
cmd_snapshot(struct ctl_conn *conn, int argc, const char *argv[], void *ctl_)
{
    struct controller *ctl = ctl_;
    (void) argc;
    (void) argv;
    if (!ctl->app->class->snapshot) {
        ctl_reply_error(conn, "this app has no snapshot");
        return;
    }
    json_t *j = ctl->app->class->snapshot(ctl->app);
    if (ctl_conn_wants_json(conn)) {
        ctl_reply_json(conn, j);
    } else {
        char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
        ctl_reply_ok(conn, s ? s : "");
        free(s);
        json_decref(j);
    }
}

static void
cmd_restore(struct ctl_conn *conn, int argc, const char *argv[], void *ctl_)
{
    struct controller *ctl = ctl_;
    (void) argc;
    if (!ctl->app->class->restore) {
        ctl_reply_error(conn, "this app cannot restore state");
        return;
    }
    json_error_t jerr;
    json_t *j = json_load_file(argv[1], 0, &jerr);
    if (!j) {
        char *msg = xasprintf("%s:%d: %s", argv[1], jerr.line, jerr.text);
        ctl_reply_error(conn, msg);
        free(msg);
        return;
    }
    char *err = NULL;
    int r = ctl->app->class->restore(ctl->app, j, &err);
    json_decref(j);
    if (r) {
        ctl_reply_error(conn, err ? err : "restore failed");
    } else {
        ctl_reply_ok(conn, "state restored\n");
    }
    free(err);
    controller_flush(ctl);
}

static void
cmd_reconfigure(struct ctl_conn *conn, int argc, const char *argv[], void *ctl_)
{
    struct controller *ctl = ctl_;
    const char *path = argc > 1 ? argv[1] : ctl->config_path;
    if (!ctl->app->class->reconfigure) {
        ctl_reply_error(conn, "this app cannot be reconfigured at run time");
        return;
    }
    char *err = NULL;
    int r = ctl->app->class->reconfigure(ctl->app, path, &err);
    if (r) {
        ctl_reply_error(conn, err ? err : "reconfiguration failed");
    } else {
        if (path && path != ctl->config_path) {
            free(ctl->config_path);
            ctl->config_path = xstrdup(path);
        }
        ctl_reply_ok(conn, "reconfigured\n");
    }
    free(err);
    controller_flush(ctl);
}

static void
cmd_flows(struct ctl_conn *conn, int argc, const char *argv[], void *ctl_)
{
    struct controller *ctl = ctl_;
    uint64_t want = 0;
    bool filter = argc > 1;
    if (filter && str_to_u64(argv[1], 0, UINT64_MAX, &want)) {
        char *m = xasprintf("bad datapath id \"%s\" (decimal or 0x-hex)", argv[1]);
        ctl_reply_error(conn, m);
        free(m);
        return;
    }
    if (!ctl->app->class->track_flows) {
        char *m = xasprintf("app %s does not track the flows it installs "
                            "(see `plural ctl show` for flow_mod counts and "
                            "`plural ctl dump` for its tables)", ctl->app->class->name);
        ctl_reply_error(conn, m);
        free(m);
        return;
    }
    json_t *all = json_array();
    struct buf out;
    buf_init(&out, 256);
    struct ctl_switch *sw;
    LIST_FOR_EACH (sw, node, &ctl->switches) {
        if (sw->state != CTL_SW_UP || (filter && sw->dpid != want)) {
            continue;
        }
        char dpid[17];
        snprintf(dpid, sizeof dpid, "%016"PRIx64, sw->dpid);
        json_array_append_new(all, json_pack("{s:s,s:o}", "dpid", dpid,
                                             "flows", ctl_switch_flows_json(sw)));
        buf_printf(&out, "switch %s (%zu flows):\n", dpid, hmap_count(&sw->flows));
        ctl_switch_flows_format(sw, &out);
    }
    if (ctl_conn_wants_json(conn)) {
        ctl_reply_json(conn, all);
    } else {
        ctl_reply_ok(conn, buf_cstr(&out));
        json_decref(all);
    }
    buf_uninit(&out);
}

static void
cmd_app(struct ctl_conn *conn, int argc, const char *argv[], void *b_)
{
    struct app_cmd_binding *b = b_;
    b->cmd->handler(b->ctl->app, conn, argc, argv);
    controller_flush(b->ctl);
}

static void
register_commands(struct controller *ctl)
{
    struct ctl_server *s = ctl->server;
    ctl_server_register(s, "show", 0, 0, cmd_show, ctl);
    ctl_server_register(s, "dump", 0, 0, cmd_dump, ctl);
    ctl_server_register(s, "flows", 0, 1, cmd_flows, ctl);
    ctl_server_set_usage(s, "flows", "[DPID]");
    ctl_server_register(s, "snapshot", 0, 0, cmd_snapshot, ctl);
    ctl_server_register(s, "restore", 1, 1, cmd_restore, ctl);
    ctl_server_set_usage(s, "restore", "FILE");
    ctl_server_register(s, "reconfigure", 0, 1, cmd_reconfigure, ctl);
    ctl_server_set_usage(s, "reconfigure", "[CONFIG-FILE]");
    const struct ctl_app_command *c = ctl->app->class->commands;
    size_t n = 0;
    while (c && c[n].name) {
        n++;
    }
    ctl->bindings = xcalloc(n + 1, sizeof *ctl->bindings);
    for (size_t i = 0; i < n; i++) {
        ctl->bindings[i].ctl = ctl;
        ctl->bindings[i].cmd = &c[i];
        ctl_server_register(s, c[i].name, c[i].min_args, c[i].max_args, cmd_app,
                            &ctl->bindings[i]);
        if (c[i].usage) {
            ctl_server_set_usage(s, c[i].name, c[i].usage);
        }
    }
}

int
controller_create(struct loop *loop, const struct controller_options *opts,
                  struct controller **ctlp, char **errp)
{
    struct controller *ctl = xzalloc(sizeof *ctl);
    int r;
    *ctlp = NULL;
    ctl->loop = loop;
    list_init(&ctl->switches);
    list_init(&ctl->dirty);
    buf_init(&ctl->scratch, 4096);
    ctl->probe_ms = opts->probe_interval_ms ? opts->probe_interval_ms : CTL_DEFAULT_PROBE_MS;
    ctl->keep_flows = opts->keep_flows;
    ctl->cookie = opts->cookie;
    ctl->app_wake_ms = 0;
    ctl->config_path = opts->config ? xstrdup(opts->config) : NULL;

    ctl->app = opts->app->create();
    ctl->app->class = opts->app;
    ctl->app->controller = ctl;
    if (opts->app->configure) {
        r = opts->app->configure(ctl->app, opts->config, errp);
        if (r) {
            goto fail;
        }
    }
    if (loop) {
        ctl->listeners = xcalloc(opts->n_listen + 1, sizeof *ctl->listeners);
        for (size_t i = 0; i < opts->n_listen; i++) {
            struct listener *l;
            r = listener_open(loop, opts->listen[i], NULL, accept_cb, ctl, &l, errp);
            if (r) {
                goto fail;
            }
            ctl->listeners[ctl->n_listeners++] = l;
            LOG_INFO("listening on %s", listener_name(l));
        }
        for (size_t i = 0; i < opts->n_connect; i++) {
            struct ctl_switch *sw = ctl_switch_alloc(ctl, opts->connect[i]);
            sw->state = CTL_SW_DOWN;
            struct rconn_config rc = { .probe_interval_ms = 0, .answer_echo = false };
            r = rconn_create(loop, opts->connect[i], &rc, &ctl_rconn_cbs, sw, &sw->rconn, errp);
            if (r) {
                goto fail;
            }
        }
        if (opts->ctl_path) {
            r = ctl_server_create(loop, opts->ctl_path, &ctl->server, errp);
            if (r) {
                goto fail;
            }
            register_commands(ctl);
        }
        ctl->timer_id = loop_add_timer(loop, CTL_TICK_MS, tick_cb, ctl);
    }
    if (opts->app->start) {
        r = opts->app->start(ctl->app);
        if (r) {
            if (errp && !*errp) {
                *errp = xasprintf("app %s failed to start: %s", opts->app->name, strerror(-r));
            }
            goto fail;
        }
    }
    *ctlp = ctl;
    return 0;

fail:
    controller_destroy(ctl);
    return r;
}

void
controller_destroy(struct controller *ctl)
{
    if (!ctl) {
        return;
    }
    if (ctl->app && ctl->app->class->stop) {
        ctl->app->class->stop(ctl->app);
    }
    controller_flush(ctl);
    while (!list_is_empty(&ctl->switches)) {
        ctl_switch_free(CONTAINER_OF(ctl->switches.next, struct ctl_switch, node));
    }
    for (size_t i = 0; i < ctl->n_listeners; i++) {
        listener_close(ctl->listeners[i]);
    }
    free(ctl->listeners);
    ctl_server_destroy(ctl->server);
    free(ctl->bindings);
    if (ctl->loop) {
        loop_cancel_timer(ctl->loop, ctl->timer_id);
    }
    if (ctl->app) {
        ctl->app->class->destroy(ctl->app);
    }
    free(ctl->config_path);
    buf_uninit(&ctl->scratch);
    free(ctl);
}
