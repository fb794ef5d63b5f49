/* util — small helpers every module of plural may use.
 *
 * Conventions written once for the whole tree:
 *   - Errors: a function that can fail returns 0 on success or a negative
 *     errno value (-EINVAL, -ENOMEM is never returned: see below).  Each public
 *     function's comment lists the errors it can return.
 *   - Memory: allocation failure is not an error but a fatal condition.  The
 *     x*() family aborts on failure, so callers never check for NULL.
 *   - Destroy functions accept NULL.
 *   - Wire structures get a BUILD_ASSERT on their size.
 * This header depends on nothing else in the tree. */
#ifndef PLURAL_UTIL_H
#define PLURAL_UTIL_H 1

#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ARRAY_SIZE(a) (sizeof (a) / sizeof (a)[0])
#define BUILD_ASSERT(expr, msg) static_assert(expr, msg)
#define BUILD_ASSERT_SIZE(type, size) \
    static_assert(sizeof(type) == (size), #type " must be " #size " bytes")
#define CONTAINER_OF(ptr, type, member) \
    ((type *) (void *) ((char *) (ptr) - offsetof(type, member)))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define DIV_ROUND_UP(x, y) (((x) + (y) - 1) / (y))
#define ROUND_UP(x, y) (DIV_ROUND_UP(x, y) * (y))
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define PRINTF_FORMAT(f, a) __attribute__((format(printf, f, a)))
#define NO_RETURN __attribute__((noreturn))
#define UNUSED __attribute__((unused))

/* Allocation: never returns NULL; aborts with a message on exhaustion. */
void *xmalloc(size_t size);
void *xzalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
void *xmemdup(const void *p, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) PRINTF_FORMAT(1, 2);
char *xvasprintf(const char *fmt, va_list args) PRINTF_FORMAT(1, 0);

/* Ends the program for a bug or an impossible state: prints and aborts. */
NO_RETURN void util_abort(const char *fmt, ...) PRINTF_FORMAT(1, 2);
#define BUG_ON(cond) \
    do { if (UNLIKELY(cond)) util_abort("%s:%d: BUG: %s", __FILE__, __LINE__, #cond); } while (0)

/* Parses a decimal or 0x-hex unsigned integer in [min, max].
 * Returns 0, or -EINVAL (not a number, trailing junk), -ERANGE. */
int str_to_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* Returns the program name set by util_set_program_name() (for messages). */
const char *program_name(void);
void util_set_program_name(const char *argv0);

/* Formats len bytes as lowercase hex into a new string. */
char *hex_encode(const void *data, size_t len);
/* Decodes hex (spaces and newlines ignored) into a new buffer; returns the
 * byte count or -EINVAL. */
int hex_decode(const char *hex, uint8_t **out);

#endif
