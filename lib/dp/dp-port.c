/* dp-port — the datapath's port table, seen from inside lib/dp: finding a
 * port by OpenFlow number and counting ENQUEUE per queue.  The lowest
 * layer of the datapath's own files: datapath.c (ports, the batch loop),
 * actions.c (action execution) and dp-xdp.c (the fast path) call it; it
 * calls none of them, so no two of those files need each other. */
#include "dp/datapath-private.h"

struct dp_port *
dp_port_lookup(const struct datapath *dp, uint16_t port_no)
{
    if (port_no < DP_MAX_PORTS) {
        return dp->ports[port_no];
    }
    return port_no == OFPP_LOCAL ? dp->local : NULL;
}

void
dp_port_count_queue(struct dp_port *p, uint32_t queue_id, uint32_t bytes)
{
    size_t i = 0;
    while (i < p->n_queues && p->queues[i].queue_id != queue_id) {
        i++;
    }
    if (i == p->n_queues) {
        if (p->n_queues < DP_MAX_QUEUES) {
            p->queues[p->n_queues++].queue_id = queue_id;
        } else {
            i = DP_MAX_QUEUES - 1;
        }
    }
    p->queues[i].tx_packets++;
    p->queues[i].tx_bytes += bytes;
}

