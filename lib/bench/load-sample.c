/* load-sample — see load-sample.h. */
#include "load-sample.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/clock.h"
#include "util/util.h"

struct pid_ticks {
    pid_t pid;
    uint64_t ticks;
};

struct load_sampler {
    enum load_target target;
    pid_t pid;
    char *source;               /* /proc/PID/stat, cgroup file, netns path. */
    bool cgroup_v2;
    dev_t ns_dev;
    ino_t ns_ino;
    struct pid_ticks *tasks;    /* netns: previous reading, sorted by pid. */
    size_t n_tasks;

    uint64_t prev_ns;           /* Wall (monotonic) time of the last reading. */
    uint64_t prev_usage_ns;     /* pid/cgroup: CPU time at the last reading. */
    uint64_t prev_softirq, prev_busy;   /* /proc/stat ticks. */
    long hz;
};

int
load_read_pid_ticks(pid_t pid, uint64_t *ticks)
{
    char path[64], line[1024];

    snprintf(path, sizeof path, "/proc/%d/stat", (int) pid);
    FILE *f = fopen(path, "re");
    if (!f) {
        return -ESRCH;
    }
    size_t n = fread(line, 1, sizeof line - 1, f);
    fclose(f);
    line[n] = '\0';
    /* The command name may hold spaces and parentheses: skip to the last ')'. */
    char *p = strrchr(line, ')');
    unsigned long long utime, stime;
    if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
                     &utime, &stime) != 2) {
        return -ESRCH;
    }
    *ticks = utime + stime;
    return 0;
}

/* Machine-wide softirq and busy ticks from the "cpu" line of /proc/stat. */
static int
read_proc_stat(uint64_t *softirq, uint64_t *busy)
{
    unsigned long long v[8] = { 0 };
    FILE *f = fopen("/proc/stat", "re");
    if (!f) {
        return -errno;
    }
    int n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
                   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
    fclose(f);
    if (n < 7) {
        return -EINVAL;
    }
    /* user nice system idle iowait irq softirq steal */
    *softirq = v[6];
    *busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
    return 0;
}

static int
read_u64_file(const char *path, uint64_t *out)
{
    FILE *f = fopen(path, "re");
    if (!f) {
        return -errno;
    }
    unsigned long long v;
    int n = fscanf(f, "%llu", &v);
    fclose(f);
    if (n != 1) {
        return -EINVAL;
    }
    *out = v;
    return 0;
}

static int
read_cgroup_v2_usage(const char *path, uint64_t *ns)
{
    char key[64];
    unsigned long long v;
    FILE *f = fopen(path, "re");
    if (!f) {
        return -errno;
    }
    int error = -EINVAL;
    while (fscanf(f, "%63s %llu", key, &v) == 2) {
        if (!strcmp(key, "usage_usec")) {
            *ns = v * 1000;
            error = 0;
            break;
        }
    }
    fclose(f);
    return error;
}

/* Finds the usage file of cgroup `name`: a directory, or a path inside one
 * of the mounted hierarchies. */
static int
resolve_cgroup(struct load_sampler *s, const char *name)
{
    static const char *const roots[] = {
        "", "/sys/fs/cgroup/cpuacct", "/sys/fs/cgroup/cpu,cpuacct",
        "/sys/fs/cgroup/unified", "/sys/fs/cgroup",
    };
    for (size_t i = 0; i < ARRAY_SIZE(roots); i++) {
        if (!roots[i][0] && name[0] != '/') {
            continue;
        }
        char *dir = xasprintf("%s%s%s", roots[i],
                              roots[i][0] && name[0] != '/' ? "/" : "", name);
        size_t len = strlen(dir);
        while (len > 1 && dir[len - 1] == '/') {
            dir[--len] = '\0';
        }
        char *v1 = xasprintf("%s/cpuacct.usage", dir);
        char *v2 = xasprintf("%s/cpu.stat", dir);
        free(dir);
        if (!access(v1, R_OK)) {
            free(v2);
            s->source = v1;
            return 0;
        }
        free(v1);
        uint64_t ns;
        if (!read_cgroup_v2_usage(v2, &ns)) {
            s->source = v2;
            s->cgroup_v2 = true;
            return 0;
        }
        free(v2);
    }
    return -ENOENT;
}

static int
compare_pid(const void *a_, const void *b_)
{
    const struct pid_ticks *a = a_, *b = b_;
    return a->pid < b->pid ? -1 : a->pid > b->pid;
}

/* Reads every process of the namespace; returns a new sorted table. */
static int
read_netns_tasks(const struct load_sampler *s, struct pid_ticks **out, size_t *n_out)
{
    DIR *dir = opendir("/proc");
    if (!dir) {
        return -errno;
    }
    size_t n = 0, cap = 64;
    struct pid_ticks *v = xmalloc(cap * sizeof *v);
    struct dirent *de;
    while ((de = readdir(dir))) {
        char *end;
        long pid = strtol(de->d_name, &end, 10);
        if (*end || pid <= 0) {
            continue;
        }
        char path[64];
        struct stat st;
        snprintf(path, sizeof path, "/proc/%ld/ns/net", pid);
        if (stat(path, &st) < 0 || st.st_ino != s->ns_ino || st.st_dev != s->ns_dev) {
            continue;
        }
        uint64_t ticks;
        if (load_read_pid_ticks((pid_t) pid, &ticks)) {
            continue;
        }
        if (n == cap) {
            cap *= 2;
            v = xrealloc(v, cap * sizeof *v);
        }
        v[n++] = (struct pid_ticks) { (pid_t) pid, ticks };
    }
    closedir(dir);
    qsort(v, n, sizeof *v, compare_pid);
    *out = v;
    *n_out = n;
    return 0;
}

