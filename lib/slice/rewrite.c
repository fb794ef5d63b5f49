/* rewrite — per-message flowspace enforcement; see rewrite.h. */
#include "slice/rewrite.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "pkt/flow-key.h"
#include "pkt/packet.h"
#include "util/buf.h"
#include "util/util.h"

static bool
entry_usable(const struct fs_entry *e, uint64_t dpid, uint8_t perm)
{
    return (e->perms & perm) && fs_entry_applies(e, dpid);
}

static bool
covered_with(const struct slice_def *s, uint64_t dpid,
             const struct ofp_match_h *m, uint8_t perm)
{
    for (size_t i = 0; i < s->n_entries; i++) {
        if (entry_usable(&s->entries[i], dpid, perm)
            && fs_region_covers(&s->entries[i].region, m)) {
            return true;
        }
    }
    return false;
}

bool
slice_owns_match(const struct slice_def *s, uint64_t dpid,
                 const struct ofp_match_h *m)
{
    return covered_with(s, dpid, m, FS_PERM_READ);
}

bool
slice_may_write(const struct slice_def *s, uint64_t dpid,
                const struct ofp_match_h *m)
{
    return covered_with(s, dpid, m, FS_PERM_WRITE);
}

/* ---- Actions. ---- */

static void
push_action(struct ofp_action **a, size_t *n, size_t *cap,
            const struct ofp_action *act)
{
    if (*n == *cap) {
        *cap = *cap ? 2 * *cap : 8;
        *a = xrealloc(*a, *cap * sizeof **a);
    }
    (*a)[(*n)++] = *act;
}

/* Applies a set-field action to the packet region m. */
static void
apply_set_field(struct ofp_match_h *m, const struct ofp_action *a)
{
    switch (a->type) {
    case OFPAT_SET_VLAN_VID:
        m->wildcards &= ~(uint32_t) OFPFW_DL_VLAN;
        m->dl_vlan = a->vlan_vid;
        break;
    case OFPAT_SET_VLAN_PCP:
        m->wildcards &= ~(uint32_t) OFPFW_DL_VLAN_PCP;
        m->dl_vlan_pcp = a->vlan_pcp;
        break;
    case OFPAT_STRIP_VLAN:
        m->wildcards &= ~(uint32_t) (OFPFW_DL_VLAN | OFPFW_DL_VLAN_PCP);
        m->dl_vlan = OFP_VLAN_NONE;
        m->dl_vlan_pcp = 0;
        break;
    case OFPAT_SET_DL_SRC:
        m->wildcards &= ~(uint32_t) OFPFW_DL_SRC;
        memcpy(m->dl_src, a->dl_addr, OFP_ETH_ALEN);
        break;
    case OFPAT_SET_DL_DST:
        m->wildcards &= ~(uint32_t) OFPFW_DL_DST;
        memcpy(m->dl_dst, a->dl_addr, OFP_ETH_ALEN);
        break;
    case OFPAT_SET_NW_SRC:
        ofp_match_set_nw_src(m, a->nw_addr, 32);
        break;
    case OFPAT_SET_NW_DST:
        ofp_match_set_nw_dst(m, a->nw_addr, 32);
        break;
    case OFPAT_SET_NW_TOS:
        m->wildcards &= ~(uint32_t) OFPFW_NW_TOS;
        m->nw_tos = a->nw_tos;
        break;
    case OFPAT_SET_TP_SRC:
        m->wildcards &= ~(uint32_t) OFPFW_TP_SRC;
        m->tp_src = a->tp_port;
        break;
    case OFPAT_SET_TP_DST:
        m->wildcards &= ~(uint32_t) OFPFW_TP_DST;
        m->tp_dst = a->tp_port;
        break;
    default:
        break;
    }
}

int
slice_rewrite_actions(const struct slice_def *s, uint64_t dpid,
                      const struct ofp_match_h *match, uint16_t in_port,
                      const struct ofp_action *in, size_t n_in,
                      struct ofp_action **out, size_t *n_out,
                      struct ofp_error *err)
{
    struct ofp_match_h cur = *match;
    struct ofp_action *acts = NULL;
    size_t n = 0, cap = 0;
    uint16_t flow_in_port = !(match->wildcards & OFPFW_IN_PORT) ? match->in_port
                            : in_port;

