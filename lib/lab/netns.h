/* netns — named network namespaces, compatible with iproute2.
 *
 * A named namespace is a bind mount of a namespace's nsfs inode on
 * /run/netns/NAME, exactly as `ip netns add` makes it, so `ip netns exec`
 * and `ip -n` interoperate with namespaces created here and vice versa.
 *
 * Work inside a namespace is done on a short-lived helper thread that
 * setns()es into it (a thread may switch network namespace on its own;
 * the rest of the process stays where it is): lab_netns_run() runs a
 * callback there and returns its result.  Sockets opened by the callback
 * (netlink, ioctl, /dev/net/tun, /proc/sys/net files) belong to that
 * namespace for their whole life and may be used afterwards from any
 * thread.
 *
 * All functions are thread-safe (no shared state).  Errors: 0 or a
 * negative errno. */
#ifndef PLURAL_LAB_NETNS_H
#define PLURAL_LAB_NETNS_H 1

#include <stdbool.h>
#include <stddef.h>

#define LAB_NETNS_DIR "/run/netns"

/* Creates namespace NAME (loopback left down).  -EEXIST if it exists. */
int lab_netns_add(const char *name);

/* Removes namespace NAME: unmounts and unlinks /run/netns/NAME.  The
 * namespace itself disappears once no process or socket uses it.
 * -ENOENT if it does not exist. */
int lab_netns_del(const char *name);

bool lab_netns_exists(const char *name);

/* Sends SIGKILL to every process whose network namespace is NAME (like
 * `ip netns pids NAME | xargs kill -9`): what `exec` left running there.
 * Returns the number of processes signalled, or a negative errno. */
int lab_netns_kill_all(const char *name);

/* Opens /run/netns/NAME (O_RDONLY|O_CLOEXEC); NULL NAME opens the
 * caller's own namespace.  Returns the fd or a negative errno. */
int lab_netns_open(const char *name);

/* Runs fn(arg) on a helper thread inside namespace NAME (NULL = the
 * caller's namespace, still on a helper thread) and returns what fn
 * returned, or a negative errno if the namespace could not be entered. */
int lab_netns_run(const char *name, int (*fn)(void *), void *arg);

/* Writes VALUE to /proc/sys/PATH inside namespace NAME, e.g.
 * lab_netns_sysctl(ns, "net/ipv4/ip_forward", "1"). */
int lab_netns_sysctl(const char *name, const char *path, const char *value);

/* Reads /proc/sys/PATH inside NAME into buf (trailing newline removed). */
int lab_netns_sysctl_get(const char *name, const char *path, char *buf, size_t size);

#endif
