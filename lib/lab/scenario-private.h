/* scenario-private — internals of the scenarios: scenario.c (helpers,
 * registry), scenario-compute.c (cpu, mem, numa), scenario-net.c (p2p,
 * routing, shared data plane, isolation), scenario-report.c (JSON, CSV,
 * Markdown, plot).  Not for other folders. */
#ifndef PLURAL_LAB_SCENARIO_PRIVATE_H
#define PLURAL_LAB_SCENARIO_PRIVATE_H 1

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include "lab/scenario.h"
#include "util/buf.h"
#include "util/util.h"

struct platform_result {
    char *name;                /* native, container, vm-virtio, ... */
    char *report;              /* PLATFORM.json, NULL if skipped. */
    char *skipped;             /* Reason, or NULL. */
};

struct scen {
    const char *name;
    const struct lab_scenario_opts *opts;
    char *dir;                 /* Results directory. */
    char *plural;              /* This program. */
    char *run_dir;             /* The lab's run directory while up. */
    json_t *lab_status;        /* Nodes of the lab (accelerators). */
    struct platform_result *results;
    size_t n_results;
    const char *unit_note;
    struct buf *notes_md;      /* Extra Markdown after the table, or NULL. */
    json_t *extra;             /* Extra members of summary.json (object), or NULL. */
};

/* An argv being built (NULL-terminated at every step). */
struct args {
    char **v;
    size_t n;
};

/* Where a network measurement runs in the scenario's lab. */
struct net_platform {
    const char *name;
    const char *client;        /* Node running the iperf3 client. */
    const char *server;        /* Node running the iperf3 server. */
    const char *server_ip;
    bool server_is_guest;
    const char *router;        /* Routing: node that forwards. */
    bool router_is_guest;
};

/* Helpers (scenario.c). */
bool wanted(const struct scen *, const char *platform);   /* --platforms */
bool have_program(const char *name);                      /* In PATH. */
bool vm_possible(char **why);                             /* QEMU and a kernel. */
/* Runs ARGV, stdout to OUT_PATH if given; exit status or -errno. */
int run_argv(char *const argv[], const char *out_path);
void arg(struct args *, const char *fmt, ...) PRINTF_FORMAT(2, 3);
void args_free(struct args *);
/* Prefix: `plural lab exec --run-dir RUN NODE --` (nothing for NULL). */
void arg_in_node(struct args *, const struct scen *, const char *node);
/* Takes REPORT (a path) or SKIPPED (a reason); both malloc'd or NULL. */
void add_result(struct scen *, const char *platform, char *report, char *skipped);
char *result_path(const struct scen *, const char *platform, const char *ext);
int lab_start(struct scen *, const char *yaml);   /* Writes topology.yml, up. */
void lab_stop(struct scen *);                     /* Down. */
const char *node_accel(const struct scen *, const char *node);
/* One shell line in NODE (a guest's agent if GUEST); 0 if it exited 0. */
int node_cmd(struct scen *, const char *node, const char *shell_cmd, bool guest);
char *lab_name(const char *prefix);               /* PREFIX + pid digits. */

/* The scenarios. */
int scenario_cpu(struct scen *);
int scenario_mem(struct scen *);
int scenario_numa(struct scen *);
int scenario_p2p_64(struct scen *);
int scenario_p2p_1500(struct scen *);
int scenario_routing(struct scen *);
int scenario_shared(struct scen *);
int scenario_isolation(struct scen *);

/* report.md, summary.json, summary.csv, the plot (scenario-report.c). */
int write_report(struct scen *);   /* 0 or -EIO. */

#endif
