/* cgroup — container limits through cgroup v1 or v2 (see cgroup.h). */
#include "lab/cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "util/log.h"
#include "util/util.h"

LOG_MODULE(lab_cgroup);

#define CGROUP_ROOT "/sys/fs/cgroup"
#define CGROUP_PARENT "plural-lab"
#define CFS_PERIOD_US 100000

static bool
is_v2(void)
{
    return access(CGROUP_ROOT "/cgroup.controllers", F_OK) == 0;
}

static int
write_file(const char *dir, const char *file, const char *value)
{
    char *path = xasprintf("%s/%s", dir, file);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    int error = 0;
    if (fd < 0) {
        error = -errno;
    } else {
        size_t len = strlen(value);
        if (write(fd, value, len) != (ssize_t) len) {
            error = -errno;
        }
        close(fd);
    }
    if (error) {
        LOG_WARN("%s <- %s: %s", path, value, strerror(-error));
    }
    free(path);
    return error;
}

static int
read_file(const char *dir, const char *file, char *buf, size_t size)
{
    char *path = xasprintf("%s/%s", dir, file);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    free(path);
    if (fd < 0) {
        return -errno;
    }
    ssize_t n = read(fd, buf, size - 1);
    close(fd);
    if (n < 0) {
        return -errno;
    }
    buf[n] = '\0';
    return 0;
}

static void
add_path(char ***paths, size_t *n, char *path)
{
    *paths = xrealloc(*paths, (*n + 1) * sizeof **paths);
    (*paths)[(*n)++] = path;
}

int
lab_cgroup_paths(const char *name, const struct lab_cgroup_limits *lim,
                 char ***paths, size_t *n)
{
    *paths = NULL;
    *n = 0;
    if (is_v2()) {
        add_path(paths, n, xasprintf(CGROUP_ROOT "/" CGROUP_PARENT "/%s", name));
        return 0;
    }
    static const char *const controllers[] = { "cpu", "memory", "cpuset" };
    for (size_t i = 0; i < ARRAY_SIZE(controllers); i++) {
        if ((i == 0 && !lim->cpus) || (i == 1 && !lim->memory) || (i == 2 && !lim->cpu_mask)) {
            continue;
        }
        char *mount = xasprintf(CGROUP_ROOT "/%s", controllers[i]);
        if (access(mount, F_OK) < 0) {
            free(mount);
            for (size_t j = 0; j < *n; j++) {
                free((*paths)[j]);
            }
            free(*paths);
            *paths = NULL;
            *n = 0;
            return -EOPNOTSUPP;
        }
        add_path(paths, n, xasprintf("%s/" CGROUP_PARENT "/%s", mount, name));
        free(mount);
    }
    return 0;
}

static char *
cpu_list(uint64_t mask)
{
    char *s = xstrdup("");
    for (int i = 0; i < 64; i++) {
        if (mask & (1ULL << i)) {
            char *t = xasprintf("%s%s%d", s, *s ? "," : "", i);
            free(s);
            s = t;
        }
    }
    return s;
}

/* Creates the parent directory; for v1 cpuset, copies cpus/mems down
 * (a new cpuset starts empty); for v2, enables the controllers. */
static int
make_parent(const char *path, bool v2)
{
    char *parent = xstrdup(path);
    *strrchr(parent, '/') = '\0';
    int error = 0;
    if (mkdir(parent, 0755) < 0 && errno != EEXIST) {
        error = -errno;
    } else if (v2) {
        write_file(CGROUP_ROOT, "cgroup.subtree_control", "+cpu +memory +cpuset");
        write_file(parent, "cgroup.subtree_control", "+cpu +memory +cpuset");
    } else if (strstr(parent, "/cpuset/")) {
        char buf[256];
        if (!read_file(CGROUP_ROOT "/cpuset", "cpuset.mems", buf, sizeof buf)) {
            write_file(parent, "cpuset.mems", buf);
        }
        if (!read_file(CGROUP_ROOT "/cpuset", "cpuset.cpus", buf, sizeof buf)) {
            write_file(parent, "cpuset.cpus", buf);
        }
    }
    free(parent);
    return error;
}

