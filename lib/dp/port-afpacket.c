/* port-afpacket — a Linux interface through an AF_PACKET socket.
 *
 * RX: an mmap ring, TPACKET_V2 by default, TPACKET_V3 for interfaces whose
 * MTU is above 1800 (V2's 2 KiB slots cannot hold jumbo frames).
 * V2: one slot per frame; the reader owns a frame as soon as the kernel
 * has written it (send to port_recv() ~2 us on veth).  V3: the kernel
 * fills a block and hands it over when it is full or after
 * tp_retire_blk_tov ms (1 ms rounds up to one jiffy, 4 ms with HZ=250), so
 * a lone frame waits: bench/port-rate measured a median of ~0.9 ms and a
 * tail of 5-8 ms.  That latency is what TCP feels: through the shared-
 * dataplane lab (iperf3, 1500-byte writes, ACKs riding half-empty blocks)
 * V3 carried 475-756 Mbit/s and V2 3.1-3.3 Gbit/s on the same machine.
 * V3 costs the sending CPU less per frame when a veth delivers in the
 * sender's context (bench/switch-fwd, 60 B, sender-limited: 806 k frames/s
 * forwarded with V3, 631-655 k with V2), which is why it remains
 * selectable: PLURAL_AFPACKET_RX=v2|v3 forces one.  port_recv() walks the
 * user-owned slots or blocks in ring order and lends up to a batch of
 * frames in place (zero copy); port_recv_done() gives them back (V3: every
 * block whose last frame was in that batch; a block a batch only partly
 * consumed stays with us until a later batch finishes it).
 *
 * Each frame has PACKET_RESERVE bytes reserved before it, and the whole
 * region from its tpacket header to the frame (all read before the frame
 * is lent) is the packet's headroom, so a VLAN push needs no copy.
 *
 * The kernel strips a received 802.1Q/802.1ad tag into tp_vlan_tci (status
 * TP_STATUS_VLAN_VALID); we put it back into the frame, so the datapath
 * sees the tag that was on the wire.  Our own transmissions are not
 * looped back (PACKET_IGNORE_OUTGOING, and sll_pkttype == PACKET_OUTGOING
 * as a guard).
 *
 * Offloads (interfaces keep their defaults: tx checksum, TSO/GSO, GRO on).
 * The socket has PACKET_VNET_HDR: the kernel puts a struct virtio_net_hdr
 * before each frame in the RX ring and reads one before each frame we
 * send.  A received frame keeps its offload state (partial checksum:
 * csum_start/csum_offset; GSO super-frame of up to 64 KB: gso_type/size)
 * in the packet's ol_* fields (pkt/packet-offload.h), counted in
 * rx_offloaded, and goes out of an afpacket port with the same header, so
 * the kernel checksums and segments it on transmission (or hands the
 * super-frame whole to the next veth): one frame per 64 KB instead of ~45.
 * Set-field actions keep partial checksums consistent (packet-edit.c).
 * Frames for ports without the header (TAP, dummy) are finished in
 * software by port_send(), frames for the controller by the datapath's
 * upcall (checksum completed, super-frame cut into segments).
 *   V2: a super-frame does not fit a 2 KiB slot; with PACKET_COPY_THRESH
 *   the kernel writes the truncated frame with TP_STATUS_COPY into the
 *   slot and also queues the whole frame on the socket (the same skb, no
 *   copy), which we read with recvmsg() into a per-batch-position 65 KiB
 *   buffer when we meet that slot (the queue holds exactly the COPY
 *   frames, in ring order).  If the socket queue is full (AFP_RCVBUF) the
 *   frame is truncated: rx_errors, dropped.
 *   V3: blocks grow to 128 KiB (32 of them, the same 4 MiB), so a
 *   super-frame fits a block.
 * Back-pressure budget: ~1 ms per port_send() (port.h);
 * PLURAL_AFPACKET_TX_WAIT_US=N sets it, 0 for none (a sender that waits by
 * itself: plural bench net gen, which sleeps instead of spinning).
 * Ring size: 4 MiB by default; PLURAL_AFPACKET_RX_MB=N (1..256) asks for
 * N MiB (plural bench net recv takes 64 MiB, so a receiver
 * descheduled under a burst does not drop: afp_rx_ring_bytes()).
 * Without PACKET_VNET_HDR (refused by the kernel, or
 * PLURAL_AFPACKET_VNET=off for measuring) a frame with
 * TP_STATUS_CSUMNOTREADY has its checksum completed in software
 * (rx_csum_completed) and super-frames longer than a slot or block are
 * truncated by the kernel (rx_errors, dropped): offloads must then be
 * turned off on the peers.
 *
 * TX: sendmmsg() of the whole batch on the same socket (bound to the
 * interface index), with PACKET_QDISC_BYPASS.  When the socket buffer is
 * full (EAGAIN/ENOBUFS) we wait for POLLOUT for a short, bounded time, then
 * drop and count.  PLURAL_AFPACKET_TX=ring selects a TPACKET_V3 TX ring on
 * the same socket instead; on veth (64 B frames, batches of 64) the two
 * cost the same within ~3% (1.35 M frames per CPU-second for sendmmsg,
 * 1.30 M for the ring: bench/port-rate), so the simpler path is the
 * default.  With the ring, frames the device refuses stay queued in the
 * ring and go with the next kick.  Frames longer than a ring slot (jumbo,
 * GSO super-frames) go through sendmmsg() on a second, plain packet socket:
 * a socket with a TX ring ignores the data given to send() and only
 * flushes its ring (before, such frames were silently lost).
 *
 * Thread-safety: see port.h (one owning thread). */
#include "dp/port-provider.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <net/if.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "pkt/csum.h"
#include "pkt/packet-offload.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/util.h"

LOG_MODULE(port_afpacket);

/* A warning rate-limited per call site. */
#define AFP_WARN_RL(...)                                                  \
    do { static struct log_ratelimit rl_ = LOG_RATELIMIT_INIT(5, 10);     \
         LOG_RL(&rl_, LOG_LEVEL_WARN, __VA_ARGS__); } while (0)

