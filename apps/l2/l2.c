/* l2 — learning switch app; see l2.h. */
#include "l2.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ctl/ctl-switch.h"
#include "net/ctl-server.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/hash.h"
#include "util/hmap.h"
#include "util/log.h"

LOG_MODULE(l2);

struct mac_entry {
    struct hmap_node node;
    uint8_t mac[6];
    uint16_t vlan;
    uint16_t port;
    uint64_t learned_ms;
};

struct l2_switch {
    struct hmap macs;
    uint64_t floods, flows;
};

struct l2 {
    struct ctl_app up;
    uint16_t idle_timeout;
    uint32_t mac_age_s;
    uint32_t max_macs;
    json_t *restored;           /* Snapshot "switches" for switches to come. */
};

static struct l2 *
l2_cast(struct ctl_app *app)
{
    return CONTAINER_OF(app, struct l2, up);
}

static struct ctl_app *
l2_create(void)
{
    struct l2 *l2 = xzalloc(sizeof *l2);
    l2->idle_timeout = 60;
    l2->mac_age_s = 300;
    l2->max_macs = 65536;
    return &l2->up;
}

static void
l2_destroy(struct ctl_app *app)
{
    struct l2 *l2 = l2_cast(app);
    json_decref(l2->restored);
    free(l2);
}

static int
l2_configure(struct ctl_app *app, const char *path, char **errp)
{
    struct l2 *l2 = l2_cast(app);
    if (!path) {
        return 0;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        int e = errno;
        *errp = xasprintf("%s: cannot open: %s", path, strerror(e));
        return -e;
    }
    char line[512];
    int lineno = 0, r = 0;
    uint16_t idle = l2->idle_timeout;
    uint32_t age = l2->mac_age_s, max = l2->max_macs;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash) {
            *hash = 0;
        }
        char key[64], val[64], extra[8];
        int n = sscanf(line, "%63s %63s %7s", key, val, extra);
        if (n <= 0) {
            continue;
        }
        uint64_t v;
        if (n != 2 || str_to_u64(val, 1, UINT32_MAX, &v)) {
            *errp = xasprintf("%s:%d: expected KEY NUMBER (idle-timeout, mac-age, max-macs)",
                              path, lineno);
            r = -EINVAL;
            break;
        }
        if (!strcmp(key, "idle-timeout") && v <= 65535) {
            idle = (uint16_t) v;
        } else if (!strcmp(key, "mac-age")) {
            age = (uint32_t) v;
        } else if (!strcmp(key, "max-macs")) {
            max = (uint32_t) v;
        } else {
            *errp = xasprintf("%s:%d: unknown or out-of-range setting \"%s\" "
                              "(idle-timeout 1-65535, mac-age, max-macs)", path, lineno, key);
            r = -EINVAL;
            break;
        }
    }
    fclose(f);
    if (!r) {
        l2->idle_timeout = idle;
        l2->mac_age_s = age;
        l2->max_macs = max;
    }
    return r;
}

static uint32_t
mac_hash(const uint8_t mac[6], uint16_t vlan)
{
    uint32_t a = (uint32_t) mac[0] << 24 | (uint32_t) mac[1] << 16 | (uint32_t) mac[2] << 8 | mac[3];
    uint32_t b = (uint32_t) mac[4] << 24 | (uint32_t) mac[5] << 16 | vlan;
    return hash_finish(hash_add(hash_add(0, a), b), 8);
}

static struct mac_entry *
mac_find(const struct l2_switch *ls, const uint8_t mac[6], uint16_t vlan)
{
    struct mac_entry *e;
    HMAP_FOR_EACH_WITH_HASH (e, node, mac_hash(mac, vlan), &ls->macs) {
        if (e->vlan == vlan && !memcmp(e->mac, mac, 6)) {
            return e;
        }
    }
    return NULL;
}

static void restore_switch(struct l2 *, struct ctl_switch *);

static void
l2_switch_up(struct ctl_app *app, struct ctl_switch *sw)
{
    struct l2_switch *ls = xzalloc(sizeof *ls);
    hmap_init(&ls->macs);
    ctl_switch_set_app_data(sw, ls);
    restore_switch(l2_cast(app), sw);
}

static void
l2_switch_down(struct ctl_app *app, struct ctl_switch *sw)
{
    (void) app;
    struct l2_switch *ls = ctl_switch_get_app_data(sw);
    if (!ls) {
        return;
    }
    struct mac_entry *e;
    HMAP_FOR_EACH (e, node, &ls->macs) {
        hmap_remove(&ls->macs, &e->node);
        free(e);
    }
    hmap_destroy(&ls->macs);
    free(ls);
    ctl_switch_set_app_data(sw, NULL);
}

