/* Unit tests for ofp decode/encode/print: round trips of every message
 * type, golden hex -> text, malformed input -> exact error, framing, the
 * stats-reply splitter, match and action helpers. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ofp-samples.h"
#include "ofp/ofp-msgs.h"
#include "ofp/ofp-print.h"
#include "util/buf.h"
#include "util/util.h"

static uint8_t *
from_hex(const char *hex, size_t *len)
{
    uint8_t *out;
    int n = hex_decode(hex, &out);
    assert_true(n >= 0);
    *len = (size_t) n;
    return out;
}

/* Every sample decodes, re-encodes byte-identically, and all 22 message
 * types are covered. */
static void
test_roundtrip_every_type(void **state)
{
    struct ofp_sample *s;
    size_t n = ofp_samples_build(&s);
    bool seen[OFPT_MAX + 1] = { false };

    (void) state;
    for (size_t i = 0; i < n; i++) {
        struct ofp_msg msg;
        struct ofp_error err = { 0xffff, 0xffff };
        struct buf out;
        /* Exact-size heap copy, so ASan sees any over-read. */
        uint8_t *copy = xmemdup(s[i].data, s[i].len);

        if (ofp_decode(copy, s[i].len, &msg, &err)) {
            fail_msg("%s: decode failed type %u code %u", s[i].name, err.type,
                     err.code);
        }
        assert_int_equal(msg.type, s[i].type);
        buf_init(&out, 64);
        assert_int_equal(ofp_encode_count(&msg, &out), 1);
        if (out.size != s[i].len || memcmp(out.data, s[i].data, s[i].len)) {
            fail_msg("%s: re-encoding differs (%zu vs %zu bytes)", s[i].name,
                     out.size, s[i].len);
        }
        seen[msg.type] = true;
        buf_uninit(&out);
        ofp_msg_uninit(&msg);
        free(copy);
    }
    for (int t = 0; t <= OFPT_MAX; t++) {
        if (!seen[t]) {
            fail_msg("no sample for %s", ofp_type_name((uint8_t) t));
        }
    }
    ofp_samples_free(s, n);
}

/* Decoded field values of a few samples (not just bytes). */
static void
test_decoded_fields(void **state)
{
    struct ofp_sample *s;
    size_t n = ofp_samples_build(&s);

    (void) state;
    for (size_t i = 0; i < n; i++) {
        struct ofp_msg msg;
        struct ofp_error err;

        assert_int_equal(ofp_decode(s[i].data, s[i].len, &msg, &err), 0);
        if (!strcmp(s[i].name, "flow_mod_example")) {
            const struct ofp_flow_mod_h *fm = &msg.flow_mod;
            assert_int_equal(msg.xid, 5);
            assert_int_equal(fm->command, OFPFC_ADD);
            assert_int_equal(fm->priority, 100);
            assert_int_equal(fm->match.in_port, 1);
            assert_int_equal(fm->match.dl_vlan, 10);
            assert_int_equal(ofp_match_nw_dst_prefix(&fm->match), 8);
            assert_int_equal(fm->match.nw_dst, 0x0a000000);
            assert_int_equal(fm->n_actions, 2);
            assert_int_equal(fm->actions[0].type, OFPAT_SET_VLAN_VID);
            assert_int_equal(fm->actions[0].vlan_vid, 20);
            assert_int_equal(fm->actions[1].output.port, 2);
        } else if (!strcmp(s[i].name, "features_reply")) {
            assert_int_equal(msg.features.n_ports, 2);
            assert_string_equal(msg.features.ports[0].name, "veth0");
            assert_int_equal(msg.features.ports[1].port_no, OFPP_LOCAL);
            assert_int_equal(msg.features.datapath_id, 1);
        } else if (!strcmp(s[i].name, "packet_in")) {
            assert_int_equal(msg.packet_in.data.len, 60);
            assert_ptr_equal(msg.packet_in.data.data,
                             s[i].data + sizeof(struct ofp_packet_in));
            assert_int_equal(msg.packet_in.buffer_id, OFP_NO_BUFFER);
        } else if (!strcmp(s[i].name, "stats_reply_flow")) {
            assert_int_equal(msg.stats_reply.flow.n, 2);
            assert_int_equal(msg.stats_reply.flow.entries[0].n_actions, 12);
            assert_int_equal(msg.stats_reply.flow.entries[1].n_actions, 0);
            assert_int_equal(msg.stats_reply.flow.entries[0].byte_count, 180);
        } else if (!strcmp(s[i].name, "queue_get_config_reply")) {
            assert_int_equal(msg.queue_get_config_reply.n_queues, 2);
            assert_true(msg.queue_get_config_reply.queues[0].has_min_rate);
            assert_int_equal(msg.queue_get_config_reply.queues[0].min_rate, 500);
            assert_false(msg.queue_get_config_reply.queues[1].has_min_rate);
        }
        ofp_msg_uninit(&msg);
    }
    ofp_samples_free(s, n);
}

