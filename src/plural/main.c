/* plural — the command-line front end: `plural GROUP COMMAND [ARGS]`. */
#include <stdio.h>
#include <string.h>
#include "command.h"
#include "plural-config.h"
#include "util/util.h"

static const struct command_group *const groups[] = {
    &switch_command_group,
    &bench_command_group,
    &ctl_command_group,
    &lab_command_group,
    &pki_command_group,
    &slice_command_group,
};

static void
usage(FILE *out)
{
    fprintf(out, "usage: plural GROUP COMMAND [OPTIONS]\n"
                 "       plural GROUP --help\n\n"
                 "plural %s: virtual networks over one shared, fair OpenFlow data plane.\n\n"
                 "Groups:\n", PLURAL_VERSION);
    for (size_t i = 0; i < ARRAY_SIZE(groups); i++) {
        fprintf(out, "  %-10s %s\n", groups[i]->name, groups[i]->summary);
    }
    fprintf(out, "\nExit status: 0 success, 1 failure, 2 usage error.\n");
}

int
main(int argc, char *argv[])
{
    util_set_program_name(argv[0]);
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        printf("plural %s\n", PLURAL_VERSION);
        return 0;
    }
    for (size_t i = 0; i < ARRAY_SIZE(groups); i++) {
        if (!strcmp(argv[1], groups[i]->name)) {
            return groups[i]->run(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "plural: unknown group '%s' (see plural --help)\n", argv[1]);
    return EXIT_USAGE;
}
