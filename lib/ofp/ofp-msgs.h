/* ofp-msgs — every OpenFlow 1.0 message, decoded to host order, and back.
 *
 * struct ofp_msg holds one message: its type, xid and a union of per-type
 * bodies (`msg.flow_mod`, `msg.packet_in`, ...; pick the member named after
 * the OFPT_ type; messages without a body use none).
 *
 * OWNERSHIP (one rule for every message, decoded or built by hand):
 *   - ARRAYS (ports, actions, flow/table/port/queue stats entries, queues,
 *     and each flow-stats entry's actions) are heap memory OWNED by the
 *     message; ofp_msg_uninit() frees them.  Builders must allocate them with
 *     xmalloc/xcalloc (or use the constructors below, which copy).
 *   - BYTES (`struct ofp_bytes`: hello body, error data, echo payload, vendor
 *     data, packet_in / packet_out packet data) are BORROWED: after
 *     ofp_decode() they point into the caller's input buffer and are valid
 *     only as long as it is; in built messages they point at the caller's
 *     memory.  ofp_msg_uninit() never frees them.  Copy them if the message
 *     must outlive its input.
 *
 * Decoding validates everything the spec constrains and returns the exact
 * error the switch must send (struct ofp_error):
 *   version != 1 (except HELLO)            BAD_REQUEST/BAD_VERSION
 *   header length < 8 or > buffer, body    BAD_REQUEST/BAD_LEN
 *     length wrong for the type, entries not a whole multiple, ...
 *   unknown message type                   BAD_REQUEST/BAD_TYPE
 *   unknown stats type                     BAD_REQUEST/BAD_STAT
 *   OFPST_VENDOR stats                     BAD_REQUEST/BAD_VENDOR
 *   unknown flow_mod command               FLOW_MOD_FAILED/BAD_COMMAND
 *   bad actions (flow_mod, packet_out,     BAD_ACTION/... (ofp-actions.h)
 *     flow stats reply)
 * Only the first `header.length` bytes of the buffer are decoded; trailing
 * bytes belong to the next message (see ofp_frame_length()).  OFPT_VENDOR
 * messages decode successfully (vendor id + data): whether to refuse them
 * (BAD_REQUEST/BAD_VENDOR) is the receiver's decision.
 * Nothing reads outside [data, data + len) on any input.
 *
 * Encoding is byte-exact: pads zero, lengths computed, names NUL-padded.
 * Re-encoding a decoded message gives the same bytes when the input had
 * zero pads and canonical layout.
 *
 * Thread-safety: no global state; a message is owned by one thread. */
#ifndef PLURAL_OFP_MSGS_H
#define PLURAL_OFP_MSGS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ofp/ofp-actions.h"
#include "ofp/ofp-errors.h"
#include "ofp/ofp-match.h"
#include "ofp/ofp-wire.h"

struct buf;

/* Borrowed bytes (see OWNERSHIP). */
struct ofp_bytes {
    const uint8_t *data;
    size_t len;
};

/* ofp_phy_port, host order.  name is NUL-terminated (at most 15 chars are
 * kept on encode; the wire field is 16 bytes NUL-padded). */
struct ofp_port_h {
    uint16_t port_no;
    uint8_t hw_addr[OFP_ETH_ALEN];
    char name[OFP_MAX_PORT_NAME_LEN + 1];
    uint32_t config;            /* OFPPC_*. */
    uint32_t state;             /* OFPPS_*. */
    uint32_t curr;              /* OFPPF_*. */
    uint32_t advertised;
    uint32_t supported;
    uint32_t peer;
};

struct ofp_error_body {         /* OFPT_ERROR. */
    uint16_t type;
    uint16_t code;
    struct ofp_bytes data;
};

struct ofp_vendor_body {        /* OFPT_VENDOR. */
    uint32_t vendor;
    struct ofp_bytes data;
};

struct ofp_features_reply {     /* OFPT_FEATURES_REPLY. */
    uint64_t datapath_id;
    uint32_t n_buffers;
    uint8_t n_tables;
    uint32_t capabilities;      /* OFPC_*. */
    uint32_t actions;           /* 1 << OFPAT_* bits. */
    struct ofp_port_h *ports;   /* Owned. */
    size_t n_ports;
};

