/* fastpath — see fastpath.h. */
#include "dp/xdp/fastpath.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fastpath.skel.h"
#include "pkt/flow-key.h"
#include "util/log.h"
#include "util/util.h"

LOG_MODULE(fastpath);

/* The key is lib/pkt's flow_key, byte for byte. */
_Static_assert(sizeof(struct fp_key) == sizeof(struct flow_key), "fp_key size");
_Static_assert(offsetof(struct fp_key, in_port) == offsetof(struct flow_key, in_port), "in_port");
_Static_assert(offsetof(struct fp_key, dl_src) == offsetof(struct flow_key, dl_src), "dl_src");
_Static_assert(offsetof(struct fp_key, dl_type) == offsetof(struct flow_key, dl_type), "dl_type");
_Static_assert(offsetof(struct fp_key, nw_src) == offsetof(struct flow_key, nw_src), "nw_src");
_Static_assert(offsetof(struct fp_key, nw_dst) == offsetof(struct flow_key, nw_dst), "nw_dst");
_Static_assert(offsetof(struct fp_key, dl_vlan) == offsetof(struct flow_key, dl_vlan), "dl_vlan");
_Static_assert(offsetof(struct fp_key, tp_src) == offsetof(struct flow_key, tp_src), "tp_src");
_Static_assert(offsetof(struct fp_key, tp_dst) == offsetof(struct flow_key, tp_dst), "tp_dst");
_Static_assert(offsetof(struct fp_key, dl_vlan_pcp) == offsetof(struct flow_key, dl_vlan_pcp), "pcp");
_Static_assert(offsetof(struct fp_key, nw_proto) == offsetof(struct flow_key, nw_proto), "proto");
_Static_assert(offsetof(struct fp_key, nw_tos) == offsetof(struct flow_key, nw_tos), "tos");

struct fp_attachment {
    int ifindex;
    int link_fd;                    /* BPF link: closing it detaches. */
};

struct fastpath {
    int refs;
    struct fastpath_bpf *skel;
    size_t max_flows;
    int n_cpus;
    uint32_t config;
    bool xsk_used[FP_MAX_PORTS];
    struct fp_attachment *att;
    size_t n_att;
    /* Scratch for per-CPU reads. */
    struct fp_flow_stats *pc_flow;
    void *pc_all;                   /* n_cpus * max_flows entries, and */
    uint32_t *pc_keys;              /* max_flows keys (batched reads). */
};

static struct fastpath *the_fastpath;

static int
libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
    if (level == LIBBPF_DEBUG) {
        return 0;
    }
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    size_t n = strlen(line);
    while (n && line[n - 1] == '\n') {
        line[--n] = '\0';
    }
    if (n) {
        LOG_DBG("libbpf: %s", line);
    }
    return 0;
}

int
fastpath_get(size_t max_flows, struct fastpath **fpp)
{
    if (the_fastpath) {
        the_fastpath->refs++;
        *fpp = the_fastpath;
        return 0;
    }
    libbpf_set_print(libbpf_log);
    struct fastpath_bpf *skel = fastpath_bpf__open();
    if (!skel) {
        int error = errno ? -errno : -EINVAL;
        LOG_WARN("XDP fast path: cannot open the BPF object (%s)", strerror(-error));
        return error;
    }
    if (!max_flows) {
        max_flows = FP_DEFAULT_FLOWS;
    }
    bpf_map__set_max_entries(skel->maps.flows, (uint32_t) max_flows);
    bpf_map__set_max_entries(skel->maps.flow_stats, (uint32_t) max_flows);
    int error = fastpath_bpf__load(skel);
    if (error) {
        error = error < 0 ? error : -error;
        LOG_WARN("XDP fast path: the kernel refused the BPF program (%s)",
                 strerror(-error));
        fastpath_bpf__destroy(skel);
        return error;
    }
    struct fastpath *fp = xzalloc(sizeof *fp);
    fp->refs = 1;
    fp->skel = skel;
    fp->max_flows = max_flows;
    fp->n_cpus = libbpf_num_possible_cpus();
    if (fp->n_cpus < 1) {
        fp->n_cpus = 1;
    }
    fp->pc_flow = xcalloc((size_t) fp->n_cpus, sizeof *fp->pc_flow);
    uint32_t zero = 0;
    struct fp_config cfg = { 0, 0 };
    bpf_map__update_elem(skel->maps.config, &zero, sizeof zero, &cfg, sizeof cfg, 0);
    the_fastpath = fp;
    *fpp = fp;
    return 0;
}

