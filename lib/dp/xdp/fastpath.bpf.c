/* fastpath.bpf.c — plural-switchd's XDP fast path: the datapath half of the
 * ofproto/datapath split (see lib/dp/dp-xdp.h for the user-space half and
 * fastpath-abi.h for the shared layouts).
 *
 * On every frame received by a port of the switch (one program, attached to
 * each Linux port, sharing the maps):
 *   1. the port (by ifindex) is looked up; a port with NO_RECV/PORT_DOWN
 *      drops the frame (counted);
 *   2. per-slice policing (slices by VLAN): the slice's token bucket may
 *      drop the frame here, before any work is spent on it (counted);
 *   3. the frame is parsed into the OpenFlow 1.0 12-tuple exactly as
 *      lib/pkt's flow_extract() does for Ethernet II frames; frames it does
 *      not parse the same way (802.3/LLC, truncated or malformed headers)
 *      go to user space;
 *   4. the key is looked up in `flows` (exact match, installed by user
 *      space after classifying a miss); a hit counts in per-CPU stats,
 *      applies the flow's header edits with incremental checksum updates,
 *      and redirects the frame to one port (bpf_redirect_map over a
 *      DEVMAP_HASH keyed by OpenFlow port number), sends it back out
 *      (XDP_TX) or drops it;
 *   5. anything else is redirected to the port's AF_XDP socket (`xsks`,
 *      one per port): user space classifies it, forwards it and installs a
 *      datapath flow when the result can be expressed here.
 * Nothing here allocates; every access is bounds-checked for the verifier.
 * A punt whose socket is missing or whose ring is full is dropped and
 * counted (never XDP_PASS: the switch's own kernel stack must not see
 * frames meant for the OpenFlow pipeline). */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include "fastpath-abi.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, FP_DEFAULT_FLOWS);  /* Resized before load. */
    __type(key, struct fp_key);
    __type(value, struct fp_flow);
} flows SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, FP_DEFAULT_FLOWS);  /* Resized with `flows`. */
    __type(key, __u32);
    __type(value, struct fp_flow_stats);
} flow_stats SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, FP_MAX_PORTS);
    __type(key, __u32);                     /* ifindex */
    __type(value, struct fp_port);
} ports SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
    __uint(max_entries, FP_MAX_PORTS);
    __type(key, __u32);                     /* OpenFlow port slot */
    __type(value, __u32);                   /* ifindex */
} tx_ports SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_XSKMAP);
    __uint(max_entries, FP_MAX_PORTS);
    __type(key, __u32);
    __type(value, __u32);
} xsks SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, FP_MAX_PORTS);
    __type(key, __u32);
    __type(value, struct fp_port_stats);
} port_stats SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, FP_C_MAX);
    __type(key, __u32);
    __type(value, __u64);
} counters SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct fp_config);
} config SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, FP_VLAN_SLOTS);
    __type(key, __u32);
    __type(value, __u32);                   /* Slice slot, 0: none. */
} vlan_slice SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, FP_MAX_SLICES);
    __type(key, __u32);
    __type(value, struct fp_policer);
} policers SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, FP_MAX_SLICES);
    __type(key, __u32);
    __type(value, struct fp_slice_stats);
} slice_stats SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct fp_trace);
} trace SEC(".maps");

/* plural_probe: the OpenFlow port slot it redirects to (slot 0 of
 * `probe`).  Run once with live frames when a port is added, to learn
 * whether the kernel can redirect into that device (a veth whose peer has
 * neither an XDP program nor GRO drops redirected frames). */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u32);
} probe SEC(".maps");

SEC("xdp")
int
plural_probe(struct xdp_md *ctx)
{
    __u32 zero = 0;
    __u32 *slot = bpf_map_lookup_elem(&probe, &zero);
    (void) ctx;
    return slot ? (int) bpf_redirect_map(&tx_ports, *slot, XDP_ABORTED) : XDP_ABORTED;
}

#define ETH_TYPE_IP   0x0800
#define ETH_TYPE_ARP  0x0806
#define ETH_TYPE_VLAN 0x8100
#define ETH_TYPE_MIN  0x0600

static __always_inline void
count(__u32 idx)
{
    __u64 *c = bpf_map_lookup_elem(&counters, &idx);
    if (c) {
        *c += 1;
    }
}

static __always_inline __u16
rd16(const __u8 *p)
{
    return (__u16) ((p[0] << 8) | p[1]);
}

