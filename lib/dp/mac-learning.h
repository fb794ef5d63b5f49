/* mac-learning — the MAC table of an L2 learning switch, per VLAN, with
 * aging; used by the OFPP_NORMAL action and by fail-mode standalone.
 *
 * An entry maps (VLAN, Ethernet address) to the port it was last seen on.
 * Entries not refreshed for `idle_s` seconds are gone (lookups ignore them;
 * mac_learning_expire() frees them).  At `max_entries` the least recently
 * refreshed entry is recycled, so memory is bounded and learning never
 * fails.  Multicast source addresses are never learned.
 *
 * Times are clock_now_ms() values passed in by the caller (one read per
 * batch).  Thread-safety: none; owned by the datapath thread. */
#ifndef PLURAL_DP_MAC_LEARNING_H
#define PLURAL_DP_MAC_LEARNING_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAC_LEARNING_DEFAULT_IDLE_S 300
#define MAC_LEARNING_DEFAULT_MAX 8192
#define MAC_LEARNING_NO_PORT (-1)

struct mac_learning;

struct mac_learning *mac_learning_create(unsigned int idle_s, size_t max_entries);
void mac_learning_destroy(struct mac_learning *);   /* Accepts NULL. */

/* Records that `mac` on `vlan` was seen on `port`.  Returns true if this
 * is new information (new entry or the address moved). */
bool mac_learning_learn(struct mac_learning *, const uint8_t mac[6],
                        uint16_t vlan, uint16_t port, uint64_t now_ms);
/* The port `mac` on `vlan` was last seen on, or MAC_LEARNING_NO_PORT. */
int mac_learning_lookup(const struct mac_learning *, const uint8_t mac[6],
                        uint16_t vlan, uint64_t now_ms);
/* Frees aged entries; returns how many. */
size_t mac_learning_expire(struct mac_learning *, uint64_t now_ms);
/* Forgets every address learned on `port` (port removed or down). */
void mac_learning_flush_port(struct mac_learning *, uint16_t port);
void mac_learning_flush(struct mac_learning *);
size_t mac_learning_count(const struct mac_learning *);

static inline bool
eth_addr_is_multicast(const uint8_t mac[6])
{
    return mac[0] & 1;
}

#endif
