/* Unit tests for nl-msg: every builder's request parsed back with libmnl. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <net/if.h>
#include <string.h>
#include "lab/nl-msg.h"
#include "lab/nl.h"

static unsigned char buf[LAB_NLMSG_BUFSIZE];

struct attrs {
    const struct nlattr *tb[IFLA_MAX + 1];
};

static int
collect(const struct nlattr *attr, void *data)
{
    struct attrs *a = data;
    int type = mnl_attr_get_type(attr);
    if (type <= IFLA_MAX) {
        a->tb[type] = attr;
    }
    return MNL_CB_OK;
}

static void
test_veth(void **state)
{
    (void) state;
    struct nlmsghdr *nlh = lab_nlmsg_veth_add(buf, 7, "a-eth1", 5, "b-eth1", 9);
    assert_int_equal(nlh->nlmsg_type, RTM_NEWLINK);
    assert_int_equal(nlh->nlmsg_seq, 7);
    assert_true(nlh->nlmsg_flags & NLM_F_CREATE);
    assert_true(nlh->nlmsg_flags & NLM_F_EXCL);
    assert_true(nlh->nlmsg_flags & NLM_F_ACK);
    assert_true(mnl_nlmsg_ok(nlh, LAB_NLMSG_BUFSIZE));

    struct attrs a = { 0 };
    mnl_attr_parse(nlh, sizeof(struct ifinfomsg), collect, &a);
    assert_string_equal(mnl_attr_get_str(a.tb[IFLA_IFNAME]), "a-eth1");
    assert_int_equal(mnl_attr_get_u32(a.tb[IFLA_NET_NS_FD]), 5);
    assert_non_null(a.tb[IFLA_LINKINFO]);

    struct attrs li = { 0 };
    mnl_attr_parse_nested(a.tb[IFLA_LINKINFO], collect, &li);
    assert_string_equal(mnl_attr_get_str(li.tb[IFLA_INFO_KIND]), "veth");
    struct attrs data = { 0 };
    mnl_attr_parse_nested(li.tb[IFLA_INFO_DATA], collect, &data);
    const struct nlattr *peer = data.tb[VETH_INFO_PEER];
    assert_non_null(peer);
    /* The peer nest holds an ifinfomsg followed by attributes. */
    const char *payload = mnl_attr_get_payload(peer);
    size_t len = mnl_attr_get_payload_len(peer);
    assert_true(len > sizeof(struct ifinfomsg));
    struct attrs p = { 0 };
    const struct nlattr *attr;
    for (attr = (const void *) (payload + NLMSG_ALIGN(sizeof(struct ifinfomsg)));
         mnl_attr_ok(attr, (int) (payload + len - (const char *) attr));
         attr = mnl_attr_next(attr)) {
        collect(attr, &p);
    }
    assert_string_equal(mnl_attr_get_str(p.tb[IFLA_IFNAME]), "b-eth1");
    assert_int_equal(mnl_attr_get_u32(p.tb[IFLA_NET_NS_FD]), 9);
}

static void
test_veth_same_namespace(void **state)
{
    (void) state;
    struct nlmsghdr *nlh = lab_nlmsg_veth_add(buf, 1, "x", -1, "y", -1);
    struct attrs a = { 0 };
    mnl_attr_parse(nlh, sizeof(struct ifinfomsg), collect, &a);
    assert_null(a.tb[IFLA_NET_NS_FD]);
}

static void
test_vlan(void **state)
{
    (void) state;
    struct nlmsghdr *nlh = lab_nlmsg_vlan_add(buf, 3, "eth1.10", 4, 10);
    struct attrs a = { 0 };
    mnl_attr_parse(nlh, sizeof(struct ifinfomsg), collect, &a);
    assert_int_equal(mnl_attr_get_u32(a.tb[IFLA_LINK]), 4);
    struct attrs li = { 0 };
    mnl_attr_parse_nested(a.tb[IFLA_LINKINFO], collect, &li);
    assert_string_equal(mnl_attr_get_str(li.tb[IFLA_INFO_KIND]), "vlan");
    struct attrs data = { 0 };
    mnl_attr_parse_nested(li.tb[IFLA_INFO_DATA], collect, &data);
    assert_int_equal(mnl_attr_get_u16(data.tb[IFLA_VLAN_ID]), 10);
}

static void
test_link_set(void **state)
{
    (void) state;
    struct lab_link_change c = LAB_LINK_CHANGE_NONE;
    c.up = 1;
    c.mtu = 9000;
    struct nlmsghdr *nlh = lab_nlmsg_link_set(buf, 2, 12, &c);
    const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
    assert_int_equal(ifi->ifi_index, 12);
    assert_int_equal(ifi->ifi_change, IFF_UP);
    assert_int_equal(ifi->ifi_flags, IFF_UP);
    assert_false(nlh->nlmsg_flags & NLM_F_CREATE);
    struct attrs a = { 0 };
    mnl_attr_parse(nlh, sizeof *ifi, collect, &a);
    assert_int_equal(mnl_attr_get_u32(a.tb[IFLA_MTU]), 9000);
    assert_null(a.tb[IFLA_MASTER]);

    struct lab_link_change down = LAB_LINK_CHANGE_NONE;
    down.up = 0;
    nlh = lab_nlmsg_link_set(buf, 2, 12, &down);
    ifi = mnl_nlmsg_get_payload(nlh);
    assert_int_equal(ifi->ifi_change, IFF_UP);
    assert_int_equal(ifi->ifi_flags, 0);
    struct attrs none = { 0 };
    mnl_attr_parse(nlh, sizeof *ifi, collect, &none);
    assert_null(none.tb[IFLA_MTU]);
}

