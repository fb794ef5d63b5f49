/* port — the data plane's packet I/O: one handle per switch port, whatever
 * is behind it (a Linux interface through AF_PACKET, a TAP device for a VM,
 * or a dummy port with no OS device at all).
 *
 * This is the client side of the port-provider split (after Open vSwitch's
 * netdev.h / netdev-provider.h): the datapath calls these functions; each
 * backend implements `struct port_class` in port-provider.h.
 *
 * Specs given to port_open():
 *     "veth0", "afpacket:veth0"   AF_PACKET (mmap rings) on an existing
 *                                 interface of the current network namespace
 *     "afxdp:veth0"               AF_XDP socket (and plural's XDP program)
 *                                 on an existing interface (port-afxdp.c)
 *     "tap:vm1"                   TAP device vm1 (created if missing, attached
 *                                 if it exists), for a VM's NIC
 *     "dummy:p1"                  no OS device; frames injected and read with
 *                                 port_dummy_*() (tests, control socket)
 *
 * Receive (zero copy where the backend allows):
 *     n = port_recv(port, &batch);        0 = nothing ready, <0 = -errno
 *     ... the datapath reads/modifies batch.pkts[0..n-1] ...
 *     port_recv_done(port, &batch);       returns the ring slots
 * Packets from port_recv() point into memory the port owns (its RX ring or
 * its buffers; `storage` is NULL).  They stay valid and writable until
 * port_recv_done(); a packet that must outlive the batch is copied by the
 * caller.  At most ONE received batch may be outstanding per port: call
 * port_recv_done() before the next port_recv() on the same port.  Each
 * received packet has `headroom` >= 4 writable bytes before `data` (usually
 * PACKET_HEADROOM_WANTED or more), so a VLAN push needs no copy, and
 * `room` == `len` (no tailroom is promised).  The VLAN tag the kernel
 * strips on AF_PACKET is put back into the frame: the datapath always sees
 * frames exactly as they were on the wire.
 *
 * Send: port_send() copies each frame out (the caller keeps its packets)
 * and returns how many were sent; the rest are counted as tx_dropped.  It
 * never blocks for long: when the kernel's queue is full it retries briefly
 * (back-pressure), then drops.
 *
 * Errors: functions returning int return 0 (or a count) on success, else a
 * negative errno value, listed on each function.
 *
 * Thread-safety: a port belongs to one thread at a time (its datapath
 * thread) for recv/recv_done/send/poll_link_change/close.  port_get_stats(),
 * port_name(), port_type() may be called from any thread while the port is
 * open (counters are read with relaxed atomic loads; a snapshot may mix
 * counters from slightly different instants).  The port_dummy_*() functions
 * may be called from any thread (the dummy port has its own lock). */
#ifndef PLURAL_DP_PORT_H
#define PLURAL_DP_PORT_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "pkt/packet.h"

struct buf;
struct port;

/* Lifecycle. */

/* Opens the port described by `spec` (see above) and stores it in *portp.
 * The port is opened in the calling thread's network namespace.  An
 * afpacket port brings the interface administratively up and puts it in
 * promiscuous mode (for as long as the port is open).
 * Returns 0, or:
 *   -EINVAL  malformed spec or unknown type (a message says which)
 *   -ENODEV  no such interface (afpacket; the message names it)
 *   -EPERM   not allowed (AF_PACKET and TAP need CAP_NET_RAW/CAP_NET_ADMIN)
 *   -EBUSY   tap: the device exists and is attached by someone else
 *   other -errno from the kernel (e.g. -ENOMEM for a ring it cannot map). */
int port_open(const char *spec, struct port **portp);
/* Closes the port and frees it.  Accepts NULL.  Any outstanding received
 * batch becomes invalid. */
void port_close(struct port *);

/* The interface (or dummy) name, e.g. "veth0", and the provider's type:
 * "afpacket", "tap", "dummy".  Valid while the port is open. */
const char *port_name(const struct port *);
const char *port_type(const struct port *);

/* Packet I/O. */

/* Receives up to PACKET_BATCH_MAX packets into `batch` (overwriting it).
 * Returns the number of packets (also in batch->n), 0 if none is ready
 * (never blocks), or -errno (-ENETDOWN if the interface went away).  See
 * the design comment for the lifetime of the packets. */
int port_recv(struct port *, struct packet_batch *batch);
/* Gives back what the last port_recv() lent (the batch's packets become
 * invalid).  Harmless if the batch is empty. */
void port_recv_done(struct port *, struct packet_batch *batch);
/* Sends n frames (each pkts[i]->data, pkts[i]->len: a complete Ethernet
 * frame without FCS).  The port copies them; the caller keeps ownership.
 * Returns how many were sent (0..n); the others were dropped and counted
 * in tx_dropped (queue full after a short retry) or tx_errors (frame too
 * big, interface down).  Never blocks the caller for more than ~1 ms. */
int port_send(struct port *, struct packet *const *pkts, unsigned int n);

/* An fd that becomes readable when port_recv() may return packets (for
 * poll/epoll, level-triggered).  Owned by the port; never close it. */
int port_wait_fd(const struct port *);

/* Link and device. */

/* True if the link (carrier) is up: IFF_RUNNING for a Linux device, the
 * state set with port_dummy_set_link() for a dummy.  False if it cannot be
 * read. */
bool port_is_link_up(struct port *);
/* True if the device is administratively up (IFF_UP). */
bool port_is_admin_up(struct port *);
/* Brings the device administratively up or down (OpenFlow's
 * OFPPC_PORT_DOWN).  Returns 0, -EPERM, -ENODEV. */
