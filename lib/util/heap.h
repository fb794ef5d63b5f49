/* heap — intrusive indexed binary min-heap keyed by a 64-bit integer.
 *
 * Embed `struct heap_node` in each element; the heap keeps pointers to the
 * nodes and each node knows its index, so an element can be removed or
 * re-keyed in O(log n) without a search.  heap_min() is the node with the
 * smallest key (ties in no particular order); for a max-heap store the
 * complement of the key.  The array doubles as it fills and halves when it
 * falls below a quarter (memory comes back after mass removal).  `moves`
 * counts the nodes moved by sifting, so callers and tests can check that
 * maintenance stays logarithmic.  The heap owns its array, not the nodes.
 * Not thread-safe. */
#ifndef PLURAL_HEAP_H
#define PLURAL_HEAP_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct heap_node {
    uint64_t key;
    size_t index;               /* In heap->nodes, or SIZE_MAX: not in one. */
};

struct heap {
    struct heap_node **nodes;
    size_t n, allocated;
    uint64_t moves;             /* Nodes moved by sifting, ever. */
};

void heap_init(struct heap *);
void heap_destroy(struct heap *);   /* Frees the array, not the nodes. */

/* Adds NODE (not in a heap) with KEY. */
void heap_insert(struct heap *, struct heap_node *, uint64_t key);
/* Removes NODE if it is in the heap (index != SIZE_MAX); else nothing. */
void heap_remove(struct heap *, struct heap_node *);
/* Gives NODE (in the heap) a new KEY. */
void heap_change(struct heap *, struct heap_node *, uint64_t key);

static inline void heap_node_init(struct heap_node *node) { node->index = SIZE_MAX; }
static inline bool heap_contains(const struct heap_node *node) { return node->index != SIZE_MAX; }
static inline size_t heap_count(const struct heap *h) { return h->n; }
static inline struct heap_node *heap_min(const struct heap *h) { return h->n ? h->nodes[0] : NULL; }

#endif