static void
l2_packet_in(struct ctl_app *app, struct ctl_switch *sw, const struct ctl_packet_in *pi)
{
    struct l2 *l2 = l2_cast(app);
    struct l2_switch *ls = ctl_switch_get_app_data(sw);
    const struct flow_key *k = &pi->key;
    uint64_t now = clock_now_ms();
    uint64_t age_ms = (uint64_t) l2->mac_age_s * 1000;

    /* Learn the source. */
    if (!(k->dl_src[0] & 1)) {
        struct mac_entry *e = mac_find(ls, k->dl_src, k->dl_vlan);
        if (!e && hmap_count(&ls->macs) < l2->max_macs) {
            e = xmalloc(sizeof *e);
            memcpy(e->mac, k->dl_src, 6);
            e->vlan = k->dl_vlan;
            hmap_insert(&ls->macs, &e->node, mac_hash(k->dl_src, k->dl_vlan));
        }
        if (e) {
            e->port = pi->in_port;
            e->learned_ms = now;
        }
    }

    /* Forward. */
    const struct mac_entry *dst = (k->dl_dst[0] & 1) ? NULL : mac_find(ls, k->dl_dst, k->dl_vlan);
    if (dst && now - dst->learned_ms >= age_ms) {
        dst = NULL;
    }
    struct ofp_action out;
    if (dst && dst->port != pi->in_port) {
        out = ofp_action_output(dst->port, 0);
        struct ofp_match_h m;
        ofp_match_init_catchall(&m);
        m.wildcards &= ~(uint32_t) (OFPFW_IN_PORT | OFPFW_DL_VLAN | OFPFW_DL_SRC | OFPFW_DL_DST);
        m.in_port = pi->in_port;
        m.dl_vlan = k->dl_vlan;
        memcpy(m.dl_src, k->dl_src, 6);
        memcpy(m.dl_dst, k->dl_dst, 6);
        struct ofp_flow_mod_h fm;
        ctl_flow_mod_init(&fm, OFPFC_ADD, &m, OFP_DEFAULT_PRIORITY, &out, 1);
        fm.idle_timeout = l2->idle_timeout;
        fm.buffer_id = pi->buffer_id;
        ctl_switch_flow_mod(sw, &fm);
        ls->flows++;
        if (pi->buffer_id != OFP_NO_BUFFER) {
            return;
        }
    } else if (dst) {
        return;     /* Destination behind the input port: drop. */
    } else {
        out = ofp_action_output(OFPP_FLOOD, 0);
        ls->floods++;
    }
    ctl_switch_packet_out(sw, pi->buffer_id, pi->in_port, &out, 1, pi->data, pi->len);
}

static uint64_t
l2_run(struct ctl_app *app, uint64_t now)
{
    struct l2 *l2 = l2_cast(app);
    uint64_t age_ms = (uint64_t) l2->mac_age_s * 1000;
    struct ctl_switch *sw;
    CTL_APP_FOR_EACH_SWITCH (sw, app) {
        struct l2_switch *ls = ctl_switch_get_app_data(sw);
        struct mac_entry *e;
        HMAP_FOR_EACH (e, node, &ls->macs) {
            if (now - e->learned_ms >= age_ms) {
                hmap_remove(&ls->macs, &e->node);
                free(e);
            }
        }
    }
    return now + 1000;
}

static json_t *
macs_json(struct ctl_switch *sw)
{
    struct l2_switch *ls = ctl_switch_get_app_data(sw);
    json_t *arr = json_array();
    uint64_t now = clock_now_ms();
    struct mac_entry *e;
    HMAP_FOR_EACH (e, node, &ls->macs) {
        char mac[18];
        sprintf(mac, "%02x:%02x:%02x:%02x:%02x:%02x", e->mac[0], e->mac[1], e->mac[2],
                e->mac[3], e->mac[4], e->mac[5]);
        json_t *j = json_pack("{s:s,s:i,s:I}", "mac", mac, "port", (int) e->port,
                              "age_s", (json_int_t) ((now - e->learned_ms) / 1000));
        json_object_set_new(j, "vlan", e->vlan == 0xffff ? json_null() : json_integer(e->vlan));
        json_array_append_new(arr, j);
    }
    return arr;
}

static json_t *
l2_dump(struct ctl_app *app)
{
    struct l2 *l2 = l2_cast(app);
    json_t *sws = json_array();
    struct ctl_switch *sw;
    CTL_APP_FOR_EACH_SWITCH (sw, app) {
        struct l2_switch *ls = ctl_switch_get_app_data(sw);
        char dpid[17];
        snprintf(dpid, sizeof dpid, "%016"PRIx64, ctl_switch_dpid(sw));
        json_array_append_new(sws, json_pack("{s:s,s:I,s:I,s:o}", "dpid", dpid,
                                             "flows_installed", (json_int_t) ls->flows,
                                             "floods", (json_int_t) ls->floods,
                                             "macs", macs_json(sw)));
    }
    return json_pack("{s:i,s:i,s:o}", "idle_timeout", (int) l2->idle_timeout,
                     "mac_age", (int) l2->mac_age_s, "switches", sws);
}

static json_t *
l2_snapshot(struct ctl_app *app)
{
    return l2_dump(app);
}

