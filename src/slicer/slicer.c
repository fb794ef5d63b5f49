/* slicer — the proxy core; see slicer.h. */
#include "slicer.h"
#include "slicer-map.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "net/event-loop.h"
#include "net/listener.h"
#include "net/of-conn.h"
#include "net/rconn.h"
#include "net/stream.h"
#include "ofp/ofp-msgs.h"
#include "pki/peer-identity.h"
#include "slice/buffer-track.h"
#include "slice/flow-track.h"
#include "slice/rewrite.h"
#include "slice/xid-map.h"
#include "util/buf.h"
#include "util/byteorder.h"
#include "util/clock.h"
#include "util/counter.h"
#include "util/hash.h"
#include "util/hmap.h"
#include "util/list.h"
#include "util/log.h"
#include "util/util.h"

LOG_MODULE(slicer);

COUNTER_DEFINE(slicer_switch_bad_messages, "switch messages the slicer could not use (undecodable, wrong type)");
COUNTER_DEFINE(slicer_controller_bad_messages, "controller messages the slicer could not use (undecodable, wrong type)");
COUNTER_DEFINE(slicer_switch_replaced, "switch connections replaced by a newer one with the same dpid");
COUNTER_DEFINE(slicer_switch_refused, "switch connections closed at once: over --max-switches");
COUNTER_DEFINE(slicer_switch_identity_refused, "TLS switches refused by --switch-identity (a certificate naming a slice, or none usable)");
COUNTER_DEFINE(slicer_disconnect_garbage, "switch or controller connections dropped for too many bad messages");

#define XID_MAX_AGE_MS 30000        /* Forget unanswered requests after. */
#define BUFFER_MAX_AGE_MS 5000      /* A switch keeps a buffer ~this long. */
#define HOUSEKEEPING_MS 1000
#define TX_FLUSH_BYTES 32768        /* Flush a connection's batch early. */
#define OFP_PACKET_IN_LEN 18        /* Header and fixed fields, before data. */
BUILD_ASSERT_SIZE(struct ofp_packet_in, OFP_PACKET_IN_LEN);

enum xid_kind {
    XID_PLAIN,                  /* Reply goes back as is. */
    XID_FLOW_STATS,             /* Filter entries to the slice. */
    XID_AGGREGATE,              /* Sum the slice's flow stats. */
    XID_PORT_STATS,             /* Filter to the slice's ports. */
    XID_QUEUE_STATS,
    XID_TABLE_STATS,            /* active_count := the slice's flows. */
};

/* Output batched per connection: messages are encoded into `tx` and
 * written once per loop pass (flush_cb(), a zero-delay timer that runs after
 * the pass's fd callbacks), or earlier when TX_FLUSH_BYTES are waiting. */
struct out_batch {
    struct buf tx;              /* Kept (and its capacity) across passes. */
    struct list dirty_node;     /* In slicer->dirty while tx.size != 0. */
    void *owner;                /* struct sw or struct slice_conn. */
    bool is_sw;
};

/* Bad messages from one peer within the current window. */
struct garbage_window {
    uint64_t start_ms;
    uint32_t count;
};

/* Counts one bad message; true when the peer is over the limit and must
 * be disconnected. */
static bool
garbage_count(struct garbage_window *g)
{
    uint64_t now = clock_now_ms();
    if (now - g->start_ms > SLICER_GARBAGE_WINDOW_MS) {
        g->start_ms = now;
        g->count = 0;
    }
    return ++g->count > SLICER_GARBAGE_MAX;
}

/* One slice's view of one switch. */
struct slice_conn {
    struct sw *sw;
    struct slice *slice;
    struct rconn *rconn;
    struct flow_track flows;
    struct buffer_track buffers;
    struct out_batch out;
    uint16_t config_flags;
    uint16_t miss_send_len;
    char peer_cn[PKI_NAME_MAX + 1]; /* TLS controller's CN, "" if none. */
    /* set-controller --keep-flows: armed with the window's length until the
     * new controller connects, then holds its catch-all DELETE until. */
    uint32_t hold_delete_ms;
    uint64_t hold_delete_until_ms;
    struct garbage_window garbage;  /* Bad messages from the controller. */
    bool parked;                /* No rconn: the slice is dead (struct slice). */
};

struct sw {
    struct slicer *slicer;
    size_t listener;            /* Index of the listener it came from. */
    struct of_conn *conn;
    char *name;
    bool hello_seen;            /* An OpenFlow 1.0 (or later) HELLO. */
    bool ready;                 /* FEATURES_REPLY received after HELLO. */
    struct garbage_window garbage;
    uint64_t dpid;
    struct ofp_msg features;    /* Owned copy (ports array). */
    struct slice_conn **conns;  /* Parallel to slicer->slices. */
    struct xid_map xids;
    struct out_batch out;
    uint64_t rx_msgs, tx_msgs, decode_errors, bad_messages;
    char cn[PKI_NAME_MAX + 1];  /* TLS switch's certificate CN, "" if none. */
};

struct slicer {
    struct loop *loop;
    struct listener **listeners;    /* lib/net/listener.h: cap, back-off,
                                     * handshake timeout. */
    size_t *n_listener_sws;     /* Switches per listener (max_switches). */
    size_t n_listeners;
    uint32_t max_switches;
    uint64_t switches_refused;  /* Over max_switches. */
    bool switch_identity;
    struct slice **slices;
    size_t n_slices;
    struct sw **sws;
    size_t n_sws;
    char *state_path;
    struct map_pusher *map;     /* NULL without --switch-ctl. */
    uint32_t probe_interval_ms;
    uint64_t housekeeping_timer;
    void *ctl;                  /* struct ctl_server (slicer-ctl.c). */
    struct list dirty;          /* struct out_batch with output waiting. */
    uint64_t flush_timer;       /* 0 if none armed. */
    struct buf scratch;         /* Encoding (aligned; reused). */
    /* PACKET_IN classification, rebuilt after slices change (gen). */
    uint64_t gen, index_gen;
    struct vlan_index *index;
    size_t *cand, *owners;      /* Scratch, n_slices + 1 each. */
    const struct slice_def **cand_defs;
};

/* Which slices may own a frame of a VLAN: those with a flowspace entry
 * that leaves the VLAN open (any[]) and those with an entry whose VLAN
 * range holds it (by_vlan[VID], by_vlan[4096] for untagged).  Both lists
 * are in slice order, so classifying only these candidates gives exactly
 * what classifying every slice would: a frame costs its candidates, not
 * the number of slices. */
struct slice_list {
    size_t *v;
    size_t n, allocated;
};
struct vlan_index {
    struct slice_list any;
    struct slice_list by_vlan[4097];
};

static const struct rconn_callbacks slice_conn_cbs;
static const struct of_conn_callbacks sw_cbs;

/* ---- Output, batched per connection and loop pass. ---- */

static int64_t flush_cb(struct loop *, uint64_t id, void *aux);

/* Forgets what is waiting.  The buffer's capacity is kept unless it grew
 * past twice the flush size (a burst of big messages). */
static void
batch_clear(struct out_batch *o)
{
    if (o->tx.size) {
        list_remove(&o->dirty_node);
    }
    if (o->tx.allocated > 2 * TX_FLUSH_BYTES) {
        buf_uninit(&o->tx);
    } else {
        buf_clear(&o->tx);
    }
}

static void
batch_destroy(struct out_batch *o)
{
    batch_clear(o);
    buf_uninit(&o->tx);
}

/* Hands the batch to the connection (one write for all its messages). */
static void
sw_flush(struct sw *sw)
{
    if (sw->out.tx.size) {
        of_conn_send_data(sw->conn, sw->out.tx.data, sw->out.tx.size);
        batch_clear(&sw->out);
    }
}

static void
sc_flush(struct slice_conn *sc)
{
    if (sc->out.tx.size) {
        if (sc->rconn) {
            rconn_send_data(sc->rconn, sc->out.tx.data, sc->out.tx.size);
        }
        batch_clear(&sc->out);
    }
}

/* After the pass's fd callbacks: every batch goes out. */
static int64_t
flush_cb(struct loop *loop, uint64_t id, void *s_)
{
    struct slicer *s = s_;
    (void) loop;
    (void) id;
    s->flush_timer = 0;
    while (!list_is_empty(&s->dirty)) {
        struct out_batch *o = CONTAINER_OF(s->dirty.next, struct out_batch, dirty_node);
        if (o->is_sw) {
            sw_flush(o->owner);
        } else {
            sc_flush(o->owner);
        }
    }
    return LOOP_TIMER_DONE;
}

/* Appends n bytes (whole messages) to the batch `o`; true if the batch is
 * now big enough to be flushed at once. */
static bool
batch_put_raw(struct slicer *s, struct out_batch *o, const void *data, size_t n)
{
    if (!o->tx.size) {
        list_push_back(&s->dirty, &o->dirty_node);
        if (!s->flush_timer) {
            s->flush_timer = loop_add_timer(s->loop, 0, flush_cb, s);
        }
    }
    buf_put(&o->tx, data, n);
    return o->tx.size >= TX_FLUSH_BYTES;
}

/* Encodes msg at the end of the batch `o`; true if the batch is now big
 * enough to be flushed at once. */
static bool
batch_put(struct slicer *s, struct out_batch *o, const struct ofp_msg *msg)
{
    /* Encoded into the aligned scratch buffer first: ofp_encode() stores
     * some fields through aligned pointers, and a message in a batch may
     * start at any offset.  A copy, not an allocation, per message. */
    buf_clear(&s->scratch);
    ofp_encode(msg, &s->scratch);
    return batch_put_raw(s, o, s->scratch.data, s->scratch.size);
}

