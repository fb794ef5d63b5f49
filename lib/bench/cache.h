/* cache — the machine's last-level caches, from
 * ROOT/devices/system/cpu/cpu<N>/cache/index<M>/{level,type,size,shared_cpu_list}.
 *
 * STREAM's sizing rule needs "the sum of the last-level caches": the LLC is
 * the highest level seen; each distinct LLC instance (a distinct
 * shared_cpu_list) is counted once, so two sockets with a 32 MiB L3 each
 * give 64 MiB, and one L3 shared by all CPUs gives its size once.
 * Instruction caches are ignored.  Pure; thread-safe. */
#ifndef PLURAL_BENCH_CACHE_H
#define PLURAL_BENCH_CACHE_H 1

#include <stdint.h>

struct bench_llc {
    unsigned level;         /* E.g. 3. */
    unsigned instances;     /* Distinct LLCs (e.g. one per socket). */
    uint64_t each_bytes;    /* Size of one (the largest, if they differ). */
    uint64_t total_bytes;   /* Sum over instances. */
};

/* Scans the sysfs tree at `sysfs_root` ("/sys" normally).  Returns 0, or
 * -ENOENT if no cache information is there. */
int bench_llc_detect(const char *sysfs_root, struct bench_llc *);

#endif
