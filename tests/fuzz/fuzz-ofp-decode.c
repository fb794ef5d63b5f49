/* fuzz-ofp-decode — libFuzzer target for the OpenFlow 1.0 decoder.
 *
 * Decodes the input; when it decodes, re-encodes it, prints it, and decodes
 * the re-encoding again, which must succeed (our own encoding of a message
 * we accepted is always valid) — otherwise abort() so the fuzzer reports
 * it.  The raw input also goes through ofp_to_string(), which must cope
 * with anything.  Built as a libFuzzer binary with -Dfuzz=true (clang) and
 * always as a corpus replayer (fuzz-replay.c) run by `meson test`. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ofp/ofp-msgs.h"
#include "ofp/ofp-print.h"
#include "util/buf.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void) argc;
    (void) argv;
    log_set_level("ALL", LOG_LEVEL_OFF);    /* Peer-garbage warnings. */
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ofp_msg msg, again;
    struct ofp_error err;

    if (ofp_decode(data, size, &msg, &err) == 0) {
        struct buf out;
        char *text;

        buf_init(&out, 64);
        ofp_encode(&msg, &out);
        text = ofp_msg_to_string(&msg);
        if (ofp_decode(out.data, out.size, &again, &err)) {
            fprintf(stderr, "re-encoded %s does not decode: type %u code %u\n",
                    ofp_type_name(msg.type), err.type, err.code);
            abort();
        }
        if (again.type != msg.type || again.xid != msg.xid) {
            fprintf(stderr, "re-encoding changed type or xid\n");
            abort();
        }
        ofp_msg_uninit(&again);
        free(text);
        buf_uninit(&out);
        ofp_msg_uninit(&msg);
    } else if (!ofp_error_is_known(err)) {
        fprintf(stderr, "decode failed with an undefined error %u/%u\n",
                err.type, err.code);
        abort();
    }
    free(ofp_to_string(data, size, 1));
    return 0;
}
