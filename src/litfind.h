/*
 * litfind: find a short literal in a line, fast.  The rule prefilters and
 * the leading literals of fields patterns (rules.c) are looked for in
 * every line, most often in vain; this search runs memchr(3) for the
 * literal's rarest byte in log text, checks the next rarest, and compares
 * the whole literal only where both are in place.
 */
#ifndef LOGSCRUB_LITFIND_H
#define LOGSCRUB_LITFIND_H

#include <stddef.h>

/* A literal prepared by lit_init: its bytes (not copied: they must stay),
 * and the offsets of its two rarest bytes in log text. */
struct lit {
	const char *s;
	size_t len;
	size_t k1, k2;
};

/* Prepare *l for s[0..len), len >= 1. */
void lit_init(struct lit *l, const char *s, size_t len);

/* Where the literal first stands in p[0..n), or NULL. */
const char *lit_find(const struct lit *l, const char *p, size_t n);

#endif
