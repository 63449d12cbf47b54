/*
 * filter: what happens to one line, from the bytes read to the bytes
 * written: the format rule (if any) and its field actions, then the
 * free-text scan of every byte the rule did not handle.  The stream hands
 * it whole lines (with their '\n', if any) or, for a line longer than
 * STREAM_LINE_MAX, consecutive pieces of one line; pieces get the free-text
 * scan alone.
 */
#ifndef LOGSCRUB_FILTER_H
#define LOGSCRUB_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outbuf.h"
#include "rules.h"
#include "scan.h"

/* Flags of filter_line(). */
enum {
	FILTER_MORE = 1,	/* the line goes on in the next call (an overlong line) */
};

struct filter {
	struct scan sc;
	uint64_t lines_in, lines_out;
	unsigned prev_flags;	/* flags of the previous call */
	struct rules *rules;	/* NULL: free text only (--format=none) */
	bool explain;		/* --explain: each line starts with its rule's name */
	struct rules_line rl;	/* the rule's findings on the current line (its time) */
};

void filter_init(struct filter *f, const struct anon_policy *pol, const struct pseudo *ps, struct namecache *names);
void filter_set_rules(struct filter *f, struct rules *rs, bool explain);
void filter_line(struct filter *f, const char *p, size_t n, unsigned flags, struct outbuf *o);

#endif
