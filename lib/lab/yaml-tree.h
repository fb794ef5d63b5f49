/* yaml-tree — a YAML document as a small tree with line numbers.
 *
 * libyaml's event parser is turned into nodes of three kinds (scalar,
 * sequence, mapping); every node keeps the 1-based line where it starts so
 * that the topology reader can name file:line in its errors.  Anchors and
 * aliases are refused (a topology has no need for them), and so are
 * duplicate mapping keys.  Only the first document of a stream is read.
 *
 * A tree is owned by whoever parsed it and freed with yaml_tree_destroy().
 * Not thread-safe per tree; separate trees are independent. */
#ifndef PLURAL_LAB_YAML_TREE_H
#define PLURAL_LAB_YAML_TREE_H 1

#include <stddef.h>

enum ytree_kind { YT_SCALAR, YT_SEQUENCE, YT_MAPPING };

struct ytree {
    enum ytree_kind kind;
    int line;
    char *value;              /* YT_SCALAR: the text; otherwise NULL. */
    size_t n;                 /* Children (sequence items, or mapping pairs). */
    char **keys;              /* YT_MAPPING: n keys. */
    int *key_lines;           /* YT_MAPPING: line of each key. */
    struct ytree **items;     /* n children (the values for a mapping). */
};

/* Parses LEN bytes of YAML.  On success returns 0 and *treep (an empty
 * document gives an empty mapping).  On error returns -EINVAL, *treep NULL,
 * and *errp a message "LINE: reason" (caller frees). */
int yaml_tree_parse(const char *text, size_t len, struct ytree **treep, char **errp);

void yaml_tree_destroy(struct ytree *);

/* The value for KEY in mapping T, or NULL (also if T is not a mapping). */
const struct ytree *yaml_tree_get(const struct ytree *t, const char *key);

#endif
