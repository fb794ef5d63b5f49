/* ofp-wire — OpenFlow 1.0.0 (wire version 0x01) structures and constants,
 * exactly as they travel on the wire.
 *
 * Every struct is packed, every multi-byte field is a big-endian be16_t /
 * be32_t / be64_t (lib/util/byteorder.h), so a host-order value cannot be
 * stored without an explicit conversion.  Sizes are checked against the
 * 1.0.0 specification with BUILD_ASSERT_SIZE.  Variable-length tails
 * (actions, ports, data) are not declared as flexible arrays: their offset is
 * sizeof(struct).  Exception: ofp_packet_in is 18 bytes here (the spec's C
 * struct is 20 because of trailing alignment padding, but the data starts at
 * offset 18 on the wire).
 *
 * Nobody should need to touch these structs outside lib/ofp: use the
 * host-order forms in ofp-match.h, ofp-actions.h and ofp-msgs.h.  The
 * constants (OFPT_*, OFPP_*, OFPFW_*, ...) are for everyone.
 *
 * Pure declarations; thread-safe by construction. */
#ifndef PLURAL_OFP_WIRE_H
#define PLURAL_OFP_WIRE_H 1

#include <stdint.h>
#include "util/byteorder.h"
#include "util/util.h"

#define OFP_PACKED __attribute__((packed))

#define OFP_VERSION            0x01
#define OFP_MAX_TABLE_NAME_LEN 32
#define OFP_MAX_PORT_NAME_LEN  16
#define OFP_TCP_PORT           6633
#define OFP_ETH_ALEN           6
#define OFP_MAX_MSG_LEN        65535

/* Port numbers.  Physical ports are numbered from 1 to OFPP_MAX. */
enum ofp_port {
    OFPP_MAX        = 0xff00,
    OFPP_IN_PORT    = 0xfff8,   /* Send out the input port. */
    OFPP_TABLE      = 0xfff9,   /* Submit to the flow table (packet_out only). */
    OFPP_NORMAL     = 0xfffa,   /* L2/L3 switching. */
    OFPP_FLOOD      = 0xfffb,   /* All ports but input and NO_FLOOD ones. */
    OFPP_ALL        = 0xfffc,   /* All ports but input. */
    OFPP_CONTROLLER = 0xfffd,   /* Send to the controller. */
    OFPP_LOCAL      = 0xfffe,   /* The local openflow "port". */
    OFPP_NONE       = 0xffff,   /* Not associated with a physical port. */
};

enum ofp_type {
    OFPT_HELLO                    = 0,
    OFPT_ERROR                    = 1,
    OFPT_ECHO_REQUEST             = 2,
    OFPT_ECHO_REPLY               = 3,
    OFPT_VENDOR                   = 4,
    OFPT_FEATURES_REQUEST         = 5,
    OFPT_FEATURES_REPLY           = 6,
    OFPT_GET_CONFIG_REQUEST       = 7,
    OFPT_GET_CONFIG_REPLY         = 8,
    OFPT_SET_CONFIG               = 9,
    OFPT_PACKET_IN                = 10,
    OFPT_FLOW_REMOVED             = 11,
    OFPT_PORT_STATUS              = 12,
    OFPT_PACKET_OUT               = 13,
    OFPT_FLOW_MOD                 = 14,
    OFPT_PORT_MOD                 = 15,
    OFPT_STATS_REQUEST            = 16,
    OFPT_STATS_REPLY              = 17,
    OFPT_BARRIER_REQUEST          = 18,
    OFPT_BARRIER_REPLY            = 19,
    OFPT_QUEUE_GET_CONFIG_REQUEST = 20,
    OFPT_QUEUE_GET_CONFIG_REPLY   = 21,
};
#define OFPT_MAX OFPT_QUEUE_GET_CONFIG_REPLY

struct ofp_header {
    uint8_t version;            /* OFP_VERSION. */
    uint8_t type;               /* OFPT_*. */
    be16_t length;              /* Including this header. */
    be32_t xid;
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_header, 8);

/* OFPT_GET_CONFIG_REPLY, OFPT_SET_CONFIG. */
#define OFP_DEFAULT_MISS_SEND_LEN 128
enum ofp_config_flags {
    OFPC_FRAG_NORMAL = 0,
    OFPC_FRAG_DROP   = 1,
    OFPC_FRAG_REASM  = 2,
    OFPC_FRAG_MASK   = 3,
};

