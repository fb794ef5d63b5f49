/* ofp-samples — sample messages for tests, interop and fuzz seeds. */
#include "ofp-samples.h"

#include <stdlib.h>
#include <string.h>
#include "ofp/ofp-msgs.h"
#include "util/buf.h"
#include "util/util.h"

struct sample_list {
    struct ofp_sample *s;
    size_t n, allocated;
};

static void
add(struct sample_list *list, const char *name, struct ofp_msg *msg)
{
    struct buf b;

    buf_init(&b, 64);
    ofp_encode(msg, &b);
    if (list->n == list->allocated) {
        list->allocated = list->allocated ? 2 * list->allocated : 32;
        list->s = xrealloc(list->s, list->allocated * sizeof *list->s);
    }
    list->s[list->n].name = name;
    list->s[list->n].type = msg->type;
    list->s[list->n].data = buf_steal(&b, &list->s[list->n].len);
    list->n++;
    ofp_msg_uninit(msg);
}

static void
sample_match(struct ofp_match_h *m)
{
    static const uint8_t src[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
    static const uint8_t dst[6] = { 0x00, 0x66, 0x77, 0x88, 0x99, 0xaa };

    ofp_match_init_catchall(m);
    m->wildcards &= ~(uint32_t) (OFPFW_IN_PORT | OFPFW_DL_VLAN | OFPFW_DL_SRC
                                 | OFPFW_DL_DST | OFPFW_DL_TYPE | OFPFW_NW_PROTO
                                 | OFPFW_TP_DST | OFPFW_DL_VLAN_PCP | OFPFW_NW_TOS);
    m->in_port = 1;
    m->dl_vlan = 10;
    m->dl_vlan_pcp = 3;
    memcpy(m->dl_src, src, 6);
    memcpy(m->dl_dst, dst, 6);
    m->dl_type = 0x0800;
    m->nw_proto = 6;
    m->nw_tos = 0x20;
    m->tp_dst = 80;
    ofp_match_set_nw_src(m, 0xc0a80100, 24);
    ofp_match_set_nw_dst(m, 0x0a000000, 8);
}

/* Every action type once. */
static size_t
sample_actions(struct ofp_action *a)
{
    size_t n = 0;

    memset(a, 0, 12 * sizeof *a);
    a[n].type = OFPAT_SET_VLAN_VID; a[n++].vlan_vid = 20;
    a[n].type = OFPAT_SET_VLAN_PCP; a[n++].vlan_pcp = 5;
    a[n++].type = OFPAT_STRIP_VLAN;
    a[n].type = OFPAT_SET_DL_SRC;
    memcpy(a[n++].dl_addr, "\x02\x00\x00\x00\x00\x01", 6);
    a[n].type = OFPAT_SET_DL_DST;
    memcpy(a[n++].dl_addr, "\x02\x00\x00\x00\x00\x02", 6);
    a[n].type = OFPAT_SET_NW_SRC; a[n++].nw_addr = 0x01020304;
    a[n].type = OFPAT_SET_NW_DST; a[n++].nw_addr = 0x05060708;
    a[n].type = OFPAT_SET_NW_TOS; a[n++].nw_tos = 0x28;
    a[n].type = OFPAT_SET_TP_SRC; a[n++].tp_port = 1234;
    a[n].type = OFPAT_SET_TP_DST; a[n++].tp_port = 4321;
    a[n++] = ofp_action_enqueue(2, 7);
    a[n++] = ofp_action_output(3, 0);
    return n;
}

static struct ofp_port_h
sample_port(uint16_t port_no, const char *name)
{
    struct ofp_port_h p;

    memset(&p, 0, sizeof p);
    p.port_no = port_no;
    memcpy(p.hw_addr, "\x02\x00\x00\x00\x01\x00", 6);
    p.hw_addr[5] = (uint8_t) port_no;
    snprintf(p.name, sizeof p.name, "%s", name);
    p.curr = OFPPF_1GB_FD | OFPPF_COPPER;
    p.advertised = OFPPF_1GB_FD;
    p.supported = OFPPF_1GB_FD | OFPPF_100MB_FD;
    return p;
}

static const uint8_t frame[60] = {
    0x00, 0x66, 0x77, 0x88, 0x99, 0xaa, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
    0x08, 0x00, 0x45, 0x00, 0x00, 0x2e, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
    0x00, 0x00, 0xc0, 0xa8, 0x01, 0x02, 0x0a, 0x00, 0x00, 0x01, 0x04, 0xd2,
    0x00, 0x50, 0x00, 0x1a, 0x00, 0x00,
};

static void
add_flow_mods(struct sample_list *l)
{
    static const struct { const char *name; uint16_t cmd; uint16_t flags; }
    cmds[] = {
        { "flow_mod_add", OFPFC_ADD, OFPFF_SEND_FLOW_REM | OFPFF_CHECK_OVERLAP },
        { "flow_mod_modify", OFPFC_MODIFY, 0 },
        { "flow_mod_modify_strict", OFPFC_MODIFY_STRICT, 0 },
        { "flow_mod_delete", OFPFC_DELETE, 0 },
        { "flow_mod_delete_strict", OFPFC_DELETE_STRICT, 0 },
        { "flow_mod_add_emerg", OFPFC_ADD, OFPFF_EMERG },
    };
    struct ofp_action actions[12];

    for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
        struct ofp_msg m;
        bool del = cmds[i].cmd >= OFPFC_DELETE;
        size_t n = del ? 0 : sample_actions(actions);

        ofp_msg_init(&m, OFPT_FLOW_MOD, 0x100 + (uint32_t) i);
        sample_match(&m.flow_mod.match);
        m.flow_mod.cookie = 0x1234;
        m.flow_mod.command = cmds[i].cmd;
        m.flow_mod.idle_timeout = cmds[i].flags & OFPFF_EMERG ? 0 : 10;
        m.flow_mod.hard_timeout = cmds[i].flags & OFPFF_EMERG ? 0 : 30;
        m.flow_mod.priority = 100;
        m.flow_mod.buffer_id = OFP_NO_BUFFER;
        m.flow_mod.out_port = del ? 2 : OFPP_NONE;
        m.flow_mod.flags = cmds[i].flags;
        if (n) {
            m.flow_mod.actions = xmemdup(actions, n * sizeof *actions);
            m.flow_mod.n_actions = n;
        }
        add(l, cmds[i].name, &m);
    }
    /* The brief's example, and a catch-all drop with special ports. */
    {
        struct ofp_msg m;
        ofp_msg_init(&m, OFPT_FLOW_MOD, 5);
        ofp_match_init_catchall(&m.flow_mod.match);
        m.flow_mod.match.wildcards &= ~(uint32_t) (OFPFW_IN_PORT | OFPFW_DL_VLAN);
        m.flow_mod.match.in_port = 1;
        m.flow_mod.match.dl_vlan = 10;
        ofp_match_set_nw_dst(&m.flow_mod.match, 0x0a000000, 8);
        m.flow_mod.priority = 100;
        m.flow_mod.buffer_id = OFP_NO_BUFFER;
        m.flow_mod.out_port = OFPP_NONE;
        m.flow_mod.actions = xcalloc(2, sizeof(struct ofp_action));
        m.flow_mod.actions[0].type = OFPAT_SET_VLAN_VID;
        m.flow_mod.actions[0].vlan_vid = 20;
        m.flow_mod.actions[1] = ofp_action_output(2, 0);
        m.flow_mod.n_actions = 2;
        add(l, "flow_mod_example", &m);

        ofp_msg_init(&m, OFPT_FLOW_MOD, 6);
        ofp_match_init_catchall(&m.flow_mod.match);
        m.flow_mod.priority = 0;
        m.flow_mod.buffer_id = 42;
        m.flow_mod.out_port = OFPP_NONE;
        m.flow_mod.actions = xcalloc(6, sizeof(struct ofp_action));
        m.flow_mod.actions[0] = ofp_action_output(OFPP_CONTROLLER, 128);
        m.flow_mod.actions[1] = ofp_action_output(OFPP_FLOOD, 0);
        m.flow_mod.actions[2] = ofp_action_output(OFPP_ALL, 0);
        m.flow_mod.actions[3] = ofp_action_output(OFPP_NORMAL, 0);
        m.flow_mod.actions[4] = ofp_action_output(OFPP_LOCAL, 0);
        m.flow_mod.actions[5] = ofp_action_output(OFPP_IN_PORT, 0);
        m.flow_mod.n_actions = 6;
        add(l, "flow_mod_special_ports", &m);
    }
}

