/* daemon — common options and signal handling of plural's daemons. */
#include "net/daemon.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include "net/event-loop.h"
#include "net/listener.h"
#include "net/stream-ssl.h"
#include "plural-config.h"
#include "util/log.h"
#include "util/util.h"

LOG_MODULE(daemon);

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
    case DAEMON_OPT_MAX_CONNS:
    case DAEMON_OPT_HANDSHAKE_TIMEOUT: {
        struct listener_config cfg;
        listener_get_defaults(&cfg);
        int r = c == DAEMON_OPT_MAX_CONNS
                ? listener_parse_max_conns(arg, &cfg.max_conns)
                : listener_parse_handshake_timeout(arg, &cfg.handshake_timeout_ms);
        if (r) {
            fprintf(stderr, "%s: bad --%s \"%s\" (%s)\n", d->program,
                    c == DAEMON_OPT_MAX_CONNS ? "max-connections"
                                              : "handshake-timeout", arg,
                    c == DAEMON_OPT_MAX_CONNS ? "0..1000000, 0 = unlimited"
                                              : "seconds, 0..3600, 0 = none");
            return 2;
        }
        listener_set_defaults(&cfg);
        return DAEMON_CONTINUE;
    }
    case 'h': d->usage(stdout); return 0;
    case 'V': printf("%s %s\n", d->program, PLURAL_VERSION); return 0;
    default:
        fprintf(stderr, "%s: see --help\n", d->program);
        return 2;
    }
}

void
daemon_raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl)) {
        return;
    }
    if (rl.rlim_cur >= rl.rlim_max) {
        LOG_DBG("open-files limit %llu (already the hard limit)",
                (unsigned long long) rl.rlim_cur);
        return;
    }
    rlim_t old = rl.rlim_cur;
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl)) {
        LOG_WARN("cannot raise the open-files limit from %llu to %llu: %s",
                 (unsigned long long) old, (unsigned long long) rl.rlim_max,
                 strerror(errno));
        return;
    }
    LOG_INFO("open-files limit raised from %llu to %llu (the hard limit)",
             (unsigned long long) old, (unsigned long long) rl.rlim_max);
}

int
daemon_opts_finish(const struct daemon_opts *d)
{
    daemon_raise_fd_limit();
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