/* Reads the target's cumulative CPU time (pid, cgroup) in ns. */
static int
read_usage_ns(const struct load_sampler *s, uint64_t *ns)
{
    uint64_t ticks;
    int error;

    switch (s->target) {
    case LOAD_TARGET_PID:
        error = load_read_pid_ticks(s->pid, &ticks);
        if (!error) {
            *ns = ticks * (1000000000ull / (uint64_t) s->hz);
        }
        return error;
    case LOAD_TARGET_CGROUP:
        return s->cgroup_v2 ? read_cgroup_v2_usage(s->source, ns)
                            : read_u64_file(s->source, ns);
    case LOAD_TARGET_NETNS:
    default:
        return -EINVAL;
    }
}

int
load_sampler_open(enum load_target target, const char *name, struct load_sampler **out)
{
    struct load_sampler *s = xzalloc(sizeof *s);
    int error = 0;

    *out = NULL;
    s->target = target;
    s->hz = sysconf(_SC_CLK_TCK);
    if (s->hz <= 0) {
        s->hz = 100;
    }
    switch (target) {
    case LOAD_TARGET_PID: {
        uint64_t pid;
        if (str_to_u64(name, 1, INT32_MAX, &pid)) {
            error = -EINVAL;
            break;
        }
        s->pid = (pid_t) pid;
        s->source = xasprintf("/proc/%d/stat", s->pid);
        break;
    }
    case LOAD_TARGET_CGROUP:
        error = resolve_cgroup(s, name);
        break;
    case LOAD_TARGET_NETNS: {
        struct stat st;
        if (!name[0] || strchr(name, '/')) {
            error = -EINVAL;
            break;
        }
        s->source = xasprintf("/run/netns/%s", name);
        if (stat(s->source, &st) < 0) {
            error = -ENOENT;
            break;
        }
        s->ns_dev = st.st_dev;
        s->ns_ino = st.st_ino;
        break;
    }
    default:
        error = -EINVAL;
    }
    if (!error) {
        error = read_proc_stat(&s->prev_softirq, &s->prev_busy);
    }
    if (!error) {
        s->prev_ns = clock_now_ns();
        if (target == LOAD_TARGET_NETNS) {
            error = read_netns_tasks(s, &s->tasks, &s->n_tasks);
        } else {
            error = read_usage_ns(s, &s->prev_usage_ns);
        }
    }
    if (error) {
        load_sampler_destroy(s);
        return error;
    }
    *out = s;
    return 0;
}

int
load_sampler_sample(struct load_sampler *s, struct load_sample *out)
{
    uint64_t softirq, busy, used_ns = 0;
    uint64_t tick_ns = 1000000000ull / (uint64_t) s->hz;
    int error;

    memset(out, 0, sizeof *out);
    uint64_t now = clock_now_ns();
    if (s->target == LOAD_TARGET_NETNS) {
        struct pid_ticks *tasks;
        size_t n;
        error = read_netns_tasks(s, &tasks, &n);
        if (error) {
            return error;
        }
        uint64_t ticks = 0;
        for (size_t i = 0; i < n; i++) {
            const struct pid_ticks *prev = bsearch(&tasks[i], s->tasks, s->n_tasks,
                                                   sizeof *tasks, compare_pid);
            uint64_t base = prev && prev->ticks <= tasks[i].ticks ? prev->ticks : 0;
            ticks += tasks[i].ticks - base;
        }
        free(s->tasks);
        s->tasks = tasks;
        s->n_tasks = n;
        used_ns = ticks * tick_ns;
        out->tasks = (unsigned int) n;
    } else {
        uint64_t usage;
        error = read_usage_ns(s, &usage);
        if (error) {
            return error;
        }
        used_ns = usage >= s->prev_usage_ns ? usage - s->prev_usage_ns : 0;
        s->prev_usage_ns = usage;
        out->tasks = 1;
    }
    error = read_proc_stat(&softirq, &busy);
    if (error) {
        return error;
    }
    double wall_ns = (double) (now - s->prev_ns);
    out->seconds = wall_ns / 1e9;
    if (wall_ns > 0) {
        out->cpu_pct = 100.0 * (double) used_ns / wall_ns;
        out->softirq_pct = 100.0 * (double) ((softirq - s->prev_softirq) * tick_ns) / wall_ns;
        out->system_pct = 100.0 * (double) ((busy - s->prev_busy) * tick_ns) / wall_ns;
    }
    s->prev_ns = now;
    s->prev_softirq = softirq;
    s->prev_busy = busy;
    return 0;
}

const char *
load_sampler_source(const struct load_sampler *s)
{
    return s->source;
}

void
load_sampler_destroy(struct load_sampler *s)
{
    if (s) {
        free(s->source);
        free(s->tasks);
        free(s);
    }
}