static void
add_stats(struct sample_list *l)
{
    struct ofp_msg m;
    struct ofp_action actions[12];

    /* Requests. */
    ofp_msg_init(&m, OFPT_STATS_REQUEST, 0x200);
    m.stats_request.type = OFPST_DESC;
    add(l, "stats_request_desc", &m);

    ofp_msg_init(&m, OFPT_STATS_REQUEST, 0x201);
    m.stats_request.type = OFPST_FLOW;
    sample_match(&m.stats_request.flow.match);
    m.stats_request.flow.table_id = OFPTT_ALL;
    m.stats_request.flow.out_port = OFPP_NONE;
    add(l, "stats_request_flow", &m);

    ofp_msg_init(&m, OFPT_STATS_REQUEST, 0x202);
    m.stats_request.type = OFPST_AGGREGATE;
    ofp_match_init_catchall(&m.stats_request.flow.match);
    m.stats_request.flow.table_id = 0;
    m.stats_request.flow.out_port = 3;
    add(l, "stats_request_aggregate", &m);

    ofp_msg_init(&m, OFPT_STATS_REQUEST, 0x203);
    m.stats_request.type = OFPST_TABLE;
    add(l, "stats_request_table", &m);

    ofp_msg_init(&m, OFPT_STATS_REQUEST, 0x204);
    m.stats_request.type = OFPST_PORT;
    m.stats_request.port.port_no = OFPP_NONE;
    add(l, "stats_request_port", &m);

    ofp_msg_init(&m, OFPT_STATS_REQUEST, 0x205);
    m.stats_request.type = OFPST_QUEUE;
    m.stats_request.queue.port_no = OFPP_ALL;
    m.stats_request.queue.queue_id = OFPQ_ALL;
    add(l, "stats_request_queue", &m);

    /* Replies. */
    {
        struct ofp_desc_stats_h d;
        memset(&d, 0, sizeof d);
        strcpy(d.mfr_desc, "plural project");
        strcpy(d.hw_desc, "software switch");
        strcpy(d.sw_desc, "plural-switchd 0.1.0");
        strcpy(d.serial_num, "None");
        strcpy(d.dp_desc, "test datapath");
        ofp_make_desc_stats_reply(&m, 0x200, &d);
        add(l, "stats_reply_desc", &m);
    }
    {
        struct ofp_flow_stats_h fs[2];
        memset(fs, 0, sizeof fs);
        sample_match(&fs[0].match);
        fs[0].duration_sec = 12;
        fs[0].duration_nsec = 500000000;
        fs[0].priority = 100;
        fs[0].idle_timeout = 10;
        fs[0].hard_timeout = 30;
        fs[0].cookie = 0xabc;
        fs[0].packet_count = 3;
        fs[0].byte_count = 180;
        fs[0].actions = actions;
        fs[0].n_actions = sample_actions(actions);
        ofp_match_init_catchall(&fs[1].match);
        fs[1].priority = 0;
        ofp_make_flow_stats_reply(&m, 0x201, fs, 2);
        add(l, "stats_reply_flow", &m);
    }
    {
        struct ofp_aggregate_stats_h a = { 100, 6400, 7 };
        ofp_make_aggregate_stats_reply(&m, 0x202, &a);
        add(l, "stats_reply_aggregate", &m);
    }
    {
        struct ofp_table_stats_h t;
        memset(&t, 0, sizeof t);
        strcpy(t.name, "classifier");
        t.wildcards = OFPFW_ALL;
        t.max_entries = 1000000;
        t.active_count = 4;
        t.lookup_count = 1000;
        t.matched_count = 900;
        ofp_make_table_stats_reply(&m, 0x203, &t, 1);
        add(l, "stats_reply_table", &m);
    }
    {
        struct ofp_port_stats_h ps[2];
        memset(ps, 0, sizeof ps);
        ps[0].port_no = 1;
        ps[0].rx_packets = 10; ps[0].tx_packets = 20;
        ps[0].rx_bytes = 1000; ps[0].tx_bytes = 2000;
        ps[1].port_no = OFPP_LOCAL;
        ofp_make_port_stats_reply(&m, 0x204, ps, 2);
        add(l, "stats_reply_port", &m);
    }
    {
        struct ofp_queue_stats_h q = { 1, 7, 5000, 50, 0 };
        ofp_make_queue_stats_reply(&m, 0x205, &q, 1);
        add(l, "stats_reply_queue", &m);
    }
}

