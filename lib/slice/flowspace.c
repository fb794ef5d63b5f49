/* flowspace — region algebra; see flowspace.h. */
#include "slice/flowspace.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "ofp/ofp-parse.h"
#include "ofp/ofp-print.h"
#include "util/buf.h"
#include "util/util.h"

/* The fields that are either exact or wildcarded (all but VLAN and the
 * IP prefixes). */
struct exact_field {
    uint32_t bit;
    size_t offset;
    size_t size;
};

#define EXACT_FIELD(BIT, MEMBER) \
    { BIT, offsetof(struct ofp_match_h, MEMBER), sizeof ((struct ofp_match_h *) 0)->MEMBER }

static const struct exact_field exact_fields[] = {
    EXACT_FIELD(OFPFW_IN_PORT, in_port),
    EXACT_FIELD(OFPFW_DL_SRC, dl_src),
    EXACT_FIELD(OFPFW_DL_DST, dl_dst),
    EXACT_FIELD(OFPFW_DL_TYPE, dl_type),
    EXACT_FIELD(OFPFW_NW_PROTO, nw_proto),
    EXACT_FIELD(OFPFW_TP_SRC, tp_src),
    EXACT_FIELD(OFPFW_TP_DST, tp_dst),
    EXACT_FIELD(OFPFW_DL_VLAN_PCP, dl_vlan_pcp),
    EXACT_FIELD(OFPFW_NW_TOS, nw_tos),
};

static const void *
field_ptr(const struct ofp_match_h *m, const struct exact_field *f)
{
    return (const uint8_t *) m + f->offset;
}

static bool
region_has_vlan(const struct fs_region *r)
{
    return !(r->match.wildcards & OFPFW_DL_VLAN);
}

static bool
vlan_in_range(const struct fs_region *r, uint16_t vlan)
{
    return vlan >= r->vlan_lo && vlan <= r->vlan_hi;
}

static void
set_src_prefix(struct ofp_match_h *m, uint32_t addr, int prefix)
{
    ofp_match_set_nw_src(m, addr, prefix);
}

static void
set_dst_prefix(struct ofp_match_h *m, uint32_t addr, int prefix)
{
    ofp_match_set_nw_dst(m, addr, prefix);
}

/* Does prefix (a, pa) hold every address of (b, pb)? */
static bool
prefix_covers(uint32_t a, int pa, uint32_t b, int pb)
{
    return pa <= pb && !((a ^ b) & ofp_prefix_to_mask(pa));
}

static bool
prefix_overlaps(uint32_t a, int pa, uint32_t b, int pb)
{
    return !((a ^ b) & ofp_prefix_to_mask(MIN(pa, pb)));
}

/* Covers, ignoring the VLAN field. */
static bool
covers_but_vlan(const struct ofp_match_h *r, const struct ofp_match_h *m)
{
    for (size_t i = 0; i < ARRAY_SIZE(exact_fields); i++) {
        const struct exact_field *f = &exact_fields[i];
        if (r->wildcards & f->bit) {
            continue;
        }
        if ((m->wildcards & f->bit)
            || memcmp(field_ptr(r, f), field_ptr(m, f), f->size)) {
            return false;
        }
    }
    return prefix_covers(r->nw_src, ofp_match_nw_src_prefix(r),
                         m->nw_src, ofp_match_nw_src_prefix(m))
        && prefix_covers(r->nw_dst, ofp_match_nw_dst_prefix(r),
                         m->nw_dst, ofp_match_nw_dst_prefix(m));
}

bool
fs_region_covers(const struct fs_region *r, const struct ofp_match_h *m)
{
    if (region_has_vlan(r)
        && ((m->wildcards & OFPFW_DL_VLAN) || !vlan_in_range(r, m->dl_vlan))) {
        return false;
    }
    return covers_but_vlan(&r->match, m);
}

bool
fs_region_covers_region(const struct fs_region *a, const struct fs_region *b)
{
    if (region_has_vlan(a)) {
        if (!region_has_vlan(b) || b->vlan_lo < a->vlan_lo
            || b->vlan_hi > a->vlan_hi) {
            return false;
        }
    }
    return covers_but_vlan(&a->match, &b->match);
}