/* Ring geometry: 64 blocks of 64 KiB (4 MiB).  A 64-byte frame takes ~224
 * bytes of a block, so one block holds ~290 minimum-size frames, and any
 * frame up to ~65 KB fits. */
#define AFP_BLOCK_SIZE (1u << 16)
#define AFP_BLOCK_NR 64u
#define AFP_FRAME_SIZE 2048u            /* Nominal; V3 frames are variable. */
#define AFP_BLOCK_TIMEOUT_MS 1u
#define AFP_SNDBUF (4 * 1024 * 1024)
#define AFP_TX_WAIT_NS (1000 * 1000)    /* Back-pressure budget per send. */

/* TX ring (TPACKET_V3, same socket): 512 slots of 2 KiB.  Frames longer
 * than a slot holds go through send(). */
#define AFP_TX_FRAME_SIZE 2048u
#define AFP_TX_BLOCK_SIZE (1u << 16)
#define AFP_TX_BLOCK_NR 16u
#define AFP_TX_FRAME_NR (AFP_TX_BLOCK_SIZE / AFP_TX_FRAME_SIZE * AFP_TX_BLOCK_NR)
#define AFP_TX_DATA_OFS TPACKET_ALIGN(sizeof(struct tpacket3_hdr))
#define AFP_TX_DATA_MAX (AFP_TX_FRAME_SIZE - AFP_TX_DATA_OFS)

#define AFP_TX_RING_DEFAULT false

/* With the vnet header, V3 blocks of 128 KiB (32 of them in the default
 * 4 MiB), so a 64 KB GSO super-frame fits a block. */
#define AFP_V3_VNET_BLOCK_SIZE (1u << 17)

/* V2 with the vnet header: a frame longer than its slot (a GSO super-frame)
 * is also queued on the socket (PACKET_COPY_THRESH) and read with
 * recvmsg() into one of these buffers (one per batch position, allocated
 * when first needed).  AFP_RCVBUF bounds what the socket queue may hold. */
#define AFP_BIG_DATA (65536u + 1024u)
#define AFP_BIG_SIZE (PACKET_HEADROOM_WANTED + AFP_BIG_DATA)
#define AFP_RCVBUF (16 * 1024 * 1024)
#define AFP_VNET_LEN sizeof(struct virtio_net_hdr)

/* TPACKET_V2 RX (PLURAL_AFPACKET_RX=v2): fixed 2 KiB slots, so frames up
 * to ~1900 bytes (longer ones are truncated: rx_errors). */
#define AFP_V2_FRAME_SIZE 2048u
#define AFP_V2_FRAMES_PER_BLOCK (AFP_BLOCK_SIZE / AFP_V2_FRAME_SIZE)

/* Largest MTU whose frames (plus a VLAN tag) fit a V2 slot. */
#define AFP_V2_MTU_MAX 1800

/* The RX ring version: V2 (a frame is the reader's as soon as it is
 * written: latency in microseconds) unless the interface's MTU is too big
 * for its 2 KiB slots, then V3.  PLURAL_AFPACKET_RX=v2|v3 forces one (for
 * measuring). */
static bool
afp_want_rx_v2(int mtu)
{
    const char *mode = getenv("PLURAL_AFPACKET_RX");
    if (mode && (!strcmp(mode, "v2") || !strcmp(mode, "v3"))) {
        return !strcmp(mode, "v2");
    }
    return mtu > 0 && mtu <= AFP_V2_MTU_MAX;
}

/* PACKET_VNET_HDR (offloads passed through) unless PLURAL_AFPACKET_VNET=off
 * (for measuring and for testing the software fallbacks). */
static bool
afp_want_vnet(void)
{
    const char *mode = getenv("PLURAL_AFPACKET_VNET");
    return !mode || strcmp(mode, "off");
}

/* The RX ring's size: 4 MiB (AFP_BLOCK_SIZE * AFP_BLOCK_NR, whatever the
 * version) unless PLURAL_AFPACKET_RX_MB=N (1..256) asks for N MiB: a
 * receiver that may be descheduled for long under a burst (plural bench
 * net recv) takes a deeper ring instead of dropping. */
static size_t
afp_rx_ring_bytes(void)
{
    const char *mb = getenv("PLURAL_AFPACKET_RX_MB");
    uint64_t v;
    if (mb && !str_to_u64(mb, 1, 256, &v)) {
        return (size_t) v << 20;
    }
    return (size_t) AFP_BLOCK_SIZE * AFP_BLOCK_NR;
}

/* The back-pressure budget of one port_send(): AFP_TX_WAIT_NS, or
 * PLURAL_AFPACKET_TX_WAIT_US=N microseconds (0..1000000; 0: return at once
 * with what the kernel took, for a sender that waits by itself, such as
 * plural bench net gen). */
static uint64_t
afp_tx_wait_ns(void)
{
    const char *us = getenv("PLURAL_AFPACKET_TX_WAIT_US");
    uint64_t v;
    if (us && !str_to_u64(us, 0, 1000000, &v)) {
        return v * 1000;
    }
    return AFP_TX_WAIT_NS;
}

/* PLURAL_AFPACKET_TX=ring|sendmmsg selects the TX path (for measuring). */
static bool
afp_want_tx_ring(void)
{
    const char *mode = getenv("PLURAL_AFPACKET_TX");
    return mode ? !strcmp(mode, "ring") : AFP_TX_RING_DEFAULT;
}

struct port_afpacket {
    struct port up;
    int fd;
    /* sendmmsg() socket: fd, or with a TX ring (whose socket sends only
     * ring slots: the kernel ignores data passed to send()) a second
     * socket for frames longer than a slot (jumbo, GSO); -1 if none. */
    int send_fd;
    int ifindex;
    int link_fd;                        /* rtnetlink link monitor, or -1. */
    int ioctl_fd;                       /* For port_linux_*() (our netns). */

