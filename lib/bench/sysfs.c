/* sysfs — readers for /sys files under a configurable root (see sysfs.h). */
#include "bench/sysfs.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/util.h"

int
bench_sysfs_read_line(const char *root, const char *rel, char **out)
{
    *out = NULL;
    char *path = xasprintf("%s/%s", root, rel);
    FILE *f = fopen(path, "r");
    free(path);
    if (!f) {
        return -errno;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, f);
    fclose(f);
    if (n < 0) {
        free(line);
        *out = xstrdup("");
        return 0;
    }
    while (n > 0 && isspace((unsigned char) line[n - 1])) {
        line[--n] = '\0';
    }
    *out = line;
    return 0;
}

int
bench_parse_cpulist(const char *list, uint64_t *bits, size_t max)
{
    memset(bits, 0, DIV_ROUND_UP(max, 64) * sizeof *bits);
    int count = 0;
    const char *p = list;
    while (*p && !isspace((unsigned char) *p)) {
        char *end;
        errno = 0;
        unsigned long lo = strtoul(p, &end, 10), hi = lo;
        if (end == p || errno) {
            return -EINVAL;
        }
        p = end;
        if (*p == '-') {
            hi = strtoul(++p, &end, 10);
            if (end == p || errno || hi < lo) {
                return -EINVAL;
            }
            p = end;
        }
        if (hi >= max) {
            return -EINVAL;
        }
        for (unsigned long i = lo; i <= hi; i++) {
            if (!(bits[i / 64] & (UINT64_C(1) << (i % 64)))) {
                bits[i / 64] |= UINT64_C(1) << (i % 64);
                count++;
            }
        }
        if (*p == ',') {
            p++;
        } else if (*p && !isspace((unsigned char) *p)) {
            return -EINVAL;
        }
    }
    return count;
}

int
bench_parse_size(const char *text, uint64_t *bytes)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(text, &end, 10);
    if (end == text || errno) {
        return -EINVAL;
    }
    uint64_t scale = 1;
    switch (toupper((unsigned char) *end)) {
    case 'K': scale = UINT64_C(1) << 10; end++; break;
    case 'M': scale = UINT64_C(1) << 20; end++; break;
    case 'G': scale = UINT64_C(1) << 30; end++; break;
    case '\0': break;
    default: return -EINVAL;
    }
    if (*end == 'B' || *end == 'b') {
        end++;
    }
    if (*end) {
        return -EINVAL;
    }
    *bytes = n * scale;
    return 0;
}
