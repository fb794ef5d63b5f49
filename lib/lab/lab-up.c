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
#include "lab/lab-private.h"
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

char *
lab_default_run_dir(const char *name)
{
    return xasprintf("%s/%s", LAB_RUN_ROOT, name);
}

int
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

int
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

char *
node_netns(const struct lab_topo *topo, const struct lab_node *node)
{
    return node->kind == LAB_NODE_VM || node->container || node->vm
           ? NULL : xasprintf("%s-%s", topo->name, node->name);
}

char *
run_path(struct up *u, const char *fmt, const char *node)
{
    char *name = xasprintf(fmt, node);
    char *path = xasprintf("%s/%s", u->st->run_dir, name);
    free(name);
    return path;
}

/* Finds a sibling binary of the running program in a build tree, or in
 * PATH.  Returns a malloc'd path or name. */
char *
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

bool
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
int
start_daemon(struct up *u, const struct lab_node *node, const char *what, char **argv,
             const char *log_path, pid_t *pidp, uint64_t *startp)
{
    json_t *rec = lab_state_node(u->st, node->name, 0);
    const char *netns = json_string_value(json_object_get(rec, "netns"));
    struct lab_exec_ctx ctx = { .netns = netns, .cpu_mask = node->cpu_mask };
    char **cgroups = NULL;
    if (node->container) {
        /* A controller in a container: its cgroups and CPUs too, recorded
         * on the controller's node so that `exec` and `status` see them. */
        json_t *crec = lab_state_node(u->st, node->container, 0);
        json_t *cg = json_object_get(crec, "cgroups");
        ctx.n_cgroups = json_array_size(cg);
        cgroups = xcalloc(ctx.n_cgroups + 1, sizeof *cgroups);
        for (size_t i = 0; i < ctx.n_cgroups; i++) {
            cgroups[i] = (char *) json_string_value(json_array_get(cg, i));
        }
        ctx.cgroups = cgroups;
        ctx.cpu_mask = json_integer_value(json_object_get(crec, "cpu_mask"));
        if (cg) {
            json_object_set(rec, "cgroups", cg);
        }
        json_object_set_new(rec, "cpu_mask", json_integer(ctx.cpu_mask));
    }
    int gate;
    pid_t pid = lab_proc_start(&ctx, argv, log_path, &gate);
    free(cgroups);
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

int
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
        if (node->container) {
            /* The daemon joins the container's namespace and cgroups
             * (start_daemon); nothing of its own to make or remove. */
            const struct lab_node *c = lab_topo_find(topo, node->container);
            json_object_set_new(rec, "container", json_string(node->container));
            char *cns = xasprintf("%s-%s", topo->name, c->name);
            json_object_set_new(rec, "netns", json_string(cns));
            free(cns);
            continue;
        }
        if (node->vm) {
            /* Started inside the guest (up_controller_in_vm); the guest
             * takes it down with it. */
            json_object_set_new(rec, "vm", json_string(node->vm));
            continue;
        }
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
            /* Open vSwitch's userspace datapath stalls TCP on partial
             * checksums and super-frames; plural-switchd and the kernel
             * take the defaults (docs/switchd.md, "Offloads"). */
            if (n0->kind == LAB_NODE_OVS || n1->kind == LAB_NODE_OVS) {
                error = lab_nl_offloads_off(ns, ifname);
            }
            if (!error && link->mtu) {
                error = lab_nl_link_set_mtu(nl, ifname, link->mtu);
            }
            if (!error) {
                error = lab_nl_link_set_up(nl, ifname, true);
            }
            if (!error && (side ? n0 : n1)->kind == LAB_NODE_PLURAL_SWITCH) {
                /* The far end of a plural switch's port: GRO gives it the
                 * NAPI that XDP redirects into it need (set once the
                 * device is up: GRO turned on while it is down leaves the
                 * flag on without NAPI). */
                (void) lab_nl_gro_on(ns, ifname);
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

static int
up_daemons(struct up *u)
{
    const struct lab_topo *topo = u->topo;
    static const enum lab_node_kind order[] = {
        LAB_NODE_CONTROLLER, LAB_NODE_SLICER, LAB_NODE_PLURAL_SWITCH, LAB_NODE_OVS,
        LAB_NODE_VM, LAB_NODE_CONTROLLER,
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
                /* Host controllers first; those in a guest once it runs
                 * (their slicer keeps retrying meanwhile). */
                if (!node->vm && k == 0) {
                    error = up_controller(u, node);
                } else if (node->vm && k > 0) {
                    error = up_controller_in_vm(u, node);
                }
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
