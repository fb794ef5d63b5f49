/* heap — intrusive indexed binary min-heap (see heap.h). */
#include "heap.h"

#include <stdlib.h>
#include "util.h"

#define HEAP_MIN_ALLOCATED 16

void
heap_init(struct heap *h)
{
    h->nodes = NULL;
    h->n = h->allocated = 0;
    h->moves = 0;
}

void
heap_destroy(struct heap *h)
{
    free(h->nodes);
    h->nodes = NULL;
    h->n = h->allocated = 0;
}

static void
heap_set(struct heap *h, size_t i, struct heap_node *node)
{
    h->nodes[i] = node;
    node->index = i;
}

static void
sift_up(struct heap *h, size_t i)
{
    struct heap_node *node = h->nodes[i];
    while (i > 0 && h->nodes[(i - 1) / 2]->key > node->key) {
        heap_set(h, i, h->nodes[(i - 1) / 2]);
        i = (i - 1) / 2;
        h->moves++;
    }
    heap_set(h, i, node);
}

static void
sift_down(struct heap *h, size_t i)
{
    struct heap_node *node = h->nodes[i];
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= h->n) {
            break;
        }
        if (child + 1 < h->n && h->nodes[child + 1]->key < h->nodes[child]->key) {
            child++;
        }
        if (h->nodes[child]->key >= node->key) {
            break;
        }
        heap_set(h, i, h->nodes[child]);
        i = child;
        h->moves++;
    }
    heap_set(h, i, node);
}

void
heap_insert(struct heap *h, struct heap_node *node, uint64_t key)
{
    if (h->n == h->allocated) {
        h->allocated = h->allocated ? 2 * h->allocated : HEAP_MIN_ALLOCATED;
        h->nodes = xrealloc(h->nodes, h->allocated * sizeof *h->nodes);
    }
    node->key = key;
    heap_set(h, h->n++, node);
    sift_up(h, node->index);
}

void
heap_remove(struct heap *h, struct heap_node *node)
{
    size_t i = node->index;
    if (i == SIZE_MAX) {
        return;
    }
    node->index = SIZE_MAX;
    if (i != --h->n) {
        struct heap_node *moved = h->nodes[h->n];
        heap_set(h, i, moved);
        sift_up(h, i);
        sift_down(h, moved->index);
    }
    if (h->allocated > HEAP_MIN_ALLOCATED && h->n < h->allocated / 4) {
        h->allocated /= 2;
        h->nodes = xrealloc(h->nodes, h->allocated * sizeof *h->nodes);
    }
}

void
heap_change(struct heap *h, struct heap_node *node, uint64_t key)
{
    node->key = key;
    sift_up(h, node->index);
    sift_down(h, node->index);
}
