/* scenario — the seed's experiments as lab runs: helpers and the
 * registry (see scenario.h). */
#include "lab/scenario.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <stdarg.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>
#include "bench/report.h"
#include "lab/initramfs.h"
#include "lab/lab.h"
#include "lab/topo.h"
#include "util/buf.h"
#include "util/util.h"
#include "lab/scenario-private.h"

/* ---- helpers ---- */

bool
wanted(const struct scen *s, const char *platform)
{
    const char *list = s->opts->platforms;
    if (!list) {
        return true;
    }
    size_t len = strlen(platform);
    for (const char *p = list; *p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t) (comma - p) : strlen(p);
        if (n == len && !strncmp(p, platform, n)) {
            return true;
        }
        p += n + (comma ? 1 : 0);
    }
    return false;
}

bool
have_program(const char *name)
{
    const char *path = getenv("PATH");
    if (!path) {
        return false;
    }
    char *copy = xstrdup(path);
    bool found = false;
    for (char *save, *dir = strtok_r(copy, ":", &save); dir && !found;
         dir = strtok_r(NULL, ":", &save)) {
        char *cand = xasprintf("%s/%s", dir, name);
        found = access(cand, X_OK) == 0;
        free(cand);
    }
    free(copy);
    return found;
}

bool
vm_possible(char **why)
{
    char *kernel, *version;
    if (!have_program("qemu-system-x86_64")) {
        *why = xstrdup("qemu-system-x86_64 not installed");
        return false;
    }
    if (lab_kernel_find(&kernel, &version)) {
        *why = xstrdup("no guest kernel in /boot (linux-image-amd64)");
        return false;
    }
    free(kernel);
    free(version);
    return true;
}

/* Runs ARGV; stdout to OUT_PATH if given (else inherited).  Returns the
 * exit status, or -errno. */
int
run_argv(char *const argv[], const char *out_path)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        return -errno;
    }
    if (pid == 0) {
        if (out_path) {
            int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
            if (fd < 0 || dup2(fd, 1) < 0) {
                _exit(127);
            }
        }
        execvp(argv[0], argv);
        fprintf(stderr, "lab: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return -errno;
        }
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}


void
arg(struct args *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    a->v = xrealloc(a->v, (a->n + 2) * sizeof *a->v);
    a->v[a->n++] = xvasprintf(fmt, ap);
    a->v[a->n] = NULL;
    va_end(ap);
}

void
args_free(struct args *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->v[i]);
    }
    free(a->v);
    a->v = NULL;
    a->n = 0;
}

/* Prefix that runs the rest of the command in NODE of the lab. */
void
arg_in_node(struct args *a, const struct scen *s, const char *node)
{
    if (node) {
        arg(a, "%s", s->plural);
        arg(a, "lab");
        arg(a, "exec");
        arg(a, "--run-dir");
        arg(a, "%s", s->run_dir);
        arg(a, "%s", node);
        arg(a, "--");
    }
}

void
add_result(struct scen *s, const char *platform, char *report, char *skipped)
{
    s->results = xrealloc(s->results, (s->n_results + 1) * sizeof *s->results);
    s->results[s->n_results++] = (struct platform_result) {
        xstrdup(platform), report, skipped,
    };
    if (skipped) {
        fprintf(stderr, "lab run %s: %s skipped: %s\n", s->name, platform, skipped);
    }
}

char *
result_path(const struct scen *s, const char *platform, const char *ext)
{
    return xasprintf("%s/%s.%s", s->dir, platform, ext);
}

/* Brings up the scenario's lab from YAML text (written to the results
 * directory).  Returns 0 or -errno (message printed). */
int
lab_start(struct scen *s, const char *yaml)
{
    char *file = xasprintf("%s/topology.yml", s->dir);
    FILE *f = fopen(file, "w");
    if (!f) {
        fprintf(stderr, "lab run: %s: %s\n", file, strerror(errno));
        free(file);
        return -errno;
    }
    fputs(yaml, f);
    fclose(f);
    struct lab_topo *topo;
    char *err;
    int error = lab_topo_read(file, &topo, &err);
    if (!error) {
        s->run_dir = lab_default_run_dir(topo->name);
        fprintf(stderr, "lab run %s: bringing up lab %s (%zu nodes)\n", s->name, topo->name,
                topo->n_nodes);
        error = lab_up(topo, s->run_dir, &err);
        lab_topo_destroy(topo);
    }
    if (error) {
        fprintf(stderr, "lab run %s: %s\n", s->name, err ? err : strerror(-error));
        free(s->run_dir);
        s->run_dir = NULL;
    } else {
        json_decref(s->lab_status);
        lab_status(s->run_dir, &s->lab_status, &err);
    }
    free(err);
    free(file);
    return error;
}

