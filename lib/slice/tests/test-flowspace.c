/* Unit tests: flowspace regions — parsing, containment, overlap,
 * intersection with VLAN ranges and IP prefixes. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "ofp/ofp-parse.h"
#include "ofp/ofp-print.h"
#include "slice/flowspace.h"

static struct fs_region
region(const char *s)
{
    struct fs_region r;
    char *err = NULL;
    int error = fs_region_parse(s, &r, &err);
    if (error) {
        fail_msg("parse '%s': %s", s, err);
    }
    return r;
}

static struct ofp_match_h
match(const char *s)
{
    struct ofp_match_h m;
    char *err = NULL;
    if (ofp_parse_match(s, &m, &err)) {
        fail_msg("parse match '%s': %s", s, err);
    }
    return m;
}

static void
test_parse_and_format(void **state)
{
    (void) state;
    const char *cases[][2] = {
        { "", "any" },
        { "any", "any" },
        { "dl_vlan=10", "dl_vlan=10" },
        { "dl_vlan=10-19", "dl_vlan=10-19" },
        { "dl_vlan=7-7", "dl_vlan=7" },
        { "dl_vlan=100-200,ip,nw_dst=10.1.0.0/16", "dl_vlan=100-200,ip,nw_dst=10.1.0.0/16" },
        { "in_port=3 tcp tp_dst=80", "tcp,in_port=3,tp_dst=80" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fs_region r = region(cases[i][0]);
        char *s = fs_region_to_string(&r);
        assert_string_equal(s, cases[i][1]);
        /* Round trip. */
        struct fs_region r2 = region(s);
        assert_true(fs_region_covers_region(&r, &r2));
        assert_true(fs_region_covers_region(&r2, &r));
        free(s);
    }
}

static void
test_parse_errors(void **state)
{
    (void) state;
    const char *bad[] = {
        "dl_vlan=20-10", "dl_vlan=1-5000", "dl_vlan=a-b", "dl_vlan=1-",
        "nw_dst=10.0.0.0/8",            /* nw_* without ip/arp. */
        "ip,tp_dst=80",                 /* tp_* without nw_proto. */
        "nw_tos=4",                     /* nw_tos without ip. */
        "dl_vlan=1-3,dl_vlan=4",
        "bogus=1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct fs_region r;
        char *err = NULL;
        assert_int_equal(fs_region_parse(bad[i], &r, &err), -EINVAL);
        assert_non_null(err);
        free(err);
    }
}

static void
test_covers(void **state)
{
    (void) state;
    struct fs_region r = region("dl_vlan=10-19");
    assert_true(fs_region_covers(&r, &(struct ofp_match_h) { 0 }) == false);
    assert_true(fs_region_covers(&r, &(struct ofp_match_h) { .wildcards = OFPFW_ALL & ~OFPFW_DL_VLAN, .dl_vlan = 10 }));
    struct ofp_match_h m = match("dl_vlan=19,tcp,tp_dst=80");
    assert_true(fs_region_covers(&r, &m));
    m = match("dl_vlan=20,tcp");
    assert_false(fs_region_covers(&r, &m));
    m = match("tcp");
    assert_false(fs_region_covers(&r, &m));         /* VLAN open. */

    struct fs_region p = region("ip,nw_dst=10.1.0.0/16");
    m = match("ip,nw_dst=10.1.2.0/24");
    assert_true(fs_region_covers(&p, &m));
    m = match("ip,nw_dst=10.0.0.0/8");
    assert_false(fs_region_covers(&p, &m));
    m = match("ip,nw_dst=10.2.0.1");
    assert_false(fs_region_covers(&p, &m));
    m = match("arp,nw_dst=10.1.0.1");
    assert_false(fs_region_covers(&p, &m));

    struct fs_region any = region("any");
    m = match("");
    assert_true(fs_region_covers(&any, &m));

    /* Untagged as a VLAN of its own. */
    struct fs_region untagged = region("dl_vlan=0xffff");
    m = match("dl_vlan=0xffff,ip");
    assert_true(fs_region_covers(&untagged, &m));
    m = match("dl_vlan=1");
    assert_false(fs_region_covers(&untagged, &m));
}

static void
test_covers_region(void **state)
{
    (void) state;
    struct fs_region wide = region("dl_vlan=10-30");
    struct fs_region narrow = region("dl_vlan=12-20,ip");
    struct fs_region other = region("dl_vlan=25-40");
    assert_true(fs_region_covers_region(&wide, &narrow));
    assert_false(fs_region_covers_region(&narrow, &wide));
    assert_false(fs_region_covers_region(&wide, &other));
    struct fs_region any = region("any");
    assert_true(fs_region_covers_region(&any, &other));
    assert_false(fs_region_covers_region(&other, &any));
}

