/* Unit tests for topology files: a good file read back; each broken file
 * refused with FILE:LINE and the reason. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lab/topo.h"

static const char good[] =
"name: t3\n"
"nodes:\n"
"  a:\n"
"    kind: host\n"
"    addresses: { eth1: 10.0.1.1/24 }\n"
"    routes: [ { dst: default, via: 10.0.1.254 } ]\n"
"  r:\n"
"    kind: linux-router\n"
"    cpus: \"1\"\n"
"    addresses:\n"
"      eth1: 10.0.1.254/24\n"
"      eth2: [10.0.2.254/24, 10.0.3.254/24]\n"
"  b:\n"
"    kind: container\n"
"    cpu: 0.5\n"
"    memory: 64M\n"
"    cpus: [0, 1]\n"
"    addresses: { eth1: 10.0.2.1/24, eth1.7: 10.7.0.1/24 }\n"
"    vlans: [ { parent: eth1, id: 7 } ]\n"
"    routes: [ { dst: 10.0.1.0/24, via: 10.0.2.254, dev: eth1 } ]\n"
"  g: { kind: vm, vcpus: 2, memory: 512M, nic: e1000 }\n"
"  sw: { kind: plural-switch, controllers: [c], fail-mode: secure }\n"
"  c: { kind: controller, app: router, config: r.conf }\n"
"  cb: { kind: controller, app: l2, container: b }\n"
"  fv: { kind: slicer, slices: [ { name: a, controller: c, ports: [1, 2],\n"
"        flowspace: [\"dl_vlan=10\"], weight: 3 } ] }\n"
"links:\n"
"  - endpoints: [a:eth1, r:eth1]\n"
"    mtu: 1400\n"
"  - endpoints: [r:eth2, b:eth1]\n"
"  - endpoints: [g:eth0, sw:p1]\n";

static void
test_good(void **state)
{
    (void) state;
    struct lab_topo *topo;
    char *err = NULL;
    int error = lab_topo_parse("good.yml", good, strlen(good), &topo, &err);
    if (error) {
        fprintf(stderr, "%s", err);
    }
    assert_int_equal(error, 0);
    assert_null(err);
    assert_string_equal(topo->name, "t3");
    assert_int_equal(topo->n_nodes, 8);
    assert_int_equal(topo->n_links, 3);
    const struct lab_node *r = lab_topo_find(topo, "r");
    assert_int_equal(r->kind, LAB_NODE_ROUTER);
    assert_int_equal(r->cpu_mask, 2);
    assert_int_equal(r->n_addrs, 3);
    assert_int_equal(r->n_ifaces, 2);
    const struct lab_node *b = lab_topo_find(topo, "b");
    assert_int_equal(b->kind, LAB_NODE_CONTAINER);
    assert_true(b->cpu_quota == 0.5);
    assert_int_equal(b->memory, 64u << 20);
    assert_int_equal(b->cpu_mask, 3);
    assert_string_equal(b->vlans[0].name, "eth1.7");
    assert_string_equal(b->routes[0].dev, "eth1");
    const struct lab_node *a = lab_topo_find(topo, "a");
    assert_int_equal(a->routes[0].plen, 0);
    assert_int_equal(ntohl(a->routes[0].via.s_addr), 0x0a0001fe);
    assert_int_equal(topo->links[0].mtu, 1400);
    assert_int_equal(topo->links[0].line, 28);
    const struct lab_node *g = lab_topo_find(topo, "g");
    assert_int_equal(g->vcpus, 2);
    assert_string_equal(g->nic, "e1000");
    assert_string_equal(lab_topo_find(topo, "sw")->controllers[0], "c");
    const struct lab_node *fv = lab_topo_find(topo, "fv");
    assert_int_equal(fv->kind, LAB_NODE_SLICER);
    assert_int_equal(fv->n_slices, 1);
    assert_string_equal(fv->slices[0].ports, "[1, 2]");
    assert_string_equal(fv->slices[0].matches[0], "dl_vlan=10");
    assert_int_equal(fv->slices[0].weight, 3);
    assert_string_equal(lab_topo_find(topo, "cb")->container, "b");
    assert_null(lab_topo_find(topo, "c")->container);
    assert_null(lab_topo_find(topo, "zz"));
    lab_topo_destroy(topo);
}

/* Parses TEXT, expects refusal with an error containing WANT. */
static void
expect_error(const char *text, const char *want)
{
    struct lab_topo *topo = (void *) 1;
    char *err = NULL;
    assert_int_equal(lab_topo_parse("bad.yml", text, strlen(text), &topo, &err), -EINVAL);
    assert_null(topo);
    assert_non_null(err);
    if (!strstr(err, want)) {
        fprintf(stderr, "wanted '%s' in:\n%s", want, err);
        fail();
    }
    free(err);
}

