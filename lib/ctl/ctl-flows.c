/* ctl-flows — the table of flows an app installed on one switch (for
 * `plural ctl flows`), kept in step with the FLOW_MODs sent and the
 * FLOW_REMOVED messages received.  Loop thread only. */
#include "ctl/ctl-private.h"

#include <stdlib.h>
#include <string.h>
#include "ofp/ofp-print.h"
#include "util/clock.h"
#include "util/hash.h"

void
ctl_flows_clear(struct ctl_switch *sw)
{
    struct ctl_flow *f;
    HMAP_FOR_EACH (f, node, &sw->flows) {
        hmap_remove(&sw->flows, &f->node);
        free(f->actions);
        free(f);
    }
}

/* Flow tracking. */

static uint32_t
flow_hash(const struct ofp_match_h *m, uint16_t priority)
{
    uint32_t h = hash_add(priority, m->wildcards);
    h = hash_add(h, m->nw_dst);
    h = hash_add(h, m->nw_src);
    h = hash_add(h, ((uint32_t) m->dl_type << 16) | m->in_port);
    h = hash_add(h, ((uint32_t) m->dl_vlan << 16) | m->tp_dst);
    h = hash_add(h, ((uint32_t) m->dl_dst[4] << 8) | m->dl_dst[5]);
    return hash_finish(h, 24);
}

struct ctl_flow *
ctl_flow_find(const struct ctl_switch *sw, const struct ofp_match_h *m, uint16_t priority)
{
    struct ctl_flow *f;
    HMAP_FOR_EACH_WITH_HASH (f, node, flow_hash(m, priority), &sw->flows) {
        if (f->priority == priority && ofp_match_equal(&f->match, m)) {
            return f;
        }
    }
    return NULL;
}

static void
flow_set_actions(struct ctl_flow *f, const struct ofp_action *a, size_t n)
{
    free(f->actions);
    f->actions = n ? xmemdup(a, n * sizeof *a) : NULL;
    f->n_actions = n;
}

void
ctl_flow_remove(struct ctl_switch *sw, struct ctl_flow *f)
{
    hmap_remove(&sw->flows, &f->node);
    free(f->actions);
    free(f);
}

void
ctl_flows_track(struct ctl_switch *sw, const struct ofp_flow_mod_h *fm)
{
    struct ctl_flow *f;
    switch (fm->command) {
    case OFPFC_ADD:
        f = ctl_flow_find(sw, &fm->match, fm->priority);
        if (!f) {
            f = xzalloc(sizeof *f);
            f->match = fm->match;
            f->priority = fm->priority;
            hmap_insert(&sw->flows, &f->node, flow_hash(&fm->match, fm->priority));
        }
        f->idle_timeout = fm->idle_timeout;
        f->hard_timeout = fm->hard_timeout;
        f->cookie = fm->cookie;
        f->installed_ms = clock_now_ms();
        flow_set_actions(f, fm->actions, fm->n_actions);
        break;
    case OFPFC_MODIFY_STRICT:
        f = ctl_flow_find(sw, &fm->match, fm->priority);
        if (f) {
            flow_set_actions(f, fm->actions, fm->n_actions);
        }
        break;
    case OFPFC_MODIFY:
        HMAP_FOR_EACH (f, node, &sw->flows) {
            if (ofp_match_covers(&fm->match, &f->match)) {
                flow_set_actions(f, fm->actions, fm->n_actions);
            }
        }
        break;
    case OFPFC_DELETE_STRICT:
        f = ctl_flow_find(sw, &fm->match, fm->priority);
        if (f) {
            ctl_flow_remove(sw, f);
        }
        break;
    case OFPFC_DELETE:
        HMAP_FOR_EACH (f, node, &sw->flows) {
            if (ofp_match_covers(&fm->match, &f->match)) {
                ctl_flow_remove(sw, f);
            }
        }
        break;
    }
}

static int
flow_cmp(const void *a_, const void *b_)
{
    const struct ctl_flow *a = *(const struct ctl_flow *const *) a_;
    const struct ctl_flow *b = *(const struct ctl_flow *const *) b_;
    if (a->priority != b->priority) {
        return a->priority > b->priority ? -1 : 1;
    }
    if (a->match.nw_dst != b->match.nw_dst) {
        return a->match.nw_dst < b->match.nw_dst ? -1 : 1;
    }
    return memcmp(a->match.dl_dst, b->match.dl_dst, 6);
}

static struct ctl_flow **
sorted_flows(const struct ctl_switch *sw, size_t *n)
{
    *n = hmap_count(&sw->flows);
    struct ctl_flow **v = xcalloc(*n ? *n : 1, sizeof *v);
    size_t i = 0;
    struct ctl_flow *f;
    HMAP_FOR_EACH (f, node, &sw->flows) {
        v[i++] = f;
    }
    qsort(v, *n, sizeof *v, flow_cmp);
    return v;
}

json_t *
ctl_switch_flows_json(const struct ctl_switch *sw)
{
    size_t n;
    struct ctl_flow **v = sorted_flows(sw, &n);
    json_t *arr = json_array();
    uint64_t now = clock_now_ms();
    for (size_t i = 0; i < n; i++) {
        char *m = ofp_match_to_string(&v[i]->match);
        char *a = ofp_actions_to_string(v[i]->actions, v[i]->n_actions);
        json_array_append_new(arr, json_pack("{s:s,s:i,s:s,s:i,s:i,s:I,s:I}",
            "match", m, "priority", (int) v[i]->priority, "actions", a,
            "idle_timeout", (int) v[i]->idle_timeout, "hard_timeout", (int) v[i]->hard_timeout,
            "cookie", (json_int_t) v[i]->cookie,
            "age_s", (json_int_t) ((now - v[i]->installed_ms) / 1000)));
        free(m);
        free(a);
    }
    free(v);
    return arr;
}

void
ctl_switch_flows_format(const struct ctl_switch *sw, struct buf *out)
{
    size_t n;
    struct ctl_flow **v = sorted_flows(sw, &n);
    for (size_t i = 0; i < n; i++) {
        buf_printf(out, " priority=%u", v[i]->priority);
        if (!ofp_match_is_catchall(&v[i]->match)) {
            buf_printf(out, ",");
            ofp_match_format(&v[i]->match, out);
        }
        if (v[i]->idle_timeout) {
            buf_printf(out, " idle_timeout=%u", v[i]->idle_timeout);
        }
        buf_printf(out, " actions=");
        ofp_actions_format(v[i]->actions, v[i]->n_actions, out);
        buf_printf(out, "\n");
    }
    free(v);
}