static void
send_msg_to(struct rconn *rc, const struct ofp_msg *msg)
{
    struct buf *b = buf_new(128);
    ofp_encode(msg, b);
    rconn_send(rc, b);
}

static void
sc_send(struct slice_conn *sc, const struct ofp_msg *msg)
{
    if (sc->rconn && rconn_is_connected(sc->rconn)
        && batch_put(sc->sw->slicer, &sc->out, msg)) {
        sc_flush(sc);
    }
}

static void
sw_send(struct sw *sw, const struct ofp_msg *msg)
{
    sw->tx_msgs++;
    if (batch_put(sw->slicer, &sw->out, msg)) {
        sw_flush(sw);
    }
}

static void
sc_send_error(struct slice_conn *sc, struct ofp_error error,
              const struct buf *offending)
{
    struct ofp_msg m;
    ofp_make_error(&m, error, offending->data, offending->size);
    sc_send(sc, &m);
    ofp_msg_uninit(&m);
}

static size_t
slice_index(const struct slicer *s, const struct slice *slice)
{
    for (size_t i = 0; i < s->n_slices; i++) {
        if (s->slices[i] == slice) {
            return i;
        }
    }
    BUG_ON(true);
    return 0;
}

/* ---- xid translation (slice/xid-map.h). ---- */

/* A request to the switch (a reply will come back to sc). */
static uint32_t
xid_request(struct sw *sw, struct slice_conn *sc, uint32_t orig_xid, enum xid_kind kind)
{
    return xid_map_request(&sw->xids, sc, orig_xid, (int) kind, clock_now_ms())->info.new_xid;
}

/* A message without a reply (only an error may come back to sc). */
static struct xid_info *
xid_sent(struct sw *sw, struct slice_conn *sc, uint32_t orig_xid)
{
    return xid_map_send(&sw->xids, sc, orig_xid);
}

/* After sending: every XID_MAP_RETIRE_EVERY messages without a reply, a
 * barrier lets the slicer forget them once the switch answers it. */
static void
xid_maybe_retire(struct sw *sw)
{
    if (xid_map_retire_due(&sw->xids)) {
        struct ofp_msg m;
        ofp_msg_init(&m, OFPT_BARRIER_REQUEST, xid_map_retire_start(&sw->xids, clock_now_ms()));
        sw_send(sw, &m);
    }
}

/* ---- PACKET_IN classification. ---- */

static void
slice_list_add(struct slice_list *l, size_t i)
{
    if (l->n && l->v[l->n - 1] == i) {
        return;
    }
    if (l->n == l->allocated) {
        l->allocated = l->allocated ? 2 * l->allocated : 4;
        l->v = xrealloc(l->v, l->allocated * sizeof *l->v);
    }
    l->v[l->n++] = i;
}

static void
vlan_index_destroy(struct vlan_index *x)
{
    if (x) {
        free(x->any.v);
        for (size_t i = 0; i < ARRAY_SIZE(x->by_vlan); i++) {
            free(x->by_vlan[i].v);
        }
        free(x);
    }
}

static void
vlan_index_build(struct slicer *s)
{
    vlan_index_destroy(s->index);
    struct vlan_index *x = s->index = xzalloc(sizeof *x);
    for (size_t i = 0; i < s->n_slices; i++) {
        const struct slice_def *def = s->slices[i]->def;
        for (size_t k = 0; k < def->n_entries; k++) {
            const struct fs_region *r = &def->entries[k].region;
            if (r->match.wildcards & OFPFW_DL_VLAN) {
                slice_list_add(&x->any, i);
            } else if (r->vlan_lo == OFP_VLAN_NONE) {
                slice_list_add(&x->by_vlan[4096], i);
            } else {
                for (uint32_t v = r->vlan_lo; v <= r->vlan_hi && v < 4096; v++) {
                    slice_list_add(&x->by_vlan[v], i);
                }
            }
        }
    }
    s->cand = xrealloc(s->cand, (s->n_slices + 1) * sizeof *s->cand);
    s->owners = xrealloc(s->owners, (s->n_slices + 1) * sizeof *s->owners);
    s->cand_defs = xrealloc(s->cand_defs, (s->n_slices + 1) * sizeof *s->cand_defs);
    s->index_gen = s->gen;
}

/* The slices a frame (its 12-tuple) goes to, into s->owners (slice
 * indexes); see slice_classify(). */
static size_t
classify(struct slicer *s, uint64_t dpid, const struct ofp_match_h *match)
{
    if (!s->index || s->index_gen != s->gen) {
        vlan_index_build(s);
    }
    uint16_t vid = match->dl_vlan;
    const struct slice_list *a = &s->index->any;
    const struct slice_list *b = &s->index->by_vlan[vid == OFP_VLAN_NONE ? 4096 : vid & 0xfff];
    size_t n = 0, i = 0, k = 0;
    while (i < a->n || k < b->n) {      /* Merge, in slice order. */
        size_t next = k >= b->n || (i < a->n && a->v[i] <= b->v[k]) ? a->v[i] : b->v[k];
        i += i < a->n && a->v[i] == next;
        k += k < b->n && b->v[k] == next;
        s->cand[n] = next;
        s->cand_defs[n++] = s->slices[next]->def;
    }
    size_t n_owners = slice_classify(s->cand_defs, n, dpid, match, s->owners);
    for (size_t j = 0; j < n_owners; j++) {
        s->owners[j] = s->cand[s->owners[j]];
    }
    return n_owners;
}

/* ---- Buffers (slice/buffer-track.h). ---- */

static size_t
buffer_quota(const struct slice *slice)
{
    return slice->def->limits.max_buffers ? slice->def->limits.max_buffers
                                          : SLICE_DEFAULT_MAX_BUFFERS;
}

static bool
buffer_grant(struct slice_conn *sc, uint32_t buffer_id,
             const struct ofp_match_h *match)
{
    uint64_t now = clock_now_ms();
    buffer_track_expire(&sc->buffers, now, BUFFER_MAX_AGE_MS);
    return buffer_track_grant(&sc->buffers, buffer_id, match, now, buffer_quota(sc->slice));
}

/* Takes the slice's claim on buffer_id; false if it never had one. */
static bool
buffer_take(struct slice_conn *sc, uint32_t buffer_id, struct ofp_match_h *match)
{
    return buffer_track_take(&sc->buffers, buffer_id, match);
}

/* ---- Slice connections. ---- */

static struct rconn *
open_rconn(struct slice_conn *sc)
{
    struct slicer *s = sc->sw->slicer;
    struct rconn_config cfg = {
        .backoff_min_ms = 200, .backoff_max_ms = 2000,
        .probe_interval_ms = s->probe_interval_ms, .answer_echo = true,
    };
    struct rconn *rc = NULL;
    char *err = NULL;
    if (rconn_create(s->loop, sc->slice->def->controller, &cfg, &slice_conn_cbs,
                     sc, &rc, &err)) {
        LOG_WARN("slice %s: controller %s: %s", sc->slice->def->name,
                 sc->slice->def->controller, err ? err : "bad target");
        free(err);
        return NULL;
    }
    return rc;
}

static struct slice_conn *
slice_conn_create(struct sw *sw, struct slice *slice)
{
    struct slice_conn *sc = xzalloc(sizeof *sc);
    sc->sw = sw;
    sc->slice = slice;
    sc->miss_send_len = 128;
    sc->out.owner = sc;
    flow_track_init(&sc->flows);
    buffer_track_init(&sc->buffers);
    if (slice->dead) {
        sc->parked = true;      /* The prober (another switch) retries. */
    } else {
        sc->rconn = open_rconn(sc);
    }
    return sc;
}

/* Parks a slice connection of a dead slice: no socket, no timer. */
static void
sc_park(struct slice_conn *sc)
{
    rconn_destroy(sc->rconn);
    sc->rconn = NULL;
    sc->parked = true;
    buffer_track_clear(&sc->buffers);
    batch_destroy(&sc->out);
}

static void
sc_unpark(struct slice_conn *sc)
{
    if (sc->parked) {
        sc->parked = false;
        sc->rconn = open_rconn(sc);
    }
}

/* The slice's controller answered (through the prober): every switch
 * connects to it again, at once. */
static void
slice_wake(struct slicer *s, struct slice *slice)
{
    size_t idx = slice_index(s, slice);
    slice->dead = false;
    slice->prober = NULL;
    LOG_INFO("slice %s: controller %s reachable again: connecting every switch",
             slice->def->name, slice->def->controller);
    for (size_t i = 0; i < s->n_sws; i++) {
        if (s->sws[i]->ready) {
            sc_unpark(s->sws[i]->conns[idx]);
        }
    }
}

/* Before switch `new` gets its connection to slice idx: if the other
 * switches' connections to that controller have all failed (backing off or
 * parked), the slice is dead now, and `new` starts parked instead of adding
 * one more failing attempt (1,000 dead slices would otherwise cost every
 * switch that connects 1,000 connection attempts). */
static void
slice_check_down(struct slicer *s, size_t idx, const struct sw *new)
{
    struct slice *slice = s->slices[idx];
    bool failed = false;
    if (slice->dead) {
        return;
    }
    for (size_t i = 0; i < s->n_sws; i++) {
        const struct sw *sw = s->sws[i];
        if (sw == new || !sw->ready) {
            continue;
        }
        const struct slice_conn *sc = sw->conns[idx];
        if (sc->rconn && (rconn_is_connected(sc->rconn)
                          || rconn_get_state(sc->rconn) != RCONN_BACKOFF)) {
            return;             /* Up, or still trying. */
        }
        failed = true;
    }
    if (failed) {
        slice->dead = true;
        LOG_INFO("slice %s: controller %s unreachable from every switch: "
                 "new switches start parked", slice->def->name, slice->def->controller);
    }
}

