/* scenario — the seed's experiments as lab runs (see scenario.h). */
#include "lab/scenario.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <stdarg.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include "bench/report.h"
#include "lab/initramfs.h"
#include "lab/lab.h"
#include "lab/topo.h"
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
};

/* ---- helpers ---- */

static bool
wanted(const struct scen *s, const char *platform)
{
    const char *list = s->opts->platforms;
    if (!list) {
        return true;
    }
    size_t len = strlen(platform);
    for (const char *p = list; *p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t) (comma - p) : strlen(p);
        if (n == len && !strncmp(p, platform, n)) {
            return true;
        }
        p += n + (comma ? 1 : 0);
    }
    return false;
}

static bool
have_program(const char *name)
{
    const char *path = getenv("PATH");
    if (!path) {
        return false;
    }
    char *copy = xstrdup(path);
    bool found = false;
    for (char *save, *dir = strtok_r(copy, ":", &save); dir && !found;
         dir = strtok_r(NULL, ":", &save)) {
        char *cand = xasprintf("%s/%s", dir, name);
        found = access(cand, X_OK) == 0;
        free(cand);
    }
    free(copy);
    return found;
}

static bool
vm_possible(char **why)
{
    char *kernel, *version;
    if (!have_program("qemu-system-x86_64")) {
        *why = xstrdup("qemu-system-x86_64 not installed");
        return false;
    }
    if (lab_kernel_find(&kernel, &version)) {
        *why = xstrdup("no guest kernel in /boot (linux-image-amd64)");
        return false;
    }
    free(kernel);
    free(version);
    return true;
}

/* Runs ARGV; stdout to OUT_PATH if given (else inherited).  Returns the
 * exit status, or -errno. */
static int
run_argv(char *const argv[], const char *out_path)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        return -errno;
    }
    if (pid == 0) {
        if (out_path) {
            int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
            if (fd < 0 || dup2(fd, 1) < 0) {
                _exit(127);
            }
        }
        execvp(argv[0], argv);
        fprintf(stderr, "lab: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return -errno;
        }
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* argv builder */
struct args {
    char **v;
    size_t n;
};

static void PRINTF_FORMAT(2, 3)
arg(struct args *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    a->v = xrealloc(a->v, (a->n + 2) * sizeof *a->v);
    a->v[a->n++] = xvasprintf(fmt, ap);
    a->v[a->n] = NULL;
    va_end(ap);
}

static void
args_free(struct args *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->v[i]);
    }
    free(a->v);
    a->v = NULL;
    a->n = 0;
}

/* Prefix that runs the rest of the command in NODE of the lab. */
static void
arg_in_node(struct args *a, const struct scen *s, const char *node)
{
    if (node) {
        arg(a, "%s", s->plural);
        arg(a, "lab");
        arg(a, "exec");
        arg(a, "--run-dir");
        arg(a, "%s", s->run_dir);
        arg(a, "%s", node);
        arg(a, "--");
    }
}

static void
add_result(struct scen *s, const char *platform, char *report, char *skipped)
{
    s->results = xrealloc(s->results, (s->n_results + 1) * sizeof *s->results);
    s->results[s->n_results++] = (struct platform_result) {
        xstrdup(platform), report, skipped,
    };
    if (skipped) {
        fprintf(stderr, "lab run %s: %s skipped: %s\n", s->name, platform, skipped);
    }
}

static char *
result_path(const struct scen *s, const char *platform, const char *ext)
{
    return xasprintf("%s/%s.%s", s->dir, platform, ext);
}

/* Brings up the scenario's lab from YAML text (written to the results
 * directory).  Returns 0 or -errno (message printed). */
static int
lab_start(struct scen *s, const char *yaml)
{
    char *file = xasprintf("%s/topology.yml", s->dir);
    FILE *f = fopen(file, "w");
    if (!f) {
        fprintf(stderr, "lab run: %s: %s\n", file, strerror(errno));
        free(file);
        return -errno;
    }
    fputs(yaml, f);
    fclose(f);
    struct lab_topo *topo;
    char *err;
    int error = lab_topo_read(file, &topo, &err);
    if (!error) {
        s->run_dir = lab_default_run_dir(topo->name);
        fprintf(stderr, "lab run %s: bringing up lab %s (%zu nodes)\n", s->name, topo->name,
                topo->n_nodes);
        error = lab_up(topo, s->run_dir, &err);
        lab_topo_destroy(topo);
    }
    if (error) {
        fprintf(stderr, "lab run %s: %s\n", s->name, err ? err : strerror(-error));
        free(s->run_dir);
        s->run_dir = NULL;
    } else {
        json_decref(s->lab_status);
        lab_status(s->run_dir, &s->lab_status, &err);
    }
    free(err);
    free(file);
    return error;
}

static void
lab_stop(struct scen *s)
{
    if (s->run_dir) {
        char *err;
        if (lab_down(s->run_dir, &err)) {
            fprintf(stderr, "lab run %s: down: %s\n", s->name, err);
        }
        free(err);
        free(s->run_dir);
        s->run_dir = NULL;
    }
}

static const char *
node_accel(const struct scen *s, const char *node)
{
    json_t *n = json_object_get(json_object_get(s->lab_status, "nodes"), node);
    return json_string_value(json_object_get(n, "accel"));
}

/* Runs a one-line command in NODE through `plural lab exec`; 0 if it
 * exited 0. */
static int
node_cmd(struct scen *s, const char *node, const char *shell_cmd, bool guest)
{
    struct args a = { 0 };
    arg_in_node(&a, s, node);
    if (guest) {
        arg(&a, "%s", shell_cmd);
    } else {
        arg(&a, "sh");
        arg(&a, "-c");
        arg(&a, "%s", shell_cmd);
    }
    int rc = run_argv(a.v, "/dev/null");
    args_free(&a);
    return rc;
}

/* ---- compute scenarios: cpu, mem ---- */

#define COMPUTE_TOPO \
"name: %s\n" \
"nodes:\n" \
"  ctr: { kind: container, cpu: %s, memory: %s }\n" \
"%s"

