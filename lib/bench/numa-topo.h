/* numa-topo — the host's NUMA topology from sysfs, the seed's "NUMA
 * threshold", and the largest VM that fits in one node.
 *
 * Read from ROOT/devices/system/node: `online` (node list), and for each
 * node N: nodeN/cpulist, nodeN/meminfo ("Node N MemTotal: X kB",
 * "Node N MemFree: ..."), nodeN/distance (one distance per online node, in
 * node order).  ROOT is "/sys" normally, a fixture tree in tests.
 *
 * The seed's rule: a VM larger than one node (more vCPUs than the node's
 * CPUs, or more memory than the node's) is slower, as its memory is partly
 * remote.  Its "NUMA threshold" is memory per core — host RAM / cores
 * (50 GB / 24 = ~2 GB) — the memory a VM may have per vCPU and still be
 * placed node-locally alongside others.  Here it is computed per node
 * (node MemTotal / node CPUs) and for the host (total / total).
 *
 * Advice (bench_numa_advise): the largest VM that fits one node is, over the
 * nodes that have CPUs, the one with the most CPUs (ties: most memory):
 * vCPUs = that node's CPU count, memory = its MemTotal minus the host's
 * reserve (default 1 GiB), rounded down to 256 MiB.
 *
 * Pure functions of the files; thread-safe. */
#ifndef PLURAL_BENCH_NUMA_TOPO_H
#define PLURAL_BENCH_NUMA_TOPO_H 1

#include <stdint.h>

struct bench_numa_node {
    int id;
    char *cpulist;          /* As the kernel writes it ("0-3,8"), maybe "". */
    unsigned n_cpus;
    uint64_t mem_total;     /* Bytes. */
    uint64_t mem_free;
    unsigned *distance;     /* n_nodes entries, in topology order. */
};

struct bench_numa_topology {
    struct bench_numa_node *nodes;
    unsigned n_nodes;
    unsigned n_cpus;        /* Sum over nodes. */
    uint64_t mem_total;     /* Sum over nodes. */
};

/* Reads the topology under `sysfs_root`.  Returns 0, -ENOENT (no node
 * information there), or -EINVAL (a file is malformed). */
int bench_numa_read(const char *sysfs_root, struct bench_numa_topology *);
void bench_numa_topology_uninit(struct bench_numa_topology *);

/* Memory per CPU of a node, and of the whole host (bytes; 0 without CPUs). */
uint64_t bench_numa_node_threshold(const struct bench_numa_node *);
uint64_t bench_numa_host_threshold(const struct bench_numa_topology *);

#define BENCH_NUMA_DEFAULT_RESERVE (UINT64_C(1) << 30)
#define BENCH_NUMA_VM_MEMORY_STEP (UINT64_C(256) << 20)

struct bench_numa_advice {
    int node;               /* The node it fits (-1: no node has CPUs). */
    unsigned vcpus;
    uint64_t memory;        /* Bytes, multiple of BENCH_NUMA_VM_MEMORY_STEP. */
};

void bench_numa_advise(const struct bench_numa_topology *, uint64_t host_reserve,
                       struct bench_numa_advice *);

#endif