static __always_inline __u32
rd32(const __u8 *p)
{
    return ((__u32) p[0] << 24) | ((__u32) p[1] << 16) | ((__u32) p[2] << 8) | p[3];
}

static __always_inline void
wr16(__u8 *p, __u16 v)
{
    p[0] = (__u8) (v >> 8);
    p[1] = (__u8) v;
}

static __always_inline void
wr32(__u8 *p, __u32 v)
{
    wr16(p, (__u16) (v >> 16));
    wr16(p + 2, (__u16) v);
}

/* RFC 1624, as lib/pkt/csum.h. */
static __always_inline __u16
csum_update16(__u16 csum, __u16 old16, __u16 new16)
{
    __u32 sum = (__u16) ~csum;
    sum += (__u16) ~old16;
    sum += new16;
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    return (__u16) ~sum;
}

static __always_inline __u16
csum_update32(__u16 csum, __u32 old32, __u32 new32)
{
    csum = csum_update16(csum, (__u16) (old32 >> 16), (__u16) (new32 >> 16));
    return csum_update16(csum, (__u16) old32, (__u16) new32);
}

/* Where the headers are (offsets from data), as parse() found them. */
struct layout {
    __u32 l3;               /* 14 or 18 when ip. */
    __u32 ihl;              /* Bytes. */
    __u8 ip;                /* Valid IPv4 header. */
    __u8 l4;                /* Complete TCP/UDP header (fragment offset 0). */
    __u8 proto;
    __u8 frag;              /* MF or offset set. */
};

/* flow_extract() for the frames it handles completely.  Returns 0, or -1
 * when the frame must go to user space (not parsed the same way here). */
static __always_inline int
parse(void *data, void *data_end, struct fp_key *key, struct layout *lay)
{
    __u8 *d = data;
    __u32 len = (__u32) ((__u8 *) data_end - d);

    if (d + 14 > (__u8 *) data_end) {
        return -1;
    }
    __builtin_memcpy(key->dl_dst, d, 6);
    __builtin_memcpy(key->dl_src, d + 6, 6);
    key->dl_vlan = 0xffff;
    __u32 ofs = 12;
    __u16 type = rd16(d + 12);
    if (type == ETH_TYPE_VLAN) {
        if (d + 18 > (__u8 *) data_end) {
            return -1;
        }
        __u16 tci = rd16(d + 14);
        key->dl_vlan = tci & 0x0fff;
        key->dl_vlan_pcp = (__u8) (tci >> 13);
        ofs = 16;
        type = rd16(d + 16);
    }
    ofs += 2;
    if (type < ETH_TYPE_MIN) {
        return -1;                          /* 802.3: user space. */
    }
    key->dl_type = type;
    lay->l3 = ofs;
    if (type == ETH_TYPE_IP) {
        __u8 *ip = d + ofs;
        if (ip + 20 > (__u8 *) data_end) {
            return -1;
        }
        __u32 ihl = (__u32) (ip[0] & 0x0f) * 4;
        if ((ip[0] >> 4) != 4 || ihl < 20 || ofs + ihl > len) {
            return -1;
        }
        key->nw_tos = ip[1] & 0xfc;
        key->nw_proto = ip[9];
        key->nw_src = rd32(ip + 12);
        key->nw_dst = rd32(ip + 16);
        lay->ip = 1;
        lay->ihl = ihl;
        lay->proto = ip[9];
        __u16 frag = rd16(ip + 6);
        lay->frag = (frag & 0x3fff) != 0;
        if (frag & 0x1fff) {
            return 0;                       /* Later fragment. */
        }
        __u8 *l4 = ip + (ihl & 0x3c);
        if (key->nw_proto == 6 || key->nw_proto == 17) {
            if (key->nw_proto == 6 ? l4 + 20 > (__u8 *) data_end
                                   : l4 + 8 > (__u8 *) data_end) {
                return -1;
            }
            key->tp_src = rd16(l4);
            key->tp_dst = rd16(l4 + 2);
            lay->l4 = 1;
        } else if (key->nw_proto == 1) {
            if (l4 + 4 > (__u8 *) data_end) {
                return -1;
            }
            key->tp_src = l4[0];
            key->tp_dst = l4[1];
        }
        return 0;
    }
    if (type == ETH_TYPE_ARP) {
        __u8 *a = d + ofs;
        if (a + 28 > (__u8 *) data_end) {
            return -1;
        }
        if (rd16(a) != 1 || rd16(a + 2) != ETH_TYPE_IP || a[4] != 6 || a[5] != 4) {
            return 0;
        }
        __u16 op = rd16(a + 6);
        if (op <= 0xff) {
            key->nw_proto = (__u8) op;
        }
        key->nw_src = rd32(a + 14);
        key->nw_dst = rd32(a + 24);
    }
    return 0;
}

