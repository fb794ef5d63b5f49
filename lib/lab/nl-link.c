/* nl-link — links, addresses and routes through a lab_nl (see nl.h). */
#include "lab/nl.h"
#include "lab/nl-private.h"

#include <errno.h>
#include <unistd.h>
#include "lab/netns.h"

/* Opens NETNS's nsfs fd, or returns -1 (meaning "the socket's") for NULL. */
static int
open_nsfd(const char *netns, int *fd)
{
    *fd = -1;
    if (netns) {
        *fd = lab_netns_open(netns);
        if (*fd < 0) {
            return *fd;
        }
    }
    return 0;
}

static void
close_nsfd(int fd)
{
    if (fd >= 0) {
        close(fd);
    }
}

int
lab_nl_veth_add(struct lab_nl *nl, const char *name, const char *netns,
                const char *peer, const char *peer_netns)
{
    int fd, peer_fd;
    int error = open_nsfd(netns, &fd);
    if (error) {
        return error;
    }
    error = open_nsfd(peer_netns, &peer_fd);
    if (!error) {
        char buf[LAB_NLMSG_BUFSIZE];
        error = lab_nl_transact(nl, lab_nlmsg_veth_add(buf, lab_nl_next_seq(nl), name, fd,
                                                       peer, peer_fd), NULL, NULL);
        close_nsfd(peer_fd);
    }
    close_nsfd(fd);
    return error;
}

int
lab_nl_bridge_add(struct lab_nl *nl, const char *name)
{
    char buf[LAB_NLMSG_BUFSIZE];
    return lab_nl_transact(nl, lab_nlmsg_link_add(buf, lab_nl_next_seq(nl), name, "bridge"),
                           NULL, NULL);
}

int
lab_nl_vlan_add(struct lab_nl *nl, const char *parent, uint16_t vid, const char *name)
{
    if (vid == 0 || vid > 4094) {
        return -EINVAL;
    }
    int parent_index = lab_nl_ifindex(nl, parent);
    if (parent_index < 0) {
        return parent_index;
    }
    char buf[LAB_NLMSG_BUFSIZE];
    return lab_nl_transact(nl, lab_nlmsg_vlan_add(buf, lab_nl_next_seq(nl), name,
                                                  parent_index, vid), NULL, NULL);
}

int
lab_nl_link_del(struct lab_nl *nl, const char *name)
{
    char buf[LAB_NLMSG_BUFSIZE];
    return lab_nl_transact(nl, lab_nlmsg_link_del(buf, lab_nl_next_seq(nl), name),
                           NULL, NULL);
}

static int
link_change(struct lab_nl *nl, const char *name, const struct lab_link_change *c)
{
    int ifindex = lab_nl_ifindex(nl, name);
    if (ifindex < 0) {
        return ifindex;
    }
    char buf[LAB_NLMSG_BUFSIZE];
    return lab_nl_transact(nl, lab_nlmsg_link_set(buf, lab_nl_next_seq(nl), ifindex, c),
                           NULL, NULL);
}

int
lab_nl_link_set_up(struct lab_nl *nl, const char *name, bool up)
{
    struct lab_link_change c = LAB_LINK_CHANGE_NONE;
    c.up = up;
    return link_change(nl, name, &c);
}

int
lab_nl_link_set_mtu(struct lab_nl *nl, const char *name, unsigned int mtu)
{
    if (mtu < 68) {
        return -EINVAL;
    }
    struct lab_link_change c = LAB_LINK_CHANGE_NONE;
    c.mtu = mtu;
    return link_change(nl, name, &c);
}

int
lab_nl_link_set_master(struct lab_nl *nl, const char *name, const char *master)
{
    struct lab_link_change c = LAB_LINK_CHANGE_NONE;
    c.master = 0;
    if (master) {
        c.master = lab_nl_ifindex(nl, master);
        if (c.master < 0) {
            return c.master;
        }
    }
    return link_change(nl, name, &c);
}

int
lab_nl_link_set_netns(struct lab_nl *nl, const char *name, const char *netns)
{
    struct lab_link_change c = LAB_LINK_CHANGE_NONE;
    int error = open_nsfd(netns, &c.nsfd);
    if (error) {
        return error;
    }
    error = link_change(nl, name, &c);
    close_nsfd(c.nsfd);
    return error;
}

static int
addr_change(struct lab_nl *nl, bool add, const char *name, struct in_addr addr,
            unsigned int plen)
{
    if (plen > 32) {
        return -EINVAL;
    }
    int ifindex = lab_nl_ifindex(nl, name);
    if (ifindex < 0) {
        return ifindex;
    }
    char buf[LAB_NLMSG_BUFSIZE];
    return lab_nl_transact(nl, lab_nlmsg_addr(buf, lab_nl_next_seq(nl), add, ifindex,
                                              addr, plen), NULL, NULL);
}

int
lab_nl_addr_add(struct lab_nl *nl, const char *name, struct in_addr addr, unsigned int plen)
{
    return addr_change(nl, true, name, addr, plen);
}

int
lab_nl_addr_del(struct lab_nl *nl, const char *name, struct in_addr addr, unsigned int plen)
{
    return addr_change(nl, false, name, addr, plen);
}

int
lab_nl_route_add(struct lab_nl *nl, struct in_addr dst, unsigned int plen,
                 struct in_addr gw, const char *dev)
{
    if (plen > 32) {
        return -EINVAL;
    }
    int oif = 0;
    if (dev) {
        oif = lab_nl_ifindex(nl, dev);
        if (oif < 0) {
            return oif;
        }
    }
    if (!oif && gw.s_addr == INADDR_ANY) {
        return -EINVAL;
    }
    char buf[LAB_NLMSG_BUFSIZE];
    return lab_nl_transact(nl, lab_nlmsg_route(buf, lab_nl_next_seq(nl), true, dst, plen,
                                               gw, oif), NULL, NULL);
}
