/* fuzz-flowspace — libFuzzer target for the slicer's flowspace syntax
 * (lib/slice flowspace.h, slice.h): fs_entry_parse() ("dpid=any,
 * priority=100,perms=rw,dl_vlan=10-19,...") and fs_region_parse().
 *
 * Checks: a region that parses satisfies fs_region_check(); printing a
 * parsed entry or region and parsing the text again succeeds and prints
 * the same text (print and parse are inverses on their image) — else
 * abort(). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "slice/flowspace.h"
#include "slice/slice.h"
#include "util/log.h"
#include "util/util.h"

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
check_region(const char *s)
{
    struct fs_region r, again;
    char *err = NULL;
    if (fs_region_parse(s, &r, &err)) {
        free(err);
        return;
    }
    if (fs_region_check(&r, &err)) {
        fprintf(stderr, "parsed region '%s' fails its check: %s\n", s, err);
        abort();
    }
    char *text = fs_region_to_string(&r);
    if (fs_region_parse(text, &again, &err)) {
        fprintf(stderr, "printed region '%s' does not parse: %s\n", text, err);
        abort();
    }
    char *text2 = fs_region_to_string(&again);
    if (strcmp(text, text2)) {
        fprintf(stderr, "region print/parse not stable: '%s' -> '%s'\n",
                text, text2);
        abort();
    }
    free(text);
    free(text2);
}

static void
check_entry(const char *s)
{
    struct fs_entry e, again;
    char *err = NULL;
    if (fs_entry_parse(s, &e, &err)) {
        free(err);
        return;
    }
    char *text = fs_entry_to_string(&e);
    if (fs_entry_parse(text, &again, &err)) {
        fprintf(stderr, "printed entry '%s' does not parse: %s\n", text, err);
        abort();
    }
    char *text2 = fs_entry_to_string(&again);
    if (strcmp(text, text2)) {
        fprintf(stderr, "entry print/parse not stable: '%s' -> '%s'\n",
                text, text2);
        abort();
    }
    free(text);
    free(text2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = xstrndup((const char *) data, size);
    check_region(s);
    check_entry(s);
    free(s);
    return 0;
}