int port_set_admin_up(struct port *, bool up);
/* The device's Ethernet address.  Returns 0, or -ENODEV.  A dummy port
 * has a stable locally administered address derived from its name. */
int port_get_mac(struct port *, uint8_t mac[6]);
/* The device's MTU (L3 bytes).  Returns 0, or -ENODEV. */
int port_get_mtu(struct port *, int *mtu);

/* Link-change notification (for OpenFlow PORT_STATUS).  port_link_wait_fd()
 * is an fd that becomes readable when the link state may have changed (an
 * rtnetlink socket for Linux devices, an eventfd for dummies), or -1 if the
 * caller must poll (then call port_poll_link_change() about once a second).
 * port_poll_link_change() drains that fd and returns 1 (and the new state
 * in *up) if the link (carrier) or admin state differs from the last
 * time it returned 1 (or from the state at open), 0 if unchanged, or
 * -errno.  `*up` is true if the link is usable: carrier and admin up. */
int port_link_wait_fd(const struct port *);
int port_poll_link_change(struct port *, bool *up);

/* Counters for OpenFlow's port stats (ofp_port_stats).  rx/tx packets and
 * bytes count frames this port received from / handed to the device;
 * rx_dropped includes frames the kernel dropped because the RX ring was
 * full; rx_errors counts truncated or malformed frames; tx_dropped frames
 * dropped because the queue stayed full; tx_errors frames the device
 * refused.  rx_csum_completed counts received frames whose TCP/UDP checksum
 * was only partial (veth with tx offload on) and was completed in software.
 * Offloads (see port_offloads()): rx_offloaded counts frames received with
 * their offload state kept (partial checksum or GSO super-frame);
 * tx_csum_sw frames whose partial checksum port_send() completed in
 * software, tx_gso_sw super-frames it cut into segments (each segment then
 * counts in tx_packets); a frame it cannot resolve counts in tx_errors.
 * Counters never go backwards while the port is open. */
struct port_stats {
    uint64_t rx_packets, tx_packets;
    uint64_t rx_bytes, tx_bytes;
    uint64_t rx_dropped, tx_dropped;
    uint64_t rx_errors, tx_errors;
    uint64_t rx_frame_err, rx_over_err, rx_crc_err, collisions;
    uint64_t rx_csum_completed;
    uint64_t rx_offloaded, tx_csum_sw, tx_gso_sw;
};
void port_get_stats(const struct port *, struct port_stats *);

/* Offload metadata (pkt/packet-offload.h).  PORT_OL_VNET: the port may
 * receive frames with a partial checksum or GSO super-frames (ol_* fields
 * of struct packet) and sends such frames as they are (the kernel finishes
 * them: afpacket with PACKET_VNET_HDR).  A port without it never receives
 * them, and port_send() makes every frame complete before handing it over
 * (checksum completed in place; super-frame segmented in software). */
#define PORT_OL_VNET 0x1u
uint32_t port_offloads(const struct port *);

/* Features in OpenFlow 1.0's ofp_port_features bit layout (so ofproto can
 * copy them to the wire as they are). */
enum {
    PORT_F_10MB_HD    = 1 << 0,
    PORT_F_10MB_FD    = 1 << 1,
    PORT_F_100MB_HD   = 1 << 2,
    PORT_F_100MB_FD   = 1 << 3,
    PORT_F_1GB_HD     = 1 << 4,
    PORT_F_1GB_FD     = 1 << 5,
    PORT_F_10GB_FD    = 1 << 6,
    PORT_F_COPPER     = 1 << 7,
    PORT_F_FIBER      = 1 << 8,
    PORT_F_AUTONEG    = 1 << 9,
    PORT_F_PAUSE      = 1 << 10,
    PORT_F_PAUSE_ASYM = 1 << 11,
};
struct port_features {
    uint32_t curr, advertised, supported, peer;  /* PORT_F_* bits. */
    uint32_t speed_mbps;       /* Current speed, 0 if unknown. */
};
/* Best effort (ethtool for Linux devices; a 10 Gb/s full-duplex copper
 * port for dummy and tap).  Returns 0, or -EOPNOTSUPP if the device
 * reports nothing (then all fields are 0). */
int port_get_features(struct port *, struct port_features *);

/* Dummy ports (type "dummy"): frames in and out without an OS device.
 * These functions return -EINVAL for a port of another type. */

/* Queues a copy of `frame` (len 14..65535 bytes) to be received by
 * port_recv().  Returns 0, -EINVAL (bad length, not a dummy), -ENOBUFS
 * (the queue of PORT_DUMMY_QUEUE_MAX frames is full; counted rx_dropped),
 * -ENETDOWN (link or admin down; counted rx_dropped). */
int port_dummy_inject(struct port *, const void *frame, size_t len);
/* Moves the oldest frame sent on the port into `frame` (replacing its
 * contents).  Returns 0, -EAGAIN if none is queued, -EINVAL.  At most
 * PORT_DUMMY_QUEUE_MAX sent frames are kept; older ones are discarded
 * (and counted in tx_dropped). */
int port_dummy_pop_sent(struct port *, struct buf *frame);
/* Sets the dummy's carrier up or down (a PORT_STATUS trigger).  Returns 0
 * or -EINVAL. */
int port_dummy_set_link(struct port *, bool up);
#define PORT_DUMMY_QUEUE_MAX 4096

/* Spec parsing, exposed for tests and for callers that validate
 * configuration early.  Splits `spec` into a provider type ("afpacket" if
 * none is given) and a device name.  Returns 0, or -EINVAL (empty, name
 * too long for IFNAMSIZ, bad characters, unknown type). */
int port_parse_spec(const char *spec, char type[16], char name[16]);

#endif
