/* ofp-actions — OpenFlow 1.0 action lists: wire <-> host, validation. */
#include "ofp/ofp-actions.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "util/buf.h"
#include "util/util.h"

static const struct ofp_action_ctx default_ctx = { 0, false, NULL, NULL };

const char *
ofp_action_type_name(uint16_t type)
{
    switch (type) {
    case OFPAT_OUTPUT: return "OFPAT_OUTPUT";
    case OFPAT_SET_VLAN_VID: return "OFPAT_SET_VLAN_VID";
    case OFPAT_SET_VLAN_PCP: return "OFPAT_SET_VLAN_PCP";
    case OFPAT_STRIP_VLAN: return "OFPAT_STRIP_VLAN";
    case OFPAT_SET_DL_SRC: return "OFPAT_SET_DL_SRC";
    case OFPAT_SET_DL_DST: return "OFPAT_SET_DL_DST";
    case OFPAT_SET_NW_SRC: return "OFPAT_SET_NW_SRC";
    case OFPAT_SET_NW_DST: return "OFPAT_SET_NW_DST";
    case OFPAT_SET_NW_TOS: return "OFPAT_SET_NW_TOS";
    case OFPAT_SET_TP_SRC: return "OFPAT_SET_TP_SRC";
    case OFPAT_SET_TP_DST: return "OFPAT_SET_TP_DST";
    case OFPAT_ENQUEUE: return "OFPAT_ENQUEUE";
    case OFPAT_VENDOR: return "OFPAT_VENDOR";
    default: return NULL;
    }
}

/* Wire length the type requires, or 0 for an unknown type. */
static size_t
action_type_len(uint16_t type)
{
    switch (type) {
    case OFPAT_SET_DL_SRC:
    case OFPAT_SET_DL_DST:
    case OFPAT_ENQUEUE:
        return 16;
    case OFPAT_OUTPUT:
    case OFPAT_SET_VLAN_VID:
    case OFPAT_SET_VLAN_PCP:
    case OFPAT_STRIP_VLAN:
    case OFPAT_SET_NW_SRC:
    case OFPAT_SET_NW_DST:
    case OFPAT_SET_NW_TOS:
    case OFPAT_SET_TP_SRC:
    case OFPAT_SET_TP_DST:
        return 8;
    default:
        return 0;
    }
}

size_t
ofp_action_wire_len(const struct ofp_action *a)
{
    size_t len = action_type_len(a->type);
    return len ? len : 8;
}

size_t
ofp_actions_wire_len(const struct ofp_action *a, size_t n)
{
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        len += ofp_action_wire_len(&a[i]);
    }
    return len;
}

static bool
check_output_port(uint16_t port, const struct ofp_action_ctx *ctx)
{
    uint16_t max_ports = ctx->max_ports ? ctx->max_ports : OFPP_MAX;

    if (port < max_ports) {
        return true;
    }
    switch (port) {
    case OFPP_IN_PORT:
    case OFPP_NORMAL:
    case OFPP_FLOOD:
    case OFPP_ALL:
    case OFPP_CONTROLLER:
    case OFPP_LOCAL:
        return true;
    case OFPP_TABLE:
        return ctx->allow_table;
    default:
        return false;
    }
}

static bool
check_enqueue_port(uint16_t port, const struct ofp_action_ctx *ctx)
{
    uint16_t max_ports = ctx->max_ports ? ctx->max_ports : OFPP_MAX;
    return port < max_ports || port == OFPP_IN_PORT || port == OFPP_LOCAL;
}

static int
check_one(const struct ofp_action *a, const struct ofp_action_ctx *ctx,
          struct ofp_error *err)
{
    uint16_t code;

