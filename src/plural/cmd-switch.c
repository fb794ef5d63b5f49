/* cmd-switch — `plural switch ...`: talks to plural-switchd over its control
 * socket (lib/net/ctl-client.h) and prints the reply. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "command.h"
#include "ctl-reply.h"
#include "net/ctl-client.h"
#include "util/util.h"

#define DEFAULT_CTL "/run/plural/switchd.ctl"

static void
usage(FILE *out)
{
    fprintf(out,
"usage: plural switch [--ctl PATH] [--json] COMMAND [ARGS]\n"
"Controls a running plural-switchd through its control socket.\n\n"
"Commands:\n"
"  show                      dpid, ports (number, name, link, MAC), controllers,\n"
"                            fail mode, flow count, counters\n"
"  dump-flows                flows in ovs-ofctl style\n"
"  dump-ports                per-port packet/byte/drop/error counters\n"
"  add-flow FLOW             add a flow, ovs-ofctl syntax, e.g.\n"
"                            'priority=10,in_port=1,actions=output:2'\n"
"  del-flows [MATCH]         delete the flows MATCH covers (all without MATCH)\n"
"  inject PORT HEXFRAME      receive a frame on a dummy port\n"
"  pop-sent PORT             print (and forget) the frames a dummy port sent\n"
"  set-link PORT up|down     change a dummy port's link (port/set-link)\n"
"  add-port [N=]SPEC         add a port (IFNAME, tap:NAME, dummy:NAME)\n"
"  del-port PORT             remove a port\n"
"  log-level MODULE LEVEL    set a log level (MODULE or ALL; err warn info dbg off)\n"
"  counters                  the daemon's named counters\n"
"  clock stop|warp MS|resume freeze, advance or resume the daemon's clock (tests)\n\n"
"Options:\n"
"  --ctl PATH   control socket (default %s)\n"
"  --json       JSON output (show, dump-flows, dump-ports, pop-sent, counters)\n\n"
"Exit status: 0 success, 1 the daemon refused or is unreachable, 2 bad usage.\n",
            DEFAULT_CTL);
}

struct cmd {
    const char *name;       /* What the user types. */
    const char *server;     /* The control-socket command. */
    int min_args, max_args;
    const char *args;       /* For the usage error. */
};

static const struct cmd cmds[] = {
    { "show", "show", 0, 0, "" },
    { "dump-flows", "dump-flows", 0, 0, "" },
    { "dump-ports", "dump-ports", 0, 0, "" },
    { "add-flow", "add-flow", 1, 1, "FLOW" },
    { "del-flows", "del-flows", 0, 1, "[MATCH]" },
    { "inject", "inject", 2, 2, "PORT HEXFRAME" },
    { "pop-sent", "pop-sent", 1, 1, "PORT" },
    { "set-link", "port/set-link", 2, 2, "PORT up|down" },
    { "port/set-link", "port/set-link", 2, 2, "PORT up|down" },
    { "add-port", "add-port", 1, 1, "[N=]SPEC" },
    { "del-port", "del-port", 1, 1, "PORT" },
    { "log-level", "log/set", 2, 2, "MODULE LEVEL" },
    { "counters", "counters", 0, 0, "" },
};

static int
usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "plural switch: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (see plural switch --help)\n");
    return EXIT_USAGE;
}

static int
transact(const char *ctl, int argc, char **argv, bool json)
{
    char *text = NULL;
    json_t *reply = NULL;
    int rc = ctl_client_transact(ctl, argc, argv, json, &text, &reply, 0);
    if (rc == 0) {
        cli_print_ctl_result(json, text, reply);
    } else {
        fprintf(stderr, "plural switch %s: %s\n", argv[0],
                text && *text ? text : "failed");
    }
    free(text);
    json_decref(reply);
    return rc == 0 ? 0 : 1;
}

static int
run(int argc, char *argv[])
{
    const char *ctl = getenv("PLURAL_SWITCHD_CTL");
    bool json = false;
    int i = 1;

    if (!ctl) {
        ctl = DEFAULT_CTL;
    }
    for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
        if (!strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--json")) {
            json = true;
        } else if (!strcmp(argv[i], "--ctl")) {
            if (++i >= argc) {
                return usage_error("%s needs a path", "--ctl");
            }
            ctl = argv[i];
        } else if (!strncmp(argv[i], "--ctl=", 6)) {
            ctl = argv[i] + 6;
        } else {
            return usage_error("unknown option '%s'", argv[i]);
        }
    }
    if (i >= argc) {
        return usage_error("%s", "missing COMMAND");
    }
    const char *name = argv[i];
    char **args = argv + i + 1;
    int n_args = argc - i - 1;
    /* --json may also follow the command. */
    for (int k = 0; k < n_args; k++) {
        if (!strcmp(args[k], "--json")) {
            json = true;
            memmove(&args[k], &args[k + 1], (n_args - k - 1) * sizeof *args);
            n_args--;
            k--;
        }
    }

    if (!strcmp(name, "clock")) {
        if (n_args == 1 && (!strcmp(args[0], "stop") || !strcmp(args[0], "resume"))) {
            char *cmd = xasprintf("clock/%s", args[0]);
            char *v[] = { cmd };
            int rc = transact(ctl, 1, v, false);
            free(cmd);
            return rc;
        }
        if (n_args == 2 && !strcmp(args[0], "warp")) {
            uint64_t ms;
            if (str_to_u64(args[1], 0, UINT32_MAX, &ms)) {
                return usage_error("clock warp: '%s' is not a number of milliseconds", args[1]);
            }
            char *v[] = { (char *) "clock/warp", args[1] };
            return transact(ctl, 2, v, false);
        }
        return usage_error("%s", "usage: clock stop | clock warp MS | clock resume");
    }
    for (size_t k = 0; k < ARRAY_SIZE(cmds); k++) {
        const struct cmd *c = &cmds[k];
        if (strcmp(name, c->name)) {
            continue;
        }
        if (!strcmp(name, "add-flow") && n_args > 1) {
            /* A flow split over several words: join them. */
            size_t len = 0;
            for (int a = 0; a < n_args; a++) {
                len += strlen(args[a]) + 1;
            }
            char *flow = xmalloc(len);
            flow[0] = '\0';
            for (int a = 0; a < n_args; a++) {
                strcat(flow, args[a]);
                if (a + 1 < n_args) {
                    strcat(flow, " ");
                }
            }
            char *v[] = { (char *) c->server, flow };
            int rc = transact(ctl, 2, v, json);
            free(flow);
            return rc;
        }
        if (n_args < c->min_args || n_args > c->max_args) {
            fprintf(stderr, "plural switch: usage: %s %s\n", c->name, c->args);
            return EXIT_USAGE;
        }
        char **v = xcalloc(n_args + 1, sizeof *v);
        v[0] = (char *) c->server;
        for (int a = 0; a < n_args; a++) {
            v[a + 1] = args[a];
        }
        int rc = transact(ctl, n_args + 1, v, json);
        free(v);
        return rc;
    }
    return usage_error("unknown command '%s'", name);
}

const struct command_group switch_command_group = {
    "switch", "control a running plural-switchd (show, flows, ports, inject)", run
};
