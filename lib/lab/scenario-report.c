/* scenario-report — a scenario's results: summary.json, summary.csv,
 * report.md and the plot (see scenario.h). */
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

/* ---- report ---- */

/* `plural bench numa` reports have no series: their topology and the
 * seed's NUMA threshold (host memory / cores) as rows. */
static void
write_numa(FILE *md, const char *platform, const json_t *rep)
{
    const double gib = 1024.0 * 1024 * 1024;
    size_t i;
    json_t *node;
    json_array_foreach(json_object_get(rep, "nodes"), i, node) {
        fprintf(md, "| %s | NUMA node %lld: CPUs %s, %.2f GiB | | %.2f GiB per core "
                "(threshold) | | |\n", platform,
                (long long) json_integer_value(json_object_get(node, "node")),
                json_string_value(json_object_get(node, "cpus")),
                json_number_value(json_object_get(node, "mem_total_bytes")) / gib,
                json_number_value(json_object_get(node, "threshold_bytes")) / gib);
    }
    json_t *vm = json_object_get(rep, "largest_node_local_vm");
    if (vm) {
        fprintf(md, "| %s | largest node-local VM | | %lld vCPUs, %.2f GiB | | |\n", platform,
                (long long) json_integer_value(json_object_get(vm, "vcpus")),
                json_number_value(json_object_get(vm, "memory_bytes")) / gib);
    }
}