struct ofp_switch_config {
    struct ofp_header header;
    be16_t flags;               /* OFPC_FRAG_*. */
    be16_t miss_send_len;
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_switch_config, 12);

/* Switch capabilities (ofp_switch_features.capabilities). */
enum ofp_capabilities {
    OFPC_FLOW_STATS   = 1 << 0,
    OFPC_TABLE_STATS  = 1 << 1,
    OFPC_PORT_STATS   = 1 << 2,
    OFPC_STP          = 1 << 3,
    OFPC_RESERVED     = 1 << 4,
    OFPC_IP_REASM     = 1 << 5,
    OFPC_QUEUE_STATS  = 1 << 6,
    OFPC_ARP_MATCH_IP = 1 << 7,
};

enum ofp_port_config {
    OFPPC_PORT_DOWN    = 1 << 0,
    OFPPC_NO_STP       = 1 << 1,
    OFPPC_NO_RECV      = 1 << 2,
    OFPPC_NO_RECV_STP  = 1 << 3,
    OFPPC_NO_FLOOD     = 1 << 4,
    OFPPC_NO_FWD       = 1 << 5,
    OFPPC_NO_PACKET_IN = 1 << 6,
};

enum ofp_port_state {
    OFPPS_LINK_DOWN   = 1 << 0,
    OFPPS_STP_LISTEN  = 0 << 8,
    OFPPS_STP_LEARN   = 1 << 8,
    OFPPS_STP_FORWARD = 2 << 8,
    OFPPS_STP_BLOCK   = 3 << 8,
    OFPPS_STP_MASK    = 3 << 8,
};

enum ofp_port_features {
    OFPPF_10MB_HD    = 1 << 0,
    OFPPF_10MB_FD    = 1 << 1,
    OFPPF_100MB_HD   = 1 << 2,
    OFPPF_100MB_FD   = 1 << 3,
    OFPPF_1GB_HD     = 1 << 4,
    OFPPF_1GB_FD     = 1 << 5,
    OFPPF_10GB_FD    = 1 << 6,
    OFPPF_COPPER     = 1 << 7,
    OFPPF_FIBER      = 1 << 8,
    OFPPF_AUTONEG    = 1 << 9,
    OFPPF_PAUSE      = 1 << 10,
    OFPPF_PAUSE_ASYM = 1 << 11,
};

struct ofp_phy_port {
    be16_t port_no;
    uint8_t hw_addr[OFP_ETH_ALEN];
    char name[OFP_MAX_PORT_NAME_LEN];   /* NUL-padded, maybe unterminated. */
    be32_t config;              /* OFPPC_*. */
    be32_t state;               /* OFPPS_*. */
    be32_t curr;                /* OFPPF_*. */
    be32_t advertised;
    be32_t supported;
    be32_t peer;
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_phy_port, 48);

/* OFPT_FEATURES_REPLY; followed by ofp_phy_port[]. */
struct ofp_switch_features {
    struct ofp_header header;
    be64_t datapath_id;
    be32_t n_buffers;
    uint8_t n_tables;
    uint8_t pad[3];
    be32_t capabilities;        /* OFPC_* bitmap. */
    be32_t actions;             /* Bitmap of (1 << OFPAT_*). */
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_switch_features, 32);

/* OFPT_PORT_STATUS. */
enum ofp_port_reason {
    OFPPR_ADD    = 0,
    OFPPR_DELETE = 1,
    OFPPR_MODIFY = 2,
};

struct ofp_port_status {
    struct ofp_header header;
    uint8_t reason;             /* OFPPR_*. */
    uint8_t pad[7];
    struct ofp_phy_port desc;
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_port_status, 64);

/* OFPT_PORT_MOD. */
struct ofp_port_mod {
    struct ofp_header header;
    be16_t port_no;
    uint8_t hw_addr[OFP_ETH_ALEN];
    be32_t config;              /* OFPPC_* bits to set... */
    be32_t mask;                /* ...of which these are changed. */
    be32_t advertise;           /* OFPPF_*; 0 = do not change. */
    uint8_t pad[4];
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_port_mod, 32);

/* OFPT_PACKET_IN; followed by the packet data. */
enum ofp_packet_in_reason {
    OFPR_NO_MATCH = 0,
    OFPR_ACTION   = 1,
};