/* Housekeeping for one slice: a slice whose controller no switch could
 * reach (every connection backing off) is declared dead and all its
 * connections but one are parked, so a slice whose controller is down
 * costs one reconnecting connection, not one per switch; once that one
 * connects, slice_wake().  Returns the number of parked connections. */
static size_t
slice_check_alive(struct slicer *s, size_t idx)
{
    struct slice *slice = s->slices[idx];
    struct slice_conn *prober = NULL, *first = NULL;
    bool all_backing_off = true;
    size_t n_parked = 0;
    if (slice->dead && slice->prober) {
        return 0;               /* Settled: the prober's on_connected wakes it. */
    }
    for (size_t i = 0; i < s->n_sws; i++) {
        struct sw *sw = s->sws[i];
        if (!sw->ready) {
            continue;
        }
        struct slice_conn *sc = sw->conns[idx];
        first = first ? first : sc;
        if (!sc->rconn) {
            n_parked++;
            continue;
        }
        prober = prober ? prober : sc;
        if (rconn_is_connected(sc->rconn)) {
            if (slice->dead) {
                slice_wake(s, slice);
            }
            return 0;
        }
        if (rconn_get_state(sc->rconn) != RCONN_BACKOFF) {
            all_backing_off = false;
        }
    }
    if (!first) {
        return 0;
    }
    if (!prober) {
        sc_unpark(first);       /* The prober's switch went away. */
        return n_parked - 1;
    }
    if (all_backing_off && !slice->dead) {
        slice->dead = true;
        LOG_INFO("slice %s: controller %s unreachable from every switch: "
                 "retrying from switch %016"PRIx64" only", slice->def->name,
                 slice->def->controller, prober->sw->dpid);
    }
    if (slice->dead) {
        for (size_t i = 0; i < s->n_sws; i++) {
            struct sw *sw = s->sws[i];
            if (sw->ready && sw->conns[idx] != prober && sw->conns[idx]->rconn) {
                sc_park(sw->conns[idx]);
                n_parked++;
            }
        }
        slice->prober = prober;
    }
    return n_parked;
}

static void
slice_conn_destroy(struct slice_conn *sc)
{
    if (sc) {
        if (sc->slice->prober == sc) {
            sc->slice->prober = NULL;   /* Housekeeping picks another. */
        }
        xid_map_forget_owner(&sc->sw->xids, sc);
        batch_destroy(&sc->out);
        rconn_destroy(sc->rconn);
        flow_track_destroy(&sc->flows);
        buffer_track_destroy(&sc->buffers);
        free(sc);
    }
}

/* The slice <-> certificate binding.  Over TLS the controller's
 * certificate (already verified against the CA by the handshake) must name
 * this slice (pki/identity.h: SAN URI urn:plural:slice:NAME or OU):
 * otherwise the controller is refused, logged as a peer fault, counted and
 * disconnected (the rconn retries with back-off).  tcp: and unix:
 * controllers carry no identity and are not checked.  Returns false if
 * the connection was refused. */
static bool
sc_check_identity(struct slice_conn *sc, struct rconn *rc)
{
    struct slice *slice = sc->slice;
    struct stream *stream = rconn_stream(rc);
    struct pki_identity id;
    int error = stream ? pki_stream_peer_identity(stream, &id) : -ENOTCONN;

    sc->peer_cn[0] = '\0';
    if (error == -ENOTSUP) {
        return true;
    }
    if (!error && !strcmp(id.slice, slice->def->name)) {
        memcpy(sc->peer_cn, id.cn, sizeof sc->peer_cn);
        return true;
    }
    char *why = error ? xasprintf("no valid certificate identity (%s)", strerror(-error))
                : id.slice[0] ? xasprintf("certificate cn=%s is for slice %s", id.cn, id.slice)
                : xasprintf("certificate cn=%s names no slice", id.cn);
    LOG_PEER("slice %s: controller %s refused for switch %016"PRIx64": %s",
             slice->def->name, rconn_target(rc), sc->sw->dpid, why);
    slice->counters.identity_refused++;
    free(slice->last_refusal);
    slice->last_refusal = xasprintf("%s: %s", rconn_target(rc), why);
    free(why);
    rconn_disconnect(rc, -EACCES, "certificate is not this slice's");
    return false;
}

static void
sc_on_connected(struct rconn *rc, void *aux)
{
    struct slice_conn *sc = aux;
    struct ofp_msg hello;
    /* May run inside rconn_create(), before sc->rconn is set: use rc. */
    if (!sc_check_identity(sc, rc)) {
        return;
    }
    if (sc->hold_delete_ms) {
        sc->hold_delete_until_ms = clock_now_ms() + sc->hold_delete_ms;
        sc->hold_delete_ms = 0;
    }
    ofp_make_hello(&hello, 0);
    send_msg_to(rc, &hello);
    if (sc->slice->dead) {
        slice_wake(sc->sw->slicer, sc->slice);
    }
    LOG_INFO("slice %s: controller %s connected for switch %016"PRIx64"%s%s",
             sc->slice->def->name, sc->slice->def->controller, sc->sw->dpid,
             sc->peer_cn[0] ? ", certificate cn=" : "", sc->peer_cn);
}

/* FEATURES_REPLY as the slice sees it: only its ports. */
static void
send_features(struct slice_conn *sc, uint32_t xid)
{
    const struct ofp_features_reply *f = &sc->sw->features.features;
    struct ofp_port_h *ports = xcalloc(f->n_ports + 1, sizeof *ports);
    size_t n = 0;
    for (size_t i = 0; i < f->n_ports; i++) {
        if (f->ports[i].port_no >= OFPP_MAX
            || slice_def_has_port(sc->slice->def, f->ports[i].port_no)) {
            ports[n++] = f->ports[i];
        }
    }
    struct ofp_msg m;
    ofp_make_features_reply(&m, xid, f->datapath_id, f->n_buffers, f->n_tables,
                            f->capabilities, f->actions, ports, n);
    sc_send(sc, &m);
    ofp_msg_uninit(&m);
    free(ports);
}

static bool
take_token(struct slice_conn *sc)
{
    struct slice *slice = sc->slice;
    if (!slice->bucket.rate
        || token_bucket_take(&slice->bucket, 1, clock_now_ms())) {
        return true;
    }
    slice->counters.rate_dropped++;
    return false;
}

static void
handle_flow_mod(struct slice_conn *sc, const struct ofp_msg *msg,
                const struct buf *raw)
{
    struct slice *slice = sc->slice;
    struct slice_counters *c = &slice->counters;
    const struct ofp_flow_mod_h *fm = &msg->flow_mod;
    struct ofp_match_h buffered;
    bool has_buffer = fm->buffer_id != OFP_NO_BUFFER;
    struct ofp_flow_mod_h *out;
    size_t n;
    struct ofp_error err;

    c->flow_mods++;
    if (fm->command == OFPFC_DELETE && fm->out_port == OFPP_NONE
        && ofp_match_is_catchall(&fm->match)
        && clock_now_ms() < sc->hold_delete_until_ms) {
        /* set-controller --keep-flows: the new controller's "delete
         * everything" would remove the flows the move was to keep. */
        c->deletes_held++;
        LOG_INFO("slice %s: held back a catch-all DELETE from the new controller "
                 "for switch %016"PRIx64" (set-controller --keep-flows)",
                 slice->def->name, sc->sw->dpid);
        return;
    }
    if ((fm->flags & OFPFF_EMERG) && !slice->def->allow_emergency) {
        /* Emergency entries replace every normal flow of the switch (all
         * slices') when it loses its controller: a switch-wide mode, not
         * a slice's to set unless its configuration allows it. */
        c->emerg_refused++;
        c->flow_mods_refused++;
        LOG_PEER("slice %s: emergency FLOW_MOD refused (allow_emergency is off)",
                 slice->def->name);
        sc_send_error(sc, OFP_ERROR(OFPET_FLOW_MOD_FAILED, OFPFMFC_EPERM), raw);
        return;
    }
    if (has_buffer && !buffer_take(sc, fm->buffer_id, &buffered)) {
        c->buffer_refused++;
        sc_send_error(sc, OFP_ERROR(OFPET_BAD_REQUEST, OFPBRC_BUFFER_UNKNOWN), raw);
        return;
    }
    if (slice_rewrite_flow_mod(slice->def, sc->sw->dpid, fm, &out, &n, &err)) {
        c->flow_mods_refused++;
        sc_send_error(sc, err, raw);
        return;
    }
    /* Flow-entry quota, before anything is sent. */
    uint32_t max = slice->def->limits.max_flows;
    if (max) {
        size_t new_entries = 0;
        for (size_t i = 0; i < n; i++) {
            new_entries += flow_track_would_add(&sc->flows, out[i].command,
                                                &out[i].match, out[i].priority);
        }
        if (new_entries && flow_track_count(&sc->flows) + new_entries > max) {
            c->flow_limit_refused++;
            sc_send_error(sc, OFP_ERROR(OFPET_FLOW_MOD_FAILED, OFPFMFC_ALL_TABLES_FULL), raw);
            slice_flow_mods_free(out, n);
            return;
        }
    }
    bool buffer_used = false;
    for (size_t i = 0; i < n; i++) {
        struct ofp_msg m;
        struct xid_info *x = xid_sent(sc->sw, sc, msg->xid);
        x->match = out[i].match;
        x->priority = out[i].priority;
        /* Not ofp_msg_init(): it clears all 1,080 bytes of the message,
         * and the encoder reads only type, xid and flow_mod here. */
        m.type = OFPT_FLOW_MOD;
        m.xid = x->new_xid;
        m.flow_mod = out[i];
        m.flow_mod.buffer_id = OFP_NO_BUFFER;
        if (has_buffer && !buffer_used && ofp_match_covers(&out[i].match, &buffered)) {
            m.flow_mod.buffer_id = fm->buffer_id;
            buffer_used = true;
        }
        x->added_flow = flow_track_apply(&sc->flows, out[i].command, &out[i].match,
                                         out[i].priority,
                                         (fm->flags & OFPFF_SEND_FLOW_REM) != 0);
        sw_send(sc->sw, &m);
        c->flow_mods_sent++;
    }
    slice_flow_mods_free(out, n);
    xid_maybe_retire(sc->sw);
}

