/* Unit tests: the router config parser accepts good files and names the
 * line of each error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "router/router-config.h"

static const char good[] =
    "# two nets\n"
    "mode reactive\n"
    "idle-timeout 20\n"
    "interface eth1 port 1 mac 02:00:00:00:01:01 ip 10.0.1.1/24\n"
    "interface eth2 port 2 mac 02:00:00:00:02:01 ip 10.0.2.1/24 vlan 7\n"
    "route 10.9.0.0/16 via 10.0.2.2\n"
    "route 0.0.0.0/0 via 10.0.1.254 dev eth1\n";

static void
test_good(void **state)
{
    (void) state;
    struct router_config cfg;
    char *err = NULL;
    assert_int_equal(router_config_parse("t.conf", good, &cfg, &err), 0);
    assert_int_equal(cfg.mode, ROUTER_REACTIVE);
    assert_int_equal(cfg.idle_timeout, 20);
    assert_int_equal(cfg.n_ifaces, 2);
    assert_int_equal(cfg.ifaces[1].vlan, 7);
    assert_int_equal(cfg.n_routes, 2);
    assert_int_equal(cfg.routes[0].iface, 1);
    assert_int_equal(cfg.routes[1].iface, 0);
    assert_int_equal(cfg.routes[1].plen, 0);
    router_config_uninit(&cfg);
}

static void
expect_error(const char *text, const char *want)
{
    struct router_config cfg;
    char *err = NULL;
    assert_int_not_equal(router_config_parse("t.conf", text, &cfg, &err), 0);
    assert_non_null(err);
    if (!strstr(err, want)) {
        fail_msg("error \"%s\" lacks \"%s\"", err, want);
    }
    assert_null(strchr(err, '\n'));
    free(err);
    router_config_uninit(&cfg);
}

static void
test_errors(void **state)
{
    (void) state;
    const char *i1 = "interface eth1 port 1 mac 02:00:00:00:01:01 ip 10.0.1.1/24\n";
    char buf[512];
    snprintf(buf, sizeof buf, "%sinterface eth2 port 2 mac 02:00:00:00:02:01 ip 10.0.1.9/16\n", i1);
    expect_error(buf, "t.conf:2: interface eth2: subnet 10.0.0.0/16 overlaps interface eth1");
    expect_error("interface e port 1 mac 02:00:00:00:01:01 ip 10.0.1.1/33\n", "t.conf:1: interface e: bad address/prefix");
    expect_error("interface e port 1 mac 02:00:00:00:01:01 ip 10.0.1.0/24\n", "network or broadcast");
    expect_error("interface e port 1 mac zz ip 10.0.1.1/24\n", "bad MAC");
    snprintf(buf, sizeof buf, "%s\nroute 10.9.0.0/16 via 10.0.7.1\n", i1);
    expect_error(buf, "t.conf:3: route 10.9.0.0/16: next hop 10.0.7.1 is unreachable");
    snprintf(buf, sizeof buf, "%sroute 10.9.0.1/16 via 10.0.1.2\n", i1);
    expect_error(buf, "t.conf:2: route 10.9.0.1/16 has host bits set (did you mean 10.9.0.0/16?)");
    snprintf(buf, sizeof buf, "%sroute 10.9.0.0/40 via 10.0.1.2\n", i1);
    expect_error(buf, "t.conf:2: bad prefix");
    snprintf(buf, sizeof buf, "%sroute 10.9.0.0/16 via 10.0.1.1\n", i1);
    expect_error(buf, "own address");
    snprintf(buf, sizeof buf, "%sroute 10.9.0.0/16 via 10.0.1.2 dev eth9\n", i1);
    expect_error(buf, "no interface named \"eth9\"");
    snprintf(buf, sizeof buf, "%s%s", i1, i1);
    expect_error(buf, "t.conf:2: interface eth1 is already defined on line 1");
    expect_error("bogus 1\n", "t.conf:1: unknown keyword \"bogus\"");
    expect_error("mode fast\n", "t.conf:1: expected: mode proactive|reactive");
}

static const char good_yaml[] =
    "# two nets\n"
    "mode: reactive\n"
    "idle-timeout: 20\n"
    "interfaces:\n"
    "  - {name: eth1, port: 1, mac: \"02:00:00:00:01:01\", ip: 10.0.1.1/24}\n"
    "  - name: eth2\n"
    "    port: 2\n"
    "    mac: 02:00:00:00:02:01\n"
    "    ip: 10.0.2.1/24\n"
    "    vlan: 7\n"
    "routes:\n"
    "  - {prefix: 10.9.0.0/16, via: 10.0.2.2}\n"
    "  - {prefix: 0.0.0.0/0, via: 10.0.1.254, dev: eth1}\n";

static void
test_yaml(void **state)
{
    (void) state;
    struct router_config a, b;
    char *err = NULL;
    assert_int_equal(router_config_parse("t.conf", good, &a, &err), 0);
    if (router_config_parse_yaml("t.yaml", good_yaml, strlen(good_yaml), &b, &err)) {
        fail_msg("%s", err);
    }
    assert_int_equal(b.mode, a.mode);
    assert_int_equal(b.idle_timeout, a.idle_timeout);
    assert_int_equal(b.n_ifaces, 2);
    assert_int_equal(b.n_routes, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(b.ifaces[i].name, a.ifaces[i].name);
        assert_int_equal(b.ifaces[i].port, a.ifaces[i].port);
        assert_int_equal(b.ifaces[i].vlan, a.ifaces[i].vlan);
        assert_int_equal(b.ifaces[i].ip, a.ifaces[i].ip);
        assert_memory_equal(b.ifaces[i].mac, a.ifaces[i].mac, 6);
        assert_int_equal(b.routes[i].prefix, a.routes[i].prefix);
        assert_int_equal(b.routes[i].next_hop, a.routes[i].next_hop);
        assert_int_equal(b.routes[i].iface, a.routes[i].iface);
    }
    router_config_uninit(&a);
    router_config_uninit(&b);

    static const struct { const char *text, *want; } bad[] = {
        { "interfaces:\n  - {name: e1, port: 1, mac: 02:00:00:00:01:01, ip: 10.0.1.1/24}\n"
          "  - {name: e2, port: 2, mac: 02:00:00:00:02:01, ip: 10.0.1.7/16}\n",
          "t.yaml:3: interface e2: subnet 10.0.0.0/16 overlaps interface e1" },
        { "interfaces:\n  - {name: e1, port: 1, mac: 02:00:00:00:01:01, ip: 10.0.1.1/24}\n"
          "routes:\n  - {prefix: 10.9.0.0/16, via: 10.0.8.1}\n",
          "t.yaml:4: route 10.9.0.0/16: next hop 10.0.8.1 is unreachable" },
        { "mode: proactive\nroutez: []\n", "t.yaml:2: unknown key \"routez\"" },
        { "interfaces:\n  - {name: e1, prot: 1}\n", "t.yaml:2: interface: unknown key \"prot\"" },
        { "interfaces: [\n", "t.yaml:" },
        { "- a\n", "t.yaml:1: the top level must be a mapping" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err = NULL;
        assert_int_not_equal(router_config_parse_yaml("t.yaml", bad[i].text, strlen(bad[i].text),
                                                      &b, &err), 0);
        if (!err || !strstr(err, bad[i].want)) {
            fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err ? err : "(null)", bad[i].want);
        }
        free(err);
        router_config_uninit(&b);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_yaml),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
