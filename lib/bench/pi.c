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
/* Common factors are removed in nodes of at most this many terms. */
#define FACTOR_REMOVAL_MAX_TERMS 16384

/* 640320^3 / 24 fits in 64 bits. */
static const uint64_t C3_OVER_24 = UINT64_C(10939058860032000);
static const uint32_t A = 13591409;
static const uint32_t B = 545140134;

/* Factor tracking (after gmp-chudnovsky's sieve): P and Q of each node
 * carry a factorization (sorted primes with exponents) of their small-factor
 * part.  When two halves are merged, the common factor g of P(a,m) and
 * Q(m,b) is divided out of both, which divides the node's whole triple
 * (P, Q, T) by g: a uniform scale that every later merge preserves and the
 * final ratio Q/T ignores.  The numbers shrink by roughly a third. */
struct fac {
    uint32_t *prime;
    uint32_t *power;
    size_t n, allocated;
};

static void
fac_reserve(struct fac *f, size_t n)
{
    if (n > f->allocated) {
        f->allocated = MAX(n, 2 * f->allocated);
        f->prime = xrealloc(f->prime, f->allocated * sizeof *f->prime);
        f->power = xrealloc(f->power, f->allocated * sizeof *f->power);
    }
}

static void
fac_free(struct fac *f)
{
    free(f->prime);
    free(f->power);
    memset(f, 0, sizeof *f);
}

static void
fac_swap(struct fac *a, struct fac *b)
{
    struct fac t = *a;
    *a = *b;
    *b = t;
}

/* Smallest-prime-factor sieve for 2..limit. */
struct sieve {
    uint32_t *spf;
    uint64_t limit;
};

static void
sieve_init(struct sieve *sv, uint64_t limit)
{
    sv->limit = limit;
    sv->spf = xcalloc(limit + 1, sizeof *sv->spf);
    for (uint64_t i = 2; i <= limit; i++) {
        if (!sv->spf[i]) {
            for (uint64_t j = i; j <= limit; j += i) {
                if (!sv->spf[j]) {
                    sv->spf[j] = i;
                }
            }
        }
    }
}

/* f = factorization of n^mult (n <= limit); primes come out in order. */
static void
fac_set_uint(const struct sieve *sv, struct fac *f, uint64_t n, uint32_t mult)
{
    f->n = 0;
    while (n > 1) {
        uint32_t p = sv->spf[n], e = 0;
        while (n % p == 0) {
            n /= p;
            e++;
        }
        fac_reserve(f, f->n + 1);
        f->prime[f->n] = p;
        f->power[f->n++] = e * mult;
    }
}

/* dst = a * b (dst distinct from both). */
static void
fac_mul(struct fac *dst, const struct fac *a, const struct fac *b)
{
    fac_reserve(dst, a->n + b->n);
    size_t i = 0, j = 0, k = 0;
    while (i < a->n || j < b->n) {
        if (j >= b->n || (i < a->n && a->prime[i] < b->prime[j])) {
            dst->prime[k] = a->prime[i];
            dst->power[k++] = a->power[i++];
        } else if (i >= a->n || b->prime[j] < a->prime[i]) {
            dst->prime[k] = b->prime[j];
            dst->power[k++] = b->power[j++];
        } else {
            dst->prime[k] = a->prime[i];
            dst->power[k++] = a->power[i++] + b->power[j++];
        }
    }
    dst->n = k;
}

/* Product of the prime powers in g[lo, hi) into r (product tree). */
static void
fac_product(mpz_t r, const struct fac *g, size_t lo, size_t hi)
{
    if (hi - lo <= 8) {
        mpz_set_ui(r, 1);
        for (size_t i = lo; i < hi; i++) {
            uint64_t pe = 1;
            uint32_t e = g->power[i];
            while (e && pe <= UINT64_MAX / g->prime[i] / g->prime[i]) {
                pe *= g->prime[i];
                e--;
            }
            mpz_mul_ui(r, r, pe);
            for (; e; e--) {
                mpz_mul_ui(r, r, g->prime[i]);
            }
        }
        return;
    }
    size_t mid = lo + (hi - lo) / 2;
    mpz_t right;
    mpz_init(right);
    fac_product(r, g, lo, mid);
    fac_product(right, g, mid, hi);
    mpz_mul(r, r, right);
    mpz_clear(right);
}

/* Removes the common part g of fa and fb from both; returns g's
 * factorization in *g (empty if 1). */
static void
fac_remove_gcd(struct fac *fa, struct fac *fb, struct fac *g)
{
    g->n = 0;
    size_t i = 0, j = 0, ka = 0, kb = 0;
    while (i < fa->n && j < fb->n) {
        if (fa->prime[i] < fb->prime[j]) {
            fa->prime[ka] = fa->prime[i];
            fa->power[ka++] = fa->power[i++];
        } else if (fb->prime[j] < fa->prime[i]) {
            fb->prime[kb] = fb->prime[j];
            fb->power[kb++] = fb->power[j++];
        } else {
            uint32_t e = MIN(fa->power[i], fb->power[j]);
            fac_reserve(g, g->n + 1);
            g->prime[g->n] = fa->prime[i];
            g->power[g->n++] = e;
            if (fa->power[i] > e) {
                fa->prime[ka] = fa->prime[i];
                fa->power[ka++] = fa->power[i] - e;
            }
            if (fb->power[j] > e) {
                fb->prime[kb] = fb->prime[j];
                fb->power[kb++] = fb->power[j] - e;
            }
            i++;
            j++;
        }
    }
    while (i < fa->n) {
        fa->prime[ka] = fa->prime[i];
        fa->power[ka++] = fa->power[i++];
    }
    while (j < fb->n) {
        fb->prime[kb] = fb->prime[j];
        fb->power[kb++] = fb->power[j++];
    }
    fa->n = ka;
    fb->n = kb;
}

