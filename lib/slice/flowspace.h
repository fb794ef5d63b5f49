/* flowspace — regions of OpenFlow 1.0 header space and their algebra.
 *
 * A region (struct fs_region) is an OpenFlow 1.0 match (host order,
 * normalized, ofp-match.h) widened in one way: the VLAN field may be a range
 * [vlan_lo, vlan_hi] instead of one VID.  OFP_VLAN_NONE (0xffff) stands for
 * "untagged" and can only be a range of its own (lo == hi == 0xffff).
 * When match.wildcards has OFPFW_DL_VLAN the range is unused (any VLAN).
 *
 * A flowspace entry (struct fs_entry) ties a region to a slice, a switch
 * (dpid, or FS_DPID_ANY), a priority and permissions (FS_PERM_*).  A
 * flowspace (struct flowspace) is an ordered array of entries; the packet
 * owner is the slice of the highest-priority entry holding it.
 *
 * Invariant checked by fs_region_check(): every field a region constrains
 * has its OpenFlow 1.0 prerequisite fixed in the region (nw_* needs dl_type
 * IPv4 or ARP, tp_* needs nw_proto), so a switch that drops fields whose
 * prerequisite is absent (as Open vSwitch does) can never widen a rewritten
 * match beyond the region.
 *
 * The algebra:
 *   fs_region_covers(r, m)      every packet of match m lies in r;
 *   fs_region_overlaps(r, m)    some packet lies in both;
 *   fs_region_intersect(r, m)   the matches whose union is r ∩ m: one match
 *                               for each VID of r's range when m leaves the
 *                               VLAN open (an OpenFlow 1.0 match holds one
 *                               VID), else at most one match.
 *
 * Pure functions and values; thread-safe.  Strings returned by the
 * formatters are heap (caller frees). */
#ifndef PLURAL_SLICE_FLOWSPACE_H
#define PLURAL_SLICE_FLOWSPACE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp/ofp-match.h"

#define FS_DPID_ANY UINT64_MAX

/* Permissions of a flowspace entry (FlowVisor's). */
enum {
    FS_PERM_READ = 1 << 0,      /* PACKET_IN, FLOW_REMOVED, stats delivered. */
    FS_PERM_WRITE = 1 << 1,     /* FLOW_MOD, PACKET_OUT accepted. */
    FS_PERM_DELEGATE = 1 << 2,  /* May change this entry at run time. */
};

/* Largest number of matches one intersection may produce (VLAN range
 * expansion); larger results are refused with -E2BIG. */
#define FS_MAX_EXPANSION 64

struct fs_region {
    struct ofp_match_h match;   /* Normalized; dl_vlan unused if a range. */
    uint16_t vlan_lo, vlan_hi;  /* When !(match.wildcards & OFPFW_DL_VLAN). */
};

struct fs_entry {
    uint64_t dpid;              /* Switch, or FS_DPID_ANY. */
    uint16_t priority;
    uint8_t perms;              /* FS_PERM_*. */
    struct fs_region region;
};

/* Parses the ovs-ofctl match syntax (ofp-parse.h) extended with VLAN
 * ranges "dl_vlan=10-19"; "any" or "" is the whole space.  Checks the
 * invariant above.  Returns 0, or -EINVAL with *errp (heap). */
int fs_region_parse(const char *, struct fs_region *, char **errp);
/* The region in the same syntax ("dl_vlan=10-19,ip,nw_dst=10.0.0.0/8";
 * "any" for the whole space).  Heap string. */
char *fs_region_to_string(const struct fs_region *);
/* "rwd", "r", ... <-> FS_PERM_* bits.  Parse returns 0 or -EINVAL. */
int fs_perms_parse(const char *, uint8_t *perms);
void fs_perms_format(uint8_t perms, char out[4]);

/* 0, or -EINVAL with *errp (heap) naming what is wrong. */
int fs_region_check(const struct fs_region *, char **errp);
/* Region holding exactly the packets of m (its VLAN, if any, as a range of
 * one). */
void fs_region_from_match(const struct ofp_match_h *, struct fs_region *);

bool fs_region_covers(const struct fs_region *, const struct ofp_match_h *);
bool fs_region_overlaps(const struct fs_region *, const struct ofp_match_h *);
/* Writes up to `max` normalized matches into out; returns how many (0 =
 * disjoint), or -E2BIG when more than `max` would be needed. */
int fs_region_intersect(const struct fs_region *, const struct ofp_match_h *,
                        struct ofp_match_h *out, size_t max);
/* True if region a covers every packet of region b. */
bool fs_region_covers_region(const struct fs_region *a,
                             const struct fs_region *b);

/* True if the entry is about switch dpid (its own dpid or FS_DPID_ANY). */
bool fs_entry_applies(const struct fs_entry *, uint64_t dpid);

#endif