struct ofp_switch_config_h {    /* OFPT_GET_CONFIG_REPLY, OFPT_SET_CONFIG. */
    uint16_t flags;             /* OFPC_FRAG_*. */
    uint16_t miss_send_len;
};

struct ofp_packet_in_h {        /* OFPT_PACKET_IN. */
    uint32_t buffer_id;
    uint16_t total_len;
    uint16_t in_port;
    uint8_t reason;             /* OFPR_*. */
    struct ofp_bytes data;
};

struct ofp_flow_removed_h {     /* OFPT_FLOW_REMOVED. */
    struct ofp_match_h match;
    uint64_t cookie;
    uint16_t priority;
    uint8_t reason;             /* OFPRR_*. */
    uint32_t duration_sec;
    uint32_t duration_nsec;
    uint16_t idle_timeout;
    uint64_t packet_count;
    uint64_t byte_count;
};

struct ofp_port_status_h {      /* OFPT_PORT_STATUS. */
    uint8_t reason;             /* OFPPR_*. */
    struct ofp_port_h desc;
};

struct ofp_packet_out_h {       /* OFPT_PACKET_OUT. */
    uint32_t buffer_id;
    uint16_t in_port;
    struct ofp_action *actions; /* Owned. */
    size_t n_actions;
    struct ofp_bytes data;      /* Only meaningful if buffer_id is none. */
};

struct ofp_flow_mod_h {         /* OFPT_FLOW_MOD. */
    struct ofp_match_h match;
    uint64_t cookie;
    uint16_t command;           /* OFPFC_*. */
    uint16_t idle_timeout;
    uint16_t hard_timeout;
    uint16_t priority;
    uint32_t buffer_id;
    uint16_t out_port;
    uint16_t flags;             /* OFPFF_*. */
    struct ofp_action *actions; /* Owned. */
    size_t n_actions;
};

struct ofp_port_mod_h {         /* OFPT_PORT_MOD. */
    uint16_t port_no;
    uint8_t hw_addr[OFP_ETH_ALEN];
    uint32_t config;
    uint32_t mask;
    uint32_t advertise;
};

/* Stats. */
struct ofp_flow_stats_request_h {   /* OFPST_FLOW and OFPST_AGGREGATE. */
    struct ofp_match_h match;
    uint8_t table_id;           /* OFPTT_ALL = all. */
    uint16_t out_port;          /* OFPP_NONE = any. */
};

struct ofp_stats_request_h {    /* OFPT_STATS_REQUEST. */
    uint16_t type;              /* OFPST_*. */
    uint16_t flags;
    union {
        struct ofp_flow_stats_request_h flow;   /* FLOW, AGGREGATE. */
        struct { uint16_t port_no; } port;      /* PORT (OFPP_NONE = all). */
        struct {
            uint16_t port_no;   /* OFPP_ALL = all. */
            uint32_t queue_id;  /* OFPQ_ALL = all. */
        } queue;                                /* QUEUE. */
    };                          /* DESC, TABLE: empty body. */
};

struct ofp_desc_stats_h {
    char mfr_desc[DESC_STR_LEN + 1];
    char hw_desc[DESC_STR_LEN + 1];
    char sw_desc[DESC_STR_LEN + 1];
    char serial_num[SERIAL_NUM_LEN + 1];
    char dp_desc[DESC_STR_LEN + 1];
};

struct ofp_flow_stats_h {
    uint8_t table_id;
    struct ofp_match_h match;
    uint32_t duration_sec;
    uint32_t duration_nsec;
    uint16_t priority;
    uint16_t idle_timeout;
    uint16_t hard_timeout;
    uint64_t cookie;
    uint64_t packet_count;
    uint64_t byte_count;
    struct ofp_action *actions; /* Owned. */
    size_t n_actions;
};

struct ofp_aggregate_stats_h {
    uint64_t packet_count;
    uint64_t byte_count;
    uint32_t flow_count;
};

