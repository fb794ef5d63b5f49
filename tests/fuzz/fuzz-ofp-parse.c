/* fuzz-ofp-parse — libFuzzer target for the ovs-ofctl flow-syntax parser.
 *
 * Parses the input as a flow; when it parses, prints match and actions and
 * parses that text again, which must succeed and give the same match and
 * actions (print and parse are inverses) — otherwise abort(). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ofp/ofp-parse.h"
#include "ofp/ofp-print.h"
#include "util/buf.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = xstrndup((const char *) data, size);
    struct ofp_flow_spec a, b;
    char *err = NULL;

    if (ofp_parse_flow(s, &a, &err) == 0) {
        struct buf text;

        buf_init(&text, 64);
        buf_printf(&text, "priority=%u", a.priority);
        if (!ofp_match_is_catchall(&a.match)) {
            buf_put_u8(&text, ',');
            ofp_match_format(&a.match, &text);
        }
        buf_printf(&text, " actions=");
        ofp_actions_format(a.actions, a.n_actions, &text);
        if (ofp_parse_flow(buf_cstr(&text), &b, &err)) {
            fprintf(stderr, "printed flow '%s' does not parse: %s\n",
                    buf_cstr(&text), err);
            abort();
        }
        if (!ofp_match_equal(&a.match, &b.match) || a.priority != b.priority
            || !ofp_actions_equal(a.actions, a.n_actions, b.actions, b.n_actions)) {
            fprintf(stderr, "print/parse changed the flow: '%s'\n", buf_cstr(&text));
            abort();
        }
        ofp_flow_spec_uninit(&a);
        ofp_flow_spec_uninit(&b);
        buf_uninit(&text);
    } else {
        free(err);
    }
    free(s);
    return 0;
}
