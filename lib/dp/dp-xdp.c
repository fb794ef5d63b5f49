/* dp-xdp — see dp-xdp.h. */
#include "dp/dp-xdp.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dp/datapath-private.h"
#include "dp/port-afxdp.h"
#include "dp/slice-sched.h"
#include "dp/veth-peer.h"
#include "dp/xdp/fastpath.h"
#include "util/clock.h"
#include "util/counter.h"
#include "util/hash.h"
#include "util/hmap.h"
#include "util/log.h"

LOG_MODULE(dp_xdp);

COUNTER_DEFINE(dp_xdp_installs, "datapath flows installed in the XDP fast path");
COUNTER_DEFINE(dp_xdp_not_installable, "misses whose flow the XDP fast path cannot execute (slow path)");
COUNTER_DEFINE(dp_xdp_table_full, "datapath flows not installed: the kernel's flow map is full");
COUNTER_DEFINE(dp_xdp_revalidated, "datapath flows changed or removed by revalidation");
COUNTER_DEFINE(dp_xdp_errors, "failed updates of the XDP fast path's maps");

/* One installed datapath flow. */
struct dpx_flow {
    struct hmap_node node;          /* In x->flows, by key hash. */
    struct hmap_node by_entry;      /* In x->by_entry, by entry pointer
                                     * (only while `entry` is set). */
    struct flow_key key;
    struct flow_entry *entry;       /* NULL: its flow was released; the
                                     * next revalidation re-resolves it. */
    struct fp_flow compiled;
    uint64_t seen_packets, seen_bytes;  /* Kernel counters already credited. */
};

struct dp_xdp {
    struct datapath *dp;
    struct fastpath *fp;
    struct hmap flows;
    struct hmap by_entry;
    uint32_t *free_ids;             /* Stack of free flow ids. */
    size_t n_free_ids;
    size_t max_flows;
    uint32_t version;               /* Table version last revalidated. */
    bool dirty;                     /* Ports changed: revalidate. */
    uint32_t config;
    uint64_t installs, removals, revalidations;

    /* Slow-path fairness (see fair_update()). */
    struct slice_sched *sched;          /* Weights and VLAN map; NULL: off. */
    bool policing;                      /* Policers are set. */
    uint64_t fair_last_ms;
    double capacity;                    /* Slow-path frames/s it can take. */
    uint64_t calm_ms;                   /* Since when demand fits. */
    uint64_t last_failed, last_ring_drops;
    struct fp_slice_stats last[FP_MAX_SLICES];
    uint64_t rate[FP_MAX_SLICES];       /* Policer rates set (0: none). */
};

static uint32_t
entry_hash(const struct flow_entry *e)
{
    uintptr_t v = (uintptr_t) e;
    return hash_int((uint32_t) v ^ (uint32_t) (v >> 32), 0);
}

static flow_release_cb release_cb;
static void fair_update(struct dp_xdp *);

struct dp_xdp *
dp_xdp_create(struct datapath *dp, size_t max_flows, int *error)
{
    struct fastpath *fp;
    *error = fastpath_get(max_flows, &fp);
    if (*error) {
        return NULL;
    }
    struct dp_xdp *x = xzalloc(sizeof *x);
    x->dp = dp;
    x->fp = fp;
    hmap_init(&x->flows);
    hmap_init(&x->by_entry);
    x->max_flows = fastpath_max_flows(fp);
    x->free_ids = xmalloc(x->max_flows * sizeof *x->free_ids);
    for (size_t i = 0; i < x->max_flows; i++) {
        x->free_ids[x->n_free_ids++] = (uint32_t) (x->max_flows - 1 - i);
    }
    x->version = dp->table.version;
    flow_table_set_release_cb(&dp->table, release_cb, x);
    return x;
}

static void
forget_entry(struct dp_xdp *x, struct dpx_flow *f)
{
    if (f->entry) {
        hmap_remove(&x->by_entry, &f->by_entry);
        f->entry = NULL;
    }
}

static void
set_entry(struct dp_xdp *x, struct dpx_flow *f, struct flow_entry *e)
{
    if (f->entry != e) {
        forget_entry(x, f);
        f->entry = e;
        hmap_insert(&x->by_entry, &f->by_entry, entry_hash(e));
    }
}

