/* command — the `plural` CLI's command groups (switch, bench, ...).
 *
 * Each group lives in its own file (cmd-switch.c, cmd-bench.c, ...) and
 * exports one `struct command_group`; main.c dispatches `plural GROUP ARGS`
 * to group->run(argc, argv) with argv[0] == GROUP.  A group prints its own
 * help for `plural GROUP --help` and returns the process exit code:
 *   0 success, 1 the operation failed, 2 wrong usage (bad arguments). */
#ifndef PLURAL_COMMAND_H
#define PLURAL_COMMAND_H 1

struct command_group {
    const char *name;
    const char *summary;    /* One line for `plural --help`. */
    int (*run)(int argc, char *argv[]);
};

extern const struct command_group switch_command_group;
extern const struct command_group bench_command_group;
extern const struct command_group ctl_command_group;
extern const struct command_group lab_command_group;
extern const struct command_group pki_command_group;
extern const struct command_group slice_command_group;

#define EXIT_USAGE 2

#endif
