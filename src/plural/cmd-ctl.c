/* cmd-ctl — `plural ctl ...`: show and change a running plural-controller's
 * app state through its control socket (lib/net ctl-client).  The command
 * words are passed through: `plural ctl route add 10.9.0.0/16 via 10.0.2.2`
 * sends command "route" with args ["add", ...]. */
#include <getopt.h>
#include <stdio.h>
#include "command.h"
#include "ctl-cli.h"

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
    struct ctl_cli_options o;
    int rc = ctl_cli_parse_options("ctl", argc, argv, "PLURAL_CTL", CTL_DEFAULT_PATH,
                                   NULL, usage, &o);
    if (rc >= 0) {
        return rc;
    }
    return ctl_cli_call("plural ctl", o.path, argc - optind, argv + optind, o.json,
                        o.timeout_ms);
}

const struct command_group ctl_command_group = {
    "ctl", "show and change a running plural-controller's state", run,
};