    switch (a->type) {
    case OFPAT_OUTPUT:
        if (!check_output_port(a->output.port, ctx)) {
            code = OFPBAC_BAD_OUT_PORT;
            goto error;
        }
        return 0;
    case OFPAT_ENQUEUE:
        if (!check_enqueue_port(a->enqueue.port, ctx)) {
            code = OFPBAC_BAD_OUT_PORT;
            goto error;
        }
        if (ctx->queue_ok
            && !ctx->queue_ok(ctx->aux, a->enqueue.port, a->enqueue.queue_id)) {
            code = OFPBAC_BAD_QUEUE;
            goto error;
        }
        return 0;
    case OFPAT_SET_VLAN_VID:
        if (a->vlan_vid > 0xfff) {
            code = OFPBAC_BAD_ARGUMENT;
            goto error;
        }
        return 0;
    case OFPAT_SET_VLAN_PCP:
        if (a->vlan_pcp > 7) {
            code = OFPBAC_BAD_ARGUMENT;
            goto error;
        }
        return 0;
    case OFPAT_SET_NW_TOS:
        if (a->nw_tos & 0x03) {
            code = OFPBAC_BAD_ARGUMENT;
            goto error;
        }
        return 0;
    case OFPAT_STRIP_VLAN:
    case OFPAT_SET_DL_SRC:
    case OFPAT_SET_DL_DST:
    case OFPAT_SET_NW_SRC:
    case OFPAT_SET_NW_DST:
    case OFPAT_SET_TP_SRC:
    case OFPAT_SET_TP_DST:
        return 0;
    case OFPAT_VENDOR:
        code = OFPBAC_BAD_VENDOR;
        goto error;
    default:
        code = OFPBAC_BAD_TYPE;
        goto error;
    }

error:
    if (err) {
        *err = OFP_ERROR(OFPET_BAD_ACTION, code);
    }
    return -EINVAL;
}

int
ofp_actions_check(const struct ofp_action *a, size_t n,
                  const struct ofp_action_ctx *ctx, struct ofp_error *err)
{
    if (!ctx) {
        ctx = &default_ctx;
    }
    for (size_t i = 0; i < n; i++) {
        int error = check_one(&a[i], ctx, err);
        if (error) {
            return error;
        }
    }
    return 0;
}

/* Decodes one action of `len` bytes (already checked to be the type's
 * length) at p. */
static void
decode_one(const uint8_t *p, uint16_t type, struct ofp_action *a)
{
    memset(a, 0, sizeof *a);
    a->type = type;
    switch (type) {
    case OFPAT_OUTPUT:
        a->output.port = get_be16(p + 4);
        a->output.max_len = get_be16(p + 6);
        break;
    case OFPAT_SET_VLAN_VID:
        a->vlan_vid = get_be16(p + 4);
        break;
    case OFPAT_SET_VLAN_PCP:
        a->vlan_pcp = p[4];
        break;
    case OFPAT_SET_DL_SRC:
    case OFPAT_SET_DL_DST:
        memcpy(a->dl_addr, p + 4, OFP_ETH_ALEN);
        break;
    case OFPAT_SET_NW_SRC:
    case OFPAT_SET_NW_DST:
        a->nw_addr = get_be32(p + 4);
        break;
    case OFPAT_SET_NW_TOS:
        a->nw_tos = p[4];
        break;
    case OFPAT_SET_TP_SRC:
    case OFPAT_SET_TP_DST:
        a->tp_port = get_be16(p + 4);
        break;
    case OFPAT_ENQUEUE:
        a->enqueue.port = get_be16(p + 4);
        a->enqueue.queue_id = get_be32(p + 12);
        break;
    default:
        break;
    }
}

int
ofp_actions_decode(const void *data, size_t len,
                   const struct ofp_action_ctx *ctx,
                   struct ofp_action **actionsp, size_t *n_actionsp,
                   struct ofp_error *err)
{
    const uint8_t *p = data;
    struct ofp_action *actions = NULL;
    size_t n = 0;
    struct ofp_error e;

    *actionsp = NULL;
    *n_actionsp = 0;
    if (!ctx) {
        ctx = &default_ctx;
    }
    if (len % 8) {
        e = OFP_ERROR(OFPET_BAD_REQUEST, OFPBRC_BAD_LEN);
        goto error;
    }
    if (len) {
        actions = xcalloc(len / 8, sizeof *actions);
    }
    for (size_t ofs = 0; ofs < len; ) {
        uint16_t type = get_be16(p + ofs);
        uint16_t alen = get_be16(p + ofs + 2);
        size_t want;

        if (alen < 8 || alen % 8 || alen > len - ofs) {
            e = OFP_ERROR(OFPET_BAD_ACTION, OFPBAC_BAD_LEN);
            goto error;
        }
        if (type == OFPAT_VENDOR) {
            e = OFP_ERROR(OFPET_BAD_ACTION, OFPBAC_BAD_VENDOR);
            goto error;
        }
        want = action_type_len(type);
        if (!want) {
            e = OFP_ERROR(OFPET_BAD_ACTION, OFPBAC_BAD_TYPE);
            goto error;
        }
        if (alen != want) {
            e = OFP_ERROR(OFPET_BAD_ACTION, OFPBAC_BAD_LEN);
            goto error;
        }
        decode_one(p + ofs, type, &actions[n]);
        if (check_one(&actions[n], ctx, &e)) {
            goto error;
        }
        n++;
        ofs += alen;
    }
    if (!n) {
        free(actions);
        actions = NULL;
    }
    *actionsp = actions;
    *n_actionsp = n;
    return 0;

error:
    free(actions);
    if (err) {
        *err = e;
    }
    return -EINVAL;
}

