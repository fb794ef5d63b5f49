/* lpm — IPv4 longest-prefix-match table (DIR-16-8-8), built for lookups.
 *
 * What: maps prefixes (address/length, host byte order) to a 32-bit value
 * chosen by the caller (the router app stores a route index).  A lookup is at
 * most three array reads, never a loop over prefixes:
 *
 *   level 0: 65536 entries indexed by address bits 31..16
 *   level 1: groups of 256 entries indexed by bits 15..8
 *   level 2: groups of 256 entries indexed by bits 7..0
 *
 * Each entry is either a leaf (value + the length of the prefix that wrote
 * it) or a link to a group of the next level.  Prefixes are "expanded":
 * a /12 writes 16 level-0 entries; a /20 creates (or reuses) a level-1 group
 * and writes 16 of its entries.  Invariant: every leaf holds the value of
 * the longest stored prefix covering its whole address block (or is empty).
 * The authoritative set of prefixes lives in a hash map beside the arrays;
 * a delete rewrites the deleted prefix's entries with the next-longest
 * covering prefix found there (the DPDK rte_lpm approach).  A group whose
 * 256 entries become identical leaves is freed and folded back.
 *
 * Ownership: the table owns all its memory.  Not thread-safe: one writer and
 * no concurrent readers. */
#ifndef PLURAL_CTL_LPM_H
#define PLURAL_CTL_LPM_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lpm;

struct lpm *lpm_create(void);
void lpm_destroy(struct lpm *);                 /* Accepts NULL. */

/* Adds prefix/len -> value, or changes the value of an existing prefix.
 * Bits of `prefix` past `len` are ignored.  Returns 0, or -EINVAL if
 * len > 32. */
int lpm_insert(struct lpm *, uint32_t prefix, unsigned int len, uint32_t value);

/* Removes prefix/len.  Returns 0, -EINVAL (len > 32), -ENOENT (absent). */
int lpm_delete(struct lpm *, uint32_t prefix, unsigned int len);

/* Longest match for `addr`: true with *value set, false if nothing covers. */
bool lpm_lookup(const struct lpm *, uint32_t addr, uint32_t *value);

/* Exact prefix: true with *value set if prefix/len is stored. */
bool lpm_get(const struct lpm *, uint32_t prefix, unsigned int len, uint32_t *value);

size_t lpm_count(const struct lpm *);           /* Stored prefixes. */
size_t lpm_groups_in_use(const struct lpm *);   /* Level-1 and 2 groups. */

/* Calls cb for every stored prefix, in no particular order.  cb must not
 * modify the table. */
void lpm_for_each(const struct lpm *,
                  void (*cb)(uint32_t prefix, unsigned int len, uint32_t value, void *aux),
                  void *aux);

/* Removes every prefix. */
void lpm_clear(struct lpm *);

/* Host-order mask for a prefix length (0..32). */
static inline uint32_t
lpm_mask(unsigned int len)
{
    return len ? ~(uint32_t) 0 << (32 - len) : 0;
}

#endif
