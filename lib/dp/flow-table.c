#include "dp/flow-table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "dp/flow-match.h"
#include "util/clock.h"
#include "util/log.h"

LOG_MODULE(flow_table);

void
flow_table_init(struct flow_table *ft, size_t max_flows)
{
    memset(ft, 0, sizeof *ft);
    classifier_init(&ft->normal);
    classifier_init(&ft->emerg);
    list_init(&ft->entries);
    heap_init(&ft->expiry);
    ft->max_flows = max_flows ? max_flows : FLOW_TABLE_DEFAULT_MAX;
    ft->version = 1;
}

static void
entry_free(struct flow_entry *e)
{
    if (e) {
        free(e->actions);
        free(e);
    }
}

void
flow_table_destroy(struct flow_table *ft)
{
    if (!ft) {
        return;
    }
    struct flow_entry *e, *next;
    LIST_FOR_EACH_SAFE (e, next, list_node, &ft->entries) {
        list_remove(&e->list_node);
        entry_free(e);
    }
    classifier_destroy(&ft->normal);
    classifier_destroy(&ft->emerg);
    heap_destroy(&ft->expiry);
}

void
flow_table_set_release_cb(struct flow_table *ft, flow_release_cb *cb, void *aux)
{
    ft->release_cb = cb;
    ft->release_aux = aux;
}

void
flow_table_set_removed_cb(struct flow_table *ft, flow_removed_cb *cb, void *aux)
{
    ft->removed_cb = cb;
    ft->removed_aux = aux;
}

static struct classifier *
table_of(struct flow_table *ft, bool emergency)
{
    return emergency ? &ft->emerg : &ft->normal;
}

/* The time `e` expires at given its current used_ms (UINT64_MAX: never). */
static uint64_t
expiry_deadline(const struct flow_entry *e)
{
    uint64_t deadline = UINT64_MAX;
    if (e->hard_timeout) {
        deadline = e->created_ns / 1000000u + (uint64_t) e->hard_timeout * 1000;
    }
    if (e->idle_timeout) {
        deadline = MIN(deadline, e->used_ms + (uint64_t) e->idle_timeout * 1000);
    }
    return deadline;
}

/* Puts a new entry in the expiry heap if it has a timeout. */
static void
expiry_add(struct flow_table *ft, struct flow_entry *e)
{
    heap_node_init(&e->expiry_node);
    if (!e->emergency && (e->idle_timeout || e->hard_timeout)) {
        heap_insert(&ft->expiry, &e->expiry_node, expiry_deadline(e));
    }
}

/* Tells the datapath's caches that `e` is about to be freed. */
static void
release_entry(struct flow_table *ft, struct flow_entry *e)
{
    if (ft->release_cb) {
        ft->release_cb(e, ft->release_aux);
    }
}

/* Removes and frees `e`, telling the owner unless reason < 0. */
static void
remove_entry(struct flow_table *ft, struct flow_entry *e, int reason)
{
    heap_remove(&ft->expiry, &e->expiry_node);
    classifier_remove(table_of(ft, e->emergency), &e->cr);
    list_remove(&e->list_node);
    ft->version++;
    release_entry(ft, e);
    if (reason >= 0 && ft->removed_cb) {
        ft->removed_cb(e, (uint8_t) reason, ft->removed_aux);
    }
    entry_free(e);
}

static struct ofp_action *
copy_actions(const struct ofp_action *a, size_t n)
{
    return n ? xmemdup(a, n * sizeof *a) : NULL;
}

static int
fail(struct ofp_error *err, uint16_t code)
{
    *err = OFP_ERROR(OFPET_FLOW_MOD_FAILED, code);
    return -EINVAL;
}

static int
add_flow(struct flow_table *ft, const struct ofp_flow_mod_h *fm,
         struct ofp_error *err)
{
    bool emergency = fm->flags & OFPFF_EMERG;
    struct classifier *cls = table_of(ft, emergency);

    if (emergency && (fm->idle_timeout || fm->hard_timeout)) {
        return fail(err, OFPFMFC_BAD_EMERG_TIMEOUT);
    }

    struct flow_entry *e = xzalloc(sizeof *e);
    flow_match_rule_init(&e->cr, &fm->match, fm->priority);

