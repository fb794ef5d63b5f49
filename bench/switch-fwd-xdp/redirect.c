/* redirect.c — the reference forwarder of bench/switch-fwd: the least work any
 * software forwarder can do on this machine.
 *
 * Built twice by bench/switch-fwd at run time with clang -target bpf:
 *   -DOUT_IFINDEX=N   every frame received is sent out of ifindex N with
 *                     bpf_redirect() (no parsing, no lookup, no rewrite);
 *                     attached to R's r0, N = R's r1.
 *   -DPASS            XDP_PASS: for the far end (B's veth).  A veth receives
 *                     XDP-redirected frames only when its peer has NAPI, which
 *                     an attached XDP program provides; without it they are
 *                     dropped.
 * Section "xdp" in both objects (ip link set DEV xdp obj FILE sec xdp). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_fwd(struct xdp_md *ctx)
{
    (void) ctx;
#ifdef PASS
    return XDP_PASS;
#else
    return bpf_redirect(OUT_IFINDEX, 0);
#endif
}

char _license[] SEC("license") = "GPL";
