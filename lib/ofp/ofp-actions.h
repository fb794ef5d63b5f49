/* ofp-actions — OpenFlow 1.0 actions in host byte order.
 *
 * A decoded action list is a plain array of struct ofp_action, in wire order
 * (the order the data plane must execute them).  Decoding validates every
 * action and on failure reports the exact OFPET_BAD_ACTION code:
 *   BAD_TYPE      unknown action type
 *   BAD_LEN       len < 8, not a multiple of 8, past the end, or not the
 *                 size the type requires
 *   BAD_VENDOR    OFPAT_VENDOR (no vendor actions are supported)
 *   BAD_OUT_PORT  output/enqueue to a port that is not valid in the context
 *   BAD_ARGUMENT  vlan_vid > 0xfff, vlan_pcp > 7, nw_tos low 2 bits set
 *   BAD_QUEUE     enqueue to a queue the context's queue_ok() refuses
 *
 * Output port rules (like Open vSwitch): physical ports p with
 * p < ctx->max_ports are valid, as are OFPP_IN_PORT, OFPP_NORMAL,
 * OFPP_FLOOD, OFPP_ALL, OFPP_CONTROLLER, OFPP_LOCAL; OFPP_TABLE only when
 * ctx->allow_table (packet_out); OFPP_NONE never.  Enqueue accepts
 * p < max_ports, OFPP_IN_PORT and OFPP_LOCAL.
 *
 * Ownership: ofp_actions_decode() returns a heap array that the caller frees
 * with free() (or that ofp_msg_uninit() frees when it sits in a message).
 * Thread-safe (no global state). */
#ifndef PLURAL_OFP_ACTIONS_H
#define PLURAL_OFP_ACTIONS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp/ofp-errors.h"
#include "ofp/ofp-wire.h"

struct buf;

struct ofp_action {
    uint16_t type;              /* OFPAT_*. */
    union {
        struct {
            uint16_t port;      /* OFPP_* or physical port. */
            uint16_t max_len;   /* For OFPP_CONTROLLER. */
        } output;               /* OFPAT_OUTPUT. */
        struct {
            uint16_t port;
            uint32_t queue_id;
        } enqueue;              /* OFPAT_ENQUEUE. */
        uint16_t vlan_vid;      /* OFPAT_SET_VLAN_VID (0..0xfff). */
        uint8_t vlan_pcp;       /* OFPAT_SET_VLAN_PCP (0..7). */
        uint8_t dl_addr[OFP_ETH_ALEN];  /* OFPAT_SET_DL_SRC / _DST. */
        uint32_t nw_addr;       /* OFPAT_SET_NW_SRC / _DST, host order. */
        uint8_t nw_tos;         /* OFPAT_SET_NW_TOS (DSCP << 2). */
        uint16_t tp_port;       /* OFPAT_SET_TP_SRC / _DST. */
    };                          /* OFPAT_STRIP_VLAN: no argument. */
};

/* Validation context: what the switch knows about itself. */
struct ofp_action_ctx {
    uint16_t max_ports;         /* Physical ports are < max_ports; 0 means
                                 * OFPP_MAX (any physical number). */
    bool allow_table;           /* OFPP_TABLE allowed (packet_out). */
    /* Optional: return true if `queue_id` exists on `port`.  NULL = every
     * queue is accepted. */
    bool (*queue_ok)(void *aux, uint16_t port, uint32_t queue_id);
    void *aux;
};

/* Decodes `len` bytes of wire actions.  On success returns 0 and sets
 * *actions (heap, NULL when n is 0) and *n_actions.  On failure returns
 * -EINVAL, sets *err to the OFPET_BAD_ACTION code (or BAD_REQUEST/BAD_LEN
 * when len itself is not a multiple of 8), and sets *actions = NULL,
 * *n_actions = 0.  ctx may be NULL (defaults: max_ports OFPP_MAX, no
 * OFPP_TABLE, all queues). */
int ofp_actions_decode(const void *data, size_t len,
                       const struct ofp_action_ctx *ctx,
                       struct ofp_action **actions, size_t *n_actions,
                       struct ofp_error *err);

/* Validates already-decoded host-order actions against ctx (the same rules
 * as decoding, including argument ranges).  Used by the switch to re-check
 * actions against its real port count: returns 0 or -EINVAL with *err. */
int ofp_actions_check(const struct ofp_action *, size_t n,
                      const struct ofp_action_ctx *ctx, struct ofp_error *err);

/* Appends the wire form of the actions to out. */
void ofp_actions_encode(const struct ofp_action *, size_t n, struct buf *out);
/* Wire length of one action / of a list. */
size_t ofp_action_wire_len(const struct ofp_action *);
size_t ofp_actions_wire_len(const struct ofp_action *, size_t n);

/* Constructors for tests and callers. */
struct ofp_action ofp_action_output(uint16_t port, uint16_t max_len);
struct ofp_action ofp_action_enqueue(uint16_t port, uint32_t queue_id);

/* True if the two lists are identical. */
bool ofp_actions_equal(const struct ofp_action *, size_t,
                       const struct ofp_action *, size_t);

/* "OFPAT_OUTPUT" etc., or NULL if unknown. */
const char *ofp_action_type_name(uint16_t type);

#endif