static void credit(struct dp_xdp *, struct dpx_flow *, const struct fp_flow_stats *,
                   uint64_t now_ms);

/* Removes a datapath flow from the kernel, crediting its last counts to
 * its OpenFlow flow (if it still has one). */
static void
remove_flow(struct dp_xdp *x, struct dpx_flow *f)
{
    int error = fastpath_flow_del(x->fp, (const struct fp_key *) &f->key);
    if (f->entry) {
        struct fp_flow_stats s;
        if (!fastpath_flow_stats(x->fp, f->compiled.id, &s)) {
            credit(x, f, &s, clock_now_ms());
        }
    }
    if (error && error != -ENOENT) {
        counter_inc(&dp_xdp_errors);
    }
    forget_entry(x, f);
    hmap_remove(&x->flows, &f->node);
    x->free_ids[x->n_free_ids++] = f->compiled.id;
    x->removals++;
    free(f);
}

void
dp_xdp_destroy(struct dp_xdp *x)
{
    if (!x) {
        return;
    }
    struct dpx_flow *f;
    HMAP_FOR_EACH (f, node, &x->flows) {
        remove_flow(x, f);
    }
    hmap_destroy(&x->flows);
    hmap_destroy(&x->by_entry);
    free(x->free_ids);
    flow_table_set_release_cb(&x->dp->table, NULL, NULL);
    fastpath_put(x->fp);
    free(x);
}

bool
dp_xdp_is_fast_port(const struct dp_xdp *x, const struct dp_port *p)
{
    return x && p && port_afxdp_ifindex(p->port) > 0;
}

static uint16_t
port_flags(const struct dp_port *p)
{
    uint16_t flags = FP_PORT_F_FAST;
    if (p->config & (OFPPC_NO_RECV | OFPPC_PORT_DOWN)) {
        flags |= FP_PORT_F_NO_RECV;
    }
    return flags;
}

static void
program_port(struct dp_xdp *x, struct dp_port *p)
{
    int ifindex = port_afxdp_ifindex(p->port);
    struct fp_port fport = {
        .port_no = p->port_no,
        .flags = port_flags(p),
        .xsk_slot = (uint32_t) port_afxdp_xsk_slot(p->port),
    };
    int error = fastpath_set_port(x->fp, ifindex, &fport);
    if (!error) {
        error = fastpath_set_tx_port(x->fp, p->port_no, ifindex);
    }
    if (error) {
        counter_inc(&dp_xdp_errors);
        LOG_WARN("port %u: cannot program the XDP fast path (%s)", p->port_no,
                 strerror(-error));
    }
}

/* Can the kernel redirect frames into p?  A veth can only take redirected
 * frames when its peer has NAPI (an XDP program, or GRO on); otherwise the
 * kernel drops them, mostly without counting them.  For veth ports only
 * (tap devices and NIC drivers are trusted), at port add, at link changes
 * and every RECHECK_MS while the answer is no:
 *   - one live probe frame (a broadcast with the IEEE local-experimental
 *     Ethertype 0x88b6, which hosts ignore) is redirected into the port
 *     where the kernel allows BPF_PROG_RUN with live frames, and the veth's
 *     transmit counters are compared;
 *   - where it does not, the peer's own state is read in its namespace
 *     (veth-peer.h); where that cannot be told either, the answer is yes;
 * and watch_tx() checks the answer against the counters every ~100 ms.
 * Returns 1 (yes), 0 (no) or -1 (yes, not proven). */
