/* test-port-io — the C half of tests/integration/port-*.sh (needs root).
 *
 * The "peer" is a plain AF_PACKET socket (not our port code) on the other
 * end of the link: the far veth end, or the TAP device itself seen from the
 * kernel side.  Namespaces are entered with setns(); a socket stays in the
 * namespace it was created in.
 *
 *   test-port-io io SPEC PORT_NS PEER_NS PEER_IF
 *       peer -> port: frames of 60..1518 bytes, untagged, 802.1Q and
 *       802.1ad tagged, must arrive intact (tags re-inserted), in order;
 *       port -> peer: the same frames sent in batches must arrive intact;
 *       counters must agree.
 *   test-port-io link SPEC PORT_NS PEER_NS PEER_IF
 *       peer link down/up must be reported by port_poll_link_change().
 *   test-port-io csum SPEC PORT_NS PEER_NS PORT_IP
 *       UDP and TCP from the peer's stack (tx checksum offload on, so the
 *       checksum is partial) must arrive with a valid checksum.
 * A namespace "-" means the current one.  Exit 0 pass, 1 fail, 77 skip. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dp/port.h"
#include "pkt/csum.h"
#include "pkt/packet-offload.h"
#include "util/util.h"

#define TEST_ETHERTYPE 0x88b5           /* IEEE local experimental. */

static void NO_RETURN PRINTF_FORMAT(1, 2)
die(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    fprintf(stderr, "test-port-io: FAIL: ");
    vfprintf(stderr, fmt, args);
    fputc('\n', stderr);
    va_end(args);
    exit(1);
}

static int original_netns_fd = -1;

static void
enter_netns(const char *ns)
{
    char path[256];
    if (!strcmp(ns, "-")) {
        /* The namespace we started in. */
        snprintf(path, sizeof path, "/proc/self/fd/%d", original_netns_fd);
    } else {
        snprintf(path, sizeof path, "/var/run/netns/%s", ns);
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
        die("cannot enter namespace %s: %s", ns, strerror(errno));
    }
    close(fd);
}

static uint64_t
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The peer: a raw AF_PACKET socket that reports stripped VLAN tags in
 * PACKET_AUXDATA and ignores its own transmissions. */
static int
peer_open(const char *ifname)
{
    int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
    if (fd < 0) {
        die("peer socket: %s", strerror(errno));
    }
    struct sockaddr_ll sll = { .sll_family = AF_PACKET,
                               .sll_protocol = htons(ETH_P_ALL),
                               .sll_ifindex = (int) if_nametoindex(ifname) };
    int one = 1;
    if (!sll.sll_ifindex
        || bind(fd, (struct sockaddr *) &sll, sizeof sll) < 0
        || setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof one) < 0) {
        die("peer socket on %s: %s", ifname, strerror(errno));
    }
    setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
    int big = 8 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big);
    return fd;
}

/* Receives one frame on the peer (tag re-inserted); returns its length, or
 * -1 on timeout. */
static int
peer_recv(int fd, uint8_t *frame, size_t size, int timeout_ms)
{
    struct pollfd pfd = { .fd = fd, .events = POLLIN };
    if (poll(&pfd, 1, timeout_ms) <= 0) {
        return -1;
    }
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
    } control;
    struct sockaddr_ll from;
    struct iovec iov = { frame + 4, size - 4 };
    struct msghdr msg = { .msg_name = &from, .msg_namelen = sizeof from,
                          .msg_iov = &iov, .msg_iovlen = 1,
                          .msg_control = &control, .msg_controllen = sizeof control };
    ssize_t n = recvmsg(fd, &msg, 0);
    if (n < 14) {
        die("peer recv: %s", n < 0 ? strerror(errno) : "runt");
    }
    if (from.sll_pkttype == PACKET_OUTGOING) {
        return peer_recv(fd, frame, size, timeout_ms);
    }
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA) {
            struct tpacket_auxdata aux;
            memcpy(&aux, CMSG_DATA(c), sizeof aux);
            if (aux.tp_status & TP_STATUS_VLAN_VALID) {
                uint16_t tpid = aux.tp_status & TP_STATUS_VLAN_TPID_VALID
                                ? aux.tp_vlan_tpid : ETH_P_8021Q;
                memmove(frame, frame + 4, 12);
                frame[12] = tpid >> 8;
                frame[13] = tpid & 0xff;
                frame[14] = aux.tp_vlan_tci >> 8;
                frame[15] = aux.tp_vlan_tci & 0xff;
                return (int) n + 4;
            }
        }
    }
    memmove(frame, frame + 4, (size_t) n);
    return (int) n;
}

