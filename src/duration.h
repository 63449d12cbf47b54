/*
 * duration: parse the lengths of time written in rule files and options
 * (retention periods, key epochs).
 */
#ifndef LOGSCRUB_DURATION_H
#define LOGSCRUB_DURATION_H

#include <stdint.h>

/*
 * Parse a duration such as "90d", "13mo", "12h", "30m", "45s", "2w", "1y",
 * or several of them run together in decreasing order of unit ("1d12h",
 * "1y6mo", "1h30m").  Units, all lower case:
 *   y   year  = 365.2425 days = 31556952 s (the mean Gregorian year)
 *   mo  month = y / 12 = 30.436875 days = 2629746 s (mean Gregorian month)
 *   w   week  = 604800 s
 *   d   day   = 86400 s
 *   h   hour  = 3600 s
 *   m   minute = 60 s (months are "mo")
 *   s   second
 * Months and years are fixed lengths, not calendar steps, so that a
 * retention window is the same length whatever the date: "13mo" keeps the
 * same span of log in March as in September.
 * Returns 0 and sets *secs, or -1 (and *secs untouched) on an empty string,
 * a number without a unit, an unknown or upper-case unit, a unit repeated or
 * out of order ("12h1d"), a sign, blanks, or a total above DURATION_MAX.
 */
int duration_parse(const char *s, int64_t *secs);

/* Longest duration accepted: 10000 mean years, longer than any four-digit
 * year a timestamp can have, and far from int64_t overflow when added to
 * one. */
#define DURATION_MAX (INT64_C(10000) * 31556952)

#endif