int
write_report(struct scen *s)
{
    char *md_path = xasprintf("%s/report.md", s->dir);
    char *csv_path = xasprintf("%s/summary.csv", s->dir);
    char *sum_path = xasprintf("%s/summary.json", s->dir);
    FILE *md = fopen(md_path, "w");
    FILE *csv = fopen(csv_path, "w");
    json_t *summary = json_pack("{s:s, s:i, s:b, s:[]}", "scenario", s->name, "rounds",
                                s->opts->rounds, "quick", s->opts->quick, "platforms");
    int error = 0;
    if (!md || !csv) {
        fprintf(stderr, "lab run: cannot write the report in %s: %s\n", s->dir,
                strerror(errno));
        error = -EIO;
        goto out;
    }
    fprintf(md, "# plural lab run %s\n\n", s->name);
    fprintf(md, "%d measured rounds per platform (plus one warm-up round, discarded), mean "
            "with a 95%% confidence interval (Student t)%s.\n\n", s->opts->rounds,
            s->opts->quick ? "; --quick: short runs and small sizes, for CI, not for "
            "conclusions" : "");
    if (s->unit_note) {
        fprintf(md, "Measure: %s.\n\n", s->unit_note);
    }
    fprintf(csv, "scenario,platform,series,unit,n,mean,stddev,ci_low,ci_high,median\n");
    const char *first = NULL;
    for (size_t i = 0; i < s->n_results && !first; i++) {
        first = s->results[i].report ? s->results[i].name : NULL;
    }
    fprintf(md, "| platform | series | n | mean | 95%% CI | ratio to %s |\n"
                "| --- | --- | ---: | ---: | --- | ---: |\n", first ? first : "native");
    json_t *native = NULL;
    const char *ref_name = NULL;
    for (size_t i = 0; i < s->n_results; i++) {
        struct platform_result *r = &s->results[i];
        json_t *p = json_pack("{s:s}", "platform", r->name);
        json_array_append_new(json_object_get(summary, "platforms"), p);
        if (!r->report) {
            json_object_set_new(p, "skipped", json_string(r->skipped));
            fprintf(md, "| %s | — | — | skipped: %s | | |\n", r->name, r->skipped);
            continue;
        }
        json_error_t jerr;
        json_t *rep = json_load_file(r->report, 0, &jerr);
        json_object_set_new(p, "report", json_string(r->report));
        if (!native) {
            native = json_incref(rep);   /* The first measured platform is the reference. */
            ref_name = r->name;
        }
        if (json_is_array(json_object_get(rep, "nodes"))) {
            write_numa(md, r->name, rep);
            json_object_set(p, "numa", rep);
        }
        json_t *series = json_object_get(rep, "series");
        json_t *out_series = json_array();
        json_object_set_new(p, "series", out_series);
        size_t k;
        json_t *ser;
        json_array_foreach(series, k, ser) {
            json_t *sum = json_object_get(ser, "summary");
            if (!sum) {
                continue;
            }
            const char *sname = json_string_value(json_object_get(ser, "name"));
            const char *unit = json_string_value(json_object_get(ser, "unit"));
            double mean = json_real_value(json_object_get(sum, "mean"));
            double lo = json_number_value(json_object_get(sum, "ci_low"));
            double hi = json_number_value(json_object_get(sum, "ci_high"));
            double ratio = NAN;
            size_t m;
            json_t *nser;
            json_array_foreach(json_object_get(native, "series"), m, nser) {
                if (!strcmp(json_string_value(json_object_get(nser, "name")), sname)) {
                    double nm = json_number_value(json_object_get(json_object_get(nser,
                                                                  "summary"), "mean"));
                    ratio = nm ? json_number_value(json_object_get(sum, "mean")) / nm : NAN;
                }
            }
            mean = json_number_value(json_object_get(sum, "mean"));
            json_array_append_new(out_series, json_pack("{s:s, s:s, s:O, s:f, s:s}", "name",
                                                        sname, "unit", unit ? unit : "",
                                                        "summary", sum, "ratio_to_reference",
                                                        isnan(ratio) ? 0.0 : ratio,
                                                        "reference", ref_name));
            char ratio_s[32] = "—";
            if (!isnan(ratio)) {
                snprintf(ratio_s, sizeof ratio_s, "%.3f", ratio);
            }
            fprintf(md, "| %s | %s | %lld | %.6g %s | [%.6g, %.6g] | %s |\n", r->name, sname,
                    (long long) json_integer_value(json_object_get(sum, "n")), mean,
                    unit ? unit : "", lo, hi, ratio_s);
            fprintf(csv, "%s,%s,%s,%s,%lld,%.9g,%.9g,%.9g,%.9g,%.9g\n", s->name, r->name, sname,
                    unit ? unit : "", (long long) json_integer_value(json_object_get(sum, "n")),
                    mean, json_number_value(json_object_get(sum, "stddev")), lo, hi,
                    json_number_value(json_object_get(sum, "median")));
        }
        json_decref(rep);
    }
    json_decref(native);
    if (s->notes_md && s->notes_md->size) {
        fprintf(md, "\n%s", buf_cstr(s->notes_md));
    }
    if (s->extra) {
        json_object_update(summary, s->extra);
    }

    /* Accelerators of the guests that ran. */
    json_t *accels = json_object();
    if (s->lab_status) {
        const char *node;
        json_t *n;
        json_object_foreach(json_object_get(s->lab_status, "nodes"), node, n) {
            const char *accel = node_accel(s, node);
            if (accel) {
                json_object_set_new(accels, node, json_string(accel));
            }
        }
    }
    json_object_set_new(summary, "vm_accelerators", accels);
    if (json_object_size(accels)) {
        fprintf(md, "\nGuests ran with accelerator:");
        const char *node;
        json_t *a;
        json_object_foreach(accels, node, a) {
            fprintf(md, " %s=%s", node, json_string_value(a));
        }
        fprintf(md, " (TCG is an emulator: guest numbers measure QEMU's TCG on this host, "
                "not a hardware hypervisor).\n");
    }

    /* Bar chart and comparison table from plural bench compare. */
    struct args a = { 0 };
    struct buf labels;
    buf_init(&labels, 64);
    arg(&a, "%s", s->plural);
    arg(&a, "bench");
    arg(&a, "compare");
    char *png = xasprintf("%s/%s.png", s->dir, s->name);
    arg(&a, "--plot");
    arg(&a, "%s", png);
    size_t n_reports = 0;
    for (size_t i = 0; i < s->n_results; i++) {
        if (s->results[i].report) {
            buf_printf(&labels, "%s%s", n_reports++ ? "," : "", s->results[i].name);
        }
    }
    arg(&a, "--labels");
    arg(&a, "%s", buf_cstr(&labels));
    for (size_t i = 0; i < s->n_results; i++) {
        if (s->results[i].report) {
            arg(&a, "%s", s->results[i].report);
        }
    }
    if (n_reports && strcmp(s->name, "numa")) {
        char *cmp = xasprintf("%s/compare.txt", s->dir);
        int rc = run_argv(a.v, cmp);
        if (rc == 0) {
            fprintf(md, "\n![%s](%s.png)\n\n`plural bench compare` (ratios to the first "
                    "report; '*' = CI does not overlap native's):\n\n```\n", s->name, s->name);
            FILE *f = fopen(cmp, "r");
            char line[1024];
            while (f && fgets(line, sizeof line, f)) {
                fputs(line, md);
            }
            if (f) {
                fclose(f);
            }
            fprintf(md, "```\n");
            json_object_set_new(summary, "plot", json_string(png));
        } else {
            fprintf(md, "\n(plural bench compare failed: exit %d)\n", rc);
        }
        free(cmp);
    }
    fprintf(md, "\nFiles: PLATFORM.json (bench reports with every sample), PLATFORM.csv, "
            "summary.json, summary.csv, topology.yml (the lab used); the plot and the "
            "compare table come from `plural bench compare` over the same reports.\n");
    buf_uninit(&labels);
    args_free(&a);
    free(png);
    json_dump_file(summary, sum_path, JSON_INDENT(2));
    printf("lab run %s: report in %s\n", s->name, md_path);
out:
    if (md && fclose(md)) {
        error = -EIO;
    }
    if (csv && fclose(csv)) {
        error = -EIO;
    }
    json_decref(summary);
    free(md_path);
    free(csv_path);
    free(sum_path);
    return error;
}
