/* Live netlink test (root): namespaces, veths across them, addresses,
 * routes, ip_forward, VLAN, bridge, tap, offloads; checked with ping and
 * iproute2/ethtool as independent observers.  Skips without root. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lab/netns.h"
#include "lab/nl.h"

static char ns_a[32], ns_r[32], ns_b[32];

static struct in_addr
ip(const char *s)
{
    struct in_addr a;
    assert_int_equal(inet_pton(AF_INET, s, &a), 1);
    return a;
}

static int
sh(const char *fmt, const char *arg)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, fmt, arg, arg, arg);
    return system(cmd);
}

static int
setup(void **state)
{
    (void) state;
    snprintf(ns_a, sizeof ns_a, "labt%d-a", getpid());
    snprintf(ns_r, sizeof ns_r, "labt%d-r", getpid());
    snprintf(ns_b, sizeof ns_b, "labt%d-b", getpid());
    return 0;
}

static int
teardown(void **state)
{
    (void) state;
    lab_netns_del(ns_a);
    lab_netns_del(ns_r);
    lab_netns_del(ns_b);
    return 0;
}

static void
test_router_between_hosts(void **state)
{
    (void) state;
    assert_int_equal(lab_netns_add(ns_a), 0);
    assert_int_equal(lab_netns_add(ns_a), -EEXIST);
    assert_int_equal(lab_netns_add(ns_r), 0);
    assert_int_equal(lab_netns_add(ns_b), 0);
    assert_true(lab_netns_exists(ns_a));
    /* iproute2 sees our namespace. */
    assert_int_equal(sh("ip netns list | grep -qw %s", ns_a), 0);

    struct lab_nl *root;
    assert_int_equal(lab_nl_open(NULL, &root), 0);
    assert_int_equal(lab_nl_veth_add(root, "eth1", ns_a, "eth1", ns_r), 0);
    assert_int_equal(lab_nl_veth_add(root, "eth2", ns_r, "eth1", ns_b), 0);
    lab_nl_close(root);

    struct lab_nl *a, *r, *b;
    assert_int_equal(lab_nl_open(ns_a, &a), 0);
    assert_int_equal(lab_nl_open(ns_r, &r), 0);
    assert_int_equal(lab_nl_open(ns_b, &b), 0);
    assert_int_equal(lab_nl_ifindex(a, "nope0"), -ENODEV);

    assert_int_equal(lab_nl_link_set_up(a, "lo", true), 0);
    assert_int_equal(lab_nl_link_set_up(a, "eth1", true), 0);
    assert_int_equal(lab_nl_link_set_up(r, "eth1", true), 0);
    assert_int_equal(lab_nl_link_set_up(r, "eth2", true), 0);
    assert_int_equal(lab_nl_link_set_up(b, "eth1", true), 0);
    assert_int_equal(lab_nl_link_set_mtu(a, "eth1", 1400), 0);
    assert_int_equal(lab_nl_addr_add(a, "eth1", ip("10.0.1.1"), 24), 0);
    assert_int_equal(lab_nl_addr_add(a, "eth1", ip("10.0.1.1"), 24), -EEXIST);
    assert_int_equal(lab_nl_addr_add(r, "eth1", ip("10.0.1.254"), 24), 0);
    assert_int_equal(lab_nl_addr_add(r, "eth2", ip("10.0.2.254"), 24), 0);
    assert_int_equal(lab_nl_addr_add(b, "eth1", ip("10.0.2.1"), 24), 0);
    assert_int_equal(lab_nl_route_add(a, ip("0.0.0.0"), 0, ip("10.0.1.254"), NULL), 0);
    assert_int_equal(lab_nl_route_add(b, ip("10.0.1.0"), 24, ip("10.0.2.254"), "eth1"), 0);
    for (const char *const *ns = (const char *const[]) { ns_a, ns_r, ns_b, NULL }; *ns; ns++) {
        assert_int_equal(lab_nl_offloads_off(*ns, "eth1"), 0);
    }
    assert_int_equal(lab_nl_offloads_off(ns_a, "nope0"), -ENODEV);

    /* Not forwarding yet, then forwarding. */
    char value[16];
    assert_int_equal(lab_netns_sysctl_get(ns_r, "net/ipv4/ip_forward", value, sizeof value), 0);
    assert_string_equal(value, "0");
    assert_int_equal(sh("ip netns exec %s ping -c1 -W1 10.0.2.1 >/dev/null 2>&1", ns_a) == 0, 0);
    assert_int_equal(lab_netns_sysctl(ns_r, "net/ipv4/ip_forward", "1"), 0);
    assert_int_equal(lab_netns_sysctl_get(ns_r, "net/ipv4/ip_forward", value, sizeof value), 0);
    assert_string_equal(value, "1");
    assert_int_equal(sh("ip netns exec %s ping -c1 -W2 10.0.2.1 >/dev/null", ns_a), 0);

    /* Observed by independent tools. */
    assert_int_equal(sh("ip -n %s link show eth1 | grep -q 'mtu 1400'", ns_a), 0);
    assert_int_equal(sh("ip -n %s route | grep -q 'default via 10.0.1.254'", ns_a), 0);
    assert_int_equal(sh("ip netns exec %s ethtool -k eth1 | grep -q "
                        "'^tcp-segmentation-offload: off'", ns_a), 0);
    assert_int_equal(sh("ip netns exec %s ethtool -k eth1 | grep -q "
                        "'^tx-checksumming: off'", ns_a), 0);

    /* VLAN subinterface, bridge with a port, tap. */
    assert_int_equal(lab_nl_vlan_add(a, "eth1", 5000, "bad"), -EINVAL);
    int vlan_error = lab_nl_vlan_add(a, "eth1", 10, "eth1.10");
    bool have_vlan = vlan_error != -EOPNOTSUPP;
    if (have_vlan) {
        assert_int_equal(vlan_error, 0);
        assert_int_equal(sh("ip -n %s -d link show eth1.10 | grep -q "
                            "'vlan protocol 802.1Q id 10'", ns_a), 0);
    } else {
        fprintf(stderr, "note: this kernel has no 802.1Q links (vlan part not run)\n");
    }
    assert_int_equal(lab_nl_bridge_add(b, "br0"), 0);
    assert_int_equal(lab_nl_tap_add(ns_b, "tap0"), 0);
    assert_int_equal(lab_nl_link_set_master(b, "tap0", "br0"), 0);
    assert_int_equal(sh("ip -n %s link show tap0 | grep -q 'master br0'", ns_b), 0);
    int fd = lab_nl_tap_open(ns_b, "tap0");
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(lab_nl_link_del(b, "tap0"), 0);
    assert_int_equal(lab_nl_ifindex(b, "tap0"), -ENODEV);
    if (have_vlan) {
        assert_int_equal(lab_nl_link_del(a, "eth1.10"), 0);
    }

    /* Move a link between namespaces (bridges are namespace-local). */
    assert_int_equal(lab_nl_link_set_netns(b, "br0", ns_a), -EINVAL);
    assert_int_equal(lab_nl_veth_add(b, "m0", NULL, "m1", NULL), 0);
    assert_int_equal(lab_nl_link_set_netns(b, "m0", ns_a), 0);
    assert_true(lab_nl_ifindex(a, "m0") > 0);
    assert_int_equal(lab_nl_ifindex(b, "m0"), -ENODEV);

    lab_nl_close(a);
    lab_nl_close(r);
    lab_nl_close(b);
    assert_int_equal(lab_netns_del(ns_a), 0);
    assert_int_equal(lab_netns_del(ns_a), -ENOENT);
    assert_false(lab_netns_exists(ns_a));
}

int
main(void)
{
    if (geteuid() != 0) {
        fprintf(stderr, "SKIP: needs root (network namespaces)\n");
        return 77;
    }
    if (system("command -v ip >/dev/null && command -v ethtool >/dev/null && "
               "command -v ping >/dev/null")) {
        fprintf(stderr, "SKIP: needs ip, ethtool and ping as observers\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_router_between_hosts, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