static int
probe_tx(struct dp_xdp *x, struct dp_port *p)
{
    uint64_t before, after, xmits;
    if (port_afxdp_xdp_xmit_stats(p->port, &xmits, &before)) {
        return 1;                       /* Not a veth: trusted. */
    }
    struct dp_xdp_port_stats ps;
    dp_xdp_port_stats(x, p->port_no, &ps);
    p->xdp_xmit_errors = before;
    p->xdp_xmits = xmits;
    p->xdp_redirects = p->xdp_redirects_prev = ps.tx_packets;
    uint8_t frame[60];
    memset(frame, 0, sizeof frame);
    memset(frame, 0xff, 6);
    port_get_mac(p->port, frame + 6);
    frame[12] = 0x88;
    frame[13] = 0xb6;
    memcpy(frame + 14, "plural xdp redirect probe", 25);
    int error = fastpath_probe_redirect(x->fp, p->port_no, frame, sizeof frame);
    if (error) {
        int napi = veth_peer_has_napi(port_afxdp_ifindex(p->port));
        LOG_DBG("port %u: no live redirect probe here (%s); the veth's peer "
                "has NAPI: %s", p->port_no, strerror(-error),
                napi > 0 ? "yes" : napi == 0 ? "no" : "cannot tell");
        return napi >= 0 ? napi : -1;
    }
    if (port_afxdp_xdp_xmit_stats(p->port, &xmits, &after)) {
        return -1;
    }
    p->xdp_xmit_errors = after;
    return after == before && xmits > p->xdp_xmits;
}

static void
warn_no_tx(const struct dp_port *p)
{
    LOG_WARN("port %u (%s): the kernel cannot redirect into this veth (its "
             "peer has no NAPI: no XDP program and GRO off, or GRO turned on "
             "while the peer was down): frames to it take the AF_XDP path; "
             "`ethtool -K PEER gro on` on the peer, once it is up, enables the "
             "fast path", p->port_no, port_name(p->port));
}

static void
check_tx(struct dp_xdp *x, struct dp_port *p)
{
    bool was = p->xdp_tx_ok, first = !p->xdp_tx_checked_ms;
    int ok = probe_tx(x, p);
    p->xdp_tx_ok = ok != 0;
    p->xdp_tx_checked_ms = clock_now_ms() | 1;
    if (!ok && (was || first)) {
        warn_no_tx(p);
    } else if (ok && !was && !first) {
        LOG_INFO("port %u (%s): XDP redirects into it work now", p->port_no,
                 port_name(p->port));
        x->dirty = true;
    }
}

/* Ports that could not take redirects are looked at again every few
 * seconds (someone may turn GRO on at the peer). */
#define RECHECK_MS 5000
static void
recheck_tx(struct dp_xdp *x)
{
    uint64_t now = clock_now_ms();
    for (size_t i = 0; i < x->dp->n_ports; i++) {
        struct dp_port *p = x->dp->list[i];
        if (!p->xdp_tx_ok && !p->xdp_tx_distrust && p->link_up
            && dp_xdp_is_fast_port(x, p) && now >= p->xdp_tx_checked_ms + RECHECK_MS) {
            check_tx(x, p);
        }
    }
}

/* Every sync: a fast output port whose veth counted transmit errors
 * since the last look is not one. */
static void
watch_tx(struct dp_xdp *x)
{
    if (fastpath_config(x->fp) & FP_CFG_TRACE) {
        return;     /* Tests run frames through the program without sending. */
    }
    for (size_t i = 0; i < x->dp->n_ports; i++) {
        struct dp_port *p = x->dp->list[i];
        uint64_t errors, xmits;
        if (!p->xdp_tx_ok || !dp_xdp_is_fast_port(x, p)
            || port_afxdp_xdp_xmit_stats(p->port, &xmits, &errors)) {
            continue;
        }
        struct dp_xdp_port_stats ps;
        dp_xdp_port_stats(x, p->port_no, &ps);
        /* Frames redirected into it (counted by our program when it
         * redirects; the veth transmits them at the end of the same NAPI
         * poll) while the veth made no transmission at all: its peer drops
         * them silently.  Only redirects older than the previous sync count
         * (a poll may be in flight now), and only when two or more. */
        if (xmits != p->xdp_xmits) {
            p->xdp_xmits = xmits;
            p->xdp_redirects = ps.tx_packets;
        }
        bool silent = p->xdp_redirects_prev >= p->xdp_redirects + 2;
        p->xdp_redirects_prev = ps.tx_packets;
        if (errors > p->xdp_xmit_errors || silent) {
            p->xdp_tx_ok = false;
            /* The peer's flags said yes and the kernel says no (e.g. GRO
             * turned on while the peer was down leaves the flag on without
             * NAPI): trust the counters until the link changes. */
            p->xdp_tx_distrust = true;
            warn_no_tx(p);
            x->dirty = true;
        }
        p->xdp_xmit_errors = errors;
    }
}

