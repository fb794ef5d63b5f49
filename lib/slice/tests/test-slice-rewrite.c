/* Unit tests: slice definitions (JSON), FLOW_MOD / action / PACKET_OUT
 * rewriting, PACKET_IN classification, LLDP trailers, flow tracking, and a
 * randomized check that no FLOW_MOD from a slice ever yields an entry
 * outside its flowspace. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "ofp/ofp-parse.h"
#include "ofp/ofp-print.h"
#include "slice/flow-track.h"
#include "slice/rewrite.h"
#include "util/buf.h"

static struct slice_def *
make_slice(const char *name, const char *ports, const char *const *entries)
{
    struct slice_def *s = slice_def_create(name, "tcp:127.0.0.1:1");
    char *err = NULL;
    if (slice_def_set_ports(s, ports, &err)) {
        fail_msg("ports: %s", err);
    }
    for (; *entries; entries++) {
        struct fs_entry e;
        if (fs_entry_parse(*entries, &e, &err)) {
            fail_msg("entry '%s': %s", *entries, err);
        }
        slice_def_add_entry(s, &e);
    }
    return s;
}

static struct ofp_flow_mod_h
flow_mod(const char *spec_text, uint16_t command)
{
    struct ofp_flow_spec spec;
    char *err = NULL;
    if (ofp_parse_flow(spec_text, &spec, &err)) {
        fail_msg("flow '%s': %s", spec_text, err);
    }
    struct ofp_flow_mod_h fm = {
        .match = spec.match, .command = command, .priority = spec.priority,
        .buffer_id = UINT32_MAX, .out_port = OFPP_NONE,
        .actions = spec.actions, .n_actions = spec.n_actions,
    };
    return fm;
}

static void
test_json_round_trip(void **state)
{
    (void) state;
    const char *entries[] = { "dpid=any priority=100 perms=rw dl_vlan=10",
                              "dpid=0x2 priority=50 perms=r dl_vlan=30-32,ip", NULL };
    struct slice_def *s = make_slice("ip", "1,3,2", entries);
    s->limits.max_flows = 7;
    s->limits.rate = 100;
    s->weight = 3;
    json_t *j = slice_def_to_json(s);
    struct slice_def *t;
    char *err = NULL;
    assert_int_equal(slice_def_from_json(j, &t, &err), 0);
    assert_string_equal(t->name, "ip");
    assert_int_equal(t->n_ports, 3);
    assert_int_equal(t->ports[0], 1);
    assert_int_equal(t->ports[2], 3);
    assert_int_equal(t->n_entries, 2);
    assert_int_equal(t->entries[1].dpid, 2);
    assert_int_equal(t->entries[1].region.vlan_hi, 32);
    assert_int_equal(t->entries[1].perms, FS_PERM_READ);
    assert_int_equal(t->limits.max_flows, 7);
    assert_int_equal(t->weight, 3);
    json_t *vlans = json_object_get(j, "vlans");
    assert_int_equal(json_array_size(vlans), 4);
    json_decref(j);
    slice_def_destroy(t);

    /* Errors name the problem. */
    j = json_pack("{s:s, s:s, s:[{s:s}]}", "name", "bad name!", "controller", "x",
                  "flowspace", "match", "dl_vlan=1");
    assert_int_equal(slice_def_from_json(j, &t, &err), -EINVAL);
    free(err);
    json_decref(j);
    j = json_pack("{s:s, s:s, s:[{s:s}]}", "name", "x", "controller", "x",
                  "flowspace", "match", "nw_dst=10.0.0.0/8");
    assert_int_equal(slice_def_from_json(j, &t, &err), -EINVAL);
    assert_non_null(strstr(err, "dl_type"));
    free(err);
    json_decref(j);
    slice_def_destroy(s);
    slice_def_destroy(NULL);
    t = NULL;
}

static const char *const ip_entries[] = { "dl_vlan=10", NULL };
static const char *const clean_entries[] = { "dl_vlan=20", NULL };

