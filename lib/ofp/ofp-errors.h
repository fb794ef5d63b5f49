/* ofp-errors — the OpenFlow 1.0 error type/code table and its names.
 *
 * A `struct ofp_error` is the (type, code) pair that an OFPT_ERROR message
 * carries.  Decoders (ofp_decode, ofp_actions_decode) fill one in when they
 * reject input, so the switch can answer with exactly the error the spec
 * assigns.  OFP_ERRORS is an X-macro over every defined pair:
 *     X(OFPET_type_suffix, code_name_suffix, type_value, code_value)
 * Names printed are the spec's, e.g. "OFPBRC_BAD_LEN", and for the type
 * "OFPET_BAD_REQUEST".  Pure functions; thread-safe. */
#ifndef PLURAL_OFP_ERRORS_H
#define PLURAL_OFP_ERRORS_H 1

#include <stdbool.h>
#include <stdint.h>
#include "ofp/ofp-wire.h"

struct ofp_error {
    uint16_t type;              /* OFPET_*. */
    uint16_t code;              /* OFPxxC_* for that type. */
};

#define OFP_ERROR(TYPE, CODE) ((struct ofp_error) { (TYPE), (CODE) })

#define OFP_ERRORS(X)                                                  \
    X(HELLO_FAILED, OFPHFC_INCOMPATIBLE)                               \
    X(HELLO_FAILED, OFPHFC_EPERM)                                      \
    X(BAD_REQUEST, OFPBRC_BAD_VERSION)                                 \
    X(BAD_REQUEST, OFPBRC_BAD_TYPE)                                    \
    X(BAD_REQUEST, OFPBRC_BAD_STAT)                                    \
    X(BAD_REQUEST, OFPBRC_BAD_VENDOR)                                  \
    X(BAD_REQUEST, OFPBRC_BAD_SUBTYPE)                                 \
    X(BAD_REQUEST, OFPBRC_EPERM)                                       \
    X(BAD_REQUEST, OFPBRC_BAD_LEN)                                     \
    X(BAD_REQUEST, OFPBRC_BUFFER_EMPTY)                                \
    X(BAD_REQUEST, OFPBRC_BUFFER_UNKNOWN)                              \
    X(BAD_ACTION, OFPBAC_BAD_TYPE)                                     \
    X(BAD_ACTION, OFPBAC_BAD_LEN)                                      \
    X(BAD_ACTION, OFPBAC_BAD_VENDOR)                                   \
    X(BAD_ACTION, OFPBAC_BAD_VENDOR_TYPE)                              \
    X(BAD_ACTION, OFPBAC_BAD_OUT_PORT)                                 \
    X(BAD_ACTION, OFPBAC_BAD_ARGUMENT)                                 \
    X(BAD_ACTION, OFPBAC_EPERM)                                        \
    X(BAD_ACTION, OFPBAC_TOO_MANY)                                     \
    X(BAD_ACTION, OFPBAC_BAD_QUEUE)                                    \
    X(FLOW_MOD_FAILED, OFPFMFC_ALL_TABLES_FULL)                        \
    X(FLOW_MOD_FAILED, OFPFMFC_OVERLAP)                                \
    X(FLOW_MOD_FAILED, OFPFMFC_EPERM)                                  \
    X(FLOW_MOD_FAILED, OFPFMFC_BAD_EMERG_TIMEOUT)                      \
    X(FLOW_MOD_FAILED, OFPFMFC_BAD_COMMAND)                            \
    X(FLOW_MOD_FAILED, OFPFMFC_UNSUPPORTED)                            \
    X(PORT_MOD_FAILED, OFPPMFC_BAD_PORT)                               \
    X(PORT_MOD_FAILED, OFPPMFC_BAD_HW_ADDR)                            \
    X(QUEUE_OP_FAILED, OFPQOFC_BAD_PORT)                               \
    X(QUEUE_OP_FAILED, OFPQOFC_BAD_QUEUE)                              \
    X(QUEUE_OP_FAILED, OFPQOFC_EPERM)

/* "OFPET_BAD_REQUEST", or NULL for an unknown type. */
const char *ofp_error_type_name(uint16_t type);
/* "OFPBRC_BAD_LEN", or NULL for an unknown (type, code). */
const char *ofp_error_code_name(uint16_t type, uint16_t code);
/* True if (type, code) is defined by OpenFlow 1.0. */
bool ofp_error_is_known(struct ofp_error);
/* Writes "OFPET_BAD_REQUEST/OFPBRC_BAD_LEN" (or numbers for unknown ones)
 * into buf of size n; returns buf. */
const char *ofp_error_format(struct ofp_error, char *buf, size_t n);
static inline bool
ofp_error_eq(struct ofp_error a, struct ofp_error b)
{
    return a.type == b.type && a.code == b.code;
}

#endif
