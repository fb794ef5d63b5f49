/* nl-private — internals shared by nl-*.c (not for other folders). */
#ifndef PLURAL_LAB_NL_PRIVATE_H
#define PLURAL_LAB_NL_PRIVATE_H 1

#include <libmnl/libmnl.h>
#include <stdint.h>
#include "lab/nl-msg.h"

struct lab_nl {
    struct mnl_socket *sock;   /* Opened inside the target namespace. */
    uint32_t portid;
    uint32_t seq;
};

uint32_t lab_nl_next_seq(struct lab_nl *);

/* Sends NLH and reads answers until the ack (or the one answer of a
 * request without NLM_F_ACK), calling CB (may be NULL) on data messages. */
int lab_nl_transact(struct lab_nl *, struct nlmsghdr *nlh, mnl_cb_t cb, void *cb_data);

#endif
