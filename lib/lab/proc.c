/* proc — processes inside lab nodes (see proc.h). */
#include "lab/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "lab/cgroup.h"
#include "lab/netns.h"
#include "util/util.h"

/* In the child: enters CTX (NSFD already open).  Reports failures on
 * stderr and exits 127 (we are past fork). */
static void
child_enter(const struct lab_exec_ctx *ctx, int nsfd)
{
    /* Cgroups first: the private /sys mounted below hides /sys/fs/cgroup. */
    if (ctx->n_cgroups && lab_cgroup_join(ctx->cgroups, ctx->n_cgroups, 0)) {
        fprintf(stderr, "lab: cannot join the node's cgroups\n");
        _exit(127);
    }
    if (nsfd >= 0) {
        if (setns(nsfd, CLONE_NEWNET) < 0) {
            fprintf(stderr, "lab: cannot enter namespace %s: %s\n", ctx->netns,
                    strerror(errno));
            _exit(127);
        }
        close(nsfd);
        /* /sys for this namespace, like `ip netns exec` (best effort). */
        if (unshare(CLONE_NEWNS) == 0
            && mount("", "/", "none", MS_SLAVE | MS_REC, NULL) == 0) {
            umount2("/sys", MNT_DETACH);
            mount(ctx->netns, "/sys", "sysfs", 0, NULL);
        }
    }
    if (ctx->cpu_mask) {
        cpu_set_t set;
        CPU_ZERO(&set);
        for (int i = 0; i < 64; i++) {
            if (ctx->cpu_mask & (1ULL << i)) {
                CPU_SET(i, &set);
            }
        }
        if (sched_setaffinity(0, sizeof set, &set) < 0) {
            fprintf(stderr, "lab: cannot pin to CPUs: %s\n", strerror(errno));
            _exit(127);
        }
    }
}

static int
open_ctx_ns(const struct lab_exec_ctx *ctx)
{
    return ctx->netns ? lab_netns_open(ctx->netns) : -1;
}

pid_t
lab_proc_start(const struct lab_exec_ctx *ctx, char *const argv[], const char *log_path,
               int *gate)
{
    int nsfd = open_ctx_ns(ctx);
    if (ctx->netns && nsfd < 0) {
        return nsfd;
    }
    /* The gate is a socket pair, not a pipe: releasing a child that already
     * died must not raise SIGPIPE in the lab (send with MSG_NOSIGNAL). */
    int pipefd[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pipefd) < 0) {
        int error = -errno;
        if (nsfd >= 0) {
            close(nsfd);
        }
        return error;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        int error = -errno;
        close(pipefd[0]);
        close(pipefd[1]);
        if (nsfd >= 0) {
            close(nsfd);
        }
        return error;
    }
    if (pid == 0) {
        close(pipefd[1]);
        setsid();
        int devnull = open("/dev/null", O_RDONLY);
        int log = open(log_path ? log_path : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (devnull >= 0) {
            dup2(devnull, 0);
        }
        if (log >= 0) {
            dup2(log, 1);
            dup2(log, 2);
        }
        child_enter(ctx, nsfd);
        char byte;
        if (read(pipefd[0], &byte, 1) != 1) {
            _exit(127);         /* The parent died before recording us. */
        }
        signal(SIGPIPE, SIG_DFL);
        execvp(argv[0], argv);
        fprintf(stderr, "lab: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(pipefd[0]);
    if (nsfd >= 0) {
        close(nsfd);
    }
    *gate = pipefd[1];
    return pid;
}

void
lab_proc_release(int gate)
{
    if (gate >= 0) {
        ssize_t n = send(gate, "g", 1, MSG_NOSIGNAL);
        (void) n;
        close(gate);
    }
}

int
lab_proc_run(const struct lab_exec_ctx *ctx, char *const argv[])
{
    int nsfd = open_ctx_ns(ctx);
    if (ctx->netns && nsfd < 0) {
        return nsfd;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        return -errno;
    }
    if (pid == 0) {
        child_enter(ctx, nsfd);
        execvp(argv[0], argv);
        fprintf(stderr, "lab: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    if (nsfd >= 0) {
        close(nsfd);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return -errno;
        }
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

uint64_t
lab_proc_start_time(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", (long) pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return 0;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) {
        return 0;
    }
    buf[n] = '\0';
    /* Field 2 (comm) may hold spaces: count from the last ')'. */
    char *p = strrchr(buf, ')');
    if (!p) {
        return 0;
    }
    char state = p[2];
    if (state == 'Z' || state == 'X') {
        /* A zombie is gone for our purposes (but reap it if ours). */
        waitpid(pid, NULL, WNOHANG);
        return 0;
    }
    p += 2;
    for (int field = 3; field < 22; field++) {
        p = strchr(p, ' ');
        if (!p) {
            return 0;
        }
        p++;
    }
    return strtoull(p, NULL, 10);
}

bool
lab_proc_alive(pid_t pid, uint64_t start)
{
    uint64_t now = lab_proc_start_time(pid);
    return now && now == start;
}

int
lab_proc_stop(pid_t pid, uint64_t start, int timeout_ms)
{
    if (!lab_proc_alive(pid, start)) {
        waitpid(pid, NULL, WNOHANG);
        return 0;
    }
    kill(pid, SIGTERM);
    for (int waited = 0; waited < timeout_ms; waited += 10) {
        waitpid(pid, NULL, WNOHANG);
        if (!lab_proc_alive(pid, start)) {
            return 0;
        }
        nanosleep(&(struct timespec) { 0, 10 * 1000 * 1000 }, NULL);
    }
    kill(pid, SIGKILL);
    for (int waited = 0; waited < 2000; waited += 10) {
        waitpid(pid, NULL, WNOHANG);
        if (!lab_proc_alive(pid, start)) {
            return 0;
        }
        nanosleep(&(struct timespec) { 0, 10 * 1000 * 1000 }, NULL);
    }
    return -ETIMEDOUT;
}
