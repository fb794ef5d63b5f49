/* fuzz-slice-config — libFuzzer target for the slicer's JSON slice
 * definitions (lib/slice slice.h: the config file, state file and control
 * socket form).  The input is parsed as JSON; an object is read with
 * slice_def_from_json(), an array element by element, and {"slices": [...]}
 * as a config file would be.
 *
 * Check: a definition that was accepted, written back with
 * slice_def_to_json() and read again, is accepted and writes back to the
 * same JSON — else abort(). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "slice/slice.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void) argc;
    (void) argv;
    log_set_level("ALL", LOG_LEVEL_OFF);
    return 0;
}

static void
check_slice(const json_t *j)
{
    struct slice_def *def = NULL, *again = NULL;
    char *err = NULL;
    if (slice_def_from_json(j, &def, &err)) {
        free(err);
        return;
    }
    json_t *out = slice_def_to_json(def);
    if (slice_def_from_json(out, &again, &err)) {
        char *text = json_dumps(out, JSON_COMPACT);
        fprintf(stderr, "written slice %s does not read back: %s\n", text, err);
        abort();
    }
    json_t *out2 = slice_def_to_json(again);
    if (!json_equal(out, out2)) {
        char *a = json_dumps(out, JSON_COMPACT), *b = json_dumps(out2, JSON_COMPACT);
        fprintf(stderr, "slice JSON not stable: %s -> %s\n", a, b);
        abort();
    }
    json_decref(out);
    json_decref(out2);
    slice_def_destroy(def);
    slice_def_destroy(again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t jerr;
    json_t *j = json_loadb((const char *) data, size, JSON_DECODE_ANY
                           | JSON_REJECT_DUPLICATES, &jerr);
    if (!j) {
        return 0;
    }
    const json_t *list = json_is_object(j) ? json_object_get(j, "slices") : j;
    if (json_is_array(list)) {
        size_t i;
        const json_t *v;
        json_array_foreach(list, i, v) {
            check_slice(v);
        }
    }
    check_slice(j);
    json_decref(j);
    return 0;
}
