/* fuzz-slice-rewrite — libFuzzer target for the slicer's isolation
 * decisions (lib/slice rewrite.h) on OpenFlow messages a slice's
 * controller (or a switch) could send.
 *
 * One fixed slice ("red": ports 1-3, writable VLANs 10-19 on every switch,
 * readable IPv4 to 10.0.0.0/8 on switch 1).  The first input byte picks
 * the switch (dpid 1 or 2); the rest is decoded with ofp_decode() and, by
 * type: FLOW_MOD -> slice_rewrite_flow_mod(); PACKET_OUT -> the frame's
 * match and slice_check_packet_out(); PACKET_IN -> slice_classify() and
 * the LLDP untag; FLOW_REMOVED -> slice_owns_match().
 *
 * Isolation check: every FLOW_MOD the slicer would send to the switch for
 * this slice lies in the slice's writable flowspace (slice_may_write()) —
 * else abort(). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ofp/ofp-msgs.h"
#include "ofp/ofp-wire.h"
#include "slice/rewrite.h"
#include "slice/slice.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct slice_def *red;

static void
add_entry(const char *s)
{
    struct fs_entry e;
    char *err = NULL;
    if (fs_entry_parse(s, &e, &err)) {
        fprintf(stderr, "fuzz-slice-rewrite: bad entry %s: %s\n", s, err);
        abort();
    }
    slice_def_add_entry(red, &e);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void) argc;
    (void) argv;
    log_set_level("ALL", LOG_LEVEL_OFF);
    red = slice_def_create("red", "tcp:127.0.0.1:6601");
    char *err = NULL;
    if (slice_def_set_ports(red, "1,2,3", &err)) {
        abort();
    }
    add_entry("dpid=any,priority=100,perms=rw,dl_vlan=10-19");
    add_entry("dpid=1,priority=50,perms=r,ip,nw_dst=10.0.0.0/8");
    return 0;
}

static void
flow_mod(uint64_t dpid, const struct ofp_flow_mod_h *fm)
{
    struct ofp_flow_mod_h *out = NULL;
    size_t n_out = 0;
    struct ofp_error err;
    if (slice_rewrite_flow_mod(red, dpid, fm, &out, &n_out, &err)) {
        return;
    }
    for (size_t i = 0; i < n_out; i++) {
        if (!slice_may_write(red, dpid, &out[i].match)) {
            fprintf(stderr, "FLOW_MOD %zu of %zu escapes the slice's "
                    "flowspace\n", i, n_out);
            abort();
        }
    }
    slice_flow_mods_free(out, n_out);
}

static void
packet_out(uint64_t dpid, const struct ofp_packet_out_h *po)
{
    struct ofp_match_h frame;
    bool known = po->buffer_id == OFP_NO_BUFFER
                 && slice_frame_match(po->data.data, po->data.len, po->in_port,
                                      &frame);
    struct ofp_action *out = NULL;
    size_t n_out = 0;
    struct ofp_error err;
    if (!slice_check_packet_out(red, dpid, po, known ? &frame : NULL,
                                &out, &n_out, &err)) {
        free(out);
    }
}

static void
packet_in(uint64_t dpid, const struct ofp_packet_in_h *pi)
{
    struct ofp_match_h m;
    if (slice_frame_match(pi->data.data, pi->data.len, pi->in_port, &m)) {
        const struct slice_def *slices[1] = { red };
        size_t owners[1];
        slice_classify(slices, 1, dpid, &m, owners);
    }
    char name[SLICE_NAME_MAX + 1];
    size_t len;
    if (slice_frame_is_lldp(pi->data.data, pi->data.len)
        && slice_lldp_untag(pi->data.data, pi->data.len, name, &len)
        && (len > pi->data.len || strlen(name) > SLICE_NAME_MAX)) {
        abort();
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    uint64_t dpid = data[0] & 1 ? 1 : 2;
    struct ofp_msg msg;
    struct ofp_error err;
    if (ofp_decode(data + 1, size - 1, &msg, &err)) {
        return 0;
    }
    switch (msg.type) {
    case OFPT_FLOW_MOD:
        flow_mod(dpid, &msg.flow_mod);
        break;
    case OFPT_PACKET_OUT:
        packet_out(dpid, &msg.packet_out);
        break;
    case OFPT_PACKET_IN:
        packet_in(dpid, &msg.packet_in);
        break;
    case OFPT_FLOW_REMOVED:
        slice_owns_match(red, dpid, &msg.flow_removed.match);
        break;
    default:
        break;
    }
    ofp_msg_uninit(&msg);
    return 0;
}
