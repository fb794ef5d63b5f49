/* rewrite — how the slicer enforces a slice's flowspace on each message.
 *
 * Every function here is a pure decision over decoded messages
 * (ofp-msgs.h): the slicer daemon (src/slicer) decodes, asks, and encodes.
 *
 *   FLOW_MOD from a slice  -> slice_rewrite_flow_mod(): the match is
 *       intersected with each of the slice's writable entries for the
 *       switch; one FLOW_MOD per resulting match (VLAN ranges expand).  An
 *       ADD/MODIFY outside the flowspace is refused with
 *       FLOW_MOD_FAILED/EPERM; a DELETE outside it becomes nothing (so a
 *       slice's "delete all" deletes only inside its own flowspace).  Every
 *       ADD/MODIFY gets OFPFF_SEND_FLOW_REM so the slicer can count the
 *       slice's flows (flow-track.h); the caller remembers whether the
 *       slice asked for it.
 *   actions (FLOW_MOD, PACKET_OUT) -> slice_rewrite_actions(): outputs only
 *       to the slice's ports (FLOOD/ALL expand to them when the slice does
 *       not own every port; NORMAL and LOCAL only for all-port slices), and
 *       the packet as rewritten by set-field actions must still lie in the
 *       slice's writable flowspace at every output; else BAD_ACTION/EPERM.
 *   PACKET_OUT -> slice_check_packet_out(): the frame (parsed from its data
 *       or remembered with its buffer_id) must lie in the slice's writable
 *       flowspace and in_port must be the slice's; else BAD_REQUEST/EPERM.
 *   PACKET_IN -> slice_classify(): the slices owning the packet: those
 *       with a readable entry at the highest priority among the entries
 *       (of any slice) covering it.
 *   FLOW_REMOVED, flow stats -> slice_owns_match(); PORT_STATUS, port
 *       stats, features -> slice_def_has_port().
 *   LLDP (ethertype 0x88cc) PACKET_OUT frames get a trailer naming the
 *       slice (slice_lldp_tag()); a PACKET_IN carrying it goes to that slice
 *       only, with the trailer removed (slice_lldp_untag()).  So topology
 *       discovery works per slice, outside any VLAN flowspace.
 *
 * Ownership: output arrays are heap; free flow_mods with
 * slice_flow_mods_free(), action arrays with free().  Thread-safe. */
#ifndef PLURAL_SLICE_REWRITE_H
#define PLURAL_SLICE_REWRITE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp/ofp-msgs.h"
#include "slice/slice.h"

struct buf;

int slice_rewrite_flow_mod(const struct slice_def *, uint64_t dpid,
                           const struct ofp_flow_mod_h *in,
                           struct ofp_flow_mod_h **out, size_t *n_out,
                           struct ofp_error *err);
void slice_flow_mods_free(struct ofp_flow_mod_h *, size_t n);

/* `match` is the region the packets come from (a flow's match, or a
 * frame's exact match); in_port the PACKET_OUT's in_port or OFPP_NONE. */
int slice_rewrite_actions(const struct slice_def *, uint64_t dpid,
                          const struct ofp_match_h *match, uint16_t in_port,
                          const struct ofp_action *in, size_t n_in,
                          struct ofp_action **out, size_t *n_out,
                          struct ofp_error *err);

/* frame: the match of the frame sent (NULL if unknown: refused). */
int slice_check_packet_out(const struct slice_def *, uint64_t dpid,
                           const struct ofp_packet_out_h *,
                           const struct ofp_match_h *frame,
                           struct ofp_action **out, size_t *n_out,
                           struct ofp_error *err);

/* Writes into out[] the indexes of the slices owning pkt; returns how many
 * (at most n). */
size_t slice_classify(const struct slice_def *const *slices, size_t n,
                      uint64_t dpid, const struct ofp_match_h *pkt,
                      size_t *out);

/* True if a readable entry of the slice covers every packet of m. */
bool slice_owns_match(const struct slice_def *, uint64_t dpid,
                      const struct ofp_match_h *);
/* True if a writable entry covers m. */
bool slice_may_write(const struct slice_def *, uint64_t dpid,
                     const struct ofp_match_h *);

/* The exact match of a frame received on in_port (lib/pkt flow_extract);
 * returns false for a frame shorter than an Ethernet header. */
bool slice_frame_match(const void *frame, size_t len, uint16_t in_port,
                       struct ofp_match_h *);

#define SLICE_ETH_TYPE_LLDP 0x88cc
#define SLICE_LLDP_MAGIC "PLSL"
/* True if the frame is LLDP (ethertype 0x88cc, untagged or tagged). */
bool slice_frame_is_lldp(const void *frame, size_t len);
/* Appends the slice trailer to a copy of frame in out (padding to 60 bytes
 * first so the trailer stays last on the wire). */
void slice_lldp_tag(const void *frame, size_t len, const char *slice,
                    struct buf *out);
/* If frame ends with a trailer, copies the slice name into name[] (size
 * SLICE_NAME_MAX + 1), sets *len_out to the frame length without it and
 * returns true. */
bool slice_lldp_untag(const void *frame, size_t len, char *name,
                      size_t *len_out);

#endif
