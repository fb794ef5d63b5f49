/* Randomized robustness test: mutates every valid sample many times
 * (byte flips, truncation, extension, random length fields, spliced
 * garbage) and decodes the result from an exact-size heap buffer, so that
 * ASan (make check's second build) catches any out-of-bounds read.  When a
 * mutant decodes, it must re-encode, print, and decode again.
 * Seeded deterministically; OFP_RANDOM_SEED overrides the seed and
 * OFP_RANDOM_ROUNDS the mutations per sample. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ofp-samples.h"
#include "ofp/ofp-msgs.h"
#include "ofp/ofp-print.h"
#include "util/buf.h"
#include "util/util.h"

static uint64_t rng_state;

static uint32_t
rng(void)
{
    /* xorshift64*. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t) ((rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}

static size_t
mutate(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
    size_t n = MIN(len, cap);
    int kind = (int) (rng() % 6);

    memcpy(out, in, n);
    switch (kind) {
    case 0:     /* Flip 1-4 random bytes. */
        for (int i = 0, k = 1 + (int) (rng() % 4); i < k && n; i++) {
            out[rng() % n] ^= (uint8_t) (1 + rng() % 255);
        }
        break;
    case 1:     /* Truncate, keeping the header's length. */
        n = rng() % (n + 1);
        break;
    case 2:     /* Truncate and fix the length field to match. */
        n = rng() % (n + 1);
        if (n >= 4) {
            out[2] = (uint8_t) (n >> 8);
            out[3] = (uint8_t) n;
        }
        break;
    case 3:     /* Random length field. */
        if (n >= 4) {
            uint16_t l = (uint16_t) rng();
            if (rng() % 2) {
                l = (uint16_t) (l % (n + 16));
            }
            out[2] = (uint8_t) (l >> 8);
            out[3] = (uint8_t) l;
        }
        break;
    case 4:     /* Append garbage and claim it. */
        while (n < cap && rng() % 8) {
            out[n++] = (uint8_t) rng();
        }
        if (n >= 4) {
            out[2] = (uint8_t) (n >> 8);
            out[3] = (uint8_t) n;
        }
        break;
    default:    /* Overwrite a 16-bit field past the header (lengths, types). */
        if (n > 9) {
            size_t at = 8 + rng() % (n - 9);
            uint16_t v = (uint16_t) (rng() % 3 ? rng() % 256 : rng());
            out[at] = (uint8_t) (v >> 8);
            out[at + 1] = (uint8_t) v;
        }
        break;
    }
    return n;
}

static void
test_mutations(void **state)
{
    const char *seed_env = getenv("OFP_RANDOM_SEED");
    const char *rounds_env = getenv("OFP_RANDOM_ROUNDS");
    size_t rounds = rounds_env ? strtoul(rounds_env, NULL, 0) : 3000;
    struct ofp_sample *s;
    size_t n = ofp_samples_build(&s);
    size_t decoded = 0, rejected = 0;
    uint8_t scratch[2048];

    (void) state;
    rng_state = seed_env ? strtoull(seed_env, NULL, 0) : 0x9e3779b97f4a7c15ULL;
    if (!rng_state) {
        rng_state = 1;
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t r = 0; r < rounds; r++) {
            size_t len = mutate(s[i].data, s[i].len, scratch, sizeof scratch);
            uint8_t *copy = xmalloc(len ? len : 1);
            struct ofp_msg msg, again;
            struct ofp_error err;

            memcpy(copy, scratch, len);
            if (ofp_decode(copy, len, &msg, &err) == 0) {
                struct buf out;
                char *text;

                decoded++;
                buf_init(&out, 64);
                ofp_encode(&msg, &out);
                text = ofp_msg_to_string(&msg);
                assert_non_null(text);
                free(text);
                if (ofp_decode(out.data, out.size, &again, &err)) {
                    fail_msg("%s round %zu: re-encoded message fails to decode "
                             "(type %u code %u)", s[i].name, r, err.type, err.code);
                }
                ofp_msg_uninit(&again);
                buf_uninit(&out);
                ofp_msg_uninit(&msg);
            } else {
                rejected++;
                assert_true(ofp_error_is_known(err));
            }
            /* The printer must cope with anything, too. */
            free(ofp_to_string(copy, len, 1));
            free(copy);
        }
    }
    print_message("%zu samples x %zu mutations: %zu decoded, %zu rejected\n",
                  n, rounds, decoded, rejected);
    assert_true(decoded > 0 && rejected > 0);
    ofp_samples_free(s, n);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