    uint8_t *ring;                      /* block_nr * block_size (RX). */
    size_t ring_size;
    uint32_t block_size, block_nr;      /* RX ring geometry (V3 blocks). */
    bool vnet;                          /* PACKET_VNET_HDR is on. */
    uint8_t *big[PACKET_BATCH_MAX];     /* V2+vnet: AFP_BIG_SIZE, or NULL. */
    unsigned int cur_block;             /* Next block to read from. */
    uint8_t *cur_frame;                 /* Next frame in cur_block. */
    uint32_t frames_left;               /* In cur_block; 0: not started. */
    bool rx_v2;                         /* TPACKET_V2 ring: cur_slot used. */
    unsigned int cur_slot;              /* V2: next frame slot to read. */
    unsigned int v2_frame_nr;           /* V2: slots in the ring. */
    uint64_t tx_wait_ns;                /* Back-pressure budget per send. */

    /* Blocks (V2: slots) finished by the last port_recv(), given back by
     * recv_done. */
    unsigned int release_first, release_count;

    /* TX ring (tx_mode ring): frames of AFP_TX_FRAME_SIZE after the RX
     * ring in the same mapping; NULL in sendmmsg mode. */
    uint8_t *tx_ring;
    unsigned int tx_head;               /* Next slot to fill. */

    struct packet lent[PACKET_BATCH_MAX];
    uint64_t kernel_drops;              /* From PACKET_STATISTICS (atomic). */
};

static struct port_afpacket *
port_afpacket_cast(const struct port *port)
{
    return CONTAINER_OF(port, struct port_afpacket, up);
}

static struct tpacket_block_desc *
afp_block(const struct port_afpacket *afp, unsigned int i)
{
    return (struct tpacket_block_desc *) (void *) (afp->ring + (size_t) i * afp->block_size);
}

/* Arguments for port_linux_*(): our ioctl socket and device name. */
#define AFP_IOCTL(PORT) port_afpacket_cast(PORT)->ioctl_fd, (PORT)->name

static int
setsockopt_int(int fd, int level, int name, int value)
{
    return setsockopt(fd, level, name, &value, sizeof value) < 0 ? -errno : 0;
}

/* With a TX ring: a plain packet socket (receives nothing) for frames
 * that do not fit a ring slot, with the same vnet header setting.
 * Returns an fd, or -1 (then such frames are dropped: tx_errors). */