static void
handle_packet_out(struct slice_conn *sc, const struct ofp_msg *msg,
                  const struct buf *raw)
{
    struct slice *slice = sc->slice;
    struct slice_counters *c = &slice->counters;
    const struct ofp_packet_out_h *po = &msg->packet_out;
    struct ofp_match_h frame;
    bool have_frame = false, lldp = false;
    struct ofp_action *acts = NULL;
    size_t n_acts = 0;
    struct ofp_error err;
    struct buf tagged = BUF_EMPTY;

    c->packet_outs++;
    if (po->buffer_id != OFP_NO_BUFFER) {
        if (!buffer_take(sc, po->buffer_id, &frame)) {
            c->buffer_refused++;
            sc_send_error(sc, OFP_ERROR(OFPET_BAD_REQUEST, OFPBRC_BUFFER_UNKNOWN), raw);
            return;
        }
        have_frame = true;
    } else {
        have_frame = slice_frame_match(po->data.data, po->data.len, po->in_port, &frame);
        lldp = have_frame && slice_frame_is_lldp(po->data.data, po->data.len);
    }
    int r;
    if (lldp) {
        /* Topology discovery: allowed on the slice's ports whatever the
         * flowspace, tagged so the PACKET_IN comes back to this slice. */
        struct fs_entry everything = { .dpid = FS_DPID_ANY,
                                       .perms = FS_PERM_READ | FS_PERM_WRITE };
        ofp_match_init_catchall(&everything.region.match);
        struct slice_def view = *slice->def;
        view.entries = &everything;
        view.n_entries = 1;
        r = slice_check_packet_out(&view, sc->sw->dpid, po, &frame, &acts, &n_acts, &err);
        slice_lldp_tag(po->data.data, po->data.len, slice->def->name, &tagged);
    } else {
        r = slice_check_packet_out(slice->def, sc->sw->dpid, po,
                                   have_frame ? &frame : NULL, &acts, &n_acts, &err);
    }
    if (r) {
        c->packet_outs_refused++;
        sc_send_error(sc, err, raw);
        buf_uninit(&tagged);
        return;
    }
    struct ofp_msg m;
    ofp_msg_init(&m, OFPT_PACKET_OUT, xid_sent(sc->sw, sc, msg->xid)->new_xid);
    m.packet_out = *po;
    m.packet_out.actions = acts;
    m.packet_out.n_actions = n_acts;
    if (lldp) {
        m.packet_out.data.data = tagged.data;
        m.packet_out.data.len = tagged.size;
    }
    sw_send(sc->sw, &m);
    free(acts);
    buf_uninit(&tagged);
}

static void
handle_stats_request(struct slice_conn *sc, const struct ofp_msg *msg,
                     const struct buf *raw)
{
    const struct ofp_stats_request_h *sr = &msg->stats_request;
    struct slice_def *def = sc->slice->def;
    struct ofp_msg m = *msg;
    enum xid_kind kind = XID_PLAIN;

    sc->slice->counters.stats_requests++;
    switch (sr->type) {
    case OFPST_FLOW:
        kind = XID_FLOW_STATS;
        break;
    case OFPST_AGGREGATE:
        /* Asked as flow stats so that only the slice's flows are summed. */
        kind = XID_AGGREGATE;
        m.stats_request.type = OFPST_FLOW;
        break;
    case OFPST_PORT:
        if (sr->port.port_no != OFPP_NONE && sr->port.port_no < OFPP_MAX
            && !slice_def_has_port(def, sr->port.port_no)) {
            goto eperm;
        }
        kind = XID_PORT_STATS;
        break;
    case OFPST_QUEUE:
        if (sr->queue.port_no < OFPP_MAX && !slice_def_has_port(def, sr->queue.port_no)) {
            goto eperm;
        }
        kind = XID_QUEUE_STATS;
        break;
    case OFPST_TABLE:
        kind = XID_TABLE_STATS;
        break;
    default:
        break;
    }
    m.xid = xid_request(sc->sw, sc, msg->xid, kind);
    sw_send(sc->sw, &m);
    return;
eperm:
    sc->slice->counters.other_refused++;
    sc_send_error(sc, OFP_ERROR(OFPET_BAD_REQUEST, OFPBRC_EPERM), raw);
}

/* A bad message from a slice's controller (already answered): counted;
 * over the limit the connection is dropped and retried with back-off. */
static void
sc_bad_message(struct slice_conn *sc, struct rconn *rc)
{
    struct slice *slice = sc->slice;
    slice->counters.bad_messages++;
    counter_inc(&slicer_controller_bad_messages);
    if (garbage_count(&sc->garbage)) {
        slice->counters.garbage_disconnects++;
        counter_inc(&slicer_disconnect_garbage);
        LOG_PEER("slice %s: controller %s sent more than %d bad messages in %d s: disconnecting",
                 slice->def->name, slice->def->controller, SLICER_GARBAGE_MAX,
                 SLICER_GARBAGE_WINDOW_MS / 1000);
        sc->garbage.count = 0;
        sc_flush(sc);           /* Its error replies first. */
        rconn_disconnect(rc, -EPROTO, "too many bad messages");
    }
}

/* True if `port` belongs to `slice` and to no other slice: only then may
 * the slice change the port's configuration (PORT_MOD), because a port's
 * config (down, no-flood, no-recv, ...) acts on every slice using it. */
static bool
port_owned_alone(const struct slicer *s, const struct slice *slice, uint16_t port)
{
    if (port >= OFPP_MAX || !slice_def_has_port(slice->def, port)) {
        return false;
    }
    for (size_t i = 0; i < s->n_slices; i++) {
        if (s->slices[i] != slice && slice_def_has_port(s->slices[i]->def, port)) {
            return false;
        }
    }
    return true;
}

/* A message from a slice's controller. */
static void
sc_on_message(struct rconn *rc, struct buf *raw, void *aux)
{
    struct slice_conn *sc = aux;
    struct slice *slice = sc->slice;
    struct ofp_msg msg;
    struct ofp_error err;

    slice->counters.rx_msgs++;
    if (!sc->sw->ready) {
        buf_delete(raw);
        return;
    }
    if (ofp_decode(raw->data, raw->size, &msg, &err)) {
        LOG_PEER("slice %s: undecodable message from controller", slice->def->name);
        sc_send_error(sc, err, raw);
        buf_delete(raw);
        sc_bad_message(sc, rc);
        return;
    }
    switch (msg.type) {
    case OFPT_HELLO:
    case OFPT_ECHO_REQUEST:     /* rconn answers. */
    case OFPT_ECHO_REPLY:
        break;
    case OFPT_FEATURES_REQUEST:
        send_features(sc, msg.xid);
        break;
    case OFPT_GET_CONFIG_REQUEST: {
        struct ofp_msg m;
        ofp_make_config_reply(&m, msg.xid, sc->config_flags, sc->miss_send_len);
        sc_send(sc, &m);
        break;
    }
    case OFPT_SET_CONFIG:
        sc->config_flags = msg.config.flags;
        sc->miss_send_len = msg.config.miss_send_len;
        break;
    case OFPT_FLOW_MOD:
        if (take_token(sc)) {
            handle_flow_mod(sc, &msg, raw);
        }
        break;
    case OFPT_PACKET_OUT:
        if (take_token(sc)) {
            handle_packet_out(sc, &msg, raw);
        }
        break;
    case OFPT_PORT_MOD:
        if (!take_token(sc)) {
            break;
        }
        if (!port_owned_alone(sc->sw->slicer, slice, msg.port_mod.port_no)) {
            slice->counters.port_mod_refused++;
            LOG_PEER("slice %s: PORT_MOD of port %u refused: not the slice's alone",
                     slice->def->name, msg.port_mod.port_no);
            sc_send_error(sc, OFP_ERROR(OFPET_BAD_REQUEST, OFPBRC_EPERM), raw);
            break;
        }
        msg.xid = xid_sent(sc->sw, sc, msg.xid)->new_xid;
        sw_send(sc->sw, &msg);
        xid_maybe_retire(sc->sw);
        break;
    case OFPT_STATS_REQUEST:
        if (take_token(sc)) {
            handle_stats_request(sc, &msg, raw);
        }
        break;
    case OFPT_QUEUE_GET_CONFIG_REQUEST:
        if (msg.queue_get_config_request.port < OFPP_MAX
            && !slice_def_has_port(slice->def, msg.queue_get_config_request.port)) {
            slice->counters.other_refused++;
            sc_send_error(sc, OFP_ERROR(OFPET_QUEUE_OP_FAILED, OFPQOFC_EPERM), raw);
            break;
        }
        /* Fall through. */
    case OFPT_BARRIER_REQUEST:
        if (take_token(sc)) {
            msg.xid = xid_request(sc->sw, sc, msg.xid, XID_PLAIN);
            sw_send(sc->sw, &msg);
        }
        break;
    case OFPT_VENDOR:
        slice->counters.other_refused++;
        sc_send_error(sc, OFP_ERROR(OFPET_BAD_REQUEST, OFPBRC_BAD_VENDOR), raw);
        break;
    default:
        LOG_PEER("slice %s: controller sent %s", slice->def->name,
                 ofp_type_name(msg.type) ? ofp_type_name(msg.type) : "?");
        slice->counters.other_refused++;
        sc_send_error(sc, OFP_ERROR(OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE), raw);
        ofp_msg_uninit(&msg);
        buf_delete(raw);
        sc_bad_message(sc, rc);
        return;
    }
    ofp_msg_uninit(&msg);
    buf_delete(raw);
}

