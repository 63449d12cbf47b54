/*
 * libFuzzer target for the gates of a rule's patterns (rules.c): the
 * leading literal that relit_lead() reads from a pattern's text, and the
 * search for it, lit_find().  The input is a PCRE2 pattern up to its first
 * NUL, then a subject line: the rest of the input, or the pattern itself
 * when there is no NUL (at most FUZZ_SUBJECT_MAX bytes of either).  When
 * PCRE2 compiles the pattern as rules.c does, each start offset of the
 * subject is tried both ways:
 *   - plain: pcre2_match() from the offset;
 *   - gated, as lead_pass() and need_pass() in rules.c: lit_find() from
 *     the offset, then memchr(3) for the pattern's needed byte (PCRE2's last code unit, when
 *     not a letter) from where the literal stands, then pcre2_match() from
 *     there; no match when either is missing;
 * and both must give the same match (its start and end) or none.  So a
 * literal that a match can lack aborts, as does a needed byte that is not
 * needed.  lit_find() must also agree with a naive search, and the literal
 * must fit its buffer.  Matches run under rules.c's match and depth
 * limits; an offset where one is hit is not compared.
 * Any violation aborts, which libFuzzer reports as a crash.
 * Seeds: tests/fuzz/corpus/relit/ (the bundled fields patterns, past
 * findings).
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "litfind.h"
#include "relit.h"
#include "rules.h"

/* Room for the literal: rules.c's RULES_LEAD_MAX. */
#define FUZZ_LEAD_MAX 32
/* Longest subject tried: every offset costs two matches over the rest. */
#define FUZZ_SUBJECT_MAX 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Match data and context kept across runs (the limits of rules.c). */
static pcre2_match_data *fuzz_md;
static pcre2_match_context *fuzz_mctx;

/* The first place of l's literal in p[0..n), the slow way. */
static const char *
fuzz_naive_find(const struct lit *l, const char *p, size_t n)
{
	for (size_t i = 0; i + l->len <= n; i++)
		if (memcmp(p + i, l->s, l->len) == 0)
			return p + i;
	return NULL;
}

/* pcre2_match() of re on s[0..n) from at: the result code (0 too is a
 * match: the match data has room for the whole match only), and the
 * match's start and end in m[0..2) when it matched. */
static int
fuzz_match(const pcre2_code *re, const char *s, size_t n, size_t at, PCRE2_SIZE m[2])
{
	int rc = pcre2_match(re, (PCRE2_SPTR)s, n, at, 0, fuzz_md, fuzz_mctx);

	if (rc >= 0)
		memcpy(m, pcre2_get_ovector_pointer(fuzz_md), 2 * sizeof *m);
	return rc;
}

/* Compare the plain and the gated match of re on s[0..n) from each offset;
 * l: the leading literal (len 0: none), need: the needed byte or -1. */
static void
fuzz_compare(const pcre2_code *re, const struct lit *l, int need, const char *s, size_t n)
{
	for (size_t at = 0; at <= n; at++) {
		PCRE2_SIZE plain[2], gated[2];
		const char *p = l->len > 0 ? lit_find(l, s + at, n - at) : s + at;
		int rp = fuzz_match(re, s, n, at, plain), rg = PCRE2_ERROR_NOMATCH;

		if (l->len > 0 && p != fuzz_naive_find(l, s + at, n - at))
			abort();	/* lit_find and a naive search disagree */
		if (p != NULL && (need < 0 || memchr(p, need, (size_t)(s + n - p)) != NULL))
			rg = fuzz_match(re, s, n, (size_t)(p - s), gated);
		if ((rp < 0 && rp != PCRE2_ERROR_NOMATCH) || (rg < 0 && rg != PCRE2_ERROR_NOMATCH))
			continue;	/* a limit: nothing to compare */
		if ((rp >= 0) != (rg >= 0) || (rp >= 0 && memcmp(plain, gated, sizeof plain) != 0)) {
			fprintf(stderr, "fuzz_relit: literal '%.*s', needed byte %d: from %zu the plain match %s, the gated one %s\n",
			    (int)l->len, l->s, need, at, rp >= 0 ? "matched" : "did not",
			    rg >= 0 ? "matched" : "did not");
			abort();
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t plen = nul ? (size_t)(nul - data) : size, n;
	char *pattern = malloc(plen + 1), lead[FUZZ_LEAD_MAX];
	const char *subject;
	struct lit l = { .len = 0 };
	pcre2_code *re;
	uint32_t type, unit;
	int code, need = -1;
	PCRE2_SIZE eoff;

	if (pattern == NULL)
		abort();
	if (fuzz_md == NULL) {
		if ((fuzz_md = pcre2_match_data_create(1, NULL)) == NULL ||
		    (fuzz_mctx = pcre2_match_context_create(NULL)) == NULL)
			abort();
		pcre2_set_match_limit(fuzz_mctx, RULES_MATCH_LIMIT);
		pcre2_set_depth_limit(fuzz_mctx, RULES_DEPTH_LIMIT);
	}
	memcpy(pattern, data, plen);
	pattern[plen] = '\0';
	subject = nul ? (const char *)nul + 1 : (const char *)data;
	n = nul ? size - plen - 1 : plen;
	if (n > FUZZ_SUBJECT_MAX)
		n = FUZZ_SUBJECT_MAX;
	l.len = relit_lead(pattern, lead, sizeof lead);
	if (l.len > sizeof lead)
		abort();
	if (l.len > 0)
		lit_init(&l, lead, l.len);
	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_DUPNAMES | PCRE2_NEVER_UTF, &code, &eoff,
	    NULL);
	if (re != NULL) {
		pcre2_pattern_info(re, PCRE2_INFO_LASTCODETYPE, &type);
		pcre2_pattern_info(re, PCRE2_INFO_LASTCODEUNIT, &unit);
		if (type == 1 && !((unit | 0x20) >= 'a' && (unit | 0x20) <= 'z'))
			need = (int)unit;
		fuzz_compare(re, &l, need, subject, n);
		pcre2_code_free(re);
	}
	free(pattern);
	return 0;
}
