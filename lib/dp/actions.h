/* actions — execution of OpenFlow 1.0 actions inside the datapath
 * (internal to lib/dp: datapath.c calls these).
 *
 * Semantics (documented for users in datapath.h): outputs are queued by
 * pointer and sent at the end of the batch; a frame edited after being
 * queued is first copied, so each output sends the frame as it was when
 * the OUTPUT action ran.  OFPP_NORMAL is an L2 learning switch per VLAN
 * over mac-learning.h.  CONTROLLER and misses go through the rate-limited
 * upcall path, which buffers a copy in packet-buffers.h.
 * Thread-safety: the datapath's thread only. */
#ifndef PLURAL_DP_ACTIONS_H
#define PLURAL_DP_ACTIONS_H 1

#include <stdbool.h>
#include "dp/datapath-private.h"

/* Runs `actions` on `pkt` (key: its flow key before any edit).
 * allow_table: OFPP_TABLE permitted (PACKET_OUT, not inside a flow). */
void dp_actions_execute(struct datapath *, struct packet *pkt,
                        const struct flow_key *key, uint16_t in_port,
                        const struct ofp_action *actions, size_t n,
                        bool allow_table);
/* A table miss for pkt, according to the miss mode. */
void dp_handle_miss(struct datapath *, struct packet *pkt,
                    const struct flow_key *key, uint16_t in_port);
/* Sends every queued output and frees the clones. */
void dp_flush(struct datapath *);

#endif
