/* plural-switchd — the OpenFlow 1.0 software switch daemon.
 *
 * Parses options (options.c), builds one ofproto with its ports,
 * controllers and listeners, serves the control socket, and runs the event
 * loop until SIGTERM/SIGINT.  With --detach it forks first and the parent
 * exits only when the child is ready (or prints the child's one-line error
 * and exits 1), so `plural-switchd --detach && plural switch show` works. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>
#include "dp/port.h"
#include "net/ctl-server.h"
#include "net/daemon.h"
#include "net/event-loop.h"
#include "net/stream-ssl.h"
#include "ofproto/ofproto.h"
#include "options.h"
#include "plural-config.h"
#include "util/log.h"
#include "util/util.h"

LOG_MODULE(switchd);

static int ready_fd = -1;       /* --detach: pipe to the waiting parent. */
static char *pidfile_written;

static void
report_ready(const char *error)
{
    if (ready_fd >= 0) {
        if (error) {
            ssize_t unused = write(ready_fd, error, strlen(error));
            (void) unused;
        }
        close(ready_fd);
        ready_fd = -1;
    }
}

/* Prints a one-line runtime error (to the parent when detaching); exit 1. */
static NO_RETURN void
die(const char *msg)
{
    char *line = xasprintf("%s: %s\n", program_name(), msg);
    if (ready_fd >= 0) {
        report_ready(line);
    } else {
        fputs(line, stderr);
    }
    LOG_ERR("%s", msg);
    free(line);
    exit(1);
}

static void
detach_now(void)
{
    int fds[2];
    if (pipe(fds)) {
        die("pipe failed");
    }
    pid_t pid = fork();
    if (pid < 0) {
        die("fork failed");
    }
    if (pid > 0) {
        close(fds[1]);
        char msg[1024];
        size_t n = 0;
        ssize_t r;
        while (n < sizeof msg - 1 && (r = read(fds[0], msg + n, sizeof msg - 1 - n)) > 0) {
            n += r;
        }
        if (n) {
            msg[n] = '\0';
            fputs(msg, stderr);
            _exit(1);
        }
        _exit(0);
    }
    close(fds[0]);
    ready_fd = fds[1];
    setsid();
}

static void
finish_detach(void)
{
    if (ready_fd < 0) {
        return;
    }
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(null, STDIN_FILENO);
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
        if (null > STDERR_FILENO) {
            close(null);
        }
    }
    if (chdir("/")) {
        LOG_WARN("chdir(/) failed");
    }
    report_ready(NULL);
}

static void
write_pidfile(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        char *m = xasprintf("--pidfile %s: %s", path, strerror(errno));
        die(m);
    }
    fprintf(f, "%ld\n", (long) getpid());
    fclose(f);
    pidfile_written = xstrdup(path);
}

static void
signal_cb(struct loop *loop, int fd, unsigned int events, void *aux)
{
    struct signalfd_siginfo si;
    (void) events;
    (void) aux;
    if (read(fd, &si, sizeof si) == sizeof si) {
        LOG_INFO("signal %u: stopping", si.ssi_signo);
        loop_stop(loop);
    }
}

/* Makes the directory of the control socket (owner only) when it is the
 * default one. */
static void
make_ctl_dir(const char *path)
{
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        if (mkdir(dir, 0700) && errno != EEXIST) {
            LOG_WARN("cannot create %s: %s", dir, strerror(errno));
        }
    }
    free(dir);
}

