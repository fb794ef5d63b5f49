/* Unit tests: hmap and list against a plain array reference. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include "util/hash.h"
#include "util/hmap.h"
#include "util/list.h"

struct elem {
    struct hmap_node node;
    struct list list_node;
    int key;
};

static void
test_hmap_random(void **state)
{
    (void) state;
    enum { N = 5000 };
    struct hmap map;
    hmap_init(&map);
    struct elem *elems = calloc(N, sizeof *elems);
    bool present[N] = { false };
    srand(1);
    for (int round = 0; round < 20000; round++) {
        int k = rand() % N;
        if (present[k]) {
            hmap_remove(&map, &elems[k].node);
            present[k] = false;
        } else {
            elems[k].key = k;
            hmap_insert(&map, &elems[k].node, hash_int(k, 0));
            present[k] = true;
        }
    }
    size_t expected = 0;
    for (int k = 0; k < N; k++) {
        expected += present[k];
        struct elem *e;
        bool found = false;
        HMAP_FOR_EACH_WITH_HASH (e, node, hash_int(k, 0), &map) {
            if (e->key == k) {
                found = true;
            }
        }
        assert_int_equal(found, present[k]);
    }
    assert_int_equal(hmap_count(&map), expected);
    size_t seen = 0;
    struct elem *e;
    HMAP_FOR_EACH (e, node, &map) {
        assert_true(present[e->key]);
        hmap_remove(&map, &e->node);   /* Removal during iteration is safe. */
        seen++;
    }
    assert_int_equal(seen, expected);
    assert_true(hmap_is_empty(&map));
    hmap_shrink(&map);
    hmap_destroy(&map);
    free(elems);
}

static void
test_list(void **state)
{
    (void) state;
    struct list l = LIST_INITIALIZER(&l);
    struct elem e[5];
    for (int i = 0; i < 5; i++) {
        e[i].key = i;
        list_push_back(&l, &e[i].list_node);
    }
    assert_int_equal(list_size(&l), 5);
    struct elem *it, *next;
    int expect = 0;
    LIST_FOR_EACH_SAFE (it, next, list_node, &l) {
        assert_int_equal(it->key, expect++);
        if (it->key % 2) {
            list_remove(&it->list_node);
        }
    }
    assert_int_equal(list_size(&l), 3);
    struct list *front = list_pop_front(&l);
    assert_ptr_equal(front, &e[0].list_node);
    assert_int_equal(list_size(&l), 2);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hmap_random),
        cmocka_unit_test(test_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
