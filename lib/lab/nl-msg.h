/* nl-msg — builds the rtnetlink requests the lab sends (pure functions).
 *
 * Each builder lays one request out in a caller buffer of at least
 * LAB_NLMSG_BUFSIZE bytes with libmnl and returns its header; nothing is
 * sent.  Requests ask for an acknowledgement (NLM_F_ACK), creations are
 * exclusive (NLM_F_CREATE|NLM_F_EXCL), so an object that already exists is
 * an error (-EEXIST) rather than silently modified.
 *
 * Namespaces are given as open nsfs file descriptors (IFLA_NET_NS_FD);
 * -1 means "the namespace of the socket that sends the request".
 *
 * These functions touch no kernel state and are unit-tested
 * (tests/test-nl-msg.c) by parsing the result back with libmnl. */
#ifndef PLURAL_LAB_NL_MSG_H
#define PLURAL_LAB_NL_MSG_H 1

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#define LAB_NLMSG_BUFSIZE 8192

struct nlmsghdr;

/* A veth pair NAME <-> PEER; NAME goes to namespace nsfd, PEER to peer_nsfd. */
struct nlmsghdr *lab_nlmsg_veth_add(void *buf, uint32_t seq, const char *name, int nsfd,
                                    const char *peer, int peer_nsfd);

/* A link of a kind without options ("bridge", "dummy"). */
struct nlmsghdr *lab_nlmsg_link_add(void *buf, uint32_t seq, const char *name,
                                    const char *kind);

/* An 802.1Q subinterface NAME of parent ifindex PARENT with VLAN id VID. */
struct nlmsghdr *lab_nlmsg_vlan_add(void *buf, uint32_t seq, const char *name,
                                    int parent, uint16_t vid);

struct nlmsghdr *lab_nlmsg_link_del(void *buf, uint32_t seq, const char *name);

/* RTM_GETLINK for one link by name (answer carries ifi_index). */
struct nlmsghdr *lab_nlmsg_link_get(void *buf, uint32_t seq, const char *name);

/* Link changes, any combination: up (-1 leave, 0 down, 1 up), mtu (0
 * leave), master ifindex (-1 leave, 0 detach), nsfd (-1 leave). */
struct lab_link_change {
    int up;
    unsigned int mtu;
    int master;
    int nsfd;
};
#define LAB_LINK_CHANGE_NONE { .up = -1, .mtu = 0, .master = -1, .nsfd = -1 }
struct nlmsghdr *lab_nlmsg_link_set(void *buf, uint32_t seq, int ifindex,
                                    const struct lab_link_change *);

/* Adds (add == true) or deletes an IPv4 address ADDR/PLEN on ifindex. */
struct nlmsghdr *lab_nlmsg_addr(void *buf, uint32_t seq, bool add, int ifindex,
                                struct in_addr addr, unsigned int plen);

/* Adds or deletes an IPv4 route DST/PLEN (0.0.0.0/0 = default) via
 * gateway GW (INADDR_ANY: none, directly connected) and/or out of OIF
 * (0: none).  Main table, static protocol. */
struct nlmsghdr *lab_nlmsg_route(void *buf, uint32_t seq, bool add, struct in_addr dst,
                                 unsigned int plen, struct in_addr gw, int oif);

#endif