static char *
compute_yaml(const struct scen *s, const char *labname, const char *cpus, const char *mem,
             unsigned int vcpus)
{
    char *vm = wanted(s, "vm") ? xasprintf("  vm: { kind: vm, vcpus: %u, memory: %s, "
                                           "nic: virtio }\n", vcpus, mem) : xstrdup("");
    char *y = xasprintf(COMPUTE_TOPO, labname, cpus, mem, vm);
    free(vm);
    return y;
}

static char *
lab_name(const char *prefix)
{
    return xasprintf("%s%ld", prefix, (long) getpid() % 100000);
}

static void
run_cpu_platform(struct scen *s, const char *platform, const char *node, bool guest,
                 unsigned int k)
{
    char *json = result_path(s, platform, "json"), *csv = result_path(s, platform, "csv");
    struct args a = { 0 };
    arg(&a, "%s", s->plural);
    arg(&a, "bench");
    arg(&a, "time");
    arg(&a, "--name");
    arg(&a, "cpu");
    arg(&a, "--quiet-command");
    arg(&a, "--no-progress");
    arg(&a, "--rounds");
    arg(&a, "%d", s->opts->rounds);
    arg(&a, "--warmup");
    arg(&a, "1");
    arg(&a, "--json");
    arg(&a, "%s", json);
    arg(&a, "--csv");
    arg(&a, "%s", csv);
    arg(&a, "--");
    arg_in_node(&a, s, node);
    if (guest) {
        /* One shell line for the guest agent; the guest finds `plural` in PATH. */
        arg(&a, "plural bench cpu --digits-log2 %u --rounds 1 --warmup 0 --no-progress", k);
    } else {
        arg(&a, "%s", s->plural);
        arg(&a, "bench");
        arg(&a, "cpu");
        arg(&a, "--digits-log2");
        arg(&a, "%u", k);
        arg(&a, "--rounds");
        arg(&a, "1");
        arg(&a, "--warmup");
        arg(&a, "0");
        arg(&a, "--no-progress");
    }
    fprintf(stderr, "lab run %s: %s: pi to 2^%u digits, %d rounds + 1 warm-up, timed on "
            "the host\n", s->name, platform, k, s->opts->rounds);
    int rc = run_argv(a.v, "/dev/null");
    args_free(&a);
    if (rc) {
        add_result(s, platform, NULL, xasprintf("plural bench time exited %d", rc));
        free(json);
    } else {
        add_result(s, platform, json, NULL);
    }
    free(csv);
}

static int
scenario_cpu(struct scen *s)
{
    unsigned int k = s->opts->quick ? 16 : 22;
    s->unit_note = "wall time of one pi computation, measured on the host (external clock)";
    run_cpu_platform(s, "native", NULL, false, k);
    char *why = NULL;
    bool vm_ok = vm_possible(&why);
    char *name = lab_name("cpu");
    char *yaml = compute_yaml(s, name, "1", s->opts->quick ? "512M" : "2G", 1);
    if (!vm_ok) {
        free(yaml);
        yaml = xasprintf(COMPUTE_TOPO, name, "1", s->opts->quick ? "512M" : "2G", "");
    }
    if (lab_start(s, yaml) == 0) {
        if (wanted(s, "container")) {
            run_cpu_platform(s, "container", "ctr", false, k);
        }
        if (wanted(s, "vm") && vm_ok) {
            run_cpu_platform(s, "vm", "vm", true, k);
        }
        lab_stop(s);
    } else {
        add_result(s, "container", NULL, xstrdup("the lab did not come up"));
    }
    if (!vm_ok && wanted(s, "vm")) {
        add_result(s, "vm", NULL, why);
        why = NULL;
    }
    free(why);
    free(yaml);
    free(name);
    return 0;
}

static void
run_mem_platform(struct scen *s, const char *platform, const char *node, bool guest)
{
    char *json = result_path(s, platform, "json");
    unsigned long size = s->opts->quick ? 1000000 : 10000000;
    int ntimes = s->opts->quick ? 3 : 20;
    struct args a = { 0 };
    arg_in_node(&a, s, node);
    /* The guest agent returns stdout and stderr together: keep only JSON. */
    char *line = xasprintf("%s bench mem --array-size %lu --ntimes %d --rounds %d "
                           "--no-progress --format json%s", guest ? "plural" : s->plural, size,
                           ntimes, s->opts->rounds, guest ? " 2>/dev/null" : "");
    if (guest) {
        arg(&a, "%s", line);
    } else {
        arg(&a, "sh");
        arg(&a, "-c");
        arg(&a, "%s", line);
    }
    fprintf(stderr, "lab run %s: %s: STREAM, %lu doubles per array, best of %d, %d rounds\n",
            s->name, platform, size, ntimes, s->opts->rounds);
    int rc = run_argv(a.v, json);
    json_error_t jerr;
    json_t *report = rc ? NULL : json_load_file(json, 0, &jerr);
    if (!report) {
        add_result(s, platform, NULL, rc ? xasprintf("plural bench mem exited %d", rc)
                                         : xasprintf("no JSON report (%s)", jerr.text));
        free(json);
    } else {
        json_decref(report);
        add_result(s, platform, json, NULL);
    }
    free(line);
    args_free(&a);
}

static int
scenario_mem(struct scen *s)
{
    s->unit_note = "best STREAM rate per round (MB/s), timed by STREAM itself";
    run_mem_platform(s, "native", NULL, false);
    char *why = NULL;
    bool vm_ok = vm_possible(&why);
    char *name = lab_name("mem");
    const char *mem = s->opts->quick ? "512M" : "2G";
    char *yaml = vm_ok ? compute_yaml(s, name, "2", mem, 2)
                       : xasprintf(COMPUTE_TOPO, name, "2", mem, "");
    if (lab_start(s, yaml) == 0) {
        if (wanted(s, "container")) {
            run_mem_platform(s, "container", "ctr", false);
        }
        if (wanted(s, "vm") && vm_ok) {
            run_mem_platform(s, "vm", "vm", true);
        }
        lab_stop(s);
    }
    if (!vm_ok && wanted(s, "vm")) {
        add_result(s, "vm", NULL, why);
        why = NULL;
    }
    free(why);
    free(yaml);
    free(name);
    return 0;
}