/* The TCP/UDP checksum after a change of a covered value. */
static __always_inline void
fix_l4_csum(__u8 *c, __u8 proto, __u32 old, __u32 new, int wide)
{
    __u16 csum = rd16(c);
    if (proto == 17 && !csum) {
        return;
    }
    csum = wide ? csum_update32(csum, old, new)
                : csum_update16(csum, (__u16) old, (__u16) new);
    if (proto == 17 && !csum) {
        csum = 0xffff;
    }
    wr16(c, csum);
}

/* Header edits run in one global BPF function, verified once on its own
 * (inlined into the loop below, six edits of eleven kinds explode the
 * verifier's state space).  The layout travels packed in a scalar:
 * bits 0-7 l3 offset, 8-15 IHL bytes, 16 valid IPv4, 17 TCP/UDP header,
 * 24-31 IP protocol.  Returns the new l3 offset (a VLAN push or strip moves
 * it), or -1 when the edit could not be done. */
#define LAY_IP (1u << 16)
#define LAY_L4 (1u << 17)

static __always_inline __u64
lay_pack(const struct layout *lay)
{
    return (lay->l3 & 0xff) | ((lay->ihl & 0xff) << 8)
           | (lay->ip ? LAY_IP : 0) | (lay->l4 ? LAY_L4 : 0)
           | ((__u32) lay->proto << 24);
}

__attribute__((noinline)) int
fp_apply_edit(struct xdp_md *ctx, __u64 packed, __u32 op, __u32 arg32,
              __u64 mac)
{
    __u32 l3 = packed & 0x1f;
    __u32 ihl = (packed >> 8) & 0x3c;
    __u8 proto = (__u8) (packed >> 24);
    __u32 type = op & 0xff;
    __u8 arg8 = (__u8) (op >> 8);
    __u16 arg16 = (__u16) (op >> 16);
    if (!ctx) {
        return -1;
    }
    __u8 *d = (void *) (long) ctx->data;
    __u8 *end = (void *) (long) ctx->data_end;
    if (d + 14 > end) {
        return -1;
    }

    if (type == FP_EDIT_VLAN_VID || type == FP_EDIT_VLAN_PCP) {
        __u16 tci = type == FP_EDIT_VLAN_VID ? arg16 : (__u16) (arg8 << 13);
        __u16 mask = type == FP_EDIT_VLAN_VID ? 0x0fff : 0xe000;
        if (d + 18 > end || rd16(d + 12) != ETH_TYPE_VLAN) {
            if (bpf_xdp_adjust_head(ctx, -4)) {
                return -1;
            }
            d = (void *) (long) ctx->data;
            end = (void *) (long) ctx->data_end;
            if (d + 18 > end) {
                return -1;
            }
            __builtin_memmove(d, d + 4, 12);
            wr16(d + 12, ETH_TYPE_VLAN);
            wr16(d + 14, 0);
            l3 += 4;
        }
        wr16(d + 14, (__u16) ((rd16(d + 14) & ~mask) | (tci & mask)));
        return (int) l3;
    }
    if (type == FP_EDIT_STRIP_VLAN) {
        if (d + 18 > end || rd16(d + 12) != ETH_TYPE_VLAN) {
            return (int) l3;
        }
        __builtin_memmove(d + 4, d, 12);
        if (bpf_xdp_adjust_head(ctx, 4)) {
            return -1;
        }
        return (int) l3 - 4;
    }
    if (type == FP_EDIT_DL_DST || type == FP_EDIT_DL_SRC) {
        __u8 *m = d + (type == FP_EDIT_DL_DST ? 0 : 6);
        for (int i = 0; i < 6; i++) {
            m[i] = (__u8) (mac >> (8 * i));
        }
        return (int) l3;
    }
    if (!(packed & LAY_IP)) {
        return (int) l3;                    /* No IPv4 header: ignored. */
    }
    __u8 *ip = d + l3;
    if (ip + 20 > end) {
        return -1;
    }
    __u8 *l4 = ip + ihl;
    __u8 *l4csum = l4 + (proto == 6 ? 16 : 6);
    int has_l4 = (packed & LAY_L4) != 0;
    if (has_l4 && l4csum + 2 > end) {
        return -1;
    }
    if (type == FP_EDIT_NW_SRC || type == FP_EDIT_NW_DST) {
        __u8 *a = ip + (type == FP_EDIT_NW_SRC ? 12 : 16);
        __u32 old = rd32(a);
        wr16(ip + 10, csum_update32(rd16(ip + 10), old, arg32));
        if (has_l4 && l4csum + 2 <= end) {
            fix_l4_csum(l4csum, proto, old, arg32, 1);
        }
        wr32(a, arg32);
        return (int) l3;
    }
    if (type == FP_EDIT_NW_TOS) {
        __u16 old = rd16(ip);
        __u16 new = (__u16) ((old & 0xff03) | (arg8 & 0xfc));
        wr16(ip + 10, csum_update16(rd16(ip + 10), old, new));
        wr16(ip, new);
        return (int) l3;
    }
    if ((type == FP_EDIT_TP_SRC || type == FP_EDIT_TP_DST) && has_l4) {
        __u8 *pp = l4 + (type == FP_EDIT_TP_SRC ? 0 : 2);
        if (pp + 2 > end || l4csum + 2 > end) {
            return -1;
        }
        __u16 old = rd16(pp);
        fix_l4_csum(l4csum, proto, old, arg16, 0);
        wr16(pp, arg16);
    }
    return (int) l3;
}

