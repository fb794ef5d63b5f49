/* plural-slicer — shares OpenFlow 1.0 switches among slices, each with its
 * own controller and flowspace.  Parses options; slicer.c does the rest. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "net/event-loop.h"
#include "net/stream-ssl.h"
#include "plural-config.h"
#include "slicer.h"
#include "util/log.h"
#include "util/util.h"

static struct loop *main_loop;

static void
on_signal(int sig)
{
    (void) sig;
    loop_stop(main_loop);
}

static void
usage(FILE *out)
{
    fprintf(out,
"usage: plural-slicer --listen PSTREAM... [--config FILE] [--state FILE]\n"
"                     [--ctl PATH] [options]\n"
"\n"
"Switches connect to the slicer as their controller; the slicer connects to\n"
"each slice's controller and shows it the switch restricted to the slice's\n"
"ports and flowspace (see docs/slicer.md).\n"
"\n"
"  --listen PSTREAM      accept switches on ptcp:PORT[:IP], pssl:PORT[:IP] or\n"
"                        punix:PATH (repeatable)\n"
"  --config FILE         initial slices, JSON {\"slices\": [...]} (used when the\n"
"                        state file does not exist yet)\n"
"  --state FILE          slices saved after every change and reloaded at start\n"
"  --ctl PATH            control socket for `plural slice --ctl PATH ...`\n"
"  --switch-ctl [DPID=]PATH   plural-switchd's control socket: the slice map\n"
"                        (VLAN -> slice, weights) is pushed there at start-up,\n"
"                        after every change of the slices and when the switch\n"
"                        connects; with DPID= only that switch's entries\n"
"                        (repeatable: one per switch)\n"
"  --probe-interval MS   echo keepalive towards controllers (default 5000, 0 off)\n"
"  --log-level [MODULE:]LEVEL   err, warn, info, dbg (repeatable)\n"
"  --log-file FILE       log there instead of stderr\n"
"  --private-key FILE, --certificate FILE, --ca-cert FILE\n"
"                        TLS (all three; e.g. from `plural pki`): then --listen\n"
"                        pssl:PORT[:IP] and slice controllers ssl:IP:PORT work,\n"
"                        with mutual certificate authentication\n"
"  -h, --help            this help;  -V, --version\n"
"\n"
"Exit status: 0 stopped by a signal, 1 failure, 2 usage error.\n");
}

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
main(int argc, char *argv[])
{
    enum { OPT_PROBE = 256, OPT_LOG_LEVEL, OPT_LOG_FILE, OPT_STATE,
           OPT_TLS_KEY, OPT_TLS_CERT, OPT_TLS_CA, OPT_SWITCH_CTL };
    static const struct option long_options[] = {
        { "listen", required_argument, NULL, 'l' },
        { "config", required_argument, NULL, 'c' },
        { "state", required_argument, NULL, OPT_STATE },
        { "ctl", required_argument, NULL, 's' },
        { "switch-ctl", required_argument, NULL, OPT_SWITCH_CTL },
        { "probe-interval", required_argument, NULL, OPT_PROBE },
        { "log-level", required_argument, NULL, OPT_LOG_LEVEL },
        { "log-file", required_argument, NULL, OPT_LOG_FILE },
        { "private-key", required_argument, NULL, OPT_TLS_KEY },
        { "certificate", required_argument, NULL, OPT_TLS_CERT },
        { "ca-cert", required_argument, NULL, OPT_TLS_CA },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    struct slicer_options opts = { .probe_interval_ms = 5000 };
    const char **listen = xcalloc((size_t) argc, sizeof *listen);
    const char **switch_ctl = xcalloc((size_t) argc, sizeof *switch_ctl);
    const char *tls_key = NULL, *tls_cert = NULL, *tls_ca = NULL;
    uint64_t v;
    int c;

    util_set_program_name(argv[0]);
    while ((c = getopt_long(argc, argv, "hV", long_options, NULL)) != -1) {
        switch (c) {
        case 'l': listen[opts.n_listen++] = optarg; break;
        case 'c': opts.config = optarg; break;
        case OPT_STATE: opts.state = optarg; break;
        case 's': opts.ctl_path = optarg; break;
        case OPT_SWITCH_CTL: switch_ctl[opts.n_switch_ctl++] = optarg; break;
        case OPT_PROBE:
            if (str_to_u64(optarg, 0, 3600000, &v)) {
                fprintf(stderr, "plural-slicer: bad --probe-interval \"%s\" (0-3600000 ms)\n", optarg);
                free(listen);
                free(switch_ctl);
                return 2;
            }
            opts.probe_interval_ms = (uint32_t) v;
            break;
        case OPT_LOG_LEVEL:
            if (set_log_level(optarg)) {
                fprintf(stderr, "plural-slicer: bad --log-level \"%s\" ([MODULE:]err|warn|info|dbg)\n", optarg);
                free(listen);
                free(switch_ctl);
                return 2;
            }
            break;
        case OPT_LOG_FILE:
            if (log_set_file(optarg)) {
                fprintf(stderr, "plural-slicer: cannot open log file %s\n", optarg);
                free(listen);
                free(switch_ctl);
                return 1;
            }
            break;
        case OPT_TLS_KEY: tls_key = optarg; break;
        case OPT_TLS_CERT: tls_cert = optarg; break;
        case OPT_TLS_CA: tls_ca = optarg; break;
        case 'h': usage(stdout); free(listen); free(switch_ctl); return 0;
        case 'V': printf("plural-slicer %s\n", PLURAL_VERSION); free(listen); free(switch_ctl); return 0;
        default:
            fprintf(stderr, "plural-slicer: see --help\n");
            free(listen);
            free(switch_ctl);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "plural-slicer: unexpected argument \"%s\" (see --help)\n", argv[optind]);
        free(listen);
        free(switch_ctl);
        return 2;
    }
    if (!opts.n_listen) {
        fprintf(stderr, "plural-slicer: give at least one --listen PSTREAM\n");
        free(listen);
        free(switch_ctl);
        return 2;
    }
    opts.listen = listen;
    opts.switch_ctl = switch_ctl;
    if (tls_key || tls_cert || tls_ca) {
        char *tls_err = NULL;
        if (!tls_key || !tls_cert || !tls_ca) {
            fprintf(stderr, "plural-slicer: TLS needs all of --private-key, "
                            "--certificate and --ca-cert\n");
            free(listen);
            free(switch_ctl);
            return 2;
        }
        if (stream_ssl_configure(tls_key, tls_cert, tls_ca, &tls_err)) {
            fprintf(stderr, "plural-slicer: %s\n", tls_err);
            free(tls_err);
            free(listen);
            free(switch_ctl);
            return 1;
        }
    }

    main_loop = loop_create();
    struct slicer *slicer;
    char *err = NULL;
    int r = slicer_create(main_loop, &opts, &slicer, &err);
    if (r) {
        fprintf(stderr, "plural-slicer: %s\n", err ? err : strerror(-r));
        free(err);
        loop_destroy(main_loop);
        free(listen);
        free(switch_ctl);
        return 1;
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    signal(SIGPIPE, SIG_IGN);
    uint16_t port = slicer_listen_port(slicer);
    if (port) {
        fprintf(stderr, "plural-slicer: listening for switches on TCP port %u\n", port);
    }
    loop_run(main_loop);
    /* The loop is torn down next: a further SIGTERM/SIGINT ends the process
     * instead of running on_signal() on a freed loop (as in plural-controller). */
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    slicer_destroy(slicer);
    loop_destroy(main_loop);
    free(listen);
    free(switch_ctl);
    return 0;
}