struct ofp_table_stats_h {
    uint8_t table_id;
    char name[OFP_MAX_TABLE_NAME_LEN + 1];
    uint32_t wildcards;
    uint32_t max_entries;
    uint32_t active_count;
    uint64_t lookup_count;
    uint64_t matched_count;
};

struct ofp_port_stats_h {
    uint16_t port_no;
    uint64_t rx_packets, tx_packets;
    uint64_t rx_bytes, tx_bytes;
    uint64_t rx_dropped, tx_dropped;
    uint64_t rx_errors, tx_errors;
    uint64_t rx_frame_err, rx_over_err, rx_crc_err;
    uint64_t collisions;
};

struct ofp_queue_stats_h {
    uint16_t port_no;
    uint32_t queue_id;
    uint64_t tx_bytes;
    uint64_t tx_packets;
    uint64_t tx_errors;
};

struct ofp_stats_reply_h {      /* OFPT_STATS_REPLY. */
    uint16_t type;              /* OFPST_*. */
    uint16_t flags;             /* OFPSF_REPLY_MORE. */
    union {
        struct ofp_desc_stats_h desc;
        struct { struct ofp_flow_stats_h *entries; size_t n; } flow;
        struct ofp_aggregate_stats_h aggregate;
        struct { struct ofp_table_stats_h *entries; size_t n; } table;
        struct { struct ofp_port_stats_h *entries; size_t n; } port;
        struct { struct ofp_queue_stats_h *entries; size_t n; } queue;
    };                          /* Arrays owned. */
};

/* One queue of a QUEUE_GET_CONFIG reply. */
struct ofp_queue_h {
    uint32_t queue_id;
    bool has_min_rate;          /* An OFPQT_MIN_RATE property is present. */
    uint16_t min_rate;          /* 1/10 %; > 1000 disabled. */
};

struct ofp_queue_get_config_reply_h {
    uint16_t port;
    struct ofp_queue_h *queues; /* Owned. */
    size_t n_queues;
};

struct ofp_msg {
    uint8_t type;               /* OFPT_*. */
    uint32_t xid;
    union {
        struct ofp_bytes hello;                 /* OFPT_HELLO body. */
        struct ofp_error_body error;            /* OFPT_ERROR. */
        struct ofp_bytes echo;                  /* OFPT_ECHO_REQUEST/REPLY. */
        struct ofp_vendor_body vendor;          /* OFPT_VENDOR. */
        struct ofp_features_reply features;     /* OFPT_FEATURES_REPLY. */
        struct ofp_switch_config_h config;      /* GET_CONFIG_REPLY, SET_CONFIG. */
        struct ofp_packet_in_h packet_in;
        struct ofp_flow_removed_h flow_removed;
        struct ofp_port_status_h port_status;
        struct ofp_packet_out_h packet_out;
        struct ofp_flow_mod_h flow_mod;
        struct ofp_port_mod_h port_mod;
        struct ofp_stats_request_h stats_request;
        struct ofp_stats_reply_h stats_reply;
        struct { uint16_t port; } queue_get_config_request;
        struct ofp_queue_get_config_reply_h queue_get_config_reply;
    };                          /* FEATURES_REQUEST, GET_CONFIG_REQUEST,
                                 * BARRIER_REQUEST/REPLY: no body. */
};

/* Decodes one message from the first header.length bytes of data (len is
 * how many bytes are available, at least header.length).  Actions are
 * checked with default context (see ofp-actions.h); use ofp_decode_ctx() to
 * pass the switch's port count, or ofp_actions_check() afterwards.
 * Returns 0, or a negative errno with *err set (msg left empty, nothing to
 * uninit):
 *   -EPROTO    BAD_VERSION
 *   -EBADMSG   BAD_LEN
 *   -EOPNOTSUPP BAD_TYPE, BAD_STAT, BAD_VENDOR
 *   -EINVAL    bad actions, bad flow_mod command */
int ofp_decode(const void *data, size_t len, struct ofp_msg *,
               struct ofp_error *err);
int ofp_decode_ctx(const void *data, size_t len,
                   const struct ofp_action_ctx *ctx, struct ofp_msg *,
                   struct ofp_error *err);

