/* port-provider — the interface a port backend implements (port.h is the
 * client side).  Only port.c and the port-*.c providers include this.
 *
 * A provider defines its own struct with `struct port up;` embedded as a
 * member and converts with CONTAINER_OF.  Its open() allocates that struct,
 * fills in its own state, calls port_init() on the base and returns the
 * base.  Its close() releases its resources and frees the struct (port.c
 * frees the base's name after it returns).
 *
 * Contract for every hook: same arguments, return values and errors as the
 * port.h function of the same name.  port.c has already checked arguments
 * (non-NULL port, n <= PACKET_BATCH_MAX).  Optional hooks may be NULL;
 * port.c then supplies the default named beside the hook.
 *
 * Counters: providers add to `port->stats` with port_stat_add() only from
 * the port's owning thread (single writer per counter); port_get_stats()
 * reads them with relaxed atomic loads from any thread. */
#ifndef PLURAL_DP_PORT_PROVIDER_H
#define PLURAL_DP_PORT_PROVIDER_H 1

#include "dp/port.h"

struct port_class {
    const char *type;                   /* "afpacket", "tap", "dummy". */

    /* `name` was validated by port_parse_spec(). */
    int (*open)(const char *name, struct port **portp);
    void (*close)(struct port *);

    int (*recv)(struct port *, struct packet_batch *);
    void (*recv_done)(struct port *, struct packet_batch *);
    int (*send)(struct port *, struct packet *const *pkts, unsigned int n);
    int (*wait_fd)(const struct port *);

    bool (*is_link_up)(struct port *);
    bool (*is_admin_up)(struct port *);
    int (*set_admin_up)(struct port *, bool up);
    int (*get_mac)(struct port *, uint8_t mac[6]);
    int (*get_mtu)(struct port *, int *mtu);
    /* NULL: a 10 Gb/s full-duplex copper port. */
    int (*get_features)(struct port *, struct port_features *);
    /* NULL: -1 (the caller polls). */
    int (*link_wait_fd)(const struct port *);
    /* Drains link_wait_fd (if any); port.c compares states. NULL: no-op. */
    void (*link_drain)(struct port *);
    /* NULL: nothing to add.  Adds counters kept elsewhere (the kernel's
     * ring-full drops) to a snapshot already holding port->stats. */
    void (*get_stats_extra)(const struct port *, struct port_stats *);
};

struct port {
    const struct port_class *class;
    char *name;                 /* Device name (owned). */
    struct port_stats stats;    /* Updated with port_stat_add(). */
    bool last_up;               /* Link state last reported by
                                 * port_poll_link_change(). */
    uint32_t offloads;          /* PORT_OL_*, set by open() (default 0). */
};

/* Initializes the base (copies name). */
void port_init(struct port *, const struct port_class *, const char *name);

/* Adds to one counter of port->stats; owning thread only. */
static inline void
port_stat_add(uint64_t *counter, uint64_t n)
{
    __atomic_store_n(counter, __atomic_load_n(counter, __ATOMIC_RELAXED) + n,
                     __ATOMIC_RELAXED);
}

/* Linux-device helpers shared by the afpacket and tap providers (they
 * live in port.c).  `fd` is an ioctl socket from
 * port_linux_open_ioctl_socket(), opened with the port: a socket belongs to
 * the network namespace it was created in, so the port's device is found
 * whatever namespace the calling thread is in later. */
int port_linux_open_ioctl_socket(void);
int port_linux_get_flags(int fd, const char *name, unsigned int *flags);
int port_linux_set_flags(int fd, const char *name, unsigned int set,
                         unsigned int clear);
int port_linux_get_mac(int fd, const char *name, uint8_t mac[6]);
int port_linux_get_mtu(int fd, const char *name, int *mtu);
int port_linux_get_features(int fd, const char *name, struct port_features *);
/* Opens a nonblocking rtnetlink socket subscribed to link changes
 * (RTMGRP_LINK) of the current namespace.  Returns an fd or -errno. */
int port_linux_open_link_monitor(void);
/* Reads and discards everything queued on a link-monitor fd. */
void port_linux_drain(int fd);

extern const struct port_class port_afpacket_class;
extern const struct port_class port_tap_class;
extern const struct port_class port_dummy_class;
extern const struct port_class port_afxdp_class;

#endif
