/*
 * Unit test of relit (the leading literal of a pattern) and litfind (the
 * search for a literal in a line).
 *
 * relit: tests/unit/relit.tsv (see its header), found under $SRCDIR (set by
 * make check) or the directory given as the only argument.  Each row's
 * literal is checked, and PCRE2 itself checks it on the row's subjects:
 * every match it finds there must start with the literal.
 *
 * litfind: random lines over a small alphabet (so that near misses are
 * common) and literals cut from them or made up; lit_find must give the
 * first place that a naive search gives.  Each line is in a heap buffer of
 * exactly its length, so that a read past it shows under AddressSanitizer
 * or valgrind.
 *
 * Exit status: 0 if every check passed, 1 otherwise.
 */
#include "config.h"

#include "litfind.h"
#include "relit.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest path to the table, longest literal asked of relit_lead. */
#define TEST_PATH_MAX 4096
#define TEST_LIT_MAX 32
/* litfind: random cases, longest line. */
#define TEST_FIND_CASES 200000
#define TEST_FIND_LINE_MAX 300

static int test_failures;

static void
test_fail(const char *file, unsigned lineno, const char *what, const char *detail)
{
	fprintf(stderr, "%s:%u: FAIL: %s: %s\n", file, lineno, what, detail);
	test_failures++;
}

/* Run pattern on each tab-separated subject; every match must start with
 * lit[0..len). */
static void
test_subjects(const char *file, unsigned lineno, const char *pattern, const char *lit, size_t len,
    char *subjects)
{
	int code;
	PCRE2_SIZE eoff;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_DUPNAMES | PCRE2_NEVER_UTF,
	    &code, &eoff, NULL);
	pcre2_match_data *md;
	int matches = 0;

	if (re == NULL) {
		test_fail(file, lineno, "PCRE2 does not compile the pattern", pattern);
		return;
	}
	md = pcre2_match_data_create_from_pattern(re, NULL);
	for (char *s = strtok(subjects, "\t"); s != NULL; s = strtok(NULL, "\t")) {
		size_t n = strlen(s), at = 0;

		while (at <= n && pcre2_match(re, (PCRE2_SPTR)s, n, at, 0, md, NULL) >= 0) {
			const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);

			matches++;
			if (n - ov[0] < len || memcmp(s + ov[0], lit, len) != 0)
				test_fail(file, lineno, "a match does not start with the literal", s + ov[0]);
			at = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
		}
	}
	if (matches == 0)
		test_fail(file, lineno, "no subject matches (a subject that proves nothing)", pattern);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
}

/* One row of relit.tsv. */
static void
test_relit_row(const char *file, unsigned lineno, char *line)
{
	char *want = strchr(line, '\t'), *subjects = NULL;
	char got[TEST_LIT_MAX];
	size_t len;

	if (want == NULL) {
		test_fail(file, lineno, "malformed row", line);
		return;
	}
	*want++ = '\0';
	if ((subjects = strchr(want, '\t')) != NULL)
		*subjects++ = '\0';
	len = relit_lead(line, got, sizeof got);
	if (len != strlen(want) || memcmp(got, want, len) != 0) {
		char msg[256];

		snprintf(msg, sizeof msg, "%s: got \"%.*s\", want \"%s\"", line, (int)len, got, want);
		test_fail(file, lineno, "literal", msg);
	}
	if (subjects != NULL && *subjects != '\0')
		test_subjects(file, lineno, line, got, len, subjects);
}

static void
test_relit(const char *dir)
{
	char path[TEST_PATH_MAX], *line = NULL;
	size_t cap = 0;
	ssize_t r;
	unsigned lineno = 0, rows = 0;
	FILE *fp;

	snprintf(path, sizeof path, "%s/tests/unit/relit.tsv", dir);
	if ((fp = fopen(path, "r")) == NULL) {
		perror(path);
		exit(1);
	}
	while ((r = getline(&line, &cap, fp)) >= 0) {
		lineno++;
		if (r > 0 && line[r - 1] == '\n')
			line[--r] = '\0';
		if (r == 0 || line[0] == '#')
			continue;
		test_relit_row(path, lineno, line);
		rows++;
	}
	free(line);
	fclose(fp);
	if (rows == 0)
		test_fail(path, 0, "no rows", "");
}

/* A small PRNG (xorshift64*), seeded for repeatable runs. */
static uint64_t test_seed = 0x9e3779b97f4a7c15u;

static unsigned
test_rand(unsigned below)
{
	test_seed ^= test_seed >> 12;
	test_seed ^= test_seed << 25;
	test_seed ^= test_seed >> 27;
	return (unsigned)((test_seed * 2685821657736338717u) >> 33) % below;
}

/* The first place of lit[0..len) in p[0..n), the slow way. */
static const char *
naive_find(const char *lit, size_t len, const char *p, size_t n)
{
	for (size_t i = 0; i + len <= n; i++)
		if (memcmp(p + i, lit, len) == 0)
			return p + i;
	return NULL;
}

static void
test_litfind(void)
{
	static const char alphabet[] = "ab ]\"[=<:x";
	char lit[16];

	for (unsigned k = 0; k < TEST_FIND_CASES; k++) {
		size_t n = test_rand(TEST_FIND_LINE_MAX), len = 1 + test_rand(sizeof lit - 1);
		char *p = malloc(n ? n : 1);
		struct lit l;
		const char *got, *want;

		if (p == NULL) {
			perror("malloc");
			exit(1);
		}
		for (size_t i = 0; i < n; i++)
			p[i] = alphabet[test_rand(sizeof alphabet - 1)];
		if (n >= len && test_rand(2)) {
			memcpy(lit, p + test_rand((unsigned)(n - len + 1)), len);
		} else {
			for (size_t i = 0; i < len; i++)
				lit[i] = alphabet[test_rand(sizeof alphabet - 1)];
		}
		lit_init(&l, lit, len);
		got = lit_find(&l, p, n);
		want = naive_find(lit, len, p, n);
		if (got != want) {
			char msg[64];

			snprintf(msg, sizeof msg, "case %u: line %zu bytes, literal %zu bytes", k, n, len);
			test_fail("litfind", 0, "lit_find disagrees with a naive search", msg);
		}
		free(p);
	}
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("SRCDIR");

	test_relit(dir != NULL ? dir : ".");
	test_litfind();
	if (test_failures > 0)
		fprintf(stderr, "%d failures\n", test_failures);
	return test_failures > 0;
}
