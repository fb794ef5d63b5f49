/* ofproto-port — the switch's ports as OpenFlow sees them: numbering, their
 * ofp_phy_port description, PORT_MOD and PORT_STATUS.  The datapath owns
 * the ports themselves (lib/dp/datapath.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "dp/datapath.h"
#include "dp/port.h"
#include "net/event-loop.h"
#include "ofproto/ofproto-private.h"
#include "util/hash.h"
#include "util/log.h"
#include "util/util.h"

LOG_MODULE(ofproto_port);

static uint32_t
port_hash(uint16_t port_no)
{
    return hash_int(port_no, 0);
}

struct ofport *
ofproto_get_port(const struct ofproto *p, uint16_t port_no)
{
    struct ofport *op;
    HMAP_FOR_EACH_WITH_HASH (op, node, port_hash(port_no), &p->ports) {
        if (op->port_no == port_no) {
            return op;
        }
    }
    return NULL;
}

static int
cmp_ports(const void *a_, const void *b_)
{
    const struct ofport *const *a = a_, *const *b = b_;
    return (int) (*a)->port_no - (int) (*b)->port_no;
}

struct ofport **
ofproto_sorted_ports(const struct ofproto *p, size_t *n)
{
    struct ofport **v = xcalloc(hmap_count(&p->ports) + 1, sizeof *v);
    struct ofport *op;
    size_t i = 0;
    HMAP_FOR_EACH (op, node, &p->ports) {
        v[i++] = op;
    }
    qsort(v, i, sizeof *v, cmp_ports);
    *n = i;
    return v;
}

void
ofport_to_ofp(const struct ofport *op, struct ofp_port_h *out)
{
    const struct datapath *dp = op->ofproto->dp;
    memset(out, 0, sizeof *out);
    out->port_no = op->port_no;
    port_get_mac(op->port, out->hw_addr);
    snprintf(out->name, sizeof out->name, "%.15s", port_name(op->port));
    out->config = dp_port_get_config(dp, op->port_no);
    out->state = (dp_port_is_up(dp, op->port_no) ? 0 : OFPPS_LINK_DOWN)
                 | OFPPS_STP_LISTEN;
    struct port_features f;
    if (!port_get_features(op->port, &f)) {
        out->curr = f.curr;
        out->advertised = f.advertised;
        out->supported = f.supported;
        out->peer = f.peer;
    }
}

void
ofproto_port_status(struct ofproto *p, struct ofport *op, uint8_t reason)
{
    struct ofp_port_h desc;
    struct ofp_msg msg;
    ofport_to_ofp(op, &desc);
    ofp_make_port_status(&msg, reason, &desc);
    ofproto_send_async(p, &msg);
    ofp_msg_uninit(&msg);
}

static void
rx_fd_cb(struct loop *loop, int fd, unsigned int events, void *op_)
{
    struct ofport *op = op_;
    (void) loop;
    (void) fd;
    (void) events;
    ofproto_dp_run(op->ofproto);
}

int
ofproto_add_port(struct ofproto *p, uint16_t port_no, const char *spec,
                 char **errp)
{
    int n = dp_port_add(p->dp, spec, port_no);
    if (n < 0) {
        if (errp) {
            *errp = xasprintf("port %s: %s", spec,
                              n == -EEXIST ? "that port number is taken"
                              : n == -EINVAL ? "bad port number or spec"
                              : strerror(-n));
        }
        return n;
    }
    struct ofport *op = xzalloc(sizeof *op);
    op->ofproto = p;
    op->port_no = n;
    op->port = dp_port_get(p->dp, n);
    op->wait_fd = port_wait_fd(op->port);
    hmap_insert(&p->ports, &op->node, port_hash(op->port_no));
    if (op->wait_fd >= 0 && loop_add_fd(p->loop, op->wait_fd, LOOP_READ, rx_fd_cb, op)) {
        op->wait_fd = -1;
    }
    LOG_INFO("port %u: %s (%s)", op->port_no, port_name(op->port), port_type(op->port));
    ofproto_port_status(p, op, OFPPR_ADD);
    return 0;
}

static void
ofport_forget(struct ofproto *p, struct ofport *op)
{
    if (op->wait_fd >= 0) {
        loop_remove_fd(p->loop, op->wait_fd);
    }
    hmap_remove(&p->ports, &op->node);
    dp_port_del(p->dp, op->port_no);
    free(op);
}

int
ofproto_del_port(struct ofproto *p, uint16_t port_no)
{
    struct ofport *op = ofproto_get_port(p, port_no);
    if (!op) {
        return -ENOENT;
    }
    ofproto_port_status(p, op, OFPPR_DELETE);
    ofport_forget(p, op);
    return 0;
}

void
ofproto_ports_destroy(struct ofproto *p)
{
    struct ofport *op;
    HMAP_FOR_EACH (op, node, &p->ports) {
        ofport_forget(p, op);
    }
}

int
ofproto_port_mod(struct ofproto *p, const struct ofp_port_mod_h *pm,
                 struct ofp_error *err)
{
    struct ofport *op = ofproto_get_port(p, pm->port_no);
    if (!op) {
        *err = OFP_ERROR(OFPET_PORT_MOD_FAILED, OFPPMFC_BAD_PORT);
        return -ENOENT;
    }
    uint8_t mac[6];
    if (port_get_mac(op->port, mac) || memcmp(mac, pm->hw_addr, 6)) {
        *err = OFP_ERROR(OFPET_PORT_MOD_FAILED, OFPPMFC_BAD_HW_ADDR);
        return -EINVAL;
    }
    uint32_t supported = OFPPC_PORT_DOWN | OFPPC_NO_STP | OFPPC_NO_RECV
                         | OFPPC_NO_RECV_STP | OFPPC_NO_FLOOD | OFPPC_NO_FWD
                         | OFPPC_NO_PACKET_IN;
    uint32_t old = dp_port_get_config(p->dp, op->port_no);
    dp_port_set_config(p->dp, op->port_no, pm->config, pm->mask & supported);
    if (old != dp_port_get_config(p->dp, op->port_no)) {
        LOG_INFO("port %u: config 0x%x -> 0x%x", op->port_no, old,
                 dp_port_get_config(p->dp, op->port_no));
        ofproto_port_status(p, op, OFPPR_MODIFY);
    }
    return 0;
}
