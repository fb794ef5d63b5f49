/* cmd-ctl — `plural ctl ...`: show and change a running plural-controller's
 * app state through its control socket (lib/net ctl-client).  The command
 * words are passed through: `plural ctl route add 10.9.0.0/16 via 10.0.2.2`
 * sends command "route" with args ["add", ...]. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "command.h"
#include "ctl-reply.h"
#include "net/ctl-client.h"
#include "util/util.h"

#define CTL_DEFAULT_PATH "/run/plural-controller.ctl"

static void
usage(FILE *out)
{
    fprintf(out,
"usage: plural ctl [--ctl PATH] [--json] [--timeout MS] COMMAND [ARGS...]\n"
"\n"
"Talks to a running plural-controller (started with --ctl PATH; default\n"
"$PLURAL_CTL or " CTL_DEFAULT_PATH ").\n"
"\n"
"Commands of every app:\n"
"  show                      app, switches, per-switch counters\n"
"  dump                      the app's whole state (JSON)\n"
"  flows [DPID]              flows the app installed (router, cleanslate)\n"
"  snapshot                  state to carry to another controller (JSON)\n"
"  restore FILE              load a snapshot\n"
"  reconfigure [FILE]        re-read the config file\n"
"  list-commands, version, counters, log/list, log/set MODULE LEVEL\n"
"router:\n"
"  route [show]              the routing table\n"
"  route add PREFIX/LEN via NEXT-HOP [dev NAME]\n"
"  route del PREFIX/LEN\n"
"  arp [flush]               the ARP cache\n"
"  interfaces\n"
"l2:\n"
"  mac-table                 learned MACs per switch\n"
"\n"
"Exit status: 0 success, 1 the controller refused or is unreachable, 2 usage.\n");
}

static int
run(int argc, char *argv[])
{
    static const struct option opts[] = {
        { "ctl", required_argument, NULL, 'c' },
        { "json", no_argument, NULL, 'j' },
        { "timeout", required_argument, NULL, 't' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *path = getenv("PLURAL_CTL");
    bool json = false;
    uint64_t timeout = 10000;
    int c;
    if (!path || !*path) {
        path = CTL_DEFAULT_PATH;
    }
    optind = 1;
    /* '+': stop at the first command word so its arguments pass through. */
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (c) {
        case 'c': path = optarg; break;
        case 'j': json = true; break;
        case 't':
            if (str_to_u64(optarg, 1, 3600000, &timeout)) {
                fprintf(stderr, "plural ctl: bad --timeout \"%s\" (1-3600000 ms)\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'h': usage(stdout); return 0;
        default:
            fprintf(stderr, "plural ctl: see plural ctl --help\n");
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    char *text = NULL;
    json_t *reply = NULL;
    int r = ctl_client_transact(path, argc - optind, argv + optind, json, &text,
                                json ? &reply : NULL, (int) timeout);
    return cli_print_ctl_reply("plural ctl", r, json, text, reply);
}

const struct command_group ctl_command_group = {
    "ctl", "show and change a running plural-controller's state", run,
};
