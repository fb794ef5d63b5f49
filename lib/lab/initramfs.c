/* initramfs — cpio newc writer and the lab guest's initramfs (see initramfs.h). */
#include "lab/initramfs.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "util/buf.h"
#include "util/util.h"

struct lab_cpio {
    FILE *out;
    uint32_t ino;
    int error;
};

struct lab_cpio *
lab_cpio_open(FILE *out)
{
    struct lab_cpio *c = xzalloc(sizeof *c);
    c->out = out;
    c->ino = 1;
    return c;
}

static void
pad4(struct lab_cpio *c, size_t len)
{
    static const char zeros[4];
    if (len % 4 && fwrite(zeros, 1, 4 - len % 4, c->out) != 4 - len % 4) {
        c->error = -EIO;
    }
}

static int
put_entry(struct lab_cpio *c, const char *name, unsigned int mode, const void *data,
          size_t len)
{
    size_t namesize = strlen(name) + 1;
    if (fprintf(c->out, "070701%08X%08X%08X%08X%08X%08X%08zX%08X%08X%08X%08X%08zX%08X",
                c->ino++, mode, 0u, 0u, (mode & S_IFMT) == S_IFDIR ? 2u : 1u, 0u, len,
                0u, 0u, 0u, 0u, namesize, 0u) != 110) {
        c->error = -EIO;
    }
    if (fwrite(name, 1, namesize, c->out) != namesize) {
        c->error = -EIO;
    }
    pad4(c, 110 + namesize);
    if (len && fwrite(data, 1, len, c->out) != len) {
        c->error = -EIO;
    }
    pad4(c, len);
    return c->error;
}

int
lab_cpio_dir(struct lab_cpio *c, const char *name, unsigned int mode)
{
    return put_entry(c, name, S_IFDIR | (mode & 07777), NULL, 0);
}

int
lab_cpio_file(struct lab_cpio *c, const char *name, unsigned int mode, const void *data,
              size_t len)
{
    return put_entry(c, name, S_IFREG | (mode & 07777), data, len);
}

int
lab_cpio_file_from(struct lab_cpio *c, const char *name, unsigned int mode,
                   const char *src_path)
{
    FILE *f = fopen(src_path, "rb");
    if (!f) {
        return -errno;
    }
    struct buf b;
    buf_init(&b, 65536);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        buf_put(&b, chunk, n);
    }
    int error = ferror(f) ? -EIO : 0;
    fclose(f);
    if (!error) {
        error = lab_cpio_file(c, name, mode, b.data, b.size);
    }
    buf_uninit(&b);
    return error;
}

int
lab_cpio_symlink(struct lab_cpio *c, const char *name, const char *target)
{
    return put_entry(c, name, S_IFLNK | 0777, target, strlen(target));
}

int
lab_cpio_close(struct lab_cpio *c)
{
    put_entry(c, "TRAILER!!!", 0, NULL, 0);
    int error = c->error;
    if (fflush(c->out)) {
        error = -EIO;
    }
    free(c);
    return error;
}

int
lab_kernel_find(char **pathp, char **versionp)
{
    const char *env = getenv("PLURAL_LAB_KERNEL");
    if (env && *env) {
        const char *base = strrchr(env, '/');
        base = base ? base + 1 : env;
        *pathp = xstrdup(env);
        *versionp = xstrdup(!strncmp(base, "vmlinuz-", 8) ? base + 8 : base);
        return access(env, R_OK) ? -errno : 0;
    }
    DIR *d = opendir("/boot");
    char *best = NULL;
    if (d) {
        struct dirent *de;
        while ((de = readdir(d))) {
            if (!strncmp(de->d_name, "vmlinuz-", 8)
                && (!best || strverscmp(de->d_name + 8, best) > 0)) {
                free(best);
                best = xstrdup(de->d_name + 8);
            }
        }
        closedir(d);
    }
    if (!best) {
        return -ENOENT;
    }
    *pathp = xasprintf("/boot/vmlinuz-%s", best);
    *versionp = best;
    return 0;
}

