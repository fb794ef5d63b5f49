/* pi — pi to D decimal digits with GMP: the Chudnovsky series summed by
 * binary splitting, one final integer square root and one division, and
 * GMP's subquadratic radix conversion to decimal.  Single-threaded (the
 * seed's Super PI workload).
 *
 *   pi = 426880 sqrt(10005) Q(0,N) / T(0,N),  N = D / 14.18... + 2 terms
 *
 * where P, Q, T are the usual binary-splitting products over terms [a, b);
 * the common prime factors of P(a,m) and Q(m,b) are divided out at each
 * merge (factorizations tracked with a sieve), which scales a node's whole
 * triple and leaves Q/T unchanged.
 * Everything is computed in integers scaled by 10^(D+G) with G guard
 * digits, so the digits are exact except for an astronomically unlikely
 * run of G nines/zeros at the cut, which bench_pi_compute() detects and
 * reports (-ERANGE) rather than returning a wrong digit.
 *
 * Digits are returned as a string "3" followed by D decimals (no point):
 * digits[1..D] are the decimals.  The verification data (pi-check.h) are
 * SHA-256 sums of the decimals, computed once with MPFR.
 *
 * Memory: about bench_pi_memory_estimate(D) bytes at peak; callers compare
 * that with MemAvailable before starting (bench_pi_check_memory()).
 * Thread-safety: reentrant; no global state. */
#ifndef PLURAL_BENCH_PI_H
#define PLURAL_BENCH_PI_H 1

#include <stdint.h>

#define BENCH_PI_ALGORITHM \
    "Chudnovsky series, binary splitting with common-factor removal, " \
    "integer sqrt and division, radix conversion (GMP)"

/* Largest digit count accepted at all (GMP's integer size limits). */
#define BENCH_PI_MAX_DIGITS (UINT64_C(1) << 36)

struct bench_pi_timing {
    double series_s;        /* Binary splitting. */
    double final_s;         /* sqrt and division. */
    double radix_s;         /* Conversion to decimal. */
};

/* Computes pi to `digits` >= 1 decimals.  On success returns 0 and a new
 * NUL-terminated string of digits + 1 characters in *out (caller frees);
 * `timing` may be NULL.  Returns -EINVAL for digits == 0 or above the limit,
 * -ERANGE if the guard digits could not settle the last digit. */
int bench_pi_compute(uint64_t digits, char **out, struct bench_pi_timing *timing);

/* Estimated peak memory, in bytes, for `digits` decimals. */
uint64_t bench_pi_memory_estimate(uint64_t digits);

/* MemAvailable from `meminfo_path` (normally /proc/meminfo), in bytes.
 * Returns 0 or -errno (-EINVAL if the field is missing). */
int bench_read_mem_available(const char *meminfo_path, uint64_t *bytes);

#endif