static int
scenario_numa(struct scen *s)
{
    s->unit_note = "NUMA topology of the host and the seed's NUMA threshold";
    char *json = result_path(s, "native", "json");
    char *argv[] = { s->plural, "bench", "numa", "--format", "json", NULL };
    int rc = run_argv(argv, json);
    if (rc) {
        add_result(s, "native", NULL, xasprintf("plural bench numa exited %d", rc));
        free(json);
    } else {
        add_result(s, "native", json, NULL);
    }
    return 0;
}

/* ---- network scenarios: p2p-64, p2p-1500, routing ---- */

struct net_platform {
    const char *name;
    const char *client;        /* Node running the iperf3 client. */
    const char *server;        /* Node running the iperf3 server. */
    const char *server_ip;
    bool server_is_guest;
    const char *router;        /* Routing: node that forwards. */
    bool router_is_guest;
};

/* Starts the iperf3 server of P (again: a second start while one runs
 * fails harmlessly on the busy port). */
static int
iperf_server_start(struct scen *s, const struct net_platform *p)
{
    return node_cmd(s, p->server, "iperf3 -s -D -p 5201", p->server_is_guest);
}

/* One round: `plural bench net iperf --rounds 1` in the client node,
 * writing ROUND_JSON.  iperf3's server answers "busy" when a test starts
 * right after the previous one (it is still closing it; seen on this
 * loaded machine and in TCG guests), so a failed round is retried. */
static int
iperf_round(struct scen *s, const struct net_platform *p, unsigned int len, int secs,
            const char *round_json)
{
    int rc = 1;
    for (int attempt = 0; attempt < 5 && rc; attempt++) {
        if (attempt) {
            fprintf(stderr, "lab run %s: %s: iperf3 round failed (exit %d), retrying\n",
                    s->name, p->name, rc);
            sleep(1 + attempt);
            iperf_server_start(s, p);
        }
        struct args a = { 0 };
        arg_in_node(&a, s, p->client);
        arg(&a, "%s", s->plural);
        arg(&a, "bench");
        arg(&a, "net");
        arg(&a, "iperf");
        arg(&a, "--server");
        arg(&a, "%s", p->server_ip);
        arg(&a, "--time");
        arg(&a, "%d", secs);
        arg(&a, "--len");
        arg(&a, "%u", len);
        arg(&a, "--rounds");
        arg(&a, "1");
        arg(&a, "--warmup");
        arg(&a, "0");
        arg(&a, "--no-progress");
        arg(&a, "--json");
        arg(&a, "%s", round_json);
        rc = run_argv(a.v, "/dev/null");
        args_free(&a);
    }
    return rc;
}

static void
run_iperf(struct scen *s, const struct net_platform *p, unsigned int len)
{
    int secs = s->opts->quick ? 2 : 10;
    /* Server: a daemon inside the node (killed with the lab). */
    int rc = iperf_server_start(s, p);
    if (rc) {
        add_result(s, p->name, NULL, xasprintf("iperf3 server did not start in %s (exit %d)",
                                               p->server, rc));
        return;
    }
    /* Reachability first (ARP, a controller's first flows). */
    for (int attempt = 0; attempt < 50; attempt++) {
        char *probe = xasprintf("ping -c1 -W1 %s >/dev/null 2>&1", p->server_ip);
        rc = node_cmd(s, p->client, probe, false);
        free(probe);
        if (!rc) {
            break;
        }
        usleep(200 * 1000);
    }
    if (rc) {
        add_result(s, p->name, NULL, xasprintf("%s cannot reach %s", p->client, p->server_ip));
        return;
    }
    fprintf(stderr, "lab run %s: %s: iperf3 TCP, %u-byte writes, %d s x (%d + 1 warm-up)\n",
            s->name, p->name, len, secs, s->opts->rounds);
    /* One iperf3 run per round, merged into one report. */
    struct bench_report *merged = NULL;
    char *error = NULL;
    char *round_json = xasprintf("%s/%s.round.json", s->dir, p->name);
    for (int round = 0; round <= s->opts->rounds && !error; round++) {
        rc = iperf_round(s, p, len, secs, round_json);
        struct bench_report *one = NULL;
        char *rerr = NULL;
        if (rc) {
            error = xasprintf("plural bench net iperf failed in round %d (exit %d)", round + 1,
                              rc);
        } else if (bench_report_read_json_file(round_json, &one, &rerr)) {
            error = xasprintf("round %d: %s", round + 1, rerr);
            free(rerr);
        }
        if (error) {
            break;
        }
        if (!merged) {
            merged = bench_report_create(bench_report_benchmark(one), bench_report_title(one));
            bench_report_set_timing(merged, bench_report_timing(one));
            bench_report_set_rounds(merged, s->opts->rounds, 1);
            bench_report_set_param_string(merged, "server", p->server_ip);
            bench_report_set_param_string(merged, "client_node", p->client);
            bench_report_set_param_string(merged, "server_node", p->server);
            bench_report_set_param_int(merged, "len", len);
            bench_report_set_param_int(merged, "time_s", secs);
            bench_report_set_param_string(merged, "method", "one `plural bench net iperf "
                                          "--rounds 1` per round (iperf3 -c -J), merged; "
                                          "the first round is the warm-up");
        }
        for (size_t i = 0; i < bench_report_n_series(one); i++) {
            struct bench_series *src = bench_report_series(one, i);
            struct bench_series *dst = bench_report_find_series(merged,
                                                                bench_series_name(src));
            if (!dst) {
                dst = bench_report_add_series(merged, bench_series_name(src),
                                              bench_series_unit(src),
                                              bench_series_better(src));
            }
            for (size_t k = 0; k < bench_series_n_samples(src); k++) {
                bool warm;
                double v = bench_series_sample(src, k, &warm);
                if (!warm) {
                    bench_series_add_sample(dst, v, round == 0);
                }
            }
        }
        bench_report_destroy(one);
    }
    unlink(round_json);
    free(round_json);
    char *json = result_path(s, p->name, "json"), *csv = result_path(s, p->name, "csv");
    if (!error && (bench_report_write_json_file(merged, json)
                   || bench_report_write_csv_file(merged, csv))) {
        error = xasprintf("cannot write %s", json);
    }
    if (error) {
        add_result(s, p->name, NULL, error);
        free(json);
    } else {
        add_result(s, p->name, json, NULL);
    }
    free(csv);
    bench_report_destroy(merged);
}