static void
test_overlaps(void **state)
{
    (void) state;
    struct fs_region r = region("dl_vlan=10-19,ip,nw_src=10.0.0.0/8");
    struct ofp_match_h m = match("");
    assert_true(fs_region_overlaps(&r, &m));
    m = match("dl_vlan=15");
    assert_true(fs_region_overlaps(&r, &m));
    m = match("dl_vlan=25");
    assert_false(fs_region_overlaps(&r, &m));
    m = match("arp");
    assert_false(fs_region_overlaps(&r, &m));
    m = match("ip,nw_src=10.9.0.0/16");
    assert_true(fs_region_overlaps(&r, &m));
    m = match("ip,nw_src=11.0.0.0/16");
    assert_false(fs_region_overlaps(&r, &m));
    m = match("ip,nw_src=0.0.0.0/1");   /* Wider, contains 10/8. */
    assert_true(fs_region_overlaps(&r, &m));
}

static void
test_intersect(void **state)
{
    (void) state;
    struct ofp_match_h out[FS_MAX_EXPANSION];
    struct fs_region r = region("dl_vlan=10");
    struct ofp_match_h m = match("tcp,tp_dst=80");
    assert_int_equal(fs_region_intersect(&r, &m, out, FS_MAX_EXPANSION), 1);
    char *s = ofp_match_to_string(&out[0]);
    assert_string_equal(s, "tcp,dl_vlan=10,tp_dst=80");
    free(s);
    assert_true(fs_region_covers(&r, &out[0]));

    /* Range expansion. */
    r = region("dl_vlan=10-13");
    m = match("ip");
    assert_int_equal(fs_region_intersect(&r, &m, out, FS_MAX_EXPANSION), 4);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(out[i].dl_vlan, 10 + i);
        assert_true(fs_region_covers(&r, &out[i]));
        assert_true(ofp_match_covers(&m, &out[i]));
    }
    /* Too wide. */
    r = region("dl_vlan=0-4095");
    assert_int_equal(fs_region_intersect(&r, &m, out, FS_MAX_EXPANSION), -E2BIG);
    /* Disjoint. */
    r = region("dl_vlan=10");
    m = match("dl_vlan=20");
    assert_int_equal(fs_region_intersect(&r, &m, out, FS_MAX_EXPANSION), 0);
    /* Prefixes: the longer one wins. */
    r = region("ip,nw_dst=10.1.0.0/16");
    m = match("ip,nw_dst=10.0.0.0/8,nw_src=1.2.3.4");
    assert_int_equal(fs_region_intersect(&r, &m, out, FS_MAX_EXPANSION), 1);
    assert_int_equal(ofp_match_nw_dst_prefix(&out[0]), 16);
    assert_int_equal(out[0].nw_dst, 0x0a010000);
    assert_int_equal(out[0].nw_src, 0x01020304);
    m = match("ip,nw_dst=10.1.5.5");
    assert_int_equal(fs_region_intersect(&r, &m, out, FS_MAX_EXPANSION), 1);
    assert_int_equal(ofp_match_nw_dst_prefix(&out[0]), 32);
    /* Exact fields filled from the region. */
    r = region("in_port=2,dl_vlan=5");
    m = match("dl_src=00:11:22:33:44:55");
    assert_int_equal(fs_region_intersect(&r, &m, out, FS_MAX_EXPANSION), 1);
    assert_int_equal(out[0].in_port, 2);
    assert_int_equal(out[0].dl_vlan, 5);
    assert_int_equal(out[0].wildcards & (OFPFW_IN_PORT | OFPFW_DL_VLAN | OFPFW_DL_SRC), 0);
}

static void
test_perms(void **state)
{
    (void) state;
    uint8_t p;
    char s[4];
    assert_int_equal(fs_perms_parse("rwd", &p), 0);
    assert_int_equal(p, FS_PERM_READ | FS_PERM_WRITE | FS_PERM_DELEGATE);
    fs_perms_format(p, s);
    assert_string_equal(s, "rwd");
    assert_int_equal(fs_perms_parse("r", &p), 0);
    fs_perms_format(p, s);
    assert_string_equal(s, "r");
    assert_int_equal(fs_perms_parse("x", &p), -EINVAL);
    assert_int_equal(fs_perms_parse("", &p), -EINVAL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_and_format),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_covers),
        cmocka_unit_test(test_covers_region),
        cmocka_unit_test(test_overlaps),
        cmocka_unit_test(test_intersect),
        cmocka_unit_test(test_perms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
