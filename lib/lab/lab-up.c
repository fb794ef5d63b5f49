/* lab-up — bring a topology up (see lab.h). */
#include "lab/lab.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "lab/cgroup.h"
#include "lab/initramfs.h"
#include "lab/netns.h"
#include "lab/nl.h"
#include "lab/proc.h"
#include "lab/state.h"
#include "lab/vm.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/util.h"

LOG_MODULE(lab);

#define VM_KVM_TIMEOUT_MS 15000
/* Remembers that KVM could not boot the guest kernel here, so that later
 * "auto" guests go straight to TCG (delete the file to try KVM again). */
#define KVM_FAILED_FILE LAB_RUN_ROOT "/kvm-failed"
#define VM_TCG_TIMEOUT_MS 90000
#define DAEMON_READY_MS 10000

char *
lab_default_run_dir(const char *name)
{
    return xasprintf("%s/%s", LAB_RUN_ROOT, name);
}

struct up {
    const struct lab_topo *topo;
    struct lab_state *st;
    char *topo_dir;            /* Directory of the topology file. */
    char **errp;
};

static int PRINTF_FORMAT(3, 4)
up_fail(struct up *u, int error, const char *fmt, ...)
{
    if (!*u->errp) {
        va_list args;
        va_start(args, fmt);
        char *m = xvasprintf(fmt, args);
        va_end(args);
        *u->errp = xasprintf("%s: %s", m, strerror(-error));
        free(m);
    }
    return error;
}

static int
mkdir_p(const char *path)
{
    char *copy = xstrdup(path);
    for (char *p = copy + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(copy, 0755) < 0 && errno != EEXIST) {
                int error = -errno;
                free(copy);
                return error;
            }
            *p = '/';
        }
    }
    int error = mkdir(copy, 0755) < 0 && errno != EEXIST ? -errno : 0;
    free(copy);
    return error;
}

static char *
node_netns(const struct lab_topo *topo, const struct lab_node *node)
{
    return node->kind == LAB_NODE_VM ? NULL : xasprintf("%s-%s", topo->name, node->name);
}

static char *
run_path(struct up *u, const char *fmt, const char *node)
{
    char *name = xasprintf(fmt, node);
    char *path = xasprintf("%s/%s", u->st->run_dir, name);
    free(name);
    return path;
}

/* Finds a sibling binary of the running program in a build tree, or in
 * PATH.  Returns a malloc'd path or name. */
static char *
find_binary(const char *env, const char *subdir, const char *name)
{
    const char *e = getenv(env);
    if (e && *e) {
        return xstrdup(e);
    }
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = '\0';
        char *dir = dirname(self);
        char *cand = xasprintf("%s/../%s/%s", dir, subdir, name);
        if (access(cand, X_OK) == 0) {
            return cand;
        }
        free(cand);
    }
    return xstrdup(name);
}

static bool
wait_for_path(const char *path, pid_t pid, uint64_t start, int timeout_ms)
{
    uint64_t deadline = clock_now_ms() + timeout_ms;
    while (clock_now_ms() < deadline) {
        if (access(path, F_OK) == 0) {
            return true;
        }
        if (pid > 0 && !lab_proc_alive(pid, start)) {
            return false;
        }
        nanosleep(&(struct timespec) { 0, 20 * 1000 * 1000 }, NULL);
    }
    return false;
}

/* Starts a daemon of NODE, recording it first (gated start). */
static int
start_daemon(struct up *u, const struct lab_node *node, const char *what, char **argv,
             const char *log_path, pid_t *pidp, uint64_t *startp)
{
    json_t *rec = lab_state_node(u->st, node->name, 0);
    const char *netns = json_string_value(json_object_get(rec, "netns"));
    struct lab_exec_ctx ctx = { .netns = netns, .cpu_mask = node->cpu_mask };
    int gate;
    pid_t pid = lab_proc_start(&ctx, argv, log_path, &gate);
    if (pid < 0) {
        return up_fail(u, pid, "node %s: cannot start %s", node->name, what);
    }
    uint64_t start = 0;
    for (int i = 0; i < 100 && !start; i++) {
        start = lab_proc_start_time(pid);
    }
    int error = lab_state_add(u->st, json_pack("{s:s, s:i, s:I, s:s, s:s}", "type", "process",
                                               "pid", (int) pid, "start", (json_int_t) start,
                                               "node", node->name, "what", what));
    lab_proc_release(gate);
    if (error) {
        lab_proc_stop(pid, start, 1000);
        return up_fail(u, error, "cannot record the state");
    }
    *pidp = pid;
    *startp = start;
    return 0;
}