static const char p2p_topo[] =
"name: %s\n"
"nodes:\n"
"  na: { kind: host, addresses: { eth1: 10.1.0.1/24 } }\n"
"  nb: { kind: host, addresses: { eth1: 10.1.0.2/24 } }\n"
"  ca: { kind: container, cpu: 1, memory: 512M, addresses: { eth1: 10.2.0.1/24 } }\n"
"  cb: { kind: container, cpu: 1, memory: 512M, addresses: { eth1: 10.2.0.2/24 } }\n"
"%s"
"links:\n"
"  - endpoints: [na:eth1, nb:eth1]\n"
"  - endpoints: [ca:eth1, cb:eth1]\n"
"%s";

static const char p2p_vm_nodes[] =
"  va: { kind: host, addresses: { eth1: 10.3.0.1/24 } }\n"
"  vv: { kind: vm, vcpus: 1, memory: 512M, nic: virtio, addresses: { eth0: 10.3.0.2/24 } }\n"
"  ea: { kind: host, addresses: { eth1: 10.4.0.1/24 } }\n"
"  ve: { kind: vm, vcpus: 1, memory: 512M, nic: e1000, addresses: { eth0: 10.4.0.2/24 } }\n";

static const char p2p_vm_links[] =
"  - endpoints: [va:eth1, vv:eth0]\n"
"  - endpoints: [ea:eth1, ve:eth0]\n";

static const struct net_platform p2p_platforms[] = {
    { "native", "na", "nb", "10.1.0.2", false, NULL, false },
    { "container", "ca", "cb", "10.2.0.2", false, NULL, false },
    { "vm-virtio", "va", "vv", "10.3.0.2", true, NULL, false },
    { "vm-e1000", "ea", "ve", "10.4.0.2", true, NULL, false },
};

static int
scenario_p2p(struct scen *s, unsigned int len)
{
    s->unit_note = "TCP rate, TX at the sender and RX at the receiver (iperf3 on the hosts' "
                   "side, so a guest's clock is not used)";
    char *why = NULL;
    bool vm_ok = vm_possible(&why) && (wanted(s, "vm-virtio") || wanted(s, "vm-e1000"));
    if (!have_program("iperf3")) {
        add_result(s, "native", NULL, xstrdup("iperf3 not installed"));
        free(why);
        return 1;
    }
    char *name = lab_name("p2p");
    char *yaml = xasprintf(p2p_topo, name, vm_ok ? p2p_vm_nodes : "",
                           vm_ok ? p2p_vm_links : "");
    int error = lab_start(s, yaml);
    for (size_t i = 0; !error && i < ARRAY_SIZE(p2p_platforms); i++) {
        const struct net_platform *p = &p2p_platforms[i];
        if (!wanted(s, p->name) && strcmp(p->name, "native")) {
            continue;
        }
        if (p->server_is_guest && !vm_ok) {
            add_result(s, p->name, NULL, xstrdup(why ? why : "not selected"));
            continue;
        }
        run_iperf(s, p, len);
    }
    if (error) {
        add_result(s, "native", NULL, xstrdup("the lab did not come up"));
    }
    lab_stop(s);
    free(why);
    free(yaml);
    free(name);
    return 0;
}

static int
scenario_p2p_64(struct scen *s)
{
    return scenario_p2p(s, 64);
}

static int
scenario_p2p_1500(struct scen *s)
{
    return scenario_p2p(s, 1500);
}

/* A -> R -> B for each platform; subnets 10.1X.1.0/24 and 10.1X.2.0/24. */
static void
routing_nodes(struct buf *nodes, struct buf *links, int x, const char *p,
              const char *router_node)
{
    buf_printf(nodes,
               "  %sa: { kind: host, addresses: { eth1: 10.1%d.1.1/24 }, "
               "routes: [ { dst: default, via: 10.1%d.1.254 } ] }\n"
               "  %sb: { kind: host, addresses: { eth1: 10.1%d.2.1/24 }, "
               "routes: [ { dst: default, via: 10.1%d.2.254 } ] }\n"
               "  %sr: { %s, addresses: { %s: 10.1%d.1.254/24, %s: 10.1%d.2.254/24 } }\n",
               p, x, x, p, x, x, p, router_node,
               strstr(router_node, "vm") ? "eth0" : "eth1", x,
               strstr(router_node, "vm") ? "eth1" : "eth2", x);
    bool vm = strstr(router_node, "vm") != NULL;
    buf_printf(links, "  - endpoints: [%sa:eth1, %sr:%s]\n  - endpoints: [%sr:%s, %sb:eth1]\n",
               p, p, vm ? "eth0" : "eth1", p, vm ? "eth1" : "eth2", p);
}

