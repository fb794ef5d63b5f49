/* daemon — common options and signal handling of plural's daemons. */
#include "net/daemon.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "net/event-loop.h"
#include "net/stream-ssl.h"
#include "plural-config.h"
#include "util/log.h"
#include "util/util.h"

/* Applies "--log-level [MODULE:]LEVEL".  0 or negative errno. */
static int
set_log_level(const char *arg)
{
    char *copy = xstrdup(arg);
    char *colon = strchr(copy, ':');
    const char *module = "ALL", *level = copy;
    if (colon) {
        *colon = 0;
        module = copy;
        level = colon + 1;
    }
    enum log_level l;
    int r = log_level_from_string(level, &l);
    if (!r) {
        r = log_set_level(module, l);
    }
    free(copy);
    return r;
}

int
daemon_opts_parse(struct daemon_opts *d, int c, const char *arg)
{
    switch (c) {
    case DAEMON_OPT_LOG_LEVEL:
        if (set_log_level(arg)) {
            fprintf(stderr, "%s: bad --log-level \"%s\" ([MODULE:]err|warn|info|dbg)\n",
                    d->program, arg);
            return 2;
        }
        return DAEMON_CONTINUE;
    case DAEMON_OPT_LOG_FILE:
        if (log_set_file(arg)) {
            fprintf(stderr, "%s: cannot open log file %s\n", d->program, arg);
            return 1;
        }
        return DAEMON_CONTINUE;
    case DAEMON_OPT_TLS_KEY: d->tls_key = arg; return DAEMON_CONTINUE;
    case DAEMON_OPT_TLS_CERT: d->tls_cert = arg; return DAEMON_CONTINUE;
    case DAEMON_OPT_TLS_CA: d->tls_ca = arg; return DAEMON_CONTINUE;
    case 'h': d->usage(stdout); return 0;
    case 'V': printf("%s %s\n", d->program, PLURAL_VERSION); return 0;
    default:
        fprintf(stderr, "%s: see --help\n", d->program);
        return 2;
    }
}

int
daemon_opts_finish(const struct daemon_opts *d)
{
    if (!d->tls_key && !d->tls_cert && !d->tls_ca) {
        return DAEMON_CONTINUE;
    }
    if (!d->tls_key || !d->tls_cert || !d->tls_ca) {
        fprintf(stderr, "%s: TLS needs all of --private-key, "
                        "--certificate and --ca-cert\n", d->program);
        return 2;
    }
    char *err = NULL;
    if (stream_ssl_configure(d->tls_key, d->tls_cert, d->tls_ca, &err)) {
        fprintf(stderr, "%s: %s\n", d->program, err);
        free(err);
        return 1;
    }
    return DAEMON_CONTINUE;
}

static struct loop *signal_loop;

static void
stop_signal_loop(int sig)
{
    (void) sig;
    loop_stop(signal_loop);
}

void
daemon_stop_loop_on_signals(struct loop *loop)
{
    signal_loop = loop;
    signal(SIGTERM, stop_signal_loop);
    signal(SIGINT, stop_signal_loop);
    signal(SIGPIPE, SIG_IGN);
}

void
daemon_run_loop(struct loop *loop)
{
    loop_run(loop);
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
}
