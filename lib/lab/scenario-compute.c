/* scenario-compute — cpu, mem and numa scenarios (see scenario.h). */
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

/* ---- compute scenarios: cpu, mem ---- */

#define COMPUTE_TOPO \
"name: %s\n" \
"nodes:\n" \
"  ctr: { kind: container, cpu: %s, memory: %s }\n" \
"%s"

static char *
compute_yaml(const struct scen *s, const char *labname, const char *cpus, const char *mem,
             unsigned int vcpus)
{
    char *vm = wanted(s, "vm") ? xasprintf("  vm: { kind: vm, vcpus: %u, memory: %s, "
                                           "nic: virtio }\n", vcpus, mem) : xstrdup("");
    char *y = xasprintf(COMPUTE_TOPO, labname, cpus, mem, vm);
    free(vm);
    return y;
}

char *
lab_name(const char *prefix)
{
    return xasprintf("%s%ld", prefix, (long) getpid() % 100000);
}

static void
run_cpu_platform(struct scen *s, const char *platform, const char *node, bool guest,
                 unsigned int k)
{
    char *json = result_path(s, platform, "json"), *csv = result_path(s, platform, "csv");
    struct args a = { 0 };
    arg(&a, "%s", s->plural);
    arg(&a, "bench");
    arg(&a, "time");
    arg(&a, "--name");
    arg(&a, "cpu");
    arg(&a, "--quiet-command");
    arg(&a, "--no-progress");
    arg(&a, "--rounds");
    arg(&a, "%d", s->opts->rounds);
    arg(&a, "--warmup");
    arg(&a, "1");
    arg(&a, "--json");
    arg(&a, "%s", json);
    arg(&a, "--csv");
    arg(&a, "%s", csv);
    arg(&a, "--");
    arg_in_node(&a, s, node);
    if (guest) {
        /* One shell line for the guest agent; the guest finds `plural` in PATH. */
        arg(&a, "plural bench cpu --digits-log2 %u --rounds 1 --warmup 0 --no-progress", k);
    } else {
        arg(&a, "%s", s->plural);
        arg(&a, "bench");
        arg(&a, "cpu");
        arg(&a, "--digits-log2");
        arg(&a, "%u", k);
        arg(&a, "--rounds");
        arg(&a, "1");
        arg(&a, "--warmup");
        arg(&a, "0");
        arg(&a, "--no-progress");
    }
    fprintf(stderr, "lab run %s: %s: pi to 2^%u digits, %d rounds + 1 warm-up, timed on "
            "the host\n", s->name, platform, k, s->opts->rounds);
    int rc = run_argv(a.v, "/dev/null");
    args_free(&a);
    if (rc) {
        add_result(s, platform, NULL, xasprintf("plural bench time exited %d", rc));
        free(json);
    } else {
        add_result(s, platform, json, NULL);
    }
    free(csv);
}

int
scenario_cpu(struct scen *s)
{
    unsigned int k = s->opts->quick ? 16 : 22;
    s->unit_note = "wall time of one pi computation, measured on the host (external clock)";
    run_cpu_platform(s, "native", NULL, false, k);
    char *why = NULL;
    bool vm_ok = vm_possible(&why);
    char *name = lab_name("cpu");
    char *yaml = compute_yaml(s, name, "1", s->opts->quick ? "512M" : "2G", 1);
    if (!vm_ok) {
        free(yaml);
        yaml = xasprintf(COMPUTE_TOPO, name, "1", s->opts->quick ? "512M" : "2G", "");
    }
    if (lab_start(s, yaml) == 0) {
        if (wanted(s, "container")) {
            run_cpu_platform(s, "container", "ctr", false, k);
        }
        if (wanted(s, "vm") && vm_ok) {
            run_cpu_platform(s, "vm", "vm", true, k);
        }
        lab_stop(s);
    } else {
        add_result(s, "container", NULL, xstrdup("the lab did not come up"));
    }
    if (!vm_ok && wanted(s, "vm")) {
        add_result(s, "vm", NULL, why);
        why = NULL;
    }
    free(why);
    free(yaml);
    free(name);
    return 0;
}

static void
run_mem_platform(struct scen *s, const char *platform, const char *node, bool guest)
{
    char *json = result_path(s, platform, "json");
    unsigned long size = s->opts->quick ? 1000000 : 10000000;
    int ntimes = s->opts->quick ? 3 : 20;
    struct args a = { 0 };
    arg_in_node(&a, s, node);
    /* The guest agent returns stdout and stderr together: keep only JSON. */
    char *line = xasprintf("%s bench mem --array-size %lu --ntimes %d --rounds %d "
                           "--no-progress --format json%s", guest ? "plural" : s->plural, size,
                           ntimes, s->opts->rounds, guest ? " 2>/dev/null" : "");
    if (guest) {
        arg(&a, "%s", line);
    } else {
        arg(&a, "sh");
        arg(&a, "-c");
        arg(&a, "%s", line);
    }
    fprintf(stderr, "lab run %s: %s: STREAM, %lu doubles per array, best of %d, %d rounds\n",
            s->name, platform, size, ntimes, s->opts->rounds);
    int rc = run_argv(a.v, json);
    json_error_t jerr;
    json_t *report = rc ? NULL : json_load_file(json, 0, &jerr);
    if (!report) {
        add_result(s, platform, NULL, rc ? xasprintf("plural bench mem exited %d", rc)
                                         : xasprintf("no JSON report (%s)", jerr.text));
        free(json);
    } else {
        json_decref(report);
        add_result(s, platform, json, NULL);
    }
    free(line);
    args_free(&a);
}

int
scenario_mem(struct scen *s)
{
    s->unit_note = "best STREAM rate per round (MB/s), timed by STREAM itself";
    run_mem_platform(s, "native", NULL, false);
    char *why = NULL;
    bool vm_ok = vm_possible(&why);
    char *name = lab_name("mem");
    const char *mem = s->opts->quick ? "512M" : "2G";
    char *yaml = vm_ok ? compute_yaml(s, name, "2", mem, 2)
                       : xasprintf(COMPUTE_TOPO, name, "2", mem, "");
    if (lab_start(s, yaml) == 0) {
        if (wanted(s, "container")) {
            run_mem_platform(s, "container", "ctr", false);
        }
        if (wanted(s, "vm") && vm_ok) {
            run_mem_platform(s, "vm", "vm", true);
        }
        lab_stop(s);
    }
    if (!vm_ok && wanted(s, "vm")) {
        add_result(s, "vm", NULL, why);
        why = NULL;
    }
    free(why);
    free(yaml);
    free(name);
    return 0;
}

int
scenario_numa(struct scen *s)
{
    s->unit_note = "NUMA topology of the host and the seed's NUMA threshold";
    char *json = result_path(s, "native", "json");
    char *argv[] = { s->plural, "bench", "numa", "--format", "json", NULL };
    int rc = run_argv(argv, json);
    if (rc) {
        add_result(s, "native", NULL, xasprintf("plural bench numa exited %d", rc));
        free(json);
    } else {
        add_result(s, "native", json, NULL);
    }
    return 0;
}
