/* Unit tests: util.h helpers, buf, hash, counters, byte order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "util/buf.h"
#include "util/byteorder.h"
#include "util/counter.h"
#include "util/hash.h"
#include "util/log.h"
#include "util/util.h"

COUNTER_DEFINE(test_counter_a, "a counter for tests");

static void
test_str_to_u64(void **state)
{
    (void) state;
    uint64_t v;
    assert_int_equal(str_to_u64("42", 0, 100, &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(str_to_u64("0x10", 0, 100, &v), 0);
    assert_int_equal(v, 16);
    assert_int_equal(str_to_u64("101", 0, 100, &v), -ERANGE);
    assert_int_equal(str_to_u64("12abc", 0, 100, &v), -EINVAL);
    assert_int_equal(str_to_u64("", 0, 100, &v), -EINVAL);
    assert_int_equal(str_to_u64("-1", 0, 100, &v), -EINVAL);
}

static void
test_hex(void **state)
{
    (void) state;
    uint8_t *bytes;
    int n = hex_decode("01 00 00 08\n 00 00 00 2a", &bytes);
    assert_int_equal(n, 8);
    char *s = hex_encode(bytes, n);
    assert_string_equal(s, "010000080000002a");
    free(s);
    free(bytes);
    assert_int_equal(hex_decode("0g", &bytes), -EINVAL);
    assert_int_equal(hex_decode("012", &bytes), -EINVAL);
}

static void
test_buf(void **state)
{
    (void) state;
    struct buf b;
    buf_init(&b, 0);
    for (int i = 0; i < 1000; i++) {
        buf_put_u8(&b, (uint8_t) i);
    }
    assert_int_equal(b.size, 1000);
    const uint8_t *p = buf_pull(&b, 10);
    assert_non_null(p);
    assert_int_equal(p[9], 9);
    assert_int_equal(b.data[0], 10);
    assert_null(buf_pull(&b, 991));
    assert_null(buf_at(&b, 989, 2));
    assert_non_null(buf_at(&b, 989, 1));
    buf_clear(&b);
    buf_printf(&b, "%s-%d", "x", 7);
    assert_string_equal(buf_cstr(&b), "x-7");
    /* A long string takes the slow path. */
    char big[600];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    buf_clear(&b);
    buf_printf(&b, "%s!", big);
    assert_int_equal(b.size, 600);
    assert_int_equal(buf_cstr(&b)[599], '!');
    size_t n;
    char *stolen = buf_steal(&b, &n);
    assert_int_equal(n, 600);
    free(stolen);
    assert_int_equal(b.size, 0);
    buf_uninit(&b);
}

static void
test_byteorder(void **state)
{
    (void) state;
    be16_t v = htobe16_t(0x0800);
    const uint8_t *p = (const uint8_t *) &v;
    assert_int_equal(p[0], 0x08);
    assert_int_equal(p[1], 0x00);
    assert_int_equal(be16_to_host(v), 0x0800);
    static const be32_t k = BE32_INIT(0x01020304);
    assert_int_equal(((const uint8_t *) &k)[0], 1);
    assert_true(be32_eq(k, htobe32_t(0x01020304)));
    assert_int_equal(be64_to_host(htobe64_t(0x1122334455667788ull)), 0x1122334455667788ull);
}

static void
test_hash(void **state)
{
    (void) state;
    uint32_t a[4] = { 1, 2, 3, 4 }, b[4] = { 1, 2, 3, 5 };
    assert_int_equal(hash_words(a, 4, 0), hash_words(a, 4, 0));
    assert_int_not_equal(hash_words(a, 4, 0), hash_words(b, 4, 0));
    assert_int_not_equal(hash_words(a, 4, 0), hash_words(a, 4, 1));
    assert_int_equal(hash_bytes("abc", 3, 0), hash_string("abc", 0));
    assert_int_not_equal(hash_bytes("abc", 3, 0), hash_bytes("abd", 3, 0));
}

static void
test_counters(void **state)
{
    (void) state;
    struct counter *c = counter_find("test_counter_a");
    assert_ptr_equal(c, &test_counter_a);
    counter_inc(c);
    counter_add(c, 4);
    assert_int_equal(counter_read(c), 5);
    assert_null(counter_find("no_such_counter"));
}

static void
test_log_levels(void **state)
{
    (void) state;
    enum log_level l;
    assert_int_equal(log_level_from_string("warn", &l), 0);
    assert_int_equal(l, LOG_LEVEL_WARN);
    assert_int_equal(log_level_from_string("debug", &l), 0);
    assert_int_equal(l, LOG_LEVEL_DBG);
    assert_int_equal(log_level_from_string("loud", &l), -EINVAL);
    assert_int_equal(log_set_level("no-such-module", LOG_LEVEL_DBG), -ENOENT);
    assert_int_equal(log_set_level("ALL", LOG_LEVEL_WARN), 0);
    assert_string_equal(log_level_to_string(LOG_LEVEL_INFO), "info");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_str_to_u64),
        cmocka_unit_test(test_hex),
        cmocka_unit_test(test_buf),
        cmocka_unit_test(test_byteorder),
        cmocka_unit_test(test_hash),
        cmocka_unit_test(test_counters),
        cmocka_unit_test(test_log_levels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