static int
add_object(struct up *u, json_t *obj)
{
    int error = lab_state_add(u->st, obj);
    return error ? up_fail(u, error, "cannot write %s", u->st->path) : 0;
}

static int
up_namespaces(struct up *u)
{
    const struct lab_topo *topo = u->topo;
    for (size_t i = 0; i < topo->n_nodes; i++) {
        const struct lab_node *node = &topo->nodes[i];
        json_t *rec = lab_state_node(u->st, node->name, 1);
        json_object_set_new(rec, "kind", json_string(lab_node_kind_name(node->kind)));
        json_object_set_new(rec, "cpu_mask", json_integer(node->cpu_mask));
        char *ns = node_netns(topo, node);
        if (!ns) {
            continue;
        }
        json_object_set_new(rec, "netns", json_string(ns));
        int error = add_object(u, json_pack("{s:s, s:s, s:s}", "type", "netns", "name", ns,
                                            "node", node->name));
        if (!error) {
            error = lab_netns_add(ns);
            if (error) {
                up_fail(u, error, "node %s: cannot create namespace %s", node->name, ns);
            }
        }
        struct lab_nl *nl = NULL;
        if (!error && !(error = lab_nl_open(ns, &nl))) {
            error = lab_nl_link_set_up(nl, "lo", true);
        }
        lab_nl_close(nl);
        if (!error && node->kind == LAB_NODE_ROUTER) {
            error = lab_netns_sysctl(ns, "net/ipv4/ip_forward", "1");
            if (error) {
                up_fail(u, error, "node %s: ip_forward", node->name);
            }
        }
        if (!error && node->kind == LAB_NODE_CONTAINER
            && (node->cpu_quota || node->memory || node->cpu_mask)) {
            struct lab_cgroup_limits lim = { node->cpu_quota, node->memory, node->cpu_mask };
            char **paths;
            size_t n;
            error = lab_cgroup_paths(ns, &lim, &paths, &n);
            json_t *cgroups = json_array();
            for (size_t k = 0; !error && k < n; k++) {
                json_array_append_new(cgroups, json_string(paths[k]));
                error = add_object(u, json_pack("{s:s, s:s}", "type", "cgroup", "path",
                                                paths[k]));
            }
            json_object_set_new(rec, "cgroups", cgroups);
            if (!error) {
                lab_state_save(u->st);
                error = lab_cgroup_create(paths, n, &lim);
                if (error) {
                    up_fail(u, error, "node %s: cgroup limits", node->name);
                }
            }
            for (size_t k = 0; k < n; k++) {
                free(paths[k]);
            }
            free(paths);
        }
        free(ns);
        if (error) {
            return up_fail(u, error, "node %s", node->name);
        }
    }
    return lab_state_save(u->st);
}

static int
up_links(struct up *u)
{
    const struct lab_topo *topo = u->topo;
    struct lab_nl *root;
    int error = lab_nl_open(NULL, &root);
    if (error) {
        return up_fail(u, error, "netlink");
    }
    for (size_t i = 0; i < topo->n_links && !error; i++) {
        const struct lab_link *link = &topo->links[i];
        const struct lab_node *n0 = &topo->nodes[link->ep[0].node];
        const struct lab_node *n1 = &topo->nodes[link->ep[1].node];
        char *ns0 = node_netns(topo, n0), *ns1 = node_netns(topo, n1);
        const char *if0 = link->ep[0].ifname, *if1 = link->ep[1].ifname;
        if (!ns0 || !ns1) {
            /* A vm endpoint: a tap in the other node's namespace. */
            const char *ns = ns0 ? ns0 : ns1, *ifname = ns0 ? if0 : if1;
            const struct lab_node *vm = ns0 ? n1 : n0;
            error = add_object(u, json_pack("{s:s, s:s, s:s, s:s}", "type", "link", "netns", ns,
                                            "name", ifname, "vm", vm->name));
            if (!error && (error = lab_nl_tap_add(ns, ifname))) {
                up_fail(u, error, "line %d: tap %s in %s", link->line, ifname, ns);
            }
            json_t *taps = json_object_get(lab_state_node(u->st, vm->name, 0), "taps");
            if (!taps) {
                taps = json_array();
                json_object_set_new(lab_state_node(u->st, vm->name, 0), "taps", taps);
            }
            json_array_append_new(taps, json_pack("{s:s, s:s, s:s}", "netns", ns, "name",
                                                  ifname, "guest_if",
                                                  ns0 ? if1 : if0));
        } else {
            error = add_object(u, json_pack("{s:s, s:s, s:s}", "type", "link", "netns", ns0,
                                            "name", if0));
            if (!error && (error = lab_nl_veth_add(root, if0, ns0, if1, ns1))) {
                up_fail(u, error, "line %d: veth %s:%s - %s:%s", link->line, n0->name, if0,
                        n1->name, if1);
            }
        }
        for (int side = 0; side < 2 && !error; side++) {
            const char *ns = side ? ns1 : ns0, *ifname = side ? if1 : if0;
            if (!ns) {
                continue;
            }
            struct lab_nl *nl;
            if ((error = lab_nl_open(ns, &nl))) {
                break;
            }
            error = lab_nl_offloads_off(ns, ifname);
            if (!error && link->mtu) {
                error = lab_nl_link_set_mtu(nl, ifname, link->mtu);
            }
            if (!error) {
                error = lab_nl_link_set_up(nl, ifname, true);
            }
            lab_nl_close(nl);
            if (error) {
                up_fail(u, error, "line %d: %s in %s", link->line, ifname, ns);
            }
        }
        free(ns0);
        free(ns1);
    }
    lab_nl_close(root);
    if (!error) {
        lab_state_save(u->st);
    }
    return error;
}