    for (size_t i = 0; i < n_in; i++) {
        const struct ofp_action *a = &in[i];
        uint16_t port;

        if (a->type != OFPAT_OUTPUT && a->type != OFPAT_ENQUEUE) {
            apply_set_field(&cur, a);
            ofp_match_normalize(&cur);
            push_action(&acts, &n, &cap, a);
            continue;
        }
        /* The packet as it leaves must still be the slice's. */
        if (!slice_may_write(s, dpid, &cur)) {
            goto eperm;
        }
        port = a->type == OFPAT_OUTPUT ? a->output.port : a->enqueue.port;
        if (port < OFPP_MAX) {
            if (!slice_def_has_port(s, port)) {
                goto eperm;
            }
            push_action(&acts, &n, &cap, a);
        } else if (port == OFPP_FLOOD || port == OFPP_ALL) {
            if (s->all_ports) {
                push_action(&acts, &n, &cap, a);
            } else {
                for (size_t k = 0; k < s->n_ports; k++) {
                    if (s->ports[k] == flow_in_port) {
                        continue;
                    }
                    struct ofp_action o = ofp_action_output(s->ports[k], 0);
                    push_action(&acts, &n, &cap, &o);
                }
            }
        } else if (port == OFPP_IN_PORT || port == OFPP_CONTROLLER
                   || port == OFPP_TABLE) {
            push_action(&acts, &n, &cap, a);
        } else if ((port == OFPP_NORMAL || port == OFPP_LOCAL) && s->all_ports) {
            push_action(&acts, &n, &cap, a);
        } else {
            goto eperm;
        }
    }
    *out = acts;
    *n_out = n;
    return 0;

eperm:
    free(acts);
    *out = NULL;
    *n_out = 0;
    *err = OFP_ERROR(OFPET_BAD_ACTION, OFPBAC_EPERM);
    return -EPERM;
}

/* ---- FLOW_MOD. ---- */

void
slice_flow_mods_free(struct ofp_flow_mod_h *fms, size_t n)
{
    for (size_t i = 0; fms && i < n; i++) {
        free(fms[i].actions);
    }
    free(fms);
}

static bool
is_delete(uint16_t command)
{
    return command == OFPFC_DELETE || command == OFPFC_DELETE_STRICT;
}

int
slice_rewrite_flow_mod(const struct slice_def *s, uint64_t dpid,
                       const struct ofp_flow_mod_h *in,
                       struct ofp_flow_mod_h **out, size_t *n_out,
                       struct ofp_error *err)
{
    /* On the stack: this runs for every FLOW_MOD of every slice. */
    struct ofp_match_h matches[FS_MAX_EXPANSION];
    struct ofp_match_h tmp[FS_MAX_EXPANSION];
    size_t n = 0;
    int error = 0;

    *out = NULL;
    *n_out = 0;
    for (size_t i = 0; i < s->n_entries; i++) {
        const struct fs_entry *e = &s->entries[i];
        if (!entry_usable(e, dpid, FS_PERM_WRITE)) {
            continue;
        }
        int k = fs_region_intersect(&e->region, &in->match, tmp, ARRAY_SIZE(tmp));
        if (k < 0) {
            error = k;
            break;
        }
        for (int j = 0; j < k; j++) {
            bool dup = false;
            for (size_t d = 0; d < n && !dup; d++) {
                dup = ofp_match_equal(&matches[d], &tmp[j]);
            }
            if (dup) {
                continue;
            }
            if (n == FS_MAX_EXPANSION) {
                error = -E2BIG;
                break;
            }
            matches[n++] = tmp[j];
        }
        if (error) {
            break;
        }
    }
    if (error) {
        /* Too wide to express: refuse rather than guess. */
        *err = OFP_ERROR(OFPET_FLOW_MOD_FAILED, OFPFMFC_EPERM);
        return -EPERM;
    }
    if (!n) {
        if (is_delete(in->command)) {
            return 0;
        }
        *err = OFP_ERROR(OFPET_FLOW_MOD_FAILED, OFPFMFC_EPERM);
        return -EPERM;
    }

    struct ofp_flow_mod_h *fms = xcalloc(n, sizeof *fms);
    for (size_t i = 0; i < n; i++) {
        fms[i] = *in;
        fms[i].match = matches[i];
        fms[i].actions = NULL;
        fms[i].n_actions = 0;
        if (is_delete(in->command)) {
            continue;
        }
        fms[i].flags |= OFPFF_SEND_FLOW_REM;
        error = slice_rewrite_actions(s, dpid, &matches[i], OFPP_NONE,
                                      in->actions, in->n_actions,
                                      &fms[i].actions, &fms[i].n_actions, err);
        if (error) {
            slice_flow_mods_free(fms, n);
                return error;
        }
    }
    *out = fms;
    *n_out = n;
    return 0;
}

/* ---- PACKET_OUT. ---- */

