/*
 * litfind: find a short literal in a line.  See litfind.h.
 */
#include "config.h"

#include "litfind.h"

#include <stdbool.h>
#include <string.h>


/*
 * The printable bytes from the rarest to the most common in log text, as
 * counted over 4 MB of it (../shared/corpus, 1 MB of each bench corpus).
 * A byte not listed (a control or non-ASCII byte) is rarer than all of
 * them; the blank is the most common.
 */
static const char by_frequency[] =
    "~!$^`#*|'&?{}QYZJV@UXj<q>BRIF;+KzOWDLHG()_P%EyMkNCSAw=\\,vx][Tbfgh789-u6d354pmcln:sr/\"2ia.to10e";

/* How common byte c is in log text: 0 for the rarest. */
static int
commonness(unsigned char c)
{
	const char *p;

	if (c == ' ')
		return (int)sizeof by_frequency;
	p = c != '\0' ? strchr(by_frequency, c) : NULL;
	return p != NULL ? 1 + (int)(p - by_frequency) : 0;
}

/* Prepare *l for s[0..len): k1 at its rarest byte, k2 at the next rarest
 * (k2 == k1 for a single byte). */
void
lit_init(struct lit *l, const char *s, size_t len)
{
	l->s = s;
	l->len = len;
	l->k1 = 0;
	for (size_t i = 1; i < len; i++)
		if (commonness((unsigned char)s[i]) < commonness((unsigned char)s[l->k1]))
			l->k1 = i;
	l->k2 = l->k1 == 0 && len > 1 ? 1 : 0;
	for (size_t i = 0; i < len; i++)
		if (i != l->k1 && commonness((unsigned char)s[i]) < commonness((unsigned char)s[l->k2]))
			l->k2 = i;
}

/* True when the literal stands at p. */
static bool
lit_at(const struct lit *l, const char *p)
{
	return p[l->k1] == l->s[l->k1] && p[l->k2] == l->s[l->k2] && memcmp(p, l->s, l->len) == 0;
}

/* Where the literal first stands in p[0..n), or NULL: memchr(3) for its
 * rarest byte, then the next rarest and the whole literal around it. */
const char *
lit_find(const struct lit *l, const char *p, size_t n)
{
	const char *q, *end;

	if (n < l->len)
		return NULL;
	q = p + l->k1;
	end = p + (n - l->len) + l->k1 + 1;	/* past the last place of s[k1] */
	while ((q = memchr(q, l->s[l->k1], (size_t)(end - q))) != NULL) {
		if (lit_at(l, q - l->k1))
			return q - l->k1;
		q++;
	}
	return NULL;
}