static void
peer_send(int fd, const uint8_t *frame, size_t len)
{
    for (int tries = 0; send(fd, frame, len, 0) < 0; tries++) {
        if ((errno != ENOBUFS && errno != EAGAIN) || tries > 1000) {
            die("peer send of %zu bytes: %s", len, strerror(errno));
        }
        usleep(1000);
    }
}

/* Test frames: sizes x {untagged, 802.1Q, 802.1ad}.  Each carries its
 * index in the payload so reordering and loss are told apart. */
static const unsigned int frame_sizes[] = {
    60, 61, 64, 65, 100, 128, 255, 256, 511, 512, 1000, 1024, 1499, 1500, 1514,
};
enum { N_SIZES = ARRAY_SIZE(frame_sizes), N_KINDS = 4 };
#define N_FRAMES (N_SIZES * N_KINDS)

static size_t
make_test_frame(unsigned int i, uint8_t *f)
{
    unsigned int kind = i / N_SIZES;
    size_t len = frame_sizes[i % N_SIZES];
    size_t ofs = 12;
    static const uint8_t dst[6] = { 0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc };
    static const uint8_t src[6] = { 0x02, 0x00, 0x00, 0x11, 0x22, 0x33 };
    memcpy(f, dst, 6);
    memcpy(f + 6, src, 6);
    if (kind == 1 || kind == 2 || kind == 3) {
        uint16_t tpid = kind == 2 ? ETH_P_8021AD : ETH_P_8021Q;
        /* Kind 3: priority-tagged (VID 0, PCP 5); others VID 100+i. */
        uint16_t tci = kind == 3 ? 0xa000 : (uint16_t) ((3 << 13) | (100 + i));
        f[12] = tpid >> 8;
        f[13] = tpid & 0xff;
        f[14] = tci >> 8;
        f[15] = tci & 0xff;
        ofs = 16;
        if (kind == 2 && len > 1510) {
            len = 1510;     /* Linux allows MTU + 4 only for 802.1Q. */
        }
        len += 4;
    }
    f[ofs] = TEST_ETHERTYPE >> 8;
    f[ofs + 1] = TEST_ETHERTYPE & 0xff;
    f[ofs + 2] = (uint8_t) (i >> 8);
    f[ofs + 3] = (uint8_t) i;
    for (size_t k = ofs + 4; k < len; k++) {
        f[k] = (uint8_t) (i * 13 + k);
    }
    return len;
}

/* The test frame's index, or -1 if `f` is not one of ours (the kernel's
 * IPv6 router solicitations, say). */
static int
test_frame_index(const uint8_t *f, size_t len)
{
    size_t ofs = 12;
    if (len >= 18 && ((f[12] << 8 | f[13]) == ETH_P_8021Q
                      || (f[12] << 8 | f[13]) == ETH_P_8021AD)) {
        ofs = 16;
    }
    if (len < ofs + 4 || (f[ofs] << 8 | f[ofs + 1]) != TEST_ETHERTYPE) {
        return -1;
    }
    return f[ofs + 2] << 8 | f[ofs + 3];
}

static void
hexdump_diff(const char *what, const uint8_t *got, size_t got_len,
             const uint8_t *want, size_t want_len)
{
    fprintf(stderr, "%s: got %zu bytes, want %zu\n", what, got_len, want_len);
    for (size_t k = 0; k < MIN(got_len, want_len); k++) {
        if (got[k] != want[k]) {
            fprintf(stderr, "  first difference at byte %zu: %02x != %02x\n",
                    k, got[k], want[k]);
            break;
        }
    }
}