static int
collect_rta(const struct nlattr *attr, void *data)
{
    return collect(attr, data);
}

static void
test_addr(void **state)
{
    (void) state;
    struct in_addr a;
    inet_pton(AF_INET, "10.0.1.1", &a);
    struct nlmsghdr *nlh = lab_nlmsg_addr(buf, 4, true, 3, a, 24);
    assert_int_equal(nlh->nlmsg_type, RTM_NEWADDR);
    const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
    assert_int_equal(ifa->ifa_family, AF_INET);
    assert_int_equal(ifa->ifa_prefixlen, 24);
    assert_int_equal(ifa->ifa_index, 3);
    struct attrs at = { 0 };
    mnl_attr_parse(nlh, sizeof *ifa, collect_rta, &at);
    struct in_addr local, brd;
    memcpy(&local, mnl_attr_get_payload(at.tb[IFA_LOCAL]), 4);
    memcpy(&brd, mnl_attr_get_payload(at.tb[IFA_BROADCAST]), 4);
    assert_int_equal(local.s_addr, a.s_addr);
    char s[INET_ADDRSTRLEN];
    assert_string_equal(inet_ntop(AF_INET, &brd, s, sizeof s), "10.0.1.255");

    nlh = lab_nlmsg_addr(buf, 5, false, 3, a, 32);
    assert_int_equal(nlh->nlmsg_type, RTM_DELADDR);
    struct attrs no_brd = { 0 };
    mnl_attr_parse(nlh, sizeof *ifa, collect_rta, &no_brd);
    assert_null(no_brd.tb[IFA_BROADCAST]);
}

static void
test_route(void **state)
{
    (void) state;
    struct in_addr dst, gw, any = { INADDR_ANY };
    inet_pton(AF_INET, "10.0.2.0", &dst);
    inet_pton(AF_INET, "10.0.1.254", &gw);
    struct nlmsghdr *nlh = lab_nlmsg_route(buf, 6, true, dst, 24, gw, 0);
    const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
    assert_int_equal(rtm->rtm_dst_len, 24);
    assert_int_equal(rtm->rtm_table, RT_TABLE_MAIN);
    assert_int_equal(rtm->rtm_scope, RT_SCOPE_UNIVERSE);
    struct attrs at = { 0 };
    mnl_attr_parse(nlh, sizeof *rtm, collect_rta, &at);
    assert_non_null(at.tb[RTA_DST]);
    assert_non_null(at.tb[RTA_GATEWAY]);
    assert_null(at.tb[RTA_OIF]);

    /* Default route: no RTA_DST; on-link route: link scope, RTA_OIF. */
    nlh = lab_nlmsg_route(buf, 7, true, any, 0, any, 8);
    rtm = mnl_nlmsg_get_payload(nlh);
    assert_int_equal(rtm->rtm_dst_len, 0);
    assert_int_equal(rtm->rtm_scope, RT_SCOPE_LINK);
    struct attrs d = { 0 };
    mnl_attr_parse(nlh, sizeof *rtm, collect_rta, &d);
    assert_null(d.tb[RTA_DST]);
    assert_int_equal(mnl_attr_get_u32(d.tb[RTA_OIF]), 8);
}

static void
test_parse_prefix(void **state)
{
    (void) state;
    struct in_addr a;
    unsigned int plen;
    assert_int_equal(lab_parse_prefix("10.1.2.3/24", &a, &plen), 0);
    assert_int_equal(plen, 24);
    assert_int_equal(ntohl(a.s_addr), 0x0a010203);
    assert_int_equal(lab_parse_prefix("10.1.2.3", &a, &plen), 0);
    assert_int_equal(plen, 32);
    assert_int_equal(lab_parse_prefix("default", &a, &plen), 0);
    assert_int_equal(plen, 0);
    assert_int_equal(lab_parse_prefix("10.1.2.3/33", &a, &plen), -EINVAL);
    assert_int_equal(lab_parse_prefix("10.1.2/24", &a, &plen), -EINVAL);
    assert_int_equal(lab_parse_prefix("/24", &a, &plen), -EINVAL);
    assert_int_equal(lab_parse_prefix("10.1.2.3/", &a, &plen), -EINVAL);
    assert_int_equal(lab_parse_prefix("10.1.2.3/2x", &a, &plen), -EINVAL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_veth),
        cmocka_unit_test(test_veth_same_namespace),
        cmocka_unit_test(test_vlan),
        cmocka_unit_test(test_link_set),
        cmocka_unit_test(test_addr),
        cmocka_unit_test(test_route),
        cmocka_unit_test(test_parse_prefix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
