/* lab-guests — the virtual machines of a lab: initramfs, QEMU with KVM or
 * TCG, interface names and addresses inside the guest (see lab.h, vm.h). */
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
#include "util/buf.h"
#include "util/clock.h"
#include "lab/initramfs.h"
#include "lab/vm.h"

/* A configuration command in a booted guest answers in well under a
 * second under TCG; this bound only matters when something is wrong. */
#define GUEST_CMD_TIMEOUT_MS 30000

/* Builds (once per run directory) the guests' initramfs. */
int
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
    char *controller = find_binary("PLURAL_CONTROLLER", "controller", "plural-controller");
    /* plural (bench inside the guest), plural-controller (a controller app
     * in a guest) and iperf3 (p2p servers), when present. */
    const char *binaries[4] = { NULL };
    size_t n_bin = 0;
    if (plural[0] == '/' && access(plural, X_OK) == 0) {
        binaries[n_bin++] = plural;
    }
    if (controller[0] == '/' && access(controller, X_OK) == 0) {
        binaries[n_bin++] = controller;
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
    free(controller);
    free(version);
    return error;
}

int
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
        error = lab_vm_exec(console, cmd, GUEST_CMD_TIMEOUT_MS, &rc, NULL, NULL);
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
        error = lab_vm_exec(console, cmd, GUEST_CMD_TIMEOUT_MS, &rc, NULL, NULL);
        error = error ? error : rc ? -EIO : 0;
        free(cmd);
    }
    for (size_t i = 0; !error && i < node->n_addrs; i++) {
        char a[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &node->addrs[i].addr, a, sizeof a);
        char *cmd = xasprintf("ip addr add %s/%u dev %s", a, node->addrs[i].plen,
                              node->addrs[i].ifname);
        int rc;
        error = lab_vm_exec(console, cmd, GUEST_CMD_TIMEOUT_MS, &rc, NULL, NULL);
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

/* One guest command that must succeed; its output in *OUTPUTP if asked. */
static int
guest_run(struct up *u, const struct lab_node *node, const char *console, const char *cmd,
          char **outputp)
{
    int rc;
    char *output = NULL;
    int error = lab_vm_exec(console, cmd, GUEST_CMD_TIMEOUT_MS, &rc, &output, NULL);
    if (!error && rc) {
        error = up_fail(u, -EIO, "node %s: in vm %s, `%s` exited with %d: %s", node->name,
                        node->vm, cmd, rc, output ? output : "");
    } else if (error) {
        up_fail(u, error, "node %s: control channel of vm %s", node->name, node->vm);
    }
    if (outputp && !error) {
        *outputp = output;
    } else {
        free(output);
    }
    return error;
}

/* Writes the host file SRC into the guest as DST: the control channel
 * takes one line per command, so the bytes go as printf octal escapes,
 * a few hundred at a time. */
static int
guest_put_file(struct up *u, const struct lab_node *node, const char *console, const char *src,
               const char *dst)
{
    FILE *f = fopen(src, "r");
    if (!f) {
        return up_fail(u, -errno, "node %s: cannot read %s", node->name, src);
    }
    char *cmd = xasprintf(": > %s", dst);
    int error = guest_run(u, node, console, cmd, NULL);
    free(cmd);
    unsigned char chunk[256];
    size_t n;
    while (!error && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        struct buf line;
        buf_init(&line, 5 * n + 64);
        buf_printf(&line, "printf '");
        for (size_t i = 0; i < n; i++) {
            buf_printf(&line, "\\%03o", chunk[i]);
        }
        buf_printf(&line, "' >> %s", dst);
        error = guest_run(u, node, console, buf_cstr(&line), NULL);
        buf_uninit(&line);
    }
    if (!error && ferror(f)) {
        error = up_fail(u, -EIO, "node %s: reading %s", node->name, src);
    }
    fclose(f);
    return error;
}

int
up_controller_in_vm(struct up *u, const struct lab_node *node)
{
    json_t *rec = lab_state_node(u->st, node->name, 0);
    const char *console = json_string_value(json_object_get(lab_state_node(u->st, node->vm, 0),
                                                            "console"));
    if (!console) {
        return up_fail(u, -ENOTCONN, "node %s: vm %s has no console", node->name, node->vm);
    }
    char a[INET_ADDRSTRLEN];
    unsigned int port = vm_controller_endpoint(u, node, a);
    char *conf = xasprintf("/run/%s.conf", node->name);
    char *ctl = xasprintf("/run/%s.ctl", node->name);
    char *log = xasprintf("/run/%s.log", node->name);
    char *target = controller_target(u, node->name);
    json_object_set_new(rec, "app", json_string(node->app));
    json_object_set_new(rec, "target", json_string(target));
    json_object_set_new(rec, "guest_log", json_string(log));
    json_object_set_new(rec, "guest_ctl", json_string(ctl));
    int error = 0;
    if (node->config) {
        char *src = resolve_config(u, node->config);
        error = guest_put_file(u, node, console, src, conf);
        free(src);
    }
    char *output = NULL;
    if (!error) {
        char *cmd = xasprintf("plural-controller --app %s%s%s --listen ptcp:%u:%s --ctl %s "
                              "--log-file %s </dev/null >/dev/null 2>%s.err & echo $!", node->app,
                              node->config ? " --config " : "", node->config ? conf : "",
                              port, a, ctl, log, log);
        error = guest_run(u, node, console, cmd, &output);
        free(cmd);
    }
    long pid = output ? strtol(output, NULL, 10) : 0;
    free(output);
    if (!error && pid <= 0) {
        error = up_fail(u, -EIO, "node %s: no pid for plural-controller in vm %s", node->name,
                        node->vm);
    }
    if (!error) {
        json_object_set_new(rec, "guest_pid", json_integer(pid));
        lab_state_save(u->st);
        /* Ready when its control socket exists; gone early: its log says why. */
        char *cmd = xasprintf("for i in $(seq 100); do [ -S %s ] && exit 0; "
                              "kill -0 %ld 2>/dev/null || exit 3; usleep 100000; done; exit 4",
                              ctl, pid);
        int rc;
        error = lab_vm_exec(console, cmd, 30000, &rc, NULL, NULL);
        free(cmd);
        if (!error && rc) {
            bool exited = rc == 3;
            char *tail = xasprintf("tail -q -n 5 %s.err %s", log, log);
            char *why = NULL;
            lab_vm_exec(console, tail, 5000, &rc, &why, NULL);
            for (size_t n = why ? strlen(why) : 0; n && (why[n - 1] == '\n' || why[n - 1] == ' ');
                 n--) {
                why[n - 1] = '\0';
            }
            error = up_fail(u, -ECHILD, "node %s: plural-controller in vm %s %s: %s",
                            node->name, node->vm, exited ? "exited" : "not ready in 10 s",
                            why ? why : "");
            free(why);
            free(tail);
        }
    }
    free(conf);
    free(ctl);
    free(log);
    free(target);
    return error;
}
