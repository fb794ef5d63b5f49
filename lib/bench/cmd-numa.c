/* cmd-numa — `plural bench numa`: topology, NUMA threshold, VM advice. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "bench/cli-output.h"
#include "bench/commands.h"
#include "bench/numa-topo.h"

#define CMD "numa"
#define GIB 1073741824.0

static void
usage(FILE *f)
{
    fprintf(f,
"usage: plural bench numa [--sysfs-root DIR] [--reserve-mib N] [--format text|json]\n"
"\n"
"Shows the host's NUMA topology from /sys/devices/system/node: each node's\n"
"CPUs, memory and distances to the other nodes; the seed's \"NUMA threshold\"\n"
"(memory per core: a node's memory / its CPUs, and the host's total memory /\n"
"all CPUs); and the largest VM that fits in one node, so that its vCPUs and\n"
"memory stay local (the seed measured VMs larger than a node to be slower).\n"
"\n"
"The advice takes the node with the most CPUs (then the most memory):\n"
"vCPUs = its CPUs, memory = its memory minus --reserve-mib for the host,\n"
"rounded down to 256 MiB.\n"
"\n"
"Options:\n"
"  --sysfs-root DIR   read DIR/devices/system/node instead of /sys/... (tests)\n"
"  --reserve-mib N    memory left to the host on that node (default 1024)\n"
"  --format F         text (default) or json\n"
"  -h, --help         this help\n"
"\n"
"Exit status: 0 ok, 1 no NUMA information found, 2 usage error.\n");
}

static void
print_text(const struct bench_numa_topology *t, const struct bench_numa_advice *a,
           uint64_t reserve)
{
    printf("NUMA topology: %u node%s, %u CPUs, %.1f GiB\n\n", t->n_nodes,
           t->n_nodes == 1 ? "" : "s", t->n_cpus, t->mem_total / GIB);
    printf("%-5s %-14s %5s %11s %11s %14s   distances\n", "node", "cpus", "ncpu",
           "memory", "free", "memory/cpu");
    for (unsigned i = 0; i < t->n_nodes; i++) {
        const struct bench_numa_node *n = &t->nodes[i];
        printf("%-5d %-14s %5u %7.1f GiB %7.1f GiB %10.2f GiB  ", n->id,
               n->cpulist[0] ? n->cpulist : "(none)", n->n_cpus, n->mem_total / GIB,
               n->mem_free / GIB, bench_numa_node_threshold(n) / GIB);
        for (unsigned j = 0; j < t->n_nodes; j++) {
            printf(" %3u", n->distance[j]);
        }
        printf("\n");
    }
    printf("\nNUMA threshold (memory per core): %.2f GiB for the host "
           "(%.1f GiB / %u CPUs)\n", bench_numa_host_threshold(t) / GIB,
           t->mem_total / GIB, t->n_cpus);
    if (a->node < 0) {
        printf("No node has CPUs: no VM can be placed node-locally.\n");
        return;
    }
    printf("Largest VM that fits one node: %u vCPUs, %.2f GiB (node %d, keeping "
           "%llu MiB for the host)\n", a->vcpus, a->memory / GIB, a->node,
           (unsigned long long) (reserve >> 20));
    if (t->n_nodes > 1) {
        printf("A VM with more vCPUs or memory than that spans nodes and pays for "
               "remote memory; give VMs at most %.2f GiB per vCPU to pack them "
               "node-locally.\n", bench_numa_host_threshold(t) / GIB);
    } else {
        printf("One node: every VM is node-local; the threshold still bounds memory per "
               "vCPU if VMs are to share the host evenly.\n");
    }
}

static int
print_json(const struct bench_numa_topology *t, const struct bench_numa_advice *a,
           uint64_t reserve)
{
    json_t *root = json_object();
    json_t *nodes = json_array();
    for (unsigned i = 0; i < t->n_nodes; i++) {
        const struct bench_numa_node *n = &t->nodes[i];
        json_t *o = json_object();
        json_object_set_new(o, "node", json_integer(n->id));
        json_object_set_new(o, "cpus", json_string(n->cpulist));
        json_object_set_new(o, "n_cpus", json_integer(n->n_cpus));
        json_object_set_new(o, "mem_total_bytes", json_integer(n->mem_total));
        json_object_set_new(o, "mem_free_bytes", json_integer(n->mem_free));
        json_object_set_new(o, "threshold_bytes", json_integer(bench_numa_node_threshold(n)));
        json_t *d = json_array();
        for (unsigned j = 0; j < t->n_nodes; j++) {
            json_array_append_new(d, json_integer(n->distance[j]));
        }
        json_object_set_new(o, "distances", d);
        json_array_append_new(nodes, o);
    }
    json_object_set_new(root, "nodes", nodes);
    json_object_set_new(root, "n_cpus", json_integer(t->n_cpus));
    json_object_set_new(root, "mem_total_bytes", json_integer(t->mem_total));
    json_object_set_new(root, "threshold_bytes", json_integer(bench_numa_host_threshold(t)));
    json_t *vm = json_object();
    json_object_set_new(vm, "node", a->node >= 0 ? json_integer(a->node) : json_null());
    json_object_set_new(vm, "vcpus", json_integer(a->vcpus));
    json_object_set_new(vm, "memory_bytes", json_integer(a->memory));
    json_object_set_new(vm, "host_reserve_bytes", json_integer(reserve));
    json_object_set_new(root, "largest_node_local_vm", vm);
    int error = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    printf("\n");
    return error ? 1 : 0;
}

int
bench_numa_command(int argc, char *argv[])
{
    enum { OPT_SYSFS = BENCH_OPT_FIRST_FREE, OPT_RESERVE, OPT_FORMAT };
    static const struct option options[] = {
        { "sysfs-root", required_argument, NULL, OPT_SYSFS },
        { "reserve-mib", required_argument, NULL, OPT_RESERVE },
        { "format", required_argument, NULL, OPT_FORMAT },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *root = "/sys";
    uint64_t reserve = BENCH_NUMA_DEFAULT_RESERVE, mib;
    bool json = false;
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (c) {
        case OPT_SYSFS:
            root = optarg;
            break;
        case OPT_RESERVE:
            if (bench_cli_parse_uint(CMD, "reserve-mib", optarg, 0, UINT64_C(1) << 30, &mib)) {
                return BENCH_EXIT_USAGE;
            }
            reserve = mib << 20;
            break;
        case OPT_FORMAT:
            if (strcmp(optarg, "text") && strcmp(optarg, "json")) {
                return bench_cli_usage_error(CMD, "--format must be text or json (got '%s')",
                                             optarg);
            }
            json = !strcmp(optarg, "json");
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            return bench_cli_bad_option(CMD, argv, c);
        }
    }
    if (optind < argc) {
        return bench_cli_usage_error(CMD, "unexpected argument '%s' (see --help)", argv[optind]);
    }
    struct bench_numa_topology topo;
    int error = bench_numa_read(root, &topo);
    if (error) {
        return bench_cli_failure(CMD, "%s/devices/system/node: %s", root,
                                 error == -ENOENT ? "no NUMA information there"
                                 : "malformed node files");
    }
    struct bench_numa_advice advice;
    bench_numa_advise(&topo, reserve, &advice);
    int rc = 0;
    if (json) {
        rc = print_json(&topo, &advice, reserve);
    } else {
        print_text(&topo, &advice, reserve);
    }
    bench_numa_topology_uninit(&topo);
    return rc;
}