bool
fs_region_overlaps(const struct fs_region *r, const struct ofp_match_h *m)
{
    for (size_t i = 0; i < ARRAY_SIZE(exact_fields); i++) {
        const struct exact_field *f = &exact_fields[i];
        if (!(r->match.wildcards & f->bit) && !(m->wildcards & f->bit)
            && memcmp(field_ptr(&r->match, f), field_ptr(m, f), f->size)) {
            return false;
        }
    }
    if (region_has_vlan(r) && !(m->wildcards & OFPFW_DL_VLAN)
        && !vlan_in_range(r, m->dl_vlan)) {
        return false;
    }
    return prefix_overlaps(r->match.nw_src, ofp_match_nw_src_prefix(&r->match),
                           m->nw_src, ofp_match_nw_src_prefix(m))
        && prefix_overlaps(r->match.nw_dst, ofp_match_nw_dst_prefix(&r->match),
                           m->nw_dst, ofp_match_nw_dst_prefix(m));
}

int
fs_region_intersect(const struct fs_region *r, const struct ofp_match_h *m,
                    struct ofp_match_h *out, size_t max)
{
    if (!fs_region_overlaps(r, m)) {
        return 0;
    }
    struct ofp_match_h base = *m;
    for (size_t i = 0; i < ARRAY_SIZE(exact_fields); i++) {
        const struct exact_field *f = &exact_fields[i];
        if (!(r->match.wildcards & f->bit) && (base.wildcards & f->bit)) {
            memcpy((uint8_t *) &base + f->offset, field_ptr(&r->match, f), f->size);
            base.wildcards &= ~f->bit;
        }
    }
    int rs = ofp_match_nw_src_prefix(&r->match), ms = ofp_match_nw_src_prefix(m);
    if (rs > ms) {
        set_src_prefix(&base, r->match.nw_src, rs);
    }
    int rd = ofp_match_nw_dst_prefix(&r->match), md = ofp_match_nw_dst_prefix(m);
    if (rd > md) {
        set_dst_prefix(&base, r->match.nw_dst, rd);
    }

    if (!region_has_vlan(r) || !(m->wildcards & OFPFW_DL_VLAN)) {
        if (max < 1) {
            return -E2BIG;
        }
        ofp_match_normalize(&base);
        out[0] = base;
        return 1;
    }
    size_t n = (size_t) r->vlan_hi - r->vlan_lo + 1;
    if (n > max) {
        return -E2BIG;
    }
    for (size_t i = 0; i < n; i++) {
        out[i] = base;
        out[i].wildcards &= ~(uint32_t) OFPFW_DL_VLAN;
        out[i].dl_vlan = (uint16_t) (r->vlan_lo + i);
        ofp_match_normalize(&out[i]);
    }
    return (int) n;
}

void
fs_region_from_match(const struct ofp_match_h *m, struct fs_region *r)
{
    r->match = *m;
    ofp_match_normalize(&r->match);
    r->vlan_lo = r->vlan_hi = r->match.dl_vlan;
}

int
fs_region_check(const struct fs_region *r, char **errp)
{
    const struct ofp_match_h *m = &r->match;
    uint32_t w = m->wildcards;
    bool ip = !(w & OFPFW_DL_TYPE) && m->dl_type == 0x0800;
    bool arp = !(w & OFPFW_DL_TYPE) && m->dl_type == 0x0806;
    const char *problem = NULL;

    if (region_has_vlan(r)) {
        if (r->vlan_lo > r->vlan_hi) {
            problem = "dl_vlan range is empty (low > high)";
        } else if (r->vlan_hi > 0xfff && !(r->vlan_lo == OFP_VLAN_NONE
                                            && r->vlan_hi == OFP_VLAN_NONE)) {
            problem = "dl_vlan range must be within 0-4095 (or 0xffff alone)";
        }
    }
    if (!problem && (ofp_match_nw_src_prefix(m) || ofp_match_nw_dst_prefix(m)
                     || !(w & OFPFW_NW_PROTO)) && !ip && !arp) {
        problem = "nw_src/nw_dst/nw_proto need dl_type ip or arp in a flowspace";
    }
    if (!problem && !(w & OFPFW_NW_TOS) && !ip) {
        problem = "nw_tos needs dl_type ip in a flowspace";
    }
    if (!problem && (!(w & OFPFW_TP_SRC) || !(w & OFPFW_TP_DST))
        && (!ip || (w & OFPFW_NW_PROTO))) {
        problem = "tp_src/tp_dst need ip and nw_proto in a flowspace";
    }
    if (problem) {
        if (errp) {
            *errp = xstrdup(problem);
        }
        return -EINVAL;
    }
    return 0;
}

