/* fastpath-abi — what the XDP fast path (fastpath.bpf.c, in the kernel) and
 * its user-space owner (lib/dp/dp-xdp.c) share: map layouts, the compiled
 * action format, counters.  Included by both sides; plain C with fixed-size
 * types only, no pointers, all little-endian host order unless a field says
 * "network order".
 *
 * The key of a datapath flow is byte for byte lib/pkt's `struct flow_key`
 * (the OpenFlow 1.0 12-tuple in host order, 40 bytes, padding zero):
 * dp-xdp.c checks the layout with static assertions, so an exact-match
 * lookup in the kernel finds what flow_extract() computed in user space.
 *
 * Invariants:
 *   - A datapath flow holds a FINAL verdict for every frame with its key:
 *     forward (after at most FP_MAX_EDITS header edits) to one port, send
 *     back out of the input port, or drop.  Anything else (several outputs,
 *     FLOOD/ALL/NORMAL/CONTROLLER, ENQUEUE, outputs to ports the kernel
 *     cannot redirect to) is never installed: such frames stay on the slow
 *     path, so user space sees every one of them.
 *   - Flow `id`s index the per-CPU stats array; user space zeroes a slot
 *     before it hands the id out again.
 *   - The program never writes a datapath flow; user space never writes a
 *     per-CPU counter except to zero it. */
#ifndef PLURAL_DP_XDP_FASTPATH_ABI_H
#define PLURAL_DP_XDP_FASTPATH_ABI_H 1

#ifdef __BPF__
#include <linux/types.h>
typedef __u8 fp_u8;
typedef __u16 fp_u16;
typedef __u32 fp_u32;
typedef __u64 fp_u64;
#else
#include <stdint.h>
typedef uint8_t fp_u8;
typedef uint16_t fp_u16;
typedef uint32_t fp_u32;
typedef uint64_t fp_u64;
#endif

#define FP_MAX_PORTS 1024           /* OpenFlow port numbers 0..1023. */
#define FP_PORT_LOCAL_SLOT 0        /* OFPP_LOCAL is kept in slot 0. */
#define FP_MAX_EDITS 6
#define FP_MAX_SLICES 64            /* Slice slots (0: no slice). */
#define FP_VLAN_SLOTS 4097          /* VIDs 0..4095, 4096: untagged. */
#define FP_DEFAULT_FLOWS 65536

/* The key: lib/pkt's struct flow_key, spelled out for the BPF side. */
struct fp_key {
    fp_u8 dl_dst[6];
    fp_u16 in_port;
    fp_u8 dl_src[6];
    fp_u16 dl_type;
    fp_u32 nw_src;
    fp_u32 nw_dst;
    fp_u16 dl_vlan;
    fp_u16 tp_src;
    fp_u16 tp_dst;
    fp_u8 dl_vlan_pcp;
    fp_u8 nw_proto;
    fp_u8 nw_tos;
    fp_u8 pad[7];
};

/* One header edit (OpenFlow 1.0 set-field / VLAN actions), executed in
 * order.  Arguments in host order. */
enum fp_edit_type {
    FP_EDIT_NONE = 0,
    FP_EDIT_VLAN_VID,       /* arg16: VID; pushes a tag if none. */
    FP_EDIT_VLAN_PCP,       /* arg8: PCP; pushes a tag if none. */
    FP_EDIT_STRIP_VLAN,
    FP_EDIT_DL_SRC,         /* mac. */
    FP_EDIT_DL_DST,         /* mac. */
    FP_EDIT_NW_SRC,         /* arg32. */
    FP_EDIT_NW_DST,         /* arg32. */
    FP_EDIT_NW_TOS,         /* arg8 (DSCP << 2). */
    FP_EDIT_TP_SRC,         /* arg16. */
    FP_EDIT_TP_DST,         /* arg16. */
};

struct fp_edit {
    fp_u8 type;             /* enum fp_edit_type. */
    fp_u8 arg8;
    fp_u16 arg16;
    fp_u32 arg32;
    fp_u8 mac[6];
    fp_u8 pad[2];
};

enum fp_verdict {
    FP_VERDICT_DROP = 0,    /* Empty action list. */
    FP_VERDICT_OUTPUT,      /* Redirect to out_port (tx_ports map). */
    FP_VERDICT_IN_PORT,     /* Back out of the input port (XDP_TX). */
};