void
dp_xdp_port_added(struct dp_xdp *x, struct dp_port *p)
{
    if (!dp_xdp_is_fast_port(x, p)) {
        return;
    }
    program_port(x, p);
    check_tx(x, p);
    x->dirty = true;
}

void
dp_xdp_port_removed(struct dp_xdp *x, struct dp_port *p)
{
    if (!x) {
        return;
    }
    if (dp_xdp_is_fast_port(x, p)) {
        fastpath_set_tx_port(x->fp, p->port_no, 0);
    }
    /* Flows into or out of the port must go now, not at the next pass:
     * the port number may be reused before that. */
    struct dpx_flow *f;
    HMAP_FOR_EACH (f, node, &x->flows) {
        if (f->key.in_port == p->port_no
            || (f->compiled.verdict == FP_VERDICT_OUTPUT
                && f->compiled.out_port == p->port_no)) {
            remove_flow(x, f);
        }
    }
}

void
dp_xdp_port_changed(struct dp_xdp *x, struct dp_port *p)
{
    if (!x) {
        return;
    }
    if (dp_xdp_is_fast_port(x, p)) {
        program_port(x, p);
        if (p->link_up) {
            p->xdp_tx_distrust = false;
            check_tx(x, p);         /* The peer may have changed. */
        }
    }
    x->dirty = true;
}

/* A port the kernel can send to now (OpenFlow config and link allow it). */
static bool
fast_output_ok(const struct dp_xdp *x, const struct dp_port *q)
{
    return dp_xdp_is_fast_port(x, q) && q->link_up && q->xdp_tx_ok
           && !(q->config & (OFPPC_NO_FWD | OFPPC_PORT_DOWN));
}

/* Compiles `e`'s actions for a frame with `key`.  Returns true when the
 * kernel can execute them exactly as dp_actions_execute() would. */
static bool
compile(const struct dp_xdp *x, const struct flow_key *key,
        const struct flow_entry *e, struct fp_flow *out)
{
    memset(out, 0, sizeof *out);
    out->verdict = FP_VERDICT_DROP;
    bool output_seen = false;
    for (size_t i = 0; i < e->n_actions; i++) {
        const struct ofp_action *a = &e->actions[i];
        if (output_seen) {
            return false;               /* Anything after the output. */
        }
        struct fp_edit ed;
        memset(&ed, 0, sizeof ed);
        switch (a->type) {
        case OFPAT_OUTPUT: {
            uint16_t port = a->output.port;
            const struct dp_port *q;
            if (port == OFPP_IN_PORT) {
                q = dp_port_lookup(x->dp, key->in_port);
                if (!fast_output_ok(x, q)) {
                    return false;
                }
                out->verdict = FP_VERDICT_IN_PORT;
            } else if (port < DP_MAX_PORTS || port == OFPP_LOCAL) {
                if (port == key->in_port) {
                    return false;       /* Dropped and counted in user space. */
                }
                q = dp_port_lookup(x->dp, port);
                if (!fast_output_ok(x, q)) {
                    return false;
                }
                out->verdict = FP_VERDICT_OUTPUT;
                out->out_port = port;
            } else {
                return false;           /* FLOOD, ALL, NORMAL, CONTROLLER... */
            }
            output_seen = true;
            continue;
        }
        case OFPAT_SET_VLAN_VID:
            ed.type = FP_EDIT_VLAN_VID;
            ed.arg16 = a->vlan_vid;
            break;
        case OFPAT_SET_VLAN_PCP:
            ed.type = FP_EDIT_VLAN_PCP;
            ed.arg8 = a->vlan_pcp;
            break;
        case OFPAT_STRIP_VLAN:
            ed.type = FP_EDIT_STRIP_VLAN;
            break;
        case OFPAT_SET_DL_SRC:
        case OFPAT_SET_DL_DST:
            ed.type = a->type == OFPAT_SET_DL_SRC ? FP_EDIT_DL_SRC : FP_EDIT_DL_DST;
            memcpy(ed.mac, a->dl_addr, 6);
            break;
        case OFPAT_SET_NW_SRC:
        case OFPAT_SET_NW_DST:
            ed.type = a->type == OFPAT_SET_NW_SRC ? FP_EDIT_NW_SRC : FP_EDIT_NW_DST;
            ed.arg32 = a->nw_addr;
            break;
        case OFPAT_SET_NW_TOS:
            ed.type = FP_EDIT_NW_TOS;
            ed.arg8 = a->nw_tos;
            break;
        case OFPAT_SET_TP_SRC:
        case OFPAT_SET_TP_DST:
            ed.type = a->type == OFPAT_SET_TP_SRC ? FP_EDIT_TP_SRC : FP_EDIT_TP_DST;
            ed.arg16 = a->tp_port;
            break;
        default:
            return false;               /* ENQUEUE (queue counters), ... */
        }
        if (out->n_edits == FP_MAX_EDITS) {
            return false;
        }
        out->edits[out->n_edits++] = ed;
    }
    if (out->verdict == FP_VERDICT_DROP) {
        out->n_edits = 0;               /* Edits of a dropped frame. */
    }
    return true;
}