#define OFP_NO_BUFFER 0xffffffffu

struct ofp_packet_in {
    struct ofp_header header;
    be32_t buffer_id;           /* OFP_NO_BUFFER if not buffered. */
    be16_t total_len;           /* Full length of the frame. */
    be16_t in_port;
    uint8_t reason;             /* OFPR_*. */
    uint8_t pad;
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_packet_in, 18);

/* Actions. */
enum ofp_action_type {
    OFPAT_OUTPUT       = 0,
    OFPAT_SET_VLAN_VID = 1,
    OFPAT_SET_VLAN_PCP = 2,
    OFPAT_STRIP_VLAN   = 3,
    OFPAT_SET_DL_SRC   = 4,
    OFPAT_SET_DL_DST   = 5,
    OFPAT_SET_NW_SRC   = 6,
    OFPAT_SET_NW_DST   = 7,
    OFPAT_SET_NW_TOS   = 8,
    OFPAT_SET_TP_SRC   = 9,
    OFPAT_SET_TP_DST   = 10,
    OFPAT_ENQUEUE      = 11,
    OFPAT_VENDOR       = 0xffff,
};
#define OFPAT_MAX OFPAT_ENQUEUE

struct ofp_action_header {
    be16_t type;
    be16_t len;                 /* Multiple of 8, including this header. */
    uint8_t pad[4];
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_action_header, 8);

struct ofp_action_output {
    be16_t type;                /* OFPAT_OUTPUT. */
    be16_t len;                 /* 8. */
    be16_t port;
    be16_t max_len;             /* Bytes to send to OFPP_CONTROLLER. */
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_action_output, 8);

#define OFP_VLAN_NONE 0xffff

struct ofp_action_vlan_vid {
    be16_t type;
    be16_t len;                 /* 8. */
    be16_t vlan_vid;            /* 12 bits. */
    uint8_t pad[2];
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_action_vlan_vid, 8);

struct ofp_action_vlan_pcp {
    be16_t type;
    be16_t len;                 /* 8. */
    uint8_t vlan_pcp;           /* 3 bits. */
    uint8_t pad[3];
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_action_vlan_pcp, 8);

struct ofp_action_dl_addr {
    be16_t type;                /* OFPAT_SET_DL_SRC/DST. */
    be16_t len;                 /* 16. */
    uint8_t dl_addr[OFP_ETH_ALEN];
    uint8_t pad[6];
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_action_dl_addr, 16);

struct ofp_action_nw_addr {
    be16_t type;                /* OFPAT_SET_NW_SRC/DST. */
    be16_t len;                 /* 8. */
    be32_t nw_addr;
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_action_nw_addr, 8);

struct ofp_action_nw_tos {
    be16_t type;
    be16_t len;                 /* 8. */
    uint8_t nw_tos;             /* DSCP in the upper 6 bits. */
    uint8_t pad[3];
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_action_nw_tos, 8);

struct ofp_action_tp_port {
    be16_t type;                /* OFPAT_SET_TP_SRC/DST. */
    be16_t len;                 /* 8. */
    be16_t tp_port;
    uint8_t pad[2];
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_action_tp_port, 8);

struct ofp_action_enqueue {
    be16_t type;                /* OFPAT_ENQUEUE. */
    be16_t len;                 /* 16. */
    be16_t port;
    uint8_t pad[6];
    be32_t queue_id;
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_action_enqueue, 16);

struct ofp_action_vendor_header {
    be16_t type;                /* OFPAT_VENDOR. */
    be16_t len;                 /* Multiple of 8. */
    be32_t vendor;
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_action_vendor_header, 8);

/* OFPT_PACKET_OUT; followed by actions_len bytes of actions, then data. */
struct ofp_packet_out {
    struct ofp_header header;
    be32_t buffer_id;           /* OFP_NO_BUFFER if none. */
    be16_t in_port;             /* OFPP_NONE if none. */
    be16_t actions_len;
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_packet_out, 16);

/* Match. */
enum ofp_flow_wildcards {
    OFPFW_IN_PORT     = 1 << 0,
    OFPFW_DL_VLAN     = 1 << 1,
    OFPFW_DL_SRC      = 1 << 2,
    OFPFW_DL_DST      = 1 << 3,
    OFPFW_DL_TYPE     = 1 << 4,
    OFPFW_NW_PROTO    = 1 << 5,
    OFPFW_TP_SRC      = 1 << 6,
    OFPFW_TP_DST      = 1 << 7,