int
slice_check_packet_out(const struct slice_def *s, uint64_t dpid,
                       const struct ofp_packet_out_h *po,
                       const struct ofp_match_h *frame,
                       struct ofp_action **out, size_t *n_out,
                       struct ofp_error *err)
{
    *out = NULL;
    *n_out = 0;
    if ((po->in_port < OFPP_MAX && !slice_def_has_port(s, po->in_port))
        || (po->in_port >= OFPP_MAX && po->in_port != OFPP_NONE
            && po->in_port != OFPP_CONTROLLER)
        || !frame || !slice_may_write(s, dpid, frame)) {
        *err = OFP_ERROR(OFPET_BAD_REQUEST, OFPBRC_EPERM);
        return -EPERM;
    }
    return slice_rewrite_actions(s, dpid, frame, po->in_port, po->actions,
                                 po->n_actions, out, n_out, err);
}

/* ---- PACKET_IN. ---- */

size_t
slice_classify(const struct slice_def *const *slices, size_t n,
               uint64_t dpid, const struct ofp_match_h *pkt, size_t *out)
{
    int best = -1;
    size_t n_out = 0;

    for (size_t i = 0; i < n; i++) {
        const struct slice_def *s = slices[i];
        int top = -1;
        bool readable = false;
        for (size_t k = 0; k < s->n_entries; k++) {
            const struct fs_entry *e = &s->entries[k];
            if (!fs_entry_applies(e, dpid) || !fs_region_covers(&e->region, pkt)) {
                continue;
            }
            if (e->priority > top) {
                top = e->priority;
                readable = (e->perms & FS_PERM_READ) != 0;
            } else if (e->priority == top && (e->perms & FS_PERM_READ)) {
                readable = true;
            }
        }
        if (top < 0 || top < best) {
            continue;
        }
        if (top > best) {
            best = top;
            n_out = 0;
        }
        if (readable) {
            out[n_out++] = i;
        }
    }
    return n_out;
}

bool
slice_frame_match(const void *frame, size_t len, uint16_t in_port,
                  struct ofp_match_h *m)
{
    struct packet pkt = {
        .data = (uint8_t *) frame, .len = (uint32_t) len, .room = (uint32_t) len,
    };
    struct flow_key k;

    memset(m, 0, sizeof *m);
    if (len > UINT16_MAX || flow_extract(&pkt, in_port, &k, NULL) == -EINVAL) {
        return false;
    }
    m->wildcards = 0;
    m->in_port = k.in_port;
    memcpy(m->dl_src, k.dl_src, OFP_ETH_ALEN);
    memcpy(m->dl_dst, k.dl_dst, OFP_ETH_ALEN);
    m->dl_vlan = k.dl_vlan;
    m->dl_vlan_pcp = k.dl_vlan_pcp;
    m->dl_type = k.dl_type;
    m->nw_tos = k.nw_tos;
    m->nw_proto = k.nw_proto;
    m->nw_src = k.nw_src;
    m->nw_dst = k.nw_dst;
    m->tp_src = k.tp_src;
    m->tp_dst = k.tp_dst;
    return true;
}

/* ---- LLDP. ---- */

bool
slice_frame_is_lldp(const void *frame_, size_t len)
{
    const uint8_t *f = frame_;
    if (len < 14) {
        return false;
    }
    uint16_t type = (uint16_t) (f[12] << 8 | f[13]);
    if (type == ETH_TYPE_VLAN && len >= 18) {
        type = (uint16_t) (f[16] << 8 | f[17]);
    }
    return type == SLICE_ETH_TYPE_LLDP;
}

void
slice_lldp_tag(const void *frame, size_t len, const char *slice,
               struct buf *out)
{
    size_t name_len = MIN(strlen(slice), (size_t) SLICE_NAME_MAX);
    buf_put(out, frame, len);
    if (len < 60) {
        buf_put_zeros(out, 60 - len);
    }
    buf_put(out, slice, name_len);
    buf_put_u8(out, (uint8_t) name_len);
    buf_put(out, SLICE_LLDP_MAGIC, 4);
}

bool
slice_lldp_untag(const void *frame_, size_t len, char *name, size_t *len_out)
{
    const uint8_t *f = frame_;
    if (len < 14 + 5 || memcmp(f + len - 4, SLICE_LLDP_MAGIC, 4)) {
        return false;
    }
    size_t n = f[len - 5];
    if (!n || n > SLICE_NAME_MAX || len < 14 + 5 + n) {
        return false;
    }
    memcpy(name, f + len - 5 - n, n);
    name[n] = 0;
    *len_out = len - 5 - n;
    return true;
}