void
ofp_actions_encode(const struct ofp_action *actions, size_t n, struct buf *out)
{
    for (size_t i = 0; i < n; i++) {
        const struct ofp_action *a = &actions[i];
        size_t len = ofp_action_wire_len(a);
        uint8_t *p = buf_put_zeros(out, len);

        put_be16(p, a->type);
        put_be16(p + 2, (uint16_t) len);
        switch (a->type) {
        case OFPAT_OUTPUT:
            put_be16(p + 4, a->output.port);
            put_be16(p + 6, a->output.max_len);
            break;
        case OFPAT_SET_VLAN_VID:
            put_be16(p + 4, a->vlan_vid);
            break;
        case OFPAT_SET_VLAN_PCP:
            p[4] = a->vlan_pcp;
            break;
        case OFPAT_SET_DL_SRC:
        case OFPAT_SET_DL_DST:
            memcpy(p + 4, a->dl_addr, OFP_ETH_ALEN);
            break;
        case OFPAT_SET_NW_SRC:
        case OFPAT_SET_NW_DST:
            put_be32(p + 4, a->nw_addr);
            break;
        case OFPAT_SET_NW_TOS:
            p[4] = a->nw_tos;
            break;
        case OFPAT_SET_TP_SRC:
        case OFPAT_SET_TP_DST:
            put_be16(p + 4, a->tp_port);
            break;
        case OFPAT_ENQUEUE:
            put_be16(p + 4, a->enqueue.port);
            put_be32(p + 12, a->enqueue.queue_id);
            break;
        default:
            break;
        }
    }
}

struct ofp_action
ofp_action_output(uint16_t port, uint16_t max_len)
{
    struct ofp_action a;
    memset(&a, 0, sizeof a);
    a.type = OFPAT_OUTPUT;
    a.output.port = port;
    a.output.max_len = max_len;
    return a;
}

struct ofp_action
ofp_action_enqueue(uint16_t port, uint32_t queue_id)
{
    struct ofp_action a;
    memset(&a, 0, sizeof a);
    a.type = OFPAT_ENQUEUE;
    a.enqueue.port = port;
    a.enqueue.queue_id = queue_id;
    return a;
}

static bool
action_equal(const struct ofp_action *a, const struct ofp_action *b)
{
    if (a->type != b->type) {
        return false;
    }
    switch (a->type) {
    case OFPAT_OUTPUT:
        return a->output.port == b->output.port
               && a->output.max_len == b->output.max_len;
    case OFPAT_ENQUEUE:
        return a->enqueue.port == b->enqueue.port
               && a->enqueue.queue_id == b->enqueue.queue_id;
    case OFPAT_SET_VLAN_VID:
        return a->vlan_vid == b->vlan_vid;
    case OFPAT_SET_VLAN_PCP:
        return a->vlan_pcp == b->vlan_pcp;
    case OFPAT_SET_DL_SRC:
    case OFPAT_SET_DL_DST:
        return !memcmp(a->dl_addr, b->dl_addr, OFP_ETH_ALEN);
    case OFPAT_SET_NW_SRC:
    case OFPAT_SET_NW_DST:
        return a->nw_addr == b->nw_addr;
    case OFPAT_SET_NW_TOS:
        return a->nw_tos == b->nw_tos;
    case OFPAT_SET_TP_SRC:
    case OFPAT_SET_TP_DST:
        return a->tp_port == b->tp_port;
    default:
        return true;
    }
}

bool
ofp_actions_equal(const struct ofp_action *a, size_t na,
                  const struct ofp_action *b, size_t nb)
{
    if (na != nb) {
        return false;
    }
    for (size_t i = 0; i < na; i++) {
        if (!action_equal(&a[i], &b[i])) {
            return false;
        }
    }
    return true;
}
