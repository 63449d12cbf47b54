/*
 * report: --check and --diff, the two runs that write a report on the text
 * instead of the text.  Both are scan_report hooks (scan.h): the scanner
 * runs as it always does, and tells the report what it found and what it
 * would write in its place.
 *
 * --check lists, as "FILE:LINE:COLUMN KIND" (COLUMN counts bytes from 1),
 * every identifier that a run with the same settings would change, except
 * logscrub's own pseudonyms.  So on logscrub's output it lists nothing:
 *   - a truncated address (203.0.113.0) truncates to itself: not raw;
 *   - an address in 240.0.0.0/4 or 100::/64 is a pseudonym (no real host
 *     has one: the first is reserved, the second discard-only);
 *   - a local part of 16 characters of a-z and 2-7, and an address at
 *     pseudonym.invalid, are email pseudonyms;
 *   - a redacted or masked identifier redacts or masks to itself;
 *   - what --keep-networks (or --ip=keep, --email=keep) keeps is the
 *     operator's decision, not a leak.
 * Run it with the settings of the run it checks (the configuration file
 * gives them): output of --ip=truncate checked with --ip=pseudonymise lists
 * every truncated address.  The price of the pseudonym rule: a real local
 * part of exactly 16 characters of a-z and 2-7 is taken for a pseudonym.
 *
 * --diff writes, for each line (or piece of an overlong line) a run would
 * change, "@@ FILE:LINE @@", then "-" and the line, "+" and what the run
 * writes; with colour (the changes highlighted) when asked to.
 */
#ifndef LOGSCRUB_REPORT_H
#define LOGSCRUB_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "filter.h"
#include "options.h"
#include "scan.h"

/* A line being built by --diff. */
struct report_line {
	char *p;
	size_t len, cap;
};

struct report {
	struct scan_report hook;	/* what the scanner calls */
	FILE *out;
	bool colour;
	const struct filter *f;		/* line numbers */
	const char *name;		/* the input, for messages */
	uint64_t line_base;		/* f->lines_in when this input began */
	uint64_t found;			/* --check: identifiers listed */
	size_t done;			/* --diff: text written into minus and plus so far */
	struct report_line minus, plus;
	int err;			/* errno of a failed allocation, or 0 */
};

void report_init(struct report *r, enum options_report mode, const struct filter *f, FILE *out, bool colour);
void report_input(struct report *r, const char *name);
void report_free(struct report *r);

#endif