static void
test_flow_mod_confined(void **state)
{
    (void) state;
    struct slice_def *s = make_slice("clean", "1,2", clean_entries);
    struct ofp_flow_mod_h *out;
    size_t n;
    struct ofp_error err;

    /* A wildcarded flow is narrowed to the slice's VLAN. */
    struct ofp_flow_mod_h fm = flow_mod("priority=5,tcp,actions=output:2", OFPFC_ADD);
    assert_int_equal(slice_rewrite_flow_mod(s, 1, &fm, &out, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(out[0].match.dl_vlan, 20);
    assert_true(out[0].flags & OFPFF_SEND_FLOW_REM);
    assert_int_equal(out[0].n_actions, 1);
    slice_flow_mods_free(out, n);
    free(fm.actions);

    /* Another slice's VLAN: EPERM. */
    fm = flow_mod("dl_vlan=10,actions=output:2", OFPFC_ADD);
    assert_int_equal(slice_rewrite_flow_mod(s, 1, &fm, &out, &n, &err), -EPERM);
    assert_int_equal(err.type, OFPET_FLOW_MOD_FAILED);
    assert_int_equal(err.code, OFPFMFC_EPERM);
    free(fm.actions);

    /* Delete-all becomes a delete inside the flowspace. */
    fm = flow_mod("", OFPFC_DELETE);
    assert_int_equal(slice_rewrite_flow_mod(s, 1, &fm, &out, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(out[0].match.dl_vlan, 20);
    struct ofp_match_h just_vlan;
    ofp_parse_match("dl_vlan=20", &just_vlan, NULL);
    assert_true(ofp_match_equal(&out[0].match, &just_vlan));
    slice_flow_mods_free(out, n);
    /* Delete outside: nothing at all. */
    fm = flow_mod("dl_vlan=10", OFPFC_DELETE_STRICT);
    assert_int_equal(slice_rewrite_flow_mod(s, 1, &fm, &out, &n, &err), 0);
    assert_int_equal(n, 0);
    assert_null(out);

    /* Output to a port that is not the slice's. */
    fm = flow_mod("actions=output:3", OFPFC_ADD);
    assert_int_equal(slice_rewrite_flow_mod(s, 1, &fm, &out, &n, &err), -EPERM);
    assert_int_equal(err.type, OFPET_BAD_ACTION);
    assert_int_equal(err.code, OFPBAC_EPERM);
    free(fm.actions);
    /* Rewriting the VLAN into another slice's. */
    fm = flow_mod("actions=mod_vlan_vid:10,output:1", OFPFC_ADD);
    assert_int_equal(slice_rewrite_flow_mod(s, 1, &fm, &out, &n, &err), -EPERM);
    free(fm.actions);
    fm = flow_mod("actions=strip_vlan,output:1", OFPFC_ADD);
    assert_int_equal(slice_rewrite_flow_mod(s, 1, &fm, &out, &n, &err), -EPERM);
    free(fm.actions);
    /* A rewrite after the last output is harmless. */
    fm = flow_mod("actions=output:1,mod_vlan_vid:10", OFPFC_ADD);
    assert_int_equal(slice_rewrite_flow_mod(s, 1, &fm, &out, &n, &err), 0);
    slice_flow_mods_free(out, n);
    free(fm.actions);
    /* FLOOD expands to the slice's ports (minus the in_port). */
    fm = flow_mod("in_port=1,actions=flood", OFPFC_ADD);
    assert_int_equal(slice_rewrite_flow_mod(s, 1, &fm, &out, &n, &err), 0);
    assert_int_equal(out[0].n_actions, 1);
    assert_int_equal(out[0].actions[0].output.port, 2);
    slice_flow_mods_free(out, n);
    free(fm.actions);
    fm = flow_mod("actions=normal", OFPFC_ADD);
    assert_int_equal(slice_rewrite_flow_mod(s, 1, &fm, &out, &n, &err), -EPERM);
    free(fm.actions);
    slice_def_destroy(s);
}

static void
test_flow_mod_ranges_and_dpid(void **state)
{
    (void) state;
    const char *entries[] = { "dpid=7 dl_vlan=100-102", "dpid=any dl_vlan=102-103", NULL };
    struct slice_def *s = make_slice("r", "all", entries);
    struct ofp_flow_mod_h *out;
    size_t n;
    struct ofp_error err;
    struct ofp_flow_mod_h fm = flow_mod("ip,actions=flood", OFPFC_ADD);
    assert_int_equal(slice_rewrite_flow_mod(s, 7, &fm, &out, &n, &err), 0);
    assert_int_equal(n, 4);             /* 100, 101, 102 (once), 103. */
    assert_int_equal(out[0].actions[0].output.port, OFPP_FLOOD);
    slice_flow_mods_free(out, n);
    assert_int_equal(slice_rewrite_flow_mod(s, 8, &fm, &out, &n, &err), 0);
    assert_int_equal(n, 2);
    slice_flow_mods_free(out, n);
    free(fm.actions);
    slice_def_destroy(s);

    /* Read-only entries give no write access. */
    const char *ro[] = { "perms=r dl_vlan=5", NULL };
    s = make_slice("ro", "all", ro);
    fm = flow_mod("actions=output:1", OFPFC_ADD);
    assert_int_equal(slice_rewrite_flow_mod(s, 1, &fm, &out, &n, &err), -EPERM);
    free(fm.actions);
    slice_def_destroy(s);
}

static void
test_packet_out(void **state)
{
    (void) state;
    struct slice_def *s = make_slice("clean", "1,2", clean_entries);
    uint8_t frame[64] = { 0 };
    memset(frame, 0xff, 6);
    frame[6] = 2;
    frame[12] = 0x81; frame[13] = 0x00; frame[14] = 0x00; frame[15] = 20;
    frame[16] = 0x88; frame[17] = 0xb5;
    struct ofp_match_h m;
    assert_true(slice_frame_match(frame, sizeof frame, OFPP_NONE, &m));
    assert_int_equal(m.dl_vlan, 20);
    struct ofp_action act = ofp_action_output(2, 0);
    struct ofp_packet_out_h po = { .buffer_id = UINT32_MAX, .in_port = OFPP_NONE,
                                   .actions = &act, .n_actions = 1 };
    struct ofp_action *out;
    size_t n;
    struct ofp_error err;
    assert_int_equal(slice_check_packet_out(s, 1, &po, &m, &out, &n, &err), 0);
    free(out);
    /* VLAN 10 frame: refused. */
    frame[15] = 10;
    assert_true(slice_frame_match(frame, sizeof frame, OFPP_NONE, &m));
    assert_int_equal(slice_check_packet_out(s, 1, &po, &m, &out, &n, &err), -EPERM);
    assert_int_equal(err.type, OFPET_BAD_REQUEST);
    assert_int_equal(err.code, OFPBRC_EPERM);
    /* Foreign in_port, unknown frame. */
    frame[15] = 20;
    assert_true(slice_frame_match(frame, sizeof frame, OFPP_NONE, &m));
    po.in_port = 3;
    assert_int_equal(slice_check_packet_out(s, 1, &po, &m, &out, &n, &err), -EPERM);
    po.in_port = 1;
    assert_int_equal(slice_check_packet_out(s, 1, &po, NULL, &out, &n, &err), -EPERM);
    /* Output on another slice's port. */
    act = ofp_action_output(3, 0);
    assert_int_equal(slice_check_packet_out(s, 1, &po, &m, &out, &n, &err), -EPERM);
    assert_int_equal(err.type, OFPET_BAD_ACTION);
    assert_false(slice_frame_match(frame, 10, 1, &m));
    slice_def_destroy(s);
}

static void
test_classify(void **state)
{
    (void) state;
    const char *hi[] = { "priority=200 dl_vlan=10,ip,nw_dst=10.0.0.0/8", NULL };
    const char *ro[] = { "priority=300 perms=r dl_vlan=10,ip,nw_dst=10.9.0.0/16", NULL };
    struct slice_def *ip = make_slice("ip", "all", ip_entries);
    struct slice_def *clean = make_slice("clean", "all", clean_entries);
    struct slice_def *special = make_slice("special", "all", hi);
    struct slice_def *watcher = make_slice("watcher", "all", ro);
    const struct slice_def *all[] = { ip, clean, special, watcher };
    size_t out[4];
    struct ofp_match_h m = { 0 };
    m.dl_vlan = 10;
    m.dl_type = 0x0800;
    m.nw_dst = 0x0b000001;
    assert_int_equal(slice_classify(all, 4, 1, &m, out), 1);
    assert_int_equal(out[0], 0);
    m.nw_dst = 0x0a000001;
    assert_int_equal(slice_classify(all, 4, 1, &m, out), 1);
    assert_int_equal(out[0], 2);        /* Priority 200 beats 100. */
    m.nw_dst = 0x0a090001;
    assert_int_equal(slice_classify(all, 4, 1, &m, out), 1);
    assert_int_equal(out[0], 3);
    m.dl_vlan = 20;
    assert_int_equal(slice_classify(all, 4, 1, &m, out), 1);
    assert_int_equal(out[0], 1);
    m.dl_vlan = 30;
    assert_int_equal(slice_classify(all, 4, 1, &m, out), 0);
    /* Ownership of reported flows. */
    struct ofp_match_h fm = { .wildcards = OFPFW_ALL & ~OFPFW_DL_VLAN, .dl_vlan = 20 };
    assert_true(slice_owns_match(clean, 1, &fm));
    assert_false(slice_owns_match(ip, 1, &fm));
    slice_def_destroy(ip);
    slice_def_destroy(clean);
    slice_def_destroy(special);
    slice_def_destroy(watcher);
}

static void
test_lldp(void **state)
{
    (void) state;
    uint8_t frame[80] = { 0x01, 0x80, 0xc2, 0, 0, 0x0e, 2, 0, 0, 0, 0, 1, 0x88, 0xcc };
    struct buf out = BUF_EMPTY;
    char name[SLICE_NAME_MAX + 1];
    size_t len;
    assert_true(slice_frame_is_lldp(frame, sizeof frame));
    slice_lldp_tag(frame, sizeof frame, "clean", &out);
    assert_int_equal(out.size, sizeof frame + 5 + 5);
    assert_true(slice_lldp_untag(out.data, out.size, name, &len));
    assert_string_equal(name, "clean");
    assert_int_equal(len, sizeof frame);
    assert_memory_equal(out.data, frame, sizeof frame);
    assert_false(slice_lldp_untag(frame, sizeof frame, name, &len));
    buf_clear(&out);
    slice_lldp_tag(frame, 20, "ip", &out);     /* Padded to 60 first. */
    assert_int_equal(out.size, 60 + 2 + 5);
    assert_true(slice_lldp_untag(out.data, out.size, name, &len));
    assert_string_equal(name, "ip");
    buf_uninit(&out);
    frame[13] = 0xcd;
    assert_false(slice_frame_is_lldp(frame, sizeof frame));
}

static void
test_flow_track(void **state)
{
    (void) state;
    struct flow_track ft;
    flow_track_init(&ft);
    struct ofp_match_h a = { .wildcards = OFPFW_ALL & ~OFPFW_DL_VLAN, .dl_vlan = 20 };
    struct ofp_match_h b = a;
    b.wildcards &= ~(uint32_t) OFPFW_IN_PORT;
    b.in_port = 1;
    bool wants;
    assert_true(flow_track_would_add(&ft, OFPFC_ADD, &a, 10));
    flow_track_apply(&ft, OFPFC_ADD, &a, 10, false);
    assert_false(flow_track_would_add(&ft, OFPFC_ADD, &a, 10));
    assert_true(flow_track_would_add(&ft, OFPFC_ADD, &a, 11));
    flow_track_apply(&ft, OFPFC_ADD, &a, 10, true);     /* Replace. */
    assert_int_equal(flow_track_count(&ft), 1);
    assert_true(flow_track_would_add(&ft, OFPFC_MODIFY_STRICT, &b, 10));
    assert_true(flow_track_would_add(&ft, OFPFC_MODIFY, &b, 10));
    assert_false(flow_track_would_add(&ft, OFPFC_MODIFY, &a, 1));  /* Covers a. */
    flow_track_apply(&ft, OFPFC_MODIFY, &a, 1, false);
    assert_int_equal(flow_track_count(&ft), 1);
    flow_track_apply(&ft, OFPFC_MODIFY_STRICT, &b, 10, false);
    assert_int_equal(flow_track_count(&ft), 2);
    assert_true(flow_track_removed(&ft, &a, 10, &wants));
    assert_true(wants);
    assert_false(flow_track_removed(&ft, &a, 10, &wants));
    assert_int_equal(flow_track_count(&ft), 1);
    flow_track_destroy(&ft);
}

/* ---- Randomized. ---- */

static uint32_t rng_state = 12345;

static uint32_t
rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static void
random_match(struct ofp_match_h *m)
{
    memset(m, 0, sizeof *m);
    m->wildcards = rnd() & OFPFW_ALL;
    m->in_port = (uint16_t) (1 + rnd() % 4);
    m->dl_vlan = rnd() % 4 ? (uint16_t) (5 + rnd() % 30) : OFP_VLAN_NONE;
    m->dl_vlan_pcp = rnd() % 8;
    m->dl_type = rnd() % 2 ? 0x0800 : 0x0806;
    m->nw_proto = rnd() % 2 ? 6 : 17;
    m->nw_src = rnd() % 2 ? 0x0a000000 | (rnd() & 0xffff) : rnd();
    m->nw_dst = rnd() % 2 ? 0x0a010000 | (rnd() & 0xffff) : rnd();
    m->tp_src = (uint16_t) (rnd() % 3);
    m->tp_dst = rnd() % 2 ? 80 : (uint16_t) rnd();
    m->nw_tos = (uint8_t) ((rnd() % 4) << 2);
    for (int i = 0; i < 6; i++) {
        m->dl_src[i] = (uint8_t) (rnd() % 3);
        m->dl_dst[i] = (uint8_t) (rnd() % 3);
    }
    ofp_match_normalize(m);
}

static struct ofp_action
random_action(void)
{
    struct ofp_action a;
    memset(&a, 0, sizeof a);
    switch (rnd() % 9) {
    case 0: case 1: case 2:
        a = ofp_action_output((uint16_t) (1 + rnd() % 5), 0);
        break;
    case 3: {
        static const uint16_t special[] = { OFPP_FLOOD, OFPP_ALL, OFPP_IN_PORT,
                                            OFPP_CONTROLLER, OFPP_NORMAL, OFPP_LOCAL };
        a = ofp_action_output(special[rnd() % 6], 128);
        break;
    }
    case 4: a.type = OFPAT_SET_VLAN_VID; a.vlan_vid = (uint16_t) (5 + rnd() % 30); break;
    case 5: a.type = OFPAT_STRIP_VLAN; break;
    case 6: a.type = OFPAT_SET_NW_DST; a.nw_addr = rnd(); break;
    case 7: a.type = OFPAT_SET_TP_DST; a.tp_port = (uint16_t) rnd(); break;
    default: a = ofp_action_enqueue((uint16_t) (1 + rnd() % 5), 1); break;
    }
    return a;
}

/* Follows the actions as the switch would and checks each output. */
static void
check_actions_confined(const struct slice_def *s, const struct ofp_match_h *m,
                       const struct ofp_action *a, size_t n)
{
    struct ofp_match_h cur = *m;
    for (size_t i = 0; i < n; i++) {
        if (a[i].type == OFPAT_OUTPUT || a[i].type == OFPAT_ENQUEUE) {
            uint16_t port = a[i].type == OFPAT_OUTPUT ? a[i].output.port : a[i].enqueue.port;
            bool in_slice = false;
            for (size_t e = 0; e < s->n_entries; e++) {
                in_slice |= fs_region_covers(&s->entries[e].region, &cur);
            }
            assert_true(in_slice);
            assert_true(port >= OFPP_MAX ? (port == OFPP_IN_PORT || port == OFPP_CONTROLLER)
                        : slice_def_has_port(s, port));
            continue;
        }
        switch (a[i].type) {
        case OFPAT_SET_VLAN_VID:
            cur.wildcards &= ~(uint32_t) OFPFW_DL_VLAN; cur.dl_vlan = a[i].vlan_vid; break;
        case OFPAT_STRIP_VLAN:
            cur.wildcards &= ~(uint32_t) OFPFW_DL_VLAN; cur.dl_vlan = OFP_VLAN_NONE; break;
        case OFPAT_SET_NW_DST: ofp_match_set_nw_dst(&cur, a[i].nw_addr, 32); break;
        case OFPAT_SET_TP_DST: cur.wildcards &= ~(uint32_t) OFPFW_TP_DST; cur.tp_dst = a[i].tp_port; break;
        default: break;
        }
    }
}

static void
test_random_flow_mods_stay_inside(void **state)
{
    (void) state;
    const char *entries[] = { "dl_vlan=10-12", "dl_vlan=20,ip,nw_dst=10.1.0.0/16",
                              "dl_vlan=0xffff,in_port=2,arp", NULL };
    struct slice_def *s = make_slice("rand", "1,2,4", entries);
    static const uint16_t commands[] = { OFPFC_ADD, OFPFC_MODIFY, OFPFC_MODIFY_STRICT,
                                         OFPFC_DELETE, OFPFC_DELETE_STRICT };
    size_t n_accepted = 0, n_refused = 0, n_out_total = 0;

    for (int iter = 0; iter < 20000; iter++) {
        struct ofp_action acts[4];
        struct ofp_flow_mod_h fm = { .command = commands[rnd() % 5],
                                     .priority = (uint16_t) rnd(),
                                     .buffer_id = UINT32_MAX, .out_port = OFPP_NONE };
        random_match(&fm.match);
        fm.n_actions = rnd() % 5;
        for (size_t i = 0; i < fm.n_actions; i++) {
            acts[i] = random_action();
        }
        fm.actions = acts;

        struct ofp_flow_mod_h *out;
        size_t n;
        struct ofp_error err;
        int r = slice_rewrite_flow_mod(s, 1, &fm, &out, &n, &err);
        if (r) {
            assert_int_equal(r, -EPERM);
            assert_true(err.code == OFPFMFC_EPERM || err.code == OFPBAC_EPERM);
            n_refused++;
            continue;
        }
        n_accepted++;
        n_out_total += n;
        for (size_t i = 0; i < n; i++) {
            bool inside = false;
            for (size_t e = 0; e < s->n_entries; e++) {
                inside |= fs_region_covers(&s->entries[e].region, &out[i].match);
            }
            assert_true(inside);
            /* Nothing outside the request either. */
            assert_true(ofp_match_covers(&fm.match, &out[i].match));
            assert_int_equal(out[i].command, fm.command);
            check_actions_confined(s, &out[i].match, out[i].actions, out[i].n_actions);
        }
        slice_flow_mods_free(out, n);
    }
    /* Both outcomes happened many times. */
    assert_true(n_accepted > 1000);
    assert_true(n_refused > 1000);
    assert_true(n_out_total >= n_accepted / 2);
    slice_def_destroy(s);
}

/* plural-switchd's slice/map entries, per switch or for all. */
static void
test_map_entry(void **state)
{
    (void) state;
    const char *entries[] = { "dpid=any dl_vlan=20-21", "dpid=0x2 perms=r dl_vlan=30",
                              "dpid=any ip", NULL };
    struct slice_def *s = make_slice("clean", "all", entries);
    s->weight = 3;
    char *e = slice_def_map_entry(s, 2, FS_DPID_ANY);
    assert_string_equal(e, "2:clean:3:20,21,30");
    free(e);
    e = slice_def_map_entry(s, 2, 0x1);
    assert_string_equal(e, "2:clean:3:20,21");
    free(e);
    e = slice_def_map_entry(s, 5, 0x2);
    assert_string_equal(e, "5:clean:3:20,21,30");
    free(e);
    slice_def_destroy(s);

    const char *no_vlan[] = { "dl_vlan=0xffff", "tcp", NULL };
    s = make_slice("untagged", "all", no_vlan);
    assert_null(slice_def_map_entry(s, 1, FS_DPID_ANY));
    slice_def_destroy(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_round_trip),
        cmocka_unit_test(test_flow_mod_confined),
        cmocka_unit_test(test_flow_mod_ranges_and_dpid),
        cmocka_unit_test(test_packet_out),
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_lldp),
        cmocka_unit_test(test_flow_track),
        cmocka_unit_test(test_random_flow_mods_stay_inside),
        cmocka_unit_test(test_map_entry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