/* Waits until the port's fd is readable, then receives one batch. */
static int
port_recv_wait(struct port *port, struct packet_batch *batch, int timeout_ms)
{
    int n = port_recv(port, batch);
    if (n) {
        return n;
    }
    struct pollfd pfd = { .fd = port_wait_fd(port), .events = POLLIN };
    poll(&pfd, 1, timeout_ms);
    return port_recv(port, batch);
}

static void
run_io(struct port *port, int peer, const char *peer_ns, const char *port_ns)
{
    static uint8_t want[2048], got[2048];
    struct packet_batch batch;

    /* peer -> port: all frames back to back, so batches form. */
    for (unsigned int i = 0; i < N_FRAMES; i++) {
        peer_send(peer, want, make_test_frame(i, want));
    }
    unsigned int next = 0, batches = 0, max_batch = 0, foreign = 0;
    uint64_t deadline = now_ms() + 5000;
    while (next < N_FRAMES && now_ms() < deadline) {
        int n = port_recv_wait(port, &batch, 100);
        if (n < 0) {
            die("port_recv: %s", strerror(-n));
        }
        batches += n > 0;
        max_batch = MAX(max_batch, (unsigned int) n);
        for (int k = 0; k < n; k++) {
            struct packet *p = batch.pkts[k];
            if (p->headroom < 4) {
                die("packet with %u bytes of headroom", p->headroom);
            }
            int idx = test_frame_index(p->data, p->len);
            if (idx < 0) {
                foreign++;
                continue;
            }
            if ((unsigned int) idx != next) {
                die("port received frame %d, expected %u", idx, next);
            }
            size_t len = make_test_frame(next, want);
            if (p->len != len || memcmp(p->data, want, len)) {
                hexdump_diff("port rx", p->data, p->len, want, len);
                die("frame %u (%zu bytes) corrupted on receive", next, len);
            }
            next++;
        }
        port_recv_done(port, &batch);
    }
    if (next < N_FRAMES) {
        die("port received %u of %u frames", next, N_FRAMES);
    }
    printf("rx: %u frames intact (%u foreign ignored) in %u batches, "
           "largest %u\n", next, foreign, batches, max_batch);

    /* port -> peer, in batches of up to 17 frames (not a power of 2). */
    static uint8_t frames[N_FRAMES][1520];
    static struct packet pkts[N_FRAMES];
    struct packet *ptrs[N_FRAMES];
    for (unsigned int i = 0; i < N_FRAMES; i++) {
        pkts[i].data = frames[i];
        pkts[i].len = pkts[i].room = (uint32_t) make_test_frame(i, frames[i]);
        ptrs[i] = &pkts[i];
    }
    unsigned int sent = 0;
    for (unsigned int i = 0; i < N_FRAMES; i += 17) {
        unsigned int n = MIN(17u, N_FRAMES - i);
        int r = port_send(port, &ptrs[i], n);
        if (r != (int) n) {
            die("port_send sent %d of %u", r, n);
        }
        sent += n;
    }
    next = 0;
    deadline = now_ms() + 5000;
    while (next < N_FRAMES && now_ms() < deadline) {
        int len = peer_recv(peer, got, sizeof got, 200);
        if (len < 0) {
            continue;
        }
        int idx = test_frame_index(got, (size_t) len);
        if (idx < 0) {
            continue;
        }
        if ((unsigned int) idx != next) {
            die("peer received frame %d, expected %u", idx, next);
        }
        size_t wlen = make_test_frame(next, want);
        if ((size_t) len != wlen || memcmp(got, want, wlen)) {
            hexdump_diff("peer rx", got, (size_t) len, want, wlen);
            die("frame %u corrupted on send", next);
        }
        next++;
    }
    if (next < N_FRAMES) {
        die("peer received %u of %u frames sent", next, sent);
    }
    printf("tx: %u frames intact at the peer\n", next);

    struct port_stats s;
    port_get_stats(port, &s);
    if (s.rx_packets < N_FRAMES || s.tx_packets != N_FRAMES
        || s.tx_dropped || s.tx_errors || s.rx_errors) {
        die("counters: rx %llu tx %llu tx_dropped %llu tx_errors %llu "
            "rx_errors %llu", (unsigned long long) s.rx_packets,
            (unsigned long long) s.tx_packets,
            (unsigned long long) s.tx_dropped,
            (unsigned long long) s.tx_errors,
            (unsigned long long) s.rx_errors);
    }
    printf("stats: rx %llu pkts %llu bytes, tx %llu pkts %llu bytes, "
           "rx_dropped %llu\n", (unsigned long long) s.rx_packets,
           (unsigned long long) s.rx_bytes, (unsigned long long) s.tx_packets,
           (unsigned long long) s.tx_bytes, (unsigned long long) s.rx_dropped);

    uint8_t mac[6];
    int mtu;
    struct port_features f;
    if (port_get_mac(port, mac) || port_get_mtu(port, &mtu)) {
        die("cannot read MAC or MTU");
    }
    int ferr = port_get_features(port, &f);
    printf("device: mac %02x:%02x:%02x:%02x:%02x:%02x mtu %d link %s admin %s "
           "speed %u Mb/s curr 0x%x (%s)\n", mac[0], mac[1], mac[2], mac[3],
           mac[4], mac[5], mtu, port_is_link_up(port) ? "up" : "down",
           port_is_admin_up(port) ? "up" : "down", f.speed_mbps, f.curr,
           ferr ? strerror(-ferr) : "ok");
    if (!port_is_admin_up(port) || !port_is_link_up(port)) {
        die("port should be up");
    }

    /* The port keeps working from a thread in another namespace. */
    enter_netns(peer_ns);
    uint8_t mac2[6];
    if (!port_is_link_up(port) || port_get_mac(port, mac2)
        || memcmp(mac, mac2, 6)) {
        die("port's device not found from namespace %s", peer_ns);
    }
    enter_netns(port_ns);
}

