/* ctl-cli — the client side shared by the `plural` CLI groups that talk to
 * a daemon's control socket (cmd-ctl.c: plural-controller; cmd-slice.c:
 * plural-slicer): the options before the command word, and one
 * request/reply round trip printed with ctl-reply.h.
 *
 * Options (getopt_long, stopping at the first command word so its own
 * arguments pass through untouched):
 *   --ctl PATH     the daemon's socket; default $ENV_VAR if set and not
 *                  empty, else the group's compiled-in path
 *   --json         ask for JSON and print the JSON reply
 *   --timeout MS   1..3600000, default 10000
 *   --help         the group's usage on stdout, exit status 0
 * plus at most one string option of the group's own (slice: --switch-ctl).
 * Messages are one line, "plural GROUP: ...", on stderr; exit statuses as
 * in command.h (0, 1 failed, EXIT_USAGE).
 *
 * Not thread-safe: uses getopt's globals (CLI code, one command a process). */
#ifndef PLURAL_CTL_CLI_H
#define PLURAL_CTL_CLI_H 1

#include <stdbool.h>
#include <stdio.h>

struct ctl_cli_options {
    const char *path;           /* --ctl PATH, $ENV_VAR or the default. */
    bool json;                  /* --json. */
    int timeout_ms;             /* --timeout MS. */
    const char *extra;          /* The group's own option's value, or NULL. */
};

/* Parses the options of `plural GROUP` in argv (argv[0] == GROUP).
 * `extra_option` names the group's own string option (without "--"), or is
 * NULL.  Returns -1 when argv[optind] is the command word, else the exit
 * status to return: 0 after --help, EXIT_USAGE after a message for a bad
 * option (or `usage` on stderr when no command word follows). */
int ctl_cli_parse_options(const char *group, int argc, char *argv[],
                          const char *env_var, const char *default_path,
                          const char *extra_option, void (*usage)(FILE *),
                          struct ctl_cli_options *);

/* Sends command argv[0] with arguments argv[1..argc-1] to the socket at
 * `path` (waiting up to timeout_ms) and prints the reply or the error, as
 * cli_print_ctl_reply() does, after `prefix`.  Returns 0 or 1. */
int ctl_cli_call(const char *prefix, const char *path, int argc, char **argv,
                 bool json, int timeout_ms);

#endif
