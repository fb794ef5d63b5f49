/* plot — gnuplot bar charts with CI error bars (see plot.h). */
#include "bench/plot.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "util/util.h"

/* gnuplot strings in double quotes: escape backslash and quote. */
static void
quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') {
            fputc('\\', f);
        }
        fputc(*s == '\n' ? ' ' : *s, f);
    }
    fputc('"', f);
}

void
bench_plot_script(FILE *f, const struct bench_bar_chart *c, const char *png_path)
{
    fprintf(f, "set terminal pngcairo size 900,560 noenhanced font \"sans,10\"\n"
               "set output ");
    quoted(f, png_path);
    fprintf(f, "\nset title ");
    quoted(f, c->title);
    fprintf(f, "\nset ylabel ");
    quoted(f, c->ylabel);
    fprintf(f, "\nset style data histograms\n"
               "set style histogram errorbars gap 1 lw 1.5\n"
               "set style fill solid 0.75 border -1\n"
               "set boxwidth 0.9\n"
               "set yrange [0:*]\n"
               "set grid ytics\n"
               "set key outside right top\n"
               "set bars 2\n"
               "$data << EOD\n");
    for (size_t g = 0; g < c->n_groups; g++) {
        quoted(f, c->group_names[g]);
        for (size_t b = 0; b < c->n_bars; b++) {
            double m = c->mean[g * c->n_bars + b], e = c->ci_half[g * c->n_bars + b];
            fprintf(f, " %.10g %.10g", m, isfinite(e) ? e : 0.0);
        }
        fputc('\n', f);
    }
    fprintf(f, "EOD\nplot ");
    for (size_t b = 0; b < c->n_bars; b++) {
        fprintf(f, "%s$data using %zu:%zu%s title ", b ? ", \\\n     " : "",
                2 + 2 * b, 3 + 2 * b, b ? "" : ":xtic(1)");
        quoted(f, c->bar_names[b]);
    }
    fputc('\n', f);
}

int
bench_plot_png(const struct bench_bar_chart *c, const char *png_path)
{
    int pipefd[2];
    if (pipe(pipefd)) {
        return -errno;
    }
    pid_t pid = fork();
    if (pid < 0) {
        int err = errno;
        close(pipefd[0]);
        close(pipefd[1]);
        return -err;
    }
    if (pid == 0) {
        dup2(pipefd[0], STDIN_FILENO);
        close(pipefd[0]);
        close(pipefd[1]);
        execlp("gnuplot", "gnuplot", (char *) NULL);
        _exit(127);
    }
    close(pipefd[0]);
    FILE *f = fdopen(pipefd[1], "w");
    bench_plot_script(f, c, png_path);
    fclose(f);
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return -errno;
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        return -ENOENT;
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}