static int
afp_open_send_socket(const char *name, int ifindex, bool vnet)
{
    int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_ifindex = ifindex };
    if (fd < 0 || (vnet && setsockopt_int(fd, SOL_PACKET, PACKET_VNET_HDR, 1))
        || bind(fd, (struct sockaddr *) &sll, sizeof sll) < 0) {
        LOG_WARN("%s: no socket for frames longer than a TX ring slot (%s); "
                 "they will be dropped", name, strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    setsockopt_int(fd, SOL_PACKET, PACKET_QDISC_BYPASS, 1);
    if (setsockopt_int(fd, SOL_SOCKET, SO_SNDBUFFORCE, AFP_SNDBUF)) {
        setsockopt_int(fd, SOL_SOCKET, SO_SNDBUF, AFP_SNDBUF);
    }
    return fd;
}

static int
port_afpacket_open(const char *name, struct port **portp)
{
    int ifindex = if_nametoindex(name);
    if (!ifindex) {
        return errno == ENODEV || errno == ENXIO ? -ENODEV : -errno;
    }

    int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return errno == EACCES ? -EPERM : -errno;
    }

    int mtu = 0;
    (void) port_linux_get_mtu(fd, name, &mtu);
    bool rx_v2 = afp_want_rx_v2(mtu);
    int error = setsockopt_int(fd, SOL_PACKET, PACKET_VERSION,
                               rx_v2 ? TPACKET_V2 : TPACKET_V3);
    if (!error) {
        error = setsockopt_int(fd, SOL_PACKET, PACKET_RESERVE,
                               PACKET_HEADROOM_WANTED);
    }
    if (error) {
        LOG_ERR("%s: TPACKET setup failed: %s", name, strerror(-error));
        close(fd);
        return error;
    }
    /* Before the rings (the kernel refuses it after). */
    bool vnet = afp_want_vnet();
    if (vnet && setsockopt_int(fd, SOL_PACKET, PACKET_VNET_HDR, 1)) {
        LOG_WARN("%s: no PACKET_VNET_HDR (%s): partial checksums are "
                 "completed in software, GSO super-frames dropped", name,
                 strerror(errno));
        vnet = false;
    }
    if (vnet && rx_v2) {
        if (setsockopt_int(fd, SOL_PACKET, PACKET_COPY_THRESH, 1)) {
            LOG_WARN("%s: no PACKET_COPY_THRESH: super-frames longer than a "
                     "ring slot will be dropped", name);
        }
        if (setsockopt_int(fd, SOL_SOCKET, SO_RCVBUFFORCE, AFP_RCVBUF)) {
            setsockopt_int(fd, SOL_SOCKET, SO_RCVBUF, AFP_RCVBUF);
        }
    }
    uint32_t block_size = vnet && !rx_v2 ? AFP_V3_VNET_BLOCK_SIZE : AFP_BLOCK_SIZE;
    uint32_t block_nr = (uint32_t) (afp_rx_ring_bytes() / block_size);
    if (setsockopt_int(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1)) {
        LOG_DBG("%s: no PACKET_IGNORE_OUTGOING; filtering in userspace", name);
    }
    if (setsockopt_int(fd, SOL_PACKET, PACKET_QDISC_BYPASS, 1)) {
        LOG_DBG("%s: no PACKET_QDISC_BYPASS", name);
    }
    if (setsockopt_int(fd, SOL_SOCKET, SO_SNDBUFFORCE, AFP_SNDBUF)) {
        setsockopt_int(fd, SOL_SOCKET, SO_SNDBUF, AFP_SNDBUF);
    }

    struct tpacket_req3 req;
    memset(&req, 0, sizeof req);
    req.tp_block_size = block_size;
    req.tp_block_nr = block_nr;
    req.tp_frame_size = AFP_FRAME_SIZE;
    req.tp_frame_nr = block_size / AFP_FRAME_SIZE * block_nr;
    req.tp_retire_blk_tov = AFP_BLOCK_TIMEOUT_MS;
    struct tpacket_req req2 = { AFP_BLOCK_SIZE, block_nr, AFP_V2_FRAME_SIZE,
                                AFP_V2_FRAMES_PER_BLOCK * block_nr };
    if (rx_v2 ? setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req2, sizeof req2) < 0
              : setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) < 0) {
        error = -errno;
        LOG_ERR("%s: PACKET_RX_RING failed: %s", name, strerror(errno));
        close(fd);
        return error;
    }
    bool tx_ring = afp_want_tx_ring();
    if (tx_ring && rx_v2) {
        LOG_WARN("%s: the TX ring needs TPACKET_V3; using sendmmsg", name);
        tx_ring = false;
    }
    if (tx_ring) {
        struct tpacket_req3 treq;
        memset(&treq, 0, sizeof treq);
        treq.tp_block_size = AFP_TX_BLOCK_SIZE;
        treq.tp_block_nr = AFP_TX_BLOCK_NR;
        treq.tp_frame_size = AFP_TX_FRAME_SIZE;
        treq.tp_frame_nr = AFP_TX_FRAME_NR;
        setsockopt_int(fd, SOL_PACKET, PACKET_LOSS, 1);  /* Skip bad frames. */
        if (setsockopt(fd, SOL_PACKET, PACKET_TX_RING, &treq, sizeof treq) < 0) {
            LOG_WARN("%s: no TX ring (%s); using sendmmsg", name, strerror(errno));
            tx_ring = false;
        }
    }
    size_t rx_size = (size_t) block_size * block_nr;
    size_t ring_size = rx_size
                       + (tx_ring ? (size_t) AFP_TX_BLOCK_SIZE * AFP_TX_BLOCK_NR : 0);
    void *ring = mmap(NULL, ring_size, PROT_READ | PROT_WRITE,
                      MAP_SHARED | MAP_LOCKED | MAP_POPULATE, fd, 0);
    if (ring == MAP_FAILED) {
        /* MAP_LOCKED may exceed RLIMIT_MEMLOCK for non-root; retry without. */
        ring = mmap(NULL, ring_size, PROT_READ | PROT_WRITE,
                    MAP_SHARED | MAP_POPULATE, fd, 0);
    }
    if (ring == MAP_FAILED) {
        error = -errno;
        LOG_ERR("%s: cannot map RX ring: %s", name, strerror(errno));
        close(fd);
        return error;
    }

    struct sockaddr_ll sll;
    memset(&sll, 0, sizeof sll);
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_ALL);
    sll.sll_ifindex = ifindex;
    if (bind(fd, (struct sockaddr *) &sll, sizeof sll) < 0) {
        error = errno == ENXIO ? -ENODEV : -errno;
        munmap(ring, ring_size);
        close(fd);
        return error;
    }

    struct packet_mreq mreq;
    memset(&mreq, 0, sizeof mreq);
    mreq.mr_ifindex = ifindex;
    mreq.mr_type = PACKET_MR_PROMISC;
    if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mreq, sizeof mreq) < 0) {
        LOG_WARN("%s: cannot enable promiscuous mode: %s", name, strerror(errno));
    }

    int ioctl_fd = port_linux_open_ioctl_socket();
    if (ioctl_fd < 0) {
        munmap(ring, ring_size);
        close(fd);
        return ioctl_fd;
    }
    error = port_linux_set_flags(ioctl_fd, name, IFF_UP, 0);
    if (error) {
        LOG_WARN("%s: cannot bring the interface up: %s", name, strerror(-error));
    }

    struct port_afpacket *afp = xzalloc(sizeof *afp);
    port_init(&afp->up, &port_afpacket_class, name);
    afp->fd = fd;
    afp->send_fd = tx_ring ? afp_open_send_socket(name, ifindex, vnet) : fd;
    afp->ioctl_fd = ioctl_fd;
    afp->ifindex = ifindex;
    afp->ring = ring;
    afp->ring_size = ring_size;
    afp->tx_ring = tx_ring ? afp->ring + rx_size : NULL;
    afp->rx_v2 = rx_v2;
    afp->block_size = block_size;
    afp->block_nr = block_nr;
    afp->v2_frame_nr = AFP_V2_FRAMES_PER_BLOCK * block_nr;
    afp->tx_wait_ns = afp_tx_wait_ns();
    afp->vnet = vnet;
    afp->up.offloads = vnet ? PORT_OL_VNET : 0;
    afp->link_fd = port_linux_open_link_monitor();
    if (afp->link_fd < 0) {
        LOG_WARN("%s: no rtnetlink link monitor (%s); link changes are polled",
                 name, strerror(-afp->link_fd));
        afp->link_fd = -1;
    }
    *portp = &afp->up;
    return 0;
}

static struct tpacket2_hdr *
afp_v2_slot(const struct port_afpacket *afp, unsigned int i)
{
    return (struct tpacket2_hdr *) (void *) (afp->ring
                                             + (size_t) i * AFP_V2_FRAME_SIZE);
}