struct golden {
    const char *hex;
    const char *text;
};

#include "test-ofp-golden.inc"

static void
test_golden(void **state)
{
    (void) state;
    for (size_t i = 0; i < ARRAY_SIZE(goldens); i++) {
        size_t len;
        uint8_t *data = from_hex(goldens[i].hex, &len);
        char *text = ofp_to_string(data, len, 0);

        if (strcmp(text, goldens[i].text)) {
            fail_msg("golden %zu:\n got: %s\nwant: %s", i, text, goldens[i].text);
        }
        free(text);
        free(data);
    }
}

/* Malformed input: exact error type/code. */
struct bad_case {
    const char *what;
    const char *hex;
    uint16_t type, code;
};

static const struct bad_case bad_cases[] = {
    { "shorter than a header", "01000008000000", OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
    { "length < 8", "0102000400000001", OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
    { "length > buffer", "0102001000000001", OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
    { "bad version", "0205000800000001", OFPET_BAD_REQUEST, OFPBRC_BAD_VERSION },
    { "bad version beats bad type", "0499000800000001", OFPET_BAD_REQUEST,
      OFPBRC_BAD_VERSION },
    { "unknown type", "0116000800000001", OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE },
    { "unknown type 0xff", "01ff000800000001", OFPET_BAD_REQUEST, OFPBRC_BAD_TYPE },
    { "features_request with body", "01050009000000010a", OFPET_BAD_REQUEST,
      OFPBRC_BAD_LEN },
    { "barrier_request with body", "0112000c0000000100000000", OFPET_BAD_REQUEST,
      OFPBRC_BAD_LEN },
    { "error too short", "0101000a000000010001", OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
    { "vendor too short", "010400080000000a", OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
    { "set_config too short", "0109000a000000010000", OFPET_BAD_REQUEST,
      OFPBRC_BAD_LEN },
    { "features_reply partial port",
      "0106002100000001" "0000000000000001" "00000100" "01000000" "00000000"
      "00000fff" "00", OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
    { "packet_in too short", "010a001000000001" "ffffffff0000", OFPET_BAD_REQUEST,
      OFPBRC_BAD_LEN },
    { "port_status short", "010c000c00000001" "00000000", OFPET_BAD_REQUEST,
      OFPBRC_BAD_LEN },
    { "packet_out actions_len past end",
      "010d001800000001" "ffffffff" "ffff" "0010" "0000000800010000",
      OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
    { "queue_get_config_request long", "0114000e00000001" "000100000000",
      OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
    { "stats_request unknown type", "0110000c00000001" "00070000",
      OFPET_BAD_REQUEST, OFPBRC_BAD_STAT },
    { "stats_request vendor", "0110001000000001" "ffff0000" "00002320",
      OFPET_BAD_REQUEST, OFPBRC_BAD_VENDOR },
    { "stats_request desc with body", "0110001000000001" "00000000" "00000000",
      OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
    { "stats_request flow short body", "0110001000000001" "00010000" "003fffff",
      OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
    { "stats_reply port partial", "0111001400000001" "00040000" "0001000000000000",
      OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
    { "stats_reply flow entry length < 88",
      "0111001400000001" "00010000" "0008000000000000", OFPET_BAD_REQUEST,
      OFPBRC_BAD_LEN },
    { "stats_reply aggregate short", "0111001400000001" "00020000" "0000000000000000",
      OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
    { "queue_get_config_reply queue len 0",
      "0115001800000001" "0001000000000000" "0000000100000000",
      OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
};

/* A flow_mod header (72 bytes) with command `cmd` and the given actions. */
static uint8_t *
make_flow_mod(uint16_t cmd, const char *actions_hex, size_t *len)
{
    /* The actions are appended, not formatted with %s: gcc -O2 with ASan
     * wrongly warns that the argument may be null. */
    struct buf hex;
    buf_init(&hex, 256);
    buf_printf(&hex, "010e%04zx00000009" "003fffff" "0000000000000000"
               "0000000000000000" "0000000000000000" "0000000000000000"
               "00000000" /* end of match */ "0000000000000000" /* cookie */
               "%04x" "0000" "0000" "8000" "ffffffff" "ffff" "0000",
               72 + strlen(actions_hex) / 2, cmd);
    buf_put(&hex, actions_hex, strlen(actions_hex));
    uint8_t *data = from_hex(buf_cstr(&hex), len);
    buf_uninit(&hex);
    assert_int_equal(*len, 72 + strlen(actions_hex) / 2);
    return data;
}

static void
expect_error(const uint8_t *data, size_t len, uint16_t type, uint16_t code,
             const char *what)
{
    struct ofp_msg msg;
    struct ofp_error err = { 0xffff, 0xffff };
    uint8_t *copy = xmemdup(len ? data : (const uint8_t *) "", len ? len : 1);
    int error = ofp_decode(copy, len, &msg, &err);

    if (error >= 0 || err.type != type || err.code != code) {
        fail_msg("%s: got %d type %u code %u, want type %u code %u", what,
                 error, err.type, err.code, type, code);
    }
    free(copy);
}

static void
test_malformed(void **state)
{
    (void) state;
    for (size_t i = 0; i < ARRAY_SIZE(bad_cases); i++) {
        size_t len;
        uint8_t *data = from_hex(bad_cases[i].hex, &len);
        expect_error(data, len, bad_cases[i].type, bad_cases[i].code,
                     bad_cases[i].what);
        free(data);
    }
}

static void
test_flow_mod_errors(void **state)
{
    static const struct {
        const char *what;
        uint16_t cmd;
        const char *actions;
        uint16_t type, code;
    } cases[] = {
        { "bad command", 5, "", OFPET_FLOW_MOD_FAILED, OFPFMFC_BAD_COMMAND },
        { "bad command 0xffff", 0xffff, "", OFPET_FLOW_MOD_FAILED,
          OFPFMFC_BAD_COMMAND },
        { "action len 0", 0, "0000000000010000", OFPET_BAD_ACTION, OFPBAC_BAD_LEN },
        { "action len not /8", 0, "0000000c00010000" "00000000",
          OFPET_BAD_REQUEST, OFPBRC_BAD_LEN },
        { "action len past end", 0, "0000001000010000", OFPET_BAD_ACTION,
          OFPBAC_BAD_LEN },
        { "output with len 16", 0, "0000001000010000" "0000000000000000",
          OFPET_BAD_ACTION, OFPBAC_BAD_LEN },
        { "dl_src with len 8", 0, "0004000800000000", OFPET_BAD_ACTION,
          OFPBAC_BAD_LEN },
        { "unknown action type", 0, "000c000800000000", OFPET_BAD_ACTION,
          OFPBAC_BAD_TYPE },
        { "vendor action", 0, "ffff000800002320", OFPET_BAD_ACTION,
          OFPBAC_BAD_VENDOR },
        { "output to OFPP_NONE", 0, "00000008ffff0000", OFPET_BAD_ACTION,
          OFPBAC_BAD_OUT_PORT },
        { "output to 0xff00", 0, "00000008ff000000", OFPET_BAD_ACTION,
          OFPBAC_BAD_OUT_PORT },
        { "output to TABLE in flow_mod", 0, "00000008fff90000", OFPET_BAD_ACTION,
          OFPBAC_BAD_OUT_PORT },
        { "enqueue to FLOOD", 0, "000b0010fffb000000000000" "00000001",
          OFPET_BAD_ACTION, OFPBAC_BAD_OUT_PORT },
        { "vlan vid > 4095", 0, "0001000810000000", OFPET_BAD_ACTION,
          OFPBAC_BAD_ARGUMENT },
        { "vlan pcp > 7", 0, "0002000808000000", OFPET_BAD_ACTION,
          OFPBAC_BAD_ARGUMENT },
        { "nw_tos with ECN bits", 0, "0008000829000000", OFPET_BAD_ACTION,
          OFPBAC_BAD_ARGUMENT },
        { "second action bad", 0, "0000000800010000" "000d000800000000",
          OFPET_BAD_ACTION, OFPBAC_BAD_TYPE },
    };

    (void) state;
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        size_t len;
        uint8_t *data = make_flow_mod(cases[i].cmd, cases[i].actions, &len);
        expect_error(data, len, cases[i].type, cases[i].code, cases[i].what);
        free(data);
    }
}

/* Output to TABLE is fine in packet_out; port limits from the context. */
static bool
queue_ok_only_7(void *aux, uint16_t port, uint32_t queue_id)
{
    (void) aux;
    (void) port;
    return queue_id == 7;
}

static void
test_action_context(void **state)
{
    struct ofp_action_ctx ctx = { 5, false, NULL, NULL };
    struct ofp_action *a;
    size_t n;
    struct ofp_error err;
    size_t len;
    uint8_t *data;
    struct ofp_msg msg;

    (void) state;
    data = from_hex("00000008000400000000000800050000", &len);
    assert_int_equal(ofp_actions_decode(data, 8, &ctx, &a, &n, &err), 0);
    assert_int_equal(n, 1);
    free(a);
    assert_int_equal(ofp_actions_decode(data, len, &ctx, &a, &n, &err), -EINVAL);
    assert_int_equal(err.type, OFPET_BAD_ACTION);
    assert_int_equal(err.code, OFPBAC_BAD_OUT_PORT);
    assert_null(a);
    free(data);

    /* Enqueue with a queue check. */
    ctx.queue_ok = queue_ok_only_7;
    data = from_hex("000b00100001000000000000" "00000007"
                    "000b00100001000000000000" "00000008", &len);
    assert_int_equal(ofp_actions_decode(data, 16, &ctx, &a, &n, &err), 0);
    assert_int_equal(a[0].enqueue.queue_id, 7);
    free(a);
    assert_int_equal(ofp_actions_decode(data, 32, &ctx, &a, &n, &err), -EINVAL);
    assert_int_equal(err.code, OFPBAC_BAD_QUEUE);
    free(data);

    /* ofp_actions_check on host-order actions. */
    {
        struct ofp_action acts[2] = { ofp_action_output(3, 0),
                                      ofp_action_output(9, 0) };
        struct ofp_action_ctx c10 = { 10, false, NULL, NULL };
        assert_int_equal(ofp_actions_check(acts, 2, &c10, &err), 0);
        assert_int_equal(ofp_actions_check(acts, 2, &ctx, &err), -EINVAL);
        assert_int_equal(err.code, OFPBAC_BAD_OUT_PORT);
    }

    /* packet_out may output to TABLE; flow_mod may not. */
    data = from_hex("010d001800000001" "ffffffff" "0001" "0008" "00000008fff90000",
                    &len);
    assert_int_equal(ofp_decode(data, len, &msg, &err), 0);
    assert_int_equal(msg.packet_out.actions[0].output.port, OFPP_TABLE);
    assert_int_equal(msg.packet_out.data.len, 0);
    ofp_msg_uninit(&msg);
    free(data);

    /* ofp_decode_ctx applies the context to flow_mod actions. */
    data = make_flow_mod(OFPFC_ADD, "0000000800070000", &len);
    assert_int_equal(ofp_decode(data, len, &msg, &err), 0);
    ofp_msg_uninit(&msg);
    assert_int_equal(ofp_decode_ctx(data, len, &ctx, &msg, &err), -EINVAL);
    assert_int_equal(err.code, OFPBAC_BAD_OUT_PORT);
    free(data);
}

static void
test_hello_any_version(void **state)
{
    size_t len;
    uint8_t *data = from_hex("0400001000000007" "0001000800000012", &len);
    struct ofp_msg msg;
    struct ofp_error err;

    (void) state;
    assert_int_equal(ofp_decode(data, len, &msg, &err), 0);
    assert_int_equal(msg.type, OFPT_HELLO);
    assert_int_equal(msg.xid, 7);
    assert_int_equal(msg.hello.len, 8);
    ofp_msg_uninit(&msg);
    free(data);
}

/* Trailing bytes past header.length belong to the next message. */
static void
test_trailing_bytes_and_framing(void **state)
{
    size_t len;
    uint8_t *data = from_hex("0112000800000001" "01130008000000", &len);
    struct ofp_msg msg;
    struct ofp_error err;

    (void) state;
    assert_int_equal(ofp_frame_length(data, len), 8);
    assert_int_equal(ofp_decode(data, len, &msg, &err), 0);
    assert_int_equal(msg.type, OFPT_BARRIER_REQUEST);
    assert_int_equal(ofp_frame_length(data + 8, 7), 0);
    assert_int_equal(ofp_frame_length(data, 7), 0);
    assert_int_equal(ofp_frame_length(data, 0), 0);
    free(data);

    data = from_hex("0100000400000000", &len);
    assert_int_equal(ofp_frame_length(data, len), -EBADMSG);
    free(data);
    data = from_hex("0100ffff00000000", &len);
    assert_int_equal(ofp_frame_length(data, len), 0);
    free(data);
}

static void
test_make_error_truncates(void **state)
{
    uint8_t big[200];
    struct ofp_msg msg, back;
    struct ofp_error err;
    struct buf out;

    (void) state;
    memset(big, 0xab, sizeof big);
    big[0] = 1; big[1] = OFPT_FLOW_MOD; big[2] = 0; big[3] = 200;
    big[4] = 0; big[5] = 0; big[6] = 0x12; big[7] = 0x34;
    ofp_make_error(&msg, OFP_ERROR(OFPET_FLOW_MOD_FAILED, OFPFMFC_OVERLAP),
                   big, sizeof big);
    buf_init(&out, 0);
    ofp_encode(&msg, &out);
    assert_int_equal(out.size, 12 + 64);
    assert_int_equal(ofp_decode(out.data, out.size, &back, &err), 0);
    assert_int_equal(back.xid, 0x1234);
    assert_int_equal(back.error.type, OFPET_FLOW_MOD_FAILED);
    assert_int_equal(back.error.code, OFPFMFC_OVERLAP);
    assert_memory_equal(back.error.data.data, big, 64);
    ofp_msg_uninit(&back);
    buf_uninit(&out);
}

/* A flow stats reply too big for one message is split with REPLY_MORE. */
static void
test_stats_reply_split(void **state)
{
    enum { N = 1000 };
    struct ofp_flow_stats_h *fs = xcalloc(N, sizeof *fs);
    struct ofp_action acts[3] = { ofp_action_output(1, 0), ofp_action_output(2, 0),
                                  ofp_action_output(3, 0) };
    struct ofp_msg msg;
    struct buf out;
    size_t count, total = 0, n_msgs = 0;
    const uint8_t *p;
    size_t left;

    (void) state;
    for (size_t i = 0; i < N; i++) {
        ofp_match_init_catchall(&fs[i].match);
        fs[i].priority = (uint16_t) i;
        fs[i].actions = acts;
        fs[i].n_actions = 3;
    }
    ofp_make_flow_stats_reply(&msg, 77, fs, N);
    free(fs);
    buf_init(&out, 0);
    count = ofp_encode_count(&msg, &out);
    ofp_msg_uninit(&msg);
    /* 1000 * 112 bytes = 112000 bytes -> 2 messages. */
    assert_int_equal(count, 2);
    p = out.data;
    left = out.size;
    while (left) {
        struct ofp_msg part;
        struct ofp_error err;
        int len = ofp_frame_length(p, left);

        assert_true(len > 0 && len <= 65535);
        assert_int_equal(ofp_decode(p, (size_t) len, &part, &err), 0);
        assert_int_equal(part.xid, 77);
        n_msgs++;
        assert_int_equal(!!(part.stats_reply.flags & OFPSF_REPLY_MORE),
                         n_msgs < count);
        for (size_t i = 0; i < part.stats_reply.flow.n; i++) {
            assert_int_equal(part.stats_reply.flow.entries[i].priority, total + i);
        }
        total += part.stats_reply.flow.n;
        ofp_msg_uninit(&part);
        p += len;
        left -= (size_t) len;
    }
    assert_int_equal(n_msgs, count);
    assert_int_equal(total, N);
    buf_uninit(&out);

    /* Port stats: 700 * 104 = 72800 bytes -> 2 messages. */
    {
        struct ofp_port_stats_h *ps = xcalloc(700, sizeof *ps);
        ofp_make_port_stats_reply(&msg, 78, ps, 700);
        free(ps);
        buf_init(&out, 0);
        assert_int_equal(ofp_encode_count(&msg, &out), 2);
        assert_int_equal(out.size, 2 * 12 + 700 * 104);
        ofp_msg_uninit(&msg);
        buf_uninit(&out);
    }
    /* An empty table-stats reply is still one message. */
    ofp_make_table_stats_reply(&msg, 79, NULL, 0);
    buf_init(&out, 0);
    assert_int_equal(ofp_encode_count(&msg, &out), 1);
    assert_int_equal(out.size, 12);
    ofp_msg_uninit(&msg);
    buf_uninit(&out);
}

static void
test_match_helpers(void **state)
{
    struct ofp_match_h m, wide, narrow;
    struct ofp_match wire;

    (void) state;
    ofp_match_init_catchall(&m);
    assert_true(ofp_match_is_catchall(&m));
    assert_int_equal(ofp_match_nw_src_prefix(&m), 0);
    ofp_match_set_nw_src(&m, 0x0a0102ff, 16);
    assert_int_equal(m.nw_src, 0x0a010000);
    assert_int_equal(ofp_match_nw_src_prefix(&m), 16);
    assert_int_equal(ofp_match_nw_src_mask(&m), 0xffff0000);
    assert_false(ofp_match_is_catchall(&m));
    assert_int_equal(ofp_prefix_to_mask(0), 0);
    assert_int_equal(ofp_prefix_to_mask(32), 0xffffffff);
    assert_int_equal(ofp_prefix_to_mask(1), 0x80000000);

    /* Normalization: wildcarded fields cleared, counts >= 32 clamped. */
    memset(&m, 0, sizeof m);
    m.wildcards = OFPFW_ALL | 0xffc00000u;
    m.in_port = 5;
    m.dl_vlan = 7;
    m.nw_src = 0x01020304;
    m.tp_dst = 80;
    ofp_match_normalize(&m);
    assert_int_equal(m.wildcards, (OFPFW_ALL & ~(uint32_t) (OFPFW_NW_SRC_MASK
                                                          | OFPFW_NW_DST_MASK))
                                  | OFPFW_NW_SRC_ALL | OFPFW_NW_DST_ALL);
    assert_int_equal(m.in_port, 0);
    assert_int_equal(m.dl_vlan, 0);
    assert_int_equal(m.nw_src, 0);
    assert_int_equal(m.tp_dst, 0);

    /* Wire round trip. */
    ofp_match_init_catchall(&m);
    m.wildcards &= ~(uint32_t) OFPFW_TP_SRC;
    m.tp_src = 443;
    ofp_match_set_nw_dst(&m, 0xc0a80000, 16);
    ofp_match_encode(&m, &wire);
    ofp_match_decode(&wire, &narrow);
    assert_true(ofp_match_equal(&m, &narrow));

    /* Covers. */
    ofp_match_init_catchall(&wide);
    ofp_match_set_nw_dst(&wide, 0xc0a80000, 16);
    ofp_match_init_catchall(&narrow);
    ofp_match_set_nw_dst(&narrow, 0xc0a80100, 24);
    narrow.wildcards &= ~(uint32_t) OFPFW_IN_PORT;
    narrow.in_port = 3;
    assert_true(ofp_match_covers(&wide, &narrow));
    assert_false(ofp_match_covers(&narrow, &wide));
    ofp_match_set_nw_dst(&narrow, 0xc0a90100, 24);
    assert_false(ofp_match_covers(&wide, &narrow));
    ofp_match_init_catchall(&m);
    assert_true(ofp_match_covers(&m, &wide));
}

static void
test_error_names(void **state)
{
    char buf[80];

    (void) state;
    assert_string_equal(ofp_error_type_name(OFPET_BAD_REQUEST), "OFPET_BAD_REQUEST");
    assert_string_equal(ofp_error_code_name(OFPET_BAD_REQUEST, OFPBRC_BAD_LEN),
                        "OFPBRC_BAD_LEN");
    assert_string_equal(ofp_error_code_name(OFPET_BAD_ACTION, OFPBAC_BAD_QUEUE),
                        "OFPBAC_BAD_QUEUE");
    assert_null(ofp_error_code_name(OFPET_BAD_ACTION, 9));
    assert_null(ofp_error_type_name(6));
    assert_false(ofp_error_is_known(OFP_ERROR(OFPET_QUEUE_OP_FAILED, 3)));
    assert_string_equal(ofp_error_format(OFP_ERROR(OFPET_FLOW_MOD_FAILED,
                                                   OFPFMFC_BAD_COMMAND),
                                         buf, sizeof buf),
                        "OFPET_FLOW_MOD_FAILED/OFPFMFC_BAD_COMMAND");
    assert_string_equal(ofp_type_name(OFPT_QUEUE_GET_CONFIG_REPLY),
                        "OFPT_QUEUE_GET_CONFIG_REPLY");
    assert_null(ofp_type_name(22));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_every_type),
        cmocka_unit_test(test_decoded_fields),
        cmocka_unit_test(test_golden),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_flow_mod_errors),
        cmocka_unit_test(test_action_context),
        cmocka_unit_test(test_hello_any_version),
        cmocka_unit_test(test_trailing_bytes_and_framing),
        cmocka_unit_test(test_make_error_truncates),
        cmocka_unit_test(test_stats_reply_split),
        cmocka_unit_test(test_match_helpers),
        cmocka_unit_test(test_error_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