static int
up_addressing(struct up *u)
{
    const struct lab_topo *topo = u->topo;
    for (size_t i = 0; i < topo->n_nodes; i++) {
        const struct lab_node *node = &topo->nodes[i];
        char *ns = node_netns(topo, node);
        if (!ns) {
            continue;
        }
        struct lab_nl *nl;
        int error = lab_nl_open(ns, &nl);
        for (size_t j = 0; !error && j < node->n_vlans; j++) {
            const struct lab_vlan *v = &node->vlans[j];
            error = lab_nl_vlan_add(nl, v->parent, v->id, v->name);
            if (!error) {
                error = lab_nl_link_set_up(nl, v->name, true);
            }
            if (error) {
                up_fail(u, error, "%s:%d: node %s: VLAN %s", topo->file, v->line, node->name,
                        v->name);
            }
        }
        for (size_t j = 0; !error && j < node->n_addrs; j++) {
            const struct lab_addr *a = &node->addrs[j];
            error = lab_nl_addr_add(nl, a->ifname, a->addr, a->plen);
            if (error) {
                up_fail(u, error, "%s:%d: node %s: address on %s", topo->file, a->line,
                        node->name, a->ifname);
            }
        }
        for (size_t j = 0; !error && j < node->n_routes; j++) {
            const struct lab_route *r = &node->routes[j];
            error = lab_nl_route_add(nl, r->dst, r->plen, r->via, r->dev);
            if (error) {
                up_fail(u, error, "%s:%d: node %s: route", topo->file, r->line, node->name);
            }
        }
        lab_nl_close(nl);
        free(ns);
        if (error) {
            return error;
        }
    }
    return 0;
}

static char *
resolve_config(struct up *u, const char *config)
{
    return config[0] == '/' ? xstrdup(config) : xasprintf("%s/%s", u->topo_dir, config);
}

static int
up_controller(struct up *u, const struct lab_node *node)
{
    char *sock = run_path(u, "%s.sock", node->name);
    char *ctl = run_path(u, "%s.ctl", node->name);
    char *log = run_path(u, "%s.log", node->name);
    char *listen = xasprintf("punix:%s", sock);
    char *unixctl = xasprintf("--unixctl=%s/%s.unixctl", u->st->run_dir, node->name);
    char *config = node->config ? resolve_config(u, node->config) : NULL;
    char *bin;
    char *argv[16];
    size_t n = 0;
    if (!strcmp(node->app, "ovs-testcontroller")) {
        bin = xstrdup("ovs-testcontroller");
        argv[n++] = bin;
        argv[n++] = "-O";
        argv[n++] = "OpenFlow10";
        argv[n++] = unixctl;
        argv[n++] = listen;
    } else {
        bin = find_binary("PLURAL_CONTROLLER", "controller", "plural-controller");
        argv[n++] = bin;
        argv[n++] = "--app";
        argv[n++] = node->app;
        if (config) {
            argv[n++] = "--config";
            argv[n++] = config;
        }
        argv[n++] = "--listen";
        argv[n++] = listen;
        argv[n++] = "--ctl";
        argv[n++] = ctl;
    }
    argv[n] = NULL;
    json_t *rec = lab_state_node(u->st, node->name, 0);
    json_object_set_new(rec, "socket", json_string(sock));
    json_object_set_new(rec, "ctl", json_string(ctl));
    json_object_set_new(rec, "log", json_string(log));
    json_object_set_new(rec, "app", json_string(node->app));
    pid_t pid;
    uint64_t start;
    int error = start_daemon(u, node, node->app, argv, log, &pid, &start);
    if (!error && !wait_for_path(sock, pid, start, DAEMON_READY_MS)) {
        error = up_fail(u, -ETIMEDOUT, "controller %s did not listen on %s (see %s)",
                        node->name, sock, log);
    }
    free(sock);
    free(ctl);
    free(log);
    free(listen);
    free(unixctl);
    free(config);
    free(bin);
    return error;
}