/* Loads the snapshot's MACs for this switch's datapath id, if any. */
static void
restore_switch(struct l2 *l2, struct ctl_switch *sw)
{
    struct l2_switch *ls = ctl_switch_get_app_data(sw);
    char dpid[17];
    size_t i, j;
    json_t *s, *m;
    snprintf(dpid, sizeof dpid, "%016"PRIx64, ctl_switch_dpid(sw));
    uint64_t now = clock_now_ms();
    json_array_foreach (l2->restored, i, s) {
        const char *d = json_string_value(json_object_get(s, "dpid"));
        if (!d || strcmp(d, dpid)) {
            continue;
        }
        json_array_foreach (json_object_get(s, "macs"), j, m) {
            unsigned int b[6];
            const char *mac = json_string_value(json_object_get(m, "mac"));
            json_t *vlan = json_object_get(m, "vlan");
            json_int_t port = json_integer_value(json_object_get(m, "port"));
            json_int_t age = json_integer_value(json_object_get(m, "age_s"));
            if (!mac || sscanf(mac, "%x:%x:%x:%x:%x:%x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6
                || port <= 0 || port >= OFPP_MAX || hmap_count(&ls->macs) >= l2->max_macs) {
                continue;
            }
            uint8_t addr[6];
            for (int k = 0; k < 6; k++) {
                addr[k] = (uint8_t) b[k];
            }
            uint16_t v = json_is_integer(vlan) ? (uint16_t) json_integer_value(vlan) : 0xffff;
            struct mac_entry *e = mac_find(ls, addr, v);
            if (!e) {
                e = xmalloc(sizeof *e);
                memcpy(e->mac, addr, 6);
                e->vlan = v;
                hmap_insert(&ls->macs, &e->node, mac_hash(addr, v));
            }
            e->port = (uint16_t) port;
            e->learned_ms = now - MIN((uint64_t) (age > 0 ? age : 0) * 1000, now);
        }
    }
}

static int
l2_restore(struct ctl_app *app, const json_t *j, char **errp)
{
    struct l2 *l2 = l2_cast(app);
    json_t *sws = json_object_get(j, "switches");
    if (!json_is_array(sws)) {
        *errp = xstrdup("snapshot: expected {\"switches\": [{\"dpid\", \"macs\": [...]}]}");
        return -EINVAL;
    }
    json_decref(l2->restored);
    l2->restored = json_incref(sws);
    struct ctl_switch *sw;
    CTL_APP_FOR_EACH_SWITCH (sw, app) {
        restore_switch(l2, sw);
    }
    return 0;
}

static void
cmd_mac_table(struct ctl_app *app, struct ctl_conn *conn, int argc, const char *argv[])
{
    (void) argc;
    (void) argv;
    json_t *d = l2_dump(app);
    if (ctl_conn_wants_json(conn)) {
        ctl_reply_json(conn, d);
        return;
    }
    struct buf out;
    buf_init(&out, 256);
    size_t i, j;
    json_t *sw, *m;
    json_array_foreach (json_object_get(d, "switches"), i, sw) {
        buf_printf(&out, "switch %s: %zu MACs, %"JSON_INTEGER_FORMAT" flows installed\n",
                   json_string_value(json_object_get(sw, "dpid")),
                   json_array_size(json_object_get(sw, "macs")),
                   json_integer_value(json_object_get(sw, "flows_installed")));
        json_array_foreach (json_object_get(sw, "macs"), j, m) {
            json_t *vlan = json_object_get(m, "vlan");
            char v[12] = "-";
            if (!json_is_null(vlan)) {
                snprintf(v, sizeof v, "%"JSON_INTEGER_FORMAT, json_integer_value(vlan));
            }
            buf_printf(&out, "  port %-4"JSON_INTEGER_FORMAT" vlan %-5s %s age %"JSON_INTEGER_FORMAT"s\n",
                       json_integer_value(json_object_get(m, "port")), v,
                       json_string_value(json_object_get(m, "mac")),
                       json_integer_value(json_object_get(m, "age_s")));
        }
    }
    json_decref(d);
    ctl_reply_ok(conn, buf_cstr(&out));
    buf_uninit(&out);
}

static const struct ctl_app_command l2_commands[] = {
    { "mac-table", "", 0, 0, cmd_mac_table },
    { NULL, NULL, 0, 0, NULL },
};

const struct ctl_app_class l2_app_class = {
    .name = "l2",
    .summary = "learning switch (MAC learning per VLAN, flooding, idle-timeout flows)",
    .track_flows = false,
    .create = l2_create,
    .destroy = l2_destroy,
    .configure = l2_configure,
    .reconfigure = l2_configure,
    .dump = l2_dump,
    .snapshot = l2_snapshot,
    .restore = l2_restore,
    .switch_up = l2_switch_up,
    .switch_down = l2_switch_down,
    .packet_in = l2_packet_in,
    .run = l2_run,
    .commands = l2_commands,
};
