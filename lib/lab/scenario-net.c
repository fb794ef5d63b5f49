/* scenario-net — p2p, routing, shared data plane and isolation scenarios
 * (see scenario.h). */
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
#include "lab/scenario-private.h"

/* ---- network scenarios: p2p-64, p2p-1500, routing ---- */


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
    for (int attempt = 0; attempt < 8 && rc; attempt++) {
        if (attempt) {
            /* Usually "the server is busy": a short wait is enough. */
            fprintf(stderr, "lab run %s: %s: iperf3 round failed (exit %d; the server is "
                    "probably still busy with the previous test), retry %d in %d ms\n",
                    s->name, p->name, rc, attempt, 500 * attempt);
            usleep(500 * 1000 * (useconds_t) attempt);
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

int
scenario_p2p_64(struct scen *s)
{
    return scenario_p2p(s, 64);
}

int
scenario_p2p_1500(struct scen *s)
{
    return scenario_p2p(s, 1500);
}

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

/* R as plural-switchd or Open vSwitch under the router app (ports 1-2). */
static const char routing_plural_nodes[] =
"  pa: { kind: host, addresses: { eth1: 10.15.1.1/24 },\n"
"        routes: [ { dst: default, via: 10.15.1.254 } ] }\n"
"  pb: { kind: host, addresses: { eth1: 10.15.2.1/24 },\n"
"        routes: [ { dst: default, via: 10.15.2.254 } ] }\n"
"  psw: { kind: plural-switch, controllers: [prt], fail-mode: secure }\n"
"  prt: { kind: controller, app: router, config: router-plural.conf }\n";
static const char routing_plural_links[] =
"  - endpoints: [pa:eth1, psw:p1]\n"
"  - endpoints: [psw:p2, pb:eth1]\n";
static const char routing_ovs_nodes[] =
"  oa: { kind: host, addresses: { eth1: 10.16.1.1/24 },\n"
"        routes: [ { dst: default, via: 10.16.1.254 } ] }\n"
"  ob: { kind: host, addresses: { eth1: 10.16.2.1/24 },\n"
"        routes: [ { dst: default, via: 10.16.2.254 } ] }\n"
"  ovs: { kind: ovs, controllers: [ort] }\n"
"  ort: { kind: controller, app: router, config: router-ovs.conf }\n";
static const char routing_ovs_links[] =
"  - endpoints: [oa:eth1, ovs:o1]\n"
"  - endpoints: [ovs:o2, ob:eth1]\n";

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

int
scenario_routing(struct scen *s)
{
    s->unit_note = "TCP rate from A to B through the router R (1500-byte writes): R is "
                   "the Linux kernel in a namespace (native), in a container, in a QEMU "
                   "guest (virtio or e1000 NIC), or plural-switchd / Open vSwitch's "
                   "userspace datapath programmed by plural-controller's router app";
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
    /* R as a shared OpenFlow data plane: plural-switchd or Open vSwitch
     * (userspace datapath) under plural-controller's router app. */
    bool plural, ovs;
    char *plural_why, *ovs_why;
    shared_planes(s, &plural, &ovs, &plural_why, &ovs_why);
    if (plural) {
        write_router_conf(s, "router-plural.conf", 15, "p1", "p2");
        buf_printf(&nodes, "%s", routing_plural_nodes);
        buf_printf(&links, "%s", routing_plural_links);
    }
    if (ovs) {
        write_router_conf(s, "router-ovs.conf", 16, "o1", "o2");
        buf_printf(&nodes, "%s", routing_ovs_nodes);
        buf_printf(&links, "%s", routing_ovs_links);
    }
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
        { "plural", "pa", "pb", "10.15.2.1", false, NULL, false },
        { "ovs", "oa", "ob", "10.16.2.1", false, NULL, false },
    };
    int error = lab_start(s, yaml);
    for (size_t i = 0; !error && i < ARRAY_SIZE(platforms); i++) {
        const struct net_platform *p = &platforms[i];
        if ((i == 1 && !wanted(s, "container")) || (i == 2 && !virtio) || (i == 3 && !e1000)
            || (i == 4 && !plural) || (i == 5 && !ovs)) {
            if (i >= 2 && i <= 3 && !vm_ok) {
                add_result(s, p->name, NULL, xstrdup(why));
            } else if (i == 4 && plural_why) {
                add_result(s, p->name, NULL, xstrdup(plural_why));
            } else if (i == 5 && ovs_why) {
                add_result(s, p->name, NULL, xstrdup(ovs_why));
            }
            continue;
        }
        int rc = p->router ? node_cmd(s, p->router, "sysctl -w net.ipv4.ip_forward=1",
                                      p->router_is_guest) : 0;
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
    free(plural_why);
    free(ovs_why);
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
"%s%s%s"
"links:\n"
"  - endpoints: [na:eth1, nr:eth1]\n"
"  - endpoints: [nr:eth2, nb:eth1]\n"
"%s%s%s";

/* Seed design 4b on one plural-switchd shared by two virtual networks,
 * sliced by plural-slicer by port: "ip" (ports 1-2, ARP and IPv4) routed by
 * the router app, "clean" (ports 3-4, PLURAL-CS frames, Ethertype 0x88b5)
 * forwarded by the cleanslate app.  The router's controller runs inside
 * container pk (its cgroups and namespace; seed fig. 26); the clean-slate
 * controller inside guest pv (shared_vm_controller), which the slicer
 * reaches over its own link, or, where no guest can run, as a daemon in
 * its own namespace. */
static const char shared_plural_nodes[] =
"  pa: { kind: host, addresses: { eth1: 10.22.1.1/24 },\n"
"        routes: [ { dst: default, via: 10.22.1.254 } ] }\n"
"  pb: { kind: host, addresses: { eth1: 10.22.2.1/24 },\n"
"        routes: [ { dst: default, via: 10.22.2.254 } ] }\n"
"  ca: { kind: host }\n"
"  cb: { kind: host }\n"
"  sw: { kind: plural-switch, controllers: [fv], fail-mode: secure }\n"
"  fv:\n"
"    kind: slicer\n"
"%s"
"    slices:\n"
"      - { name: ip, controller: prt, ports: [1, 2], flowspace: [arp, ip], weight: 1 }\n"
"      - { name: clean, controller: pcs, ports: [3, 4], flowspace: [\"dl_type=0x88b5\"],\n"
"          weight: 1 }\n"
"  pk: { kind: container, cpu: 1, memory: 256M }\n"
"  prt: { kind: controller, app: router, config: router-plural.conf, container: pk }\n"
"  pcs: { kind: controller, app: cleanslate, config: cleanslate.conf%s }\n"
"%s";
static const char shared_plural_links[] =
"  - endpoints: [pa:eth1, sw:p1]\n"
"  - endpoints: [sw:p2, pb:eth1]\n"
"  - endpoints: [ca:eth1, sw:p3]\n"
"  - endpoints: [sw:p4, cb:eth1]\n"
"%s";
/* The clean-slate controller's guest and the slicer's link to it. */
static const char shared_vm_controller_slicer[] =
"    addresses: { m0: 10.22.9.1/24 }\n";
static const char shared_vm_controller_node[] =
"  pv: { kind: vm, vcpus: 1, memory: 256M, addresses: { eth0: 10.22.9.2/24 } }\n";
static const char shared_vm_controller_link[] =
"  - endpoints: [fv:m0, pv:eth0]\n";
/* Seed design 4a: the virtual router is a guest that forwards itself. */
static const char shared_vm_nodes[] =
"  va: { kind: host, addresses: { eth1: 10.24.1.1/24 },\n"
"        routes: [ { dst: default, via: 10.24.1.254 } ] }\n"
"  vb: { kind: host, addresses: { eth1: 10.24.2.1/24 },\n"
"        routes: [ { dst: default, via: 10.24.2.254 } ] }\n"
"  vr: { kind: vm, vcpus: 1, memory: 512M, nic: virtio,\n"
"        addresses: { eth0: 10.24.1.254/24, eth1: 10.24.2.254/24 } }\n";
static const char shared_vm_links[] =
"  - endpoints: [va:eth1, vr:eth0]\n"
"  - endpoints: [vr:eth1, vb:eth1]\n";
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
write_cleanslate_conf(const struct scen *s)
{
    char *path = xasprintf("%s/cleanslate.conf", s->dir);
    FILE *f = fopen(path, "w");
    if (f) {
        fprintf(f, "# plural-controller cleanslate app: PLURAL-CS node 1 behind switch port 3,\n"
                "# node 2 behind port 4 (the slice \"clean\" of plural-slicer).\n"
                "node 1 port 3\nnode 2 port 4\n");
        fclose(f);
    }
    free(path);
}

/* VM_CONTROLLER: the clean-slate controller runs inside guest pv. */
static int
shared_lab(struct scen *s, const char *prefix, bool plural, bool ovs, bool vm,
           bool vm_controller)
{
    write_router_conf(s, "router-plural.conf", 22, "p1", "p2");
    write_router_conf(s, "router-ovs.conf", 23, "o1", "o2");
    write_cleanslate_conf(s);
    char *name = lab_name(prefix);
    char *plural_nodes = xasprintf(shared_plural_nodes,
                                   vm_controller ? shared_vm_controller_slicer : "",
                                   vm_controller ? ", vm: pv" : "",
                                   vm_controller ? shared_vm_controller_node : "");
    char *plural_links = xasprintf(shared_plural_links,
                                   vm_controller ? shared_vm_controller_link : "");
    char *yaml = xasprintf(shared_topo, name, plural ? plural_nodes : "",
                           ovs ? shared_ovs_nodes : "", vm ? shared_vm_nodes : "",
                           plural ? plural_links : "", ovs ? shared_ovs_links : "",
                           vm ? shared_vm_links : "");
    int error = lab_start(s, yaml);
    free(plural_nodes);
    free(plural_links);
    free(yaml);
    free(name);
    return error;
}

/* plural-cleanslate, next to this program's build or in PATH; NULL if none. */
static char *
find_cleanslate(const struct scen *s)
{
    if (getenv("PLURAL_CLEANSLATE")) {
        return xstrdup(getenv("PLURAL_CLEANSLATE"));
    }
    char *dir = xstrdup(s->plural);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
    }
    char *path = xasprintf("%s/../../apps/plural-cleanslate", dir);
    free(dir);
    if (!access(path, X_OK)) {
        return path;
    }
    free(path);
    return have_program("plural-cleanslate") ? xstrdup("plural-cleanslate") : NULL;
}

/* Traffic through the second virtual network of the shared plural-switchd:
 * COUNT PLURAL-CS frames from node 1 (ca) to node 2 (cb), forwarded on
 * Ethernet fields by flows of the cleanslate app.  Adds the result to the
 * report's notes and summary.json ("cleanslate"). */
static void
run_cleanslate(struct scen *s)
{
    const int count = s->opts->quick ? 20 : 200;
    char *bin = find_cleanslate(s);
    char *out = xasprintf("%s/cleanslate-recv.txt", s->dir);
    int delivered = 0, attempts = 0, rc = -1;
    const char *why = NULL;
    if (!bin) {
        why = "plural-cleanslate not built";
    }
    fprintf(stderr, "lab run %s: plural/clean-slate network: %d PLURAL-CS frames from node 1 "
            "to node 2 through the same plural-switchd\n", s->name, count);
    /* The app installs its flows when the slicer connects it; a first try
     * may come before that, so retry. */
    for (attempts = 1; bin && attempts <= 5 && rc; attempts++) {
        struct args r = { 0 };
        arg_in_node(&r, s, "cb");
        arg(&r, "%s", bin);
        arg(&r, "recv");
        arg(&r, "--dev");
        arg(&r, "eth1");
        arg(&r, "--addr");
        arg(&r, "2");
        arg(&r, "--count");
        arg(&r, "%d", count);
        arg(&r, "--timeout");
        arg(&r, "5");
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
            int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
            int null = open("/dev/null", O_WRONLY);
            dup2(fd, 1);
            dup2(null, 2);
            execvp(r.v[0], r.v);
            _exit(127);
        }
        args_free(&r);
        usleep(700 * 1000);    /* The receiver's socket is bound. */
        struct args snd = { 0 };
        arg_in_node(&snd, s, "ca");
        arg(&snd, "%s", bin);
        arg(&snd, "send");
        arg(&snd, "--dev");
        arg(&snd, "eth1");
        arg(&snd, "--from");
        arg(&snd, "1");
        arg(&snd, "--to");
        arg(&snd, "2");
        arg(&snd, "--count");
        arg(&snd, "%d", count);
        arg(&snd, "hello-from-the-clean-slate-network");
        run_argv(snd.v, "/dev/null");
        args_free(&snd);
        int status = 0;
        if (pid > 0) {
            waitpid(pid, &status, 0);
        }
        rc = pid > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        delivered = 0;
        FILE *f = fopen(out, "r");
        char line[512];
        while (f && fgets(line, sizeof line, f)) {
            delivered += strncmp(line, "from 1 to 2", 11) == 0;
        }
        if (f) {
            fclose(f);
        }
        if (rc) {
            fprintf(stderr, "lab run %s: clean-slate network: %d of %d frames arrived, "
                    "retrying\n", s->name, delivered, count);
            usleep(500 * 1000);
        }
    }
    if (!s->notes_md) {
        s->notes_md = xmalloc(sizeof *s->notes_md);
        buf_init(s->notes_md, 256);
    }
    if (!s->extra) {
        s->extra = json_object();
    }
    if (why) {
        buf_printf(s->notes_md, "Clean-slate network on the shared plural-switchd: skipped (%s).\n",
                   why);
        json_object_set_new(s->extra, "cleanslate", json_pack("{s:s}", "skipped", why));
    } else {
        fprintf(stderr, "lab run %s: clean-slate network: %d of %d frames delivered\n",
                s->name, delivered, count);
        buf_printf(s->notes_md, "Clean-slate network on the same plural-switchd (slice "
                   "\"clean\" of plural-slicer, ports 3-4, cleanslate app): %d of %d "
                   "PLURAL-CS frames (Ethertype 0x88b5, no IP) delivered from node 1 to "
                   "node 2%s.\n", delivered, count, rc ? " (FAILED)" : "");
        json_object_set_new(s->extra, "cleanslate",
                            json_pack("{s:i, s:i, s:b}", "sent", count, "delivered", delivered,
                                      "ok", rc == 0));
    }
    free(bin);
    free(out);
}

/* Reports where controller node NODE runs, as `plural lab status` checks
 * it: in a container (its process in the container's cgroups and
 * namespace) or in a guest (its process running there, asked over the
 * control channel), in the notes and in summary.json "controllers":
 * {NODE: {container, pid, in_cgroups, in_netns}} or {NODE: {vm, accel,
 * guest_pid, running, target}}. */
static void
report_placement(struct scen *s, const char *node)
{
    json_t *status;
    char *err;
    if (lab_status(s->run_dir, &status, &err)) {
        free(err);
        return;
    }
    json_t *n = json_object_get(json_object_get(status, "nodes"), node);
    const char *container = json_string_value(json_object_get(n, "container"));
    const char *vm = json_string_value(json_object_get(n, "vm"));
    json_t *pl = json_object_get(n, "placement");
    if (!s->notes_md) {
        s->notes_md = xmalloc(sizeof *s->notes_md);
        buf_init(s->notes_md, 256);
    }
    if (!s->extra) {
        s->extra = json_object();
    }
    json_t *ctls = json_object_get(s->extra, "controllers");
    if (!ctls) {
        ctls = json_object();
        json_object_set_new(s->extra, "controllers", ctls);
    }
    if (vm && pl) {
        bool running = json_is_true(json_object_get(pl, "running"));
        const char *accel = json_string_value(json_object_get(
            json_object_get(json_object_get(status, "nodes"), vm), "accel"));
        const char *target = json_string_value(json_object_get(n, "target"));
        buf_printf(s->notes_md, "Controller %s (%s app) ran inside vm node %s (QEMU, %s): "
                   "guest pid %lld %s, reached by plural-slicer at %s.\n", node,
                   json_string_value(json_object_get(n, "app")), vm, accel ? accel : "?",
                   json_integer_value(json_object_get(pl, "guest_pid")),
                   running ? "running" : "NOT running", target ? target : "?");
        json_t *rec = json_deep_copy(pl);
        json_object_set_new(rec, "accel", json_string(accel ? accel : ""));
        json_object_set_new(rec, "target", json_string(target ? target : ""));
        json_object_set_new(ctls, node, rec);
    } else if (container && pl) {
        bool ok = json_is_true(json_object_get(pl, "in_cgroups"))
                  && json_is_true(json_object_get(pl, "in_netns"));
        buf_printf(s->notes_md, "Controller %s (%s app) ran inside container node %s: pid "
                   "%lld %s its cgroups and network namespace.\n", node,
                   json_string_value(json_object_get(n, "app")), container,
                   json_integer_value(json_object_get(pl, "pid")),
                   ok ? "checked in" : "NOT found in");
        json_t *rec = json_deep_copy(pl);
        json_object_set_new(rec, "container", json_string(container));
        json_object_set_new(ctls, node, rec);
    } else {
        buf_printf(s->notes_md, "Controller %s (%s app): a daemon in its own namespace on "
                   "the host.\n", node, json_string_value(json_object_get(n, "app")));
        const char *netns = json_string_value(json_object_get(n, "netns"));
        json_object_set_new(ctls, node, json_pack("{s:s}", "host", netns ? netns : ""));
    }
    json_decref(status);
}

int
scenario_shared(struct scen *s)
{
    s->unit_note = "TCP rate from A to B (1500-byte writes) routed by: the Linux kernel in "
                   "a namespace (native); one plural-switchd shared by two virtual networks "
                   "through plural-slicer, the IPv4 one routed by plural-controller's router "
                   "app (plural, seed design 4b); Open vSwitch's userspace datapath with the "
                   "same controller (ovs); a QEMU guest that forwards itself (vm-router, "
                   "seed design 4a).  Offloads are off on every veth (fair to all), so "
                   "each 1500-byte write is one frame; a veth delivers in the sender's "
                   "context, so with native routing the sender's CPU also does the "
                   "router's and the receiver's work, while a userspace data plane "
                   "(plural, ovs) takes the forwarding to another CPU: on a 2-CPU host "
                   "that can beat native";
    if (!have_program("iperf3")) {
        add_result(s, "native", NULL, xstrdup("iperf3 not installed"));
        return 1;
    }
    bool plural, ovs;
    char *plural_why, *ovs_why, *vm_why = NULL;
    shared_planes(s, &plural, &ovs, &plural_why, &ovs_why);
    if (plural && !wanted(s, "plural")) {
        plural = false;
    }
    bool guests = vm_possible(&vm_why);
    bool vm = guests && wanted(s, "vm-router");
    static const struct net_platform platforms[] = {
        { "native", "na", "nb", "10.21.2.1", false, NULL, false },
        { "plural", "pa", "pb", "10.22.2.1", false, NULL, false },
        { "ovs", "oa", "ob", "10.23.2.1", false, NULL, false },
        { "vm-router", "va", "vb", "10.24.2.1", false, "vr", true },
    };
    if (plural && !guests) {
        fprintf(stderr, "lab run %s: the clean-slate controller runs on the host, not in a "
                "guest: %s\n", s->name, vm_why);
    }
    int error = shared_lab(s, "sd", plural, ovs, vm, plural && guests);
    for (size_t i = 0; !error && i < ARRAY_SIZE(platforms); i++) {
        const struct net_platform *p = &platforms[i];
        if ((i == 1 && !plural) || (i == 2 && !ovs) || (i == 3 && !vm)) {
            char *why = i == 1 ? plural_why : i == 2 ? ovs_why : vm_why;
            if (why) {
                add_result(s, p->name, NULL, xstrdup(why));
            }
            continue;
        }
        if (p->router && node_cmd(s, p->router, "sysctl -w net.ipv4.ip_forward=1",
                                  p->router_is_guest)) {
            add_result(s, p->name, NULL, xasprintf("cannot enable forwarding in %s",
                                                   p->router));
            continue;
        }
        if (i == 1) {
            report_placement(s, "prt");
            report_placement(s, "pcs");
        }
        run_iperf(s, p, 1500);
        if (i == 1) {
            run_cleanslate(s);
        }
    }
    if (error) {
        add_result(s, "native", NULL, xstrdup("the lab did not come up"));
    }
    lab_stop(s);
    free(plural_why);
    free(ovs_why);
    free(vm_why);
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

int
scenario_isolation(struct scen *s)
{
    s->unit_note = "CPU share (% of one core) of the shared data-plane process, sampled "
                   "every second, idle and while one virtual network's hosts exchange "
                   "TCP traffic through it (seed fig. 21: the shared driver domain's load); "
                   "softirq and system are the whole machine's (with plural-switchd's XDP "
                   "fast path most forwarding runs in softirq, not in the process)";
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
    int error = shared_lab(s, "iso", plural, ovs, false, false);
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