/* plural-slicer between the switches that list it and its slices'
 * controllers; its slice file is written from the topology. */
static int
up_slicer(struct up *u, const struct lab_node *node)
{
    char *sock = run_path(u, "%s.sock", node->name);
    char *ctl = run_path(u, "%s.ctl", node->name);
    char *log = run_path(u, "%s.log", node->name);
    char *config = run_path(u, "%s-slices.json", node->name);
    char *state = run_path(u, "%s-state.json", node->name);
    json_t *slices = json_array();
    for (size_t i = 0; i < node->n_slices; i++) {
        const struct lab_slice *sl = &node->slices[i];
        json_t *fs = json_array();
        for (size_t k = 0; k < sl->n_matches; k++) {
            json_array_append_new(fs, json_pack("{s:s}", "match", sl->matches[k]));
        }
        char *target = xasprintf("unix:%s/%s.sock", u->st->run_dir, sl->controller);
        json_t *j = json_pack("{s:s, s:s, s:o, s:o}", "name", sl->name, "controller", target,
                              "ports", json_loads(sl->ports, JSON_DECODE_ANY, NULL),
                              "flowspace", fs);
        if (sl->weight) {
            json_object_set_new(j, "weight", json_integer(sl->weight));
        }
        json_array_append_new(slices, j);
        free(target);
    }
    json_t *root = json_pack("{s:o}", "slices", slices);
    int error = json_dump_file(root, config, JSON_INDENT(2)) ? -EIO : 0;
    json_decref(root);
    char *listen = xasprintf("punix:%s", sock);
    char *bin = find_binary("PLURAL_SLICER", "slicer", "plural-slicer");
    char *argv[] = { bin, "--listen", listen, "--config", config, "--state", state,
                     "--ctl", ctl, NULL };
    json_t *rec = lab_state_node(u->st, node->name, 0);
    json_object_set_new(rec, "socket", json_string(sock));
    json_object_set_new(rec, "ctl", json_string(ctl));
    json_object_set_new(rec, "log", json_string(log));
    pid_t pid;
    uint64_t start;
    if (error) {
        up_fail(u, error, "node %s: cannot write %s", node->name, config);
    } else {
        error = start_daemon(u, node, "plural-slicer", argv, log, &pid, &start);
    }
    if (!error && !wait_for_path(sock, pid, start, DAEMON_READY_MS)) {
        error = up_fail(u, -ETIMEDOUT, "slicer %s did not listen on %s (see %s)", node->name,
                        sock, log);
    }
    free(sock);
    free(ctl);
    free(log);
    free(config);
    free(state);
    free(listen);
    free(bin);
    return error;
}

static int
up_plural_switch(struct up *u, const struct lab_node *node)
{
    char *ctl = run_path(u, "%s.ctl", node->name);
    char *mgmt = run_path(u, "%s.mgmt", node->name);
    char *log = run_path(u, "%s.log", node->name);
    char *bin = find_binary("PLURAL_SWITCHD", "switchd", "plural-switchd");
    char **argv = xcalloc(8 + 2 * (node->n_ifaces + node->n_controllers), sizeof *argv);
    char **owned = xcalloc(2 + node->n_ifaces + node->n_controllers, sizeof *owned);
    size_t n = 0, n_owned = 0;
    argv[n++] = bin;
    for (size_t i = 0; i < node->n_ifaces; i++) {
        argv[n++] = "--port";
        argv[n++] = node->ifaces[i];
    }
    for (size_t i = 0; i < node->n_controllers; i++) {
        argv[n++] = "--controller";
        argv[n++] = owned[n_owned++] = xasprintf("unix:%s/%s.sock", u->st->run_dir,
                                                 node->controllers[i]);
    }
    argv[n++] = "--fail-mode";
    argv[n++] = node->fail_mode ? node->fail_mode : "secure";
    argv[n++] = "--ctl";
    argv[n++] = ctl;
    argv[n++] = "--listen";
    argv[n++] = owned[n_owned++] = xasprintf("punix:%s", mgmt);
    argv[n] = NULL;
    json_t *rec = lab_state_node(u->st, node->name, 0);
    json_object_set_new(rec, "ctl", json_string(ctl));
    json_object_set_new(rec, "mgmt", json_string(mgmt));
    json_object_set_new(rec, "log", json_string(log));
    pid_t pid;
    uint64_t start;
    int error = start_daemon(u, node, "plural-switchd", argv, log, &pid, &start);
    if (!error && !wait_for_path(ctl, pid, start, DAEMON_READY_MS)) {
        error = up_fail(u, -ETIMEDOUT, "switch %s not ready (see %s)", node->name, log);
    }
    for (size_t i = 0; i < n_owned; i++) {
        free(owned[i]);
    }
    free(owned);
    free(argv);
    free(bin);
    free(ctl);
    free(mgmt);
    free(log);
    return error;
}

