/* cache — last-level cache detection from sysfs (see cache.h). */
#include "bench/cache.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "bench/sysfs.h"
#include "util/util.h"

struct llc_instance {
    char *cpus;             /* shared_cpu_list identifies the instance. */
    uint64_t bytes;
};

static bool
is_prefixed_number(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    return !strncmp(name, prefix, n) && name[n] && strspn(name + n, "0123456789") == strlen(name + n);
}

int
bench_llc_detect(const char *sysfs_root, struct bench_llc *llc)
{
    memset(llc, 0, sizeof *llc);
    char *cpu_dir = xasprintf("%s/devices/system/cpu", sysfs_root);
    DIR *cpus = opendir(cpu_dir);
    free(cpu_dir);
    if (!cpus) {
        return -ENOENT;
    }
    struct llc_instance *inst = NULL;
    size_t n_inst = 0;
    struct dirent *cpu;
    while ((cpu = readdir(cpus))) {
        if (!is_prefixed_number(cpu->d_name, "cpu")) {
            continue;
        }
        for (unsigned idx = 0; idx < 16; idx++) {
            char *base = xasprintf("devices/system/cpu/%s/cache/index%u", cpu->d_name, idx);
            char *level_s = NULL, *type = NULL, *size_s = NULL, *shared = NULL;
            char *rel;
            int err = 0;
            rel = xasprintf("%s/level", base);
            err |= bench_sysfs_read_line(sysfs_root, rel, &level_s);
            free(rel);
            rel = xasprintf("%s/type", base);
            err |= bench_sysfs_read_line(sysfs_root, rel, &type);
            free(rel);
            rel = xasprintf("%s/size", base);
            err |= bench_sysfs_read_line(sysfs_root, rel, &size_s);
            free(rel);
            rel = xasprintf("%s/shared_cpu_list", base);
            if (bench_sysfs_read_line(sysfs_root, rel, &shared)) {
                free(shared);
                shared = xstrdup(cpu->d_name);   /* Private to this CPU. */
            }
            free(rel);
            free(base);
            uint64_t bytes;
            unsigned level = err ? 0 : (unsigned) atoi(level_s);
            bool usable = !err && strcmp(type, "Instruction")
                          && !bench_parse_size(size_s, &bytes) && level;
            if (usable && level >= llc->level) {
                if (level > llc->level) {
                    for (size_t i = 0; i < n_inst; i++) {
                        free(inst[i].cpus);
                    }
                    n_inst = 0;
                    llc->level = level;
                }
                bool seen = false;
                for (size_t i = 0; i < n_inst; i++) {
                    seen |= !strcmp(inst[i].cpus, shared);
                }
                if (!seen) {
                    inst = xrealloc(inst, (n_inst + 1) * sizeof *inst);
                    inst[n_inst++] = (struct llc_instance) { xstrdup(shared), bytes };
                }
            }
            free(level_s);
            free(type);
            free(size_s);
            free(shared);
            if (err) {
                break;      /* No more index<M> directories for this CPU. */
            }
        }
    }
    closedir(cpus);
    for (size_t i = 0; i < n_inst; i++) {
        llc->total_bytes += inst[i].bytes;
        llc->each_bytes = MAX(llc->each_bytes, inst[i].bytes);
        free(inst[i].cpus);
    }
    llc->instances = n_inst;
    free(inst);
    return n_inst ? 0 : -ENOENT;
}
