/* arp-cache — the router app's IPv4 neighbour table, with bounded queues of
 * packets waiting for resolution.  Pure logic: no I/O; time comes in as
 * `now` (milliseconds of clock_now_ms()), so tests drive aging directly.
 *
 * Entry life: a lookup miss for a next hop creates an INCOMPLETE entry and
 * asks the caller to send an ARP request (ARP_CACHE_SEND_REQUEST); the
 * packet that missed is queued on the entry.  arp_cache_learn() (a reply or
 * any ARP from that address) makes it REACHABLE and hands the queued packets
 * back to the caller in order.  arp_cache_run() retransmits requests every
 * retry_ms up to max_retries, then fails the entry (its packets come back as
 * "failed" so the router can answer ICMP host unreachable), and ages
 * REACHABLE entries out after reachable_ms (deleting them; the next packet
 * resolves again).
 *
 * Bounds: at most max_queue_per_entry packets per entry and max_queue_total
 * packets in all; past either, arp_cache_enqueue() refuses (-ENOBUFS) and the
 * caller drops.  Entries are bounded by max_entries (-ENOSPC).
 *
 * Ownership: queued packets are copies owned by the cache until handed back
 * in a `struct list` of `struct arp_queued`; the receiver frees each with
 * free().  Not thread-safe. */
#ifndef PLURAL_APPS_ARP_CACHE_H
#define PLURAL_APPS_ARP_CACHE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "util/hmap.h"
#include "util/list.h"

struct arp_cache_config {
    uint32_t reachable_ms;          /* Age of a resolved entry. */
    uint32_t retry_ms;              /* Between ARP requests while resolving. */
    unsigned int max_retries;       /* Requests before giving up. */
    unsigned int max_queue_per_entry;
    unsigned int max_queue_total;
    unsigned int max_entries;
};
#define ARP_CACHE_CONFIG_DEFAULT { 300000, 1000, 3, 16, 1024, 65536 }

enum arp_state { ARP_INCOMPLETE, ARP_REACHABLE, ARP_STATIC };

struct arp_entry {
    struct hmap_node node;
    uint32_t ip;                    /* Host order. */
    uint8_t mac[6];
    enum arp_state state;
    uint32_t iface;                 /* Caller's interface index. */
    uint64_t updated_ms;            /* Learned, or first request sent. */
    uint64_t next_retry_ms;
    unsigned int requests;          /* Requests sent so far. */
    struct list queue;              /* struct arp_queued, oldest first. */
    unsigned int n_queued;
};

/* A packet waiting for its next hop's MAC. */
struct arp_queued {
    struct list node;
    uint32_t next_hop;              /* Host order. */
    uint32_t aux;                   /* Caller's data (e.g. the out port). */
    uint32_t len;
    uint8_t data[];
};

struct arp_cache {
    struct arp_cache_config cfg;
    struct hmap entries;
    unsigned int n_queued;
    uint64_t drops_queue_full, requests_sent, failures, expired;
};

void arp_cache_init(struct arp_cache *, const struct arp_cache_config *);
void arp_cache_destroy(struct arp_cache *);     /* Frees queued packets. */

/* Resolved MAC of ip, if REACHABLE/STATIC and not aged out at `now`. */
bool arp_cache_lookup(const struct arp_cache *, uint32_t ip, uint64_t now,
                      uint8_t mac[6]);
struct arp_entry *arp_cache_find(const struct arp_cache *, uint32_t ip);

/* Learns ip -> mac (from a reply or request seen on interface iface).  Moves
 * packets that were waiting for ip onto `released` (may be NULL only if the
 * caller knows none are queued).  Static entries are not overwritten.
 * Returns 0, or -ENOSPC if the table is full and ip was not in it. */
int arp_cache_learn(struct arp_cache *, uint32_t ip, const uint8_t mac[6],
                    uint32_t iface, uint64_t now, struct list *released);

/* Adds a permanent entry (from configuration or a restored snapshot). */
int arp_cache_add_static(struct arp_cache *, uint32_t ip, const uint8_t mac[6],
                         uint32_t iface);

enum { ARP_CACHE_QUEUED = 0, ARP_CACHE_SEND_REQUEST = 1 };

/* Queues a copy of frame (len bytes) for next hop `ip` reached through
 * iface.  Returns ARP_CACHE_SEND_REQUEST if the caller must send the first
 * ARP request now, ARP_CACHE_QUEUED if a request is already outstanding,
 * -ENOBUFS if a queue bound was hit (the frame was not queued), or -ENOSPC
 * if the entry table is full. */
int arp_cache_enqueue(struct arp_cache *, uint32_t ip, uint32_t iface,
                      const void *frame, uint32_t len, uint32_t aux, uint64_t now);

/* Timers: retransmissions, failures, aging.  For each entry that needs
 * another request, calls send_request(ip, iface, aux).  Packets of entries
 * that failed are moved onto `failed` (caller frees).  Returns the time of
 * the next event, or UINT64_MAX if none. */
uint64_t arp_cache_run(struct arp_cache *, uint64_t now,
                       void (*send_request)(uint32_t ip, uint32_t iface, void *aux),
                       void *aux, struct list *failed);

/* Removes an entry (any state); its queued packets are freed. 0/-ENOENT. */
int arp_cache_remove(struct arp_cache *, uint32_t ip);

/* Frees every arp_queued on a list handed back by the cache. */
void arp_queued_list_free(struct list *);

size_t arp_cache_count(const struct arp_cache *);
const char *arp_state_name(enum arp_state);

#endif