/* Partial checksums.  A veth whose peer has checksum offload on (the
 * default) delivers TCP/UDP frames whose checksum field holds only the
 * folded pseudo-header sum, and XDP is not told (no metadata).  Redirected
 * as they are, they would reach the next host with a wrong checksum.  Their
 * signature is exact: field == fold(pseudo-header sum); a complete checksum
 * matches it for one frame in 65,536, and recomputing that one is harmless
 * (same result).  So a frame with the signature gets its checksum computed
 * here over the segment, which already holds the pseudo-header part in
 * the field: checksum = ~fold(sum of the segment as it is).  The same test
 * runs in user space for frames that come up through AF_XDP
 * (packet_ol_detect_partial()).  Returns 1 (completed), 0 (not partial)
 * or -1 (cannot tell: the caller punts). */
__attribute__((noinline)) int
fp_fix_partial(struct xdp_md *ctx, __u64 packed)
{
    __u32 l3 = packed & 0x1f;
    __u32 ihl = (packed >> 8) & 0x3c;
    __u8 proto = (__u8) (packed >> 24);
    if (!ctx || !(packed & LAY_L4)) {
        return 0;
    }
    __u8 *d = (void *) (long) ctx->data;
    __u8 *end = (void *) (long) ctx->data_end;
    __u8 *ip = d + l3;
    if (ip + 20 > end) {
        return -1;
    }
    if (rd16(ip + 6) & 0x3fff) {
        return 0;
    }
    __u32 tot = rd16(ip + 2);
    if (tot < ihl + 8 || tot > 4096) {
        return 0;
    }
    __u32 l4_len = tot - ihl;
    __u32 csum_off = proto == 6 ? 16 : 6;
    if (l4_len < csum_off + 2) {
        return 0;
    }
    __u8 *l4 = ip + ihl;
    __u8 *c = l4 + csum_off;
    if (c + 2 > end) {
        return -1;
    }
    __u32 ps = rd16(ip + 12) + rd16(ip + 14) + rd16(ip + 16) + rd16(ip + 18)
               + proto + l4_len;
    ps = (ps & 0xffff) + (ps >> 16);
    ps = (ps & 0xffff) + (ps >> 16);
    if (rd16(c) != ps) {
        return 0;
    }
    /* Sum the segment [l4, l4 + l4_len) in memory order. */
    __u8 *seg_end = l4 + l4_len;
    if (seg_end > end) {
        return -1;
    }
    __s64 sum = 0;
    __u8 *p = l4;
    for (int i = 0; i < 8; i++) {
        if (p + 512 > seg_end || p + 512 > end) {
            break;
        }
        sum = bpf_csum_diff(NULL, 0, (void *) p, 512, (__u32) sum);
        p += 512;
    }
#define FP_CSUM_STEP(N)                                                     \
    if (p + N <= seg_end && p + N <= end) {                                 \
        sum = bpf_csum_diff(NULL, 0, (void *) p, N, (__u32) sum);           \
        p += N;                                                             \
    }
    FP_CSUM_STEP(256)
    FP_CSUM_STEP(128)
    FP_CSUM_STEP(64)
    FP_CSUM_STEP(32)
    FP_CSUM_STEP(16)
    FP_CSUM_STEP(8)
    FP_CSUM_STEP(4)
#undef FP_CSUM_STEP
    __u64 s64 = (__u32) sum;
    if (p + 2 <= seg_end && p + 2 <= end) {
        s64 += (__u16) (p[0] | (p[1] << 8));
        p += 2;
    }
    if (p + 1 <= seg_end && p + 1 <= end) {
        s64 += p[0];
    }
    s64 = (s64 & 0xffff) + (s64 >> 16);
    s64 = (s64 & 0xffff) + (s64 >> 16);
    s64 = (s64 & 0xffff) + (s64 >> 16);
    __u16 full = (__u16) ~s64;
    if (proto == 17 && !full) {
        full = 0xffff;
    }
    if (c + 2 > end) {
        return -1;
    }
    /* Memory order, as computed. */
    c[0] = (__u8) full;
    c[1] = (__u8) (full >> 8);
    return 1;
}

