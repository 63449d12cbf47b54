/*
 * retention: what the age of a line decides (--max-age, --raw-for,
 * --undated) and the reference time (--now, or the clock).
 *
 * A line's age is the reference time minus its own timestamp:
 *   - older than --max-age: dropped (and counted);
 *   - younger than --raw-for, and not more than RETENTION_FUTURE_SLACK in
 *     the future: passed untouched (only when --raw-for is given);
 *   - anything else: anonymised, with the key of the epoch of its own
 *     timestamp when keys are per epoch.
 * A line without a timestamp follows --undated: anonymise (the default, with
 * the key of the epoch of the reference time), drop, or keep (untouched).
 */
#ifndef LOGSCRUB_RETENTION_H
#define LOGSCRUB_RETENTION_H

#include <stdbool.h>
#include <stdint.h>

/* --max-age and --raw-for when not given. */
#define RETENTION_UNSET (-1)
/* How far in the future a line's timestamp may be and still be passed raw
 * by --raw-for: writers' clocks a little ahead, and the clock read once per
 * read(2).  Further ahead is suspect, so anonymised. */
#define RETENTION_FUTURE_SLACK 300

enum retention_undated { RETENTION_UNDATED_ANONYMISE, RETENTION_UNDATED_DROP, RETENTION_UNDATED_KEEP };

enum retention_verdict { RETENTION_ANON, RETENTION_RAW, RETENTION_DROP };

struct retention_policy {
	bool now_fixed;			/* --now given */
	int64_t now;			/* --now, unix seconds */
	int64_t max_age, raw_for;	/* seconds, or RETENTION_UNSET */
	enum retention_undated undated;
};

bool retention_uses_time(const struct retention_policy *rp);
int64_t retention_now(const struct retention_policy *rp);
enum retention_verdict retention_judge(const struct retention_policy *rp, int64_t now, bool dated, int64_t t);

#endif
