/* Unit tests: port spec parsing and port_open() errors that need no root. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "dp/port.h"

static void
expect_spec(const char *spec, const char *type, const char *name)
{
    char t[16], n[16];
    assert_int_equal(port_parse_spec(spec, t, n), 0);
    assert_string_equal(t, type);
    assert_string_equal(n, name);
}

static void
test_valid_specs(void **state)
{
    (void) state;
    expect_spec("veth0", "afpacket", "veth0");
    expect_spec("afpacket:veth0", "afpacket", "veth0");
    expect_spec("tap:vm1", "tap", "vm1");
    expect_spec("dummy:p1", "dummy", "p1");
    expect_spec("dummy:a.b-c_d@1", "dummy", "a.b-c_d@1");
    expect_spec("dummy:123456789012345", "dummy", "123456789012345");  /* 15 */
}

static void
test_invalid_specs(void **state)
{
    (void) state;
    static const char *const bad[] = {
        "", ":", "dummy:", ":p1", "bogus:p1", "afpacket:", "veth0:",
        "dummy:1234567890123456",       /* 16 characters: too long */
        "dummy:a/b", "dummy:a b", "dummy:a\tb", "dummy:a:b", "dummy:.",
        "dummy:..", "averyveryverylongtype:p1", "Dummy:p1",
    };
    char t[16], n[16];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (port_parse_spec(bad[i], t, n) != -EINVAL) {
            fail_msg("spec \"%s\" should be rejected", bad[i]);
        }
    }
    assert_int_equal(port_parse_spec(NULL, t, n), -EINVAL);
}

static void
test_open_errors(void **state)
{
    (void) state;
    struct port *port = (struct port *) &port;
    assert_int_equal(port_open("bogus:x", &port), -EINVAL);
    assert_null(port);
    assert_int_equal(port_open("dummy:", &port), -EINVAL);
    assert_null(port);
    /* An interface that cannot exist: ENODEV before any privilege check. */
    assert_int_equal(port_open("afpacket:nosuchif9z", &port), -ENODEV);
    assert_null(port);
    assert_int_equal(port_open("nosuchif9z", &port), -ENODEV);
    port_close(NULL);
}

static void
test_open_dummy_names(void **state)
{
    (void) state;
    struct port *port;
    assert_int_equal(port_open("dummy:p1", &port), 0);
    assert_string_equal(port_name(port), "p1");
    assert_string_equal(port_type(port), "dummy");
    port_close(port);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_specs),
        cmocka_unit_test(test_invalid_specs),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_open_dummy_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
