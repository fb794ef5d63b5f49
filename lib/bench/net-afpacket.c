/* net-afpacket — see net-afpacket.h. */
#include "net-afpacket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/util.h"

#define TX_RING_BYTES (4u << 20)
#define TX_RING_MIN_FRAMES 256u
#define TX_RING_MAX_FRAMES 4096u
#define RX_BLOCK_SIZE (1u << 20)
#define RX_BLOCK_NR 32u
#define RX_FRAME_SIZE 2048u
#define RX_BLOCK_TIMEOUT_MS 10u
#define SNDBUF_BYTES (4 << 20)

/* Where frame data starts in a TPACKET_V2 TX slot. */
#define TX_DATA_OFFSET (TPACKET2_HDRLEN - sizeof(struct sockaddr_ll))

int
net_if_lookup(const char *name, struct net_if_info *info)
{
    struct ifreq ifr;
    int error = 0;

    memset(info, 0, sizeof *info);
    if (!name[0] || strlen(name) >= IFNAMSIZ) {
        return -ENODEV;
    }
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -errno;
    }
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0) {
        error = errno == ENODEV ? -ENODEV : -errno;
        goto out;
    }
    info->ifindex = ifr.ifr_ifindex;
    if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
        error = -errno;
        goto out;
    }
    memcpy(info->mac, ifr.ifr_hwaddr.sa_data, 6);
    if (ioctl(fd, SIOCGIFMTU, &ifr) < 0) {
        error = -errno;
        goto out;
    }
    info->mtu = (unsigned int) ifr.ifr_mtu;
out:
    close(fd);
    return error;
}

static int
bind_to(int fd, int ifindex, uint16_t protocol)
{
    struct sockaddr_ll sll;

    memset(&sll, 0, sizeof sll);
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(protocol);
    sll.sll_ifindex = ifindex;
    return bind(fd, (struct sockaddr *) &sll, sizeof sll) < 0 ? -errno : 0;
}

static unsigned int
pow2_at_least(size_t n)
{
    unsigned int p = 1;
    while (p < n) {
        p <<= 1;
    }
    return p;
}

static inline uint32_t
slot_status(const struct tpacket2_hdr *h)
{
    return __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
}

static inline void
set_slot_status(struct tpacket2_hdr *h, uint32_t status)
{
    __atomic_store_n(&h->tp_status, status, __ATOMIC_RELEASE);
}

static struct tpacket2_hdr *
tx_slot_hdr(const struct net_txring *r, unsigned int i)
{
    return (struct tpacket2_hdr *) (void *) (r->map + (size_t) i * r->frame_size);
}

int
net_txring_open(struct net_txring *r, int ifindex, const uint8_t *template,
                size_t frame_len)
{
    int error;

    memset(r, 0, sizeof *r);
    r->fd = -1;
    r->frame_len = frame_len;
    /* Protocol 0: this socket receives nothing, it only sends. */
    r->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (r->fd < 0) {
        return -errno;
    }
    int version = TPACKET_V2, one = 1, sndbuf = SNDBUF_BYTES;
    if (setsockopt(r->fd, SOL_PACKET, PACKET_VERSION, &version, sizeof version) < 0
        || setsockopt(r->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one) < 0) {
        error = -errno;
        goto fail;
    }
    /* Best effort: a bigger send buffer lets more frames be in flight. */
    if (setsockopt(r->fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof sndbuf) < 0) {
        (void) setsockopt(r->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    }

    r->frame_size = pow2_at_least(MAX(frame_len + TX_DATA_OFFSET, (size_t) 128));
    unsigned int block_size = MAX(r->frame_size, 4096u);
    r->frame_nr = TX_RING_BYTES / r->frame_size;
    r->frame_nr = MIN(MAX(r->frame_nr, TX_RING_MIN_FRAMES), TX_RING_MAX_FRAMES);
    unsigned int frames_per_block = block_size / r->frame_size;
    r->frame_nr = ROUND_UP(r->frame_nr, frames_per_block);

    struct tpacket_req req = {
        .tp_block_size = block_size,
        .tp_block_nr = r->frame_nr / frames_per_block,
        .tp_frame_size = r->frame_size,
        .tp_frame_nr = r->frame_nr,
    };
    if (setsockopt(r->fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof req) < 0) {
        error = -errno;
        goto fail;
    }
    r->map_len = (size_t) req.tp_block_size * req.tp_block_nr;
    void *map = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED,
                     r->fd, 0);
    if (map == MAP_FAILED) {
        error = -errno;
        r->map_len = 0;
        goto fail;
    }
    r->map = map;
    for (unsigned int i = 0; i < r->frame_nr; i++) {
        struct tpacket2_hdr *h = tx_slot_hdr(r, i);
        memcpy((uint8_t *) h + TX_DATA_OFFSET, template, frame_len);
        h->tp_len = (uint32_t) frame_len;
    }
    error = bind_to(r->fd, ifindex, 0);
    if (error) {
        goto fail;
    }
    return 0;

fail:
    net_txring_close(r);
    return error;
}

void
net_txring_close(struct net_txring *r)
{
    if (r->map) {
        munmap(r->map, r->map_len);
        r->map = NULL;
    }
    if (r->fd >= 0) {
        close(r->fd);
        r->fd = -1;
    }
}

uint8_t *
net_txring_slot(struct net_txring *r)
{
    BUG_ON(r->pending >= r->frame_nr);
    return (uint8_t *) tx_slot_hdr(r, r->head) + TX_DATA_OFFSET;
}