static int
scenario_routing(struct scen *s)
{
    s->unit_note = "TCP rate from A to B through the router R (1500-byte writes)";
    if (!have_program("iperf3")) {
        add_result(s, "native", NULL, xstrdup("iperf3 not installed"));
        return 1;
    }
    char *why = NULL;
    bool vm_ok = vm_possible(&why);
    struct buf nodes, links;
    buf_init(&nodes, 1024);
    buf_init(&links, 512);
    routing_nodes(&nodes, &links, 1, "n", "kind: linux-router");
    routing_nodes(&nodes, &links, 2, "c", "kind: container, cpu: 1, memory: 512M");
    bool virtio = vm_ok && wanted(s, "vm-virtio"), e1000 = vm_ok && wanted(s, "vm-e1000");
    if (virtio) {
        routing_nodes(&nodes, &links, 3, "v", "kind: vm, vcpus: 1, memory: 512M, nic: virtio");
    }
    if (e1000) {
        routing_nodes(&nodes, &links, 4, "e", "kind: vm, vcpus: 1, memory: 512M, nic: e1000");
    }
    char *name = lab_name("rt");
    char *yaml = xasprintf("name: %s\nnodes:\n%slinks:\n%s", name, buf_cstr(&nodes),
                           buf_cstr(&links));
    static const struct net_platform platforms[] = {
        { "native", "na", "nb", "10.11.2.1", false, "nr", false },
        { "container", "ca", "cb", "10.12.2.1", false, "cr", false },
        { "vm-virtio", "va", "vb", "10.13.2.1", false, "vr", true },
        { "vm-e1000", "ea", "eb", "10.14.2.1", false, "er", true },
    };
    int error = lab_start(s, yaml);
    for (size_t i = 0; !error && i < ARRAY_SIZE(platforms); i++) {
        const struct net_platform *p = &platforms[i];
        if ((i == 1 && !wanted(s, "container")) || (i == 2 && !virtio) || (i == 3 && !e1000)) {
            if (i >= 2 && !vm_ok) {
                add_result(s, p->name, NULL, xstrdup(why));
            }
            continue;
        }
        int rc = node_cmd(s, p->router, "sysctl -w net.ipv4.ip_forward=1", p->router_is_guest);
        if (rc) {
            add_result(s, p->name, NULL, xasprintf("cannot enable forwarding in %s", p->router));
            continue;
        }
        run_iperf(s, p, 1500);
    }
    if (error) {
        add_result(s, "native", NULL, xstrdup("the lab did not come up"));
    }
    lab_stop(s);
    buf_uninit(&nodes);
    buf_uninit(&links);
    free(why);
    free(yaml);
    free(name);
    return 0;
}

/* ---- shared data plane (seed design 4b) and isolation ---- */

static const char shared_topo[] =
"name: %s\n"
"nodes:\n"
"  na: { kind: host, addresses: { eth1: 10.21.1.1/24 },\n"
"        routes: [ { dst: default, via: 10.21.1.254 } ] }\n"
"  nb: { kind: host, addresses: { eth1: 10.21.2.1/24 },\n"
"        routes: [ { dst: default, via: 10.21.2.254 } ] }\n"
"  nr: { kind: linux-router, addresses: { eth1: 10.21.1.254/24, eth2: 10.21.2.254/24 } }\n"
"%s%s"
"links:\n"
"  - endpoints: [na:eth1, nr:eth1]\n"
"  - endpoints: [nr:eth2, nb:eth1]\n"
"%s%s";

static const char shared_plural_nodes[] =
"  pa: { kind: host, addresses: { eth1: 10.22.1.1/24 },\n"
"        routes: [ { dst: default, via: 10.22.1.254 } ] }\n"
"  pb: { kind: host, addresses: { eth1: 10.22.2.1/24 },\n"
"        routes: [ { dst: default, via: 10.22.2.254 } ] }\n"
"  sw: { kind: plural-switch, controllers: [prt], fail-mode: secure }\n"
"  prt: { kind: controller, app: router, config: router-plural.conf }\n";
static const char shared_plural_links[] =
"  - endpoints: [pa:eth1, sw:p1]\n"
"  - endpoints: [sw:p2, pb:eth1]\n";
static const char shared_ovs_nodes[] =
"  oa: { kind: host, addresses: { eth1: 10.23.1.1/24 },\n"
"        routes: [ { dst: default, via: 10.23.1.254 } ] }\n"
"  ob: { kind: host, addresses: { eth1: 10.23.2.1/24 },\n"
"        routes: [ { dst: default, via: 10.23.2.254 } ] }\n"
"  ovs: { kind: ovs, controllers: [ort] }\n"
"  ort: { kind: controller, app: router, config: router-ovs.conf }\n";
static const char shared_ovs_links[] =
"  - endpoints: [oa:eth1, ovs:o1]\n"
"  - endpoints: [ovs:o2, ob:eth1]\n";

static void
write_router_conf(const struct scen *s, const char *file, int x, const char *p1,
                  const char *p2)
{
    char *path = xasprintf("%s/%s", s->dir, file);
    FILE *f = fopen(path, "w");
    if (f) {
        fprintf(f, "# plural-controller router app: switch ports 1 and 2 (link order).\n"
                "mode proactive\n"
                "interface %s port 1 mac 02:00:00:%02x:01:01 ip 10.%d.1.254/24\n"
                "interface %s port 2 mac 02:00:00:%02x:02:01 ip 10.%d.2.254/24\n",
                p1, x, x, p2, x, x);
        fclose(f);
    }
    free(path);
}

/* Which shared data planes can run here; reasons for the others. */
static void
shared_planes(struct scen *s, bool *plural, bool *ovs, char **plural_why, char **ovs_why)
{
    char self_dir[PATH_MAX];
    snprintf(self_dir, sizeof self_dir, "%s", s->plural);
    char *slash = strrchr(self_dir, '/');
    if (slash) {
        *slash = '\0';
    }
    char *switchd = getenv("PLURAL_SWITCHD") ? xstrdup(getenv("PLURAL_SWITCHD"))
                    : xasprintf("%s/../switchd/plural-switchd", self_dir);
    char *controller = getenv("PLURAL_CONTROLLER") ? xstrdup(getenv("PLURAL_CONTROLLER"))
                       : xasprintf("%s/../controller/plural-controller", self_dir);
    *plural = wanted(s, "plural");
    *ovs = wanted(s, "ovs");
    *plural_why = *ovs_why = NULL;
    if (*plural && ((access(switchd, X_OK) && !have_program("plural-switchd"))
                    || (access(controller, X_OK) && !have_program("plural-controller")))) {
        *plural = false;
        *plural_why = xstrdup("plural-switchd or plural-controller not built");
    }
    if (*ovs && (!have_program("ovs-vswitchd") || !have_program("ovsdb-server"))) {
        *ovs = false;
        *ovs_why = xstrdup("Open vSwitch (openvswitch-switch) not installed");
    }
    free(switchd);
    free(controller);
}

