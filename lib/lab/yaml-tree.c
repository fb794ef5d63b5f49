/* yaml-tree — libyaml events to a tree with line numbers (see yaml-tree.h). */
#include "lab/yaml-tree.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "util/util.h"

static struct ytree *
ytree_new(enum ytree_kind kind, int line)
{
    struct ytree *t = xzalloc(sizeof *t);
    t->kind = kind;
    t->line = line;
    return t;
}

void
yaml_tree_destroy(struct ytree *t)
{
    if (!t) {
        return;
    }
    for (size_t i = 0; i < t->n; i++) {
        yaml_tree_destroy(t->items[i]);
        if (t->keys) {
            free(t->keys[i]);
        }
    }
    free(t->items);
    free(t->keys);
    free(t->key_lines);
    free(t->value);
    free(t);
}

const struct ytree *
yaml_tree_get(const struct ytree *t, const char *key)
{
    if (!t || t->kind != YT_MAPPING) {
        return NULL;
    }
    for (size_t i = 0; i < t->n; i++) {
        if (!strcmp(t->keys[i], key)) {
            return t->items[i];
        }
    }
    return NULL;
}

struct parser {
    yaml_parser_t yp;
    char *error;
};

static int
fail(struct parser *p, int line, const char *what)
{
    if (!p->error) {
        p->error = xasprintf("%d: %s", line, what);
    }
    return -EINVAL;
}

static int
next_event(struct parser *p, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&p->yp, ev)) {
        int line = (int) p->yp.problem_mark.line + 1;
        p->error = xasprintf("%d: YAML syntax: %s%s%s", line,
                             p->yp.problem ? p->yp.problem : "error",
                             p->yp.context ? " " : "", p->yp.context ? p->yp.context : "");
        return -EINVAL;
    }
    return 0;
}

static void
append(struct ytree *t, char *key, int key_line, struct ytree *item)
{
    t->items = xrealloc(t->items, (t->n + 1) * sizeof *t->items);
    if (t->kind == YT_MAPPING) {
        t->keys = xrealloc(t->keys, (t->n + 1) * sizeof *t->keys);
        t->key_lines = xrealloc(t->key_lines, (t->n + 1) * sizeof *t->key_lines);
        t->keys[t->n] = key;
        t->key_lines[t->n] = key_line;
    }
    t->items[t->n++] = item;
}

/* Parses the node that starts with event EV (consumed by the caller's
 * yaml_event_delete, not here). */
static int parse_node(struct parser *, yaml_event_t *ev, struct ytree **);

static int
parse_children(struct parser *p, struct ytree *t, yaml_event_type_t end)
{
    for (;;) {
        yaml_event_t ev;
        if (next_event(p, &ev)) {
            return -EINVAL;
        }
        if (ev.type == end) {
            yaml_event_delete(&ev);
            return 0;
        }
        char *key = NULL;
        int key_line = (int) ev.start_mark.line + 1;
        if (t->kind == YT_MAPPING) {
            if (ev.type != YAML_SCALAR_EVENT) {
                yaml_event_delete(&ev);
                return fail(p, key_line, "mapping keys must be plain words");
            }
            key = xstrdup((const char *) ev.data.scalar.value);
            yaml_event_delete(&ev);
            if (yaml_tree_get(t, key)) {
                char *m = xasprintf("key '%s' given twice", key);
                free(key);
                int error = fail(p, key_line, m);
                free(m);
                return error;
            }
            if (next_event(p, &ev)) {
                free(key);
                return -EINVAL;
            }
        }
        struct ytree *child = NULL;
        int error = parse_node(p, &ev, &child);
        yaml_event_delete(&ev);
        if (error) {
            free(key);
            return error;
        }
        append(t, key, key_line, child);
    }
}

static int
parse_node(struct parser *p, yaml_event_t *ev, struct ytree **tp)
{
    int line = (int) ev->start_mark.line + 1;
    struct ytree *t;
    int error = 0;
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        if (ev->data.scalar.anchor) {
            return fail(p, line, "anchors are not supported");
        }
        t = ytree_new(YT_SCALAR, line);
        t->value = xstrdup((const char *) ev->data.scalar.value);
        break;
    case YAML_SEQUENCE_START_EVENT:
        t = ytree_new(YT_SEQUENCE, line);
        error = parse_children(p, t, YAML_SEQUENCE_END_EVENT);
        break;
    case YAML_MAPPING_START_EVENT:
        t = ytree_new(YT_MAPPING, line);
        error = parse_children(p, t, YAML_MAPPING_END_EVENT);
        break;
    case YAML_ALIAS_EVENT:
        return fail(p, line, "aliases are not supported");
    default:
        return fail(p, line, "unexpected YAML event");
    }
    if (error) {
        yaml_tree_destroy(t);
        return error;
    }
    *tp = t;
    return 0;
}

int
yaml_tree_parse(const char *text, size_t len, struct ytree **treep, char **errp)
{
    struct parser p = { .error = NULL };
    *treep = NULL;
    *errp = NULL;
    yaml_parser_initialize(&p.yp);
    yaml_parser_set_input_string(&p.yp, (const unsigned char *) text, len);

    struct ytree *root = NULL;
    int error = 0;
    bool done = false;
    while (!error && !done) {
        yaml_event_t ev;
        if (next_event(&p, &ev)) {
            error = -EINVAL;
            break;
        }
        switch (ev.type) {
        case YAML_STREAM_START_EVENT:
        case YAML_DOCUMENT_START_EVENT:
            break;
        case YAML_DOCUMENT_END_EVENT:
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        default:
            if (root) {
                error = fail(&p, (int) ev.start_mark.line + 1, "more than one top-level node");
            } else {
                error = parse_node(&p, &ev, &root);
            }
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p.yp);
    if (error) {
        yaml_tree_destroy(root);
        *errp = p.error ? p.error : xstrdup("0: cannot parse");
        return -EINVAL;
    }
    *treep = root ? root : ytree_new(YT_MAPPING, 1);
    return 0;
}