static void
port_afpacket_release_blocks(struct port_afpacket *afp)
{
    if (afp->rx_v2) {
        for (unsigned int i = 0; i < afp->release_count; i++) {
            struct tpacket2_hdr *h =
                afp_v2_slot(afp, (afp->release_first + i) % afp->v2_frame_nr);
            __atomic_store_n(&h->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
        }
        afp->release_count = 0;
        return;
    }
    for (unsigned int i = 0; i < afp->release_count; i++) {
        struct tpacket_block_desc *b =
            afp_block(afp, (afp->release_first + i) % afp->block_nr);
        __atomic_store_n(&b->hdr.bh1.block_status, TP_STATUS_KERNEL,
                         __ATOMIC_RELEASE);
    }
    afp->release_count = 0;
}

static void
port_afpacket_close(struct port *port)
{
    struct port_afpacket *afp = port_afpacket_cast(port);
    munmap(afp->ring, afp->ring_size);
    if (afp->send_fd >= 0 && afp->send_fd != afp->fd) {
        close(afp->send_fd);
    }
    close(afp->fd);
    close(afp->ioctl_fd);
    if (afp->link_fd >= 0) {
        close(afp->link_fd);
    }
    for (size_t i = 0; i < ARRAY_SIZE(afp->big); i++) {
        free(afp->big[i]);
    }
    free(afp);
}

/* Completes the TCP or UDP checksum of a frame whose checksum field holds
 * only the pseudo-header sum (CHECKSUM_PARTIAL).  Returns true if done,
 * false if the frame is not IPv4/IPv6 + TCP/UDP we can parse. */
static bool
afp_complete_checksum(uint8_t *frame, uint32_t len)
{
    uint32_t ofs = 12;
    if (len < 14) {
        return false;
    }
    uint16_t ethertype = frame[12] << 8 | frame[13];
    while ((ethertype == ETH_P_8021Q || ethertype == ETH_P_8021AD)
           && ofs + 6 <= len) {
        ofs += 4;
        ethertype = frame[ofs] << 8 | frame[ofs + 1];
    }
    ofs += 2;

    uint32_t sum = 0;
    uint8_t proto;
    uint32_t l4_len;
    if (ethertype == ETH_P_IP) {
        if (ofs + 20 > len) {
            return false;
        }
        const uint8_t *ip = frame + ofs;
        uint32_t ihl = (ip[0] & 0x0f) * 4u;
        uint32_t total = ip[2] << 8 | ip[3];
        if ((ip[0] >> 4) != 4 || ihl < 20 || total < ihl
            || ofs + total > len || (ip[6] & 0x3f) || ip[7]) {
            return false;       /* Fragments never carry partial sums. */
        }
        proto = ip[9];
        l4_len = total - ihl;
        sum = csum_partial(ip + 12, 8, sum);     /* Addresses. */
        ofs += ihl;
    } else if (ethertype == ETH_P_IPV6) {
        if (ofs + 40 > len) {
            return false;
        }
        const uint8_t *ip6 = frame + ofs;
        proto = ip6[6];
        l4_len = ip6[4] << 8 | ip6[5];
        if (ofs + 40 + l4_len > len) {
            return false;
        }
        sum = csum_partial(ip6 + 8, 32, sum);
        ofs += 40;
    } else {
        return false;
    }

    uint32_t field;
    if (proto == IPPROTO_TCP && l4_len >= 20) {
        field = ofs + 16;
    } else if (proto == IPPROTO_UDP && l4_len >= 8) {
        field = ofs + 6;
    } else {
        return false;
    }
    sum += proto + l4_len;
    frame[field] = frame[field + 1] = 0;
    uint16_t csum = csum_finish(csum_partial(frame + ofs, l4_len, sum));
    if (proto == IPPROTO_UDP && csum == 0) {
        csum = 0xffff;
    }
    frame[field] = csum >> 8;
    frame[field + 1] = csum & 0xff;
    return true;
}

/* What afp_frame_to_packet() needs from a V2 or V3 frame header. */
struct afp_rx_frame {
    uint8_t *hdr;                       /* Frame header (start of slot). */
    uint32_t status, len, snaplen;
    uint16_t mac;                       /* Offset of the frame from hdr. */
    uint16_t protected_len;             /* Header bytes not to lend. */
    uint16_t vlan_tci, vlan_tpid;
    const struct sockaddr_ll *sll;
};

/* Reads the kernel's offload metadata into the packet (len is the frame's
 * length as received, without a VLAN tag put back).  False if it does not
 * fit the frame. */
static bool
afp_vnet_to_packet(const struct virtio_net_hdr *vh, struct packet *p)
{
    if (vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
        p->ol_flags |= PACKET_OL_CSUM;
        p->csum_start = le16toh(vh->csum_start);
        p->csum_offset = le16toh(vh->csum_offset);
        if ((uint32_t) p->csum_start + p->csum_offset + 2 > p->len) {
            return false;
        }
    }
    if ((vh->gso_type & ~VIRTIO_NET_HDR_GSO_ECN) != VIRTIO_NET_HDR_GSO_NONE) {
        p->ol_flags |= PACKET_OL_GSO;
        p->gso_type = vh->gso_type;
        p->gso_size = le16toh(vh->gso_size);
    }
    return true;
}

/* What every received frame gets once `p` points at it: the offload
 * metadata (vh, or NULL without the vnet header), the VLAN tag the kernel
 * stripped, a completed checksum when there is no vnet header.  False if
 * the frame must be skipped. */
static bool
afp_finish_packet(struct port_afpacket *afp, struct packet *p, uint32_t status,
                  uint16_t vlan_tci, uint16_t vlan_tpid,
                  const struct virtio_net_hdr *vh)
{
    /* First: a tag put back may overwrite the header in the headroom. */
    if (vh && !afp_vnet_to_packet(vh, p)) {
        AFP_WARN_RL("%s: offload metadata does not fit the frame; dropped",
                    afp->up.name);
        port_stat_add(&afp->up.stats.rx_errors, 1);
        return false;
    }
    if (status & TP_STATUS_VLAN_VALID) {
        uint16_t tpid = (status & TP_STATUS_VLAN_TPID_VALID)
                        ? vlan_tpid : ETH_P_8021Q;
        memmove(p->data - 4, p->data, 12);
        p->data -= 4;
        p->headroom -= 4;
        p->len += 4;
        p->data[12] = tpid >> 8;
        p->data[13] = tpid & 0xff;
        p->data[14] = vlan_tci >> 8;
        p->data[15] = vlan_tci & 0xff;
        if (p->ol_flags) {
            p->csum_start += 4;         /* Offsets were without the tag. */
        }
    }
    if (p->ol_flags) {
        port_stat_add(&afp->up.stats.rx_offloaded, 1);
    } else if (!vh && (status & TP_STATUS_CSUMNOTREADY)) {
        if (afp_complete_checksum(p->data, p->len)) {
            port_stat_add(&afp->up.stats.rx_csum_completed, 1);
        } else {
            AFP_WARN_RL("%s: partial checksum on a frame we cannot "
                   "parse; passed on as is", afp->up.name);
        }
    }
    p->room = p->len;
    return true;
}

/* V2 + vnet header: a frame longer than its slot (TP_STATUS_COPY) is read
 * whole from the socket queue into big[idx].  The queue holds exactly the
 * COPY frames, in ring order, so each COPY slot consumes one entry even if
 * the frame is then dropped. */
static bool
afp_copy_to_packet(struct port_afpacket *afp, const struct afp_rx_frame *f,
                   struct packet *p, unsigned int idx)
{
    if (!afp->big[idx]) {
        afp->big[idx] = xmalloc(AFP_BIG_SIZE);
    }
    uint8_t *data = afp->big[idx] + PACKET_HEADROOM_WANTED;
    struct virtio_net_hdr vh;
    struct iovec iov[2] = { { &vh, AFP_VNET_LEN }, { data, AFP_BIG_DATA } };
    struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };
    ssize_t r;
    do {
        r = recvmsg(afp->fd, &msg, MSG_DONTWAIT | MSG_TRUNC);
    } while (r < 0 && errno == EINTR);
    if (r < 0) {
        AFP_WARN_RL("%s: long frame missing from the socket queue: %s",
                    afp->up.name, strerror(errno));
        port_stat_add(&afp->up.stats.rx_errors, 1);
        return false;
    }
    if (UNLIKELY(f->sll->sll_pkttype == PACKET_OUTGOING)) {
        return false;
    }
    if ((size_t) r > AFP_VNET_LEN + AFP_BIG_DATA || (msg.msg_flags & MSG_TRUNC)
        || (size_t) r < AFP_VNET_LEN + 14) {
        port_stat_add(&afp->up.stats.rx_errors, 1);
        port_stat_add(&afp->up.stats.rx_over_err, 1);
        return false;
    }
    memset(p, 0, sizeof *p);
    p->data = data;
    p->len = (uint32_t) (r - AFP_VNET_LEN);
    p->headroom = PACKET_HEADROOM_WANTED;
    return afp_finish_packet(afp, p, f->status, f->vlan_tci, f->vlan_tpid, &vh);
}

