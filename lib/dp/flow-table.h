/* flow-table — OpenFlow 1.0 flow-table semantics on top of the classifier.
 *
 * A flow table holds two classifiers: the normal table and the emergency
 * table (flows added with OFPFF_EMERG).  Lookups use the normal table,
 * or the emergency table while emergency mode is on (the switch lost its
 * controller; entering emergency mode deletes the normal flows, as OpenFlow
 * 1.0 requires).  flow_table_apply() implements OFPT_FLOW_MOD:
 *
 *   ADD            errors: EMERG with a timeout -> BAD_EMERG_TIMEOUT;
 *                  CHECK_OVERLAP and an overlapping flow of the same
 *                  priority -> OVERLAP; table at max_flows -> ALL_TABLES_FULL.
 *                  A flow with identical match and priority is replaced,
 *                  counters and duration reset (OpenFlow 1.0 §4.6).
 *   MODIFY         every flow the match covers (non-strict) gets the new
 *                  actions; cookie, timeouts, counters, duration kept.  If
 *                  none matched, acts as ADD.
 *   MODIFY_STRICT  the same for the flow with identical match + priority.
 *   DELETE         every covered flow whose actions output to out_port
 *                  (OFPP_NONE: any) is removed, reason OFPRR_DELETE.
 *   DELETE_STRICT  identical match + priority, same out_port filter.
 * MODIFY/DELETE act on the emergency table when flags has OFPFF_EMERG,
 * else on the normal table.  Unknown command -> BAD_COMMAND.
 *
 * Removal notification: every flow removed by expiry, DELETE, or entering
 * emergency mode is passed to the callback set with
 * flow_table_set_removed_cb() just before it is freed (the owner sends
 * OFPT_FLOW_REMOVED if entry->flags has OFPFF_SEND_FLOW_REM).  Flows
 * replaced by ADD are freed silently.
 *
 * Expiry: flows with a timeout sit in a min-heap by the earliest time they
 * could expire (hard deadline, or last use + idle timeout as of the last
 * look).  flow_table_expire() only looks at flows whose time has come: a
 * flow used since is put back with its new deadline, so a call costs
 * O((due + rechecked) * log n), not a walk over every flow.
 *
 * Time: created/used times come from clock.h (clock_now_ns/ms), so tests
 * drive timeouts with clock_stop()/clock_warp_ms().  The datapath stamps
 * `used_ms` and adds to the counters when a flow matches packets.
 *
 * Ownership: entries belong to the table; pointers from lookup/collect are
 * valid until the next flow_table_apply/expire/set_emergency/destroy.
 * Thread-safety: none; owned by the datapath thread. */
#ifndef PLURAL_DP_FLOW_TABLE_H
#define PLURAL_DP_FLOW_TABLE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dp/classifier.h"
#include "ofp/ofp-actions.h"
#include "ofp/ofp-errors.h"
#include "ofp/ofp-match.h"
#include "ofp/ofp-msgs.h"
#include "util/heap.h"
#include "util/list.h"

#define FLOW_TABLE_DEFAULT_MAX 65536

struct flow_entry {
    struct cls_rule cr;
    struct list list_node;          /* In flow_table->entries. */
    struct ofp_match_h match;       /* As added (normalized). */
    uint16_t priority;
    uint16_t idle_timeout, hard_timeout;   /* Seconds, 0: none. */
    uint16_t flags;                 /* OFPFF_*. */
    bool emergency;
    uint64_t cookie;
    struct ofp_action *actions;     /* Owned. */
    size_t n_actions;
    uint64_t created_ns;
    uint64_t used_ms;               /* Last packet (or creation). */
    uint64_t packet_count, byte_count;
    struct heap_node expiry_node;   /* In flow_table->expiry if the flow has
                                     * a timeout; key: no expiry before this
                                     * time (ms). */
};

typedef void flow_removed_cb(const struct flow_entry *, uint8_t reason,
                             void *aux);
/* Called for every entry about to be freed (removed for any reason, or
 * replaced by an ADD), before flow_removed_cb: the datapath's fast path
 * adds the entry's last kernel counters to it and forgets the pointer. */