/* The guest's /init.  The agent protocol is described in vm.h. */
static const char init_script[] =
"#!/bin/busybox sh\n"
"/bin/busybox --install -s /bin\n"
"mount -t proc proc /proc\n"
"mount -t sysfs sysfs /sys\n"
"mount -t devtmpfs dev /dev 2>/dev/null\n"
"mkdir -p /tmp /run /var/run\n"
"mount -t tmpfs tmpfs /tmp\n"
"for m in $(cat /etc/modules.order); do insmod \"$m\" 2>/dev/null; done\n"
"ip link set lo up\n"
"exec </dev/ttyS0 >/dev/ttyS0 2>&1\n"
"stty -echo -onlcr 2>/dev/null\n"
"echo PLURAL-GUEST-READY\n"
"while read -r id cmd; do\n"
"  [ -n \"$id\" ] || continue\n"
"  sh -c \"$cmd\" >/tmp/.out 2>&1 </dev/null\n"
"  rc=$?\n"
"  echo \"PLURAL-BEGIN $id\"\n"
"  cat /tmp/.out\n"
"  echo \"PLURAL-END $id $rc\"\n"
"done\n"
"poweroff -f\n";

static int
run_lines(const char *cmd, char ***lines, size_t *n)
{
    FILE *p = popen(cmd, "r");
    if (!p) {
        return -errno;
    }
    char line[4096];
    while (fgets(line, sizeof line, p)) {
        line[strcspn(line, "\n")] = '\0';
        *lines = xrealloc(*lines, (*n + 1) * sizeof **lines);
        (*lines)[(*n)++] = xstrdup(line);
    }
    int status = pclose(p);
    return status == 0 ? 0 : -EIO;
}

static void
free_lines(char **lines, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(lines[i]);
    }
    free(lines);
}

/* Adds every directory of PATH (absolute, without the leading '/') that is
 * not yet in DIRS. */
static int
add_parents(struct lab_cpio *c, const char *path, char ***dirs, size_t *n_dirs)
{
    char *copy = xstrdup(path);
    int error = 0;
    for (char *slash = strchr(copy, '/'); slash && !error; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        bool seen = false;
        for (size_t i = 0; i < *n_dirs; i++) {
            seen |= !strcmp((*dirs)[i], copy);
        }
        if (!seen) {
            error = lab_cpio_dir(c, copy, 0755);
            *dirs = xrealloc(*dirs, (*n_dirs + 1) * sizeof **dirs);
            (*dirs)[(*n_dirs)++] = xstrdup(copy);
        }
        *slash = '/';
    }
    free(copy);
    return error;
}

/* Copies host file SRC (absolute) to the same path in the image, once. */
static int
add_host_file(struct lab_cpio *c, const char *src, char ***dirs, size_t *n_dirs,
              char ***files, size_t *n_files)
{
    for (size_t i = 0; i < *n_files; i++) {
        if (!strcmp((*files)[i], src)) {
            return 0;
        }
    }
    *files = xrealloc(*files, (*n_files + 1) * sizeof **files);
    (*files)[(*n_files)++] = xstrdup(src);
    int error = add_parents(c, src + 1, dirs, n_dirs);
    return error ? error : lab_cpio_file_from(c, src + 1, 0755, src);
}

