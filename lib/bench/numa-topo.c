/* numa-topo — NUMA topology, threshold and VM advice (see numa-topo.h). */
#include "bench/numa-topo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench/sysfs.h"
#include "util/util.h"

#define MAX_NODES 1024
#define MAX_CPUS 8192

static int
read_node_meminfo(const char *root, struct bench_numa_node *node)
{
    char *path = xasprintf("%s/devices/system/node/node%d/meminfo", root, node->id);
    FILE *f = fopen(path, "r");
    free(path);
    if (!f) {
        return -errno;
    }
    char line[256];
    bool have_total = false;
    while (fgets(line, sizeof line, f)) {
        int id;
        char field[64];
        unsigned long long kib;
        if (sscanf(line, "Node %d %63[^:]: %llu kB", &id, field, &kib) == 3) {
            if (!strcmp(field, "MemTotal")) {
                node->mem_total = kib * 1024;
                have_total = true;
            } else if (!strcmp(field, "MemFree")) {
                node->mem_free = kib * 1024;
            }
        }
    }
    fclose(f);
    return have_total ? 0 : -EINVAL;
}

static int
read_node(const char *root, struct bench_numa_node *node, unsigned n_nodes)
{
    char *rel = xasprintf("devices/system/node/node%d/cpulist", node->id);
    int error = bench_sysfs_read_line(root, rel, &node->cpulist);
    free(rel);
    if (error) {
        return error;
    }
    uint64_t *bits = xcalloc(MAX_CPUS / 64, sizeof *bits);
    int n_cpus = node->cpulist[0] ? bench_parse_cpulist(node->cpulist, bits, MAX_CPUS) : 0;
    free(bits);
    if (n_cpus < 0) {
        return -EINVAL;
    }
    node->n_cpus = n_cpus;
    if ((error = read_node_meminfo(root, node))) {
        return error;
    }
    char *distance;
    rel = xasprintf("devices/system/node/node%d/distance", node->id);
    error = bench_sysfs_read_line(root, rel, &distance);
    free(rel);
    if (error) {
        return error;
    }
    node->distance = xcalloc(n_nodes, sizeof *node->distance);
    char *p = distance;
    for (unsigned i = 0; i < n_nodes; i++) {
        char *end;
        unsigned long d = strtoul(p, &end, 10);
        if (end == p) {
            error = -EINVAL;
            break;
        }
        node->distance[i] = d;
        p = end;
    }
    free(distance);
    return error;
}

int
bench_numa_read(const char *root, struct bench_numa_topology *topo)
{
    memset(topo, 0, sizeof *topo);
    char *online;
    int error = bench_sysfs_read_line(root, "devices/system/node/online", &online);
    if (error) {
        return -ENOENT;
    }
    uint64_t bits[MAX_NODES / 64];
    int n = bench_parse_cpulist(online, bits, MAX_NODES);
    free(online);
    if (n <= 0) {
        return -EINVAL;
    }
    topo->nodes = xcalloc(n, sizeof *topo->nodes);
    for (int id = 0; id < MAX_NODES && topo->n_nodes < (unsigned) n; id++) {
        if (bits[id / 64] & (UINT64_C(1) << (id % 64))) {
            topo->nodes[topo->n_nodes++].id = id;
        }
    }
    for (unsigned i = 0; i < topo->n_nodes; i++) {
        if ((error = read_node(root, &topo->nodes[i], topo->n_nodes))) {
            bench_numa_topology_uninit(topo);
            return error == -ENOENT ? -EINVAL : error;
        }
        topo->n_cpus += topo->nodes[i].n_cpus;
        topo->mem_total += topo->nodes[i].mem_total;
    }
    return 0;
}

void
bench_numa_topology_uninit(struct bench_numa_topology *topo)
{
    if (!topo) {
        return;
    }
    for (unsigned i = 0; i < topo->n_nodes; i++) {
        free(topo->nodes[i].cpulist);
        free(topo->nodes[i].distance);
    }
    free(topo->nodes);
    memset(topo, 0, sizeof *topo);
}

uint64_t
bench_numa_node_threshold(const struct bench_numa_node *node)
{
    return node->n_cpus ? node->mem_total / node->n_cpus : 0;
}

uint64_t
bench_numa_host_threshold(const struct bench_numa_topology *topo)
{
    return topo->n_cpus ? topo->mem_total / topo->n_cpus : 0;
}

void
bench_numa_advise(const struct bench_numa_topology *topo, uint64_t reserve,
                  struct bench_numa_advice *advice)
{
    advice->node = -1;
    advice->vcpus = 0;
    advice->memory = 0;
    const struct bench_numa_node *best = NULL;
    for (unsigned i = 0; i < topo->n_nodes; i++) {
        const struct bench_numa_node *n = &topo->nodes[i];
        if (n->n_cpus && (!best || n->n_cpus > best->n_cpus
                          || (n->n_cpus == best->n_cpus && n->mem_total > best->mem_total))) {
            best = n;
        }
    }
    if (!best) {
        return;
    }
    advice->node = best->id;
    advice->vcpus = best->n_cpus;
    uint64_t usable = best->mem_total > reserve ? best->mem_total - reserve : 0;
    advice->memory = usable / BENCH_NUMA_VM_MEMORY_STEP * BENCH_NUMA_VM_MEMORY_STEP;
}
