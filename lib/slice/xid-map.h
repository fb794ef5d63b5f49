/* xid-map — the slicer's xid translation towards one switch.
 *
 * The slicer picks the xid of every message it sends to a switch and
 * remembers which slice (owner) sent it, with the slice's own xid, so that
 * a reply or an error goes back to that slice under its xid.  Two kinds:
 *
 *  - requests (a reply is expected: stats, barrier, queue config):
 *    xid_map_request(); kept in a hash map by xid and in a list by age
 *    until the reply (xid_map_remove_request()) or until
 *    xid_map_expire() finds them too old (the oldest first: it never walks
 *    the younger ones).  xids 0x00010000..0x7fffffff, wrapping.
 *  - sent messages (no reply unless they fail: FLOW_MOD, PACKET_OUT,
 *    PORT_MOD): xid_map_send(); kept in a ring indexed by a sequence
 *    number that is the xid (0x80000000 | seq), so recording and finding
 *    one (for an OFPT_ERROR) is O(1) and allocates nothing once the ring
 *    has grown.  They are retired in order: a switch answers in order, so
 *    once it has replied to a request sent after message k it will never
 *    report an error for k.  xid_map_retire_due() says when to send such
 *    a request (a BARRIER_REQUEST, every XID_MAP_RETIRE_EVERY sent
 *    messages, one at a time): xid_map_retire_start() registers it and
 *    its reply (xid_map_retired()) forgets everything sent before it.  A
 *    switch that never answers cannot grow the ring past XID_MAP_SENT_MAX:
 *    the oldest are forgotten (counted in overflow).
 *
 * Ownership: the map owns its entries; owners are opaque pointers
 * (xid_map_forget_owner() when one goes away).  Not thread-safe. */
#ifndef PLURAL_SLICE_XID_MAP_H
#define PLURAL_SLICE_XID_MAP_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp/ofp-match.h"
#include "ofp/ofp-msgs.h"
#include "util/hmap.h"
#include "util/list.h"

#define XID_MAP_RETIRE_EVERY 256
#define XID_MAP_SENT_MAX 65536
#define XID_MAP_SENT_BIT 0x80000000u

/* What the slicer remembers of a message it sent. */
struct xid_info {
    uint32_t new_xid;           /* Towards the switch. */
    uint32_t orig_xid;          /* The slice's. */
    void *owner;                /* NULL: forgotten. */
    /* A FLOW_MOD that added a tracked flow: undone if the switch refuses. */
    bool added_flow;
    uint16_t priority;
    struct ofp_match_h match;
};

enum { XID_MAP_RETIRE = -1 };   /* Kind of the retiring barrier. */

struct xid_req {
    struct hmap_node node;      /* In requests, by info.new_xid. */
    struct list age_node;       /* In by_age. */
    struct xid_info info;
    int kind;                   /* The caller's; XID_MAP_RETIRE is ours. */
    uint64_t created_ms;
    uint32_t retire_seq;        /* XID_MAP_RETIRE: sent before this. */
    struct ofp_aggregate_stats_h agg;   /* For the caller (summing replies). */
};

struct xid_map {
    struct hmap requests;
    struct list by_age;
    uint32_t next_xid;
    struct xid_info *ring;      /* Power-of-two capacity. */
    uint32_t ring_cap;
    uint32_t head, tail;        /* Sent messages: sequence numbers [head, tail). */
    uint32_t since_retire;      /* Sent since the last retiring request. */
    bool retire_pending;
    uint64_t overflow;          /* Sent messages forgotten unretired. */
};

void xid_map_init(struct xid_map *);
void xid_map_destroy(struct xid_map *);

struct xid_req *xid_map_request(struct xid_map *, void *owner, uint32_t orig_xid,
                                int kind, uint64_t now_ms);
struct xid_req *xid_map_find_request(const struct xid_map *, uint32_t xid);
void xid_map_remove_request(struct xid_map *, struct xid_req *);
/* Forgets requests made max_age_ms or more before now_ms. */
void xid_map_expire(struct xid_map *, uint64_t now_ms, uint64_t max_age_ms);

/* Records a sent message; the result (fill in added_flow, match,
 * priority) is valid until the next call on the map. */
struct xid_info *xid_map_send(struct xid_map *, void *owner, uint32_t orig_xid);
/* The sent message with this xid, if still remembered (NULL otherwise). */
struct xid_info *xid_map_find_sent(struct xid_map *, uint32_t xid);

bool xid_map_retire_due(const struct xid_map *);
/* Registers the retiring request; returns its xid. */
uint32_t xid_map_retire_start(struct xid_map *, uint64_t now_ms);
/* Its reply came: forgets what was sent before it and removes it. */
void xid_map_retired(struct xid_map *, struct xid_req *);

/* Forgets every request and sent message of owner (NULL: of everyone). */
void xid_map_forget_owner(struct xid_map *, const void *owner);
size_t xid_map_n_requests(const struct xid_map *);
size_t xid_map_n_sent(const struct xid_map *);

#endif
