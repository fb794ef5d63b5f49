/* fuzz-router-config — libFuzzer target for the router app's configuration
 * file (apps/router router-config.h: router_config_parse()).
 *
 * Checks (ASan/UBSan): any text either parses or fails with -EINVAL and a
 * message; the configuration is always freed cleanly.  A parsed route is
 * resolved against the interfaces, as the app does at start. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "router/router-config.h"
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = xstrndup((const char *) data, size);
    struct router_config cfg;
    char *err = NULL;
    int error = router_config_parse("fuzz.conf", text, &cfg, &err);
    if (error) {
        if (error >= 0 || !err) {
            fprintf(stderr, "router_config_parse: %d without a message\n",
                    error);
            abort();
        }
        free(err);
    } else {
        for (size_t i = 0; i < cfg.n_routes; i++) {
            struct router_route_cfg r = cfg.routes[i];
            if (router_config_resolve_route(&cfg, &r, NULL, &err)) {
                free(err);
                err = NULL;
            }
        }
    }
    router_config_uninit(&cfg);
    free(text);
    return 0;
}