int
lab_cgroup_create(char **paths, size_t n, const struct lab_cgroup_limits *lim)
{
    bool v2 = is_v2();
    for (size_t i = 0; i < n; i++) {
        const char *dir = paths[i];
        int error = make_parent(dir, v2);
        if (!error && mkdir(dir, 0755) < 0) {
            error = -errno;
        }
        if (error) {
            LOG_ERR("cannot create cgroup %s: %s", dir, strerror(-error));
            return error;
        }
        char value[64];
        if (lim->cpus && (v2 || strstr(dir, "/cpu/"))) {
            long quota = (long) (lim->cpus * CFS_PERIOD_US);
            if (v2) {
                snprintf(value, sizeof value, "%ld %d", quota, CFS_PERIOD_US);
                error = write_file(dir, "cpu.max", value);
            } else {
                snprintf(value, sizeof value, "%d", CFS_PERIOD_US);
                error = write_file(dir, "cpu.cfs_period_us", value);
                snprintf(value, sizeof value, "%ld", quota);
                error = error ? error : write_file(dir, "cpu.cfs_quota_us", value);
            }
        }
        if (!error && lim->memory && (v2 || strstr(dir, "/memory/"))) {
            snprintf(value, sizeof value, "%" PRIu64, lim->memory);
            error = write_file(dir, v2 ? "memory.max" : "memory.limit_in_bytes", value);
        }
        if (!error && lim->cpu_mask && (v2 || strstr(dir, "/cpuset/"))) {
            char buf[256];
            if (!v2 && !read_file(CGROUP_ROOT "/cpuset", "cpuset.mems", buf, sizeof buf)) {
                write_file(dir, "cpuset.mems", buf);
            }
            char *cpus = cpu_list(lim->cpu_mask);
            error = write_file(dir, "cpuset.cpus", cpus);
            free(cpus);
        }
        if (error == -ENOENT && v2) {
            LOG_ERR("%s: a limit's file is missing: its controller (cpu, memory or cpuset) "
                    "is not enabled here; /sys/fs/cgroup/cgroup.controllers lists those "
                    "cgroup v2 has (a controller bound to a v1 hierarchy is not among "
                    "them)", dir);
        }
        if (error) {
            return error;
        }
    }
    return 0;
}

int
lab_cgroup_join(char *const *paths, size_t n, pid_t pid)
{
    char value[32];
    snprintf(value, sizeof value, "%ld", (long) (pid ? pid : getpid()));
    for (size_t i = 0; i < n; i++) {
        int error = write_file(paths[i], "cgroup.procs", value);
        if (error) {
            return error;
        }
    }
    return 0;
}

int
lab_cgroup_remove(const char *path)
{
    if (access(path, F_OK) < 0) {
        return 0;
    }
    for (int attempt = 0; attempt < 50; attempt++) {
        char *procs = xasprintf("%s/cgroup.procs", path);
        FILE *f = fopen(procs, "r");
        free(procs);
        if (f) {
            long pid;
            while (fscanf(f, "%ld", &pid) == 1) {
                kill(pid, SIGKILL);
            }
            fclose(f);
        }
        if (rmdir(path) == 0 || errno == ENOENT) {
            /* The shared parent goes when the last lab's cgroup goes. */
            char *parent = xstrdup(path);
            char *slash = strrchr(parent, '/');
            if (slash && strstr(parent, "/" CGROUP_PARENT "/")) {
                *slash = '\0';
                rmdir(parent);
            }
            free(parent);
            return 0;
        }
        if (errno != EBUSY) {
            return -errno;
        }
        nanosleep(&(struct timespec) { 0, 20 * 1000 * 1000 }, NULL);
    }
    return -EBUSY;
}

int
lab_cgroup_memory_usage(const char *path, uint64_t *bytes)
{
    char buf[64];
    int error = read_file(path, is_v2() ? "memory.current" : "memory.usage_in_bytes",
                          buf, sizeof buf);
    if (!error) {
        *bytes = strtoull(buf, NULL, 10);
    }
    return error;
}
