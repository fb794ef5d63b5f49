/* ctl-reply — prints a daemon's control-socket reply for the `plural` CLI
 * groups that talk to one (switch, ctl, slice).
 *
 * `r` is ctl_client_transact()'s result.  On success the JSON reply (when
 * `json`) or the text goes to stdout; on failure one line — the daemon's
 * error or why it is unreachable — goes to stderr after `prefix`.
 * Takes ownership of `text` and `reply`.  Returns the exit status: 0 or 1. */
#ifndef PLURAL_CTL_REPLY_H
#define PLURAL_CTL_REPLY_H 1

#include <jansson.h>
#include <stdbool.h>

int cli_print_ctl_reply(const char *prefix, int r, bool json, char *text, json_t *reply);

/* The success half alone: the JSON reply (when `json` and there is one) or
 * the text, newline-terminated, on stdout.  Borrows its arguments (for
 * `plural switch`, which reports failures in its own words). */
void cli_print_ctl_result(bool json, const char *text, json_t *reply);

#endif
