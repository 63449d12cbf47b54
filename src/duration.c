/*
 * duration: "90d", "13mo", "1d12h" to seconds.  See duration.h.
 */
#include "config.h"

#include "duration.h"

#include <stddef.h>
#include <string.h>

/* One unit: its suffix and its length in seconds. */
struct duration_unit {
	const char *suffix;
	int64_t secs;
};

/* Longest first, the order combinations must follow.  "mo" comes before
 * "m", so that a suffix is matched whole. */
static const struct duration_unit duration_units[] = {
	{ "y", 31556952 },      /* 365.2425 d, the mean Gregorian year */
	{ "mo", 2629746 },      /* 30.436875 d, a twelfth of that year */
	{ "w", 604800 },
	{ "d", 86400 },
	{ "h", 3600 },
	{ "m", 60 },
	{ "s", 1 },
};

/* Number of entries in duration_units. */
#define DURATION_UNITS (sizeof duration_units / sizeof duration_units[0])

/*
 * Read number-unit pairs left to right.  Each unit must come later in
 * duration_units than the one before, which forbids repeats and odd orders
 * and keeps "1m1mo" from meaning something surprising.  Every step checks
 * the running total against DURATION_MAX before it can overflow.
 */
int
duration_parse(const char *s, int64_t *secs)
{
	int64_t total = 0, v;
	size_t next = 0, k, len;

	if (s == NULL || *s == '\0')
		return -1;
	while (*s != '\0') {
		if (*s < '0' || *s > '9')
			return -1;
		for (v = 0; *s >= '0' && *s <= '9'; s++) {
			v = v * 10 + (*s - '0');
			if (v > DURATION_MAX)
				return -1;
		}
		for (k = next; k < DURATION_UNITS; k++) {
			len = strlen(duration_units[k].suffix);
			if (strncmp(s, duration_units[k].suffix, len) == 0 &&
			    !(s[len] >= 'a' && s[len] <= 'z'))
				break;
		}
		if (k == DURATION_UNITS ||
		    v > (DURATION_MAX - total) / duration_units[k].secs)
			return -1;
		total += v * duration_units[k].secs;
		s += strlen(duration_units[k].suffix);
		next = k + 1;
	}
	*secs = total;
	return 0;
}