int
main(int argc, char *argv[])
{
    struct switchd_options o;
    char *err = NULL;

    util_set_program_name(argv[0]);
    switchd_options_init(&o);
    if (switchd_options_parse(&o, argc, argv, &err)) {
        fprintf(stderr, "%s: %s\n", program_name(), err);
        free(err);
        switchd_options_uninit(&o);
        return 2;
    }
    if (o.help) {
        switchd_usage(stdout);
        switchd_options_uninit(&o);
        return 0;
    }
    if (o.version) {
        printf("plural-switchd %s (OpenFlow 1.0)\n", PLURAL_VERSION);
        switchd_options_uninit(&o);
        return 0;
    }
    for (size_t i = 0; i < o.n_ports; i++) {
        char type[16], name[16];
        if (port_parse_spec(o.ports[i].spec, type, name)) {
            fprintf(stderr, "%s: --port %s: not a valid port (IFNAME, afpacket:IFNAME, "
                    "afxdp:IFNAME, tap:NAME, dummy:NAME)\n", program_name(), o.ports[i].spec);
            switchd_options_uninit(&o);
            return 2;
        }
    }

    if (o.log_file && log_set_file(o.log_file)) {
        fprintf(stderr, "%s: --log-file %s: %s\n", program_name(), o.log_file,
                strerror(errno));
        return 2;
    }
    for (size_t i = 0; i < o.n_verbose; i++) {
        char *spec = xstrdup(o.verbose[i]);
        char *colon = strrchr(spec, ':');
        enum log_level level;
        *colon = '\0';
        log_level_from_string(colon + 1, &level);
        if (log_set_level(spec, level)) {
            fprintf(stderr, "%s: --verbose %s: no module '%s'\n", program_name(),
                    o.verbose[i], spec);
            return 2;
        }
        free(spec);
    }
    if (o.detach) {
        detach_now();
    }
    daemon_raise_fd_limit();
    listener_set_defaults(&o.listen_cfg);
    signal(SIGPIPE, SIG_IGN);

    struct loop *loop = loop_create();
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGHUP);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    int sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    loop_add_fd(loop, sfd, LOOP_READ, signal_cb, NULL);

    if (o.private_key && stream_ssl_configure(o.private_key, o.certificate,
                                              o.ca_cert, &err)) {
        die(err ? err : "cannot load the TLS key and certificates");
    }
    struct ofproto *p = ofproto_create(loop, o.dpid, o.fail_mode);
    int dperr = ofproto_set_datapath_type(p, o.datapath, o.xdp_flows);
    if (dperr) {
        char *m = xasprintf("--datapath %s: the XDP fast path cannot be loaded (%s)%s",
                            dp_type_name(o.datapath), strerror(-dperr),
                            dperr == -EPERM ? ": needs CAP_BPF and CAP_NET_ADMIN" : "");
        die(m);
    }
    for (size_t i = 0; i < o.n_ports; i++) {
        if (ofproto_add_port(p, o.ports[i].port_no, o.ports[i].spec, &err)) {
            die(err);
        }
    }
    if (!o.has_dpid) {
        ofproto_set_default_dpid(p);
    }
    for (size_t i = 0; i < o.n_listeners; i++) {
        if (ofproto_add_listener(p, o.listeners[i], &err)) {
            char *m = xasprintf("--listen %s: %s", o.listeners[i], err ? err : "failed");
            die(m);
        }
    }
    const char *ctl_path = o.ctl_path ? o.ctl_path : SWITCHD_DEFAULT_CTL;
    if (!o.ctl_path) {
        make_ctl_dir(ctl_path);
    }
    struct ctl_server *ctl;
    if (ctl_server_create(loop, ctl_path, &ctl, &err)) {
        char *m = xasprintf("--ctl %s: %s", ctl_path, err ? err : "cannot listen");
        die(m);
    }
    ofproto_ctl_register(p, ctl);
    for (size_t i = 0; i < o.n_controllers; i++) {
        if (ofproto_add_controller(p, o.controllers[i], &err)) {
            char *m = xasprintf("--controller %s: %s", o.controllers[i], err ? err : "failed");
            die(m);
        }
    }
    if (o.pidfile) {
        write_pidfile(o.pidfile);
    }
    LOG_INFO("plural-switchd %s ready: %zu ports, %zu controllers, control socket %s",
             PLURAL_VERSION, o.n_ports, o.n_controllers, ctl_path);
    finish_detach();

    loop_run(loop);

    ctl_server_destroy(ctl);
    ofproto_destroy(p);
    loop_remove_fd(loop, sfd);
    close(sfd);
    loop_destroy(loop);
    if (pidfile_written) {
        unlink(pidfile_written);
        free(pidfile_written);
    }
    switchd_options_uninit(&o);
    return 0;
}
