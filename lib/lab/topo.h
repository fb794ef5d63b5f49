/* topo — a lab topology: nodes, links, addresses, routes, VLANs, read
 * from a containerlab-like YAML file.
 *
 *   name: demo                      # lab name: prefixes every object made
 *   nodes:
 *     a:  { kind: host, addresses: { eth1: 10.0.1.1/24 },
 *           routes: [ { dst: default, via: 10.0.1.254 } ] }
 *     r:  { kind: linux-router, cpus: "1" }
 *     b:  { kind: container, cpu: 0.5, memory: 256M, cpus: [0] }
 *     g:  { kind: vm, vcpus: 1, memory: 512M, nic: virtio, accel: auto }
 *     sw: { kind: plural-switch, controllers: [c], fail-mode: secure }
 *     o:  { kind: ovs, controllers: [c] }
 *     c:  { kind: controller, app: router, config: router.conf }
 *   links:
 *     - endpoints: [a:eth1, r:eth1]
 *       mtu: 1500
 *
 * Node kinds: host (a network namespace), container (namespace + cgroup
 * CPU/memory limits), vm (QEMU guest; its links are taps in the peer's
 * namespace), linux-router (namespace with ip_forward=1), plural-switch
 * (plural-switchd in its namespace, one port per link), ovs (Open vSwitch
 * userspace datapath, private run directory), controller (plural-controller
 * `app: router|l2|cleanslate` with `config`, or `app: ovs-testcontroller`),
 * slicer (plural-slicer between switches and the controllers of its
 * `slices: [{name, controller, ports, flowspace: [MATCH...], weight}]`;
 * switches list it in `controllers`).
 * Switches and slicers reach controllers over unix sockets in the lab's
 * run directory, so no namespace needs a route to another.  Two
 * placements change where a controller runs: `container: C` (the daemon
 * joins container C's namespace and cgroups) and `vm: G` (it is started
 * inside guest G through the control channel, after the guests boot, and
 * listens on `port` (default 6653) of G's first address; only slicers
 * reach it, over a link of their own to G: a slicer may have links and
 * addresses for that, a switch's links are all data-plane ports).
 *
 * Every error names FILE:LINE and the reason; lab_topo_read() reports all
 * errors it finds, one per line.  A topology is immutable once read and
 * owned by the caller (lab_topo_destroy). */
#ifndef PLURAL_LAB_TOPO_H
#define PLURAL_LAB_TOPO_H 1

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LAB_NAME_MAX 12        /* Lab and node names: [a-z0-9-], this long. */
#define LAB_IFNAME_MAX 15
#define LAB_VM_CONTROLLER_PORT 6653   /* Default port of a controller in a vm. */

enum lab_node_kind {
    LAB_NODE_HOST,
    LAB_NODE_CONTAINER,
    LAB_NODE_VM,
    LAB_NODE_ROUTER,
    LAB_NODE_PLURAL_SWITCH,
    LAB_NODE_OVS,
    LAB_NODE_CONTROLLER,
    LAB_NODE_SLICER,
};

const char *lab_node_kind_name(enum lab_node_kind);

struct lab_addr {
    char *ifname;
    struct in_addr addr;
    unsigned int plen;
    int line;
};

struct lab_route {
    struct in_addr dst;
    unsigned int plen;
    struct in_addr via;        /* INADDR_ANY: on-link via dev. */
    char *dev;                 /* May be NULL. */
    int line;
};

struct lab_vlan {
    char *parent;
    uint16_t id;
    char *name;                /* Default PARENT.ID. */
    int line;
};

/* A slice of a slicer node (plural-slicer, seed's FlowVisor). */
struct lab_slice {
    char *name;
    char *controller;          /* A controller node. */
    char *ports;               /* JSON text: "all" or [1, 2]. */
    char **matches;            /* Flowspace entries (ovs-ofctl match syntax). */
    size_t n_matches;
    unsigned int weight;       /* 0: default. */
    int line;
};

struct lab_node {
    char *name;
    enum lab_node_kind kind;
    int line;
    uint64_t cpu_mask;         /* CPU affinity (bit i = CPU i), 0 = any. */
    double cpu_quota;          /* CPUs of time (container), 0 = unlimited. */
    uint64_t memory;           /* Bytes (container limit, VM size), 0 = default. */
    unsigned int vcpus;        /* VM. */
    char *nic;                 /* VM: "virtio" or "e1000". */
    char *accel;               /* VM: "auto", "kvm" or "tcg". */
    char *app, *config;        /* Controller. */
    char *container;           /* Controller: a container node whose netns and
                                * cgroups the daemon joins; NULL: its own. */
    int container_line;
    char *vm;                  /* Controller: a vm node it runs inside; NULL: host. */
    int vm_line;
    unsigned int port;         /* Controller in a vm: its TCP port (default 6653). */
    char **controllers;        /* Switches: controller node names. */
    size_t n_controllers;
    char *fail_mode;           /* plural-switch: secure/standalone. */
    struct lab_slice *slices;  /* Slicer. */
    size_t n_slices;
    struct lab_addr *addrs;
    size_t n_addrs;
    struct lab_route *routes;
    size_t n_routes;
    struct lab_vlan *vlans;
    size_t n_vlans;
    char **ifaces;             /* Link interfaces, in link order. */
    size_t n_ifaces;
};

struct lab_endpoint {
    size_t node;               /* Index into nodes. */
    char *ifname;
};

struct lab_link {
    struct lab_endpoint ep[2];
    unsigned int mtu;          /* 0: default. */
    int line;
};

struct lab_topo {
    char *file;
    char *name;
    struct lab_node *nodes;
    size_t n_nodes;
    struct lab_link *links;
    size_t n_links;
};

/* Reads FILE.  Returns 0 and *topop, or a negative errno with *errp
 * (caller frees) listing "FILE:LINE: reason" lines. */
int lab_topo_read(const char *file, struct lab_topo **topop, char **errp);

/* Same, from text in memory; FILE only names it in messages. */
int lab_topo_parse(const char *file, const char *text, size_t len,
                   struct lab_topo **topop, char **errp);

void lab_topo_destroy(struct lab_topo *);

/* The node called NAME, or NULL. */
const struct lab_node *lab_topo_find(const struct lab_topo *, const char *name);

/* Parses "512M", "2G", "1048576" (bytes; K, M, G binary). */
int lab_parse_size(const char *s, uint64_t *bytes);

/* Parses a CPU list "0-2,5" into a mask (CPUs 0..63). */
int lab_parse_cpus(const char *s, uint64_t *mask);

#endif
