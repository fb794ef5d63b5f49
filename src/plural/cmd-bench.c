/* cmd-bench — `plural bench ...`.  Placeholder until its owner lands it. */
#include <stdio.h>
#include "command.h"

static int
run(int argc, char *argv[])
{
    (void) argc;
    fprintf(stderr, "plural: '%s' is not built yet\n", argv[0]);
    return 1;
}

const struct command_group bench_command_group = { "bench", "(not built yet)", run };
