/* state — the lab's record of what it made (see state.h). */
#include "lab/state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "util/clock.h"
#include "util/util.h"

static struct lab_state *
state_new(const char *run_dir)
{
    struct lab_state *st = xzalloc(sizeof *st);
    st->run_dir = xstrdup(run_dir);
    st->path = xasprintf("%s/state.json", run_dir);
    return st;
}

int
lab_state_create(const char *run_dir, const char *name, struct lab_state **stp)
{
    struct lab_state *st = state_new(run_dir);
    st->root = json_pack("{s:s, s:s, s:I, s:{}, s:[]}", "name", name, "run_dir", run_dir,
                         "created_ms", (json_int_t) clock_wall_ms(), "nodes", "objects");
    int error = lab_state_save(st);
    if (error) {
        lab_state_destroy(st);
        *stp = NULL;
        return error;
    }
    *stp = st;
    return 0;
}

int
lab_state_load(const char *run_dir, struct lab_state **stp)
{
    struct lab_state *st = state_new(run_dir);
    json_error_t jerr;
    *stp = NULL;
    if (access(st->path, F_OK) < 0) {
        int error = -errno;
        lab_state_destroy(st);
        return error;
    }
    st->root = json_load_file(st->path, 0, &jerr);
    if (!st->root || !json_is_array(json_object_get(st->root, "objects"))) {
        lab_state_destroy(st);
        return -EINVAL;
    }
    *stp = st;
    return 0;
}

int
lab_state_save(struct lab_state *st)
{
    char *tmp = xasprintf("%s.tmp", st->path);
    int error = 0;
    if (json_dump_file(st->root, tmp, JSON_INDENT(2) | JSON_SORT_KEYS) < 0) {
        error = -EIO;
    } else {
        int fd = open(tmp, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            fsync(fd);
            close(fd);
        }
        if (rename(tmp, st->path) < 0) {
            error = -errno;
        }
    }
    if (error) {
        unlink(tmp);
    }
    free(tmp);
    return error;
}

int
lab_state_add(struct lab_state *st, json_t *obj)
{
    json_array_append_new(json_object_get(st->root, "objects"), obj);
    return lab_state_save(st);
}

void
lab_state_remove(struct lab_state *st)
{
    unlink(st->path);
}

void
lab_state_destroy(struct lab_state *st)
{
    if (st) {
        json_decref(st->root);
        free(st->run_dir);
        free(st->path);
        free(st);
    }
}

json_t *
lab_state_node(struct lab_state *st, const char *name, int create)
{
    json_t *nodes = json_object_get(st->root, "nodes");
    json_t *node = json_object_get(nodes, name);
    if (!node && create) {
        node = json_object();
        json_object_set_new(nodes, name, node);
    }
    return node;
}
