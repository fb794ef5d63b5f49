/* slicer-map — keeps plural-switchd's per-slice scheduler map in step with
 * the slices, automatically (`plural-slicer --switch-ctl`).
 *
 * The slicer derives the VLAN -> slice map from the flowspace (each
 * slice's id is its position + 1, its weight its share; see
 * slice_def_map_entry()).  A map pusher holds one target per
 * --switch-ctl option:
 *
 *   PATH         the map of every entry (dpid "any" and per-dpid ones),
 *                for a single switch or switches that share one map;
 *   DPID=PATH    the map for that switch: entries of other dpids left out.
 *
 * and sends `slice/map ENTRY...` (or `slice/map-clear` when no slice has a
 * VLAN) to each target's control socket:
 *   - at start-up,
 *   - after every change of the slices (map_pusher_changed(): pushed only
 *     if the map differs from the last one the target accepted),
 *   - when a switch becomes ready (map_pusher_switch_ready(): always, since
 *     a switch that reconnects may have restarted without its map).
 * Pushes are non-blocking (the event loop, one transaction at a time per
 * target; a change during a push is pushed after it).  A failed push (no
 * daemon, refused, no reply in 5 s) is logged and retried with back-off
 * (1 s doubling to 30 s).  `slice/map-status` shows each target.
 *
 * Ownership: the slicer owns the pusher; the pusher reads the slicer's
 * slices when it builds a map.  Thread-safety: the loop thread. */
#ifndef PLURAL_SLICER_MAP_H
#define PLURAL_SLICER_MAP_H 1

#include <stdint.h>
#include <jansson.h>

struct loop;
struct map_pusher;
struct slicer;

/* Parses the --switch-ctl specs.  0, or -EINVAL with *errp. */
int map_pusher_create(struct loop *, struct slicer *, const char *const *specs,
                      size_t n_specs, struct map_pusher **, char **errp);
/* Accepts NULL.  A push in progress is abandoned. */
void map_pusher_destroy(struct map_pusher *);

/* The slices changed: push to every target whose map is now different. */
void map_pusher_changed(struct map_pusher *);
/* Push now to every target (start-up). */
void map_pusher_push_all(struct map_pusher *);
/* Switch `dpid` became ready: push to its targets (and the "all" ones). */
void map_pusher_switch_ready(struct map_pusher *, uint64_t dpid);

/* [{"target", "dpid", "state", "pushes", "failures", "last_result",
 *   "map"}] (a new reference). */
json_t *map_pusher_to_json(const struct map_pusher *);

#endif