static int
shared_lab(struct scen *s, const char *prefix, bool plural, bool ovs)
{
    write_router_conf(s, "router-plural.conf", 22, "p1", "p2");
    write_router_conf(s, "router-ovs.conf", 23, "o1", "o2");
    char *name = lab_name(prefix);
    char *yaml = xasprintf(shared_topo, name, plural ? shared_plural_nodes : "",
                           ovs ? shared_ovs_nodes : "", plural ? shared_plural_links : "",
                           ovs ? shared_ovs_links : "");
    int error = lab_start(s, yaml);
    free(yaml);
    free(name);
    return error;
}

static int
scenario_shared(struct scen *s)
{
    s->unit_note = "TCP rate from A to B (1500-byte writes) routed by: the Linux kernel in "
                   "a namespace (native), plural-switchd with the router app in "
                   "plural-controller (plural), Open vSwitch's userspace datapath with the "
                   "same controller (ovs)";
    if (!have_program("iperf3")) {
        add_result(s, "native", NULL, xstrdup("iperf3 not installed"));
        return 1;
    }
    bool plural, ovs;
    char *plural_why, *ovs_why;
    shared_planes(s, &plural, &ovs, &plural_why, &ovs_why);
    static const struct net_platform platforms[] = {
        { "native", "na", "nb", "10.21.2.1", false, NULL, false },
        { "plural", "pa", "pb", "10.22.2.1", false, NULL, false },
        { "ovs", "oa", "ob", "10.23.2.1", false, NULL, false },
    };
    int error = shared_lab(s, "sd", plural, ovs);
    for (size_t i = 0; !error && i < ARRAY_SIZE(platforms); i++) {
        if ((i == 1 && !plural) || (i == 2 && !ovs)) {
            char *why = i == 1 ? plural_why : ovs_why;
            if (why) {
                add_result(s, platforms[i].name, NULL, xstrdup(why));
            }
            continue;
        }
        run_iperf(s, &platforms[i], 1500);
    }
    if (error) {
        add_result(s, "native", NULL, xstrdup("the lab did not come up"));
    }
    lab_stop(s);
    free(plural_why);
    free(ovs_why);
    return 0;
}

/* The pid of the process WHAT of NODE, from the lab's state, or 0. */
static long
lab_pid(struct scen *s, const char *node, const char *what)
{
    json_t *status;
    char *err;
    long pid = 0;
    if (lab_status(s->run_dir, &status, &err)) {
        free(err);
        return 0;
    }
    size_t i;
    json_t *obj;
    json_array_foreach(json_object_get(status, "objects"), i, obj) {
        const char *n = json_string_value(json_object_get(obj, "node"));
        const char *w = json_string_value(json_object_get(obj, "what"));
        if (n && w && !strcmp(n, node) && !strcmp(w, what)
            && json_is_true(json_object_get(obj, "present"))) {
            pid = json_integer_value(json_object_get(obj, "pid"));
        }
    }
    json_decref(status);
    return pid;
}

/* CPU share of PID over the run, idle or while CLIENT sends to SERVER_IP. */
static void
measure_load(struct scen *s, const char *platform, long pid, const char *client,
             const char *server, const char *server_ip, bool traffic)
{
    int secs = s->opts->quick ? 3 : 15;
    pid_t gen = -1;
    if (traffic) {
        if (node_cmd(s, server, "iperf3 -s -D -p 5202", false)) {
            add_result(s, platform, NULL, xstrdup("iperf3 server did not start"));
            return;
        }
        usleep(300 * 1000);
        struct args a = { 0 };
        arg_in_node(&a, s, client);
        arg(&a, "iperf3");
        arg(&a, "-c");
        arg(&a, "%s", server_ip);
        arg(&a, "-p");
        arg(&a, "5202");
        arg(&a, "-t");
        arg(&a, "%d", secs + 2);
        fflush(NULL);
        gen = fork();
        if (gen == 0) {
            int fd = open("/dev/null", O_WRONLY);
            dup2(fd, 1);
            dup2(fd, 2);
            execvp(a.v[0], a.v);
            _exit(127);
        }
        args_free(&a);
        usleep(1000 * 1000);    /* Past the TCP slow start. */
    }
    char *json = result_path(s, platform, "json");
    struct args a = { 0 };
    arg(&a, "%s", s->plural);
    arg(&a, "bench");
    arg(&a, "load");
    arg(&a, "--pid");
    arg(&a, "%ld", pid);
    arg(&a, "--interval");
    arg(&a, "1");
    arg(&a, "--duration");
    arg(&a, "%d", secs);
    arg(&a, "--quiet");
    arg(&a, "--json");
    arg(&a, "%s", json);
    fprintf(stderr, "lab run %s: %s: CPU share of pid %ld for %d s%s\n", s->name, platform,
            pid, secs, traffic ? " while A sends TCP to B through it" : ", idle");
    int rc = run_argv(a.v, "/dev/null");
    args_free(&a);
    if (gen > 0) {
        waitpid(gen, NULL, 0);
    }
    if (rc) {
        add_result(s, platform, NULL, xasprintf("plural bench load exited %d", rc));
        free(json);
    } else {
        add_result(s, platform, json, NULL);
    }
}

static int
scenario_isolation(struct scen *s)
{
    s->unit_note = "CPU share (% of one core) of the shared data-plane process, sampled "
                   "every second, idle and while one virtual network's hosts exchange "
                   "TCP traffic through it (seed fig. 21: the shared driver domain's load); "
                   "softirq and system are the whole machine's";
    if (!have_program("iperf3")) {
        add_result(s, "plural-idle", NULL, xstrdup("iperf3 not installed"));
        return 1;
    }
    bool plural, ovs;
    char *plural_why, *ovs_why;
    shared_planes(s, &plural, &ovs, &plural_why, &ovs_why);
    if (!plural && !ovs) {
        add_result(s, "plural-idle", NULL, plural_why ? plural_why : xstrdup("not selected"));
        free(ovs_why);
        return 1;
    }
    int error = shared_lab(s, "iso", plural, ovs);
    if (!error && plural) {
        long pid = lab_pid(s, "sw", "plural-switchd");
        measure_load(s, "plural-idle", pid, "pa", "pb", "10.22.2.1", false);
        measure_load(s, "plural-traffic", pid, "pa", "pb", "10.22.2.1", true);
    } else if (plural_why) {
        add_result(s, "plural-idle", NULL, xstrdup(plural_why));
    }
    if (!error && ovs) {
        long pid = lab_pid(s, "ovs", "ovs-vswitchd");
        measure_load(s, "ovs-idle", pid, "oa", "ob", "10.23.2.1", false);
        measure_load(s, "ovs-traffic", pid, "oa", "ob", "10.23.2.1", true);
    } else if (ovs_why) {
        add_result(s, "ovs-idle", NULL, xstrdup(ovs_why));
    }
    lab_stop(s);
    free(plural_why);
    free(ovs_why);
    return 0;
}

