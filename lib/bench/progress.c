/* progress — a one-line progress display on stderr (see progress.h). */
#include "bench/progress.h"

#include <stdio.h>
#include <unistd.h>
#include "util/clock.h"

void
bench_progress_begin(struct bench_progress *p, enum bench_progress_mode mode,
                     const char *label, unsigned total)
{
    p->label = label;
    p->total = total;
    p->tty = isatty(STDERR_FILENO);
    p->enabled = mode == BENCH_PROGRESS_ON || (mode == BENCH_PROGRESS_AUTO && p->tty);
    p->drawn = false;
    p->start_ns = clock_now_ns();
}

void
bench_progress_update(struct bench_progress *p, unsigned done, const char *detail)
{
    if (!p->enabled) {
        return;
    }
    double elapsed = (clock_now_ns() - p->start_ns) / 1e9;
    char eta[32] = "";
    if (done && done < p->total) {
        snprintf(eta, sizeof eta, "  eta %.0f s", elapsed / done * (p->total - done));
    }
    fprintf(stderr, "%s%s: %u/%u%s%s%s%s", p->tty ? "\r\033[K" : "", p->label, done,
            p->total, detail ? "  " : "", detail ? detail : "", eta, p->tty ? "" : "\n");
    fflush(stderr);
    p->drawn = true;
}

void
bench_progress_end(struct bench_progress *p)
{
    if (p->enabled && p->tty && p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    p->drawn = false;
}