/* Turns one ring frame into packet lent[idx]; false if it must be skipped. */
static bool
afp_frame_to_packet(struct port_afpacket *afp, const struct afp_rx_frame *f,
                    struct packet *p, unsigned int idx)
{
    if (UNLIKELY(f->status & TP_STATUS_COPY)) {
        return afp_copy_to_packet(afp, f, p, idx);
    }
    if (UNLIKELY(f->sll->sll_pkttype == PACKET_OUTGOING)) {
        return false;
    }
    if (UNLIKELY(f->snaplen < f->len || f->snaplen < 14)) {
        port_stat_add(&afp->up.stats.rx_errors, 1);
        port_stat_add(&afp->up.stats.rx_over_err, 1);
        return false;
    }

    memset(p, 0, sizeof *p);
    p->data = f->hdr + f->mac;
    p->len = f->snaplen;
    p->headroom = f->mac - f->protected_len;
    /* The kernel writes the vnet header just before the frame. */
    struct virtio_net_hdr vh;
    if (afp->vnet) {
        memcpy(&vh, p->data - AFP_VNET_LEN, sizeof vh);
    }
    return afp_finish_packet(afp, p, f->status, f->vlan_tci, f->vlan_tpid,
                             afp->vnet ? &vh : NULL);
}

/* TPACKET_V2: one slot per frame; the kernel wakes the reader per frame. */
static int
afp_recv_v2(struct port_afpacket *afp, struct packet_batch *batch)
{
    afp->release_first = afp->cur_slot;
    unsigned int n = 0;
    uint64_t bytes = 0;
    while (n < PACKET_BATCH_MAX) {
        struct tpacket2_hdr *h = afp_v2_slot(afp, afp->cur_slot);
        uint32_t status = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
        if (!(status & TP_STATUS_USER)) {
            break;
        }
        afp->cur_slot = (afp->cur_slot + 1) % afp->v2_frame_nr;
        afp->release_count++;
        struct afp_rx_frame f = {
            .hdr = (uint8_t *) h, .status = status, .len = h->tp_len,
            .snaplen = h->tp_snaplen, .mac = h->tp_mac,
            /* tp_status is written back by recv_done: not headroom. */
            .protected_len = TPACKET_ALIGN(sizeof *h),
            .vlan_tci = h->tp_vlan_tci, .vlan_tpid = h->tp_vlan_tpid,
            .sll = (const void *) ((uint8_t *) h + TPACKET_ALIGN(sizeof *h)),
        };
        struct packet *p = &afp->lent[n];
        if (afp_frame_to_packet(afp, &f, p, n)) {
            batch->pkts[n++] = p;
            bytes += p->len;
        }
    }
    batch->n = n;
    if (n) {
        port_stat_add(&afp->up.stats.rx_packets, n);
        port_stat_add(&afp->up.stats.rx_bytes, bytes);
    }
    return n;
}

