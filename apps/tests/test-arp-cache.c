/* Unit tests: ARP cache resolution, queue bounds, retries, failure, aging. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include "router/arp-cache.h"

static int requests;
static void count_request(uint32_t ip, uint32_t iface, void *aux) { (void) ip; (void) iface; (void) aux; requests++; }

static void
test_resolve_and_release(void **state)
{
    (void) state;
    struct arp_cache c;
    struct arp_cache_config cfg = { 10000, 1000, 3, 4, 6, 100 };
    arp_cache_init(&c, &cfg);
    uint8_t frame[64] = { 1 }, mac[6] = { 2, 0, 0, 0, 0, 9 }, got[6];
    assert_false(arp_cache_lookup(&c, 0x0a000002, 0, got));
    assert_int_equal(arp_cache_enqueue(&c, 0x0a000002, 1, frame, 64, 7, 0), ARP_CACHE_SEND_REQUEST);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(arp_cache_enqueue(&c, 0x0a000002, 1, frame, 64, 7, 0), ARP_CACHE_QUEUED);
    }
    /* Per-entry bound of 4. */
    assert_int_equal(arp_cache_enqueue(&c, 0x0a000002, 1, frame, 64, 7, 0), -ENOBUFS);
    /* Total bound of 6 across entries. */
    assert_int_equal(arp_cache_enqueue(&c, 0x0a000003, 1, frame, 64, 7, 0), ARP_CACHE_SEND_REQUEST);
    assert_int_equal(arp_cache_enqueue(&c, 0x0a000003, 1, frame, 64, 7, 0), ARP_CACHE_QUEUED);
    assert_int_equal(arp_cache_enqueue(&c, 0x0a000003, 1, frame, 64, 7, 0), -ENOBUFS);
    assert_int_equal(c.n_queued, 6);
    struct list released;
    list_init(&released);
    assert_int_equal(arp_cache_learn(&c, 0x0a000002, mac, 1, 100, &released), 0);
    assert_int_equal(list_size(&released), 4);
    struct arp_queued *q = CONTAINER_OF(released.next, struct arp_queued, node);
    assert_int_equal(q->aux, 7);
    assert_int_equal(q->len, 64);
    arp_queued_list_free(&released);
    assert_int_equal(c.n_queued, 2);
    assert_true(arp_cache_lookup(&c, 0x0a000002, 200, got));
    assert_memory_equal(got, mac, 6);
    /* Aging: invalid after 10 s, removed by run. */
    assert_false(arp_cache_lookup(&c, 0x0a000002, 10100, got));
    arp_cache_destroy(&c);
}

static void
test_retry_then_fail(void **state)
{
    (void) state;
    struct arp_cache c;
    struct arp_cache_config cfg = { 10000, 1000, 3, 4, 16, 100 };
    arp_cache_init(&c, &cfg);
    uint8_t frame[60] = { 0 };
    requests = 0;
    assert_int_equal(arp_cache_enqueue(&c, 5, 0, frame, 60, 0, 0), ARP_CACHE_SEND_REQUEST);
    struct list failed;
    list_init(&failed);
    assert_int_equal(arp_cache_run(&c, 500, count_request, NULL, &failed), 1000);
    assert_int_equal(requests, 0);
    arp_cache_run(&c, 1000, count_request, NULL, &failed);
    arp_cache_run(&c, 2000, count_request, NULL, &failed);
    assert_int_equal(requests, 2);          /* 3 requests in all. */
    assert_true(list_is_empty(&failed));
    arp_cache_run(&c, 3000, count_request, NULL, &failed);
    assert_int_equal(list_size(&failed), 1);
    assert_int_equal(arp_cache_count(&c), 0);
    assert_int_equal(c.failures, 1);
    arp_queued_list_free(&failed);
    /* Static entries never age. */
    uint8_t mac[6] = { 2, 1, 1, 1, 1, 1 }, got[6];
    arp_cache_add_static(&c, 9, mac, 0);
    arp_cache_run(&c, 100000000, count_request, NULL, &failed);
    assert_true(arp_cache_lookup(&c, 9, 100000000, got));
    /* Reachable entries are removed once aged. */
    arp_cache_learn(&c, 10, mac, 0, 0, NULL);
    arp_cache_run(&c, 20000, count_request, NULL, &failed);
    assert_null(arp_cache_find(&c, 10));
    assert_int_equal(c.expired, 1);
    arp_cache_destroy(&c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolve_and_release),
        cmocka_unit_test(test_retry_then_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