/* Runs ovs-vsctl against the node's private database. */
static int
ovs_vsctl(struct up *u, const struct lab_node *node, const char *db, const char *const *args)
{
    char *argv[32];
    size_t n = 0;
    char *dbarg = xasprintf("--db=unix:%s", db);
    argv[n++] = "ovs-vsctl";
    argv[n++] = dbarg;
    argv[n++] = "--timeout=10";
    for (; *args && n < 31; args++) {
        argv[n++] = (char *) *args;
    }
    argv[n] = NULL;
    struct lab_exec_ctx ctx = { .netns = NULL };
    int rc = lab_proc_run(&ctx, argv);
    free(dbarg);
    if (rc) {
        return up_fail(u, rc < 0 ? rc : -EIO, "node %s: ovs-vsctl %s failed", node->name,
                       argv[3]);
    }
    return 0;
}

static int
up_ovs(struct up *u, const struct lab_node *node)
{
    char *dir = run_path(u, "ovs-%s", node->name);
    char *db = xasprintf("%s/conf.db", dir);
    char *sock = xasprintf("%s/db.sock", dir);
    char *log = run_path(u, "%s.log", node->name);
    int error = mkdir_p(dir);
    /* A private OVS: every path under DIR (INTEROP.md). */
    setenv("OVS_RUNDIR", dir, 1);
    setenv("OVS_DBDIR", dir, 1);
    setenv("OVS_LOGDIR", dir, 1);
    setenv("OVS_SYSCONFDIR", dir, 1);
    json_t *rec = lab_state_node(u->st, node->name, 0);
    json_object_set_new(rec, "ovs_dir", json_string(dir));
    json_object_set_new(rec, "log", json_string(log));
    if (!error) {
        char *argv[] = { "ovsdb-tool", "create", db,
                         "/usr/share/openvswitch/vswitch.ovsschema", NULL };
        struct lab_exec_ctx ctx = { .netns = NULL };
        int rc = lab_proc_run(&ctx, argv);
        error = rc ? up_fail(u, rc < 0 ? rc : -EIO, "node %s: ovsdb-tool create", node->name)
                   : 0;
    }
    pid_t pid;
    uint64_t start;
    if (!error) {
        char *remote = xasprintf("--remote=punix:%s", sock);
        char *unixctl = xasprintf("--unixctl=%s/ovsdb-server.ctl", dir);
        char *argv[] = { "ovsdb-server", db, remote, unixctl, NULL };
        error = start_daemon(u, node, "ovsdb-server", argv, log, &pid, &start);
        if (!error && !wait_for_path(sock, pid, start, DAEMON_READY_MS)) {
            error = up_fail(u, -ETIMEDOUT, "node %s: ovsdb-server (see %s)", node->name, log);
        }
        free(remote);
        free(unixctl);
    }
    if (!error) {
        error = ovs_vsctl(u, node, sock, (const char *[]) { "--no-wait", "init", NULL });
    }
    if (!error) {
        char *target = xasprintf("unix:%s", sock);
        char *unixctl = xasprintf("--unixctl=%s/ovs-vswitchd.ctl", dir);
        char *argv[] = { "ovs-vswitchd", target, unixctl, NULL };
        error = start_daemon(u, node, "ovs-vswitchd", argv, log, &pid, &start);
        free(target);
        free(unixctl);
    }
    if (!error) {
        error = ovs_vsctl(u, node, sock, (const char *[]) {
            "add-br", "br0", "--", "set", "bridge", "br0", "datapath_type=netdev",
            "protocols=OpenFlow10",
            node->fail_mode && !strcmp(node->fail_mode, "standalone") ? "fail-mode=standalone"
                                                                      : "fail-mode=secure",
            "other_config:flow-limit=0", NULL });
    }
    for (size_t i = 0; !error && i < node->n_ifaces; i++) {
        error = ovs_vsctl(u, node, sock, (const char *[]) { "add-port", "br0", node->ifaces[i],
                                                            NULL });
    }
    if (!error && node->n_controllers) {
        const char *args[20] = { "set-controller", "br0" };
        char *targets[16];
        size_t n = 2, nt = 0;
        for (size_t i = 0; i < node->n_controllers && nt < 16; i++) {
            /* OVS connects only to unix sockets inside its run directory:
             * give it a symlink to the controller's socket there. */
            char *target = xasprintf("%s/%s.sock", u->st->run_dir, node->controllers[i]);
            char *link = xasprintf("%s/%s.sock", dir, node->controllers[i]);
            unlink(link);
            if (symlink(target, link) < 0) {
                error = up_fail(u, -errno, "node %s: symlink %s", node->name, link);
            }
            args[n++] = targets[nt++] = xasprintf("unix:%s", link);
            free(target);
            free(link);
        }
        args[n] = NULL;
        error = error ? error : ovs_vsctl(u, node, sock, args);
        for (size_t i = 0; i < nt; i++) {
            free(targets[i]);
        }
    }
    free(dir);
    free(db);
    free(sock);
    free(log);
    return error;
}