typedef void flow_release_cb(struct flow_entry *, void *aux);

struct flow_table {
    struct classifier normal, emerg;
    struct list entries;            /* All entries of both tables. */
    size_t max_flows;               /* Per table. */
    bool emergency_mode;
    uint32_t version;               /* Bumped on every add, delete, modify
                                     * and mode switch (for flow caches and
                                     * for callers holding entries). */
    uint64_t lookups, matched;      /* Table stats. */
    struct heap expiry;             /* Flows with a timeout, earliest
                                     * possible expiry first. */
    flow_removed_cb *removed_cb;
    void *removed_aux;
    flow_release_cb *release_cb;    /* Set by the datapath (lib/dp only). */
    void *release_aux;
};

void flow_table_init(struct flow_table *, size_t max_flows);
/* Frees every entry (no callbacks).  Accepts NULL. */
void flow_table_destroy(struct flow_table *);
void flow_table_set_removed_cb(struct flow_table *, flow_removed_cb *, void *aux);
void flow_table_set_release_cb(struct flow_table *, flow_release_cb *, void *aux);

/* Applies a flow_mod (fm->actions are copied; fm stays the caller's).
 * Returns 0, or -EINVAL with *err set to the OpenFlow error to send. */
int flow_table_apply(struct flow_table *, const struct ofp_flow_mod_h *fm,
                     struct ofp_error *err);

/* The best flow for `key` in the active table, or NULL; counts a lookup
 * (and a match) in the table stats. */
struct flow_entry *flow_table_lookup(struct flow_table *, const struct flow_key *);
/* The same without touching the stats (for a caller that counts itself,
 * e.g. a datapath whose cache answers most lookups). */
static inline struct flow_entry *
flow_table_classify(const struct flow_table *ft, const struct flow_key *key)
{
    const struct cls_rule *r = classifier_lookup(
        ft->emergency_mode ? &ft->emerg : &ft->normal, key);
    return r ? CONTAINER_OF(r, struct flow_entry, cr) : NULL;
}

/* Counts n packets / bytes on `e` and stamps its used time. */
static inline void
flow_entry_account(struct flow_entry *e, uint64_t n, uint64_t bytes,
                   uint64_t now_ms)
{
    e->packet_count += n;
    e->byte_count += bytes;
    e->used_ms = now_ms;
}

/* Removes flows whose idle or hard timeout passed at `now_ms`
 * (clock_now_ms()), with reason OFPRR_IDLE_TIMEOUT / OFPRR_HARD_TIMEOUT.
 * Emergency flows never expire.  Returns how many were removed. */
size_t flow_table_expire(struct flow_table *, uint64_t now_ms);

/* Enters (deleting normal flows, reason OFPRR_DELETE) or leaves emergency
 * mode. */
void flow_table_set_emergency(struct flow_table *, bool on);

/* Duration since the flow was added, for FLOW_REMOVED and flow stats. */
void flow_entry_duration(const struct flow_entry *, uint64_t now_ns,
                         uint32_t *sec, uint32_t *nsec);
/* True if the flow has an OUTPUT or ENQUEUE action to `port`
 * (OFPP_NONE: always true). */
bool flow_entry_has_output(const struct flow_entry *, uint16_t port);

/* Flows of the normal table (emergency table if `emergency`) covered by
 * `match` (non-strict) and outputting to out_port (OFPP_NONE: any), for
 * FLOW and AGGREGATE stats.  Returns a malloc'd array of *n pointers
 * (caller frees the array, not the entries); NULL when *n is 0. */
struct flow_entry **flow_table_collect(const struct flow_table *,
                                       const struct ofp_match_h *match,
                                       uint16_t out_port, bool emergency,
                                       size_t *n);

/* AGGREGATE stats over the same selection. */
struct flow_table_aggregate {
    uint64_t packet_count, byte_count;
    uint32_t flow_count;
};
void flow_table_aggregate(const struct flow_table *, const struct ofp_match_h *,
                          uint16_t out_port, bool emergency,
                          struct flow_table_aggregate *);

/* TABLE stats. */
static inline size_t
flow_table_active_count(const struct flow_table *ft)
{
    return classifier_count(&ft->normal);
}

#endif
