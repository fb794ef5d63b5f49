/* pi — Chudnovsky with binary splitting on GMP (see pi.h). */
#include "bench/pi.h"

#include <errno.h>
#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/clock.h"
#include "util/util.h"

/* Decimal digits each term adds: log10(640320^3 / 12^3 ...) = 14.1816474627... */
#define DIGITS_PER_TERM 14.181647462725477
#define GUARD_DIGITS 20

/* 640320^3 / 24 fits in 64 bits. */
static const uint64_t C3_OVER_24 = UINT64_C(10939058860032000);
static const uint32_t A = 13591409;
static const uint32_t B = 545140134;

/* Recursion state: one (P, Q, T) triple per level, reused. */
struct split_level {
    mpz_t p, q, t;
};

struct splitter {
    struct split_level *levels;
    size_t n_levels;
};

/* Computes P(a,b), Q(a,b), T(a,b) into the triple of `depth`, using deeper
 * levels for the right half.  P is skipped when !need_p (the rightmost
 * branch: the top-level P is never used). */
static void
split(struct splitter *s, size_t depth, uint64_t a, uint64_t b, bool need_p)
{
    struct split_level *l = &s->levels[depth];
    if (b - a == 1) {
        if (a == 0) {
            mpz_set_ui(l->p, 1);
            mpz_set_ui(l->q, 1);
        } else {
            /* P = (6a-5)(2a-1)(6a-1); Q = a^3 C^3/24. */
            mpz_set_ui(l->p, 6 * a - 5);
            mpz_mul_ui(l->p, l->p, 2 * a - 1);
            mpz_mul_ui(l->p, l->p, 6 * a - 1);
            mpz_set_ui(l->q, a);
            mpz_mul_ui(l->q, l->q, a);
            mpz_mul_ui(l->q, l->q, a);
            mpz_mul_ui(l->q, l->q, C3_OVER_24);
        }
        /* T = P (A + B a) (-1)^a. */
        mpz_set_ui(l->t, B);
        mpz_mul_ui(l->t, l->t, a);
        mpz_add_ui(l->t, l->t, A);
        mpz_mul(l->t, l->t, l->p);
        if (a & 1) {
            mpz_neg(l->t, l->t);
        }
        return;
    }
    uint64_t m = a + (b - a) / 2;
    struct split_level *r = &s->levels[depth + 1];
    split(s, depth + 1, m, b, need_p);
    /* Park the right half in the level's own temporaries while the left
     * half reuses depth + 1: swap is O(1). */
    mpz_t rp, rq, rt;
    mpz_init(rp);
    mpz_init(rq);
    mpz_init(rt);
    mpz_swap(rp, r->p);
    mpz_swap(rq, r->q);
    mpz_swap(rt, r->t);
    split(s, depth + 1, a, m, true);
    /* T = T1 Q2 + P1 T2;  Q = Q1 Q2;  P = P1 P2. */
    mpz_mul(l->t, r->t, rq);
    mpz_mul(rt, r->p, rt);
    mpz_add(l->t, l->t, rt);
    mpz_mul(l->q, r->q, rq);
    if (need_p) {
        mpz_mul(l->p, r->p, rp);
    }
    mpz_clear(rp);
    mpz_clear(rq);
    mpz_clear(rt);
}

static double
seconds_since(uint64_t start_ns)
{
    return (clock_now_ns() - start_ns) / 1e9;
}

int
bench_pi_compute(uint64_t digits, char **out, struct bench_pi_timing *timing)
{
    *out = NULL;
    if (!digits || digits > BENCH_PI_MAX_DIGITS) {
        return -EINVAL;
    }
    uint64_t scaled_digits = digits + GUARD_DIGITS;
    uint64_t terms = (uint64_t) (scaled_digits / DIGITS_PER_TERM) + 2;

    uint64_t t0 = clock_now_ns();
    struct splitter s;
    s.n_levels = 2;
    for (uint64_t n = terms; n > 1; n = (n + 1) / 2) {
        s.n_levels++;
    }
    s.levels = xcalloc(s.n_levels, sizeof *s.levels);
    for (size_t i = 0; i < s.n_levels; i++) {
        mpz_inits(s.levels[i].p, s.levels[i].q, s.levels[i].t, NULL);
    }
    split(&s, 0, 0, terms, false);
    mpz_t q, t;
    mpz_init(q);
    mpz_init(t);
    mpz_swap(q, s.levels[0].q);
    mpz_swap(t, s.levels[0].t);
    for (size_t i = 0; i < s.n_levels; i++) {
        mpz_clears(s.levels[i].p, s.levels[i].q, s.levels[i].t, NULL);
    }
    free(s.levels);

    /* floor(pi 10^S) ~ floor(sqrt(10005 10^2S)) 426880 Q / T. */
    uint64_t t1 = clock_now_ns();
    mpz_t x;
    mpz_init(x);
    mpz_ui_pow_ui(x, 10, 2 * scaled_digits);
    mpz_mul_ui(x, x, 10005);
    mpz_sqrt(x, x);
    /* Q and T are about twice as long as the result needs: drop their low
     * bits alike (the ratio keeps ~2^-64 relative precision, far below the
     * guard digits) so the division works on operands of the result's size. */
    size_t keep_bits = mpz_sizeinbase(x, 2) + 64;
    size_t t_bits = mpz_sizeinbase(t, 2);
    if (t_bits > keep_bits) {
        mpz_tdiv_q_2exp(q, q, t_bits - keep_bits);
        mpz_tdiv_q_2exp(t, t, t_bits - keep_bits);
    }
    mpz_mul_ui(q, q, 426880);
    mpz_mul(x, x, q);
    mpz_clear(q);
    mpz_tdiv_q(x, x, t);
    mpz_clear(t);

    uint64_t t2 = clock_now_ns();
    char *text = mpz_get_str(NULL, 10, x);
    mpz_clear(x);
    size_t len = strlen(text);
    int error = 0;
    if (len != scaled_digits + 1) {
        error = -ERANGE;    /* Cannot happen for pi in [3, 4). */
    } else {
        /* The computed value is within a few units of the last guard digit;
         * the cut is safe unless the guard digits are all 9 or all 0. */
        const char *guard = text + digits + 1;
        size_t nines = strspn(guard, "9"), zeros = strspn(guard, "0");
        if (nines >= GUARD_DIGITS - 2 || zeros >= GUARD_DIGITS - 2) {
            error = -ERANGE;
        }
    }
    if (error) {
        free(text);
        return error;
    }
    text[digits + 1] = '\0';
    *out = text;
    if (timing) {
        timing->series_s = (t1 - t0) / 1e9;
        timing->final_s = (t2 - t1) / 1e9;
        timing->radix_s = seconds_since(t2);
    }
    return 0;
}

uint64_t
bench_pi_memory_estimate(uint64_t digits)
{
    /* Measured peak RSS is about 12.9 bytes per digit (10^6 and 2^22 digits,
     * GMP 6.2): count 16 for headroom, plus a fixed 16 MiB. */
    return digits * 16 + (UINT64_C(16) << 20);
}

int
bench_read_mem_available(const char *meminfo_path, uint64_t *bytes)
{
    FILE *f = fopen(meminfo_path, "r");
    if (!f) {
        return -errno;
    }
    char line[256];
    int error = -EINVAL;
    while (fgets(line, sizeof line, f)) {
        unsigned long long kib;
        if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1) {
            *bytes = (uint64_t) kib * 1024;
            error = 0;
            break;
        }
    }
    fclose(f);
    return error;
}