/* Token bucket of the frame's slice; true if the frame may pass. */
static __always_inline int
police(__u32 slot, struct fp_slice_stats *ss)
{
    struct fp_policer *p = bpf_map_lookup_elem(&policers, &slot);
    if (!p || !p->rate_pps) {
        return 1;
    }
    __u64 now = bpf_ktime_get_ns();
    int pass = 1;
    bpf_spin_lock(&p->lock);
    __u64 max = p->burst * 1000000;
    __u64 elapsed = now - p->last_ns;
    p->last_ns = now;
    if (elapsed > 1000000000ULL) {
        elapsed = 1000000000ULL;
    }
    /* rate_pps frames per second = rate_pps / 1000 millionths per ns. */
    __u64 tokens = p->tokens + elapsed * p->rate_pps / 1000;
    if (tokens > max) {
        tokens = max;
    }
    if (tokens < 1000000) {
        pass = 0;
    } else {
        tokens -= 1000000;
    }
    p->tokens = tokens;
    bpf_spin_unlock(&p->lock);
    if (!pass) {
        ss->policed++;
    }
    return pass;
}

static __always_inline int
do_trace(const struct fp_config *cfg, __u32 action, __u32 out_port, __u32 hit)
{
    if (cfg->flags & FP_CFG_TRACE) {
        __u32 zero = 0;
        struct fp_trace *t = bpf_map_lookup_elem(&trace, &zero);
        if (t) {
            t->action = action;
            t->out_port = out_port;
            t->hit = hit;
        }
    }
    return (int) action;
}

static __always_inline int
punt(struct xdp_md *ctx, const struct fp_config *cfg, const struct fp_port *port,
     struct fp_slice_stats *ss, __u32 slice_slot)
{
    /* The slow path (AF_XDP ring, user space) is the scarce, shared
     * resource: a slice's frames reach it only within its share. */
    if (ss && !police(slice_slot, ss)) {
        count(FP_C_POLICED);
        return do_trace(cfg, XDP_DROP, 0, 0);
    }
    __u32 slot = port->xsk_slot;
    long rc = bpf_redirect_map(&xsks, slot, XDP_DROP);
    if (rc != XDP_REDIRECT) {
        count(FP_C_PUNT_FAILED);
        if (ss) {
            ss->punt_failed++;
        }
    } else if (ss) {
        ss->punted++;
    }
    (void) ctx;
    return do_trace(cfg, (__u32) rc, 0, 0);
}