static void
sc_on_disconnected(struct rconn *rc, int error, void *aux)
{
    struct slice_conn *sc = aux;
    (void) rc;
    LOG_INFO("slice %s: controller %s disconnected (%s)", sc->slice->def->name,
             sc->slice->def->controller, error ? strerror(-error) : "closed");
    /* Buffers granted to the old connection mean nothing to a new one;
     * output for it is dropped. */
    buffer_track_clear(&sc->buffers);
    batch_destroy(&sc->out);
    sc->miss_send_len = 128;
    sc->config_flags = 0;
    sc->peer_cn[0] = '\0';
}

static const struct rconn_callbacks slice_conn_cbs = {
    .on_connected = sc_on_connected,
    .on_message = sc_on_message,
    .on_disconnected = sc_on_disconnected,
};

/* ---- Switches. ---- */

static void
sw_destroy(struct sw *sw)
{
    if (!sw) {
        return;
    }
    struct slicer *s = sw->slicer;
    for (size_t i = 0; i < s->n_slices && sw->conns; i++) {
        slice_conn_destroy(sw->conns[i]);
    }
    free(sw->conns);
    xid_map_destroy(&sw->xids);
    batch_destroy(&sw->out);
    of_conn_destroy(sw->conn);
    ofp_msg_uninit(&sw->features);
    free(sw->name);
    free(sw);
}

static void
sw_remove(struct sw *sw)
{
    struct slicer *s = sw->slicer;
    for (size_t i = 0; i < s->n_sws; i++) {
        if (s->sws[i] == sw) {
            s->sws[i] = s->sws[--s->n_sws];
            break;
        }
    }
    s->n_listener_sws[sw->listener]--;
    sw_destroy(sw);
}

static void
sw_ready(struct sw *sw, const struct ofp_msg *msg)
{
    struct slicer *s = sw->slicer;
    ofp_msg_uninit(&sw->features);
    ofp_make_features_reply(&sw->features, 0, msg->features.datapath_id,
                            msg->features.n_buffers, msg->features.n_tables,
                            msg->features.capabilities, msg->features.actions,
                            msg->features.ports, msg->features.n_ports);
    if (sw->ready) {
        return;
    }
    sw->ready = true;
    sw->dpid = msg->features.datapath_id;
    for (size_t i = 0; i < s->n_sws; i++) {
        struct sw *old = s->sws[i];
        if (old != sw && old->ready && old->dpid == sw->dpid) {
            /* One connection per dpid: the newest (a restarted switch, its
             * old connection not yet known dead) replaces the old one. */
            LOG_WARN("switch %s: dpid %016"PRIx64" connected again from %s: "
                     "dropping the old connection", old->name, old->dpid, sw->name);
            counter_inc(&slicer_switch_replaced);
            sw_remove(old);
            break;
        }
    }
    LOG_INFO("switch %s: dpid %016"PRIx64", %zu ports", sw->name, sw->dpid,
             msg->features.n_ports);
    sw->conns = xcalloc(s->n_slices + 1, sizeof *sw->conns);
    for (size_t i = 0; i < s->n_slices; i++) {
        slice_check_down(s, i, sw);
        sw->conns[i] = slice_conn_create(sw, s->slices[i]);
    }
    /* A switch that (re)connects may have restarted without its map. */
    map_pusher_switch_ready(s->map, sw->dpid);
}

/* A PACKET_IN for a slice, written straight into its batch (the hot path:
 * no struct ofp_msg, no encoder). */
static void
sc_send_packet_in(struct slice_conn *sc, const struct ofp_packet_in_h *pi,
                  uint32_t buffer_id, const uint8_t *data, size_t len)
{
    if (!sc->rconn || !rconn_is_connected(sc->rconn)) {
        return;
    }
    uint8_t h[OFP_PACKET_IN_LEN];
    h[0] = OFP_VERSION;
    h[1] = OFPT_PACKET_IN;
    put_be16(h + 2, (uint16_t) (sizeof h + len));
    put_be32(h + 4, 0);
    put_be32(h + 8, buffer_id);
    put_be16(h + 12, pi->total_len);
    put_be16(h + 14, pi->in_port);
    h[16] = pi->reason;
    h[17] = 0;
    struct slicer *s = sc->sw->slicer;
    batch_put_raw(s, &sc->out, h, sizeof h);
    if (batch_put_raw(s, &sc->out, data, len)) {
        sc_flush(sc);
    }
}

static void
deliver_packet_in(struct sw *sw, const struct ofp_packet_in_h *pi)
{
    struct slicer *s = sw->slicer;
    const uint8_t *data = pi->data.data;
    size_t len = pi->data.len;
    size_t *owners;
    size_t n_owners = 0;
    char lldp_slice[SLICE_NAME_MAX + 1];
    size_t untagged_len;
    struct ofp_match_h match;

    size_t lldp_owner;
    if (slice_lldp_untag(data, len, lldp_slice, &untagged_len)) {
        struct slice *owner = slicer_find_slice(s, lldp_slice);
        len = untagged_len;
        owners = &lldp_owner;
        if (owner) {
            owners[n_owners++] = slice_index(s, owner);
        }
        slice_frame_match(data, len, pi->in_port, &match);
    } else if (slice_frame_match(data, len, pi->in_port, &match)) {
        n_owners = classify(s, sw->dpid, &match);
        owners = s->owners;
    } else {
        return;
    }
    bool buffer_given = false;
    for (size_t k = 0; k < n_owners; k++) {
        struct slice_conn *sc = sw->conns[owners[k]];
        if (!sc->rconn || !rconn_is_connected(sc->rconn)) {
            continue;
        }
        uint32_t buffer_id = OFP_NO_BUFFER;
        size_t send_len = len;
        if (pi->buffer_id != OFP_NO_BUFFER && !buffer_given) {
            if (buffer_grant(sc, pi->buffer_id, &match)) {
                buffer_id = pi->buffer_id;
                buffer_given = true;
                send_len = MIN(len, (size_t) sc->miss_send_len);
            } else {
                sc->slice->counters.unbuffered++;
            }
        }
        sc_send_packet_in(sc, pi, buffer_id, data, send_len);
        sc->slice->counters.packet_ins++;
    }
}

static void
deliver_flow_removed(struct sw *sw, const struct ofp_msg *msg)
{
    struct slicer *s = sw->slicer;
    const struct ofp_flow_removed_h *fr = &msg->flow_removed;
    for (size_t i = 0; i < s->n_slices; i++) {
        bool wants;
        if (flow_track_removed(&sw->conns[i]->flows, &fr->match, fr->priority, &wants)) {
            if (wants) {
                sc_send(sw->conns[i], msg);
                s->slices[i]->counters.flow_removed++;
            }
            return;
        }
    }
    /* Not tracked (installed before the slicer started): to its owners. */
    for (size_t i = 0; i < s->n_slices; i++) {
        if (slice_owns_match(s->slices[i]->def, sw->dpid, &fr->match)) {
            sc_send(sw->conns[i], msg);
            s->slices[i]->counters.flow_removed++;
        }
    }
}

static void
deliver_port_status(struct sw *sw, const struct ofp_msg *msg)
{
    struct slicer *s = sw->slicer;
    /* Keep the cached feature ports current. */
    struct ofp_features_reply *f = &sw->features.features;
    const struct ofp_port_h *p = &msg->port_status.desc;
    size_t i;
    for (i = 0; i < f->n_ports && f->ports[i].port_no != p->port_no; i++) {
    }
    if (msg->port_status.reason == OFPPR_DELETE) {
        if (i < f->n_ports) {
            f->ports[i] = f->ports[--f->n_ports];
        }
    } else if (i < f->n_ports) {
        f->ports[i] = *p;
    } else {
        f->ports = xrealloc(f->ports, (f->n_ports + 1) * sizeof *f->ports);
        f->ports[f->n_ports++] = *p;
    }
    for (size_t k = 0; k < s->n_slices; k++) {
        if (p->port_no >= OFPP_MAX || slice_def_has_port(s->slices[k]->def, p->port_no)) {
            sc_send(sw->conns[k], msg);
            s->slices[k]->counters.port_status++;
        }
    }
}