static struct dpx_flow *
find_flow(const struct dp_xdp *x, const struct flow_key *key, uint32_t hash)
{
    struct dpx_flow *f;
    HMAP_FOR_EACH_WITH_HASH (f, node, hash, &x->flows) {
        if (flow_key_equal(&f->key, key)) {
            return f;
        }
    }
    return NULL;
}

void
dp_xdp_install(struct dp_xdp *x, const struct flow_key *key, struct flow_entry *e)
{
    if (x->version != x->dp->table.version || x->dirty) {
        return;             /* Revalidate first; the next miss installs. */
    }
    uint32_t hash = flow_key_hash(key, 0);
    struct dpx_flow *f = find_flow(x, key, hash);
    if (f) {
        return;
    }
    struct fp_flow compiled;
    if (!compile(x, key, e, &compiled)) {
        counter_inc(&dp_xdp_not_installable);
        return;
    }
    if (!x->n_free_ids) {
        counter_inc(&dp_xdp_table_full);
        return;
    }
    compiled.id = x->free_ids[x->n_free_ids - 1];
    int error = fastpath_flow_stats_zero(x->fp, compiled.id);
    if (!error) {
        error = fastpath_flow_put(x->fp, (const struct fp_key *) key, &compiled);
    }
    if (error) {
        counter_inc(error == -E2BIG || error == -ENOSPC ? &dp_xdp_table_full
                                                        : &dp_xdp_errors);
        return;
    }
    x->n_free_ids--;
    f = xzalloc(sizeof *f);
    f->key = *key;
    f->compiled = compiled;
    hmap_insert(&x->flows, &f->node, hash);
    set_entry(x, f, e);
    x->installs++;
    counter_inc(&dp_xdp_installs);
}

/* Credits the kernel's counters of `f` gained since the last look to its
 * flow (if it still has one). */
static void
credit(struct dp_xdp *x, struct dpx_flow *f, const struct fp_flow_stats *s,
       uint64_t now_ms)
{
    uint64_t dp = s->packets - f->seen_packets;
    uint64_t db = s->bytes - f->seen_bytes;
    f->seen_packets = s->packets;
    f->seen_bytes = s->bytes;
    if (!dp) {
        return;
    }
    struct datapath *d = x->dp;
    d->stats.n_packets += dp;
    d->stats.n_matched += dp;
    d->stats.n_fast_hits += dp;
    d->table.lookups += dp;
    d->table.matched += dp;
    if (f->entry) {
        flow_entry_account(f->entry, dp, db, now_ms);
    }
}

