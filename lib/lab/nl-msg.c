/* nl-msg — rtnetlink request builders (see nl-msg.h). */
#include "lab/nl-msg.h"

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>

static struct nlmsghdr *
put_request(void *buf, uint32_t seq, uint16_t type, uint16_t flags)
{
    memset(buf, 0, LAB_NLMSG_BUFSIZE);
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = type;
    nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
    nlh->nlmsg_seq = seq;
    return nlh;
}

static struct ifinfomsg *
put_ifinfo(struct nlmsghdr *nlh, int ifindex)
{
    struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof *ifi);
    ifi->ifi_family = AF_UNSPEC;
    ifi->ifi_index = ifindex;
    return ifi;
}

struct nlmsghdr *
lab_nlmsg_veth_add(void *buf, uint32_t seq, const char *name, int nsfd,
                   const char *peer, int peer_nsfd)
{
    struct nlmsghdr *nlh = put_request(buf, seq, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    put_ifinfo(nlh, 0);
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
    if (nsfd >= 0) {
        mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, nsfd);
    }
    struct nlattr *linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
    mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
    struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
    struct nlattr *peer_info = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
    put_ifinfo(nlh, 0);   /* The peer's ifinfomsg is part of the payload. */
    mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
    if (peer_nsfd >= 0) {
        mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, peer_nsfd);
    }
    mnl_attr_nest_end(nlh, peer_info);
    mnl_attr_nest_end(nlh, data);
    mnl_attr_nest_end(nlh, linkinfo);
    return nlh;
}

struct nlmsghdr *
lab_nlmsg_link_add(void *buf, uint32_t seq, const char *name, const char *kind)
{
    struct nlmsghdr *nlh = put_request(buf, seq, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    put_ifinfo(nlh, 0);
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
    struct nlattr *linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
    mnl_attr_put_strz(nlh, IFLA_INFO_KIND, kind);
    mnl_attr_nest_end(nlh, linkinfo);
    return nlh;
}

struct nlmsghdr *
lab_nlmsg_vlan_add(void *buf, uint32_t seq, const char *name, int parent, uint16_t vid)
{
    struct nlmsghdr *nlh = put_request(buf, seq, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    put_ifinfo(nlh, 0);
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
    mnl_attr_put_u32(nlh, IFLA_LINK, parent);
    struct nlattr *linkinfo = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
    mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vlan");
    struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
    mnl_attr_put_u16(nlh, IFLA_VLAN_ID, vid);
    mnl_attr_nest_end(nlh, data);
    mnl_attr_nest_end(nlh, linkinfo);
    return nlh;
}

struct nlmsghdr *
lab_nlmsg_link_del(void *buf, uint32_t seq, const char *name)
{
    struct nlmsghdr *nlh = put_request(buf, seq, RTM_DELLINK, 0);
    put_ifinfo(nlh, 0);
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
    return nlh;
}

struct nlmsghdr *
lab_nlmsg_link_get(void *buf, uint32_t seq, const char *name)
{
    struct nlmsghdr *nlh = put_request(buf, seq, RTM_GETLINK, 0);
    nlh->nlmsg_flags &= ~NLM_F_ACK;
    put_ifinfo(nlh, 0);
    mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
    return nlh;
}

struct nlmsghdr *
lab_nlmsg_link_set(void *buf, uint32_t seq, int ifindex, const struct lab_link_change *c)
{
    struct nlmsghdr *nlh = put_request(buf, seq, RTM_NEWLINK, 0);
    struct ifinfomsg *ifi = put_ifinfo(nlh, ifindex);
    if (c->up >= 0) {
        ifi->ifi_change = IFF_UP;
        ifi->ifi_flags = c->up ? IFF_UP : 0;
    }
    if (c->mtu) {
        mnl_attr_put_u32(nlh, IFLA_MTU, c->mtu);
    }
    if (c->master >= 0) {
        mnl_attr_put_u32(nlh, IFLA_MASTER, c->master);
    }
    if (c->nsfd >= 0) {
        mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, c->nsfd);
    }
    return nlh;
}

struct nlmsghdr *
lab_nlmsg_addr(void *buf, uint32_t seq, bool add, int ifindex, struct in_addr addr,
               unsigned int plen)
{
    struct nlmsghdr *nlh = put_request(buf, seq, add ? RTM_NEWADDR : RTM_DELADDR,
                                       add ? NLM_F_CREATE | NLM_F_EXCL : 0);
    struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof *ifa);
    ifa->ifa_family = AF_INET;
    ifa->ifa_prefixlen = plen;
    ifa->ifa_scope = RT_SCOPE_UNIVERSE;
    ifa->ifa_index = ifindex;
    mnl_attr_put(nlh, IFA_LOCAL, sizeof addr, &addr);
    mnl_attr_put(nlh, IFA_ADDRESS, sizeof addr, &addr);
    if (plen < 31) {
        uint32_t host_mask = plen ? 0xffffffffu >> plen : 0xffffffffu;
        struct in_addr brd = { addr.s_addr | htonl(host_mask) };
        mnl_attr_put(nlh, IFA_BROADCAST, sizeof brd, &brd);
    }
    return nlh;
}

struct nlmsghdr *
lab_nlmsg_route(void *buf, uint32_t seq, bool add, struct in_addr dst, unsigned int plen,
                struct in_addr gw, int oif)
{
    struct nlmsghdr *nlh = put_request(buf, seq, add ? RTM_NEWROUTE : RTM_DELROUTE,
                                       add ? NLM_F_CREATE | NLM_F_EXCL : 0);
    struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof *rtm);
    rtm->rtm_family = AF_INET;
    rtm->rtm_dst_len = plen;
    rtm->rtm_table = RT_TABLE_MAIN;
    rtm->rtm_protocol = RTPROT_STATIC;
    rtm->rtm_type = RTN_UNICAST;
    rtm->rtm_scope = gw.s_addr == INADDR_ANY ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
    if (plen) {
        mnl_attr_put(nlh, RTA_DST, sizeof dst, &dst);
    }
    if (gw.s_addr != INADDR_ANY) {
        mnl_attr_put(nlh, RTA_GATEWAY, sizeof gw, &gw);
    }
    if (oif) {
        mnl_attr_put_u32(nlh, RTA_OIF, oif);
    }
    return nlh;
}