    struct cls_rule *same = classifier_find_exactly(cls, &e->cr);
    if (fm->flags & OFPFF_CHECK_OVERLAP) {
        struct flow_entry *o;
        LIST_FOR_EACH (o, list_node, &ft->entries) {
            if (o->emergency == emergency && o->priority == fm->priority
                && cls_rules_overlap(&o->cr, &e->cr)) {
                free(e);
                return fail(err, OFPFMFC_OVERLAP);
            }
        }
    }
    if (!same && classifier_count(cls) >= ft->max_flows) {
        free(e);
        return fail(err, OFPFMFC_ALL_TABLES_FULL);
    }

    e->match = fm->match;
    e->priority = fm->priority;
    e->idle_timeout = fm->idle_timeout;
    e->hard_timeout = fm->hard_timeout;
    e->flags = fm->flags;
    e->emergency = emergency;
    e->cookie = fm->cookie;
    e->actions = copy_actions(fm->actions, fm->n_actions);
    e->n_actions = fm->n_actions;
    e->created_ns = clock_now_ns();
    e->used_ms = e->created_ns / 1000000u;

    struct cls_rule *old = classifier_insert(cls, &e->cr);
    if (old) {
        struct flow_entry *oe = CONTAINER_OF(old, struct flow_entry, cr);
        heap_remove(&ft->expiry, &oe->expiry_node);
        list_remove(&oe->list_node);
        release_entry(ft, oe);
        entry_free(oe);
    }
    list_push_back(&ft->entries, &e->list_node);
    expiry_add(ft, e);
    ft->version++;
    return 0;
}

static void
set_actions(struct flow_entry *e, const struct ofp_flow_mod_h *fm)
{
    free(e->actions);
    e->actions = copy_actions(fm->actions, fm->n_actions);
    e->n_actions = fm->n_actions;
}

/* Calls `fn` on every flow a MODIFY/DELETE selects; fn may remove it. */
static size_t
for_each_selected(struct flow_table *ft, const struct ofp_flow_mod_h *fm,
                  bool strict, bool filter_out_port,
                  void (*fn)(struct flow_table *, struct flow_entry *,
                             const struct ofp_flow_mod_h *))
{
    bool emergency = fm->flags & OFPFF_EMERG;
    size_t n = 0;
    if (strict) {
        struct cls_rule probe;
        flow_match_rule_init(&probe, &fm->match, fm->priority);
        struct cls_rule *r = classifier_find_exactly(table_of(ft, emergency), &probe);
        if (r) {
            struct flow_entry *e = CONTAINER_OF(r, struct flow_entry, cr);
            if (!filter_out_port || flow_entry_has_output(e, fm->out_port)) {
                fn(ft, e, fm);
                n++;
            }
        }
        return n;
    }
    struct flow_key value, mask;
    flow_match_to_cls(&fm->match, &value, &mask);
    struct flow_entry *e, *next;
    LIST_FOR_EACH_SAFE (e, next, list_node, &ft->entries) {
        if (e->emergency == emergency
            && cls_rule_is_covered_by(&e->cr, &value, &mask)
            && (!filter_out_port || flow_entry_has_output(e, fm->out_port))) {
            fn(ft, e, fm);
            n++;
        }
    }
    return n;
}

static void
modify_one(struct flow_table *ft, struct flow_entry *e,
           const struct ofp_flow_mod_h *fm)
{
    set_actions(e, fm);
    ft->version++;              /* Old action lists are gone. */
}

static void
delete_one(struct flow_table *ft, struct flow_entry *e,
           const struct ofp_flow_mod_h *fm UNUSED)
{
    remove_entry(ft, e, OFPRR_DELETE);
}

int
flow_table_apply(struct flow_table *ft, const struct ofp_flow_mod_h *fm,
                 struct ofp_error *err)
{
    switch (fm->command) {
    case OFPFC_ADD:
        return add_flow(ft, fm, err);
    case OFPFC_MODIFY:
    case OFPFC_MODIFY_STRICT:
        if (!for_each_selected(ft, fm, fm->command == OFPFC_MODIFY_STRICT,
                               false, modify_one)) {
            return add_flow(ft, fm, err);
        }
        return 0;
    case OFPFC_DELETE:
    case OFPFC_DELETE_STRICT:
        for_each_selected(ft, fm, fm->command == OFPFC_DELETE_STRICT, true,
                          delete_one);
        return 0;
    default:
        return fail(err, OFPFMFC_BAD_COMMAND);
    }
}

