/* plural-slicer — shares OpenFlow 1.0 switches among slices, each with its
 * own controller and flowspace.  Parses options; slicer.c does the rest. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "net/daemon.h"
#include "net/event-loop.h"
#include "slicer.h"
#include "util/util.h"

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
"  --max-switches N      switch connections per --listen stream, handshaking or\n"
"                        not (default 512); more are closed at once\n"
"  --switch-identity     a switch on pssl: must present a certificate naming no\n"
"                        slice (a slice controller's cannot pose as a switch)\n"
"  --log-level [MODULE:]LEVEL   err, warn, info, dbg (repeatable)\n"
"  --log-file FILE       log there instead of stderr\n"
"  --private-key FILE, --certificate FILE, --ca-cert FILE\n"
"                        TLS (all three; e.g. from `plural pki`): then --listen\n"
"                        pssl:PORT[:IP] and slice controllers ssl:IP:PORT work,\n"
"                        with mutual certificate authentication\n"
"  --max-connections N   connections at once per --listen (default 1000,\n"
"                        0 = unlimited); more are closed at once\n"
"  --handshake-timeout S close an accepted connection that has not finished\n"
"                        TLS and the OpenFlow handshake within S seconds\n"
"                        (default 10, 0 = never)\n"
"  -h, --help            this help;  -V, --version\n"
"\n"
"Exit status: 0 stopped by a signal, 1 failure, 2 usage error.\n");
}

/* Parses the options into 'listen' and 'switch_ctl' (each with room for
 * every argument) and runs the slicer.  Returns the exit status. */
static int
parse_and_run(int argc, char *argv[], const char **listen, const char **switch_ctl)
{
    enum { OPT_PROBE = 256, OPT_STATE, OPT_SWITCH_CTL, OPT_MAX_SWITCHES, OPT_SWITCH_IDENTITY };
    static const struct option long_options[] = {
        { "listen", required_argument, NULL, 'l' },
        { "config", required_argument, NULL, 'c' },
        { "state", required_argument, NULL, OPT_STATE },
        { "ctl", required_argument, NULL, 's' },
        { "switch-ctl", required_argument, NULL, OPT_SWITCH_CTL },
        { "probe-interval", required_argument, NULL, OPT_PROBE },
        { "max-switches", required_argument, NULL, OPT_MAX_SWITCHES },
        { "switch-identity", no_argument, NULL, OPT_SWITCH_IDENTITY },
        DAEMON_LONG_OPTIONS,
        { NULL, 0, NULL, 0 },
    };
    struct slicer_options opts = { .probe_interval_ms = 5000 };
    struct daemon_opts common = { .program = "plural-slicer", .usage = usage };
    uint64_t v;
    int c, status;

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
                return 2;
            }
            opts.probe_interval_ms = (uint32_t) v;
            break;
        case OPT_SWITCH_IDENTITY: opts.switch_identity = true; break;
        case OPT_MAX_SWITCHES:
            if (str_to_u64(optarg, 1, 1000000, &v)) {
                fprintf(stderr, "plural-slicer: bad --max-switches \"%s\" (1-1000000)\n", optarg);
                return 2;
            }
            opts.max_switches = (uint32_t) v;
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
        fprintf(stderr, "plural-slicer: unexpected argument \"%s\" (see --help)\n", argv[optind]);
        return 2;
    }
    if (!opts.n_listen) {
        fprintf(stderr, "plural-slicer: give at least one --listen PSTREAM\n");
        return 2;
    }
    opts.listen = listen;
    opts.switch_ctl = switch_ctl;
    status = daemon_opts_finish(&common);
    if (status != DAEMON_CONTINUE) {
        return status;
    }

    struct loop *main_loop = loop_create();
    struct slicer *slicer;
    char *err = NULL;
    int r = slicer_create(main_loop, &opts, &slicer, &err);
    if (r) {
        fprintf(stderr, "plural-slicer: %s\n", err ? err : strerror(-r));
        free(err);
        loop_destroy(main_loop);
        return 1;
    }
    daemon_stop_loop_on_signals(main_loop);
    uint16_t port = slicer_listen_port(slicer);
    if (port) {
        fprintf(stderr, "plural-slicer: listening for switches on TCP port %u\n", port);
    }
    daemon_run_loop(main_loop);
    slicer_destroy(slicer);
    loop_destroy(main_loop);
    return 0;
}

int
main(int argc, char *argv[])
{
    const char **listen = xcalloc((size_t) argc, sizeof *listen);
    const char **switch_ctl = xcalloc((size_t) argc, sizeof *switch_ctl);

    util_set_program_name(argv[0]);
    int status = parse_and_run(argc, argv, listen, switch_ctl);
    free(listen);
    free(switch_ctl);
    return status;
}