/* Recursion state, per level: the (P, Q, T) triple and its factorizations,
 * and a parking place for the right half while the left half is computed
 * (allocated once and reused: no allocation churn in the recursion). */
struct split_level {
    mpz_t p, q, t;
    struct fac fp, fq;
    mpz_t rp, rq, rt;
    struct fac rfp, rfq;
};

struct splitter {
    struct split_level *levels;
    size_t n_levels;
    struct sieve sieve;
    struct fac tmp, gcd, f1, f2;
    mpz_t g;
};

/* Computes P(a,b), Q(a,b), T(a,b) (up to a common factor) into the level
 * `depth`, using deeper levels for the halves.  P is skipped when !need_p
 * (the rightmost branch: the top-level P is never used). */
static void
split(struct splitter *s, size_t depth, uint64_t a, uint64_t b, bool need_p)
{
    struct split_level *l = &s->levels[depth];
    if (b - a == 1) {
        if (a == 0) {
            mpz_set_ui(l->p, 1);
            mpz_set_ui(l->q, 1);
            l->fp.n = l->fq.n = 0;
        } else {
            /* P = (6a-5)(2a-1)(6a-1); Q = a^3 C^3/24 (only a^3 is tracked). */
            mpz_set_ui(l->p, 6 * a - 5);
            mpz_mul_ui(l->p, l->p, 2 * a - 1);
            mpz_mul_ui(l->p, l->p, 6 * a - 1);
            mpz_set_ui(l->q, a);
            mpz_mul_ui(l->q, l->q, a);
            mpz_mul_ui(l->q, l->q, a);
            mpz_mul_ui(l->q, l->q, C3_OVER_24);
            fac_set_uint(&s->sieve, &s->f1, 6 * a - 5, 1);
            fac_set_uint(&s->sieve, &s->f2, 2 * a - 1, 1);
            fac_mul(&s->tmp, &s->f1, &s->f2);
            fac_set_uint(&s->sieve, &s->f1, 6 * a - 1, 1);
            fac_mul(&l->fp, &s->tmp, &s->f1);
            fac_set_uint(&s->sieve, &l->fq, a, 3);
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
    /* Park the right half while the left half reuses depth + 1: swaps are O(1). */
    mpz_ptr rp = l->rp, rq = l->rq, rt = l->rt;
    struct fac *rfp = &l->rfp, *rfq = &l->rfq;
    mpz_swap(rp, r->p);
    mpz_swap(rq, r->q);
    mpz_swap(rt, r->t);
    fac_swap(rfp, &r->fp);
    fac_swap(rfq, &r->fq);
    split(s, depth + 1, a, m, true);

    /* Divide g = gcd(P1, Q2) (as far as tracked) out of both.  Only in the
     * lower levels: above FACTOR_REMOVAL_MAX_TERMS the exact divisions of
     * big numbers cost more than the smaller products save (measured), so
     * factorizations are not even kept there. */
    bool track = b - a <= FACTOR_REMOVAL_MAX_TERMS;
    s->gcd.n = 0;
    if (track) {
        fac_remove_gcd(&r->fp, rfq, &s->gcd);
    }
    if (s->gcd.n) {
        fac_product(s->g, &s->gcd, 0, s->gcd.n);
        mpz_divexact(r->p, r->p, s->g);
        mpz_divexact(rq, rq, s->g);
    }

    /* T = T1 Q2 + P1 T2;  Q = Q1 Q2;  P = P1 P2. */
    mpz_mul(l->t, r->t, rq);
    mpz_mul(rt, r->p, rt);
    mpz_add(l->t, l->t, rt);
    mpz_mul(l->q, r->q, rq);
    if (track) {
        fac_mul(&l->fq, &r->fq, rfq);
    }
    if (need_p) {
        mpz_mul(l->p, r->p, rp);
        if (track) {
            fac_mul(&l->fp, &r->fp, rfp);
        }
    }
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
    memset(&s, 0, sizeof s);
    s.n_levels = 2;
    for (uint64_t n = terms; n > 1; n = (n + 1) / 2) {
        s.n_levels++;
    }
    s.levels = xcalloc(s.n_levels, sizeof *s.levels);
    for (size_t i = 0; i < s.n_levels; i++) {
        struct split_level *l = &s.levels[i];
        mpz_inits(l->p, l->q, l->t, l->rp, l->rq, l->rt, NULL);
    }
    sieve_init(&s.sieve, 6 * terms);
    mpz_init(s.g);
    split(&s, 0, 0, terms, false);
    mpz_t q, t;
    mpz_init(q);
    mpz_init(t);
    mpz_swap(q, s.levels[0].q);
    mpz_swap(t, s.levels[0].t);
    for (size_t i = 0; i < s.n_levels; i++) {
        struct split_level *l = &s.levels[i];
        mpz_clears(l->p, l->q, l->t, l->rp, l->rq, l->rt, NULL);
        fac_free(&l->fp);
        fac_free(&l->fq);
        fac_free(&l->rfp);
        fac_free(&l->rfq);
    }
    free(s.levels);
    free(s.sieve.spf);
    fac_free(&s.tmp);
    fac_free(&s.gcd);
    fac_free(&s.f1);
    fac_free(&s.f2);
    mpz_clear(s.g);

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
    /* Measured peak RSS is about 7.7 bytes per digit (10^6 and 2^22 digits,
     * GMP 6.2, the sieve included): count 16 for headroom, plus 16 MiB. */
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
