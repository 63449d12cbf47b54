/*
 * Unit test of timestamp and duration, driven by two tables:
 * tests/unit/timestamp.tsv and tests/unit/duration.tsv (see their headers).
 * The tables are found under $SRCDIR (set by make check), or under the
 * directory given as the only argument.
 *
 * Besides each row's own check, every prefix of every timestamp input is
 * copied into a heap buffer of exactly that length and run through every
 * format and ts_find, so that a read past n shows up under valgrind or
 * AddressSanitizer, and a consumed length above n is a failure.
 *
 * Exit status: 0 if every row passed, 1 otherwise (automake's convention
 * for a test run directly).
 */
#include "config.h"

#include "duration.h"
#include "timestamp.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest path to a table file. */
#define TEST_PATH_MAX 4096

/* Columns of a timestamp.tsv row and of a duration.tsv row. */
#define TEST_TS_COLUMNS 5
#define TEST_DURATION_COLUMNS 2

static int test_failures;

/* Split line (without newline) at tabs into at most max fields.  Returns
 * the number of fields. */
static int
test_split(char *line, char **field, int max)
{
	int k = 0;
	char *tab;

	field[k++] = line;
	while (k < max && (tab = strchr(field[k - 1], '\t')) != NULL) {
		*tab = '\0';
		field[k++] = tab + 1;
	}
	return k;
}

/* Parse a decimal int64 or "-" (returns 0 and sets *dash). */
static int
test_number(const char *s, int64_t *v, int *dash)
{
	char *end;

	*dash = strcmp(s, "-") == 0;
	if (*dash)
		return 0;
	*v = strtoll(s, &end, 10);
	return *end == '\0' && end != s ? 0 : -1;
}

static void
test_fail(const char *file, unsigned lineno, const char *what)
{
	fprintf(stderr, "%s:%u: FAIL: %s\n", file, lineno, what);
	test_failures++;
}

/* Run every format and ts_find on every prefix of input, each in a buffer
 * of exactly its length. */
static void
test_prefixes(const char *file, unsigned lineno, const char *input, size_t len,
    int64_t ref)
{
	size_t k, got;
	int64_t t;
	char *buf;
	int f;

	for (k = 0; k <= len; k++) {
		if ((buf = malloc(k == 0 ? 1 : k)) == NULL) {
			perror("malloc");
			exit(1);
		}
		memcpy(buf, input, k);
		for (f = TS_AUTO; f <= TS_FORMAT_LAST; f++) {
			got = ts_parse(buf, k, (enum ts_format)f, ref, &t);
			if (got > k)
				test_fail(file, lineno, "consumed more than n on a prefix");
		}
		(void)ts_find(buf, k, ref, &t);
		free(buf);
	}
}

static void
test_ts_row(const char *file, unsigned lineno, char **col, int ncol)
{
	int64_t ref, expected = 0, consumed = 0, t = INT64_MIN;
	int reject, nodash, find, fmt, ok;
	size_t len, got;
	char msg[256];

	if (ncol != TEST_TS_COLUMNS || test_number(col[1], &ref, &nodash) != 0 ||
	    nodash || test_number(col[3], &expected, &reject) != 0) {
		test_fail(file, lineno, "malformed row");
		return;
	}
	find = strcmp(col[0], "find") == 0;
	if (!find && ((fmt = ts_format_from_name(col[0])) < 0 ||
	    test_number(col[4], &consumed, &nodash) != 0 || nodash)) {
		test_fail(file, lineno, "malformed row (format or consumed)");
		return;
	}
	len = strlen(col[2]);
	if (find) {
		ok = ts_find(col[2], len, ref, &t);
		if (reject ? ok != 0 : ok != 1 || t != expected) {
			snprintf(msg, sizeof msg, "ts_find: got %d, %" PRId64
			    "; want %s", ok, t, col[3]);
			test_fail(file, lineno, msg);
		}
	} else {
		got = ts_parse(col[2], len, (enum ts_format)fmt, ref, &t);
		if ((int64_t)got != consumed || (!reject && t != expected)) {
			snprintf(msg, sizeof msg, "ts_parse %s: got %zu bytes, %"
			    PRId64 "; want %s bytes, %s", col[0], got, t, col[4],
			    col[3]);
			test_fail(file, lineno, msg);
		}
	}
	test_prefixes(file, lineno, col[2], len, ref);
}

static void
test_duration_row(const char *file, unsigned lineno, char **col, int ncol)
{
	int64_t expected, got = INT64_MIN;
	int reject, r;
	char msg[256];

	if (ncol != TEST_DURATION_COLUMNS ||
	    test_number(col[1], &expected, &reject) != 0) {
		test_fail(file, lineno, "malformed row");
		return;
	}
	r = duration_parse(col[0], &got);
	if (reject ? r != -1 : r != 0 || got != expected) {
		snprintf(msg, sizeof msg, "duration_parse \"%s\": got %d, %"
		    PRId64 "; want %s", col[0], r, got, col[1]);
		test_fail(file, lineno, msg);
	}
}

/* Run every row of dir/name through row().  Returns the number of rows. */
static unsigned
test_table(const char *dir, const char *name, int ncol,
    void (*row)(const char *, unsigned, char **, int))
{
	char path[TEST_PATH_MAX], *line = NULL, *col[TEST_TS_COLUMNS + 1];
	unsigned lineno = 0, rows = 0;
	size_t cap = 0;
	ssize_t len;
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((fp = fopen(path, "r")) == NULL) {
		perror(path);
		exit(1);
	}
	while ((len = getline(&line, &cap, fp)) != -1) {
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (line[0] == '#' || len == 0)
			continue;
		row(path, lineno, col, test_split(line, col, ncol + 1));
		rows++;
	}
	if (ferror(fp)) {
		perror(path);
		exit(1);
	}
	free(line);
	fclose(fp);
	return rows;
}

int
main(int argc, char **argv)
{
	char dir[TEST_PATH_MAX];
	const char *srcdir = getenv("SRCDIR");
	unsigned nts, nd;

	if (argc > 1)
		snprintf(dir, sizeof dir, "%s", argv[1]);
	else
		snprintf(dir, sizeof dir, "%s/tests/unit",
		    srcdir != NULL ? srcdir : ".");
	nts = test_table(dir, "timestamp.tsv", TEST_TS_COLUMNS, test_ts_row);
	nd = test_table(dir, "duration.tsv", TEST_DURATION_COLUMNS,
	    test_duration_row);
	printf("timestamp_test: %u timestamp rows, %u duration rows, %d failed\n",
	    nts, nd, test_failures);
	return test_failures == 0 && nts > 0 && nd > 0 ? 0 : 1;
}
