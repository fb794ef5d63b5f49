/* cmd-slice — `plural slice ...`: manage a running plural-slicer through
 * its control socket.  `plural slice add ip tcp:127.0.0.1:6601
 * flowspace=dl_vlan=10 ports=1,2` sends "slice/add" with the remaining
 * words as arguments (see src/slicer/slicer-ctl.c). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "command.h"
#include "ctl-cli.h"
#include "ctl-reply.h"
#include "net/ctl-client.h"
#include "util/util.h"

#define SLICER_DEFAULT_CTL "/run/plural-slicer.ctl"

static const char *const commands[] = {
    "add", "del", "list", "show", "set", "set-controller", "stats",
    "flowspace-add", "flowspace-del", "switches", "vlan-map", "push-map",
    "map-status",
};

static void
usage(FILE *out)
{
    fprintf(out,
"usage: plural slice [--ctl PATH] [--switch-ctl PATH] [--json] [--timeout MS]\n"
"                    COMMAND [ARGS...]\n"
"\n"
"Talks to a running plural-slicer (started with --ctl PATH; default\n"
"$PLURAL_SLICER_CTL or " SLICER_DEFAULT_CTL ").\n"
"\n"
"  list                                slices, controllers, flows, flowspace\n"
"  show NAME                           definition, limits, switches, counters\n"
"  add NAME CONTROLLER [KEY=VALUE...]  a new slice (controller tcp:IP:PORT|unix:PATH)\n"
"  set NAME KEY=VALUE...               change a live slice\n"
"  del NAME                            remove a slice (its flows are deleted)\n"
"  set-controller NAME TARGET [--keep-flows[=S]]\n"
"                                      move the slice's control plane; flows stay\n"
"                                      (--keep-flows: the new controller's\n"
"                                      delete-all in its first S s, default 10,\n"
"                                      is held back)\n"
"  stats [NAME]                        per-slice counters\n"
"  flowspace-add NAME ENTRY            e.g. \"priority=100 perms=rw dl_vlan=10-19\"\n"
"  flowspace-del NAME INDEX\n"
"  switches                            switches connected to the slicer\n"
"  vlan-map                            VLAN -> slice map for the data plane\n"
"  push-map                            send that map to plural-switchd (--switch-ctl):\n"
"                                      its per-slice fair scheduler starts\n"
"  map-status                          the slicer's automatic pushes of that map\n"
"                                      (plural-slicer --switch-ctl): target,\n"
"                                      in sync or not, last result\n"
"With --switch-ctl PATH, stats also shows plural-switchd's per-slice data-plane\n"
"counters (packets, bytes, drops, CPU time share).\n"
"\n"
"KEYs: ports=all|1,2  flowspace=ENTRY (repeatable)  max-flows=N  rate=N (msgs/s)\n"
"      burst=N  max-buffers=N  weight=N  controller=TARGET  allow-emergency=yes|no\n"
"ENTRY: [dpid=any|N] [priority=P] [perms=r|rw|rwd] MATCH, MATCH in ovs-ofctl\n"
"      syntax plus VLAN ranges (dl_vlan=10-19), e.g. \"dl_vlan=10,ip,nw_dst=10.0.0.0/8\".\n"
"\n"
"Exit status: 0 success, 1 the slicer refused or is unreachable, 2 usage.\n");
}

/* The slicer's VLAN map -> plural-switchd's slice/map command. */
static int
push_map(const char *slicer_ctl, const char *switch_ctl, int timeout)
{
    if (!switch_ctl) {
        fprintf(stderr, "plural slice: push-map needs --switch-ctl PATH (plural-switchd's socket)\n");
        return EXIT_USAGE;
    }
    char *cmd[] = { (char *) "slice/vlan-map" };
    char *text = NULL;
    json_t *map = NULL;
    int r = ctl_client_transact(slicer_ctl, 1, cmd, true, &text, &map, timeout);
    if (r || !json_is_array(map)) {
        return cli_print_ctl_reply("plural slice", r ? r : 1, false, text, map);
    }
    free(text);
    size_t n = json_array_size(map);
    char **args = xcalloc(n + 1, sizeof *args);
    int n_args = 0;
    args[n_args++] = xstrdup("slice/map");
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(map, i);
        json_t *vlans = json_object_get(e, "vlans");
        if (!json_array_size(vlans)) {
            continue;       /* No VLAN: nothing for the data plane to map. */
        }
        char *s = xasprintf("%"JSON_INTEGER_FORMAT":%s:%"JSON_INTEGER_FORMAT":",
                            json_integer_value(json_object_get(e, "id")),
                            json_string_value(json_object_get(e, "slice")),
                            json_integer_value(json_object_get(e, "weight")));
        for (size_t k = 0; k < json_array_size(vlans); k++) {
            char *t = xasprintf("%s%s%"JSON_INTEGER_FORMAT, s, k ? "," : "",
                                json_integer_value(json_array_get(vlans, k)));
            free(s);
            s = t;
        }
        args[n_args++] = s;
    }
    json_decref(map);
    text = NULL;
    r = ctl_client_transact(switch_ctl, n_args, args, false, &text, NULL, timeout);
    for (int i = 0; i < n_args; i++) {
        free(args[i]);
    }
    free(args);
    if (!r) {
        printf("pushed %d slice(s) to %s\n", n_args - 1, switch_ctl);
    }
    return cli_print_ctl_reply("plural slice", r, false, text, NULL);
}

static int
run(int argc, char *argv[])
{
    struct ctl_cli_options o;
    int rc = ctl_cli_parse_options("slice", argc, argv, "PLURAL_SLICER_CTL",
                                   SLICER_DEFAULT_CTL, "switch-ctl", usage, &o);
    if (rc >= 0) {
        return rc;
    }
    const char *switch_ctl = o.extra;
    bool known = false;
    for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
        known |= !strcmp(argv[optind], commands[i]);
    }
    if (!known) {
        fprintf(stderr, "plural slice: unknown command \"%s\" (see plural slice --help)\n",
                argv[optind]);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[optind], "push-map")) {
        return push_map(o.path, switch_ctl, o.timeout_ms);
    }
    int n = argc - optind;
    char **args = xcalloc((size_t) n + 1, sizeof *args);
    args[0] = xasprintf("slice/%s", argv[optind]);
    for (int i = 1; i < n; i++) {
        args[i] = argv[optind + i];
    }
    int status = ctl_cli_call("plural slice", o.path, n, args, o.json, o.timeout_ms);
    free(args[0]);
    free(args);
    if (!status && switch_ctl && !strcmp(argv[optind], "stats")) {
        char *cmd[] = { (char *) "slice/stats" };
        if (!o.json) {
            printf("data plane (%s):\n", switch_ctl);
        }
        status = ctl_cli_call("plural slice", switch_ctl, 1, cmd, o.json, o.timeout_ms);
    }
    return status;
}

const struct command_group slice_command_group = {
    "slice", "manage a running plural-slicer's slices", run,
};