    /* Number of low-order IP source address bits ignored: 0 = exact,
     * >= 32 = wildcard. */
    OFPFW_NW_SRC_SHIFT = 8,
    OFPFW_NW_SRC_BITS  = 6,
    OFPFW_NW_SRC_MASK  = ((1 << OFPFW_NW_SRC_BITS) - 1) << OFPFW_NW_SRC_SHIFT,
    OFPFW_NW_SRC_ALL   = 32 << OFPFW_NW_SRC_SHIFT,

    OFPFW_NW_DST_SHIFT = 14,
    OFPFW_NW_DST_BITS  = 6,
    OFPFW_NW_DST_MASK  = ((1 << OFPFW_NW_DST_BITS) - 1) << OFPFW_NW_DST_SHIFT,
    OFPFW_NW_DST_ALL   = 32 << OFPFW_NW_DST_SHIFT,

    OFPFW_DL_VLAN_PCP = 1 << 20,
    OFPFW_NW_TOS      = 1 << 21,

    OFPFW_ALL = ((1 << 22) - 1),
};
#define OFPFW_ICMP_TYPE OFPFW_TP_SRC
#define OFPFW_ICMP_CODE OFPFW_TP_DST

#define OFP_DL_TYPE_ETH2_CUTOFF   0x0600
#define OFP_DL_TYPE_NOT_ETH_TYPE  0x05ff

struct ofp_match {
    be32_t wildcards;           /* OFPFW_*. */
    be16_t in_port;
    uint8_t dl_src[OFP_ETH_ALEN];
    uint8_t dl_dst[OFP_ETH_ALEN];
    be16_t dl_vlan;             /* OFP_VLAN_NONE = untagged. */
    uint8_t dl_vlan_pcp;
    uint8_t pad1[1];
    be16_t dl_type;
    uint8_t nw_tos;             /* DSCP in the upper 6 bits. */
    uint8_t nw_proto;           /* Or the ARP opcode's low 8 bits. */
    uint8_t pad2[2];
    be32_t nw_src;
    be32_t nw_dst;
    be16_t tp_src;              /* Or ICMP type. */
    be16_t tp_dst;              /* Or ICMP code. */
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_match, 40);

#define OFP_FLOW_PERMANENT    0
#define OFP_DEFAULT_PRIORITY  0x8000

enum ofp_flow_mod_command {
    OFPFC_ADD           = 0,
    OFPFC_MODIFY        = 1,
    OFPFC_MODIFY_STRICT = 2,
    OFPFC_DELETE        = 3,
    OFPFC_DELETE_STRICT = 4,
};

enum ofp_flow_mod_flags {
    OFPFF_SEND_FLOW_REM = 1 << 0,
    OFPFF_CHECK_OVERLAP = 1 << 1,
    OFPFF_EMERG         = 1 << 2,
};

/* OFPT_FLOW_MOD; followed by actions. */
struct ofp_flow_mod {
    struct ofp_header header;
    struct ofp_match match;
    be64_t cookie;
    be16_t command;             /* OFPFC_*. */
    be16_t idle_timeout;        /* Seconds. */
    be16_t hard_timeout;
    be16_t priority;
    be32_t buffer_id;
    be16_t out_port;            /* DELETE*: filter; OFPP_NONE = any. */
    be16_t flags;               /* OFPFF_*. */
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_flow_mod, 72);

enum ofp_flow_removed_reason {
    OFPRR_IDLE_TIMEOUT = 0,
    OFPRR_HARD_TIMEOUT = 1,
    OFPRR_DELETE       = 2,
};

/* OFPT_FLOW_REMOVED. */
struct ofp_flow_removed {
    struct ofp_header header;
    struct ofp_match match;
    be64_t cookie;
    be16_t priority;
    uint8_t reason;             /* OFPRR_*. */
    uint8_t pad[1];
    be32_t duration_sec;
    be32_t duration_nsec;
    be16_t idle_timeout;
    uint8_t pad2[2];
    be64_t packet_count;
    be64_t byte_count;
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_flow_removed, 88);