static void
test_errors(void **state)
{
    (void) state;
    expect_error("name: x\nnodes:\n  a: { kind: router }\n",
                 "bad.yml:3: node a: unknown node kind 'router'");
    expect_error("name: x\nnodes:\n  a: { kind: host }\nlinks:\n  - endpoints: [a:eth1, z:eth1]\n",
                 "bad.yml:5: link to a missing node 'z'");
    expect_error("name: x\nnodes:\n  a: { kind: host, addresses: { eth1: 10.0.0.1/24 } }\n"
                 "  b: { kind: host, addresses: { eth1: 10.0.0.1/24 } }\n"
                 "links:\n  - endpoints: [a:eth1, b:eth1]\n",
                 "bad.yml:4: duplicate address 10.0.0.1 (also on a:eth1, line 3)");
    expect_error("name: x\nnodes:\n  a:\n    kind: host\n    addresses:\n      eth1: 10.0.0.1/33\n"
                 "links:\n  - endpoints: [a:eth1, a:eth2]\n",
                 "bad.yml:6: node a: bad prefix '10.0.0.1/33'");
    expect_error("name: x\nnodes:\n  a: { kind: host, addresses: { eth1: 10.0.0.300/24 } }\n",
                 "bad.yml:3: node a: bad prefix");
    expect_error("name: x\nnodes:\n  a: { kind: host, addresses: { eth9: 10.0.0.1/24 } }\n",
                 "interface 'eth9', which the node does not have");
    expect_error("name: x\nnodes:\n  a: { kind: host }\n  b: { kind: host }\nlinks:\n"
                 "  - endpoints: [a:eth1, b:eth1]\n  - endpoints: [a:eth1, b:eth2]\n",
                 "bad.yml:7: interface a:eth1 used twice");
    expect_error("name: x\nnodes:\n  a: { kind: host, colour: red }\n",
                 "bad.yml:3: unknown key 'colour' in a node");
    expect_error("nodes:\n  a: { kind: host }\n", "bad.yml:1: the topology has no name");
    expect_error("name: x\nnodes:\n  a: { kind: host }\n  a: { kind: host }\n",
                 "bad.yml:4: key 'a' given twice");
    expect_error("name: x\nnodes:\n  a: { kind: host\n", "bad.yml:4: YAML syntax");
    expect_error("name: x\nnodes:\n  s: { kind: plural-switch, controllers: [a] }\n"
                 "  a: { kind: host }\n", "controller 'a' is not a controller node");
    expect_error("name: x\nnodes:\n  c: { kind: controller, app: nox }\n",
                 "bad.yml:3: node c: controller needs app");
    expect_error("name: x\nnodes:\n  g: { kind: vm }\n  h: { kind: vm }\nlinks:\n"
                 "  - endpoints: [g:eth0, h:eth0]\n",
                 "bad.yml:6: a link between two vms is not supported");
    expect_error("name: x\nnodes:\n  b: { kind: container, memory: lots }\n",
                 "bad.yml:3: node b: bad memory size 'lots'");
    expect_error("name: x\nnodes:\n  b: { kind: host, cpus: \"3-1\" }\n",
                 "bad.yml:3: node b: bad CPU list '3-1'");
    expect_error("name: x\nnodes:\n  b: { kind: host }\nlinks:\n"
                 "  - endpoints: [b:averyveryverylongname, b:eth1]\n",
                 "bad interface name 'averyveryverylongname'");
    expect_error("name: Bad_Name\nnodes:\n  b: { kind: host }\n", "bad.yml:1: bad lab name");
    expect_error("name: x\nnodes:\n  f:\n    kind: slicer\n    slices:\n"
                 "      - { name: s, controller: h, flowspace: [ip] }\n  h: { kind: host }\n",
                 "bad.yml:6: node f: slice s: controller 'h' is not a controller node");
    expect_error("name: x\nnodes:\n  f: { kind: slicer }\n", "bad.yml:3: node f: a slicer "
                 "needs slices");
    expect_error("name: x\nnodes:\n  c: { kind: controller, app: l2 }\n  f:\n    kind: slicer\n"
                 "    slices:\n      - { name: s, controller: c, ports: [1, x], flowspace: [ip] }\n",
                 "bad.yml:7: node f: slice s: bad port 'x'");
    /* A controller placed in a container: the container must be one. */
    expect_error("name: x\nnodes:\n  h: { kind: host }\n  c:\n    kind: controller\n"
                 "    app: l2\n    container: h\n",
                 "bad.yml:7: node c: container 'h' is not a container node");
    expect_error("name: x\nnodes:\n  c: { kind: controller, app: l2,\n"
                 "       container: nowhere }\n",
                 "bad.yml:4: node c: container 'nowhere' is not a container node");
    expect_error("name: x\nnodes:\n  k: { kind: container }\n  h: { kind: host, container: k }\n",
                 "bad.yml:4: node h: only controller nodes run in a container");
    /* Every error is reported, not only the first. */
    const char *two = "name: x\nnodes:\n  a: { kind: foo }\n  b: { kind: bar }\n";
    struct lab_topo *topo;
    char *err;
    assert_int_equal(lab_topo_parse("f", two, strlen(two), &topo, &err), -EINVAL);
    assert_non_null(strstr(err, "f:3:"));
    assert_non_null(strstr(err, "f:4:"));
    free(err);
}

