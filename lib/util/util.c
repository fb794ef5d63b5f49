#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *prog = "plural";

static void *
check_alloc(void *p, size_t size)
{
    if (!p && size) {
        util_abort("out of memory allocating %zu bytes", size);
    }
    return p;
}

void *xmalloc(size_t size) { return check_alloc(malloc(size ? size : 1), size); }
void *xzalloc(size_t size) { return check_alloc(calloc(1, size ? size : 1), size); }
void *xcalloc(size_t n, size_t size) { return check_alloc(calloc(n ? n : 1, size ? size : 1), n * size); }
void *xrealloc(void *p, size_t size) { return check_alloc(realloc(p, size ? size : 1), size); }

void *
xmemdup(const void *p, size_t size)
{
    void *q = xmalloc(size);
    if (size) {
        memcpy(q, p, size);
    }
    return q;
}

char *xstrdup(const char *s) { return xmemdup(s, strlen(s) + 1); }

char *
xstrndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *q = xmalloc(len + 1);
    memcpy(q, s, len);
    q[len] = '\0';
    return q;
}

char *
xvasprintf(const char *fmt, va_list args)
{
    char *s;
    if (vasprintf(&s, fmt, args) < 0) {
        util_abort("out of memory formatting a string");
    }
    return s;
}

char *
xasprintf(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    char *s = xvasprintf(fmt, args);
    va_end(args);
    return s;
}

void
util_abort(const char *fmt, ...)
{
    va_list args;
    fprintf(stderr, "%s: ", prog);
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fputc('\n', stderr);
    abort();
}

int
str_to_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    if (!s || !*s || *s == '-' || isspace((unsigned char) *s)) {
        return -EINVAL;
    }
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (*end) {
        return -EINVAL;
    }
    if (errno == ERANGE || v < min || v > max) {
        return -ERANGE;
    }
    *out = v;
    return 0;
}

const char *program_name(void) { return prog; }

void
util_set_program_name(const char *argv0)
{
    const char *slash = strrchr(argv0, '/');
    prog = slash ? slash + 1 : argv0;
}

char *
hex_encode(const void *data, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    const uint8_t *p = data;
    char *s = xmalloc(len * 2 + 1);
    for (size_t i = 0; i < len; i++) {
        s[2 * i] = digits[p[i] >> 4];
        s[2 * i + 1] = digits[p[i] & 15];
    }
    s[len * 2] = '\0';
    return s;
}

static int
hex_digit(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int
hex_decode(const char *hex, uint8_t **out)
{
    size_t n = 0, cap = strlen(hex) / 2 + 1;
    uint8_t *buf = xmalloc(cap);
    int hi = -1;
    for (const char *p = hex; *p; p++) {
        if (isspace((unsigned char) *p)) {
            continue;
        }
        int d = hex_digit(*p);
        if (d < 0) {
            free(buf);
            return -EINVAL;
        }
        if (hi < 0) {
            hi = d;
        } else {
            buf[n++] = (uint8_t) (hi << 4 | d);
            hi = -1;
        }
    }
    if (hi >= 0) {
        free(buf);
        return -EINVAL;
    }
    *out = buf;
    return (int) n;
}
