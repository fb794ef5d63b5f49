/* lab-down — tear down, status, exec in a node (see lab.h). */
#include "lab/lab.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lab/cgroup.h"
#include "lab/placement.h"
#include "lab/netns.h"
#include "lab/nl.h"
#include "lab/proc.h"
#include "lab/state.h"
#include "lab/vm.h"
#include "util/buf.h"
#include "util/util.h"

static const char *
jstr(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static int
remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void) sb;
    (void) flag;
    (void) ftw;
    remove(path);
    return 0;
}

static bool
object_present(const json_t *obj)
{
    const char *type = jstr(obj, "type");
    if (!strcmp(type, "netns")) {
        return lab_netns_exists(jstr(obj, "name"));
    } else if (!strcmp(type, "cgroup")) {
        return access(jstr(obj, "path"), F_OK) == 0;
    } else if (!strcmp(type, "process")) {
        return lab_proc_alive(json_integer_value(json_object_get(obj, "pid")),
                              json_integer_value(json_object_get(obj, "start")));
    } else if (!strcmp(type, "link")) {
        const char *ns = jstr(obj, "netns");
        struct lab_nl *nl;
        if ((ns && !lab_netns_exists(ns)) || lab_nl_open(ns, &nl)) {
            return false;
        }
        bool present = lab_nl_ifindex(nl, jstr(obj, "name")) > 0;
        lab_nl_close(nl);
        return present;
    }
    return false;
}

int
lab_down(const char *run_dir, char **errp)
{
    struct lab_state *st;
    *errp = NULL;
    int error = lab_state_load(run_dir, &st);
    if (error) {
        *errp = xasprintf("no lab recorded in %s: %s", run_dir, strerror(-error));
        return error;
    }
    json_t *objects = json_object_get(st->root, "objects");
    struct buf problems;
    buf_init(&problems, 64);
    /* Processes first (they hold namespaces and cgroups), then the rest in
     * reverse creation order. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = json_array_size(objects); i-- > 0;) {
            json_t *obj = json_array_get(objects, i);
            const char *type = jstr(obj, "type");
            bool is_proc = !strcmp(type, "process");
            if (is_proc != (pass == 0)) {
                continue;
            }
            int e = 0;
            if (is_proc) {
                e = lab_proc_stop(json_integer_value(json_object_get(obj, "pid")),
                                  json_integer_value(json_object_get(obj, "start")), 3000);
            } else if (!strcmp(type, "link")) {
                const char *ns = jstr(obj, "netns");
                struct lab_nl *nl;
                if ((!ns || lab_netns_exists(ns)) && !lab_nl_open(ns, &nl)) {
                    e = lab_nl_link_del(nl, jstr(obj, "name"));
                    e = e == -ENODEV ? 0 : e;
                    lab_nl_close(nl);
                }
            } else if (!strcmp(type, "cgroup")) {
                e = lab_cgroup_remove(jstr(obj, "path"));
            } else if (!strcmp(type, "netns")) {
                /* Whatever `exec` started and left running in the node. */
                if (lab_netns_exists(jstr(obj, "name"))) {
                    lab_netns_kill_all(jstr(obj, "name"));
                }
                e = lab_netns_del(jstr(obj, "name"));
                e = e == -ENOENT ? 0 : e;
            }
            if (e) {
                buf_printf(&problems, "%s%s %s: %s", problems.size ? "; " : "", type,
                           jstr(obj, "name") ? jstr(obj, "name")
                           : jstr(obj, "path") ? jstr(obj, "path") : "?", strerror(-e));
                error = e;
            }
        }
    }
    if (!error) {
        lab_state_remove(st);
        nftw(run_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    } else {
        *errp = xstrdup(buf_cstr(&problems));
    }
    buf_uninit(&problems);
    lab_state_destroy(st);
    return error;
}

/* For a controller placed in a container: is its process PID really in
 * the container's cgroups and namespace?  Sets NODE's "placement". */
static void
placement_status(json_t *node, pid_t pid)
{
    json_t *cg = json_object_get(node, "cgroups");
    bool in_cgroups = true;
    size_t i;
    json_t *path;
    json_array_foreach(cg, i, path) {
        in_cgroups &= lab_placement_in_cgroup(pid, json_string_value(path));
    }
    const char *netns = jstr(node, "netns");
    json_object_set_new(node, "placement",
                        json_pack("{s:i, s:b, s:b}", "pid", (int) pid, "in_cgroups", in_cgroups,
                                  "in_netns", netns && lab_placement_in_netns(pid, netns)));
}

/* For a controller placed in a vm: is its process still running in the
 * guest?  Asked over the guest's control channel.  Sets NODE's "alive"
 * and "placement". */
static void
vm_placement_status(json_t *nodes, json_t *node)
{
    json_t *vm = json_object_get(nodes, jstr(node, "vm"));
    const char *console = vm ? jstr(vm, "console") : NULL;
    json_int_t pid = json_integer_value(json_object_get(node, "guest_pid"));
    bool running = false;
    if (console && pid > 0) {
        char *cmd = xasprintf("kill -0 %lld", (long long) pid);
        int rc;
        running = !lab_vm_exec(console, cmd, 5000, &rc, NULL, NULL) && rc == 0;
        free(cmd);
    }
    json_object_set_new(node, "alive", json_boolean(running));
    json_object_set_new(node, "placement",
                        json_pack("{s:s, s:I, s:b}", "vm", jstr(node, "vm"), "guest_pid", pid,
                                  "running", running));
}

