/* lab — bringing a topology up and down, running commands in its nodes.
 *
 * lab_up() creates, in order: the run directory and its state file
 * (state.h), one namespace per node (NAME-NODE; vm nodes have none), the
 * cgroups of containers, the links (veth pairs, offloads off only on links
 * to Open vSwitch; or taps in the peer's namespace for vm endpoints),
 * VLANs, addresses, routes,
 * ip_forward on routers, then the daemons: controllers, switches
 * (plural-switchd, Open vSwitch), and the guests.  Every object is recorded
 * before it is made, so lab_down() removes everything even after a crash
 * or a failed up (lab_up() calls it itself on failure).
 *
 * Node records in the state ("nodes": {NODE: {...}}) carry what `exec` and
 * `status` need: kind, netns, cgroups, cpu mask, console and accelerator
 * for vms, control socket paths for switches and controllers.
 *
 * Binaries: plural-switchd and plural-controller are looked up in
 * $PLURAL_SWITCHD / $PLURAL_CONTROLLER, then next to the running `plural`
 * in a build tree (../switchd, ../controller), then in PATH.
 *
 * Errors: 0 or negative errno, with a message in *errp (caller frees). */
#ifndef PLURAL_LAB_LAB_H
#define PLURAL_LAB_LAB_H 1

#include <jansson.h>
#include "lab/topo.h"

#define LAB_RUN_ROOT "/run/plural/lab"

/* LAB_RUN_ROOT/NAME (caller frees). */
char *lab_default_run_dir(const char *name);

int lab_up(const struct lab_topo *, const char *run_dir, char **errp);

/* Removes everything recorded in RUN_DIR's state, then the state and the
 * run directory.  -ENOENT if no lab is recorded there. */
int lab_down(const char *run_dir, char **errp);

/* {"name", "run_dir", "nodes": {NODE: {kind, netns, alive, ...}},
 *  "objects": [{..., "present": bool}]}  (caller decrefs). */
int lab_status(const char *run_dir, json_t **status, char **errp);

/* Runs ARGV in NODE; returns its exit status (>= 0) or -errno.  For a vm
 * the words are joined into one shell command line for the guest agent,
 * its output is written to stdout and the host-measured time to stderr
 * when TIMING. */
int lab_exec(const char *run_dir, const char *node, char *const argv[], bool timing,
             char **errp);

/* The run directory of the only lab under LAB_RUN_ROOT, or -ENOENT /
 * -EEXIST (several: name one). */
int lab_find_single(char **run_dir);

#endif