void
lab_stop(struct scen *s)
{
    if (s->run_dir) {
        char *err;
        if (lab_down(s->run_dir, &err)) {
            fprintf(stderr, "lab run %s: down: %s\n", s->name, err);
        }
        free(err);
        free(s->run_dir);
        s->run_dir = NULL;
    }
}

const char *
node_accel(const struct scen *s, const char *node)
{
    json_t *n = json_object_get(json_object_get(s->lab_status, "nodes"), node);
    return json_string_value(json_object_get(n, "accel"));
}

/* Runs a one-line command in NODE through `plural lab exec`; 0 if it
 * exited 0. */
int
node_cmd(struct scen *s, const char *node, const char *shell_cmd, bool guest)
{
    struct args a = { 0 };
    arg_in_node(&a, s, node);
    if (guest) {
        arg(&a, "%s", shell_cmd);
    } else {
        arg(&a, "sh");
        arg(&a, "-c");
        arg(&a, "%s", shell_cmd);
    }
    int rc = run_argv(a.v, "/dev/null");
    args_free(&a);
    return rc;
}

/* ---- registry ---- */

struct scenario {
    const char *name;
    const char *what;
    int (*run)(struct scen *);
};

static const struct scenario scenarios[] = {
    { "cpu", "seed fig. 11/15a: pi on one thread, native vs container vs VM", scenario_cpu },
    { "mem", "seed fig. 12/15b: STREAM bandwidth, native vs container vs VM", scenario_mem },
    { "numa", "seed fig. 11-14: NUMA topology and threshold of this host", scenario_numa },
    { "p2p-64", "seed fig. 16-17: point-to-point TCP, 64-byte writes", scenario_p2p_64 },
    { "p2p-1500", "seed fig. 18: point-to-point TCP, 1500-byte writes", scenario_p2p_1500 },
    { "routing", "seed fig. 19-20: A -> router -> B, 1500-byte writes", scenario_routing },
    { "isolation", "seed fig. 21: CPU load of the shared data plane, idle vs traffic",
      scenario_isolation },
    { "shared-dataplane", "seed fig. 26: routing by a shared OpenFlow data plane "
      "(plural, OVS) vs native", scenario_shared },
};

const char *
lab_scenario_names(void)
{
    return "cpu, mem, numa, p2p-64, p2p-1500, routing, isolation, shared-dataplane, all";
}

static int
run_one(const struct scenario *sc, const struct lab_scenario_opts *opts, const char *dir)
{
    struct scen s = { .name = sc->name, .opts = opts };
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    self[n > 0 ? n : 0] = '\0';
    s.plural = xstrdup(n > 0 ? self : "plural");
    s.dir = xstrdup(dir);
    char *cmd = xasprintf("mkdir -p '%s'", dir);
    int rc = system(cmd);
    free(cmd);
    if (rc) {
        fprintf(stderr, "lab run: cannot create %s\n", dir);
        free(s.plural);
        free(s.dir);
        return 1;
    }
    /* The guests get this `plural` in their initramfs. */
    setenv("PLURAL_BIN", s.plural, 0);
    sc->run(&s);
    int report_error = write_report(&s);
    /* The first platform is the reference (native, or the idle data plane). */
    int status = s.n_results && s.results[0].report && !report_error ? 0 : 1;
    for (size_t i = 0; i < s.n_results; i++) {
        free(s.results[i].name);
        free(s.results[i].report);
        free(s.results[i].skipped);
    }
    free(s.results);
    json_decref(s.lab_status);
    json_decref(s.extra);
    if (s.notes_md) {
        buf_uninit(s.notes_md);
        free(s.notes_md);
    }
    free(s.plural);
    free(s.dir);
    return status;
}

int
lab_scenario_run(const char *name, const struct lab_scenario_opts *opts)
{
    char stamp[32];
    time_t now = time(NULL);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", localtime(&now));
    int status = 0;
    bool all = !strcmp(name, "all"), found = false;
    for (size_t i = 0; i < ARRAY_SIZE(scenarios); i++) {
        if (!all && strcmp(name, scenarios[i].name)) {
            continue;
        }
        found = true;
        char *dir;
        if (opts->results_dir) {
            dir = all ? xasprintf("%s/%s", opts->results_dir, scenarios[i].name)
                      : xstrdup(opts->results_dir);
        } else {
            dir = xasprintf("lab-results/%s-%s", scenarios[i].name, stamp);
        }
        fprintf(stderr, "lab run %s: %s\n", scenarios[i].name, scenarios[i].what);
        status |= run_one(&scenarios[i], opts, dir);
        free(dir);
    }
    if (!found) {
        fprintf(stderr, "plural lab run: unknown scenario '%s' (%s)\n", name,
                lab_scenario_names());
        return 2;
    }
    return status;
}
