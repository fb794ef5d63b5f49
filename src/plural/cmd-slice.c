/* cmd-slice — `plural slice ...`: manage a running plural-slicer through
 * its control socket.  `plural slice add ip tcp:127.0.0.1:6601
 * flowspace=dl_vlan=10 ports=1,2` sends "slice/add" with the remaining
 * words as arguments (see src/slicer/slicer-ctl.c). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "command.h"
#include "net/ctl-client.h"
#include "util/util.h"

#define SLICER_DEFAULT_CTL "/run/plural-slicer.ctl"

static const char *const commands[] = {
    "add", "del", "list", "show", "set", "set-controller", "stats",
    "flowspace-add", "flowspace-del", "switches", "vlan-map",
};

static void
usage(FILE *out)
{
    fprintf(out,
"usage: plural slice [--ctl PATH] [--json] [--timeout MS] COMMAND [ARGS...]\n"
"\n"
"Talks to a running plural-slicer (started with --ctl PATH; default\n"
"$PLURAL_SLICER_CTL or " SLICER_DEFAULT_CTL ").\n"
"\n"
"  list                                slices, controllers, flows, flowspace\n"
"  show NAME                           definition, limits, switches, counters\n"
"  add NAME CONTROLLER [KEY=VALUE...]  a new slice (controller tcp:IP:PORT|unix:PATH)\n"
"  set NAME KEY=VALUE...               change a live slice\n"
"  del NAME                            remove a slice (its flows are deleted)\n"
"  set-controller NAME TARGET          move the slice's control plane; flows stay\n"
"  stats [NAME]                        per-slice counters\n"
"  flowspace-add NAME ENTRY            e.g. \"priority=100 perms=rw dl_vlan=10-19\"\n"
"  flowspace-del NAME INDEX\n"
"  switches                            switches connected to the slicer\n"
"  vlan-map                            VLAN -> slice map for the data plane\n"
"\n"
"KEYs: ports=all|1,2  flowspace=ENTRY (repeatable)  max-flows=N  rate=N (msgs/s)\n"
"      burst=N  max-buffers=N  weight=N  controller=TARGET\n"
"ENTRY: [dpid=any|N] [priority=P] [perms=r|rw|rwd] MATCH, MATCH in ovs-ofctl\n"
"      syntax plus VLAN ranges (dl_vlan=10-19), e.g. \"dl_vlan=10,ip,nw_dst=10.0.0.0/8\".\n"
"\n"
"Exit status: 0 success, 1 the slicer refused or is unreachable, 2 usage.\n");
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
    const char *path = getenv("PLURAL_SLICER_CTL");
    bool json = false;
    uint64_t timeout = 10000;
    int c;
    if (!path || !*path) {
        path = SLICER_DEFAULT_CTL;
    }
    optind = 1;
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (c) {
        case 'c': path = optarg; break;
        case 'j': json = true; break;
        case 't':
            if (str_to_u64(optarg, 1, 3600000, &timeout)) {
                fprintf(stderr, "plural slice: bad --timeout \"%s\" (1-3600000 ms)\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'h': usage(stdout); return 0;
        default:
            fprintf(stderr, "plural slice: see plural slice --help\n");
            return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    bool known = false;
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        known |= !strcmp(argv[optind], commands[i]);
    }
    if (!known) {
        fprintf(stderr, "plural slice: unknown command \"%s\" (see plural slice --help)\n",
                argv[optind]);
        return EXIT_USAGE;
    }
    int n = argc - optind;
    char **args = xcalloc((size_t) n + 1, sizeof *args);
    args[0] = xasprintf("slice/%s", argv[optind]);
    for (int i = 1; i < n; i++) {
        args[i] = argv[optind + i];
    }
    char *text = NULL;
    json_t *reply = NULL;
    int r = ctl_client_transact(path, n, args, json, &text, json ? &reply : NULL,
                                (int) timeout);
    free(args[0]);
    free(args);
    int status = 0;
    if (r == 0) {
        if (json && reply) {
            char *s = json_dumps(reply, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
            printf("%s\n", s ? s : "null");
            free(s);
        } else if (text && *text) {
            fputs(text, stdout);
            if (text[strlen(text) - 1] != '\n') {
                putchar('\n');
            }
        }
    } else {
        if (text) {
            char *nl = strchr(text, '\n');
            if (nl) {
                *nl = 0;
            }
        }
        fprintf(stderr, "plural slice: %s\n", text ? text : "no reply");
        status = 1;
    }
    free(text);
    json_decref(reply);
    return status;
}

const struct command_group slice_command_group = {
    "slice", "manage a running plural-slicer's slices", run,
};