static void
deliver_stats_reply(struct sw *sw, struct xid_req *x, struct ofp_msg *msg)
{
    struct slice_conn *sc = x->info.owner;
    const struct slice_def *def = sc->slice->def;
    struct ofp_stats_reply_h *sr = &msg->stats_reply;
    bool more = (sr->flags & OFPSF_REPLY_MORE) != 0;

    msg->xid = x->info.orig_xid;
    switch ((enum xid_kind) x->kind) {
    case XID_FLOW_STATS:
    case XID_AGGREGATE: {
        size_t k = 0;
        for (size_t i = 0; i < sr->flow.n; i++) {
            struct ofp_flow_stats_h *e = &sr->flow.entries[i];
            if (slice_owns_match(def, sw->dpid, &e->match)) {
                if (x->kind == XID_AGGREGATE) {
                    x->agg.packet_count += e->packet_count;
                    x->agg.byte_count += e->byte_count;
                    x->agg.flow_count++;
                    free(e->actions);
                } else {
                    sr->flow.entries[k++] = *e;
                }
            } else {
                free(e->actions);
            }
        }
        sr->flow.n = x->kind == XID_AGGREGATE ? 0 : k;
        if (x->kind == XID_AGGREGATE) {
            if (!more) {
                struct ofp_msg a;
                ofp_make_aggregate_stats_reply(&a, x->info.orig_xid, &x->agg);
                sc_send(sc, &a);
            }
            goto done;
        }
        break;
    }
    case XID_PORT_STATS: {
        size_t k = 0;
        for (size_t i = 0; i < sr->port.n; i++) {
            if (sr->port.entries[i].port_no >= OFPP_MAX
                || slice_def_has_port(def, sr->port.entries[i].port_no)) {
                sr->port.entries[k++] = sr->port.entries[i];
            }
        }
        sr->port.n = k;
        break;
    }
    case XID_QUEUE_STATS: {
        size_t k = 0;
        for (size_t i = 0; i < sr->queue.n; i++) {
            if (slice_def_has_port(def, sr->queue.entries[i].port_no)) {
                sr->queue.entries[k++] = sr->queue.entries[i];
            }
        }
        sr->queue.n = k;
        break;
    }
    case XID_TABLE_STATS:
        for (size_t i = 0; i < sr->table.n; i++) {
            sr->table.entries[i].active_count = (uint32_t) flow_track_count(&sc->flows);
        }
        break;
    case XID_PLAIN:
        break;
    }
    sc_send(sc, msg);
done:
    if (!more) {
        xid_map_remove_request(&sw->xids, x);
    }
}

/* An OFPT_ERROR from the switch goes to the slice whose message failed. */
static void
deliver_error(struct sw *sw, struct ofp_msg *msg)
{
    struct xid_info *x = xid_map_find_sent(&sw->xids, msg->xid);
    struct xid_req *req = NULL;
    if (!x) {
        req = xid_map_find_request(&sw->xids, msg->xid);
        if (req && req->kind == XID_MAP_RETIRE) {
            xid_map_retired(&sw->xids, req);
            return;
        }
        x = req ? &req->info : NULL;
    }
    if (!x || !x->owner) {
        LOG_DBG("switch %s: error for unknown xid %"PRIu32, sw->name, msg->xid);
        return;
    }
    struct slice_conn *sc = x->owner;
    /* The offending message's header carries the switch-side xid: give the
     * slice back its own. */
    uint8_t *data = NULL;
    if (msg->error.data.len >= 8) {
        data = xmemdup(msg->error.data.data, msg->error.data.len);
        uint32_t be = htonl(x->orig_xid);
        memcpy(data + 4, &be, 4);
        msg->error.data.data = data;
    }
    msg->xid = x->orig_xid;
    sc->slice->counters.errors_from_switch++;
    if (x->added_flow) {
        /* The flow was not installed after all. */
        bool wants;
        flow_track_removed(&sc->flows, &x->match, x->priority, &wants);
        x->added_flow = false;
    }
    sc_send(sc, msg);
    free(data);
    if (req) {
        xid_map_remove_request(&sw->xids, req);     /* No reply will follow. */
    }
}

/* --switch-identity: a switch on a TLS listener must present a certificate
 * (already verified against the CA by the handshake) that names no slice:
 * a slice controller's certificate cannot pose as a switch.  tcp: and
 * unix: switches carry no identity and are not checked.  Records the CN;
 * false if the switch is refused (logged as a peer fault, counted). */
static bool
sw_check_identity(struct sw *sw)
{
    struct stream *stream = of_conn_stream(sw->conn);
    struct pki_identity id;
    int error = stream ? pki_stream_peer_identity(stream, &id) : -ENOTCONN;
    sw->cn[0] = '\0';
    if (!error) {
        memcpy(sw->cn, id.cn, sizeof sw->cn);   /* Shown in any case. */
    }
    if (error == -ENOTSUP || !sw->slicer->switch_identity
        || (!error && !id.slice[0])) {
        return true;
    }
    counter_inc(&slicer_switch_identity_refused);
    if (error) {
        LOG_PEER("switch %s refused: no valid certificate identity (%s)",
                 sw->name, strerror(-error));
    } else {
        LOG_PEER("switch %s refused: certificate cn=%s is for slice %s "
                 "(a slice controller's, not a switch's)", sw->name, id.cn, id.slice);
    }
    return false;
}

/* A message from a switch the slicer cannot use: counted; over the limit
 * the switch is dropped (sw is freed: the caller returns at once). */
static void
sw_bad_message(struct sw *sw)
{
    sw->bad_messages++;
    counter_inc(&slicer_switch_bad_messages);
    if (garbage_count(&sw->garbage)) {
        counter_inc(&slicer_disconnect_garbage);
        LOG_PEER("switch %s: more than %d bad messages in %d s: disconnecting",
                 sw->name, SLICER_GARBAGE_MAX, SLICER_GARBAGE_WINDOW_MS / 1000);
        sw_remove(sw);
    }
}

static void
sw_on_message(struct of_conn *conn, struct buf *raw, void *aux)
{
    struct sw *sw = aux;
    struct ofp_msg msg;
    struct ofp_error err;
    struct xid_req *x;
    (void) conn;

    sw->rx_msgs++;
    if (raw->size >= OFP_PACKET_IN_LEN && raw->data[0] == OFP_VERSION
        && raw->data[1] == OFPT_PACKET_IN) {
        /* The hot path, decoded here (what ofp_decode() checks of a
         * PACKET_IN is its minimum length). */
        if (sw->ready) {
            struct ofp_packet_in_h pi = {
                .buffer_id = get_be32(raw->data + 8),
                .total_len = get_be16(raw->data + 12),
                .in_port = get_be16(raw->data + 14),
                .reason = raw->data[16],
            };
            pi.data.data = raw->data + OFP_PACKET_IN_LEN;
            pi.data.len = raw->size - OFP_PACKET_IN_LEN;
            deliver_packet_in(sw, &pi);
        }
        buf_delete(raw);
        return;
    }
    if (ofp_decode(raw->data, raw->size, &msg, &err)) {
        sw->decode_errors++;
        LOG_PEER("switch %s: undecodable message", sw->name);
        buf_delete(raw);
        sw_bad_message(sw);
        return;
    }
    switch (msg.type) {
    case OFPT_HELLO:
        sw->hello_seen = true;
        break;
    case OFPT_ECHO_REQUEST:
    case OFPT_ECHO_REPLY:
        break;
    case OFPT_FEATURES_REPLY:
        if (!sw->hello_seen) {
            /* The handshake is HELLO, then FEATURES_REPLY: nothing is
             * opened towards the slices' controllers before both. */
            LOG_PEER("switch %s: FEATURES_REPLY before HELLO", sw->name);
            ofp_msg_uninit(&msg);
            buf_delete(raw);
            sw_bad_message(sw);
            return;
        }
        if (!sw->ready && !sw_check_identity(sw)) {
            ofp_msg_uninit(&msg);
            buf_delete(raw);
            sw_remove(sw);
            return;
        }
        sw_ready(sw, &msg);
        break;
    case OFPT_PACKET_IN:
        if (sw->ready) {
            deliver_packet_in(sw, &msg.packet_in);
        }
        break;
    case OFPT_FLOW_REMOVED:
        if (sw->ready) {
            deliver_flow_removed(sw, &msg);
        }
        break;
    case OFPT_PORT_STATUS:
        if (sw->ready) {
            deliver_port_status(sw, &msg);
        }
        break;
    case OFPT_STATS_REPLY:
        x = xid_map_find_request(&sw->xids, msg.xid);
        if (x && x->info.owner) {
            deliver_stats_reply(sw, x, &msg);
        }
        break;
    case OFPT_ERROR:
        deliver_error(sw, &msg);
        break;
    case OFPT_BARRIER_REPLY:
    case OFPT_GET_CONFIG_REPLY:
    case OFPT_QUEUE_GET_CONFIG_REPLY:
        x = xid_map_find_request(&sw->xids, msg.xid);
        if (x && x->kind == XID_MAP_RETIRE) {
            xid_map_retired(&sw->xids, x);
        } else if (x) {
            msg.xid = x->info.orig_xid;
            sc_send(x->info.owner, &msg);
            xid_map_remove_request(&sw->xids, x);
        }
        break;
    default:
        LOG_PEER("switch %s: unexpected %s", sw->name,
                 ofp_type_name(msg.type) ? ofp_type_name(msg.type) : "?");
        ofp_msg_uninit(&msg);
        buf_delete(raw);
        sw_bad_message(sw);
        return;
    }
    ofp_msg_uninit(&msg);
    buf_delete(raw);
}

static void
sw_on_close(struct of_conn *conn, int error, void *aux)
{
    struct sw *sw = aux;
    (void) conn;
    if (sw->ready) {
        LOG_INFO("switch %s (dpid %016"PRIx64") disconnected (%s)", sw->name, sw->dpid,
                 error ? strerror(-error) : "closed");
    } else {
        /* Before FEATURES_REPLY any peer causes these: rate-limited. */
        static struct log_ratelimit rl = LOG_RATELIMIT_INIT(20, 10);
        LOG_RL(&rl, LOG_LEVEL_INFO, "switch %s disconnected before its handshake (%s)",
               sw->name, error ? strerror(-error) : "closed");
    }
    sw_remove(sw);
}

static const struct of_conn_callbacks sw_cbs = {
    .on_message = sw_on_message,
    .on_close = sw_on_close,
};

/* One accepted switch.  The connection cap, the EMFILE back-off and the
 * handshake timeout (a switch that does not complete TLS and say HELLO in
 * time) are lib/net/listener.c's. */