static void
run_system(const char *cmd)
{
    if (system(cmd)) {
        die("command failed: %s", cmd);
    }
}

static bool
wait_link_change(struct port *port, bool *up)
{
    uint64_t deadline = now_ms() + 5000;
    while (now_ms() < deadline) {
        int fd = port_link_wait_fd(port);
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        poll(&pfd, fd >= 0, 100);
        int r = port_poll_link_change(port, up);
        if (r < 0) {
            die("port_poll_link_change: %s", strerror(-r));
        } else if (r) {
            return true;
        }
    }
    return false;
}

static void
run_link(struct port *port, const char *peer_ns, const char *peer_if)
{
    char cmd[256];
    bool up;
    if (port_poll_link_change(port, &up) != 0 || !up) {
        die("link should start up and unchanged");
    }
    snprintf(cmd, sizeof cmd, "ip -n %s link set %s down", peer_ns, peer_if);
    run_system(cmd);
    if (!wait_link_change(port, &up) || up) {
        die("peer down not reported");
    }
    printf("link: down reported\n");
    snprintf(cmd, sizeof cmd, "ip -n %s link set %s up", peer_ns, peer_if);
    run_system(cmd);
    if (!wait_link_change(port, &up) || !up) {
        die("peer up not reported");
    }
    printf("link: up reported\n");
    if (port_set_admin_up(port, false) || !wait_link_change(port, &up) || up) {
        die("admin down not reported");
    }
    if (port_set_admin_up(port, true) || !wait_link_change(port, &up) || !up) {
        die("admin up not reported");
    }
    printf("link: admin down/up reported\n");
}

/* True if the IPv4 TCP/UDP frame's L4 checksum verifies. */
static bool
l4_checksum_ok(const uint8_t *f, size_t len, uint8_t *proto_out)
{
    if (len < 34 || f[12] != 0x08 || f[13] != 0x00) {
        return false;
    }
    const uint8_t *ip = f + 14;
    size_t ihl = (ip[0] & 0xf) * 4u, total = ip[2] << 8 | ip[3];
    if (14 + total > len || total < ihl) {
        return false;
    }
    uint8_t proto = ip[9];
    *proto_out = proto;
    uint32_t l4_len = (uint32_t) (total - ihl);
    uint32_t sum = csum_partial(ip + 12, 8, 0) + proto + l4_len;
    return csum_finish(csum_partial(ip + ihl, l4_len, sum)) == 0;
}

