/* netns — named network namespaces (see netns.h). */
#include "lab/netns.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util/log.h"
#include "util/util.h"

LOG_MODULE(lab_netns);

static char *
netns_path(const char *name)
{
    return xasprintf("%s/%s", LAB_NETNS_DIR, name);
}

/* Makes /run/netns a shared mount point, as iproute2 does, so that mounts
 * made later propagate into mount namespaces cloned from ours. */
static int
netns_dir_prepare(void)
{
    if (mkdir("/run", 0755) < 0 && errno != EEXIST) {
        return -errno;
    }
    if (mkdir(LAB_NETNS_DIR, 0755) < 0 && errno != EEXIST) {
        return -errno;
    }
    if (mount("", LAB_NETNS_DIR, "none", MS_SHARED | MS_REC, NULL) == 0) {
        return 0;
    }
    if (errno != EINVAL) {
        return -errno;
    }
    if (mount(LAB_NETNS_DIR, LAB_NETNS_DIR, "none", MS_BIND | MS_REC, NULL) < 0) {
        return -errno;
    }
    if (mount("", LAB_NETNS_DIR, "none", MS_SHARED | MS_REC, NULL) < 0) {
        return -errno;
    }
    return 0;
}

struct netns_create_ctx {
    const char *path;
};

static int
netns_create_on_thread(void *ctx_)
{
    struct netns_create_ctx *ctx = ctx_;
    if (unshare(CLONE_NEWNET) < 0) {
        return -errno;
    }
    if (mount("/proc/thread-self/ns/net", ctx->path, "none", MS_BIND, NULL) < 0) {
        return -errno;
    }
    return 0;
}

int
lab_netns_add(const char *name)
{
    if (!name[0] || strchr(name, '/') || strlen(name) > 200) {
        return -EINVAL;
    }
    int error = netns_dir_prepare();
    if (error) {
        LOG_ERR("cannot prepare %s: %s", LAB_NETNS_DIR, strerror(-error));
        return error;
    }
    char *path = netns_path(name);
    int fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
    if (fd < 0) {
        error = -errno;
        free(path);
        return error;
    }
    close(fd);
    struct netns_create_ctx ctx = { path };
    error = lab_netns_run(NULL, netns_create_on_thread, &ctx);
    if (error) {
        LOG_ERR("cannot create namespace %s: %s", name, strerror(-error));
        unlink(path);
    }
    free(path);
    return error;
}

int
lab_netns_del(const char *name)
{
    if (!name[0] || strchr(name, '/')) {
        return -EINVAL;
    }
    char *path = netns_path(name);
    int error = 0;
    if (access(path, F_OK) < 0) {
        error = -errno;
    } else {
        umount2(path, MNT_DETACH);
        if (unlink(path) < 0) {
            error = -errno;
        }
    }
    free(path);
    return error;
}

bool
lab_netns_exists(const char *name)
{
    char *path = netns_path(name);
    bool exists = access(path, F_OK) == 0;
    free(path);
    return exists;
}

int
lab_netns_kill_all(const char *name)
{
    char *path = netns_path(name);
    struct stat ns;
    int error = stat(path, &ns) < 0 ? -errno : 0;
    free(path);
    if (error) {
        return error;
    }
    DIR *d = opendir("/proc");
    if (!d) {
        return -errno;
    }
    int killed = 0;
    pid_t self = getpid();
    struct dirent *de;
    while ((de = readdir(d))) {
        char *end;
        long pid = strtol(de->d_name, &end, 10);
        if (*end || pid <= 0 || pid == self) {
            continue;
        }
        char link[64];
        struct stat st;
        snprintf(link, sizeof link, "/proc/%ld/ns/net", pid);
        if (stat(link, &st) == 0 && st.st_ino == ns.st_ino && st.st_dev == ns.st_dev
            && kill(pid, SIGKILL) == 0) {
            killed++;
        }
    }
    closedir(d);
    return killed;
}

int
lab_netns_open(const char *name)
{
    int fd;
    if (!name) {
        fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    } else {
        char *path = netns_path(name);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        free(path);
    }
    return fd < 0 ? -errno : fd;
}

struct netns_thread {
    int nsfd;                  /* -1: stay in the caller's namespace. */
    int (*fn)(void *);
    void *arg;
    int result;
};

static void *
netns_thread_main(void *t_)
{
    struct netns_thread *t = t_;
    if (t->nsfd >= 0 && setns(t->nsfd, CLONE_NEWNET) < 0) {
        t->result = -errno;
        return NULL;
    }
    t->result = t->fn(t->arg);
    return NULL;
}

int
lab_netns_run(const char *name, int (*fn)(void *), void *arg)
{
    struct netns_thread t = { .nsfd = -1, .fn = fn, .arg = arg };
    if (name) {
        t.nsfd = lab_netns_open(name);
        if (t.nsfd < 0) {
            return t.nsfd;
        }
    }
    pthread_t thread;
    int error = pthread_create(&thread, NULL, netns_thread_main, &t);
    if (error) {
        if (t.nsfd >= 0) {
            close(t.nsfd);
        }
        return -error;
    }
    pthread_join(thread, NULL);
    if (t.nsfd >= 0) {
        close(t.nsfd);
    }
    return t.result;
}

struct sysctl_ctx {
    const char *path;
    const char *value;
    char *buf;
    size_t size;
};

static int
sysctl_write_here(void *ctx_)
{
    struct sysctl_ctx *ctx = ctx_;
    char *path = xasprintf("/proc/sys/%s", ctx->path);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    free(path);
    if (fd < 0) {
        return -errno;
    }
    size_t len = strlen(ctx->value);
    int error = write(fd, ctx->value, len) == (ssize_t) len ? 0 : -errno;
    close(fd);
    return error;
}

static int
sysctl_read_here(void *ctx_)
{
    struct sysctl_ctx *ctx = ctx_;
    char *path = xasprintf("/proc/sys/%s", ctx->path);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    free(path);
    if (fd < 0) {
        return -errno;
    }
    ssize_t n = read(fd, ctx->buf, ctx->size - 1);
    int error = n < 0 ? -errno : 0;
    close(fd);
    if (!error) {
        ctx->buf[n] = '\0';
        while (n > 0 && ctx->buf[n - 1] == '\n') {
            ctx->buf[--n] = '\0';
        }
    }
    return error;
}

int
lab_netns_sysctl(const char *name, const char *path, const char *value)
{
    struct sysctl_ctx ctx = { .path = path, .value = value };
    int error = lab_netns_run(name, sysctl_write_here, &ctx);
    if (error) {
        LOG_WARN("sysctl %s=%s in %s: %s", path, value, name ? name : "(self)",
                 strerror(-error));
    }
    return error;
}

int
lab_netns_sysctl_get(const char *name, const char *path, char *buf, size_t size)
{
    if (size < 2) {
        return -EINVAL;
    }
    struct sysctl_ctx ctx = { .path = path, .buf = buf, .size = size };
    return lab_netns_run(name, sysctl_read_here, &ctx);
}