size_t
ofp_samples_build(struct ofp_sample **samplesp)
{
    struct sample_list l = { NULL, 0, 0 };
    struct ofp_msg m, req;
    struct ofp_port_h ports[2];
    struct ofp_action actions[12];
    uint8_t echo_body[16];

    for (size_t i = 0; i < sizeof echo_body; i++) {
        echo_body[i] = (uint8_t) i;
    }

    ofp_make_hello(&m, 1);
    add(&l, "hello", &m);

    ofp_make_hello(&m, 2);
    m.hello.data = (const uint8_t *) "\x00\x01\x00\x08\x00\x00\x00\x02";
    m.hello.len = 8;    /* An OF1.3-style version bitmap element. */
    add(&l, "hello_with_body", &m);

    ofp_msg_init(&m, OFPT_ECHO_REQUEST, 3);
    m.echo.data = echo_body;
    m.echo.len = sizeof echo_body;
    add(&l, "echo_request", &m);

    ofp_msg_init(&req, OFPT_ECHO_REQUEST, 3);
    req.echo.data = echo_body;
    req.echo.len = sizeof echo_body;
    ofp_make_echo_reply(&m, &req);
    add(&l, "echo_reply", &m);
    {
        /* An error quoting a whole (short) offending message. */
        uint8_t bad[8] = { 0x01, 0x12, 0x00, 0x08, 0x00, 0x00, 0x00, 0x04 };
        ofp_make_error(&m, OFP_ERROR(OFPET_BAD_REQUEST, OFPBRC_EPERM),
                       bad, sizeof bad);
        add(&l, "error_eperm", &m);
    }
    ofp_make_hello_failed(&m, 5, OFPHFC_INCOMPATIBLE, "no common version");
    add(&l, "error_hello_failed", &m);

    ofp_msg_init(&m, OFPT_VENDOR, 6);
    m.vendor.vendor = 0x00002320;   /* Nicira NXT_SET_FLOW_FORMAT(openflow10). */
    m.vendor.data.data = (const uint8_t *) "\x00\x00\x00\x0c\x00\x00\x00\x00";
    m.vendor.data.len = 8;
    add(&l, "vendor", &m);

    ofp_msg_init(&m, OFPT_FEATURES_REQUEST, 7);
    add(&l, "features_request", &m);

    ports[0] = sample_port(1, "veth0");
    ports[1] = sample_port(OFPP_LOCAL, "br0");
    ofp_make_features_reply(&m, 7, 0x0000000000000001ull, 256, 1,
                            OFPC_FLOW_STATS | OFPC_TABLE_STATS | OFPC_PORT_STATS
                            | OFPC_QUEUE_STATS | OFPC_ARP_MATCH_IP,
                            (1u << (OFPAT_ENQUEUE + 1)) - 1, ports, 2);
    add(&l, "features_reply", &m);

    ofp_msg_init(&m, OFPT_GET_CONFIG_REQUEST, 8);
    add(&l, "get_config_request", &m);

    ofp_make_config_reply(&m, 8, OFPC_FRAG_NORMAL, OFP_DEFAULT_MISS_SEND_LEN);
    add(&l, "get_config_reply", &m);

    ofp_msg_init(&m, OFPT_SET_CONFIG, 9);
    m.config.flags = OFPC_FRAG_DROP;
    m.config.miss_send_len = 256;
    add(&l, "set_config", &m);

    ofp_make_packet_in(&m, OFP_NO_BUFFER, sizeof frame, 1, OFPR_NO_MATCH,
                       frame, sizeof frame);
    add(&l, "packet_in", &m);

    ofp_make_packet_in(&m, 77, sizeof frame, 2, OFPR_ACTION, frame, 20);
    m.xid = 10;
    add(&l, "packet_in_buffered", &m);
    {
        struct ofp_flow_removed_h fr;
        memset(&fr, 0, sizeof fr);
        sample_match(&fr.match);
        fr.cookie = 0x1234;
        fr.priority = 100;
        fr.reason = OFPRR_IDLE_TIMEOUT;
        fr.duration_sec = 61;
        fr.duration_nsec = 250000000;
        fr.idle_timeout = 60;
        fr.packet_count = 9;
        fr.byte_count = 900;
        ofp_make_flow_removed(&m, &fr);
        add(&l, "flow_removed", &m);
    }
    ofp_make_port_status(&m, OFPPR_ADD, &ports[0]);
    add(&l, "port_status", &m);

    ofp_msg_init(&m, OFPT_PACKET_OUT, 11);
    m.packet_out.buffer_id = OFP_NO_BUFFER;
    m.packet_out.in_port = OFPP_NONE;
    m.packet_out.n_actions = sample_actions(actions);
    m.packet_out.actions = xmemdup(actions, m.packet_out.n_actions * sizeof *actions);
    m.packet_out.data.data = frame;
    m.packet_out.data.len = sizeof frame;
    add(&l, "packet_out", &m);

    ofp_msg_init(&m, OFPT_PACKET_OUT, 12);
    m.packet_out.buffer_id = 77;
    m.packet_out.in_port = 1;
    m.packet_out.actions = xmalloc(sizeof *actions);
    m.packet_out.actions[0] = ofp_action_output(OFPP_TABLE, 0);
    m.packet_out.n_actions = 1;
    add(&l, "packet_out_buffered_table", &m);

    add_flow_mods(&l);

    ofp_msg_init(&m, OFPT_PORT_MOD, 13);
    m.port_mod.port_no = 1;
    memcpy(m.port_mod.hw_addr, ports[0].hw_addr, 6);
    m.port_mod.config = OFPPC_NO_FLOOD;
    m.port_mod.mask = OFPPC_NO_FLOOD | OFPPC_PORT_DOWN;
    m.port_mod.advertise = 0;
    add(&l, "port_mod", &m);

    add_stats(&l);

    ofp_msg_init(&m, OFPT_BARRIER_REQUEST, 14);
    add(&l, "barrier_request", &m);
    ofp_make_barrier_reply(&m, 14);
    add(&l, "barrier_reply", &m);

    ofp_msg_init(&m, OFPT_QUEUE_GET_CONFIG_REQUEST, 15);
    m.queue_get_config_request.port = 1;
    add(&l, "queue_get_config_request", &m);
    {
        struct ofp_queue_h q[2] = { { 1, true, 500 }, { 2, false, 0 } };
        ofp_make_queue_get_config_reply(&m, 15, 1, q, 2);
        add(&l, "queue_get_config_reply", &m);
    }

    *samplesp = l.s;
    return l.n;
}

void
ofp_samples_free(struct ofp_sample *s, size_t n)
{
    for (size_t i = 0; s && i < n; i++) {
        free(s[i].data);
    }
    free(s);
}