static void
run_csum(struct port *port, const char *peer_ns, const char *port_ip,
         const char *port_ns)
{
    /* Sockets of the peer's stack. */
    enter_netns(peer_ns);
    struct sockaddr_in dst = { .sin_family = AF_INET, .sin_port = htons(9) };
    if (inet_pton(AF_INET, port_ip, &dst.sin_addr) != 1) {
        die("bad address %s", port_ip);
    }
    int udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    static const char payload[333] = "plural checksum test";
    if (sendto(udp, payload, sizeof payload, 0, (struct sockaddr *) &dst,
               sizeof dst) < 0) {
        die("udp sendto: %s", strerror(errno));
    }
    int tcp = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    connect(tcp, (struct sockaddr *) &dst, sizeof dst);  /* Sends a SYN. */
    enter_netns(port_ns);

    bool udp_ok = false, tcp_ok = false;
    uint64_t deadline = now_ms() + 5000;
    struct packet_batch batch;
    while ((!udp_ok || !tcp_ok) && now_ms() < deadline) {
        int n = port_recv_wait(port, &batch, 100);
        for (int k = 0; k < n; k++) {
            uint8_t proto = 0;
            struct packet *p = batch.pkts[k];
            /* With the vnet header the partial checksum is passed on
             * (port_send() or the kernel finish it): finish it here. */
            bool partial = p->ol_flags & PACKET_OL_CSUM;
            if (partial && packet_ol_finish(p)) {
                die("partial checksum with bad offsets");
            }
            bool ok = l4_checksum_ok(p->data, p->len, &proto);
            if (proto != IPPROTO_UDP && proto != IPPROTO_TCP) {
                continue;
            }
            if (!ok) {
                die("%s frame with a bad checksum",
                    proto == IPPROTO_UDP ? "UDP" : "TCP");
            }
            *(proto == IPPROTO_UDP ? &udp_ok : &tcp_ok) = true;
        }
        port_recv_done(port, &batch);
    }
    if (!udp_ok || !tcp_ok) {
        die("UDP %s, TCP %s", udp_ok ? "seen" : "missing",
            tcp_ok ? "seen" : "missing");
    }
    struct port_stats s;
    port_get_stats(port, &s);
    printf("csum: UDP and TCP checksums valid; completed in software: %llu, "
           "passed on with offload state: %llu\n",
           (unsigned long long) s.rx_csum_completed,
           (unsigned long long) s.rx_offloaded);
    bool vnet = port_offloads(port) & PORT_OL_VNET;
    if ((vnet ? s.rx_offloaded : s.rx_csum_completed) < 2) {
        die("expected partial checksums (peer tx offload on) to be %s",
            vnet ? "passed on as partial" : "completed");
    }
    close(udp);
    close(tcp);
}

int
main(int argc, char *argv[])
{
    if (argc != 6) {
        fprintf(stderr, "usage: %s io|link|csum SPEC PORT_NS PEER_NS "
                "PEER_IF|PORT_IP\n", argv[0]);
        return 2;
    }
    const char *mode = argv[1], *spec = argv[2], *port_ns = argv[3];
    const char *peer_ns = argv[4], *arg = argv[5];
    original_netns_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);

    enter_netns(port_ns);
    struct port *port;
    int error = port_open(spec, &port);
    if (error == -EPERM) {
        fprintf(stderr, "test-port-io: SKIP: %s needs root\n", spec);
        return 77;
    } else if (error) {
        die("port_open(%s): %s", spec, strerror(-error));
    }

    if (!strcmp(mode, "io")) {
        enter_netns(peer_ns);
        int peer = peer_open(arg);
        enter_netns(port_ns);
        run_io(port, peer, peer_ns, port_ns);
        close(peer);
    } else if (!strcmp(mode, "link")) {
        run_link(port, peer_ns, arg);
    } else if (!strcmp(mode, "csum")) {
        run_csum(port, peer_ns, arg, port_ns);
    } else {
        die("unknown mode %s", mode);
    }
    port_close(port);
    printf("PASS %s %s\n", mode, spec);
    return 0;
}
