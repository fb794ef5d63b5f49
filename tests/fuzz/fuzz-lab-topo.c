/* fuzz-lab-topo — libFuzzer target for the lab's topology files (lib/lab
 * topo.h: lab_topo_parse(), YAML through libyaml and yaml-tree.c).
 *
 * Checks (ASan/UBSan): any text either parses, with every link endpoint
 * naming an existing node, or fails with a negative errno and a message;
 * the topology is always freed cleanly. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "lab/topo.h"
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct lab_topo *topo = NULL;
    char *err = NULL;
    int error = lab_topo_parse("fuzz.yaml", (const char *) data, size, &topo,
                               &err);
    if (error) {
        if (error > 0 || !err) {
            fprintf(stderr, "lab_topo_parse: %d without a message\n", error);
            abort();
        }
        free(err);
        return 0;
    }
    for (size_t i = 0; i < topo->n_links; i++) {
        for (int e = 0; e < 2; e++) {
            if (topo->links[i].ep[e].node >= topo->n_nodes) {
                fprintf(stderr, "link %zu names node %zu of %zu\n", i,
                        topo->links[i].ep[e].node, topo->n_nodes);
                abort();
            }
        }
    }
    lab_topo_destroy(topo);
    return 0;
}
