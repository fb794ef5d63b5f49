/* plural-controller — runs one controller app (router, l2, cleanslate) for
 * any number of OpenFlow 1.0 switches.  Parses options; lib/ctl does the rest. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "apps.h"
#include "ctl/controller.h"
#include "net/daemon.h"
#include "net/event-loop.h"
#include "util/util.h"

static void
usage(FILE *out)
{
    fprintf(out,
"usage: plural-controller --app NAME [--config FILE] (--listen PSTREAM | --connect STREAM)...\n"
"                         [--ctl PATH] [options]\n"
"\n"
"Runs one controller app for any number of OpenFlow 1.0 switches.\n"
"\n"
"  --app NAME            the app: ");
    for (size_t i = 0; ctl_app_classes[i]; i++) {
        fprintf(out, "%s%s", i ? ", " : "", ctl_app_classes[i]->name);
    }
    fprintf(out, "\n"
"  --config FILE         the app's configuration (see docs/controller.md)\n"
"  --listen PSTREAM      accept switches on ptcp:PORT[:IP] or punix:PATH (repeatable)\n"
"  --connect STREAM      connect to a switch at tcp:IP:PORT or unix:PATH, reconnecting\n"
"                        with back-off (repeatable)\n"
"  --ctl PATH            control socket (mode 0600) for `plural ctl --ctl PATH ...`\n"
"  --probe-interval MS   echo keepalive after MS of silence (default 5000)\n"
"  --keep-flows          do not delete a switch's flows when it connects\n"
"  --cookie N            cookie of every flow installed (default 0x504c5552)\n"
"  --log-level [MODULE:]LEVEL   err, warn, info, dbg (repeatable)\n"
"  --log-file FILE       log there instead of stderr\n"
"  --private-key FILE, --certificate FILE, --ca-cert FILE\n"
"                        TLS (all three; e.g. from `plural pki`): then --listen\n"
"                        pssl:PORT[:IP] and --connect ssl:IP:PORT work, with mutual\n"
"                        certificate authentication\n"
"  --max-connections N   connections at once per --listen (default 1000,\n"
"                        0 = unlimited); more are closed at once\n"
"  --handshake-timeout S close an accepted connection that has not finished\n"
"                        TLS and the OpenFlow handshake within S seconds\n"
"                        (default 10, 0 = never)\n"
"  -h, --help            this help;  -V, --version\n"
"\n"
"Apps:\n");
    for (size_t i = 0; ctl_app_classes[i]; i++) {
        fprintf(out, "  %-12s %s\n", ctl_app_classes[i]->name, ctl_app_classes[i]->summary);
    }
    fprintf(out, "\nExit status: 0 stopped by a signal, 1 failure, 2 usage error.\n");
}

int
main(int argc, char *argv[])
{
    enum { OPT_PROBE = 256, OPT_KEEP, OPT_COOKIE };
    static const struct option long_options[] = {
        { "app", required_argument, NULL, 'a' },
        { "config", required_argument, NULL, 'c' },
        { "listen", required_argument, NULL, 'l' },
        { "connect", required_argument, NULL, 'C' },
        { "ctl", required_argument, NULL, 's' },
        { "probe-interval", required_argument, NULL, OPT_PROBE },
        { "keep-flows", no_argument, NULL, OPT_KEEP },
        { "cookie", required_argument, NULL, OPT_COOKIE },
        DAEMON_LONG_OPTIONS,
        { NULL, 0, NULL, 0 },
    };
    struct controller_options opts = { .cookie = 0x504c5552 };
    enum { MAX_STREAMS = 64 };
    const char *listen[MAX_STREAMS], *connect[MAX_STREAMS];
    const char *app_name = NULL;
    struct daemon_opts common = { .program = "plural-controller", .usage = usage };
    uint64_t v;
    int c, status;

    util_set_program_name(argv[0]);
    while ((c = getopt_long(argc, argv, "hV", long_options, NULL)) != -1) {
        switch (c) {
        case 'a': app_name = optarg; break;
        case 'c': opts.config = optarg; break;
        case 'l':
        case 'C':
            if (opts.n_listen + opts.n_connect >= MAX_STREAMS) {
                fprintf(stderr, "plural-controller: at most %d --listen/--connect\n", MAX_STREAMS);
                return 2;
            }
            if (c == 'l') {
                listen[opts.n_listen++] = optarg;
            } else {
                connect[opts.n_connect++] = optarg;
            }
            break;
        case 's': opts.ctl_path = optarg; break;
        case OPT_PROBE:
            if (str_to_u64(optarg, 100, 3600000, &v)) {
                fprintf(stderr, "plural-controller: bad --probe-interval \"%s\" (100-3600000 ms)\n", optarg);
                return 2;
            }
            opts.probe_interval_ms = (uint32_t) v;
            break;
        case OPT_KEEP: opts.keep_flows = true; break;
        case OPT_COOKIE:
            if (str_to_u64(optarg, 0, UINT64_MAX, &opts.cookie)) {
                fprintf(stderr, "plural-controller: bad --cookie \"%s\"\n", optarg);
                return 2;
            }
            break;
        default:
            status = daemon_opts_parse(&common, c, optarg);
            if (status != DAEMON_CONTINUE) {
                return status;
            }
            break;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "plural-controller: unexpected argument \"%s\" (see --help)\n", argv[optind]);
        return 2;
    }
    if (!app_name) {
        fprintf(stderr, "plural-controller: --app NAME is required (see --help)\n");
        return 2;
    }
    opts.app = ctl_app_class_find(app_name);
    if (!opts.app) {
        fprintf(stderr, "plural-controller: unknown app \"%s\" (see --help for the list)\n", app_name);
        return 2;
    }
    if (!opts.n_listen && !opts.n_connect) {
        fprintf(stderr, "plural-controller: give at least one --listen or --connect\n");
        return 2;
    }
    opts.listen = listen;
    opts.connect = connect;
    status = daemon_opts_finish(&common);
    if (status != DAEMON_CONTINUE) {
        return status;
    }

    struct loop *main_loop = loop_create();
    struct controller *ctl;
    char *err = NULL;
    int r = controller_create(main_loop, &opts, &ctl, &err);
    if (r) {
        fprintf(stderr, "plural-controller: %s\n", err ? err : strerror(-r));
        free(err);
        loop_destroy(main_loop);
        return 1;
    }
    daemon_stop_loop_on_signals(main_loop);
    uint16_t port = controller_listen_port(ctl);
    if (port) {
        fprintf(stderr, "plural-controller: app %s listening on TCP port %u\n", app_name, port);
    }
    daemon_run_loop(main_loop);
    controller_destroy(ctl);
    loop_destroy(main_loop);
    return 0;
}
