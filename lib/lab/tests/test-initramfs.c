/* Unit tests for the cpio "newc" writer: entries read back field by field
 * (magic, mode, size, name size, 4-byte alignment, trailer), plus the
 * kernel lookup with $PLURAL_LAB_KERNEL. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lab/initramfs.h"

struct entry {
    char name[64];
    unsigned int mode;
    size_t size;
    const char *data;
};

static unsigned long
hex8(const char *p)
{
    char tmp[9];
    memcpy(tmp, p, 8);
    tmp[8] = '\0';
    return strtoul(tmp, NULL, 16);
}

/* Parses the archive in BUF; returns the number of entries (trailer incl.). */
static size_t
parse(const char *buf, size_t len, struct entry *out, size_t max)
{
    size_t off = 0, n = 0;
    while (off + 110 <= len && n < max) {
        assert_memory_equal(buf + off, "070701", 6);
        assert_int_equal(off % 4, 0);
        struct entry *e = &out[n++];
        e->mode = hex8(buf + off + 14);
        e->size = hex8(buf + off + 54);
        size_t namesize = hex8(buf + off + 94);
        assert_true(namesize > 0 && namesize <= sizeof e->name);
        memcpy(e->name, buf + off + 110, namesize);
        assert_int_equal(e->name[namesize - 1], '\0');
        off += 110 + namesize;
        off = (off + 3) & ~(size_t) 3;
        e->data = buf + off;
        off += e->size;
        off = (off + 3) & ~(size_t) 3;
        if (!strcmp(e->name, "TRAILER!!!")) {
            assert_int_equal(off, len);
            break;
        }
    }
    return n;
}

static void
test_cpio_roundtrip(void **state)
{
    (void) state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct lab_cpio *c = lab_cpio_open(f);
    assert_int_equal(lab_cpio_dir(c, "bin", 0755), 0);
    assert_int_equal(lab_cpio_file(c, "init", 0755, "#!/bin/sh\n", 10), 0);
    assert_int_equal(lab_cpio_symlink(c, "bin/sh", "busybox"), 0);
    assert_int_equal(lab_cpio_file(c, "empty", 0644, NULL, 0), 0);
    assert_int_equal(lab_cpio_file_from(c, "x", 0600, "/nonexistent/file"), -ENOENT);
    assert_int_equal(lab_cpio_close(c), 0);
    fclose(f);

    struct entry e[8];
    size_t n = parse(buf, len, e, 8);
    assert_int_equal(n, 5);
    assert_string_equal(e[0].name, "bin");
    assert_int_equal(e[0].mode, S_IFDIR | 0755);
    assert_string_equal(e[1].name, "init");
    assert_int_equal(e[1].mode, S_IFREG | 0755);
    assert_int_equal(e[1].size, 10);
    assert_memory_equal(e[1].data, "#!/bin/sh\n", 10);
    assert_string_equal(e[2].name, "bin/sh");
    assert_int_equal(e[2].mode & S_IFMT, S_IFLNK);
    assert_int_equal(e[2].size, 7);
    assert_memory_equal(e[2].data, "busybox", 7);
    assert_string_equal(e[3].name, "empty");
    assert_int_equal(e[3].size, 0);
    assert_string_equal(e[4].name, "TRAILER!!!");
    free(buf);
}

static void
test_cpio_file_from(void **state)
{
    (void) state;
    char path[] = "/tmp/test-initramfs.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    char data[5000];
    for (size_t i = 0; i < sizeof data; i++) {
        data[i] = (char) (i * 7);
    }
    assert_int_equal(write(fd, data, sizeof data), sizeof data);
    close(fd);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct lab_cpio *c = lab_cpio_open(f);
    assert_int_equal(lab_cpio_file_from(c, "usr/bin/x", 0755, path), 0);
    assert_int_equal(lab_cpio_close(c), 0);
    fclose(f);
    unlink(path);
    struct entry e[4];
    assert_int_equal(parse(buf, len, e, 4), 2);
    assert_int_equal(e[0].size, sizeof data);
    assert_memory_equal(e[0].data, data, sizeof data);
    free(buf);
}

static void
test_kernel_env(void **state)
{
    (void) state;
    char *path, *version;
    setenv("PLURAL_LAB_KERNEL", "/nonexistent/vmlinuz-9.9.9-test", 1);
    assert_int_equal(lab_kernel_find(&path, &version), -ENOENT);
    assert_string_equal(version, "9.9.9-test");
    free(path);
    free(version);
    unsetenv("PLURAL_LAB_KERNEL");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cpio_roundtrip),
        cmocka_unit_test(test_cpio_file_from),
        cmocka_unit_test(test_kernel_env),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
