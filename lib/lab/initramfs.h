/* initramfs — builds a lab guest's initramfs (cpio "newc", uncompressed).
 *
 * Contents: busybox (static) with its applets as symlinks, the kernel
 * modules a NIC model needs in load order (from `modprobe -S VERSION
 * --show-depends MOD`; Debian's modules are uncompressed .ko files loaded
 * by busybox insmod), extra host binaries with the shared libraries `ldd`
 * lists (so `plural bench` runs inside the guest), and /init: it mounts
 * /proc, /sys, /dev, loads the modules and runs the control agent on
 * ttyS0 (see vm.h for the protocol).
 *
 * The cpio writer (lab_cpio_*) is independent and unit-tested. */
#ifndef PLURAL_LAB_INITRAMFS_H
#define PLURAL_LAB_INITRAMFS_H 1

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct lab_cpio;

struct lab_cpio *lab_cpio_open(FILE *);
/* Entries; parent directories must be added first.  0 or -errno. */
int lab_cpio_dir(struct lab_cpio *, const char *name, unsigned int mode);
int lab_cpio_file(struct lab_cpio *, const char *name, unsigned int mode,
                  const void *data, size_t len);
int lab_cpio_file_from(struct lab_cpio *, const char *name, unsigned int mode,
                       const char *src_path);
int lab_cpio_symlink(struct lab_cpio *, const char *name, const char *target);
/* Writes the trailer and frees C (not the FILE).  0 or -EIO. */
int lab_cpio_close(struct lab_cpio *);

struct lab_initramfs_opts {
    const char *kernel_version;   /* e.g. "6.1.0-56-amd64". */
    const char *const *modules;   /* Module names, NULL-terminated. */
    const char *const *binaries;  /* Host paths copied to /usr/bin, NULL-terminated. */
};

/* Writes the initramfs to OUT_PATH.  On error, *errp says why. */
int lab_initramfs_build(const struct lab_initramfs_opts *, const char *out_path, char **errp);

/* The newest /boot/vmlinuz-VERSION (or $PLURAL_LAB_KERNEL): path and
 * version (caller frees both).  -ENOENT if there is none. */
int lab_kernel_find(char **path, char **version);

#endif
