/* ofp-parse — reads the ovs-ofctl flow syntax into host-order OpenFlow 1.0
 * structures (the inverse of ofp-print.h).
 *
 *   "priority=100,tcp,in_port=1,nw_dst=10.0.0.0/8,tp_dst=80,
 *    actions=mod_vlan_vid:20,output:2"
 *
 * Match fields: in_port, dl_vlan, dl_vlan_pcp, dl_src, dl_dst, dl_type,
 * nw_src, nw_dst (a.b.c.d[/len|/mask]), nw_proto, nw_tos, tp_src, tp_dst,
 * icmp_type, icmp_code; shorthands ip, arp, tcp, udp, icmp.  Flow fields:
 * priority, idle_timeout, hard_timeout, cookie, out_port, table.  Fields
 * may be separated by commas and/or spaces; "actions=" must come last.
 * Actions: output:N, N, in_port, normal, flood, all, controller[:max_len],
 * local, drop, mod_vlan_vid:V, mod_vlan_pcp:P, strip_vlan, mod_dl_src:MAC,
 * mod_dl_dst:MAC, mod_nw_src:IP, mod_nw_dst:IP, mod_nw_tos:TOS,
 * mod_tp_src:P, mod_tp_dst:P, enqueue:PORT:QUEUE (also enqueue(P,Q)).
 * Port names in_port/local/controller/... are accepted where ports are.
 *
 * Transport fields are checked against the protocol of the whole match,
 * whatever the order of the keywords: with ICMP (icmp, or ip/dl_type=0x0800
 * and nw_proto=1) tp_src/tp_dst are the ICMP type and code and must be
 * 0..255 ("tp_src=544,icmp" is refused, naming tp_src), so everything the
 * parser accepts prints (ofp-print.h) as text that parses back to the same
 * match.  (ovs-ofctl 3.1 accepts that flow and prints icmp_type=544, which
 * it then refuses itself.)
 *
 * Errors: functions return 0, or -EINVAL with *errp (if errp is not NULL)
 * set to a new message naming the bad token (caller frees), e.g.
 *   "nw_src: invalid IP address '10.0.0.300'".
 * Thread-safe (no global state). */
#ifndef PLURAL_OFP_PARSE_H
#define PLURAL_OFP_PARSE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp/ofp-actions.h"
#include "ofp/ofp-match.h"

/* A parsed flow: what add-flow/del-flows/dump-flows need. */
struct ofp_flow_spec {
    struct ofp_match_h match;   /* Normalized. */
    uint16_t priority;          /* Default OFP_DEFAULT_PRIORITY. */
    uint16_t idle_timeout;      /* Default 0. */
    uint16_t hard_timeout;      /* Default 0. */
    uint64_t cookie;            /* Default 0. */
    uint16_t out_port;          /* Default OFPP_NONE. */
    uint8_t table_id;           /* Default OFPTT_ALL. */
    bool has_actions;           /* "actions=" was given. */
    struct ofp_action *actions; /* Owned (free with ofp_flow_spec_uninit). */
    size_t n_actions;
};

/* Parses a whole flow.  On error the spec is left empty (nothing to free). */
int ofp_parse_flow(const char *s, struct ofp_flow_spec *, char **errp);
void ofp_flow_spec_uninit(struct ofp_flow_spec *);

/* Parses only match fields (and shorthands). */
int ofp_parse_match(const char *s, struct ofp_match_h *, char **errp);

/* Parses an action list such as "mod_vlan_vid:20,output:2" (the part after
 * "actions=").  *actions is heap (free()), NULL when empty or "drop". */
int ofp_parse_actions(const char *s, struct ofp_action **actions,
                      size_t *n_actions, char **errp);

/* Parses a port: a number or a name (in_port, table, normal, flood, all,
 * controller, local, none); returns 0 or -EINVAL. */
int ofp_parse_port(const char *s, uint16_t *port);

#endif
