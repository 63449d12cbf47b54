/*
 * epoch: numbers, start times and names of key epochs.  See epoch.h.
 */
#include "config.h"

#include "epoch.h"

#include <stdio.h>
#include <string.h>

#include "timestamp.h"

/* Seconds in a day, and days in a week. */
#define EPOCH_DAY_SECS 86400
#define EPOCH_WEEK_DAYS 7
/* Day number of the Monday that starts week 0: 1969-12-29 (1970-01-01 was
 * a Thursday). */
#define EPOCH_WEEK0_MONDAY (-3)

/* a / b rounded toward minus infinity (b > 0). */
static int64_t
floor_div(int64_t a, int64_t b)
{
	return (a >= 0 ? a : a - (b - 1)) / b;
}

/* The civil date of day number z (Hinnant's civil_from_days). */
static void
civil(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* The number of the epoch of kind that unix time t falls in. */
int64_t
epoch_of(enum epoch_kind kind, int64_t t)
{
	int64_t day = floor_div(t, EPOCH_DAY_SECS), y;
	int m, d;

	switch (kind) {
	case EPOCH_WEEK:
		return floor_div(day - EPOCH_WEEK0_MONDAY, EPOCH_WEEK_DAYS);
	case EPOCH_MONTH:
		civil(day, &y, &m, &d);
		return y * 12 + m - 1;
	default:
		return day;
	}
}

/* The unix time at which epoch e of kind starts (its first second). */
int64_t
epoch_start(enum epoch_kind kind, int64_t e)
{
	switch (kind) {
	case EPOCH_WEEK:
		return (e * EPOCH_WEEK_DAYS + EPOCH_WEEK0_MONDAY) * EPOCH_DAY_SECS;
	case EPOCH_MONTH:
		return ts_days_from_civil(floor_div(e, 12), (int)(e - floor_div(e, 12) * 12) + 1, 1) *
		    EPOCH_DAY_SECS;
	default:
		return e * EPOCH_DAY_SECS;
	}
}

/* Write the name of epoch e ("2026-11-24", "2026-W48", "2026-11") to out. */
void
epoch_name(enum epoch_kind kind, int64_t e, char out[EPOCH_NAMELEN])
{
	int64_t y, ty;
	int m, d;

	switch (kind) {
	case EPOCH_WEEK:
		/* the ISO year is the year of the week's Thursday */
		civil(e * EPOCH_WEEK_DAYS + EPOCH_WEEK0_MONDAY + 3, &y, &m, &d);
		ty = e * EPOCH_WEEK_DAYS + EPOCH_WEEK0_MONDAY + 3 - ts_days_from_civil(y, 1, 1);
		snprintf(out, EPOCH_NAMELEN, "%04lld-W%02d", (long long)y, (int)(ty / EPOCH_WEEK_DAYS + 1));
		break;
	case EPOCH_MONTH:
		snprintf(out, EPOCH_NAMELEN, "%04lld-%02d", (long long)floor_div(e, 12),
		    (int)(e - floor_div(e, 12) * 12) + 1);
		break;
	default:
		civil(e, &y, &m, &d);
		snprintf(out, EPOCH_NAMELEN, "%04lld-%02d-%02d", (long long)y, m, d);
		break;
	}
}

/*
 * Parse the epoch name s[0..n) of kind into *e.  Returns 0, or -1 when s is
 * not exactly the name of an epoch of that kind (so "2026-W53", a week 2026
 * does not have, or a day name in a month directory, is refused): the
 * fields are read loosely, then the name of the epoch they give must be s.
 */
int
epoch_parse(enum epoch_kind kind, const char *s, size_t n, int64_t *e)
{
	char name[EPOCH_NAMELEN], tail;
	int y, m, d = 1, fields;
	int64_t guess;

	if (n == 0 || n >= EPOCH_NAMELEN)
		return -1;
	memcpy(name, s, n);
	name[n] = '\0';
	switch (kind) {
	case EPOCH_WEEK:
		fields = sscanf(name, "%4d-W%2d%c", &y, &m, &tail);
		if (fields != 2 || m < 1 || m > 53)
			return -1;
		/* Jan 4 is in week 1; step from its week */
		guess = floor_div(ts_days_from_civil(y, 1, 4) - EPOCH_WEEK0_MONDAY, EPOCH_WEEK_DAYS) + m - 1;
		break;
	case EPOCH_MONTH:
		fields = sscanf(name, "%4d-%2d%c", &y, &m, &tail);
		if (fields != 2 || m < 1 || m > 12)
			return -1;
		guess = (int64_t)y * 12 + m - 1;
		break;
	default:
		fields = sscanf(name, "%4d-%2d-%2d%c", &y, &m, &d, &tail);
		if (fields != 3 || m < 1 || m > 12 || d < 1 || d > 31)
			return -1;
		guess = ts_days_from_civil(y, m, d);
		break;
	}
	epoch_name(kind, guess, name);
	if (strlen(name) != n || memcmp(name, s, n) != 0)
		return -1;
	*e = guess;
	return 0;
}
