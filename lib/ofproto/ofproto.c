/* ofproto — lifecycle, controllers and listeners, asynchronous messages,
 * fail mode and emergency mode, flow expiry.  See ofproto.h. */
#include "ofproto/ofproto.h"

#include <errno.h>
#include <string.h>
#include "dp/datapath.h"
#include "dp/flow-table.h"
#include "dp/port.h"
#include "net/event-loop.h"
#include "net/listener.h"
#include "net/stream.h"
#include "ofproto/ofconn.h"
#include "ofproto/ofproto-private.h"
#include "util/clock.h"
#include "util/counter.h"
#include "util/log.h"
#include "util/util.h"

LOG_MODULE(ofproto);

COUNTER_DEFINE(ofp_flow_removed_sent, "FLOW_REMOVED messages sent");
COUNTER_DEFINE(ofp_emergency_entered, "times the switch entered emergency mode");

#define EXPIRE_INTERVAL_MS 1000

int
ofproto_fail_mode_from_string(const char *s, enum ofproto_fail_mode *mode)
{
    if (!strcmp(s, "secure")) {
        *mode = OFPROTO_FAIL_SECURE;
    } else if (!strcmp(s, "standalone")) {
        *mode = OFPROTO_FAIL_STANDALONE;
    } else {
        return -EINVAL;
    }
    return 0;
}

const char *
ofproto_fail_mode_to_string(enum ofproto_fail_mode mode)
{
    return mode == OFPROTO_FAIL_SECURE ? "secure" : "standalone";
}

/* Asynchronous messages. */

void
ofproto_send_async(struct ofproto *p, const struct ofp_msg *msg)
{
    struct ofconn *c;
    LIST_FOR_EACH (c, node, &p->controllers) {
        if (ofconn_wants_async(c)) {
            ofconn_send(c, msg);
        }
    }
}

static void
send_flow_removed(const struct flow_entry *e, uint8_t reason, void *p_)
{
    struct ofproto *p = p_;
    if (!(e->flags & OFPFF_SEND_FLOW_REM)) {
        return;
    }
    struct ofp_flow_removed_h fr;
    memset(&fr, 0, sizeof fr);
    fr.match = e->match;
    fr.cookie = e->cookie;
    fr.priority = e->priority;
    fr.reason = reason;
    flow_entry_duration(e, clock_now_ns(), &fr.duration_sec, &fr.duration_nsec);
    fr.idle_timeout = e->idle_timeout;
    fr.packet_count = e->packet_count;
    fr.byte_count = e->byte_count;
    struct ofp_msg msg;
    ofp_make_flow_removed(&msg, &fr);
    ofproto_send_async(p, &msg);
    ofp_msg_uninit(&msg);
    counter_inc(&ofp_flow_removed_sent);
}

/* Timers. */

void
ofproto_run_timers(struct ofproto *p)
{
    dp_expire(p->dp);
}

static int64_t
expire_timer_cb(struct loop *loop, uint64_t id, void *p_)
{
    (void) loop;
    (void) id;
    ofproto_run_timers(p_);
    return EXPIRE_INTERVAL_MS;
}

/* Lifecycle. */

struct ofproto *
ofproto_create(struct loop *loop, uint64_t dpid, enum ofproto_fail_mode mode)
{
    struct ofproto *p = xzalloc(sizeof *p);
    p->loop = loop;
    p->dpid = dpid;
    p->fail_mode = mode;
    hmap_init(&p->ports);
    list_init(&p->controllers);
    list_init(&p->mgmt);
    list_init(&p->listeners);
    ofproto_dp_create(p);
    flow_table_set_removed_cb(p->ft, send_flow_removed, p);
    p->expire_timer = loop_add_timer(loop, EXPIRE_INTERVAL_MS, expire_timer_cb, p);
    return p;
}