/* Builds (once per run directory) the guests' initramfs. */
static int
vm_images(struct up *u, char **kernel, char **initrd)
{
    char *version;
    int error = lab_kernel_find(kernel, &version);
    if (error) {
        return up_fail(u, error, "no guest kernel in /boot (Debian linux-image-amd64)");
    }
    *initrd = xasprintf("%s/initramfs.cpio", u->st->run_dir);
    if (access(*initrd, R_OK) == 0) {
        free(version);
        return 0;
    }
    const char *modules[] = { "virtio_pci", "virtio_net", "e1000", NULL };
    char *plural = find_binary("PLURAL_BIN", "plural", "plural");
    /* plural (bench inside the guest) and iperf3 (p2p servers), when present. */
    const char *binaries[3] = { NULL };
    size_t n_bin = 0;
    if (plural[0] == '/' && access(plural, X_OK) == 0) {
        binaries[n_bin++] = plural;
    }
    if (access("/usr/bin/iperf3", X_OK) == 0) {
        binaries[n_bin++] = "/usr/bin/iperf3";
    }
    struct lab_initramfs_opts opts = { version, modules, binaries };
    char *err;
    error = lab_initramfs_build(&opts, *initrd, &err);
    if (error) {
        up_fail(u, error, "initramfs: %s", err);
        free(err);
    }
    free(plural);
    free(version);
    return error;
}

