/* cmd-switch — `plural switch ...`.  Placeholder until its owner lands it. */
#include <stdio.h>
#include "command.h"

static int
run(int argc, char *argv[])
{
    (void) argc;
    fprintf(stderr, "plural: '%s' is not built yet\n", argv[0]);
    return 1;
}

const struct command_group switch_command_group = { "switch", "(not built yet)", run };
