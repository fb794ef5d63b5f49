/* ofp-errors — names of OpenFlow 1.0 error types and codes. */
#include "ofp/ofp-errors.h"

#include <stdio.h>

struct ofp_error_entry {
    uint16_t type;
    uint16_t code;
    const char *name;
};

static const struct ofp_error_entry ofp_error_table[] = {
#define OFP_ERROR_ENTRY(TYPE, CODE) { OFPET_##TYPE, CODE, #CODE },
    OFP_ERRORS(OFP_ERROR_ENTRY)
#undef OFP_ERROR_ENTRY
};

const char *
ofp_error_type_name(uint16_t type)
{
    switch (type) {
    case OFPET_HELLO_FAILED: return "OFPET_HELLO_FAILED";
    case OFPET_BAD_REQUEST: return "OFPET_BAD_REQUEST";
    case OFPET_BAD_ACTION: return "OFPET_BAD_ACTION";
    case OFPET_FLOW_MOD_FAILED: return "OFPET_FLOW_MOD_FAILED";
    case OFPET_PORT_MOD_FAILED: return "OFPET_PORT_MOD_FAILED";
    case OFPET_QUEUE_OP_FAILED: return "OFPET_QUEUE_OP_FAILED";
    default: return NULL;
    }
}

const char *
ofp_error_code_name(uint16_t type, uint16_t code)
{
    for (size_t i = 0; i < ARRAY_SIZE(ofp_error_table); i++) {
        if (ofp_error_table[i].type == type && ofp_error_table[i].code == code) {
            return ofp_error_table[i].name;
        }
    }
    return NULL;
}

bool
ofp_error_is_known(struct ofp_error err)
{
    return ofp_error_code_name(err.type, err.code) != NULL;
}

const char *
ofp_error_format(struct ofp_error err, char *buf, size_t n)
{
    const char *type = ofp_error_type_name(err.type);
    const char *code = ofp_error_code_name(err.type, err.code);

    if (type && code) {
        snprintf(buf, n, "%s/%s", type, code);
    } else if (type) {
        snprintf(buf, n, "%s/code=%u", type, err.code);
    } else {
        snprintf(buf, n, "type=%u/code=%u", err.type, err.code);
    }
    return buf;
}
