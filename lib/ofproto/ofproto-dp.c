/* ofproto-dp — the glue between the OpenFlow side and lib/dp's datapath:
 * running it from the event loop, upcalls to PACKET_IN, link changes to
 * PORT_STATUS, PACKET_OUT and buffered packets, the miss mode that follows
 * the fail mode. */
#include <errno.h>
#include <string.h>
#include "dp/datapath.h"
#include "net/event-loop.h"
#include "ofproto/ofconn.h"
#include "ofproto/ofproto-private.h"
#include "util/counter.h"
#include "util/log.h"
#include "util/util.h"

LOG_MODULE(ofproto_dp);

COUNTER_DEFINE(ofp_packet_in_sent, "PACKET_IN messages sent (per controller)");
COUNTER_DEFINE(ofp_packet_out, "PACKET_OUT messages executed");
COUNTER_DEFINE(ofp_packet_in_undelivered, "upcalls no controller received (no session up, or every send queue full)");

#define DP_TIMER_MS 100         /* dp_run_once() at least this often. */
#define MAX_BATCHES_PER_WAKE 32 /* Batches drained per readiness callback. */

void
ofproto_dp_run(struct ofproto *p)
{
    for (int i = 0; i < MAX_BATCHES_PER_WAKE; i++) {
        if (dp_run_once(p->dp) <= 0) {
            break;
        }
    }
}

static int64_t
dp_timer_cb(struct loop *loop, uint64_t id, void *p_)
{
    (void) loop;
    (void) id;
    ofproto_dp_run(p_);
    return DP_TIMER_MS;
}

/* A table miss that no controller received (every session went down since
 * the miss mode was set, or every send queue was full) is a dropped miss:
 * counted with the datapath's fail-secure drops. */
static void
count_dropped_miss(void)
{
    static struct counter *drop_no_match;
    if (!drop_no_match) {
        drop_no_match = counter_find("dp_drop_no_match");
    }
    if (drop_no_match) {
        counter_inc(drop_no_match);
    }
    counter_inc(&ofp_packet_in_undelivered);
}

static void
upcall_cb(const struct dp_upcall *up, void *p_)
{
    struct ofproto *p = p_;
    struct ofconn *c;
    bool delivered = false;
    LIST_FOR_EACH (c, node, &p->controllers) {
        if (!ofconn_wants_async(c)) {
            continue;
        }
        size_t len = up->packet->len;
        if (up->buffer_id != OFP_NO_BUFFER) {
            size_t max = up->reason == OFPR_NO_MATCH ? c->miss_send_len : up->max_len;
            len = MIN(len, max);
        }
        struct ofp_msg msg;
        ofp_make_packet_in(&msg, up->buffer_id, MIN(up->packet->len, 0xffff),
                           up->in_port, up->reason, up->packet->data, len);
        if (!ofconn_send(c, &msg)) {
            counter_inc(&ofp_packet_in_sent);
            delivered = true;
        }
        ofp_msg_uninit(&msg);
    }
    if (!delivered) {
        if (up->reason == OFPR_NO_MATCH) {
            count_dropped_miss();
        } else {
            counter_inc(&ofp_packet_in_undelivered);
        }
    }
}

static void
port_status_cb(uint16_t port_no, bool up, void *p_)
{
    struct ofproto *p = p_;
    struct ofport *op = ofproto_get_port(p, port_no);
    if (op) {
        LOG_INFO("port %u (%s): link %s", port_no, port_name(op->port), up ? "up" : "down");
        ofproto_port_status(p, op, OFPPR_MODIFY);
    }
}

void
ofproto_dp_create(struct ofproto *p)
{
    p->dp = dp_create(0);
    p->ft = dp_flow_table(p->dp);
    dp_set_upcall_cb(p->dp, upcall_cb, p);
    dp_set_port_status_cb(p->dp, port_status_cb, p);
    p->dp_timer = loop_add_timer(p->loop, DP_TIMER_MS, dp_timer_cb, p);
    ofproto_dp_fail_mode_changed(p);
}

int
ofproto_set_datapath_type(struct ofproto *p, enum dp_type type, size_t xdp_flows)
{
    int error = dp_set_type(p->dp, type, xdp_flows);
    if (!error) {
        LOG_INFO("datapath: %s", dp_type_name(dp_get_type(p->dp)));
    }
    return error;
}

void
ofproto_dp_destroy(struct ofproto *p)
{
    loop_cancel_timer(p->loop, p->dp_timer);
    dp_destroy(p->dp);
    p->dp = NULL;
    p->ft = NULL;
}

void
ofproto_dp_fail_mode_changed(struct ofproto *p)
{
    enum dp_miss_mode mode;
    if (ofproto_has_controller(p)) {
        mode = DP_MISS_UPCALL;
    } else {
        mode = p->fail_mode == OFPROTO_FAIL_STANDALONE ? DP_MISS_NORMAL : DP_MISS_DROP;
    }
    dp_set_miss_mode(p->dp, mode);
}

uint32_t
ofproto_dp_n_buffers(const struct ofproto *p)
{
    (void) p;
    return PACKET_BUFFERS_SLOTS;
}

static int
take_buffer(struct ofproto *p, uint32_t id, struct packet **pkt,
            uint16_t *in_port, struct ofp_error *err)
{
    int error = packet_buffers_take(dp_packet_buffers(p->dp), id, pkt, in_port);
    if (error == -ENOENT) {
        *err = OFP_ERROR(OFPET_BAD_REQUEST, OFPBRC_BUFFER_EMPTY);
    } else if (error) {
        *err = OFP_ERROR(OFPET_BAD_REQUEST, OFPBRC_BUFFER_UNKNOWN);
    }
    return error;
}

int
ofproto_dp_packet_out(struct ofproto *p, const struct ofp_packet_out_h *po,
                      struct ofp_error *err)
{
    struct packet *pkt = NULL;
    struct packet tmp;
    uint16_t buffered_in_port;

    if (po->buffer_id != OFP_NO_BUFFER) {
        int error = take_buffer(p, po->buffer_id, &pkt, &buffered_in_port, err);
        if (error) {
            return error;
        }
    } else {
        if (po->data.len < 14) {
            *err = OFP_ERROR(OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
            return -EINVAL;
        }
        memset(&tmp, 0, sizeof tmp);
        tmp.data = (uint8_t *) po->data.data;   /* dp_execute() copies it. */
        tmp.len = tmp.room = po->data.len;
        pkt = &tmp;
    }
    uint16_t in_port = po->in_port;
    int error = dp_execute(p->dp, pkt, in_port, po->actions, po->n_actions);
    if (pkt != &tmp) {
        packet_destroy(pkt);
    }
    if (error) {
        *err = OFP_ERROR(OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
        return error;
    }
    counter_inc(&ofp_packet_out);
    return 0;
}

int
ofproto_dp_run_buffered(struct ofproto *p, uint32_t buffer_id,
                        struct ofp_error *err)
{
    struct packet *pkt;
    uint16_t in_port;
    int error = take_buffer(p, buffer_id, &pkt, &in_port, err);
    if (error) {
        return error;
    }
    struct ofp_action table = ofp_action_output(OFPP_TABLE, 0);
    dp_execute(p->dp, pkt, in_port, &table, 1);
    packet_destroy(pkt);
    return 0;
}