static void
release_cb(struct flow_entry *e, void *x_)
{
    struct dp_xdp *x = x_;
    uint64_t now = clock_now_ms();
    struct dpx_flow *f;
    uint32_t hash = entry_hash(e);
    /* Safe iteration: forget_entry() removes from this chain. */
    struct hmap_node *hn = hmap_first_with_hash(&x->by_entry, hash);
    while (hn) {
        struct hmap_node *next = hmap_next_with_hash(hn);
        f = CONTAINER_OF(hn, struct dpx_flow, by_entry);
        if (f->entry == e) {
            struct fp_flow_stats s;
            if (!fastpath_flow_stats(x->fp, f->compiled.id, &s)) {
                credit(x, f, &s, now);
            }
            forget_entry(x, f);
        }
        hn = next;
    }
}

void
dp_xdp_revalidate(struct dp_xdp *x)
{
    if (!x || (x->version == x->dp->table.version && !x->dirty)) {
        return;
    }
    size_t changed = 0;
    struct dpx_flow *f;
    HMAP_FOR_EACH (f, node, &x->flows) {
        struct flow_entry *e = flow_table_classify(&x->dp->table, &f->key);
        struct fp_flow compiled;
        if (!e || !compile(x, &f->key, e, &compiled)) {
            remove_flow(x, f);
            changed++;
            continue;
        }
        compiled.id = f->compiled.id;
        if (memcmp(&compiled, &f->compiled, sizeof compiled)) {
            if (fastpath_flow_put(x->fp, (const struct fp_key *) &f->key, &compiled)) {
                counter_inc(&dp_xdp_errors);
                remove_flow(x, f);
                changed++;
                continue;
            }
            f->compiled = compiled;
            changed++;
        }
        set_entry(x, f, e);
    }
    x->version = x->dp->table.version;
    x->dirty = false;
    x->revalidations++;
    if (changed) {
        counter_add(&dp_xdp_revalidated, changed);
    }
}

void
dp_xdp_run(struct dp_xdp *x)
{
    if (!x) {
        return;
    }
    watch_tx(x);
    recheck_tx(x);
    fair_update(x);
}

void
dp_xdp_sync_stats(struct dp_xdp *x)
{
    if (!x) {
        return;
    }
    dp_xdp_revalidate(x);
    size_t n = hmap_count(&x->flows);
    if (!n) {
        return;
    }
    uint32_t *ids = xmalloc(n * sizeof *ids);
    struct dpx_flow **fl = xmalloc(n * sizeof *fl);
    struct fp_flow_stats *st = xmalloc(n * sizeof *st);
    size_t i = 0;
    struct dpx_flow *f;
    HMAP_FOR_EACH (f, node, &x->flows) {
        ids[i] = f->compiled.id;
        fl[i++] = f;
    }
    fastpath_flow_stats_many(x->fp, ids, n, st);
    uint64_t now = clock_now_ms();
    for (i = 0; i < n; i++) {
        credit(x, fl[i], &st[i], now);
    }
    free(ids);
    free(fl);
    free(st);
}

void
dp_xdp_set_frag_drop(struct dp_xdp *x, bool on)
{
    if (!x) {
        return;
    }
    uint32_t cfg = fastpath_config(x->fp);
    cfg = on ? cfg | FP_CFG_FRAG_DROP : cfg & ~(uint32_t) FP_CFG_FRAG_DROP;
    fastpath_set_config(x->fp, cfg);
}

void
dp_xdp_set_policing(struct dp_xdp *x, bool on)
{
    if (!x) {
        return;
    }
    uint32_t cfg = fastpath_config(x->fp);
    cfg = on ? cfg | FP_CFG_POLICE : cfg & ~(uint32_t) FP_CFG_POLICE;
    fastpath_set_config(x->fp, cfg);
}

void
dp_xdp_port_stats(struct dp_xdp *x, uint16_t port_no, struct dp_xdp_port_stats *s)
{
    struct fp_port_stats ps;
    memset(s, 0, sizeof *s);
    if (x && !fastpath_port_stats(x->fp, port_no, &ps)) {
        s->rx_packets = ps.rx_packets;
        s->rx_bytes = ps.rx_bytes;
        s->tx_packets = ps.tx_packets;
        s->tx_bytes = ps.tx_bytes;
        s->rx_dropped = ps.rx_dropped;
    }
}

