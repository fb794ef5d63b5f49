/* slicer-state — the slices in a JSON file: the configuration file read
 * at start and the state file rewritten after every change (written to
 * PATH.tmp, fsync'd, then renamed, so a crash leaves the old or the new
 * file, never half of one). */
#include "slicer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "util/util.h"

int
slicer_state_save(const struct slicer *s, const char *path, char **errp)
{
    json_t *slices = json_array();
    for (size_t i = 0; i < slicer_n_slices(s); i++) {
        json_t *j = slice_def_to_json(slicer_slice_at(s, i)->def);
        json_object_del(j, "vlans");        /* Derived. */
        json_array_append_new(slices, j);
    }
    json_t *root = json_pack("{s:o}", "slices", slices);
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    char *tmp = xasprintf("%s.tmp", path);
    int error = 0;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        error = -errno;
    } else {
        size_t len = strlen(text), done = 0;
        while (done < len) {
            ssize_t n = write(fd, text + done, len - done);
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                error = -errno;
                break;
            }
            done += (size_t) n;
        }
        if (!error && (write(fd, "\n", 1) != 1 || fsync(fd))) {
            error = -errno;
        }
        if (close(fd) && !error) {
            error = -errno;
        }
        if (!error && rename(tmp, path)) {
            error = -errno;
        }
    }
    if (error) {
        *errp = xasprintf("cannot write state file %s: %s", path, strerror(-error));
        unlink(tmp);
    }
    free(tmp);
    free(text);
    return error;
}

int
slicer_state_load(const char *path, struct slice_def ***defsp, size_t *np,
                  char **errp)
{
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    *defsp = NULL;
    *np = 0;
    if (!root) {
        *errp = xasprintf("%s:%d: %s", path, jerr.line, jerr.text);
        return -EINVAL;
    }
    json_t *slices = json_object_get(root, "slices");
    if (!json_is_array(slices)) {
        *errp = xasprintf("%s: expected {\"slices\": [...]}", path);
        json_decref(root);
        return -EINVAL;
    }
    size_t n = json_array_size(slices);
    struct slice_def **defs = xcalloc(n + 1, sizeof *defs);
    for (size_t i = 0; i < n; i++) {
        char *err = NULL;
        int error = slice_def_from_json(json_array_get(slices, i), &defs[i], &err);
        if (error) {
            *errp = xasprintf("%s: %s", path, err);
            free(err);
            for (size_t k = 0; k < i; k++) {
                slice_def_destroy(defs[k]);
            }
            free(defs);
            json_decref(root);
            return error;
        }
    }
    json_decref(root);
    *defsp = defs;
    *np = n;
    return 0;
}
