/*
 * retention: age tiers and the reference time.  See retention.h.
 */
#include "config.h"

#include "retention.h"

#include <time.h>

/* True when some verdict depends on a line's timestamp, so that a run
 * without retention options never looks for one. */
bool
retention_uses_time(const struct retention_policy *rp)
{
	return rp->max_age != RETENTION_UNSET || rp->raw_for != RETENTION_UNSET ||
	    rp->undated != RETENTION_UNDATED_ANONYMISE;
}

/* The reference time: --now, or the clock (clock_gettime, a vDSO call on
 * Linux, no system call). */
int64_t
retention_now(const struct retention_policy *rp)
{
	struct timespec ts;

	if (rp->now_fixed)
		return rp->now;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

/* What happens to a line whose timestamp is t (when dated) at reference
 * time now; see retention.h. */
enum retention_verdict
retention_judge(const struct retention_policy *rp, int64_t now, bool dated, int64_t t)
{
	if (!dated)
		return rp->undated == RETENTION_UNDATED_DROP ? RETENTION_DROP :
		    rp->undated == RETENTION_UNDATED_KEEP ? RETENTION_RAW : RETENTION_ANON;
	if (rp->max_age != RETENTION_UNSET && now - t > rp->max_age)
		return RETENTION_DROP;
	if (rp->raw_for != RETENTION_UNSET && now - t < rp->raw_for && t - now <= RETENTION_FUTURE_SLACK)
		return RETENTION_RAW;
	return RETENTION_ANON;
}