void
fastpath_put(struct fastpath *fp)
{
    if (!fp || --fp->refs > 0) {
        return;
    }
    for (size_t i = 0; i < fp->n_att; i++) {
        close(fp->att[i].link_fd);
    }
    free(fp->att);
    fastpath_bpf__destroy(fp->skel);
    free(fp->pc_flow);
    free(fp->pc_all);
    free(fp->pc_keys);
    if (the_fastpath == fp) {
        the_fastpath = NULL;
    }
    free(fp);
}

size_t
fastpath_max_flows(const struct fastpath *fp)
{
    return fp->max_flows;
}

int
fastpath_attach(struct fastpath *fp, int ifindex, bool *native)
{
    for (size_t i = 0; i < fp->n_att; i++) {
        if (fp->att[i].ifindex == ifindex) {
            return -EEXIST;
        }
    }
    int prog_fd = bpf_program__fd(fp->skel->progs.plural_fastpath);
    /* Native first (veth, tap and most NIC drivers have it), generic
     * (skb) XDP otherwise.  A BPF link: closing its fd (or exiting)
     * detaches the program. */
    static const uint32_t modes[] = { XDP_FLAGS_DRV_MODE, XDP_FLAGS_SKB_MODE };
    int error = -EOPNOTSUPP;
    for (size_t m = 0; m < ARRAY_SIZE(modes); m++) {
        LIBBPF_OPTS(bpf_link_create_opts, opts, .flags = modes[m]);
        int lfd = bpf_link_create(prog_fd, ifindex, BPF_XDP, &opts);
        if (lfd < 0) {
            error = -errno;
            if (error == -EBUSY || error == -EEXIST) {
                break;              /* Someone else's program is there. */
            }
            continue;
        }
        fp->att = xrealloc(fp->att, (fp->n_att + 1) * sizeof *fp->att);
        fp->att[fp->n_att].ifindex = ifindex;
        fp->att[fp->n_att].link_fd = lfd;
        fp->n_att++;
        if (native) {
            *native = modes[m] == XDP_FLAGS_DRV_MODE;
        }
        return 0;
    }
    return error;
}

void
fastpath_detach(struct fastpath *fp, int ifindex)
{
    for (size_t i = 0; i < fp->n_att; i++) {
        if (fp->att[i].ifindex == ifindex) {
            close(fp->att[i].link_fd);
            fp->att[i] = fp->att[--fp->n_att];
            return;
        }
    }
}

int
fastpath_xsk_alloc(struct fastpath *fp)
{
    /* Slot 0 is left unused so that a zeroed fp_port never names a
     * socket. */
    for (int i = 1; i < FP_MAX_PORTS; i++) {
        if (!fp->xsk_used[i]) {
            fp->xsk_used[i] = true;
            return i;
        }
    }
    return -ENOSPC;
}

void
fastpath_xsk_free(struct fastpath *fp, int slot)
{
    if (slot > 0 && slot < FP_MAX_PORTS) {
        uint32_t key = (uint32_t) slot;
        bpf_map__delete_elem(fp->skel->maps.xsks, &key, sizeof key, 0);
        fp->xsk_used[slot] = false;
    }
}

static int
neg_errno(int rc)
{
    return rc < 0 ? (errno ? -errno : rc) : 0;
}

int
fastpath_set_xsk(struct fastpath *fp, int slot, int xsk_fd)
{
    uint32_t key = (uint32_t) slot, val = (uint32_t) xsk_fd;
    return neg_errno(bpf_map__update_elem(fp->skel->maps.xsks, &key, sizeof key,
                                          &val, sizeof val, 0));
}

int
fastpath_set_port(struct fastpath *fp, int ifindex, const struct fp_port *port)
{
    uint32_t key = (uint32_t) ifindex;
    return neg_errno(bpf_map__update_elem(fp->skel->maps.ports, &key, sizeof key,
                                          port, sizeof *port, 0));
}

int
fastpath_get_port(struct fastpath *fp, int ifindex, struct fp_port *port)
{
    uint32_t key = (uint32_t) ifindex;
    return neg_errno(bpf_map__lookup_elem(fp->skel->maps.ports, &key, sizeof key,
                                          port, sizeof *port, 0));
}

int
fastpath_del_port(struct fastpath *fp, int ifindex)
{
    uint32_t key = (uint32_t) ifindex;
    return neg_errno(bpf_map__delete_elem(fp->skel->maps.ports, &key, sizeof key, 0));
}

static uint32_t
port_slot(uint16_t port_no)
{
    return port_no < FP_MAX_PORTS ? port_no : FP_PORT_LOCAL_SLOT;
}

int
fastpath_set_tx_port(struct fastpath *fp, uint16_t port_no, int ifindex)
{
    uint32_t key = port_slot(port_no);
    if (!ifindex) {
        int rc = bpf_map__delete_elem(fp->skel->maps.tx_ports, &key, sizeof key, 0);
        return rc < 0 && errno == ENOENT ? 0 : neg_errno(rc);
    }
    uint32_t val = (uint32_t) ifindex;
    return neg_errno(bpf_map__update_elem(fp->skel->maps.tx_ports, &key, sizeof key,
                                          &val, sizeof val, 0));
}

