/*
 * timestamp: find and parse a log line's own timestamp, in place.
 *
 * Called once per line on the hot path (retention decides from the result
 * whether the line is dropped, passed, and which key epoch pseudonymises it),
 * so nothing here allocates, copies to a NUL-terminated buffer, or touches
 * the locale: every parser reads (const char *p, size_t n) and never looks at
 * p[n] or beyond.  Times come out as int64_t seconds since 1970-01-01 UTC,
 * computed with Howard Hinnant's days-from-civil; fractions of a second are
 * dropped (rounded toward the past).  A leap second (:60) counts as the first
 * second of the next minute, as POSIX time does.
 *
 * Formats, as real logs write them:
 *   TS_CLF           24/Nov/2026:10:00:01 +0100      common/combined log format;
 *                    the zone may be missing (then UTC).  The caller may
 *                    point at the '[' instead: then the closing ']' must
 *                    follow and is consumed too.
 *   TS_RFC3164       Nov 24 10:00:01, Nov  4 10:00:01 (also "Nov 4", and an
 *                    optional .fraction).  No year: see ts_parse.  No zone:
 *                    read as UTC (there is no --timezone).
 *   TS_ISO8601       2026-11-24T10:00:01Z, 2026-11-24T10:00:01.123456+01:00,
 *                    2026-11-24 10:00:01 (RFC 3339 / RFC 5424 / ISO 8601
 *                    extended form; separator 'T', 't' or one space; the
 *                    fraction may use '.' or ','; zone Z, z, +hh:mm or +hhmm
 *                    written right after the time; no zone means UTC).
 *   TS_NGINX_ERROR   2026/11/24 10:00:10 (nginx writes local time; read as
 *                    UTC).
 *   TS_EXIM          2026-11-24 10:01:09, with an optional .mmm (exim's
 *                    +millisec) and an optional " +0100" after one space
 *                    (exim's log_timezone).
 *   TS_APACHE_ERROR  Tue Nov 24 10:00:11.123456 2026, also without the
 *                    fraction; the weekday must be a weekday name but is not
 *                    checked against the date (real logs get it wrong).  A
 *                    leading '[' works as for TS_CLF.
 *   TS_EPOCH         1764000000, 1764000000.123 (9 or 10 integer digits, no
 *                    leading zero, so 1973-03-03 to 2286-11-20) or exactly 13
 *                    digits without a fraction as milliseconds
 *                    (1764000000123).  The number must not be followed by a
 *                    digit, a letter or a '.', so a version string, an IPv4
 *                    address or a longer number is never taken for a time.
 *   TS_TAI64N        @4000000063c9c5bd2d6e3c84 (daemontools, s6): the label
 *                    minus 2^62 + 10.  No leap-second table is applied: the
 *                    writers put 2^62 + 10 + time() in the label, so this is
 *                    the inverse of what they do, and it gives back the
 *                    writer's POSIX time exactly.
 */
#ifndef LOGSCRUB_TIMESTAMP_H
#define LOGSCRUB_TIMESTAMP_H

#include <stddef.h>
#include <stdint.h>

enum ts_format {
	TS_AUTO = 0,
	TS_CLF,
	TS_RFC3164,
	TS_ISO8601,
	TS_NGINX_ERROR,
	TS_EXIM,
	TS_APACHE_ERROR,
	TS_EPOCH,
	TS_TAI64N
};

/* The last value of enum ts_format, for loops over every format. */
#define TS_FORMAT_LAST TS_TAI64N

/*
 * Parse a timestamp of format fmt starting exactly at p[0] (TS_AUTO: try
 * every format and keep the longest match).  Returns the number of bytes
 * consumed (> 0, at most n) and sets *t to unix seconds; returns 0 and leaves
 * *t alone if p does not start with a valid timestamp of that format: a field
 * out of range (month 13, Feb 30 in a common year, hour 24, minute 60,
 * second 61), a truncated stamp, or a stamp followed directly by a digit.
 *
 * ref (unix seconds within years 0000-9999, normally the time the program
 * started) is used only for the year of TS_RFC3164: the year chosen is the
 * latest one, among the next year and up to eight years back, that gives a
 * valid date not more than seven days after ref.  So a "Dec 31" line read on Jan 2 is last year's, and
 * a "Jan 1" line read on Dec 31 (a clock or zone slightly ahead) is next
 * year's, and "Feb 29" goes to the latest leap year.
 */
size_t ts_parse(const char *p, size_t n, enum ts_format fmt, int64_t ref, int64_t *t);

/*
 * Find the timestamp of a log line (without its newline), in free text.
 * Looked for, in this order (the window is the first 256 bytes of the line,
 * TS_FIND_WINDOW in timestamp.c):
 *   - a JSON object ('{' first): the value of the first "ts", "time",
 *     "timestamp" or "@timestamp" key in the window, quoted or not (Caddy
 *     writes "ts":1764000000.123); nothing else is tried on such a line;
 *   - at the start of the line, after any spaces or tabs in the window and
 *     an optional syslog "<PRI>" or RFC 5424 "<PRI>1 " prefix;
 *   - just after each of the first three '[' in the window (access logs:
 *     "host ident user [date]"; "[level] [date]").
 * Every format is tried at each place (TS_AUTO), so a line that starts with a
 * 9-10 digit number (squid's access log: epoch.ms) takes it for its time.
 * Returns 1 and sets *t, or 0.  A line without a timestamp costs a few byte
 * tests per format and a memchr over at most the window.
 */
int ts_find(const char *line, size_t n, int64_t ref, int64_t *t);

/*
 * Map a format name used in rule files to its enum value: "auto", "clf",
 * "rfc3164", "iso8601", "nginx-error", "exim", "apache-error", "epoch",
 * "tai64n".  Returns -1 for an unknown name (or NULL).
 */
int ts_format_from_name(const char *name);

/*
 * Days from 1970-01-01 to y-m-d (proleptic Gregorian; m 1-12, d 1-31, not
 * checked), negative before 1970.  Shared with the key epochs (epoch.c).
 */
int64_t ts_days_from_civil(int64_t y, int m, int d);

#endif
