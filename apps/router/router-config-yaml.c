/* router-config-yaml — the router config as YAML (libyaml), translated into
 * the line format of router-config.c so both share every check and every
 * message names the YAML line:
 *
 *   mode: proactive
 *   idle-timeout: 10
 *   arp-timeout: 300
 *   interfaces:
 *     - {name: eth1, port: 1, mac: "02:00:00:00:01:01", ip: 10.0.1.1/24}
 *     - name: eth2
 *       port: 2
 *       mac: "02:00:00:00:02:01"
 *       ip: 10.0.2.1/24
 *       vlan: 7
 *   routes:
 *     - {prefix: 10.0.3.0/24, via: 10.0.2.2, dev: eth2}
 */
#include "router-config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "util/buf.h"
#include "util/util.h"

struct ytr {
    yaml_document_t doc;
    char **lines;               /* Translated text, by YAML line (0-based). */
    size_t n_lines;
    char *msg;
    int msg_line;
};

static int
fail_at(struct ytr *y, const yaml_node_t *n, char *msg)
{
    y->msg = msg;
    y->msg_line = (int) n->start_mark.line + 1;
    return -EINVAL;
}

static const char *
scalar(struct ytr *y, const yaml_node_t *n, const char *what)
{
    if (!n || n->type != YAML_SCALAR_NODE) {
        if (n) {
            fail_at(y, n, xasprintf("%s must be a single value", what));
        }
        return NULL;
    }
    const char *s = (const char *) n->data.scalar.value;
    if (!*s || strpbrk(s, " \t\r\n#")) {
        fail_at(y, n, xasprintf("%s: bad value \"%s\"", what, s));
        return NULL;
    }
    return s;
}

static int
emit(struct ytr *y, const yaml_node_t *at, const char *text)
{
    size_t line = at->start_mark.line;
    if (line >= y->n_lines) {
        y->lines = xrealloc(y->lines, (line + 1) * sizeof *y->lines);
        memset(y->lines + y->n_lines, 0, (line + 1 - y->n_lines) * sizeof *y->lines);
        y->n_lines = line + 1;
    }
    if (y->lines[line]) {
        return fail_at(y, at, xstrdup("put each interface and route on its own line"));
    }
    y->lines[line] = xstrdup(text);
    return 0;
}

/* One list item: a mapping with exactly the allowed keys, emitted as
 * "KEYWORD FIRST k1 v1 k2 v2..." (FIRST is the value of `first`). */
static int
item(struct ytr *y, yaml_node_t *n, const char *keyword, const char *first,
     const char *const *keys, const char *what)
{
    if (n->type != YAML_MAPPING_NODE) {
        return fail_at(y, n, xasprintf("each %s must be a mapping (key: value)", what));
    }
    const char *vals[8] = { NULL };
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(&y->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(&y->doc, p->value);
        const char *key = scalar(y, k, what);
        if (!key) {
            return -EINVAL;
        }
        size_t i;
        for (i = 0; keys[i] && strcmp(keys[i], key); i++) {
        }
        if (!keys[i]) {
            return fail_at(y, k, xasprintf("%s: unknown key \"%s\"", what, key));
        }
        if (!(vals[i] = scalar(y, v, key))) {
            return -EINVAL;
        }
    }
    struct buf b;
    buf_init(&b, 128);
    buf_printf(&b, "%s", keyword);
    for (size_t i = 0; keys[i]; i++) {
        if (!strcmp(keys[i], first)) {
            if (!vals[i]) {
                buf_uninit(&b);
                return fail_at(y, n, xasprintf("%s: missing \"%s\"", what, first));
            }
            buf_printf(&b, " %s", vals[i]);
        }
    }
    for (size_t i = 0; keys[i]; i++) {
        if (vals[i] && strcmp(keys[i], first)) {
            buf_printf(&b, " %s %s", keys[i], vals[i]);
        }
    }
    int r = emit(y, n, buf_cstr(&b));
    buf_uninit(&b);
    return r;
}

static int
translate(struct ytr *y)
{
    static const char *const if_keys[] = { "name", "port", "mac", "ip", "vlan", NULL };
    static const char *const rt_keys[] = { "prefix", "via", "dev", NULL };
    yaml_node_t *root = yaml_document_get_root_node(&y->doc);
    if (!root) {
        return 0;               /* Empty file: the caller reports "no interface". */
    }
    if (root->type != YAML_MAPPING_NODE) {
        return fail_at(y, root, xstrdup("the top level must be a mapping "
                                        "(mode, idle-timeout, arp-timeout, interfaces, routes)"));
    }
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(&y->doc, p->key);
        yaml_node_t *v = yaml_document_get_node(&y->doc, p->value);
        const char *key = scalar(y, k, "key");
        if (!key) {
            return -EINVAL;
        }
        if (!strcmp(key, "mode") || !strcmp(key, "idle-timeout") || !strcmp(key, "arp-timeout")) {
            const char *val = scalar(y, v, key);
            if (!val) {
                return -EINVAL;
            }
            char *line = xasprintf("%s %s", key, val);
            int r = emit(y, k, line);
            free(line);
            if (r) {
                return r;
            }
        } else if (!strcmp(key, "interfaces") || !strcmp(key, "routes")) {
            bool ifs = key[0] == 'i';
            if (v->type != YAML_SEQUENCE_NODE) {
                return fail_at(y, v, xasprintf("%s must be a list", key));
            }
            for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
                yaml_node_t *n = yaml_document_get_node(&y->doc, *it);
                int r = ifs ? item(y, n, "interface", "name", if_keys, "interface")
                            : item(y, n, "route", "prefix", rt_keys, "route");
                if (r) {
                    return r;
                }
            }
        } else {
            return fail_at(y, k, xasprintf("unknown key \"%s\" (mode, idle-timeout, "
                                           "arp-timeout, interfaces, routes)", key));
        }
    }
    return 0;
}

int
router_config_parse_yaml(const char *name, const char *text, size_t len,
                         struct router_config *cfg, char **errp)
{
    struct ytr y = { .msg = NULL };
    yaml_parser_t parser;
    memset(cfg, 0, sizeof *cfg);
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *) text, len);
    if (!yaml_parser_load(&parser, &y.doc)) {
        *errp = xasprintf("%s:%zu: YAML: %s", name, parser.problem_mark.line + 1,
                          parser.problem ? parser.problem : "syntax error");
        yaml_parser_delete(&parser);
        return -EINVAL;
    }
    int r = translate(&y);
    yaml_document_delete(&y.doc);
    yaml_parser_delete(&parser);
    if (r) {
        *errp = xasprintf("%s:%d: %s", name, y.msg_line, y.msg);
    } else {
        struct buf b;
        buf_init(&b, 256);
        for (size_t i = 0; i < y.n_lines; i++) {
            buf_printf(&b, "%s\n", y.lines[i] ? y.lines[i] : "");
        }
        r = router_config_parse(name, buf_cstr(&b), cfg, errp);
        buf_uninit(&b);
    }
    free(y.msg);
    for (size_t i = 0; i < y.n_lines; i++) {
        free(y.lines[i]);
    }
    free(y.lines);
    return r;
}