static int
up_vm(struct up *u, const struct lab_node *node, const char *kernel, const char *initrd)
{
    json_t *rec = lab_state_node(u->st, node->name, 0);
    json_t *taps = json_object_get(rec, "taps");
    size_t n_taps = json_array_size(taps);
    int *fds = xcalloc(n_taps ? n_taps : 1, sizeof *fds);
    int error = 0;
    for (size_t i = 0; i < n_taps; i++) {
        json_t *t = json_array_get(taps, i);
        fds[i] = lab_nl_tap_open(json_string_value(json_object_get(t, "netns")),
                                 json_string_value(json_object_get(t, "name")));
        if (fds[i] < 0) {
            error = up_fail(u, fds[i], "node %s: cannot open its tap", node->name);
            n_taps = i;
            break;
        }
    }
    char *console = run_path(u, "%s.console", node->name);
    char *log = run_path(u, "%s.log", node->name);
    struct lab_vm_config cfg = {
        .name = node->name, .kernel = kernel, .initrd = initrd, .console = console,
        .log_path = log, .memory = node->memory, .vcpus = node->vcpus, .nic = node->nic,
        .tap_fds = fds, .n_taps = n_taps, .cpu_mask = node->cpu_mask,
    };
    json_object_set_new(rec, "console", json_string(console));
    json_object_set_new(rec, "log", json_string(log));
    json_object_set_new(rec, "nic", json_string(node->nic ? node->nic : "virtio"));
    const char *want = node->accel ? node->accel : "auto";
    const char *tries[2];
    size_t n_tries = 0;
    bool kvm_failed_before = access(KVM_FAILED_FILE, F_OK) == 0;
    if (!strcmp(want, "kvm")
        || (!strcmp(want, "auto") && lab_vm_kvm_available() && !kvm_failed_before)) {
        tries[n_tries++] = "kvm";
    } else if (!strcmp(want, "auto") && kvm_failed_before) {
        fprintf(stderr, "lab: node %s: using tcg: KVM failed to boot a guest on this host "
                "before (delete %s to try KVM again)\n", node->name, KVM_FAILED_FILE);
    }
    if (strcmp(want, "kvm")) {
        tries[n_tries++] = "tcg";
    }
    const char *used = NULL;
    for (size_t t = 0; !error && t < n_tries && !used; t++) {
        int gate;
        pid_t pid = lab_vm_spawn(&cfg, tries[t], &gate);
        if (pid < 0) {
            error = up_fail(u, pid, "node %s: cannot start qemu", node->name);
            break;
        }
        uint64_t start = 0;
        for (int i = 0; i < 100 && !start; i++) {
            start = lab_proc_start_time(pid);
        }
        error = lab_state_add(u->st, json_pack("{s:s, s:i, s:I, s:s, s:s}", "type", "process",
                                               "pid", (int) pid, "start", (json_int_t) start,
                                               "node", node->name, "what", "qemu"));
        lab_proc_release(gate);
        if (error) {
            break;
        }
        uint64_t t0 = clock_now_ms();
        int timeout = !strcmp(tries[t], "kvm") ? VM_KVM_TIMEOUT_MS : VM_TCG_TIMEOUT_MS;
        int r = lab_vm_wait_ready(console, pid, start, timeout);
        if (r == 0) {
            used = tries[t];
            json_object_set_new(rec, "accel", json_string(used));
            json_object_set_new(rec, "boot_ms", json_integer(clock_now_ms() - t0));
            json_object_set_new(rec, "pid", json_integer(pid));
            json_object_set_new(rec, "start", json_integer(start));
        } else {
            lab_proc_stop(pid, start, 2000);
            if (!strcmp(tries[t], "kvm") && !strcmp(want, "auto")) {
                mkdir_p(LAB_RUN_ROOT);
                FILE *f = fopen(KVM_FAILED_FILE, "w");
                if (f) {
                    fprintf(f, "%s: %s with %s\n", kernel, r == -ECHILD ? "qemu exited"
                            : "no guest agent within the timeout", "-accel kvm -cpu host");
                    fclose(f);
                }
            }
            if (t + 1 < n_tries) {
                fprintf(stderr, "lab: node %s: %s failed (%s); falling back to %s\n",
                        node->name, tries[t], r == -ECHILD ? "qemu exited"
                        : "guest did not reach init in time", tries[t + 1]);
            } else {
                error = up_fail(u, r, "node %s: guest did not boot with %s (see %s)",
                                node->name, tries[t], log);
            }
        }
    }
    for (size_t i = 0; i < n_taps; i++) {
        close(fds[i]);
    }
    free(fds);
    /* Guest interfaces: ethI in -device order, renamed and addressed. */
    for (size_t i = 0; !error && i < json_array_size(taps); i++) {
        const char *gif = json_string_value(json_object_get(json_array_get(taps, i),
                                                            "guest_if"));
        char *cmd = xasprintf("ip link set eth%zu name %s && ip link set %s up", i, gif, gif);
        if (!strncmp(gif, "eth", 3)) {
            free(cmd);
            cmd = xasprintf("ip link set eth%zu name tmp%zu", i, i);
        }
        int rc;
        error = lab_vm_exec(console, cmd, 10000, &rc, NULL, NULL);
        error = error ? error : rc ? -EIO : 0;
        free(cmd);
    }
    for (size_t i = 0; !error && i < json_array_size(taps); i++) {
        const char *gif = json_string_value(json_object_get(json_array_get(taps, i),
                                                            "guest_if"));
        if (strncmp(gif, "eth", 3)) {
            continue;
        }
        char *cmd = xasprintf("ip link set tmp%zu name %s && ip link set %s up", i, gif, gif);
        int rc;
        error = lab_vm_exec(console, cmd, 10000, &rc, NULL, NULL);
        error = error ? error : rc ? -EIO : 0;
        free(cmd);
    }
    for (size_t i = 0; !error && i < node->n_addrs; i++) {
        char a[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &node->addrs[i].addr, a, sizeof a);
        char *cmd = xasprintf("ip addr add %s/%u dev %s", a, node->addrs[i].plen,
                              node->addrs[i].ifname);
        int rc;
        error = lab_vm_exec(console, cmd, 10000, &rc, NULL, NULL);
        error = error ? error : rc ? -EIO : 0;
        free(cmd);
    }
    if (error && !*u->errp) {
        up_fail(u, error, "node %s: configuring the guest's interfaces", node->name);
    }
    free(console);
    free(log);
    lab_state_save(u->st);
    return error;
}

