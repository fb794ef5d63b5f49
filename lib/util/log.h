/* log — per-module logging with runtime levels and rate limiting.
 *
 * Each .c file that logs declares its module once:
 *     LOG_MODULE(datapath);
 * and then logs with LOG_ERR/LOG_WARN/LOG_INFO/LOG_DBG(fmt, ...).
 *
 * Three classes of message are kept apart (after BIRD's L_REMOTE):
 *   - local conditions (LOG_ERR, LOG_WARN, ...): our environment failed us;
 *   - peer garbage (LOG_PEER(fmt, ...)): a remote party sent something
 *     malformed; logged at WARN with a "peer:" tag, always rate-limited;
 *   - our own bugs: not logged but fatal (BUG_ON, util_abort in util.h).
 *
 * Levels change at run time: log_set_level("datapath", LOG_LEVEL_DBG) or
 * log_set_level("ALL", ...).  Messages go to stderr (or a file given with
 * log_set_file()).  Rate-limited variants take a `struct log_ratelimit`
 * declared static at the call site: at most `burst` messages per `interval`
 * seconds, with a count of what was suppressed.
 *
 * Thread-safety: logging may be called from any thread; level changes are
 * racy-but-harmless reads of an int. */
#ifndef PLURAL_LOG_H
#define PLURAL_LOG_H 1

#include <stdbool.h>
#include <stdint.h>
#include "util.h"

enum log_level {
    LOG_LEVEL_OFF,
    LOG_LEVEL_ERR,
    LOG_LEVEL_WARN,
    LOG_LEVEL_INFO,
    LOG_LEVEL_DBG,
};

struct log_module {
    const char *name;
    int level;
    struct log_module *next;
};

struct log_ratelimit {
    unsigned int burst;         /* Messages allowed per interval. */
    unsigned int interval_s;
    uint64_t window_start_ms;
    unsigned int in_window;
    unsigned int suppressed;
};
#define LOG_RATELIMIT_INIT(BURST, INTERVAL_S) { (BURST), (INTERVAL_S), 0, 0, 0 }

void log_module_register(struct log_module *);

#define LOG_MODULE(NAME)                                                 \
    static struct log_module log_this_module = { #NAME, LOG_LEVEL_INFO, NULL }; \
    __attribute__((constructor)) static void log_register_##NAME(void)  \
    { log_module_register(&log_this_module); }

void log_msg(struct log_module *, enum log_level, bool peer,
             struct log_ratelimit *, const char *fmt, ...) PRINTF_FORMAT(5, 6);

#define LOG_AT(LEVEL, ...)                                               \
    do { if (log_this_module.level >= (LEVEL))                           \
            log_msg(&log_this_module, LEVEL, false, NULL, __VA_ARGS__); } while (0)
#define LOG_ERR(...)  LOG_AT(LOG_LEVEL_ERR, __VA_ARGS__)
#define LOG_WARN(...) LOG_AT(LOG_LEVEL_WARN, __VA_ARGS__)
#define LOG_INFO(...) LOG_AT(LOG_LEVEL_INFO, __VA_ARGS__)
#define LOG_DBG(...)  LOG_AT(LOG_LEVEL_DBG, __VA_ARGS__)

/* Rate-limited, at the given level. */
#define LOG_RL(RL, LEVEL, ...)                                           \
    do { if (log_this_module.level >= (LEVEL))                           \
            log_msg(&log_this_module, LEVEL, false, RL, __VA_ARGS__); } while (0)

/* A peer sent garbage: WARN, tagged, rate-limited per call site. */
#define LOG_PEER(...)                                                    \
    do { static struct log_ratelimit rl_ = LOG_RATELIMIT_INIT(5, 5);    \
         if (log_this_module.level >= LOG_LEVEL_WARN)                    \
            log_msg(&log_this_module, LOG_LEVEL_WARN, true, &rl_, __VA_ARGS__); } while (0)

/* Sets the level of module `name` ("ALL" for every module).
 * Returns 0, or -ENOENT for an unknown module. */
int log_set_level(const char *name, enum log_level);
/* Parses "err", "warn", "info", "dbg"/"debug", "off"; -EINVAL otherwise. */
int log_level_from_string(const char *, enum log_level *);
const char *log_level_to_string(enum log_level);
/* Redirects messages to `path` (appending); NULL means stderr. 0 or -errno. */
int log_set_file(const char *path);
/* Calls cb for each registered module, in registration order. */
void log_for_each_module(void (*cb)(const struct log_module *, void *aux), void *aux);

#endif
