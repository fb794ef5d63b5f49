/* ofp-print — human-readable text for OpenFlow 1.0 messages, matches and
 * actions, in the style of `ovs-ofctl ofp-print` and `ovs-ofctl dump-flows`.
 *
 *   OFPT_FLOW_MOD (xid=0x5): ADD priority=100,in_port=1,dl_vlan=10,
 *       nw_dst=10.0.0.0/8 actions=mod_vlan_vid:20,output:2   (one line)
 *
 * Match and action strings use the ovs-ofctl flow syntax that ofp-parse.h
 * reads back (ofp_parse_flow(ofp_flow_format(x)) gives x again).
 * All functions append to a struct buf (lib/util/buf.h) or return a new
 * string the caller frees.  Thread-safe (no global state). */
#ifndef PLURAL_OFP_PRINT_H
#define PLURAL_OFP_PRINT_H 1

#include <stddef.h>
#include <stdint.h>
#include "ofp/ofp-actions.h"
#include "ofp/ofp-match.h"
#include "ofp/ofp-msgs.h"

struct buf;

/* Decodes data and formats it; a message that does not decode is printed
 * as "OFPT_xxx (xid=0x..): ***decode error: OFPET_../OFP.. ***" followed by
 * a hex dump.  verbosity > 0 adds hex dumps of packet data.  Several
 * concatenated messages are printed one after another. Returns a new string. */
char *ofp_to_string(const void *data, size_t len, int verbosity);

/* Formats a decoded message (no trailing newline for one-line messages). */
void ofp_msg_format(const struct ofp_msg *, int verbosity, struct buf *out);

/* "in_port=1,dl_vlan=10,nw_dst=10.0.0.0/8"; catch-all prints nothing.
 * Uses the shorthands ip/arp/tcp/udp/icmp where they apply. */
void ofp_match_format(const struct ofp_match_h *, struct buf *out);
/* "mod_vlan_vid:20,output:2"; empty list prints "drop". */
void ofp_actions_format(const struct ofp_action *, size_t n, struct buf *out);
void ofp_action_format(const struct ofp_action *, struct buf *out);

/* One dump-flows line:
 * " cookie=0x0, duration=1.500s, table=0, n_packets=3, n_bytes=180,
 *   idle_timeout=10, priority=100,in_port=1 actions=output:2" */
void ofp_flow_stats_format(const struct ofp_flow_stats_h *, struct buf *out);

/* Port names ("LOCAL", "CONTROLLER", ...) or the number. */
void ofp_port_format(uint16_t port, struct buf *out);

/* Convenience: new strings, caller frees. */
char *ofp_match_to_string(const struct ofp_match_h *);
char *ofp_actions_to_string(const struct ofp_action *, size_t n);
char *ofp_msg_to_string(const struct ofp_msg *);

#endif
