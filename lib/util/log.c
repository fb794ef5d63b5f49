#include "log.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "clock.h"

static struct log_module *modules;
static FILE *log_file;
static pthread_mutex_t log_mutex = PTHREAD_MUTEX_INITIALIZER;

static const char *const level_names[] = { "off", "err", "warn", "info", "dbg" };

void
log_module_register(struct log_module *m)
{
    struct log_module **p = &modules;
    while (*p) {
        p = &(*p)->next;
    }
    *p = m;
}

static bool
ratelimit_allow(struct log_ratelimit *rl, unsigned int *suppressed)
{
    uint64_t now = clock_now_ms();
    if (!rl->window_start_ms || now - rl->window_start_ms >= rl->interval_s * 1000ull) {
        *suppressed = rl->suppressed;
        rl->window_start_ms = now ? now : 1;
        rl->in_window = 0;
        rl->suppressed = 0;
    }
    if (rl->in_window >= rl->burst) {
        rl->suppressed++;
        return false;
    }
    rl->in_window++;
    return true;
}

void
log_msg(struct log_module *m, enum log_level level, bool peer,
        struct log_ratelimit *rl, const char *fmt, ...)
{
    unsigned int suppressed = 0;
    pthread_mutex_lock(&log_mutex);
    if (rl && !ratelimit_allow(rl, &suppressed)) {
        pthread_mutex_unlock(&log_mutex);
        return;
    }
    FILE *out = log_file ? log_file : stderr;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    fprintf(out, "%s.%03ldZ|%s|%s|%s", stamp, ts.tv_nsec / 1000000, program_name(),
            m->name, level_names[level]);
    if (peer) {
        fputs("|peer", out);
    }
    fputs("| ", out);
    va_list args;
    va_start(args, fmt);
    vfprintf(out, fmt, args);
    va_end(args);
    if (suppressed) {
        fprintf(out, " (%u similar messages suppressed)", suppressed);
    }
    fputc('\n', out);
    fflush(out);
    pthread_mutex_unlock(&log_mutex);
}

int
log_set_level(const char *name, enum log_level level)
{
    bool all = !strcasecmp(name, "ALL");
    bool found = false;
    for (struct log_module *m = modules; m; m = m->next) {
        if (all || !strcmp(m->name, name)) {
            m->level = level;
            found = true;
        }
    }
    return found || all ? 0 : -ENOENT;
}

int
log_level_from_string(const char *s, enum log_level *level)
{
    for (size_t i = 0; i < ARRAY_SIZE(level_names); i++) {
        if (!strcasecmp(s, level_names[i])) {
            *level = i;
            return 0;
        }
    }
    if (!strcasecmp(s, "debug")) {
        *level = LOG_LEVEL_DBG;
        return 0;
    }
    if (!strcasecmp(s, "error")) {
        *level = LOG_LEVEL_ERR;
        return 0;
    }
    return -EINVAL;
}

const char *
log_level_to_string(enum log_level level)
{
    return (unsigned) level < ARRAY_SIZE(level_names) ? level_names[level] : "?";
}

int
log_set_file(const char *path)
{
    FILE *f = NULL;
    if (path) {
        f = fopen(path, "a");
        if (!f) {
            return -errno;
        }
    }
    pthread_mutex_lock(&log_mutex);
    if (log_file) {
        fclose(log_file);
    }
    log_file = f;
    pthread_mutex_unlock(&log_mutex);
    return 0;
}

void
log_for_each_module(void (*cb)(const struct log_module *, void *), void *aux)
{
    for (struct log_module *m = modules; m; m = m->next) {
        cb(m, aux);
    }
}
