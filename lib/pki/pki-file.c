/* pki-file — PEM reading and writing (see pki-file.h). */
#include "pki/pki-file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>

int
pki_error(char **errp, int error, const char *fmt, ...)
{
    if (errp) {
        va_list args;
        va_start(args, fmt);
        *errp = xvasprintf(fmt, args);
        va_end(args);
    }
    return error;
}

/* The oldest queued OpenSSL error as text; clears the queue. */
static const char *
openssl_reason(char *buf, size_t size)
{
    unsigned long e = ERR_get_error();
    if (e) {
        ERR_error_string_n(e, buf, size);
    } else {
        snprintf(buf, size, "no PEM object of the expected kind");
    }
    ERR_clear_error();
    return buf;
}

int
pki_mkdir(const char *dir, char **errp)
{
    if (mkdir(dir, 0700) && errno != EEXIST) {
        int error = -errno;
        return pki_error(errp, error, "%s: %s", dir, strerror(-error));
    }
    struct stat st;
    if (stat(dir, &st)) {
        int error = -errno;
        return pki_error(errp, error, "%s: %s", dir, strerror(-error));
    }
    if (!S_ISDIR(st.st_mode)) {
        return pki_error(errp, -ENOTDIR, "%s: not a directory", dir);
    }
    return 0;
}

int
pki_refuse_existing(const char *path, char **errp)
{
    struct stat st;
    if (!lstat(path, &st)) {
        return pki_error(errp, -EEXIST, "%s exists (use --force to replace "
                         "it)", path);
    }
    return 0;
}

enum pem_kind { PEM_KEY, PEM_CERT, PEM_REQ };

static int
write_pem(const char *path, enum pem_kind kind, void *object, char **errp)
{
    char *tmp = xasprintf("%s.tmp", path);
    mode_t mode = kind == PEM_KEY ? 0600 : 0644;
    int error = 0;
    unlink(tmp);                    /* Left by a crash. */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
                  0600);
    if (fd < 0 || fchmod(fd, mode)) {
        error = -errno;
        pki_error(errp, error, "%s: %s", tmp, strerror(-error));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(tmp);
        return error;
    }
    FILE *f = fdopen(fd, "w");
    BUG_ON(!f);
    int ok;
    switch (kind) {
    case PEM_KEY:
        ok = PEM_write_PrivateKey(f, object, NULL, NULL, 0, NULL, NULL);
        break;
    case PEM_CERT:
        ok = PEM_write_X509(f, object);
        break;
    case PEM_REQ:
    default:
        ok = PEM_write_X509_REQ(f, object);
        break;
    }
    if (ok != 1 || fflush(f) || fsync(fd)) {
        char text[256];
        error = errno ? -errno : -EIO;
        pki_error(errp, error, "%s: %s", tmp, ok != 1
                  ? openssl_reason(text, sizeof text) : strerror(-error));
    }
    if (fclose(f) && !error) {
        error = -errno;
        pki_error(errp, error, "%s: %s", tmp, strerror(-error));
    }
    if (!error && rename(tmp, path)) {
        error = -errno;
        pki_error(errp, error, "%s: %s", path, strerror(-error));
    }
    if (error) {
        unlink(tmp);
    }
    free(tmp);
    return error;
}

int pki_write_key(const char *path, EVP_PKEY *key, char **errp)
{ return write_pem(path, PEM_KEY, key, errp); }
int pki_write_cert(const char *path, X509 *cert, char **errp)
{ return write_pem(path, PEM_CERT, cert, errp); }
int pki_write_req(const char *path, X509_REQ *req, char **errp)
{ return write_pem(path, PEM_REQ, req, errp); }

static int
read_pem(const char *path, enum pem_kind kind, void **objectp, char **errp)
{
    *objectp = NULL;
    FILE *f = fopen(path, "re");
    if (!f) {
        int error = -errno;
        return pki_error(errp, error, "%s: %s", path, strerror(-error));
    }
    ERR_clear_error();
    switch (kind) {
    case PEM_KEY:
        *objectp = PEM_read_PrivateKey(f, NULL, NULL, NULL);
        break;
    case PEM_CERT:
        *objectp = PEM_read_X509(f, NULL, NULL, NULL);
        break;
    case PEM_REQ:
    default:
        *objectp = PEM_read_X509_REQ(f, NULL, NULL, NULL);
        break;
    }
    fclose(f);
    if (!*objectp) {
        char text[256];
        static const char *const what[] = { "private key", "certificate",
                                            "certificate request" };
        return pki_error(errp, -EINVAL, "%s: not a PEM %s (%s)", path,
                         what[kind], openssl_reason(text, sizeof text));
    }
    return 0;
}

int pki_read_key(const char *path, EVP_PKEY **keyp, char **errp)
{ return read_pem(path, PEM_KEY, (void **) keyp, errp); }
int pki_read_cert(const char *path, X509 **certp, char **errp)
{ return read_pem(path, PEM_CERT, (void **) certp, errp); }
int pki_read_req(const char *path, X509_REQ **reqp, char **errp)
{ return read_pem(path, PEM_REQ, (void **) reqp, errp); }