/* OFPT_ERROR; followed by data (at least the first 64 bytes of the failed
 * request for most codes, an ASCII string for HELLO_FAILED). */
enum ofp_error_type {
    OFPET_HELLO_FAILED    = 0,
    OFPET_BAD_REQUEST     = 1,
    OFPET_BAD_ACTION      = 2,
    OFPET_FLOW_MOD_FAILED = 3,
    OFPET_PORT_MOD_FAILED = 4,
    OFPET_QUEUE_OP_FAILED = 5,
};

enum ofp_hello_failed_code {
    OFPHFC_INCOMPATIBLE = 0,
    OFPHFC_EPERM        = 1,
};

enum ofp_bad_request_code {
    OFPBRC_BAD_VERSION    = 0,
    OFPBRC_BAD_TYPE       = 1,
    OFPBRC_BAD_STAT       = 2,
    OFPBRC_BAD_VENDOR     = 3,
    OFPBRC_BAD_SUBTYPE    = 4,
    OFPBRC_EPERM          = 5,
    OFPBRC_BAD_LEN        = 6,
    OFPBRC_BUFFER_EMPTY   = 7,
    OFPBRC_BUFFER_UNKNOWN = 8,
};

enum ofp_bad_action_code {
    OFPBAC_BAD_TYPE        = 0,
    OFPBAC_BAD_LEN         = 1,
    OFPBAC_BAD_VENDOR      = 2,
    OFPBAC_BAD_VENDOR_TYPE = 3,
    OFPBAC_BAD_OUT_PORT    = 4,
    OFPBAC_BAD_ARGUMENT    = 5,
    OFPBAC_EPERM           = 6,
    OFPBAC_TOO_MANY        = 7,
    OFPBAC_BAD_QUEUE       = 8,
};

enum ofp_flow_mod_failed_code {
    OFPFMFC_ALL_TABLES_FULL   = 0,
    OFPFMFC_OVERLAP           = 1,
    OFPFMFC_EPERM             = 2,
    OFPFMFC_BAD_EMERG_TIMEOUT = 3,
    OFPFMFC_BAD_COMMAND       = 4,
    OFPFMFC_UNSUPPORTED       = 5,
};

enum ofp_port_mod_failed_code {
    OFPPMFC_BAD_PORT    = 0,
    OFPPMFC_BAD_HW_ADDR = 1,
};

enum ofp_queue_op_failed_code {
    OFPQOFC_BAD_PORT  = 0,
    OFPQOFC_BAD_QUEUE = 1,
    OFPQOFC_EPERM     = 2,
};

#define OFP_ERROR_DATA_MAX 64   /* Bytes of the offending request echoed. */

struct ofp_error_msg {
    struct ofp_header header;
    be16_t type;                /* OFPET_*. */
    be16_t code;
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_error_msg, 12);

/* OFPT_STATS_REQUEST / OFPT_STATS_REPLY. */
enum ofp_stats_types {
    OFPST_DESC      = 0,
    OFPST_FLOW      = 1,
    OFPST_AGGREGATE = 2,
    OFPST_TABLE     = 3,
    OFPST_PORT      = 4,
    OFPST_QUEUE     = 5,
    OFPST_VENDOR    = 0xffff,
};

enum ofp_stats_reply_flags {
    OFPSF_REPLY_MORE = 1 << 0,  /* More replies follow. */
};

struct ofp_stats_request {
    struct ofp_header header;
    be16_t type;                /* OFPST_*. */
    be16_t flags;               /* None defined. */
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_stats_request, 12);

struct ofp_stats_reply {
    struct ofp_header header;
    be16_t type;
    be16_t flags;               /* OFPSF_*. */
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_stats_reply, 12);

#define DESC_STR_LEN   256
#define SERIAL_NUM_LEN 32

struct ofp_desc_stats {
    char mfr_desc[DESC_STR_LEN];
    char hw_desc[DESC_STR_LEN];
    char sw_desc[DESC_STR_LEN];
    char serial_num[SERIAL_NUM_LEN];
    char dp_desc[DESC_STR_LEN];
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_desc_stats, 1056);

#define OFPTT_EMERG 0xfe        /* table_id of the emergency table. */
#define OFPTT_ALL   0xff        /* table_id: all tables. */

