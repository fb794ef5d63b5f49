/* sysfs — small readers for the /sys files the bench tools parse (cache
 * geometry, NUMA nodes), rooted at a configurable directory so tests run
 * on fixture trees (lib/bench/tests/fixtures/) instead of the host's /sys.
 *
 * Pure functions of the files they read; thread-safe. */
#ifndef PLURAL_BENCH_SYSFS_H
#define PLURAL_BENCH_SYSFS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Reads the first line of ROOT/REL (no newline) into a new string.
 * Returns 0 or -errno. */
int bench_sysfs_read_line(const char *root, const char *rel, char **out);

/* Parses a kernel CPU/node list ("0-3,8,10-11") into a bitmap of `max` bits
 * (bits[] must hold max/64 rounded up words, zeroed by the call).  Returns the
 * number of members, or -EINVAL (bad syntax, a member >= max). */
int bench_parse_cpulist(const char *list, uint64_t *bits, size_t max);

/* Parses a size like "48K", "2048K", "260M", "1G" or "4096" into bytes.
 * Returns 0 or -EINVAL. */
int bench_parse_size(const char *text, uint64_t *bytes);

#endif
