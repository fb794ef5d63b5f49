/* progress — a one-line progress display on stderr for long runs.
 *
 * "plural bench cpu: round 3/16 (warm-up 1) last 2.51 s  eta 32 s", redrawn
 * in place with \r.  TTY-aware: in AUTO mode it is drawn only when stderr is
 * a terminal, so pipes and log files stay clean; ON forces plain lines (one
 * per update, for logs), OFF is silent.  The line is cleared at the end.
 *
 * Not thread-safe: call from the thread that runs the benchmark. */
#ifndef PLURAL_BENCH_PROGRESS_H
#define PLURAL_BENCH_PROGRESS_H 1

#include <stdbool.h>
#include <stdint.h>

enum bench_progress_mode {
    BENCH_PROGRESS_AUTO,    /* Only when stderr is a terminal. */
    BENCH_PROGRESS_ON,      /* Always (plain lines when not a terminal). */
    BENCH_PROGRESS_OFF,
};

struct bench_progress {
    const char *label;
    unsigned total;
    bool enabled, tty, drawn;
    uint64_t start_ns;
};

void bench_progress_begin(struct bench_progress *, enum bench_progress_mode,
                          const char *label, unsigned total);
/* Reports that `done` of `total` steps are finished; `detail` may be NULL. */
void bench_progress_update(struct bench_progress *, unsigned done, const char *detail);
void bench_progress_end(struct bench_progress *);

#endif