/* Body of OFPST_FLOW and OFPST_AGGREGATE requests. */
struct ofp_flow_stats_request {
    struct ofp_match match;
    uint8_t table_id;           /* OFPTT_ALL for all tables. */
    uint8_t pad;
    be16_t out_port;            /* OFPP_NONE = any. */
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_flow_stats_request, 44);

/* One entry of an OFPST_FLOW reply; followed by actions. */
struct ofp_flow_stats {
    be16_t length;              /* Of this entry, actions included. */
    uint8_t table_id;
    uint8_t pad;
    struct ofp_match match;
    be32_t duration_sec;
    be32_t duration_nsec;
    be16_t priority;
    be16_t idle_timeout;
    be16_t hard_timeout;
    uint8_t pad2[6];
    be64_t cookie;
    be64_t packet_count;
    be64_t byte_count;
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_flow_stats, 88);

#define ofp_aggregate_stats_request ofp_flow_stats_request

struct ofp_aggregate_stats_reply {
    be64_t packet_count;
    be64_t byte_count;
    be32_t flow_count;
    uint8_t pad[4];
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_aggregate_stats_reply, 24);

struct ofp_table_stats {
    uint8_t table_id;
    uint8_t pad[3];
    char name[OFP_MAX_TABLE_NAME_LEN];
    be32_t wildcards;           /* OFPFW_* the table supports. */
    be32_t max_entries;
    be32_t active_count;
    be64_t lookup_count;
    be64_t matched_count;
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_table_stats, 64);

struct ofp_port_stats_request {
    be16_t port_no;             /* OFPP_NONE = all ports. */
    uint8_t pad[6];
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_port_stats_request, 8);

struct ofp_port_stats {
    be16_t port_no;
    uint8_t pad[6];
    be64_t rx_packets;
    be64_t tx_packets;
    be64_t rx_bytes;
    be64_t tx_bytes;
    be64_t rx_dropped;
    be64_t tx_dropped;
    be64_t rx_errors;
    be64_t tx_errors;
    be64_t rx_frame_err;
    be64_t rx_over_err;
    be64_t rx_crc_err;
    be64_t collisions;
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_port_stats, 104);

#define OFPQ_ALL 0xffffffffu
#define OFPQ_MIN_RATE_UNCFG 0xffff

struct ofp_queue_stats_request {
    be16_t port_no;             /* OFPP_ALL for all ports. */
    uint8_t pad[2];
    be32_t queue_id;            /* OFPQ_ALL for all queues. */
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_queue_stats_request, 8);

struct ofp_queue_stats {
    be16_t port_no;
    uint8_t pad[2];
    be32_t queue_id;
    be64_t tx_bytes;
    be64_t tx_packets;
    be64_t tx_errors;
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_queue_stats, 32);

/* OFPT_VENDOR; followed by vendor-defined data. */
struct ofp_vendor_header {
    struct ofp_header header;
    be32_t vendor;
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_vendor_header, 12);

/* Queues. */
enum ofp_queue_properties {
    OFPQT_NONE     = 0,
    OFPQT_MIN_RATE = 1,
};

struct ofp_queue_prop_header {
    be16_t property;            /* OFPQT_*. */
    be16_t len;                 /* Including this header. */
    uint8_t pad[4];
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_queue_prop_header, 8);

struct ofp_queue_prop_min_rate {
    struct ofp_queue_prop_header prop_header;   /* OFPQT_MIN_RATE, len 16. */
    be16_t rate;                /* In 1/10 of a percent; >1000 = disabled. */
    uint8_t pad[6];
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_queue_prop_min_rate, 16);

/* One queue of a QUEUE_GET_CONFIG reply; followed by properties. */
struct ofp_packet_queue {
    be32_t queue_id;
    be16_t len;                 /* Including properties. */
    uint8_t pad[2];
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_packet_queue, 8);

struct ofp_queue_get_config_request {
    struct ofp_header header;
    be16_t port;                /* Port to be queried (< OFPP_MAX). */
    uint8_t pad[2];
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_queue_get_config_request, 12);

/* Followed by ofp_packet_queue[]. */
struct ofp_queue_get_config_reply {
    struct ofp_header header;
    be16_t port;
    uint8_t pad[6];
} OFP_PACKED;
BUILD_ASSERT_SIZE(struct ofp_queue_get_config_reply, 16);

#endif
