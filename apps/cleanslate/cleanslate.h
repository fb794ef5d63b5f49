/* cleanslate — forwarding that is not IP (the seed's "network B").
 *
 * Two schemes, both installed proactively when a switch comes up:
 *
 *  1. VLAN id + TCP port:  `flow vlan VID tcp-port P between A B`
 *     forwards TCP segments of VLAN VID to port P (tp_dst=P) arriving on
 *     port A out of port B, and the replies (tp_src=P) from B to A;
 *     `arp vlan VID between A B` passes ARP of that VLAN between them.
 *
 *  2. The PLURAL-CS protocol on the experimental Ethertype 0x88B5, whose
 *     frames are forwarded on Ethernet fields only.  A node address is a
 *     16-bit number; on the wire it is carried in the destination MAC
 *     0a:88:b5:00:HI:LO (locally administered), so a flow
 *     dl_type=0x88b5,dl_dst=0a:88:b5:00:HI:LO -> output:PORT forwards it.
 *     Frame: Ethernet (dst = node MAC, src, type 0x88b5), then
 *     version 1 (1 byte), kind (1: data), dst addr (2), src addr (2),
 *     payload length (2), payload.  `node ADDR port N` places a node.
 *     Frames to an address with no node reach the controller and are
 *     dropped and counted.
 *
 * Config file lines ('#' comments):
 *     node ADDR port N
 *     flow vlan VID tcp-port P between A B
 *     arp vlan VID between A B
 * Errors: "FILE:LINE: message".  The sender/receiver is the
 * `plural-cleanslate send|recv` tool (apps/cleanslate/cs-tool.c). */
#ifndef PLURAL_APPS_CLEANSLATE_H
#define PLURAL_APPS_CLEANSLATE_H 1

#include <stdint.h>
#include "ctl/ctl-app.h"

#define CS_ETHERTYPE 0x88b5
#define CS_HEADER_LEN 8

extern const struct ctl_app_class cleanslate_app_class;

/* The MAC address that carries node address `addr`. */
static inline void
cs_addr_to_mac(uint16_t addr, uint8_t mac[6])
{
    mac[0] = 0x0a; mac[1] = 0x88; mac[2] = 0xb5; mac[3] = 0x00;
    mac[4] = (uint8_t) (addr >> 8); mac[5] = (uint8_t) addr;
}

#endif