static int
port_afpacket_recv(struct port *port, struct packet_batch *batch)
{
    struct port_afpacket *afp = port_afpacket_cast(port);
    port_afpacket_release_blocks(afp);     /* If recv_done was skipped. */
    if (afp->rx_v2) {
        return afp_recv_v2(afp, batch);
    }
    afp->release_first = afp->cur_block;

    unsigned int n = 0;
    uint64_t bytes = 0;
    while (n < PACKET_BATCH_MAX) {
        if (!afp->frames_left) {
            struct tpacket_block_desc *b = afp_block(afp, afp->cur_block);
            uint32_t bstatus = __atomic_load_n(&b->hdr.bh1.block_status,
                                               __ATOMIC_ACQUIRE);
            if (!(bstatus & TP_STATUS_USER)) {
                break;
            }
            afp->frames_left = b->hdr.bh1.num_pkts;
            afp->cur_frame = (uint8_t *) b + b->hdr.bh1.offset_to_first_pkt;
            if (!afp->frames_left) {
                afp->release_count++;
                afp->cur_block = (afp->cur_block + 1) % afp->block_nr;
                continue;
            }
        }
        struct tpacket3_hdr *h = (void *) afp->cur_frame;
        afp->cur_frame += h->tp_next_offset;    /* Read before lending h. */
        if (--afp->frames_left == 0) {
            afp->release_count++;
            afp->cur_block = (afp->cur_block + 1) % afp->block_nr;
        }
        struct afp_rx_frame f = {
            .hdr = (uint8_t *) h, .status = h->tp_status, .len = h->tp_len,
            .snaplen = h->tp_snaplen, .mac = h->tp_mac,
            .protected_len = 0,     /* Everything needed was read above. */
            .vlan_tci = h->hv1.tp_vlan_tci, .vlan_tpid = h->hv1.tp_vlan_tpid,
            .sll = (const void *) ((uint8_t *) h + TPACKET_ALIGN(sizeof *h)),
        };
        struct packet *p = &afp->lent[n];
        if (afp_frame_to_packet(afp, &f, p, n)) {
            batch->pkts[n++] = p;
            bytes += p->len;
        }
    }
    batch->n = n;
    if (n) {
        port_stat_add(&port->stats.rx_packets, n);
        port_stat_add(&port->stats.rx_bytes, bytes);
    }
    return n;
}

static void
port_afpacket_recv_done(struct port *port, struct packet_batch *batch)
{
    (void) batch;
    port_afpacket_release_blocks(port_afpacket_cast(port));
}

/* The vnet header that sends `p` as it is: partial checksum and GSO
 * state for the kernel to finish (all zero for a complete frame). */
static void
afp_packet_to_vnet(const struct packet *p, struct virtio_net_hdr *vh)
{
    memset(vh, 0, sizeof *vh);
    if (p->ol_flags & PACKET_OL_CSUM) {
        vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
        vh->csum_start = htole16(p->csum_start);
        vh->csum_offset = htole16(p->csum_offset);
    }
    if (p->ol_flags & PACKET_OL_GSO) {
        vh->gso_type = p->gso_type;
        vh->gso_size = htole16(p->gso_size);
        vh->hdr_len = htole16((uint16_t) packet_ol_header_len(p));
    }
}

static struct tpacket3_hdr *
afp_tx_slot(const struct port_afpacket *afp, unsigned int i)
{
    return (struct tpacket3_hdr *) (void *) (afp->tx_ring
                                             + (size_t) i * AFP_TX_FRAME_SIZE);
}

/* Asks the kernel to transmit every filled slot.  Returns 0 or a positive
 * errno (EAGAIN/ENOBUFS: the device is busy; the slots stay queued and go
 * with the next kick). */
static int
afp_tx_kick(struct port_afpacket *afp)
{
    return send(afp->fd, NULL, 0, MSG_DONTWAIT) < 0 ? errno : 0;
}

static int afp_send_mmsg(struct port *, struct packet *const *, unsigned int);

static int
afp_send_ring(struct port *port, struct packet *const *pkts, unsigned int n)
{
    struct port_afpacket *afp = port_afpacket_cast(port);
    unsigned int sent = 0, ring_sent = 0, i = 0, errors = 0;
    uint64_t bytes = 0, deadline = 0;
    bool queued = false;

    uint32_t vlen = afp->vnet ? AFP_VNET_LEN : 0;
    while (i < n) {
        uint32_t len = pkts[i]->len;
        if (UNLIKELY(len + vlen > AFP_TX_DATA_MAX)) {
            /* Jumbo or GSO: through the send socket, after what is queued
             * (keeps order). */
            if (queued) {
                afp_tx_kick(afp);
                queued = false;
            }
            sent += afp_send_mmsg(port, &pkts[i], 1);
            i++;
            continue;
        }
        struct tpacket3_hdr *h = afp_tx_slot(afp, afp->tx_head);
        uint32_t status = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
        if (status != TP_STATUS_AVAILABLE) {
            /* Ring full: kick, and give the kernel a bounded time. */
            uint64_t now = clock_real_ns();
            if (!deadline) {
                if (!afp->tx_wait_ns) {
                    break;
                }
                deadline = now + afp->tx_wait_ns;
            } else if (now >= deadline) {
                break;
            }
            int error = afp_tx_kick(afp);
            queued = false;
            if (error && error != EAGAIN && error != ENOBUFS) {
                AFP_WARN_RL("%s: TX ring send failed: %s", port->name,
                            strerror(error));
                errors += n - i;
                i = n;
            }
            continue;
        }
        uint8_t *slot = (uint8_t *) h + AFP_TX_DATA_OFS;
        if (vlen) {
            struct virtio_net_hdr vh;
            afp_packet_to_vnet(pkts[i], &vh);
            memcpy(slot, &vh, vlen);
        }
        memcpy(slot + vlen, pkts[i]->data, len);
        h->tp_len = vlen + len;
        h->tp_snaplen = vlen + len;
        h->tp_next_offset = 0;
        __atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
        afp->tx_head = (afp->tx_head + 1) % AFP_TX_FRAME_NR;
        queued = true;
        ring_sent++;
        bytes += len;
        i++;
    }
    if (queued) {
        int error = afp_tx_kick(afp);
        if (error && error != EAGAIN && error != ENOBUFS) {
            AFP_WARN_RL("%s: TX ring send failed: %s", port->name, strerror(error));
        }
    }
    /* afp_send_mmsg() counted the jumbo frames itself. */
    port_stat_add(&port->stats.tx_packets, ring_sent);
    port_stat_add(&port->stats.tx_bytes, bytes);
    if (errors) {
        port_stat_add(&port->stats.tx_errors, errors);
    }
    if (n - i) {
        port_stat_add(&port->stats.tx_dropped, n - i);
    }
    return sent + ring_sent;
}

static int
port_afpacket_send(struct port *port, struct packet *const *pkts, unsigned int n)
{
    return port_afpacket_cast(port)->tx_ring ? afp_send_ring(port, pkts, n)
                                             : afp_send_mmsg(port, pkts, n);
}

