/* state — what a running lab made, recorded before each object is made.
 *
 * RUN_DIR/state.json holds the lab's name, its nodes (kind, namespace,
 * cgroups, control paths) and the list of objects in creation order:
 *   {"type":"netns","name":NS}           {"type":"link","netns":NS,"name":IF}
 *   {"type":"cgroup","path":DIR}         {"type":"process","pid":N,"start":T,...}
 * lab_state_add() appends an object and rewrites the file atomically
 * (write + rename) before the caller creates the object, so after a crash
 * `lab down` still knows everything that may exist; objects that were
 * recorded but never made are simply not found when removed.
 *
 * One process writes a lab's state at a time (the `up` that made it or the
 * `down` that removes it). */
#ifndef PLURAL_LAB_STATE_H
#define PLURAL_LAB_STATE_H 1

#include <jansson.h>

struct lab_state {
    char *run_dir;
    char *path;                /* RUN_DIR/state.json */
    json_t *root;              /* {"name", "nodes": {...}, "objects": [...]} */
};

/* A new, empty state for lab NAME in RUN_DIR (written at once). */
int lab_state_create(const char *run_dir, const char *name, struct lab_state **);

/* Loads RUN_DIR/state.json; -ENOENT if there is no lab there. */
int lab_state_load(const char *run_dir, struct lab_state **);

/* Appends OBJ (reference stolen) to the objects and saves. */
int lab_state_add(struct lab_state *, json_t *obj);

/* Writes the state file (atomically). */
int lab_state_save(struct lab_state *);

/* Removes the state file. */
void lab_state_remove(struct lab_state *);

void lab_state_destroy(struct lab_state *);

/* Node NAME's record ({"kind", "netns", ...}), created if CREATE. */
json_t *lab_state_node(struct lab_state *, const char *name, int create);

#endif
