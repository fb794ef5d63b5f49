/* ctl-reply — prints a daemon's control-socket reply for the `plural` CLI
 * groups that talk to one (ctl, slice).
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

#endif