int
fs_region_parse(const char *s, struct fs_region *r, char **errp)
{
    char *copy = xstrdup(s ? s : "");
    struct buf rest = BUF_EMPTY;
    bool has_range = false;
    unsigned long lo = 0, hi = 0;
    int error = 0;

    memset(r, 0, sizeof *r);
    for (char *save = NULL, *tok = strtok_r(copy, ", \t", &save); tok;
         tok = strtok_r(NULL, ", \t", &save)) {
        if (!strcmp(tok, "any")) {
            continue;
        }
        if (!strncmp(tok, "dl_vlan=", 8) && strchr(tok + 8, '-')) {
            char *end;
            lo = strtoul(tok + 8, &end, 0);
            if (*end != '-' || end == tok + 8) {
                error = -EINVAL;
            } else {
                char *start = end + 1;
                hi = strtoul(start, &end, 0);
                if (*end || end == start) {
                    error = -EINVAL;
                }
            }
            if (error || lo > 0xfff || hi > 0xfff || lo > hi) {
                if (errp) {
                    *errp = xasprintf("dl_vlan: invalid range '%s' (LOW-HIGH within 0-4095)",
                                      tok + 8);
                }
                error = -EINVAL;
                goto out;
            }
            has_range = true;
            continue;
        }
        buf_printf(&rest, "%s%s", rest.size ? "," : "", tok);
    }
    if (rest.size) {
        error = ofp_parse_match(buf_cstr(&rest), &r->match, errp);
        if (error) {
            goto out;
        }
    } else {
        ofp_match_init_catchall(&r->match);
    }
    if (has_range) {
        if (!(r->match.wildcards & OFPFW_DL_VLAN)) {
            if (errp) {
                *errp = xstrdup("dl_vlan given twice");
            }
            error = -EINVAL;
            goto out;
        }
        r->match.wildcards &= ~(uint32_t) OFPFW_DL_VLAN;
        r->match.dl_vlan = (uint16_t) lo;
        r->vlan_lo = (uint16_t) lo;
        r->vlan_hi = (uint16_t) hi;
    } else if (!(r->match.wildcards & OFPFW_DL_VLAN)) {
        r->vlan_lo = r->vlan_hi = r->match.dl_vlan;
    }
    ofp_match_normalize(&r->match);
    if (has_range) {
        r->match.dl_vlan = (uint16_t) lo;
    }
    error = fs_region_check(r, errp);
out:
    if (error) {
        memset(r, 0, sizeof *r);
        ofp_match_init_catchall(&r->match);
    }
    buf_uninit(&rest);
    free(copy);
    return error;
}

char *
fs_region_to_string(const struct fs_region *r)
{
    struct ofp_match_h m = r->match;
    struct buf out = BUF_EMPTY;

    if (region_has_vlan(r) && r->vlan_lo != r->vlan_hi) {
        m.wildcards |= OFPFW_DL_VLAN;
        m.dl_vlan = 0;
        buf_printf(&out, "dl_vlan=%u-%u", r->vlan_lo, r->vlan_hi);
    }
    if (!ofp_match_is_catchall(&m)) {
        char *s = ofp_match_to_string(&m);
        buf_printf(&out, "%s%s", out.size ? "," : "", s);
        free(s);
    }
    if (!out.size) {
        buf_printf(&out, "any");
    }
    size_t n;
    buf_put_u8(&out, 0);
    return buf_steal(&out, &n);
}

int
fs_perms_parse(const char *s, uint8_t *perms)
{
    *perms = 0;
    if (!*s) {
        return -EINVAL;
    }
    for (; *s; s++) {
        switch (*s) {
        case 'r': *perms |= FS_PERM_READ; break;
        case 'w': *perms |= FS_PERM_WRITE; break;
        case 'd': *perms |= FS_PERM_DELEGATE; break;
        default: return -EINVAL;
        }
    }
    return 0;
}

void
fs_perms_format(uint8_t perms, char out[4])
{
    size_t n = 0;
    if (perms & FS_PERM_READ) {
        out[n++] = 'r';
    }
    if (perms & FS_PERM_WRITE) {
        out[n++] = 'w';
    }
    if (perms & FS_PERM_DELEGATE) {
        out[n++] = 'd';
    }
    out[n] = 0;
}

bool
fs_entry_applies(const struct fs_entry *e, uint64_t dpid)
{
    return e->dpid == FS_DPID_ANY || e->dpid == dpid;
}
