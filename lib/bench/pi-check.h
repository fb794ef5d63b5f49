/* pi-check — verification of computed pi digits against reference data.
 *
 * The reference is a table of SHA-256 sums of the first N decimals of pi
 * (the digits after "3.", as ASCII) for N = 2^10 .. 2^25 and 10^3 .. 10^7,
 * computed once with MPFR's mpfr_const_pi (an independent method: MPFR
 * does not use the Chudnovsky series) by `bench/pi-vs-mpfr/pi-vs-mpfr
 * --checksums`, plus a few well-known digit runs (the decimals ending at
 * positions 10^6 ...).  bench_pi_verify() checks every entry that the
 * computed digits cover.
 *
 * Pure functions; thread-safe. */
#ifndef PLURAL_BENCH_PI_CHECK_H
#define PLURAL_BENCH_PI_CHECK_H 1

#include <stddef.h>
#include <stdint.h>

/* SHA-256 of the first n decimals of `pi_digits` ("3" then the decimals),
 * as 64 lowercase hex characters into hex[65]. */
void bench_pi_decimals_sha256(const char *pi_digits, uint64_t n, char hex[65]);

struct bench_pi_verdict {
    unsigned checked;           /* Reference entries covered and compared. */
    uint64_t largest_checked;   /* Largest N (decimals) covered by a check. */
    uint64_t first_bad;         /* 0, or the N of the first failed check. */
};

/* Verifies `pi_digits` ("3" + `decimals` decimals) against every reference
 * entry with N <= decimals.  Returns 0 if all covered entries match (even if
 * none is covered: see verdict->checked), -EILSEQ if one does not. */
int bench_pi_verify(const char *pi_digits, uint64_t decimals,
                    struct bench_pi_verdict *verdict);

#endif