void
net_txring_commit(struct net_txring *r)
{
    struct tpacket2_hdr *h = tx_slot_hdr(r, r->head);

    h->tp_len = (uint32_t) r->frame_len;
    set_slot_status(h, TP_STATUS_SEND_REQUEST);
    r->head = r->head + 1 == r->frame_nr ? 0 : r->head + 1;
    r->pending++;
}

int
net_txring_flush(struct net_txring *r)
{
    if (send(r->fd, NULL, 0, MSG_DONTWAIT) < 0) {
        return errno == EWOULDBLOCK ? -EAGAIN : -errno;
    }
    return 0;
}

unsigned int
net_txring_reclaim(struct net_txring *r)
{
    unsigned int sent = 0;

    while (r->pending) {
        struct tpacket2_hdr *h = tx_slot_hdr(r, r->tail);
        uint32_t status = slot_status(h);
        if (status & (TP_STATUS_SEND_REQUEST | TP_STATUS_SENDING)) {
            break;
        }
        if (status & TP_STATUS_WRONG_FORMAT) {
            r->wrong_format++;
            set_slot_status(h, TP_STATUS_AVAILABLE);
        } else {
            sent++;
        }
        r->tail = r->tail + 1 == r->frame_nr ? 0 : r->tail + 1;
        r->pending--;
    }
    return sent;
}

void
net_txring_wait(struct net_txring *r, int timeout_ms)
{
    struct pollfd pfd = { .fd = r->fd, .events = POLLOUT };
    (void) poll(&pfd, 1, timeout_ms);
}

int
net_rxring_open(struct net_rxring *r, int ifindex)
{
    int error;

    memset(r, 0, sizeof *r);
    /* Protocol 0 until bound to the interface: nothing from other
     * interfaces gets into the ring meanwhile. */
    r->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (r->fd < 0) {
        return -errno;
    }
    int version = TPACKET_V3;
    if (setsockopt(r->fd, SOL_PACKET, PACKET_VERSION, &version, sizeof version) < 0) {
        error = -errno;
        goto fail;
    }
    r->block_size = RX_BLOCK_SIZE;
    r->block_nr = RX_BLOCK_NR;
    struct tpacket_req3 req = {
        .tp_block_size = r->block_size,
        .tp_block_nr = r->block_nr,
        .tp_frame_size = RX_FRAME_SIZE,
        .tp_frame_nr = r->block_size / RX_FRAME_SIZE * r->block_nr,
        .tp_retire_blk_tov = RX_BLOCK_TIMEOUT_MS,
    };
    if (setsockopt(r->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) < 0) {
        error = -errno;
        goto fail;
    }
    r->map_len = (size_t) r->block_size * r->block_nr;
    void *map = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE,
                     MAP_SHARED | MAP_LOCKED, r->fd, 0);
    if (map == MAP_FAILED) {
        map = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
    }
    if (map == MAP_FAILED) {
        error = -errno;
        r->map_len = 0;
        goto fail;
    }
    r->map = map;
    error = bind_to(r->fd, ifindex, ETH_P_ALL);
    if (error) {
        goto fail;
    }
    (void) net_rxring_drops(r);     /* Reset the kernel's counters. */
    return 0;

fail:
    net_rxring_close(r);
    return error;
}

void
net_rxring_close(struct net_rxring *r)
{
    if (r->map) {
        munmap(r->map, r->map_len);
        r->map = NULL;
    }
    if (r->fd >= 0) {
        close(r->fd);
        r->fd = -1;
    }
}

static struct tpacket_block_desc *
rx_block(const struct net_rxring *r, unsigned int i)
{
    return (struct tpacket_block_desc *) (void *) (r->map + (size_t) i * r->block_size);
}

static unsigned int
read_block(struct tpacket_block_desc *bd, net_rx_cb *cb, void *aux)
{
    unsigned int n = 0;
    uint8_t *p = (uint8_t *) bd + bd->hdr.bh1.offset_to_first_pkt;

    for (uint32_t i = 0; i < bd->hdr.bh1.num_pkts; i++) {
        struct tpacket3_hdr *h = (struct tpacket3_hdr *) (void *) p;
        const struct sockaddr_ll *sll = (const struct sockaddr_ll *) (const void *)
            (p + TPACKET_ALIGN(sizeof *h));
        if (sll->sll_pkttype != PACKET_OUTGOING) {
            size_t wire_len = h->tp_len;
            if (h->tp_status & TP_STATUS_VLAN_VALID) {
                wire_len += 4;
            }
            cb(aux, p + h->tp_mac, h->tp_snaplen, wire_len);
            n++;
        }
        p += h->tp_next_offset;
    }
    return n;
}

int
net_rxring_poll(struct net_rxring *r, int timeout_ms, net_rx_cb *cb, void *aux)
{
    int n = 0;

    for (unsigned int k = 0; k < r->block_nr; k++) {
        struct tpacket_block_desc *bd = rx_block(r, r->block);
        uint32_t status = __atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE);
        if (!(status & TP_STATUS_USER)) {
            if (n || k) {
                break;
            }
            struct pollfd pfd = { .fd = r->fd, .events = POLLIN | POLLERR };
            if (poll(&pfd, 1, timeout_ms) < 0 && errno != EINTR) {
                return -errno;
            }
            status = __atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE);
            if (!(status & TP_STATUS_USER)) {
                break;
            }
        }
        n += (int) read_block(bd, cb, aux);
        __atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
        r->block = r->block + 1 == r->block_nr ? 0 : r->block + 1;
    }
    return n;
}

int64_t
net_rxring_drops(struct net_rxring *r)
{
    struct tpacket_stats_v3 st;
    socklen_t len = sizeof st;

    if (getsockopt(r->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) < 0) {
        return -errno;
    }
    return st.tp_drops;
}