static int
up_daemons(struct up *u)
{
    const struct lab_topo *topo = u->topo;
    static const enum lab_node_kind order[] = {
        LAB_NODE_CONTROLLER, LAB_NODE_SLICER, LAB_NODE_PLURAL_SWITCH, LAB_NODE_OVS,
        LAB_NODE_VM,
    };
    char *kernel = NULL, *initrd = NULL;
    int error = 0;
    for (size_t k = 0; k < ARRAY_SIZE(order) && !error; k++) {
        for (size_t i = 0; i < topo->n_nodes && !error; i++) {
            const struct lab_node *node = &topo->nodes[i];
            if (node->kind != order[k]) {
                continue;
            }
            switch (node->kind) {
            case LAB_NODE_CONTROLLER:
                error = up_controller(u, node);
                break;
            case LAB_NODE_SLICER:
                error = up_slicer(u, node);
                break;
            case LAB_NODE_PLURAL_SWITCH:
                error = up_plural_switch(u, node);
                break;
            case LAB_NODE_OVS:
                error = up_ovs(u, node);
                break;
            case LAB_NODE_VM:
                if (!kernel) {
                    error = vm_images(u, &kernel, &initrd);
                }
                if (!error) {
                    error = up_vm(u, node, kernel, initrd);
                }
                break;
            default:
                break;
            }
        }
    }
    free(kernel);
    free(initrd);
    return error;
}

/* After a failure, before the run directory goes: the end of every
 * daemon's log, so the reason is not lost with it. */
static void
print_log_tails(struct lab_state *st)
{
    const char *name;
    json_t *node;
    json_object_foreach(json_object_get(st->root, "nodes"), name, node) {
        const char *log = json_string_value(json_object_get(node, "log"));
        FILE *f = log ? fopen(log, "r") : NULL;
        if (!f) {
            continue;
        }
        char *lines[6] = { NULL };
        size_t n = 0;
        char line[512];
        while (fgets(line, sizeof line, f)) {
            free(lines[n % 6]);
            lines[n++ % 6] = xstrdup(line);
        }
        fclose(f);
        for (size_t i = n > 6 ? n - 6 : 0; i < n; i++) {
            fprintf(stderr, "lab: %s log: %s", name, lines[i % 6]);
        }
        for (size_t i = 0; i < 6; i++) {
            free(lines[i]);
        }
    }
}

int
lab_up(const struct lab_topo *topo, const char *run_dir, char **errp)
{
    *errp = NULL;
    int error = mkdir_p(run_dir);
    if (error) {
        *errp = xasprintf("%s: %s", run_dir, strerror(-error));
        return error;
    }
    char *state_path = xasprintf("%s/state.json", run_dir);
    bool exists = access(state_path, F_OK) == 0;
    free(state_path);
    if (exists) {
        *errp = xasprintf("a lab is already up in %s (plural lab down first)", run_dir);
        return -EEXIST;
    }
    for (size_t i = 0; i < topo->n_nodes; i++) {
        char *ns = node_netns(topo, &topo->nodes[i]);
        bool taken = ns && lab_netns_exists(ns);
        if (taken) {
            *errp = xasprintf("namespace %s already exists (another lab named %s?)", ns,
                              topo->name);
            free(ns);
            return -EEXIST;
        }
        free(ns);
    }
    struct up u = { .topo = topo, .errp = errp };
    error = lab_state_create(run_dir, topo->name, &u.st);
    if (error) {
        *errp = xasprintf("%s/state.json: %s", run_dir, strerror(-error));
        return error;
    }
    char *abs = realpath(topo->file, NULL);
    json_object_set_new(u.st->root, "file", json_string(abs ? abs : topo->file));
    char *dircopy = xstrdup(abs ? abs : topo->file);
    u.topo_dir = xstrdup(dirname(dircopy));
    free(dircopy);
    free(abs);
    json_object_set_new(u.st->root, "state", json_string("starting"));

    error = up_namespaces(&u);
    if (!error) {
        error = up_links(&u);
    }
    if (!error) {
        error = up_addressing(&u);
    }
    if (!error) {
        error = up_daemons(&u);
    }
    if (!error) {
        json_object_set_new(u.st->root, "state", json_string("up"));
        error = lab_state_save(u.st);
    }
    if (error) {
        print_log_tails(u.st);
    }
    lab_state_destroy(u.st);
    free(u.topo_dir);
    if (error) {
        LOG_ERR("lab %s: %s; tearing down", topo->name, *errp ? *errp : strerror(-error));
        char *down_err = NULL;
        lab_down(run_dir, &down_err);
        free(down_err);
    }
    return error;
}