/* Appends the wire form of msg to out.  A STATS_REPLY whose body would make
 * the message exceed 65535 bytes is split into several messages (same xid,
 * OFPSF_REPLY_MORE on all but the last); ofp_encode_count() says how many
 * messages were appended.  Any other message that cannot fit in 65535
 * bytes is a caller bug (aborts). */
void ofp_encode(const struct ofp_msg *, struct buf *out);
size_t ofp_encode_count(const struct ofp_msg *, struct buf *out);

/* Frees the owned arrays; leaves msg zeroed with type kept.  NULL ok. */
void ofp_msg_uninit(struct ofp_msg *);

/* Stream framing: given `avail` bytes at the start of a stream, returns the
 * full length of the first message (>= 8) when all of it is available, 0 if
 * more bytes are needed, or -EBADMSG if the header's length is < 8. */
int ofp_frame_length(const void *data, size_t avail);

/* Constructors.  Each zero-initializes msg first (no uninit needed before).
 * Byte arguments are borrowed; arrays are copied into owned memory. */
void ofp_msg_init(struct ofp_msg *, uint8_t type, uint32_t xid);
void ofp_make_hello(struct ofp_msg *, uint32_t xid);
/* Echo reply with the request's xid and payload (borrowed from request). */
void ofp_make_echo_reply(struct ofp_msg *, const struct ofp_msg *request);
/* Error carrying the first OFP_ERROR_DATA_MAX bytes of `offending` (or all
 * of it if shorter); xid taken from the offending header when it has at
 * least 8 bytes, else 0. */
void ofp_make_error(struct ofp_msg *, struct ofp_error,
                    const void *offending, size_t len);
/* HELLO_FAILED with an ASCII explanation (borrowed string). */
void ofp_make_hello_failed(struct ofp_msg *, uint32_t xid, uint16_t code,
                           const char *text);
void ofp_make_features_reply(struct ofp_msg *, uint32_t xid,
                             uint64_t datapath_id, uint32_t n_buffers,
                             uint8_t n_tables, uint32_t capabilities,
                             uint32_t actions,
                             const struct ofp_port_h *ports, size_t n_ports);
void ofp_make_packet_in(struct ofp_msg *, uint32_t buffer_id,
                        uint16_t total_len, uint16_t in_port, uint8_t reason,
                        const void *data, size_t len);
void ofp_make_flow_removed(struct ofp_msg *,
                           const struct ofp_flow_removed_h *);
void ofp_make_port_status(struct ofp_msg *, uint8_t reason,
                          const struct ofp_port_h *);
void ofp_make_barrier_reply(struct ofp_msg *, uint32_t xid);
void ofp_make_config_reply(struct ofp_msg *, uint32_t xid, uint16_t flags,
                           uint16_t miss_send_len);
/* Stats replies (flags 0; ofp_encode splits if needed). */
void ofp_make_desc_stats_reply(struct ofp_msg *, uint32_t xid,
                               const struct ofp_desc_stats_h *);
void ofp_make_flow_stats_reply(struct ofp_msg *, uint32_t xid,
                               const struct ofp_flow_stats_h *, size_t n);
void ofp_make_aggregate_stats_reply(struct ofp_msg *, uint32_t xid,
                                    const struct ofp_aggregate_stats_h *);
void ofp_make_table_stats_reply(struct ofp_msg *, uint32_t xid,
                                const struct ofp_table_stats_h *, size_t n);
void ofp_make_port_stats_reply(struct ofp_msg *, uint32_t xid,
                               const struct ofp_port_stats_h *, size_t n);
void ofp_make_queue_stats_reply(struct ofp_msg *, uint32_t xid,
                                const struct ofp_queue_stats_h *, size_t n);
void ofp_make_queue_get_config_reply(struct ofp_msg *, uint32_t xid,
                                     uint16_t port,
                                     const struct ofp_queue_h *, size_t n);

/* Names: "OFPT_FLOW_MOD", "OFPST_FLOW" (NULL if unknown). */
const char *ofp_type_name(uint8_t type);
const char *ofp_stats_type_name(uint16_t type);

#endif
