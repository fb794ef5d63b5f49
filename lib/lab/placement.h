/* placement — checks that a process really is where the lab put it: in
 * every cgroup of a list (cgroup v1 per-controller hierarchies under
 * /sys/fs/cgroup/CONTROLLER/..., or v2 under /sys/fs/cgroup/...) and in a
 * named network namespace (/run/netns/NAME).  Reads /proc/PID/cgroup and
 * compares /proc/PID/ns/net with the namespace's bind mount.  Used by
 * `plural lab status` for controllers placed in a container node, and by
 * the scenarios' reports.  Stateless, thread-safe. */
#ifndef PLURAL_LAB_PLACEMENT_H
#define PLURAL_LAB_PLACEMENT_H 1

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* True if PID is a member of cgroup directory PATH (a path under
 * /sys/fs/cgroup, as the lab records it). */
bool lab_placement_in_cgroup(pid_t, const char *path);

/* True if PID's network namespace is /run/netns/NETNS. */
bool lab_placement_in_netns(pid_t, const char *netns);

#endif