void
dp_xdp_get_stats(struct dp_xdp *x, struct dp_fastpath_stats *s)
{
    uint64_t c[FP_C_MAX];
    fastpath_counters(x->fp, c);
    s->n_flows = hmap_count(&x->flows);
    s->max_flows = x->max_flows;
    s->hits = c[FP_C_HIT];
    s->misses = c[FP_C_MISS];
    s->unparsed = c[FP_C_UNPARSED];
    s->punt_failed = c[FP_C_PUNT_FAILED];
    s->policed = c[FP_C_POLICED];
    s->installs = x->installs;
    s->removals = x->removals;
    s->revalidations = x->revalidations;
}

int
dp_xdp_set_vlan_slice(struct dp_xdp *x, uint32_t vlan, uint32_t slot)
{
    return fastpath_set_vlan_slice(x->fp, vlan, slot);
}

int
dp_xdp_set_policer(struct dp_xdp *x, uint32_t slot, uint64_t rate_pps, uint64_t burst)
{
    return fastpath_set_policer(x->fp, slot, rate_pps, burst);
}

int
dp_xdp_slice_stats(struct dp_xdp *x, uint32_t slot, struct fp_slice_stats *s)
{
    return fastpath_slice_stats(x->fp, slot, s);
}


/* Slow-path fairness.
 *
 * With the fast path, what slices share and can exhaust is the slow path:
 * the AF_XDP rings and the switch's thread, which take frames the kernel
 * cannot finish (table misses, flows with several outputs or CONTROLLER,
 * unparsed frames) at a few hundred thousand frames per second, against
 * millions in the kernel.  Every ~100 ms this looks at what each slice
 * offered to the slow path (punted + policed + failed, from the kernel's
 * per-slice counters) and at signs of saturation (frames lost because an
 * AF_XDP ring was full).  While saturated, the slow path's capacity is
 * the rate it actually served, and each slice's policer (a token bucket in
 * the XDP program, applied before a frame is handed up) gets its weighted
 * max-min fair share of that capacity: a slice asking less than its share
 * keeps what it asks (with headroom), the rest is split by weight.  The
 * capacity estimate then creeps up 5% per interval while no frame is lost,
 * and policers are lifted after 2 s in which total demand fits in 70% of
 * it.  A flood therefore overflows its own policer, counted as its
 * `policed` frames, and never the shared ring. */

#define FAIR_INTERVAL_MS 100
#define FAIR_CALM_MS 2000

static uint64_t
ring_drops(struct dp_xdp *x)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < x->dp->n_ports; i++) {
        struct dp_port *p = x->dp->list[i];
        if (dp_xdp_is_fast_port(x, p)) {
            struct port_stats st;
            port_get_stats(p->port, &st);
            sum += st.rx_dropped;
        }
    }
    return sum;
}

/* Weighted max-min fair shares of `capacity` for `demand` (frames/s). */
static void
waterfill(double capacity, const double *demand, const uint32_t *weight,
          double *alloc, size_t n)
{
    bool done[FP_MAX_SLICES] = { false };
    double left = capacity;
    for (size_t i = 0; i < n; i++) {
        alloc[i] = 0;
        done[i] = demand[i] <= 0;
    }
    for (;;) {
        double w = 0;
        for (size_t i = 0; i < n; i++) {
            if (!done[i]) {
                w += weight[i];
            }
        }
        if (w <= 0 || left <= 0) {
            break;
        }
        bool changed = false;
        for (size_t i = 0; i < n; i++) {
            if (!done[i] && demand[i] <= left * weight[i] / w) {
                alloc[i] = demand[i];
                left -= demand[i];
                done[i] = true;
                changed = true;
            }
        }
        if (!changed) {
            for (size_t i = 0; i < n; i++) {
                if (!done[i]) {
                    alloc[i] = left * weight[i] / w;
                }
            }
            break;
        }
    }
}

static void
set_rates(struct dp_xdp *x, const uint64_t *rate)
{
    for (uint32_t i = 0; i < FP_MAX_SLICES; i++) {
        if (rate[i] != x->rate[i]) {
            uint64_t burst = MAX(rate[i] / 50, (uint64_t) 64);    /* 20 ms. */
            if (fastpath_set_policer(x->fp, i, rate[i], burst)) {
                counter_inc(&dp_xdp_errors);
            }
            x->rate[i] = rate[i];
        }
    }
}