static int
afp_send_mmsg(struct port *port, struct packet *const *pkts, unsigned int n)
{
    struct port_afpacket *afp = port_afpacket_cast(port);
    struct mmsghdr msgs[PACKET_BATCH_MAX];
    struct iovec iov[PACKET_BATCH_MAX];
    /* With the vnet header each message is {header, frame}. */
    struct virtio_net_hdr vh[PACKET_BATCH_MAX];
    struct iovec vh_iov[PACKET_BATCH_MAX][2];

    memset(msgs, 0, n * sizeof msgs[0]);
    for (unsigned int i = 0; i < n; i++) {
        iov[i].iov_base = pkts[i]->data;
        iov[i].iov_len = pkts[i]->len;
        if (afp->vnet) {
            afp_packet_to_vnet(pkts[i], &vh[i]);
            vh_iov[i][0] = (struct iovec) { &vh[i], AFP_VNET_LEN };
            vh_iov[i][1] = iov[i];
            msgs[i].msg_hdr.msg_iov = vh_iov[i];
            msgs[i].msg_hdr.msg_iovlen = 2;
        } else {
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
        }
    }

    unsigned int done = 0, sent = 0, errors = 0;
    uint64_t bytes = 0, deadline = 0;
    while (done < n) {
        int r = afp->send_fd < 0 ? (errno = ENOTCONN, -1)
                : sendmmsg(afp->send_fd, &msgs[done], n - done, MSG_DONTWAIT);
        if (r > 0) {
            for (int i = 0; i < r; i++) {
                bytes += iov[done + i].iov_len;
            }
            done += r;
            sent += r;
            continue;
        }
        int error = r < 0 ? errno : EAGAIN;
        if (error == EINTR) {
            continue;
        } else if (error == EAGAIN || error == ENOBUFS) {
            /* Back-pressure: wait for room, within a small budget. */
            uint64_t now = clock_real_ns();
            if (!deadline) {
                if (!afp->tx_wait_ns) {
                    break;
                }
                deadline = now + afp->tx_wait_ns;
            } else if (now >= deadline) {
                break;
            }
            struct pollfd pfd = { .fd = afp->send_fd, .events = POLLOUT };
            if (error == EAGAIN) {
                poll(&pfd, 1, 1);
            }
            continue;
        } else if (error == EMSGSIZE || error == EINVAL) {
            /* This frame is bad (too big for the MTU, too short): skip it. */
            AFP_WARN_RL("%s: frame of %zu bytes refused: %s",
                   port->name, iov[done].iov_len, strerror(error));
            errors++;
            done++;
        } else {
            AFP_WARN_RL("%s: send failed: %s", port->name,
                   strerror(error));
            errors += n - done;
            done = n;
        }
    }
    port_stat_add(&port->stats.tx_packets, sent);
    port_stat_add(&port->stats.tx_bytes, bytes);
    if (errors) {
        port_stat_add(&port->stats.tx_errors, errors);
    }
    if (n - done) {
        port_stat_add(&port->stats.tx_dropped, n - done);
    }
    return sent;
}

static int
port_afpacket_wait_fd(const struct port *port)
{
    return port_afpacket_cast(port)->fd;
}

static bool
port_afpacket_is_link_up(struct port *port)
{
    unsigned int flags;
    return !port_linux_get_flags(AFP_IOCTL(port), &flags) && (flags & IFF_RUNNING);
}

static bool
port_afpacket_is_admin_up(struct port *port)
{
    unsigned int flags;
    return !port_linux_get_flags(AFP_IOCTL(port), &flags) && (flags & IFF_UP);
}

static int
port_afpacket_set_admin_up(struct port *port, bool up)
{
    return port_linux_set_flags(AFP_IOCTL(port), up ? IFF_UP : 0, up ? 0 : IFF_UP);
}

static int
port_afpacket_get_mac(struct port *port, uint8_t mac[6])
{
    return port_linux_get_mac(AFP_IOCTL(port), mac);
}

static int
port_afpacket_get_mtu(struct port *port, int *mtu)
{
    return port_linux_get_mtu(AFP_IOCTL(port), mtu);
}

static int
port_afpacket_get_features(struct port *port, struct port_features *f)
{
    return port_linux_get_features(AFP_IOCTL(port), f);
}

static int
port_afpacket_link_wait_fd(const struct port *port)
{
    return port_afpacket_cast(port)->link_fd;
}

static void
port_afpacket_link_drain(struct port *port)
{
    port_linux_drain(port_afpacket_cast(port)->link_fd);
}

static void
port_afpacket_get_stats_extra(const struct port *port, struct port_stats *s)
{
    struct port_afpacket *afp = port_afpacket_cast(port);
    struct tpacket_stats_v3 st;
    socklen_t len = sizeof st;
    /* The kernel resets its counters on each read: accumulate. */
    if (!getsockopt(afp->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len)) {
        __atomic_fetch_add(&afp->kernel_drops, st.tp_drops, __ATOMIC_RELAXED);
    }
    s->rx_dropped += __atomic_load_n(&afp->kernel_drops, __ATOMIC_RELAXED);
}

const struct port_class port_afpacket_class = {
    .type = "afpacket",
    .open = port_afpacket_open,
    .close = port_afpacket_close,
    .recv = port_afpacket_recv,
    .recv_done = port_afpacket_recv_done,
    .send = port_afpacket_send,
    .wait_fd = port_afpacket_wait_fd,
    .is_link_up = port_afpacket_is_link_up,
    .is_admin_up = port_afpacket_is_admin_up,
    .set_admin_up = port_afpacket_set_admin_up,
    .get_mac = port_afpacket_get_mac,
    .get_mtu = port_afpacket_get_mtu,
    .get_features = port_afpacket_get_features,
    .link_wait_fd = port_afpacket_link_wait_fd,
    .link_drain = port_afpacket_link_drain,
    .get_stats_extra = port_afpacket_get_stats_extra,
};