int
lab_initramfs_build(const struct lab_initramfs_opts *opts, const char *out_path, char **errp)
{
    *errp = NULL;
    const char *busybox = "/bin/busybox";
    if (access(busybox, X_OK) < 0) {
        *errp = xstrdup("no /bin/busybox (Debian busybox-static)");
        return -ENOENT;
    }
    char *tmp = xasprintf("%s.tmp", out_path);
    FILE *out = fopen(tmp, "wb");
    if (!out) {
        int error = -errno;
        *errp = xasprintf("%s: %s", tmp, strerror(errno));
        free(tmp);
        return error;
    }
    struct lab_cpio *c = lab_cpio_open(out);
    char **dirs = NULL, **files = NULL, **mods = NULL;
    size_t n_dirs = 0, n_files = 0, n_mods = 0;
    static const char *const base_dirs[] = {
        "bin", "sbin", "usr", "usr/bin", "usr/sbin", "etc", "proc", "sys", "dev", "tmp",
        "lib", "lib64", "root",
    };
    for (size_t i = 0; i < ARRAY_SIZE(base_dirs); i++) {
        lab_cpio_dir(c, base_dirs[i], 0755);
        dirs = xrealloc(dirs, (n_dirs + 1) * sizeof *dirs);
        dirs[n_dirs++] = xstrdup(base_dirs[i]);
    }
    lab_cpio_file_from(c, "bin/busybox", 0755, busybox);
    lab_cpio_symlink(c, "bin/sh", "busybox");
    lab_cpio_file(c, "init", 0755, init_script, strlen(init_script));

    int error = 0;
    struct buf order;
    buf_init(&order, 1024);
    for (const char *const *m = opts->modules; m && *m && !error; m++) {
        char *cmd = xasprintf("modprobe -S '%s' --show-depends '%s' 2>&1",
                              opts->kernel_version, *m);
        size_t before = n_mods;
        if (run_lines(cmd, &mods, &n_mods)) {
            *errp = xasprintf("modprobe -S %s --show-depends %s failed (linux-image-amd64 "
                              "installed?)", opts->kernel_version, *m);
            error = -ENOENT;
        }
        free(cmd);
        for (size_t i = before; i < n_mods && !error; i++) {
            char *ko = strstr(mods[i], "insmod ");
            if (!ko) {
                continue;   /* "builtin NAME" */
            }
            ko += 7;
            ko[strcspn(ko, " ")] = '\0';
            size_t had = n_files;
            error = add_host_file(c, ko, &dirs, &n_dirs, &files, &n_files);
            if (n_files > had) {
                buf_printf(&order, "%s\n", ko);
            }
            if (error) {
                *errp = xasprintf("%s: %s", ko, strerror(-error));
            }
        }
    }
    lab_cpio_file(c, "etc/modules.order", 0644, order.data, order.size);
    buf_uninit(&order);

    for (const char *const *b = opts->binaries; b && *b && !error; b++) {
        char *real = realpath(*b, NULL);
        if (!real) {
            *errp = xasprintf("%s: %s", *b, strerror(errno));
            error = -ENOENT;
            break;
        }
        const char *base = strrchr(real, '/') + 1;
        char *dst = xasprintf("usr/bin/%s", base);
        error = lab_cpio_file_from(c, dst, 0755, real);
        free(dst);
        char **libs = NULL;
        size_t n_libs = 0;
        char *cmd = xasprintf("ldd '%s' 2>/dev/null", real);
        run_lines(cmd, &libs, &n_libs);
        free(cmd);
        for (size_t i = 0; i < n_libs && !error; i++) {
            char *p = strstr(libs[i], "=> /");
            p = p ? p + 3 : strchr(libs[i], '/');
            if (!p) {
                continue;
            }
            p[strcspn(p, " (")] = '\0';
            error = add_host_file(c, p, &dirs, &n_dirs, &files, &n_files);
        }
        free_lines(libs, n_libs);
        free(real);
    }
    int close_error = lab_cpio_close(c);
    error = error ? error : close_error;
    if (fclose(out) && !error) {
        error = -EIO;
    }
    if (!error && rename(tmp, out_path) < 0) {
        error = -errno;
    }
    if (error) {
        if (!*errp) {
            *errp = xasprintf("writing %s: %s", out_path, strerror(-error));
        }
        unlink(tmp);
    }
    free(tmp);
    free_lines(dirs, n_dirs);
    free_lines(files, n_files);
    free_lines(mods, n_mods);
    return error;
}
