/* slice — what a slice is: its name, its controller, its ports, its
 * flowspace entries and its limits; and the JSON form used by the slicer's
 * configuration file, its state file and its control socket.
 *
 * JSON form (one object per slice; a config/state file is
 * {"slices": [ ... ]}):
 *   {"name": "ip", "controller": "tcp:127.0.0.1:6601",
 *    "ports": "all" | [1, 2, 3],
 *    "flowspace": [{"dpid": "any" | "0x0000000000000001",
 *                   "match": "dl_vlan=10" (flowspace.h syntax),
 *                   "priority": 100, "perms": "rw"}, ...],
 *    "max_flows": 1000, "rate": 1000, "burst": 2000, "max_buffers": 256,
 *    "weight": 1, "allow_emergency": false,
 *    "vlans": [10]}                              (limits optional; 0 = none)
 * "vlans" is derived, never read: the VIDs of the slice's flowspace, the
 * map pushed to the data plane (see slice_def_vlans()).
 *
 * Ownership: a slice_def owns its strings and arrays; slice_def_destroy()
 * frees them (accepts NULL).  Pure: no I/O, no globals; thread-safe. */
#ifndef PLURAL_SLICE_SLICE_H
#define PLURAL_SLICE_SLICE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "slice/flowspace.h"

#define SLICE_NAME_MAX 31

struct slice_limits {
    uint32_t max_flows;         /* Flow entries per switch; 0 = unlimited. */
    uint32_t rate;              /* Control messages/s to the switch; 0 = unl. */
    uint32_t burst;             /* Token bucket depth (0: = rate). */
    uint32_t max_buffers;       /* Outstanding buffer_ids per switch; 0 = 256. */
};

#define SLICE_DEFAULT_MAX_BUFFERS 256

struct slice_def {
    char *name;
    char *controller;           /* Stream name: tcp:IP:PORT, unix:PATH. */
    bool all_ports;
    uint16_t *ports;            /* Sorted, when !all_ports. */
    size_t n_ports;
    struct fs_entry *entries;
    size_t n_entries;
    struct slice_limits limits;
    uint32_t weight;            /* Data-plane share (>= 1). */
    bool allow_emergency;       /* May install OFPFF_EMERG flows (a
                                 * switch-wide mode: off by default). */
};

struct slice_def *slice_def_create(const char *name, const char *controller);
void slice_def_destroy(struct slice_def *);
struct slice_def *slice_def_clone(const struct slice_def *);

/* A name is 1..SLICE_NAME_MAX of [A-Za-z0-9_-]. */
bool slice_name_valid(const char *);

/* True if port p (a physical port number) belongs to the slice. */
bool slice_def_has_port(const struct slice_def *, uint16_t port);
/* Parses "all" or "1,2,5" into the slice.  0 or -EINVAL. */
int slice_def_set_ports(struct slice_def *, const char *, char **errp);
/* Appends an entry (copied). */
void slice_def_add_entry(struct slice_def *, const struct fs_entry *);
/* Removes entry i (0-based).  0 or -ENOENT. */
int slice_def_del_entry(struct slice_def *, size_t i);

/* The VIDs of the slice's flowspace entries for dpid (FS_DPID_ANY: of
 * every entry) (entries with a VLAN
 * range, any permission), sorted, without duplicates, into out[max];
 * returns how many were found (may exceed max; only max are written). */
size_t slice_def_vlans(const struct slice_def *, uint64_t dpid,
                       uint16_t *out, size_t max);
/* The slice's entry in plural-switchd's `slice/map` command:
 * "ID:NAME:WEIGHT:VLAN[,VLAN...]" with the VIDs of slice_def_vlans(dpid),
 * or NULL if the slice has none (nothing for the data plane to map).
 * Heap string. */
char *slice_def_map_entry(const struct slice_def *, uint32_t id, uint64_t dpid);

/* JSON.  from_json returns 0 or -EINVAL with *errp (heap). */
json_t *slice_def_to_json(const struct slice_def *);
int slice_def_from_json(const json_t *, struct slice_def **, char **errp);
/* Parses one flowspace entry object (or builds one from parts given on a
 * command line: "dpid=any,priority=100,perms=rw,MATCH..."). */
int fs_entry_from_json(const json_t *, struct fs_entry *, char **errp);
json_t *fs_entry_to_json(const struct fs_entry *);
int fs_entry_parse(const char *, struct fs_entry *, char **errp);
char *fs_entry_to_string(const struct fs_entry *);

#endif