struct flow_entry *
flow_table_lookup(struct flow_table *ft, const struct flow_key *key)
{
    struct flow_entry *e = flow_table_classify(ft, key);
    ft->lookups++;
    ft->matched += e != NULL;
    return e;
}

size_t
flow_table_expire(struct flow_table *ft, uint64_t now_ms)
{
    size_t n = 0;
    struct heap_node *first;
    while ((first = heap_min(&ft->expiry)) && first->key <= now_ms) {
        struct flow_entry *e = CONTAINER_OF(first, struct flow_entry, expiry_node);
        uint64_t created_ms = e->created_ns / 1000000u;
        if (e->hard_timeout
            && now_ms >= created_ms + (uint64_t) e->hard_timeout * 1000) {
            remove_entry(ft, e, OFPRR_HARD_TIMEOUT);
            n++;
        } else if (e->idle_timeout
                   && now_ms >= e->used_ms + (uint64_t) e->idle_timeout * 1000) {
            remove_entry(ft, e, OFPRR_IDLE_TIMEOUT);
            n++;
        } else {
            /* Used since the last look: wait for the new deadline. */
            heap_change(&ft->expiry, first, MAX(expiry_deadline(e), now_ms + 1));
        }
    }
    return n;
}

void
flow_table_set_emergency(struct flow_table *ft, bool on)
{
    if (on == ft->emergency_mode) {
        return;
    }
    if (on) {
        struct flow_entry *e, *next;
        LIST_FOR_EACH_SAFE (e, next, list_node, &ft->entries) {
            if (!e->emergency) {
                remove_entry(ft, e, OFPRR_DELETE);
            }
        }
        LOG_INFO("entering emergency mode");
    } else {
        LOG_INFO("leaving emergency mode");
    }
    ft->emergency_mode = on;
    ft->version++;
}

void
flow_entry_duration(const struct flow_entry *e, uint64_t now_ns,
                    uint32_t *sec, uint32_t *nsec)
{
    uint64_t d = now_ns > e->created_ns ? now_ns - e->created_ns : 0;
    *sec = (uint32_t) (d / 1000000000u);
    *nsec = (uint32_t) (d % 1000000000u);
}

bool
flow_entry_has_output(const struct flow_entry *e, uint16_t port)
{
    if (port == OFPP_NONE) {
        return true;
    }
    for (size_t i = 0; i < e->n_actions; i++) {
        const struct ofp_action *a = &e->actions[i];
        if ((a->type == OFPAT_OUTPUT && a->output.port == port)
            || (a->type == OFPAT_ENQUEUE && a->enqueue.port == port)) {
            return true;
        }
    }
    return false;
}

struct flow_entry **
flow_table_collect(const struct flow_table *ft, const struct ofp_match_h *match,
                   uint16_t out_port, bool emergency, size_t *n)
{
    struct flow_key value, mask;
    flow_match_to_cls(match, &value, &mask);
    struct flow_entry **out = NULL;
    size_t count = 0, allocated = 0;
    struct flow_entry *e;
    LIST_FOR_EACH (e, list_node, &ft->entries) {
        if (e->emergency == emergency
            && cls_rule_is_covered_by(&e->cr, &value, &mask)
            && flow_entry_has_output(e, out_port)) {
            if (count == allocated) {
                allocated = allocated ? allocated * 2 : 16;
                out = xrealloc(out, allocated * sizeof *out);
            }
            out[count++] = e;
        }
    }
    *n = count;
    return out;
}

void
flow_table_aggregate(const struct flow_table *ft, const struct ofp_match_h *match,
                     uint16_t out_port, bool emergency,
                     struct flow_table_aggregate *agg)
{
    size_t n;
    struct flow_entry **flows = flow_table_collect(ft, match, out_port,
                                                   emergency, &n);
    memset(agg, 0, sizeof *agg);
    for (size_t i = 0; i < n; i++) {
        agg->packet_count += flows[i]->packet_count;
        agg->byte_count += flows[i]->byte_count;
    }
    agg->flow_count = (uint32_t) n;
    free(flows);
}