/* Value of the `flows` map. */
struct fp_flow {
    fp_u32 id;              /* Index into flow_stats. */
    fp_u8 verdict;          /* enum fp_verdict. */
    fp_u8 n_edits;
    fp_u16 out_port;        /* OpenFlow port (FP_VERDICT_OUTPUT). */
    struct fp_edit edits[FP_MAX_EDITS];
};

/* Per-CPU, per flow id. */
struct fp_flow_stats {
    fp_u64 packets;
    fp_u64 bytes;           /* Frame bytes as received. */
    fp_u64 used_ns;         /* bpf_ktime_get_ns() of the last hit. */
};

/* Value of the `ports` map (key: ifindex). */
enum {
    FP_PORT_F_NO_RECV = 1 << 0,     /* Drop on receive (NO_RECV, PORT_DOWN). */
    FP_PORT_F_FAST = 1 << 1,        /* Look up datapath flows (else punt all). */
};
struct fp_port {
    fp_u16 port_no;         /* OpenFlow port number. */
    fp_u16 flags;           /* FP_PORT_F_*. */
    fp_u32 xsk_slot;        /* Index of its AF_XDP socket in `xsks`. */
};

/* Per-CPU, per OpenFlow port slot (port_no, LOCAL in slot 0): what the
 * fast path did with frames without handing them to user space. */
struct fp_port_stats {
    fp_u64 rx_packets, rx_bytes;    /* Handled in the kernel (hits). */
    fp_u64 tx_packets, tx_bytes;    /* Redirected out of this port. */
    fp_u64 rx_dropped;              /* NO_RECV / PORT_DOWN. */
};

/* Per-slice policing: one token bucket per slice, shared by all CPUs
 * (under a BPF spin lock), in frames.  rate_pps 0: no limit.  Tokens in
 * millionths of a frame. */
struct fp_policer {
#ifdef __BPF__
    struct bpf_spin_lock lock;
#else
    fp_u32 lock;
#endif
    fp_u32 pad;
    fp_u64 rate_pps;
    fp_u64 burst;           /* Frames. */
    fp_u64 tokens;          /* Millionths of a frame. */
    fp_u64 last_ns;
};

/* Per-CPU, per slice slot. */
struct fp_slice_stats {
    fp_u64 offered;         /* Frames seen at the XDP hook. */
    fp_u64 policed;         /* Dropped by the slice's policer. */
    fp_u64 punted;          /* Sent to user space. */
    fp_u64 punt_failed;     /* User space's ring was full. */
};

/* Global counters, per CPU (index: enum fp_counter). */
enum fp_counter {
    FP_C_HIT = 0,           /* Datapath flow found. */
    FP_C_MISS,              /* No datapath flow: punted. */
    FP_C_UNPARSED,          /* Frame the fast path does not parse: punted. */
    FP_C_PUNT_FAILED,       /* AF_XDP ring full or no socket: dropped. */
    FP_C_DROP_ACTION,       /* Flow with an empty action list. */
    FP_C_DROP_NO_RECV,
    FP_C_EDIT_FAILED,       /* Header edit could not be done: punted. */
    FP_C_FRAG_PUNT,         /* IPv4 fragment with OFPC_FRAG_DROP: punted. */
    FP_C_POLICED,
    FP_C_NOT_PORT,          /* Frame on an interface not in `ports`. */
    FP_C_MAX
};

/* Index 0 of the `config` array. */
enum {
    FP_CFG_FRAG_DROP = 1 << 0,      /* OFPC_FRAG_DROP: punt fragments. */
    FP_CFG_POLICE = 1 << 1,         /* Per-slice policers on. */
    FP_CFG_TRACE = 1 << 2,          /* Tests: record the last verdict. */
};
struct fp_config {
    fp_u32 flags;
    fp_u32 pad;
};

/* FP_CFG_TRACE: what the program did with the last frame (per CPU). */
struct fp_trace {
    fp_u32 action;          /* XDP_* returned. */
    fp_u32 out_port;        /* OpenFlow port for a redirect. */
    fp_u32 hit;             /* 1: datapath flow found. */
    fp_u32 pad;
};

#endif
