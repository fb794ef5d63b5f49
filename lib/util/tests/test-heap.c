/* Unit tests: heap against a plain array reference (random inserts,
 * removals and re-keys; the minimum and every index agree), the array
 * shrinking back after mass removal, and logarithmic sifting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include "util/heap.h"
#include "util/util.h"

struct elem {
    struct heap_node node;
    int id;
};

static void
check(const struct heap *h, struct elem *elems, const bool *present, int n)
{
    size_t count = 0;
    uint64_t min = UINT64_MAX;
    for (int i = 0; i < n; i++) {
        assert_int_equal(heap_contains(&elems[i].node), present[i]);
        if (present[i]) {
            count++;
            min = elems[i].node.key < min ? elems[i].node.key : min;
            assert_ptr_equal(h->nodes[elems[i].node.index], &elems[i].node);
        }
    }
    assert_int_equal(heap_count(h), count);
    if (count) {
        assert_int_equal(heap_min(h)->key, min);
    } else {
        assert_null(heap_min(h));
    }
}

static void
test_heap_random(void **state)
{
    (void) state;
    enum { N = 2000 };
    struct heap h;
    heap_init(&h);
    struct elem *elems = calloc(N, sizeof *elems);
    bool present[N] = { false };
    for (int i = 0; i < N; i++) {
        elems[i].id = i;
        heap_node_init(&elems[i].node);
    }
    srand(7);
    for (int round = 0; round < 30000; round++) {
        int k = rand() % N;
        uint64_t key = (uint64_t) (rand() % 500);   /* Many ties. */
        int op = rand() % 3;
        if (!present[k]) {
            heap_insert(&h, &elems[k].node, key);
            present[k] = true;
        } else if (op == 0) {
            heap_remove(&h, &elems[k].node);
            present[k] = false;
        } else {
            heap_change(&h, &elems[k].node, key);
        }
        if (round % 97 == 0) {
            check(&h, elems, present, N);
        }
    }
    check(&h, elems, present, N);
    /* Popping gives keys in order. */
    uint64_t last = 0;
    while (heap_min(&h)) {
        struct elem *e = CONTAINER_OF(heap_min(&h), struct elem, node);
        assert_true(e->node.key >= last);
        last = e->node.key;
        heap_remove(&h, &e->node);
        present[e->id] = false;
    }
    check(&h, elems, present, N);
    heap_remove(&h, &elems[0].node);            /* Not in the heap: nothing. */
    assert_int_equal(heap_count(&h), 0);
    heap_destroy(&h);
    free(elems);
}

static void
test_heap_shrinks_and_sifts_little(void **state)
{
    (void) state;
    enum { N = 1 << 16 };
    struct heap h;
    heap_init(&h);
    struct elem *elems = calloc(N, sizeof *elems);
    for (int i = 0; i < N; i++) {
        heap_insert(&h, &elems[i].node, (uint64_t) (N - i));   /* Worst case: each rises. */
    }
    /* Each insert moves at most log2(N) = 16 nodes. */
    assert_true(h.moves <= 16ull * N);
    size_t grown = h.allocated;
    assert_true(grown >= N);
    for (int i = 0; i < N - 10; i++) {
        heap_remove(&h, &elems[i].node);
    }
    assert_int_equal(heap_count(&h), 10);
    assert_true(h.allocated <= 64);
    heap_destroy(&h);
    free(elems);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_heap_random),
        cmocka_unit_test(test_heap_shrinks_and_sifts_little),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
