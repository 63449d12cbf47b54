/*
 * filter: what happens to one line, from the bytes read to the bytes
 * written: retention (the line's own timestamp decides whether it is
 * dropped, passed untouched, or anonymised and with which epoch's key),
 * then the format rule (if any) and its field actions, and the free-text
 * scan of every byte the rule did not handle.  The stream hands it whole lines (with their
 * '\n', if any) or, for a line longer than STREAM_LINE_MAX, consecutive
 * pieces of one line; every piece follows the verdict of the first.
 */
#ifndef LOGSCRUB_FILTER_H
#define LOGSCRUB_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "keyring.h"
#include "outbuf.h"
#include "retention.h"
#include "rules.h"
#include "scan.h"

/* Flags of filter_line(). */
enum {
	FILTER_MORE = 1,	/* the line goes on in the next call (an overlong line) */
};

struct filter {
	struct scan sc;
	uint64_t lines_in, lines_out;
	uint64_t bytes_in;	/* bytes read (counted by the stream, per read) */
	size_t line_off;	/* where the current piece starts in its line */
	size_t next_off;	/* where the next piece will start, after a FILTER_MORE */
	uint64_t lines_dropped;		/* by --max-age or --undated=drop */
	uint64_t lines_expired;		/* key destroyed (or unreadable): truncated */
	unsigned prev_flags;	/* flags of the previous call */
	/* retention, set by filter_retention() */
	const struct retention_policy *rp;
	struct keyring *kr;		/* per-epoch keys, or NULL: sc.ps for every line */
	const struct anon_policy *pol;	/* the policy */
	struct anon_policy expired;	/* for lines without their key */
	bool use_time;			/* look for the line's timestamp */
	int64_t now, now_epoch;		/* reference time, and its key epoch */
	enum retention_verdict verdict;	/* of the line under way */
	/* what filter_line() does with the first piece of a line */
	void (*first)(struct filter *f, const char *p, size_t n, struct outbuf *o);
	/* format rules, set by filter_set_rules() */
	struct rules *rules;	/* NULL: free text only (--format=none) */
	bool explain;		/* --explain: each line starts with its rule's name */
	struct rules_line rl;	/* the rule's findings on the current line (its time) */
};

void filter_init(struct filter *f, const struct anon_policy *pol, const struct pseudo *ps, struct namecache *names,
    struct geo *geo);
void filter_retention(struct filter *f, const struct retention_policy *rp, struct keyring *kr);
void filter_tick(struct filter *f);
void filter_set_rules(struct filter *f, struct rules *rs, bool explain);
void filter_line(struct filter *f, const char *p, size_t n, unsigned flags, struct outbuf *o);

#endif