/* A controller inside a vm, reached by a slicer linked to the guest. */
static const char vm_placed[] =
"name: v\n"
"nodes:\n"
"  g: { kind: vm, addresses: { eth0: 10.9.0.2/24 } }\n"
"  c: { kind: controller, app: cleanslate, config: cs.conf, vm: g, port: 7000 }\n"
"  d: { kind: controller, app: l2, vm: g }\n"
"  fv:\n"
"    kind: slicer\n"
"    addresses: { m0: 10.9.0.1/24 }\n"
"    slices: [ { name: a, controller: c, ports: [1], flowspace: [ip] },\n"
"              { name: b, controller: d, ports: [2], flowspace: [arp] } ]\n"
"  sw: { kind: plural-switch, controllers: [fv] }\n"
"links:\n"
"  - endpoints: [fv:m0, g:eth0]\n";

static void
test_vm_placement(void **state)
{
    (void) state;
    struct lab_topo *topo;
    char *err = NULL;
    int error = lab_topo_parse("v.yml", vm_placed, strlen(vm_placed), &topo, &err);
    if (error) {
        fprintf(stderr, "%s", err);
    }
    assert_int_equal(error, 0);
    assert_string_equal(lab_topo_find(topo, "c")->vm, "g");
    assert_int_equal(lab_topo_find(topo, "c")->port, 7000);
    assert_int_equal(lab_topo_find(topo, "d")->port, 0);   /* Default 6653 at up. */
    assert_int_equal(lab_topo_find(topo, "fv")->n_ifaces, 1);
    assert_null(lab_topo_find(topo, "sw")->vm);
    lab_topo_destroy(topo);

    expect_error("name: x\nnodes:\n  h: { kind: host }\n  c: { kind: controller, app: l2,\n"
                 "       vm: h }\n", "bad.yml:5: node c: vm 'h' is not a vm node");
    expect_error("name: x\nnodes:\n  g: { kind: vm }\n  c: { kind: controller, app: l2, vm: g }\n",
                 "bad.yml:4: node c: vm 'g' has no address to listen on");
    expect_error("name: x\nnodes:\n  g: { kind: vm, addresses: { eth0: 10.0.0.2/24 } }\n"
                 "  c: { kind: controller, app: ovs-testcontroller, vm: g }\n",
                 "bad.yml:4: node c: only plural-controller apps run in a vm");
    expect_error("name: x\nnodes:\n  g: { kind: vm, addresses: { eth0: 10.0.0.2/24 } }\n"
                 "  k: { kind: container }\n"
                 "  c: { kind: controller, app: l2, vm: g, container: k }\n",
                 "bad.yml:5: node c: a controller is in a container or in a vm, not both");
    expect_error("name: x\nnodes:\n  g: { kind: vm, addresses: { eth0: 10.0.0.2/24 } }\n"
                 "  c: { kind: controller, app: l2, vm: g }\n"
                 "  sw: { kind: plural-switch, controllers: [c] }\n",
                 "bad.yml:5: node sw: controller 'c' runs in vm 'g', which a switch cannot "
                 "reach");
    expect_error("name: x\nnodes:\n  h: { kind: host, vm: g }\n  g: { kind: vm }\n",
                 "bad.yml:3: node h: only controller nodes run in a vm");
    expect_error("name: x\nnodes:\n  c: { kind: controller, app: l2, port: 7000 }\n",
                 "bad.yml:3: node c: port is for a controller placed in a vm");
    expect_error("name: x\nnodes:\n  g: { kind: vm, addresses: { eth0: 10.0.0.2/24 } }\n"
                 "  c: { kind: controller, app: l2, vm: g, port: 70000 }\n",
                 "bad.yml:4: node c: port '70000' not in 1..65535");
}

static void
test_sizes(void **state)
{
    (void) state;
    uint64_t v;
    assert_int_equal(lab_parse_size("512M", &v), 0);
    assert_int_equal(v, 512u << 20);
    assert_int_equal(lab_parse_size("2G", &v), 0);
    assert_int_equal(v, 2ULL << 30);
    assert_int_equal(lab_parse_size("100", &v), 0);
    assert_int_equal(v, 100);
    assert_int_equal(lab_parse_size("1GiB", &v), 0);
    assert_int_equal(lab_parse_size("1X", &v), -EINVAL);
    assert_int_equal(lab_parse_size("-1", &v), -EINVAL);
    assert_int_equal(lab_parse_cpus("0-2,5", &v), 0);
    assert_int_equal(v, 0x27);
    assert_int_equal(lab_parse_cpus("64", &v), -EINVAL);
    assert_int_equal(lab_parse_cpus("1,", &v), -EINVAL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_vm_placement),
        cmocka_unit_test(test_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