static void
accept_switch(struct listener *l, struct stream *stream, void *aux)
{
    static struct log_ratelimit rl = LOG_RATELIMIT_INIT(20, 10);
    struct slicer *s = aux;
    struct loop *loop = s->loop;
    size_t i = 0;
    while (i < s->n_listeners && s->listeners[i] != l) {
        i++;
    }
    BUG_ON(i >= s->n_listeners);
    if (s->n_listener_sws[i] >= s->max_switches) {
        /* Accepted and closed (not left in the backlog, which would keep
         * the listener readable). */
        s->switches_refused++;
        counter_inc(&slicer_switch_refused);
        static struct log_ratelimit rl_refused = LOG_RATELIMIT_INIT(1, 5);
        LOG_RL(&rl_refused, LOG_LEVEL_WARN, "switch from %s refused: %"PRIu32" switch "
               "connections on this listener (--max-switches)",
               stream_name(stream), s->max_switches);
        stream_close(stream);
        return;
    }
    struct sw *sw = xzalloc(sizeof *sw);
    sw->slicer = s;
    sw->listener = i;
    s->n_listener_sws[i]++;
    sw->name = xstrdup(stream_name(stream));
    xid_map_init(&sw->xids);
    sw->out.owner = sw;
    sw->out.is_sw = true;
    sw->conn = of_conn_create(loop, stream, &sw_cbs, sw);
    of_conn_set_auto_echo(sw->conn, true);
    s->sws = xrealloc(s->sws, (s->n_sws + 1) * sizeof *s->sws);
    s->sws[s->n_sws++] = sw;

    struct ofp_msg m;
    ofp_make_hello(&m, 1);
    sw_send(sw, &m);
    ofp_msg_init(&m, OFPT_FEATURES_REQUEST, 2);
    sw_send(sw, &m);
    /* Whole frames in every PACKET_IN: the slicer decides per
     * slice what to buffer and how much to pass on. */
    ofp_msg_init(&m, OFPT_SET_CONFIG, 3);
    m.config.flags = 0;
    m.config.miss_send_len = UINT16_MAX;
    sw_send(sw, &m);
    LOG_RL(&rl, LOG_LEVEL_INFO, "switch connected from %s", sw->name);
}

static int64_t
housekeeping(struct loop *loop, uint64_t id, void *aux)
{
    struct slicer *s = aux;
    uint64_t now = clock_now_ms();
    (void) loop;
    (void) id;
    for (size_t i = 0; i < s->n_sws; i++) {
        struct sw *sw = s->sws[i];
        xid_map_expire(&sw->xids, now, XID_MAX_AGE_MS);
        for (size_t k = 0; sw->ready && k < s->n_slices; k++) {
            if (!s->slices[k]->dead) {  /* A dead slice's are parked, empty. */
                buffer_track_expire(&sw->conns[k]->buffers, now, BUFFER_MAX_AGE_MS);
            }
        }
    }
    for (size_t k = 0; k < s->n_slices; k++) {
        slice_check_alive(s, k);
    }
    return HOUSEKEEPING_MS;
}

/* ---- Slices. ---- */

static struct slice *
slice_create(struct slice_def *def)
{
    struct slice *slice = xzalloc(sizeof *slice);
    slice->def = def;
    token_bucket_init(&slice->bucket, def->limits.rate, def->limits.burst, clock_now_ms());
    return slice;
}

static void
slice_destroy(struct slice *slice)
{
    if (slice) {
        slice_def_destroy(slice->def);
        free(slice->last_refusal);
        free(slice);
    }
}

struct slice *
slicer_find_slice(const struct slicer *s, const char *name)
{
    for (size_t i = 0; i < s->n_slices; i++) {
        if (!strcmp(s->slices[i]->def->name, name)) {
            return s->slices[i];
        }
    }
    return NULL;
}

size_t
slicer_n_slices(const struct slicer *s)
{
    return s->n_slices;
}

struct slice *
slicer_slice_at(const struct slicer *s, size_t i)
{
    return i < s->n_slices ? s->slices[i] : NULL;
}

json_t *
slicer_map_status_to_json(const struct slicer *s)
{
    return map_pusher_to_json(s->map);
}

/* After every change of the slices: the state file, and the data-plane
 * map where it changed. */
static int
save(struct slicer *s, char **errp)
{
    s->gen++;                   /* The PACKET_IN index is rebuilt. */
    map_pusher_changed(s->map);
    return s->state_path ? slicer_state_save(s, s->state_path, errp) : 0;
}

static int
check_def(const struct slice_def *def, char **errp)
{
    char *err = NULL;
    if (!slice_name_valid(def->name)) {
        *errp = xasprintf("bad slice name \"%s\" (1-31 of A-Z a-z 0-9 _ -)", def->name);
        return -EINVAL;
    }
    if (stream_verify_name(def->controller, false, &err)) {
        *errp = xasprintf("slice %s: controller: %s", def->name, err ? err : "bad name");
        free(err);
        return -EINVAL;
    }
    return 0;
}

int
slicer_add_slice(struct slicer *s, struct slice_def *def, char **errp)
{
    int error = check_def(def, errp);
    if (error) {
        slice_def_destroy(def);
        return error;
    }
    if (slicer_find_slice(s, def->name)) {
        *errp = xasprintf("slice %s exists", def->name);
        slice_def_destroy(def);
        return -EEXIST;
    }
    struct slice *slice = slice_create(def);
    s->slices = xrealloc(s->slices, (s->n_slices + 1) * sizeof *s->slices);
    s->slices[s->n_slices++] = slice;
    for (size_t i = 0; i < s->n_sws; i++) {
        struct sw *sw = s->sws[i];
        if (sw->ready) {
            sw->conns = xrealloc(sw->conns, (s->n_slices + 1) * sizeof *sw->conns);
            sw->conns[s->n_slices - 1] = slice_conn_create(sw, slice);
        }
    }
    LOG_INFO("slice %s added (controller %s)", def->name, def->controller);
    return save(s, errp);
}

int
slicer_del_slice(struct slicer *s, const char *name, char **errp)
{
    struct slice *slice = slicer_find_slice(s, name);
    if (!slice) {
        *errp = xasprintf("no slice %s", name);
        return -ENOENT;
    }
    size_t idx = slice_index(s, slice);
    for (size_t i = 0; i < s->n_sws; i++) {
        struct sw *sw = s->sws[i];
        if (!sw->ready) {
            continue;
        }
        /* The slice's flows go with it: delete inside its flowspace. */
        struct ofp_flow_mod_h del = { .command = OFPFC_DELETE, .buffer_id = OFP_NO_BUFFER,
                                      .out_port = OFPP_NONE };
        struct ofp_flow_mod_h *out;
        size_t n;
        struct ofp_error err;
        ofp_match_init_catchall(&del.match);
        if (!slice_rewrite_flow_mod(slice->def, sw->dpid, &del, &out, &n, &err)) {
            for (size_t k = 0; k < n; k++) {
                struct ofp_msg m;
                ofp_msg_init(&m, OFPT_FLOW_MOD, xid_sent(sw, NULL, 0)->new_xid);
                m.flow_mod = out[k];
                sw_send(sw, &m);
            }
            slice_flow_mods_free(out, n);
        }
        slice_conn_destroy(sw->conns[idx]);
        memmove(&sw->conns[idx], &sw->conns[idx + 1],
                (s->n_slices - idx - 1) * sizeof *sw->conns);
    }
    memmove(&s->slices[idx], &s->slices[idx + 1],
            (s->n_slices - idx - 1) * sizeof *s->slices);
    s->n_slices--;
    LOG_INFO("slice %s deleted", name);
    slice_destroy(slice);
    return save(s, errp);
}

int
slicer_set_controller(struct slicer *s, const char *name, const char *target,
                      uint32_t hold_delete_ms, char **errp)
{
    struct slice *slice = slicer_find_slice(s, name);
    char *err = NULL;
    if (!slice) {
        *errp = xasprintf("no slice %s", name);
        return -ENOENT;
    }
    if (stream_verify_name(target, false, &err)) {
        *errp = xasprintf("controller: %s", err ? err : "bad name");
        free(err);
        return -EINVAL;
    }
    free(slice->def->controller);
    slice->def->controller = xstrdup(target);
    size_t idx = slice_index(s, slice);
    slice->prober = NULL;
    slice->dead = false;        /* A new address: every switch tries it. */
    /* Only the control connection moves: flows, flow tracking and
     * counters stay; nothing is sent to the switch. */
    for (size_t i = 0; i < s->n_sws; i++) {
        struct sw *sw = s->sws[i];
        if (sw->ready) {
            struct slice_conn *sc = sw->conns[idx];
            rconn_destroy(sc->rconn);
            sc->parked = false;
            buffer_track_clear(&sc->buffers);
            batch_destroy(&sc->out);
            sc->peer_cn[0] = '\0';
            sc->hold_delete_ms = hold_delete_ms;
            sc->hold_delete_until_ms = 0;
            sc->rconn = open_rconn(sc);
        }
    }
    LOG_INFO("slice %s: controller set to %s%s", name, target,
             hold_delete_ms ? " (keeping flows: its first catch-all DELETE is held back)" : "");
    return save(s, errp);
}