SEC("xdp")
int
plural_fastpath(struct xdp_md *ctx)
{
    __u32 zero = 0;
    struct fp_config *cfg = bpf_map_lookup_elem(&config, &zero);
    if (!cfg) {
        return XDP_DROP;
    }
    __u32 ifindex = ctx->ingress_ifindex;
    struct fp_port *port = bpf_map_lookup_elem(&ports, &ifindex);
    if (!port) {
        count(FP_C_NOT_PORT);
        return do_trace(cfg, XDP_PASS, 0, 0);
    }
    __u32 pslot = port->port_no < FP_MAX_PORTS ? port->port_no : FP_PORT_LOCAL_SLOT;
    struct fp_port_stats *ps = bpf_map_lookup_elem(&port_stats, &pslot);
    if (port->flags & FP_PORT_F_NO_RECV) {
        count(FP_C_DROP_NO_RECV);
        if (ps) {
            ps->rx_dropped++;
        }
        return do_trace(cfg, XDP_DROP, 0, 0);
    }

    void *data = (void *) (long) ctx->data;
    void *data_end = (void *) (long) ctx->data_end;
    __u64 len = (__u64) (data_end - data);

    /* The slice, by the outer VLAN (untagged: slot 4096); its policer
     * applies to frames that would go up to user space (see punt()). */
    struct fp_slice_stats *ss = NULL;
    __u32 slice_slot = 0;
    if (cfg->flags & FP_CFG_POLICE) {
        __u8 *d = data;
        __u32 vslot = 4096;
        if (d + 16 <= (__u8 *) data_end
            && (rd16(d + 12) == ETH_TYPE_VLAN || rd16(d + 12) == 0x88a8)) {
            vslot = rd16(d + 14) & 0x0fff;      /* 802.1Q or 802.1ad. */
        }
        __u32 *slice = bpf_map_lookup_elem(&vlan_slice, &vslot);
        if (slice && *slice < FP_MAX_SLICES) {
            slice_slot = *slice;
            ss = bpf_map_lookup_elem(&slice_stats, &slice_slot);
            if (ss) {
                ss->offered++;
            }
        }
    }

    if (!(port->flags & FP_PORT_F_FAST)) {
        return punt(ctx, cfg, port, ss, slice_slot);
    }
    struct fp_key key = {};
    struct layout lay = {};
    key.in_port = port->port_no;
    if (parse(data, data_end, &key, &lay)) {
        count(FP_C_UNPARSED);
        return punt(ctx, cfg, port, ss, slice_slot);
    }
    if ((cfg->flags & FP_CFG_FRAG_DROP) && lay.ip && lay.frag) {
        count(FP_C_FRAG_PUNT);
        return punt(ctx, cfg, port, ss, slice_slot);
    }
    struct fp_flow *flow = bpf_map_lookup_elem(&flows, &key);
    if (!flow) {
        count(FP_C_MISS);
        return punt(ctx, cfg, port, ss, slice_slot);
    }
    count(FP_C_HIT);
    __u32 id = flow->id;
    struct fp_flow_stats *fs = bpf_map_lookup_elem(&flow_stats, &id);
    if (fs) {
        fs->packets++;
        fs->bytes += len;
        fs->used_ns = bpf_ktime_get_ns();
    }
    if (ps) {
        ps->rx_packets++;
        ps->rx_bytes += len;
    }
    if (flow->verdict == FP_VERDICT_DROP) {
        count(FP_C_DROP_ACTION);
        return do_trace(cfg, XDP_DROP, 0, 1);
    }
    __u32 n = flow->n_edits;
    __u64 packed = lay_pack(&lay);
    if (lay.l4 && fp_fix_partial(ctx, packed) < 0) {
        count(FP_C_EDIT_FAILED);
        return do_trace(cfg, XDP_DROP, 0, 1);
    }
    for (__u32 i = 0; i < FP_MAX_EDITS && i < n; i++) {
        const struct fp_edit *e = &flow->edits[i];
        __u64 mac = 0;
        for (int k = 5; k >= 0; k--) {
            mac = (mac << 8) | e->mac[k];
        }
        int l3 = fp_apply_edit(ctx, packed,
                               e->type | ((__u32) e->arg8 << 8) | ((__u32) e->arg16 << 16),
                               e->arg32, mac);
        if (l3 < 0) {
            /* Cannot happen for a frame parse() accepted, unless the
             * driver gives no headroom for a VLAN push; the frame may be
             * half edited, so it is dropped, not punted. */
            count(FP_C_EDIT_FAILED);
            return do_trace(cfg, XDP_DROP, 0, 1);
        }
        packed = (packed & ~0xffull) | ((__u32) l3 & 0xff);
    }
    __u64 out_len = (__u64) ((long) ctx->data_end - (long) ctx->data);
    if (flow->verdict == FP_VERDICT_IN_PORT) {
        if (ps) {
            ps->tx_packets++;
            ps->tx_bytes += out_len;
        }
        return do_trace(cfg, XDP_TX, port->port_no, 1);
    }
    __u32 out = flow->out_port < FP_MAX_PORTS ? flow->out_port : FP_PORT_LOCAL_SLOT;
    long rc = bpf_redirect_map(&tx_ports, out, XDP_DROP);
    if (rc == XDP_REDIRECT) {
        struct fp_port_stats *os = bpf_map_lookup_elem(&port_stats, &out);
        if (os) {
            os->tx_packets++;
            os->tx_bytes += out_len;
        }
    }
    return do_trace(cfg, (__u32) rc, flow->out_port, 1);
}