/* ---- report ---- */

static void
write_report(struct scen *s)
{
    char *md_path = xasprintf("%s/report.md", s->dir);
    char *csv_path = xasprintf("%s/summary.csv", s->dir);
    char *sum_path = xasprintf("%s/summary.json", s->dir);
    FILE *md = fopen(md_path, "w");
    FILE *csv = fopen(csv_path, "w");
    json_t *summary = json_pack("{s:s, s:i, s:b, s:[]}", "scenario", s->name, "rounds",
                                s->opts->rounds, "quick", s->opts->quick, "platforms");
    if (!md || !csv) {
        fprintf(stderr, "lab run: cannot write the report in %s\n", s->dir);
        goto out;
    }
    fprintf(md, "# plural lab run %s\n\n", s->name);
    fprintf(md, "%d measured rounds per platform (plus one warm-up round, discarded), mean "
            "with a 95%% confidence interval (Student t)%s.\n\n", s->opts->rounds,
            s->opts->quick ? "; --quick: short runs and small sizes, for CI, not for "
            "conclusions" : "");
    if (s->unit_note) {
        fprintf(md, "Measure: %s.\n\n", s->unit_note);
    }
    fprintf(csv, "scenario,platform,series,unit,n,mean,stddev,ci_low,ci_high,median\n");
    const char *first = NULL;
    for (size_t i = 0; i < s->n_results && !first; i++) {
        first = s->results[i].report ? s->results[i].name : NULL;
    }
    fprintf(md, "| platform | series | n | mean | 95%% CI | ratio to %s |\n"
                "| --- | --- | ---: | ---: | --- | ---: |\n", first ? first : "native");
    json_t *native = NULL;
    const char *ref_name = NULL;
    for (size_t i = 0; i < s->n_results; i++) {
        struct platform_result *r = &s->results[i];
        json_t *p = json_pack("{s:s}", "platform", r->name);
        json_array_append_new(json_object_get(summary, "platforms"), p);
        if (!r->report) {
            json_object_set_new(p, "skipped", json_string(r->skipped));
            fprintf(md, "| %s | — | — | skipped: %s | | |\n", r->name, r->skipped);
            continue;
        }
        json_error_t jerr;
        json_t *rep = json_load_file(r->report, 0, &jerr);
        json_object_set_new(p, "report", json_string(r->report));
        if (!native) {
            native = json_incref(rep);   /* The first measured platform is the reference. */
            ref_name = r->name;
        }
        json_t *series = json_object_get(rep, "series");
        json_t *out_series = json_array();
        json_object_set_new(p, "series", out_series);
        size_t k;
        json_t *ser;
        json_array_foreach(series, k, ser) {
            json_t *sum = json_object_get(ser, "summary");
            if (!sum) {
                continue;
            }
            const char *sname = json_string_value(json_object_get(ser, "name"));
            const char *unit = json_string_value(json_object_get(ser, "unit"));
            double mean = json_real_value(json_object_get(sum, "mean"));
            double lo = json_number_value(json_object_get(sum, "ci_low"));
            double hi = json_number_value(json_object_get(sum, "ci_high"));
            double ratio = NAN;
            size_t m;
            json_t *nser;
            json_array_foreach(json_object_get(native, "series"), m, nser) {
                if (!strcmp(json_string_value(json_object_get(nser, "name")), sname)) {
                    double nm = json_number_value(json_object_get(json_object_get(nser,
                                                                  "summary"), "mean"));
                    ratio = nm ? json_number_value(json_object_get(sum, "mean")) / nm : NAN;
                }
            }
            mean = json_number_value(json_object_get(sum, "mean"));
            json_array_append_new(out_series, json_pack("{s:s, s:s, s:O, s:f, s:s}", "name",
                                                        sname, "unit", unit ? unit : "",
                                                        "summary", sum, "ratio_to_reference",
                                                        isnan(ratio) ? 0.0 : ratio,
                                                        "reference", ref_name));
            char ratio_s[32] = "—";
            if (!isnan(ratio)) {
                snprintf(ratio_s, sizeof ratio_s, "%.3f", ratio);
            }
            fprintf(md, "| %s | %s | %lld | %.6g %s | [%.6g, %.6g] | %s |\n", r->name, sname,
                    (long long) json_integer_value(json_object_get(sum, "n")), mean,
                    unit ? unit : "", lo, hi, ratio_s);
            fprintf(csv, "%s,%s,%s,%s,%lld,%.9g,%.9g,%.9g,%.9g,%.9g\n", s->name, r->name, sname,
                    unit ? unit : "", (long long) json_integer_value(json_object_get(sum, "n")),
                    mean, json_number_value(json_object_get(sum, "stddev")), lo, hi,
                    json_number_value(json_object_get(sum, "median")));
        }
        json_decref(rep);
    }
    json_decref(native);

    /* Accelerators of the guests that ran. */
    json_t *accels = json_object();
    if (s->lab_status) {
        const char *node;
        json_t *n;
        json_object_foreach(json_object_get(s->lab_status, "nodes"), node, n) {
            const char *accel = node_accel(s, node);
            if (accel) {
                json_object_set_new(accels, node, json_string(accel));
            }
        }
    }
    json_object_set_new(summary, "vm_accelerators", accels);
    if (json_object_size(accels)) {
        fprintf(md, "\nGuests ran with accelerator:");
        const char *node;
        json_t *a;
        json_object_foreach(accels, node, a) {
            fprintf(md, " %s=%s", node, json_string_value(a));
        }
        fprintf(md, " (TCG is an emulator: guest numbers measure QEMU's TCG on this host, "
                "not a hardware hypervisor).\n");
    }

    /* Bar chart and comparison table from plural bench compare. */
    struct args a = { 0 };
    struct buf labels;
    buf_init(&labels, 64);
    arg(&a, "%s", s->plural);
    arg(&a, "bench");
    arg(&a, "compare");
    char *png = xasprintf("%s/%s.png", s->dir, s->name);
    arg(&a, "--plot");
    arg(&a, "%s", png);
    size_t n_reports = 0;
    for (size_t i = 0; i < s->n_results; i++) {
        if (s->results[i].report) {
            buf_printf(&labels, "%s%s", n_reports++ ? "," : "", s->results[i].name);
        }
    }
    arg(&a, "--labels");
    arg(&a, "%s", buf_cstr(&labels));
    for (size_t i = 0; i < s->n_results; i++) {
        if (s->results[i].report) {
            arg(&a, "%s", s->results[i].report);
        }
    }
    if (n_reports && strcmp(s->name, "numa")) {
        char *cmp = xasprintf("%s/compare.txt", s->dir);
        int rc = run_argv(a.v, cmp);
        if (rc == 0) {
            fprintf(md, "\n![%s](%s.png)\n\n`plural bench compare` (ratios to the first "
                    "report; '*' = CI does not overlap native's):\n\n```\n", s->name, s->name);
            FILE *f = fopen(cmp, "r");
            char line[1024];
            while (f && fgets(line, sizeof line, f)) {
                fputs(line, md);
            }
            if (f) {
                fclose(f);
            }
            fprintf(md, "```\n");
            json_object_set_new(summary, "plot", json_string(png));
        } else {
            fprintf(md, "\n(plural bench compare failed: exit %d)\n", rc);
        }
        free(cmp);
    }
    fprintf(md, "\nFiles: PLATFORM.json (bench reports with every sample), PLATFORM.csv, "
            "summary.json, summary.csv, topology.yml (the lab used); the plot and the "
            "compare table come from `plural bench compare` over the same reports.\n");
    buf_uninit(&labels);
    args_free(&a);
    free(png);
    json_dump_file(summary, sum_path, JSON_INDENT(2));
    printf("lab run %s: report in %s\n", s->name, md_path);
out:
    if (md) {
        fclose(md);
    }
    if (csv) {
        fclose(csv);
    }
    json_decref(summary);
    free(md_path);
    free(csv_path);
    free(sum_path);
}

