/* ofp-samples — one or more valid, canonically encoded sample of every
 * OpenFlow 1.0 message type, built through the public constructors and
 * ofp_encode().  Shared by the unit tests, the interop sample printer
 * (ofp-encode-samples) and the fuzz corpus generator.
 *
 * ofp_samples_build() returns a heap array of samples; each owns its bytes.
 * Free with ofp_samples_free().  Not thread-safe (builds fresh data each
 * call, no globals). */
#ifndef PLURAL_OFP_SAMPLES_H
#define PLURAL_OFP_SAMPLES_H 1

#include <stddef.h>
#include <stdint.h>

struct ofp_sample {
    const char *name;           /* e.g. "flow_mod_add". */
    uint8_t type;               /* OFPT_*. */
    uint8_t *data;              /* Owned. */
    size_t len;
};

size_t ofp_samples_build(struct ofp_sample **samples);
void ofp_samples_free(struct ofp_sample *, size_t n);

#endif
