/* lab-daemons — controllers, slicers, plural-switchd and Open vSwitch of a
 * lab (see lab.h, lab-private.h). */
#include "lab/lab.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lab/lab-private.h"
#include "lab/nl.h"
#include "lab/proc.h"
#include "util/clock.h"

/* Waits for a daemon's socket PATH; a daemon that exits first or stays
 * silent fails the up with its log named. */
static int
daemon_ready(struct up *u, const struct lab_node *node, const char *what, const char *path,
             pid_t pid, uint64_t start, const char *log)
{
    if (wait_for_path(path, pid, start, DAEMON_READY_MS)) {
        return 0;
    }
    if (!lab_proc_alive(pid, start)) {
        return up_fail(u, -ECHILD, "node %s: %s exited before it was ready (see %s)",
                       node->name, what, log);
    }
    return up_fail(u, -ETIMEDOUT, "node %s: %s did not create %s within %d ms (see %s)",
                   node->name, what, path, DAEMON_READY_MS, log);
}

char *
resolve_config(struct up *u, const char *config)
{
    return config[0] == '/' ? xstrdup(config) : xasprintf("%s/%s", u->topo_dir, config);
}

unsigned int
vm_controller_endpoint(const struct up *u, const struct lab_node *c,
                       char addr[INET_ADDRSTRLEN])
{
    const struct lab_node *g = lab_topo_find(u->topo, c->vm);
    inet_ntop(AF_INET, &g->addrs[0].addr, addr, INET_ADDRSTRLEN);
    return c->port ? c->port : LAB_VM_CONTROLLER_PORT;
}

char *
controller_target(struct up *u, const char *name)
{
    const struct lab_node *c = lab_topo_find(u->topo, name);
    if (c && c->vm) {
        char a[INET_ADDRSTRLEN];
        unsigned int port = vm_controller_endpoint(u, c, a);
        return xasprintf("tcp:%s:%u", a, port);
    }
    return xasprintf("unix:%s/%s.sock", u->st->run_dir, name);
}

int
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
    if (!error) {
        error = daemon_ready(u, node, node->app, sock, pid, start, log);
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
int
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
        char *target = controller_target(u, sl->controller);
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
    if (!error) {
        error = daemon_ready(u, node, "plural-slicer", sock, pid, start, log);
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

int
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
        argv[n++] = owned[n_owned++] = controller_target(u, node->controllers[i]);
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
    if (!error) {
        error = daemon_ready(u, node, "plural-switchd", ctl, pid, start, log);
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

int
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
        if (!error) {
            error = daemon_ready(u, node, "ovsdb-server", sock, pid, start, log);
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