int
fastpath_flow_put(struct fastpath *fp, const struct fp_key *key,
                  const struct fp_flow *flow)
{
    return neg_errno(bpf_map__update_elem(fp->skel->maps.flows, key, sizeof *key,
                                          flow, sizeof *flow, 0));
}

int
fastpath_flow_del(struct fastpath *fp, const struct fp_key *key)
{
    return neg_errno(bpf_map__delete_elem(fp->skel->maps.flows, key, sizeof *key, 0));
}

static void
sum_flow_stats(const struct fp_flow_stats *pc, int n_cpus, struct fp_flow_stats *s)
{
    memset(s, 0, sizeof *s);
    for (int c = 0; c < n_cpus; c++) {
        s->packets += pc[c].packets;
        s->bytes += pc[c].bytes;
        s->used_ns = MAX(s->used_ns, pc[c].used_ns);
    }
}

int
fastpath_flow_stats(struct fastpath *fp, uint32_t id, struct fp_flow_stats *s)
{
    int rc = bpf_map__lookup_elem(fp->skel->maps.flow_stats, &id, sizeof id,
                                  fp->pc_flow, sizeof *fp->pc_flow * (size_t) fp->n_cpus, 0);
    if (rc < 0) {
        memset(s, 0, sizeof *s);
        return neg_errno(rc);
    }
    sum_flow_stats(fp->pc_flow, fp->n_cpus, s);
    return 0;
}

int
fastpath_flow_stats_many(struct fastpath *fp, const uint32_t *ids, size_t n,
                         struct fp_flow_stats *out)
{
    if (n < 64) {
        for (size_t i = 0; i < n; i++) {
            fastpath_flow_stats(fp, ids[i], &out[i]);
        }
        return 0;
    }
    /* One batched read of the whole array. */
    size_t per = sizeof(struct fp_flow_stats) * (size_t) fp->n_cpus;
    if (!fp->pc_all) {
        fp->pc_all = xmalloc(per * fp->max_flows);
        fp->pc_keys = xmalloc(fp->max_flows * sizeof *fp->pc_keys);
    }
    uint32_t count = (uint32_t) fp->max_flows;
    uint32_t out_batch = 0;
    LIBBPF_OPTS(bpf_map_batch_opts, opts);
    int rc = bpf_map_lookup_batch(bpf_map__fd(fp->skel->maps.flow_stats), NULL,
                                  &out_batch, fp->pc_keys, fp->pc_all, &count, &opts);
    if (rc < 0 && errno != ENOENT) {
        for (size_t i = 0; i < n; i++) {
            fastpath_flow_stats(fp, ids[i], &out[i]);
        }
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (ids[i] < count) {
            sum_flow_stats((const struct fp_flow_stats *)
                           (void *) ((uint8_t *) fp->pc_all + per * ids[i]),
                           fp->n_cpus, &out[i]);
        } else {
            memset(&out[i], 0, sizeof out[i]);
        }
    }
    return 0;
}

int
fastpath_flow_stats_zero(struct fastpath *fp, uint32_t id)
{
    memset(fp->pc_flow, 0, sizeof *fp->pc_flow * (size_t) fp->n_cpus);
    return neg_errno(bpf_map__update_elem(fp->skel->maps.flow_stats, &id, sizeof id,
                                          fp->pc_flow,
                                          sizeof *fp->pc_flow * (size_t) fp->n_cpus, 0));
}

int
fastpath_port_stats(struct fastpath *fp, uint16_t port_no, struct fp_port_stats *s)
{
    uint32_t key = port_slot(port_no);
    struct fp_port_stats pc[fp->n_cpus];
    memset(s, 0, sizeof *s);
    int rc = bpf_map__lookup_elem(fp->skel->maps.port_stats, &key, sizeof key,
                                  pc, sizeof pc, 0);
    if (rc < 0) {
        return neg_errno(rc);
    }
    for (int c = 0; c < fp->n_cpus; c++) {
        s->rx_packets += pc[c].rx_packets;
        s->rx_bytes += pc[c].rx_bytes;
        s->tx_packets += pc[c].tx_packets;
        s->tx_bytes += pc[c].tx_bytes;
        s->rx_dropped += pc[c].rx_dropped;
    }
    return 0;
}

int
fastpath_counters(struct fastpath *fp, uint64_t out[FP_C_MAX])
{
    uint64_t pc[fp->n_cpus];
    for (uint32_t i = 0; i < FP_C_MAX; i++) {
        out[i] = 0;
        if (bpf_map__lookup_elem(fp->skel->maps.counters, &i, sizeof i, pc,
                                 sizeof pc, 0) == 0) {
            for (int c = 0; c < fp->n_cpus; c++) {
                out[i] += pc[c];
            }
        }
    }
    return 0;
}