int
slicer_update_slice(struct slicer *s, struct slice_def *def, char **errp)
{
    struct slice *slice = slicer_find_slice(s, def->name);
    if (!slice) {
        *errp = xasprintf("no slice %s", def->name);
        slice_def_destroy(def);
        return -ENOENT;
    }
    int error = check_def(def, errp);
    if (error) {
        slice_def_destroy(def);
        return error;
    }
    bool moved = strcmp(def->controller, slice->def->controller) != 0;
    char *target = moved ? xstrdup(def->controller) : NULL;
    free(def->controller);
    def->controller = xstrdup(slice->def->controller);
    slice_def_destroy(slice->def);
    slice->def = def;
    token_bucket_set(&slice->bucket, def->limits.rate, def->limits.burst, clock_now_ms());
    if (moved) {
        error = slicer_set_controller(s, def->name, target, 0, errp);
        free(target);
        return error;
    }
    return save(s, errp);
}

/* ---- JSON views. ---- */

static json_t *
counters_to_json(const struct slice_counters *c)
{
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
        "rx_msgs", (json_int_t) c->rx_msgs,
        "flow_mods", (json_int_t) c->flow_mods,
        "flow_mods_sent", (json_int_t) c->flow_mods_sent,
        "flow_mods_refused", (json_int_t) c->flow_mods_refused,
        "flow_limit_refused", (json_int_t) c->flow_limit_refused,
        "packet_outs", (json_int_t) c->packet_outs,
        "packet_outs_refused", (json_int_t) c->packet_outs_refused,
        "packet_ins", (json_int_t) c->packet_ins,
        "flow_removed", (json_int_t) c->flow_removed,
        "port_status", (json_int_t) c->port_status,
        "stats_requests", (json_int_t) c->stats_requests,
        "rate_dropped", (json_int_t) c->rate_dropped,
        "unbuffered", (json_int_t) c->unbuffered,
        "buffer_refused", (json_int_t) c->buffer_refused,
        "other_refused", (json_int_t) c->other_refused,
        "errors_from_switch", (json_int_t) c->errors_from_switch,
        "identity_refused", (json_int_t) c->identity_refused,
        "deletes_held", (json_int_t) c->deletes_held,
        "bad_messages", (json_int_t) c->bad_messages,
        "garbage_disconnects", (json_int_t) c->garbage_disconnects,
        "emerg_refused", (json_int_t) c->emerg_refused,
        "port_mod_refused", (json_int_t) c->port_mod_refused);
}

json_t *
slicer_slice_to_json(const struct slicer *s, const struct slice *slice,
                     bool with_switches)
{
    json_t *j = slice_def_to_json(slice->def);
    json_object_set_new(j, "counters", counters_to_json(&slice->counters));
    json_object_set_new(j, "controller_down", json_boolean(slice->dead));
    if (slice->last_refusal) {
        json_object_set_new(j, "last_refusal", json_string(slice->last_refusal));
    }
    if (with_switches) {
        size_t idx = slice_index(s, slice);
        json_t *sws = json_array();
        for (size_t i = 0; i < s->n_sws; i++) {
            struct sw *sw = s->sws[i];
            if (!sw->ready) {
                continue;
            }
            struct slice_conn *sc = sw->conns[idx];
            char dpid[24];
            snprintf(dpid, sizeof dpid, "%016"PRIx64, sw->dpid);
            json_array_append_new(sws, json_pack("{s:s, s:s, s:b, s:b, s:s, s:I, s:I}",
                "dpid", dpid,
                "controller", sc->rconn ? rconn_target(sc->rconn) : slice->def->controller,
                "connected", sc->rconn && rconn_is_connected(sc->rconn),
                "parked", sc->parked,
                "controller_cn", sc->peer_cn,
                "flows", (json_int_t) flow_track_count(&sc->flows),
                "buffers", (json_int_t) buffer_track_count(&sc->buffers)));
        }
        json_object_set_new(j, "switches", sws);
    }
    return j;
}

json_t *
slicer_switches_to_json(const struct slicer *s)
{
    json_t *a = json_array();
    for (size_t i = 0; i < s->n_sws; i++) {
        struct sw *sw = s->sws[i];
        char dpid[24];
        snprintf(dpid, sizeof dpid, "%016"PRIx64, sw->dpid);
        json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:b, s:I, s:I, s:I, s:I, s:I}",
            "peer", sw->name, "dpid", dpid, "cn", sw->cn, "ready", sw->ready,
            "ports", (json_int_t) sw->features.features.n_ports,
            "rx_msgs", (json_int_t) sw->rx_msgs, "tx_msgs", (json_int_t) sw->tx_msgs,
            "pending_xids", (json_int_t) (xid_map_n_requests(&sw->xids)
                                          + xid_map_n_sent(&sw->xids)),
            "bad_messages", (json_int_t) sw->bad_messages));
    }
    return a;
}

json_t *
slicer_vlan_map_to_json(const struct slicer *s)
{
    json_t *a = json_array();
    for (size_t i = 0; i < s->n_slices; i++) {
        const struct slice_def *def = s->slices[i]->def;
        uint16_t vlans[4096];
        size_t n = slice_def_vlans(def, FS_DPID_ANY, vlans, ARRAY_SIZE(vlans));
        json_t *jv = json_array();
        for (size_t k = 0; k < n; k++) {
            json_array_append_new(jv, json_integer(vlans[k]));
        }
        json_array_append_new(a, json_pack("{s:s, s:i, s:I, s:o}", "slice", def->name,
                                           "id", (int) i + 1, "weight", (json_int_t) def->weight,
                                           "vlans", jv));
    }
    return a;
}

/* ---- Life cycle. ---- */

int
slicer_create(struct loop *loop, const struct slicer_options *o,
              struct slicer **sp, char **errp)
{
    struct slicer *s = xzalloc(sizeof *s);
    struct slice_def **defs = NULL;
    size_t n_defs = 0;
    int error = 0;

    s->loop = loop;
    list_init(&s->dirty);
    buf_init(&s->scratch, 256);
    s->probe_interval_ms = o->probe_interval_ms;
    s->max_switches = o->max_switches ? o->max_switches : SLICER_DEFAULT_MAX_SWITCHES;
    s->switch_identity = o->switch_identity;
    s->state_path = o->state ? xstrdup(o->state) : NULL;
    *sp = NULL;

    /* The state file (the last run's slices) wins over the config file. */
    if (o->state && !access(o->state, F_OK)) {
        error = slicer_state_load(o->state, &defs, &n_defs, errp);
    } else if (o->config) {
        error = slicer_state_load(o->config, &defs, &n_defs, errp);
    }
    if (error) {
        goto fail;
    }
    for (size_t i = 0; i < n_defs; i++) {
        struct slice_def *def = defs[i];
        defs[i] = NULL;
        error = check_def(def, errp);
        if (!error && slicer_find_slice(s, def->name)) {
            *errp = xasprintf("slice %s defined twice", def->name);
            error = -EEXIST;
        }
        if (error) {
            slice_def_destroy(def);
            goto fail;
        }
        s->slices = xrealloc(s->slices, (s->n_slices + 1) * sizeof *s->slices);
        s->slices[s->n_slices++] = slice_create(def);
    }
    for (size_t i = 0; i < o->n_listen; i++) {
        struct listener *l;
        char *err = NULL;
        error = listener_open(loop, o->listen[i], NULL, accept_switch, s, &l, &err);
        if (error) {
            *errp = xasprintf("%s: %s", o->listen[i], err ? err : strerror(-error));
            free(err);
            goto fail;
        }
        s->listeners = xrealloc(s->listeners, (s->n_listeners + 1) * sizeof *s->listeners);
        s->n_listener_sws = xrealloc(s->n_listener_sws,
                                     (s->n_listeners + 1) * sizeof *s->n_listener_sws);
        s->n_listener_sws[s->n_listeners] = 0;
        s->listeners[s->n_listeners++] = l;
    }
    if (o->ctl_path) {
        error = slicer_ctl_start(s, loop, o->ctl_path, errp);
        if (error) {
            goto fail;
        }
    }
    error = save(s, errp);
    if (error) {
        goto fail;
    }
    if (o->n_switch_ctl) {
        error = map_pusher_create(loop, s, o->switch_ctl, o->n_switch_ctl, &s->map, errp);
        if (error) {
            goto fail;
        }
        map_pusher_push_all(s->map);
    }
    s->housekeeping_timer = loop_add_timer(loop, HOUSEKEEPING_MS, housekeeping, s);
    for (size_t i = 0; i < n_defs; i++) {
        slice_def_destroy(defs[i]);
    }
    free(defs);
    *sp = s;
    return 0;

fail:
    for (size_t i = 0; i < n_defs; i++) {
        slice_def_destroy(defs[i]);
    }
    free(defs);
    slicer_destroy(s);
    return error;
}

uint16_t
slicer_listen_port(const struct slicer *s)
{
    return s->n_listeners ? listener_port(s->listeners[0]) : 0;
}

void
slicer_destroy(struct slicer *s)
{
    if (!s) {
        return;
    }
    slicer_ctl_stop(s);
    map_pusher_destroy(s->map);
    s->map = NULL;
    loop_cancel_timer(s->loop, s->housekeeping_timer);
    loop_cancel_timer(s->loop, s->flush_timer);
    while (s->n_sws) {
        sw_remove(s->sws[0]);
    }
    free(s->sws);
    for (size_t i = 0; i < s->n_listeners; i++) {
        listener_close(s->listeners[i]);
    }
    free(s->listeners);
    free(s->n_listener_sws);
    for (size_t i = 0; i < s->n_slices; i++) {
        slice_destroy(s->slices[i]);
    }
    free(s->slices);
    free(s->state_path);
    buf_uninit(&s->scratch);
    vlan_index_destroy(s->index);
    free(s->cand);
    free(s->owners);
    free(s->cand_defs);
    free(s);
}

void *
slicer_ctl_handle(struct slicer *s)
{
    return s->ctl;
}

void
slicer_set_ctl_handle(struct slicer *s, void *ctl)
{
    s->ctl = ctl;
}