/* ---- registry ---- */

struct scenario {
    const char *name;
    const char *what;
    int (*run)(struct scen *);
};

static const struct scenario scenarios[] = {
    { "cpu", "seed fig. 11/15a: pi on one thread, native vs container vs VM", scenario_cpu },
    { "mem", "seed fig. 12/15b: STREAM bandwidth, native vs container vs VM", scenario_mem },
    { "numa", "seed fig. 11-14: NUMA topology and threshold of this host", scenario_numa },
    { "p2p-64", "seed fig. 16-17: point-to-point TCP, 64-byte writes", scenario_p2p_64 },
    { "p2p-1500", "seed fig. 18: point-to-point TCP, 1500-byte writes", scenario_p2p_1500 },
    { "routing", "seed fig. 19-20: A -> router -> B, 1500-byte writes", scenario_routing },
    { "isolation", "seed fig. 21: CPU load of the shared data plane, idle vs traffic",
      scenario_isolation },
    { "shared-dataplane", "seed fig. 26: routing by a shared OpenFlow data plane "
      "(plural, OVS) vs native", scenario_shared },
};

const char *
lab_scenario_names(void)
{
    return "cpu, mem, numa, p2p-64, p2p-1500, routing, isolation, shared-dataplane, all";
}

static int
run_one(const struct scenario *sc, const struct lab_scenario_opts *opts, const char *dir)
{
    struct scen s = { .name = sc->name, .opts = opts };
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    self[n > 0 ? n : 0] = '\0';
    s.plural = xstrdup(n > 0 ? self : "plural");
    s.dir = xstrdup(dir);
    char *cmd = xasprintf("mkdir -p '%s'", dir);
    int rc = system(cmd);
    free(cmd);
    if (rc) {
        fprintf(stderr, "lab run: cannot create %s\n", dir);
        free(s.plural);
        free(s.dir);
        return 1;
    }
    /* The guests get this `plural` in their initramfs. */
    setenv("PLURAL_BIN", s.plural, 0);
    sc->run(&s);
    write_report(&s);
    /* The first platform is the reference (native, or the idle data plane). */
    int status = s.n_results && s.results[0].report ? 0 : 1;
    for (size_t i = 0; i < s.n_results; i++) {
        free(s.results[i].name);
        free(s.results[i].report);
        free(s.results[i].skipped);
    }
    free(s.results);
    json_decref(s.lab_status);
    free(s.plural);
    free(s.dir);
    return status;
}

int
lab_scenario_run(const char *name, const struct lab_scenario_opts *opts)
{
    char stamp[32];
    time_t now = time(NULL);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", localtime(&now));
    int status = 0;
    bool all = !strcmp(name, "all"), found = false;
    for (size_t i = 0; i < ARRAY_SIZE(scenarios); i++) {
        if (!all && strcmp(name, scenarios[i].name)) {
            continue;
        }
        found = true;
        char *dir;
        if (opts->results_dir) {
            dir = all ? xasprintf("%s/%s", opts->results_dir, scenarios[i].name)
                      : xstrdup(opts->results_dir);
        } else {
            dir = xasprintf("lab-results/%s-%s", scenarios[i].name, stamp);
        }
        fprintf(stderr, "lab run %s: %s\n", scenarios[i].name, scenarios[i].what);
        status |= run_one(&scenarios[i], opts, dir);
        free(dir);
    }
    if (!found) {
        fprintf(stderr, "plural lab run: unknown scenario '%s' (%s)\n", name,
                lab_scenario_names());
        return 2;
    }
    return status;
}
