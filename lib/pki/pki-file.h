/* pki-file — PEM files for lib/pki (internal to lib/pki).
 *
 * Writers put the object in "PATH.tmp" (created exclusively, mode 0600 for
 * keys and 0644 otherwise, set with fchmod so the umask cannot widen or
 * narrow it), fsync it and rename it to PATH.  Readers load the first
 * object of the kind from PATH.  All return 0 or negative errno with
 * *errp as in pki.h. */
#ifndef PLURAL_PKI_FILE_H
#define PLURAL_PKI_FILE_H 1

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "util/util.h"

/* Sets *errp (if errp) to a malloc'd message and returns `error`. */
int pki_error(char **errp, int error, const char *fmt, ...)
    PRINTF_FORMAT(3, 4);

/* Creates `dir` with mode 0700 if it does not exist (not its parents). */
int pki_mkdir(const char *dir, char **errp);
/* -EEXIST with a message if `path` exists, else 0. */
int pki_refuse_existing(const char *path, char **errp);

int pki_write_key(const char *path, EVP_PKEY *, char **errp);
int pki_write_cert(const char *path, X509 *, char **errp);
int pki_write_req(const char *path, X509_REQ *, char **errp);

int pki_read_key(const char *path, EVP_PKEY **, char **errp);
int pki_read_cert(const char *path, X509 **, char **errp);
int pki_read_req(const char *path, X509_REQ **, char **errp);

#endif
