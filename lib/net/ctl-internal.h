/* ctl-internal — shared between ctl-server.c and ctl-builtins.c only. */
#ifndef PLURAL_NET_CTL_INTERNAL_H
#define PLURAL_NET_CTL_INTERNAL_H 1

#include "net/ctl-server.h"

/* Registers list-commands, version, log/..., counters, clock/... */
void ctl_register_builtins(struct ctl_server *);
/* The list-commands handler; aux is the server. */
void ctl_server_list_commands(struct ctl_conn *, int argc, const char *argv[],
                              void *server);

#endif
