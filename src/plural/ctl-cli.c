/* ctl-cli — options and round trip of the control-socket CLI groups. */
#include "ctl-cli.h"

#include <getopt.h>
#include <stdlib.h>
#include "command.h"
#include "ctl-reply.h"
#include "net/ctl-client.h"
#include "util/util.h"

int
ctl_cli_parse_options(const char *group, int argc, char *argv[],
                      const char *env_var, const char *default_path,
                      const char *extra_option, void (*usage)(FILE *),
                      struct ctl_cli_options *o)
{
    static const struct option help_option = { "help", no_argument, NULL, 'h' };
    struct option opts[] = {
        { "ctl", required_argument, NULL, 'c' },
        { "json", no_argument, NULL, 'j' },
        { "timeout", required_argument, NULL, 't' },
        help_option,
        { NULL, 0, NULL, 0 },
        { NULL, 0, NULL, 0 },
    };
    uint64_t timeout = 10000;
    int c;

    if (extra_option) {
        opts[3] = (struct option) { extra_option, required_argument, NULL, 's' };
        opts[4] = help_option;
    }
    o->path = getenv(env_var);
    if (!o->path || !*o->path) {
        o->path = default_path;
    }
    o->json = false;
    o->extra = NULL;
    optind = 1;
    /* '+': stop at the first command word so its arguments pass through. */
    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (c) {
        case 'c': o->path = optarg; break;
        case 'j': o->json = true; break;
        case 's': o->extra = optarg; break;
        case 't':
            if (str_to_u64(optarg, 1, 3600000, &timeout)) {
                fprintf(stderr, "plural %s: bad --timeout \"%s\" (1-3600000 ms)\n",
                        group, optarg);
                return EXIT_USAGE;
            }
            break;
        case 'h': usage(stdout); return 0;
        default:
            fprintf(stderr, "plural %s: see plural %s --help\n", group, group);
            return EXIT_USAGE;
        }
    }
    o->timeout_ms = (int) timeout;
    if (optind >= argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    return -1;
}

int
ctl_cli_call(const char *prefix, const char *path, int argc, char **argv,
             bool json, int timeout_ms)
{
    char *text = NULL;
    json_t *reply = NULL;
    int r = ctl_client_transact(path, argc, argv, json, &text, json ? &reply : NULL,
                                timeout_ms);
    return cli_print_ctl_reply(prefix, r, json, text, reply);
}