int
fastpath_set_config(struct fastpath *fp, uint32_t flags)
{
    uint32_t zero = 0;
    struct fp_config cfg = { flags, 0 };
    int rc = bpf_map__update_elem(fp->skel->maps.config, &zero, sizeof zero,
                                  &cfg, sizeof cfg, 0);
    if (!rc) {
        fp->config = flags;
    }
    return neg_errno(rc);
}

uint32_t
fastpath_config(const struct fastpath *fp)
{
    return fp->config;
}

int
fastpath_set_vlan_slice(struct fastpath *fp, uint32_t vlan, uint32_t slot)
{
    if (vlan >= FP_VLAN_SLOTS || slot >= FP_MAX_SLICES) {
        return -EINVAL;
    }
    return neg_errno(bpf_map__update_elem(fp->skel->maps.vlan_slice, &vlan, sizeof vlan,
                                          &slot, sizeof slot, 0));
}

int
fastpath_set_policer(struct fastpath *fp, uint32_t slot, uint64_t rate_pps,
                     uint64_t burst)
{
    if (slot >= FP_MAX_SLICES) {
        return -EINVAL;
    }
    struct fp_policer p;
    memset(&p, 0, sizeof p);
    p.rate_pps = rate_pps;
    p.burst = burst ? burst : 1;
    p.tokens = p.burst * 1000000;
    return neg_errno(bpf_map__update_elem(fp->skel->maps.policers, &slot, sizeof slot,
                                          &p, sizeof p, BPF_F_LOCK));
}

int
fastpath_slice_stats(struct fastpath *fp, uint32_t slot, struct fp_slice_stats *s)
{
    struct fp_slice_stats pc[fp->n_cpus];
    memset(s, 0, sizeof *s);
    int rc = bpf_map__lookup_elem(fp->skel->maps.slice_stats, &slot, sizeof slot,
                                  pc, sizeof pc, 0);
    if (rc < 0) {
        return neg_errno(rc);
    }
    for (int c = 0; c < fp->n_cpus; c++) {
        s->offered += pc[c].offered;
        s->policed += pc[c].policed;
        s->punted += pc[c].punted;
        s->punt_failed += pc[c].punt_failed;
    }
    return 0;
}

int
fastpath_test_run(struct fastpath *fp, int ifindex, const void *frame,
                  size_t len, uint32_t *action, void *out, size_t *out_len,
                  struct fp_trace *tr)
{
    struct xdp_md ctx = { .data = 0, .data_end = (uint32_t) len,
                          .ingress_ifindex = (uint32_t) ifindex };
    LIBBPF_OPTS(bpf_test_run_opts, opts,
        .data_in = frame, .data_size_in = (uint32_t) len,
        .data_out = out, .data_size_out = (uint32_t) *out_len,
        .ctx_in = &ctx, .ctx_size_in = sizeof ctx,
        .repeat = 1);
    int rc = bpf_prog_test_run_opts(bpf_program__fd(fp->skel->progs.plural_fastpath),
                                    &opts);
    if (rc < 0) {
        return neg_errno(rc);
    }
    *action = opts.retval;
    *out_len = opts.data_size_out;
    if (tr) {
        uint32_t zero = 0;
        struct fp_trace pc[fp->n_cpus];
        memset(tr, 0, sizeof *tr);
        if (bpf_map__lookup_elem(fp->skel->maps.trace, &zero, sizeof zero, pc,
                                 sizeof pc, 0) == 0) {
            /* test_run runs on the calling CPU. */
            int cpu = sched_getcpu();
            if (cpu >= 0 && cpu < fp->n_cpus) {
                *tr = pc[cpu];
            }
        }
    }
    return 0;
}

int
fastpath_probe_redirect(struct fastpath *fp, uint16_t port_no, const void *frame,
                        size_t len)
{
    uint32_t zero = 0, slot = port_slot(port_no);
    int rc = bpf_map__update_elem(fp->skel->maps.probe, &zero, sizeof zero,
                                  &slot, sizeof slot, 0);
    if (rc < 0) {
        return neg_errno(rc);
    }
    LIBBPF_OPTS(bpf_test_run_opts, opts,
        .data_in = frame, .data_size_in = (uint32_t) len,
        .repeat = 1, .flags = BPF_F_TEST_XDP_LIVE_FRAMES);
    rc = bpf_prog_test_run_opts(bpf_program__fd(fp->skel->progs.plural_probe), &opts);
    return rc < 0 ? neg_errno(rc) : 0;
}