static void
fair_update(struct dp_xdp *x)
{
    uint64_t now = clock_now_ms();
    if (!x->sched || now < x->fair_last_ms + FAIR_INTERVAL_MS) {
        return;
    }
    double dt = (double) (now - x->fair_last_ms) / 1000.0;
    bool first = !x->fair_last_ms;
    x->fair_last_ms = now;

    double demand[FP_MAX_SLICES], alloc[FP_MAX_SLICES];
    uint32_t weight[FP_MAX_SLICES];
    double total_demand = 0, served = 0;
    uint64_t failed = 0;
    for (uint32_t i = 0; i < FP_MAX_SLICES; i++) {
        struct fp_slice_stats st, *last = &x->last[i];
        fastpath_slice_stats(x->fp, i, &st);
        uint64_t want = (st.punted - last->punted) + (st.policed - last->policed)
                        + (st.punt_failed - last->punt_failed);
        demand[i] = first ? 0 : (double) want / dt;
        served += first ? 0 : (double) (st.punted - last->punted) / dt;
        total_demand += demand[i];
        failed += st.punt_failed;
        struct slice_sched_stats ss;
        weight[i] = !slice_sched_get_stats(x->sched, i, &ss) && ss.weight ? ss.weight : 1;
        *last = st;
    }
    uint64_t drops = ring_drops(x);
    bool lost = !first && (failed > x->last_failed || drops > x->last_ring_drops);
    x->last_failed = failed;
    x->last_ring_drops = drops;
    if (first) {
        return;
    }
    if (lost) {
        /* What got through the rings is what the slow path can take. */
        x->capacity = x->policing ? MIN(x->capacity, served) : served;
        x->capacity = MAX(x->capacity, 1000.0);
        x->policing = true;
        x->calm_ms = 0;
    } else if (x->policing) {
        x->capacity *= 1.05;
        if (total_demand < 0.7 * x->capacity) {
            if (!x->calm_ms) {
                x->calm_ms = now;
            } else if (now >= x->calm_ms + FAIR_CALM_MS) {
                x->policing = false;
            }
        } else {
            x->calm_ms = 0;
        }
    }
    uint64_t rate[FP_MAX_SLICES] = { 0 };
    if (x->policing) {
        waterfill(x->capacity * 0.95, demand, weight, alloc, FP_MAX_SLICES);
        for (uint32_t i = 0; i < FP_MAX_SLICES; i++) {
            double r = alloc[i] >= demand[i] ? alloc[i] * 1.2 + 100 : alloc[i];
            rate[i] = (uint64_t) MAX(r, 100.0);
        }
    }
    set_rates(x, rate);
}

void
dp_xdp_set_slices(struct dp_xdp *x, struct slice_sched *sched)
{
    if (!x) {
        return;
    }
    x->sched = sched;
    for (uint32_t v = 0; v < FP_VLAN_SLOTS; v++) {
        uint32_t slot = 0;
        if (sched) {
            slot = slice_sched_vlan_slice(sched, v == 4096 ? 0xffff : (uint16_t) v);
        }
        if (fastpath_set_vlan_slice(x->fp, v, slot < FP_MAX_SLICES ? slot : 0)) {
            counter_inc(&dp_xdp_errors);
            break;
        }
    }
    uint64_t none[FP_MAX_SLICES] = { 0 };
    set_rates(x, none);
    x->policing = false;
    x->fair_last_ms = 0;
    dp_xdp_set_policing(x, sched != NULL);
}

void
dp_xdp_slice_info(struct dp_xdp *x, uint32_t slot, struct dp_slice_fast_stats *s)
{
    struct fp_slice_stats st;
    memset(s, 0, sizeof *s);
    if (!x || slot >= FP_MAX_SLICES || fastpath_slice_stats(x->fp, slot, &st)) {
        return;
    }
    s->offered = st.offered;
    s->policed = st.policed;
    s->punted = st.punted;
    s->punt_failed = st.punt_failed;
    s->policer_pps = x->rate[slot];
}