int
lab_status(const char *run_dir, json_t **statusp, char **errp)
{
    struct lab_state *st;
    *errp = NULL;
    *statusp = NULL;
    int error = lab_state_load(run_dir, &st);
    if (error) {
        *errp = xasprintf("no lab recorded in %s: %s", run_dir, strerror(-error));
        return error;
    }
    json_t *status = json_deep_copy(st->root);
    json_t *obj;
    size_t i;
    json_t *nodes = json_object_get(status, "nodes");
    const char *name;
    json_t *node;
    json_object_foreach(nodes, name, node) {
        json_object_set_new(node, "processes", json_integer(0));
        json_object_set_new(node, "alive", json_true());
    }
    json_array_foreach(json_object_get(status, "objects"), i, obj) {
        bool present = object_present(obj);
        json_object_set_new(obj, "present", json_boolean(present));
        const char *nn = jstr(obj, "node");
        json_t *n = nn ? json_object_get(nodes, nn) : NULL;
        if (n && (!strcmp(jstr(obj, "type"), "process") || !strcmp(jstr(obj, "type"), "netns"))
            && !present) {
            /* A stopped earlier process is not a dead node if a later one
             * (the accelerator fallback) runs; counted below. */
            if (!strcmp(jstr(obj, "type"), "netns")) {
                json_object_set_new(n, "alive", json_false());
            }
        }
        if (n && present && !strcmp(jstr(obj, "type"), "process")
            && json_object_get(n, "container")) {
            placement_status(n, json_integer_value(json_object_get(obj, "pid")));
        }
        if (n && present && !strcmp(jstr(obj, "type"), "process")) {
            json_object_set_new(n, "processes",
                                json_integer(json_integer_value(json_object_get(n, "processes"))
                                             + 1));
        }
    }
    json_object_foreach(nodes, name, node) {
        const char *kind = jstr(node, "kind");
        if (json_object_get(node, "vm")) {
            vm_placement_status(nodes, node);
            continue;
        }
        bool needs_proc = !strcmp(kind, "vm") || !strcmp(kind, "plural-switch")
                          || !strcmp(kind, "ovs") || !strcmp(kind, "controller")
                          || !strcmp(kind, "slicer");
        if (needs_proc && !json_integer_value(json_object_get(node, "processes"))) {
            json_object_set_new(node, "alive", json_false());
        }
    }
    lab_state_destroy(st);
    *statusp = status;
    return 0;
}

int
lab_exec(const char *run_dir, const char *node_name, char *const argv[], bool timing,
         char **errp)
{
    struct lab_state *st;
    *errp = NULL;
    int error = lab_state_load(run_dir, &st);
    if (error) {
        *errp = xasprintf("no lab recorded in %s: %s", run_dir, strerror(-error));
        return error;
    }
    json_t *node = lab_state_node(st, node_name, 0);
    if (!node) {
        *errp = xasprintf("lab %s has no node '%s'", jstr(st->root, "name"), node_name);
        lab_state_destroy(st);
        return -ENOENT;
    }
    if (jstr(node, "vm")) {
        /* A controller placed in a guest: run where it runs. */
        node = lab_state_node(st, jstr(node, "vm"), 0);
        if (!node) {
            *errp = xasprintf("node %s: its vm is not in the lab", node_name);
            lab_state_destroy(st);
            return -ENOENT;
        }
    }
    int result;
    if (!strcmp(jstr(node, "kind"), "vm")) {
        struct buf cmd;
        buf_init(&cmd, 128);
        for (char *const *a = argv; *a; a++) {
            buf_printf(&cmd, "%s%s", a == argv ? "" : " ", *a);
        }
        int rc;
        char *output = NULL;
        double seconds = 0;
        const char *console = jstr(node, "console");
        result = console ? lab_vm_exec(console, buf_cstr(&cmd), 24 * 3600 * 1000, &rc, &output,
                                       &seconds) : -ENOTCONN;
        if (!result) {
            fputs(output, stdout);
            fflush(stdout);
            if (timing) {
                fprintf(stderr, "lab: %s: %.6f s (host clock)\n", node_name, seconds);
            }
            result = rc;
        } else {
            *errp = xasprintf("node %s: control channel: %s", node_name, strerror(-result));
        }
        free(output);
        buf_uninit(&cmd);
    } else {
        json_t *cg = json_object_get(node, "cgroups");
        size_t n = json_array_size(cg);
        char **paths = xcalloc(n ? n : 1, sizeof *paths);
        for (size_t i = 0; i < n; i++) {
            paths[i] = (char *) json_string_value(json_array_get(cg, i));
        }
        struct lab_exec_ctx ctx = {
            .netns = jstr(node, "netns"), .cgroups = paths, .n_cgroups = n,
            .cpu_mask = json_integer_value(json_object_get(node, "cpu_mask")),
        };
        result = lab_proc_run(&ctx, argv);
        if (result < 0) {
            *errp = xasprintf("node %s: %s", node_name, strerror(-result));
        }
        free(paths);
    }
    lab_state_destroy(st);
    return result;
}

int
lab_find_single(char **run_dir)
{
    DIR *d = opendir(LAB_RUN_ROOT);
    *run_dir = NULL;
    if (!d) {
        return -ENOENT;
    }
    int found = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') {
            continue;
        }
        char *state = xasprintf("%s/%s/state.json", LAB_RUN_ROOT, de->d_name);
        if (access(state, F_OK) == 0) {
            found++;
            free(*run_dir);
            *run_dir = xasprintf("%s/%s", LAB_RUN_ROOT, de->d_name);
        }
        free(state);
    }
    closedir(d);
    if (found == 1) {
        return 0;
    }
    free(*run_dir);
    *run_dir = NULL;
    return found ? -EEXIST : -ENOENT;
}