void
ofproto_set_default_dpid(struct ofproto *p)
{
    size_t n;
    struct ofport **ports = ofproto_sorted_ports(p, &n);
    uint8_t mac[6];
    p->dpid = 1;
    if (n && !port_get_mac(ports[0]->port, mac)) {
        p->dpid = 0;
        for (int i = 0; i < 6; i++) {
            p->dpid = (p->dpid << 8) | mac[i];
        }
    }
    free(ports);
}

void
ofproto_destroy(struct ofproto *p)
{
    if (!p) {
        return;
    }
    struct ofconn *c, *next;
    LIST_FOR_EACH_SAFE (c, next, node, &p->controllers) {
        list_remove(&c->node);
        ofconn_destroy(c);
    }
    LIST_FOR_EACH_SAFE (c, next, node, &p->mgmt) {
        list_remove(&c->node);
        ofconn_destroy(c);
    }
    struct ofproto_listener *l, *lnext;
    LIST_FOR_EACH_SAFE (l, lnext, node, &p->listeners) {
        listener_close(l->listener);
        list_remove(&l->node);
        free(l);
    }
    loop_cancel_timer(p->loop, p->expire_timer);
    ofproto_ports_destroy(p);
    ofproto_dp_destroy(p);
    hmap_destroy(&p->ports);
    free(p);
}

/* Controllers and fail mode. */

int
ofproto_add_controller(struct ofproto *p, const char *target, char **errp)
{
    struct ofconn *c;
    int error = ofconn_create_controller(p, target, &c, errp);
    if (!error) {
        list_push_back(&p->controllers, &c->node);
        ofproto_controllers_changed(p);     /* It may have connected already. */
    }
    return error;
}

bool
ofproto_has_controller(const struct ofproto *p)
{
    struct ofconn *c;
    LIST_FOR_EACH (c, node, &p->controllers) {
        if (ofconn_is_connected(c)) {
            return true;
        }
    }
    return false;
}

static bool
has_emergency_flows(const struct ofproto *p)
{
    return classifier_count(&p->ft->emerg) > 0;
}

void
ofproto_controllers_changed(struct ofproto *p)
{
    bool connected = ofproto_has_controller(p);
    if (connected) {
        p->had_controller = true;
        if (p->ft->emergency_mode) {
            LOG_INFO("controller back: leaving emergency mode");
            flow_table_set_emergency(p->ft, false);
        }
    } else if (p->had_controller && has_emergency_flows(p)
               && !p->ft->emergency_mode) {
        /* OpenFlow 1.0 §4.4: the controller installed emergency flows, so
         * losing every controller switches to them. */
        LOG_WARN("all controllers lost: entering emergency mode");
        counter_inc(&ofp_emergency_entered);
        flow_table_set_emergency(p->ft, true);
    }
    ofproto_dp_fail_mode_changed(p);
}

/* Management listeners. */

/* Accepting (the connection cap, EMFILE back-off and handshake timeout are
 * lib/net/listener.c's). */
static void
accept_cb(struct listener *listener, struct stream *s, void *l_)
{
    struct ofproto_listener *l = l_;
    (void) listener;
    struct ofconn *c = ofconn_create_mgmt(l->ofproto, s);
    list_push_back(&l->ofproto->mgmt, &c->node);
    LOG_DBG("management connection from %s", c->name);
}

int
ofproto_add_listener(struct ofproto *p, const char *name, char **errp)
{
    struct ofproto_listener *l = xzalloc(sizeof *l);
    l->ofproto = p;
    int error = listener_open(p->loop, name, NULL, accept_cb, l, &l->listener,
                              errp);
    if (error) {
        free(l);
        return error;
    }
    list_push_back(&p->listeners, &l->node);
    return 0;
}

uint16_t
ofproto_listener_port(const struct ofproto *p)
{
    if (list_is_empty(&p->listeners)) {
        return 0;
    }
    const struct ofproto_listener *l
        = CONTAINER_OF(p->listeners.next, struct ofproto_listener, node);
    return listener_port(l->listener);
}

void
ofproto_mgmt_closed(struct ofproto *p, struct ofconn *c)
{
    (void) p;
    list_remove(&c->node);
    ofconn_destroy(c);
}
