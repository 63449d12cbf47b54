/*
 * timestamp: hand-written, in-place parsers for the timestamps real logs
 * write.  See timestamp.h for the formats and the contract.
 *
 * Every reader below takes (p, n, i) and checks i against n before it looks
 * at p[i], so no parser reads past n whatever the input.
 */
#include "config.h"

#include "timestamp.h"

#include <string.h>

/* How far into a line ts_find looks: for a JSON key, for a '[', and across
 * leading blanks.  Real prefixes (a vhost, an address, "- -", a JSON "level"
 * field) fit easily; a longer search would cost time on lines with no
 * timestamp at all. */
#define TS_FIND_WINDOW 256

/* How many '[' in that window ts_find tries: "host - - [date]" needs the
 * first, "[level] [date]" the second. */
#define TS_FIND_MAX_BRACKETS 3

/* How far after ref an RFC 3164 time (no year) may fall and still be taken
 * for this year rather than last year: a clock or zone somewhat ahead. */
#define TS_FUTURE_SLACK (7 * 86400)

/* How many years back from ref the RFC 3164 year search goes: enough to
 * reach a leap year for "Feb 29" even across 2100 (eight years). */
#define TS_YEARS_BACK 8

/* Seconds in a day. */
#define TS_DAY 86400

/* Latest time a TAI64N label may give: 9999-12-31T23:59:59Z, the end of the
 * four-digit years every other format is limited to, so that callers can
 * add a retention period without overflow. */
#define TS_MAX_TIME INT64_C(253402300799)

/* Hex digits in a TAI64N stamp after the '@': 16 of label, 8 of nanoseconds. */
#define TS_TAI64N_DIGITS 24

/* Number of digits of epoch milliseconds (2001-09-09 to 2286-11-20). */
#define TS_EPOCH_MS_DIGITS 13

/* The fields of a broken-down time, as a parser reads them. */
struct ts_fields {
	int year;
	int mon;        /* 1..12 */
	int day;        /* 1..31 */
	int hour;
	int min;
	int sec;        /* 0..60 */
	int off;        /* zone offset, seconds east of UTC */
};

static const char ts_months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
static const char ts_wdays[] = "SunMonTueWedThuFriSat";

static int
ts_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
ts_is_alnum(char c)
{
	return ts_is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Value of hex digit c, or -1. */
static int
ts_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Howard
 * Hinnant, "chrono-Compatible Low-Level Date Algorithms", days_from_civil).
 * Exact for any year in int range; no table, no branch on the month.
 */
int64_t
ts_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The Gregorian year that unix time t falls in (Hinnant's civil_from_days,
 * year part only). */
static int64_t
ts_year_of(int64_t t)
{
	int64_t z, era, doe, yoe, doy, mp;

	z = (t >= 0 ? t : t - (TS_DAY - 1)) / TS_DAY + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	return yoe + era * 400 + (mp >= 10);
}

static int
ts_is_leap(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

/* Days in month m (1..12) of year y. */
static int
ts_month_days(int64_t y, int m)
{
	static const unsigned char days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && ts_is_leap(y) ? 29 : days[m - 1];
}

/* 1 if every field of f is in range (the day checked against its month and
 * year), else 0. */
static int
ts_fields_valid(const struct ts_fields *f)
{
	return f->mon >= 1 && f->mon <= 12 &&
	    f->day >= 1 && f->day <= ts_month_days(f->year, f->mon) &&
	    f->hour <= 23 && f->min <= 59 && f->sec <= 60;
}

static int64_t
ts_fields_time(const struct ts_fields *f)
{
	return ts_days_from_civil(f->year, f->mon, f->day) * TS_DAY +
	    f->hour * 3600 + f->min * 60 + f->sec - f->off;
}

/* Read exactly w (1..4) decimal digits at p[i] into *v.  Returns i + w, or
 * 0 if they are not all there. */
static size_t
ts_num(const char *p, size_t n, size_t i, size_t w, int *v)
{
	int x = 0;
	size_t k;

	if (i > n || n - i < w)
		return 0;
	for (k = 0; k < w; k++) {
		if (!ts_is_digit(p[i + k]))
			return 0;
		x = x * 10 + (p[i + k] - '0');
	}
	*v = x;
	return i + w;
}

/* 1 if p[i] exists and is c. */
static int
ts_at(const char *p, size_t n, size_t i, char c)
{
	return i < n && p[i] == c;
}

/* Read a three-letter English month name ("Jan") at p[i].  Returns i + 3 and
 * sets *mon to 1..12, or 0. */
static size_t
ts_month(const char *p, size_t n, size_t i, int *mon)
{
	int k;

	if (i > n || n - i < 3)
		return 0;
	for (k = 0; k < 12; k++) {
		if (memcmp(p + i, ts_months + 3 * k, 3) == 0) {
			*mon = k + 1;
			return i + 3;
		}
	}
	return 0;
}

/* Read a three-letter English weekday name at p[i].  Returns i + 3, or 0. */
static size_t
ts_wday(const char *p, size_t n, size_t i)
{
	int k;

	if (i > n || n - i < 3)
		return 0;
	for (k = 0; k < 7; k++)
		if (memcmp(p + i, ts_wdays + 3 * k, 3) == 0)
			return i + 3;
	return 0;
}

/* Read a day of month as syslog and ctime write it: "24", " 4" or "4"
 * (the last when a single digit is followed by a space). */
static size_t
ts_mday(const char *p, size_t n, size_t i, int *day)
{
	size_t j;

	if (ts_at(p, n, i, ' '))
		return ts_num(p, n, i + 1, 1, day);
	if ((j = ts_num(p, n, i, 2, day)) != 0)
		return j;
	if ((j = ts_num(p, n, i, 1, day)) != 0 && ts_at(p, n, j, ' '))
		return j;
	return 0;
}

/* Read "HH:MM:SS" at p[i] into f. */
static size_t
ts_hms(const char *p, size_t n, size_t i, struct ts_fields *f)
{
	if ((i = ts_num(p, n, i, 2, &f->hour)) == 0 || !ts_at(p, n, i, ':') ||
	    (i = ts_num(p, n, i + 1, 2, &f->min)) == 0 || !ts_at(p, n, i, ':'))
		return 0;
	return ts_num(p, n, i + 1, 2, &f->sec);
}

/* Skip an optional fraction of a second at p[i]: '.' (or comma, if comma is
 * set, as ISO 8601 allows) and one or more digits.  Returns the index after
 * it (i if there is none). */
static size_t
ts_frac(const char *p, size_t n, size_t i, int comma)
{
	size_t j;

	if (i + 1 >= n || !(p[i] == '.' || (comma && p[i] == ',')) ||
	    !ts_is_digit(p[i + 1]))
		return i;
	for (j = i + 1; j < n && ts_is_digit(p[j]); j++)
		;
	return j;
}

/*
 * Read an optional numeric zone at p[i]: "+hhmm" or "-hhmm", or with colon
 * set also "+hh:mm".  Returns the index after it and sets f->off; returns i
 * if p[i] is not a sign followed by a digit (no zone there); returns 0 if it
 * is, but the zone is cut short or out of range, because a time read without
 * its zone would be wrong by hours.
 */
static size_t
ts_zone(const char *p, size_t n, size_t i, int colon, struct ts_fields *f)
{
	int sign, hh, mm;
	size_t j;

	if (i + 1 >= n || (p[i] != '+' && p[i] != '-') || !ts_is_digit(p[i + 1]))
		return i;
	sign = p[i] == '-' ? -1 : 1;
	if ((j = ts_num(p, n, i + 1, 2, &hh)) == 0)
		return 0;
	if (colon && ts_at(p, n, j, ':'))
		j++;
	if ((j = ts_num(p, n, j, 2, &mm)) == 0 || hh > 23 || mm > 59)
		return 0;
	f->off = sign * (hh * 3600 + mm * 60);
	return j;
}

/* Finish a parse: the stamp ends at p[i]; it must not run on into a digit,
 * and its fields must be in range.  Returns i and sets *t, or 0. */
static size_t
ts_finish(const char *p, size_t n, size_t i, const struct ts_fields *f,
    int64_t *t)
{
	if (i == 0 || (i < n && ts_is_digit(p[i])) || !ts_fields_valid(f))
		return 0;
	*t = ts_fields_time(f);
	return i;
}

/* If p[0] is '[', the stamp starts at 1 and must be closed by ']'.  Returns
 * the start of the stamp. */
static size_t
ts_open_bracket(const char *p, size_t n)
{
	return ts_at(p, n, 0, '[') ? 1 : 0;
}

/* Close what ts_open_bracket opened: after a stamp ending at i, consume the
 * ']' if the stamp started with '['.  Returns the new end, or 0. */
static size_t
ts_close_bracket(const char *p, size_t n, size_t start, size_t i)
{
	if (i == 0 || start == 0)
		return i;
	return ts_at(p, n, i, ']') ? i + 1 : 0;
}

/* CLF: "24/Nov/2026:10:00:01 +0100", optionally in brackets. */
static size_t
ts_parse_clf(const char *p, size_t n, int64_t *t)
{
	struct ts_fields f = { 0 };
	size_t s = ts_open_bracket(p, n), i, j;

	if ((i = ts_num(p, n, s, 2, &f.day)) == 0 || !ts_at(p, n, i, '/') ||
	    (i = ts_month(p, n, i + 1, &f.mon)) == 0 || !ts_at(p, n, i, '/') ||
	    (i = ts_num(p, n, i + 1, 4, &f.year)) == 0 || !ts_at(p, n, i, ':') ||
	    (i = ts_hms(p, n, i + 1, &f)) == 0)
		return 0;
	if (ts_at(p, n, i, ' ') && (j = ts_zone(p, n, i + 1, 0, &f)) != i + 1)
		i = j;
	if ((i = ts_close_bracket(p, n, s, i)) == 0)
		return 0;
	return ts_finish(p, n, i, &f, t);
}

/* RFC 3164: "Nov 24 10:00:01", no year: the latest year from ref + 1 down to
 * ref - TS_YEARS_BACK that makes a valid date at most TS_FUTURE_SLACK after
 * ref. */
static size_t
ts_parse_rfc3164(const char *p, size_t n, int64_t ref, int64_t *t)
{
	struct ts_fields f = { 0 };
	int64_t y, y0;
	size_t i;

	if ((i = ts_month(p, n, 0, &f.mon)) == 0 || !ts_at(p, n, i, ' ') ||
	    (i = ts_mday(p, n, i + 1, &f.day)) == 0 || !ts_at(p, n, i, ' ') ||
	    (i = ts_hms(p, n, i + 1, &f)) == 0)
		return 0;
	i = ts_frac(p, n, i, 0);
	y0 = ts_year_of(ref);
	for (y = y0 + 1; y >= y0 - TS_YEARS_BACK; y--) {
		f.year = (int)y;
		if (ts_finish(p, n, i, &f, t) != 0 && *t <= ref + TS_FUTURE_SLACK)
			return i;
	}
	return 0;
}

/* ISO 8601 / RFC 3339, or (exim != 0) exim's "2026-11-24 10:01:09 +0100". */
static size_t
ts_parse_iso(const char *p, size_t n, int exim, int64_t *t)
{
	struct ts_fields f = { 0 };
	size_t i, j;

	if ((i = ts_num(p, n, 0, 4, &f.year)) == 0 || !ts_at(p, n, i, '-') ||
	    (i = ts_num(p, n, i + 1, 2, &f.mon)) == 0 || !ts_at(p, n, i, '-') ||
	    (i = ts_num(p, n, i + 1, 2, &f.day)) == 0 || i >= n)
		return 0;
	if (!(p[i] == ' ' || (!exim && (p[i] == 'T' || p[i] == 't'))))
		return 0;
	if ((i = ts_hms(p, n, i + 1, &f)) == 0)
		return 0;
	if (exim) {
		i = ts_frac(p, n, i, 0);
		if (ts_at(p, n, i, ' ') && (j = ts_zone(p, n, i + 1, 0, &f)) != i + 1)
			i = j;
		return ts_finish(p, n, i, &f, t);
	}
	i = ts_frac(p, n, i, 1);
	if (ts_at(p, n, i, 'Z') || ts_at(p, n, i, 'z'))
		i++;
	else
		i = ts_zone(p, n, i, 1, &f);
	return ts_finish(p, n, i, &f, t);
}

/* nginx error log: "2026/11/24 10:00:10". */
static size_t
ts_parse_nginx(const char *p, size_t n, int64_t *t)
{
	struct ts_fields f = { 0 };
	size_t i;

	if ((i = ts_num(p, n, 0, 4, &f.year)) == 0 || !ts_at(p, n, i, '/') ||
	    (i = ts_num(p, n, i + 1, 2, &f.mon)) == 0 || !ts_at(p, n, i, '/') ||
	    (i = ts_num(p, n, i + 1, 2, &f.day)) == 0 || !ts_at(p, n, i, ' '))
		return 0;
	return ts_finish(p, n, ts_hms(p, n, i + 1, &f), &f, t);
}

/* Apache error log: "Tue Nov 24 10:00:11.123456 2026", optionally in
 * brackets. */
static size_t
ts_parse_apache(const char *p, size_t n, int64_t *t)
{
	struct ts_fields f = { 0 };
	size_t s = ts_open_bracket(p, n), i;

	if ((i = ts_wday(p, n, s)) == 0 || !ts_at(p, n, i, ' ') ||
	    (i = ts_month(p, n, i + 1, &f.mon)) == 0 || !ts_at(p, n, i, ' ') ||
	    (i = ts_mday(p, n, i + 1, &f.day)) == 0 || !ts_at(p, n, i, ' ') ||
	    (i = ts_hms(p, n, i + 1, &f)) == 0)
		return 0;
	i = ts_frac(p, n, i, 0);
	if (!ts_at(p, n, i, ' ') || (i = ts_num(p, n, i + 1, 4, &f.year)) == 0)
		return 0;
	if ((i = ts_close_bracket(p, n, s, i)) == 0)
		return 0;
	return ts_finish(p, n, i, &f, t);
}

/* Epoch seconds (9-10 digits, optional fraction) or milliseconds (13
 * digits), not followed by a digit, a letter or a '.'. */
static size_t
ts_parse_epoch(const char *p, size_t n, int64_t *t)
{
	int64_t v = 0;
	size_t i;

	if (n == 0 || p[0] < '1' || p[0] > '9')
		return 0;
	for (i = 0; i < n && i <= TS_EPOCH_MS_DIGITS && ts_is_digit(p[i]); i++)
		v = v * 10 + (p[i] - '0');
	if (i == TS_EPOCH_MS_DIGITS)
		v /= 1000;
	else if (i == 9 || i == 10)
		i = ts_frac(p, n, i, 0);
	else
		return 0;
	if (i < n && (ts_is_alnum(p[i]) || p[i] == '.'))
		return 0;
	*t = v;
	return i;
}

/* TAI64N: '@', 16 hex digits of TAI64 label, 8 of nanoseconds. */
static size_t
ts_parse_tai64n(const char *p, size_t n, int64_t *t)
{
	uint64_t label = 0;
	uint32_t nano = 0;
	size_t k;
	int h;

	if (n < 1 + TS_TAI64N_DIGITS || p[0] != '@')
		return 0;
	for (k = 1; k <= TS_TAI64N_DIGITS; k++) {
		if ((h = ts_hex(p[k])) < 0)
			return 0;
		if (k <= 16)
			label = label << 4 | (uint64_t)h;
		else
			nano = nano << 4 | (uint32_t)h;
	}
	/* Labels below 2^62 are before 1970 by more than 2^62 s; at or above
	 * 2^63 they are reserved.  Nanoseconds stop at 999999999. */
	if ((label >> 62) != 1 || nano > 999999999u)
		return 0;
	if (k < n && ts_hex(p[k]) >= 0)
		return 0;
	if (label - (UINT64_C(1) << 62) > (uint64_t)TS_MAX_TIME + 10)
		return 0;
	*t = (int64_t)(label - (UINT64_C(1) << 62)) - 10;
	return k;
}

/* One format at p; TS_AUTO is handled by the caller. */
static size_t
ts_parse_one(const char *p, size_t n, enum ts_format fmt, int64_t ref,
    int64_t *t)
{
	switch (fmt) {
	case TS_CLF:
		return ts_parse_clf(p, n, t);
	case TS_RFC3164:
		return ts_parse_rfc3164(p, n, ref, t);
	case TS_ISO8601:
		return ts_parse_iso(p, n, 0, t);
	case TS_NGINX_ERROR:
		return ts_parse_nginx(p, n, t);
	case TS_EXIM:
		return ts_parse_iso(p, n, 1, t);
	case TS_APACHE_ERROR:
		return ts_parse_apache(p, n, t);
	case TS_EPOCH:
		return ts_parse_epoch(p, n, t);
	case TS_TAI64N:
		return ts_parse_tai64n(p, n, t);
	case TS_AUTO:
		break;
	}
	return 0;
}

/* The formats that p (n > 0) can start with, judged from its first five
 * bytes, as a mask of 1 << format: lets TS_AUTO skip at once the parsers
 * that would fail early anyway. */
static unsigned
ts_auto_candidates(const char *p, size_t n)
{
	if (ts_is_digit(p[0])) {
		if (ts_at(p, n, 2, '/'))
			return 1u << TS_CLF;
		if (ts_at(p, n, 4, '-'))
			return 1u << TS_ISO8601 | 1u << TS_EXIM;
		if (ts_at(p, n, 4, '/'))
			return 1u << TS_NGINX_ERROR;
		return 1u << TS_EPOCH;
	}
	if (p[0] >= 'A' && p[0] <= 'Z')
		return 1u << TS_RFC3164 | 1u << TS_APACHE_ERROR;
	if (p[0] == '[')
		return 1u << TS_CLF | 1u << TS_APACHE_ERROR;
	if (p[0] == '@')
		return 1u << TS_TAI64N;
	return 0;
}

/*
 * TS_AUTO tries every format that can start with p[0] and keeps the longest
 * match, so that exim's "2026-11-24 10:01:09 +0100" wins over the ISO
 * reading that stops before the zone.  Each parser gives up at the first
 * byte that does not fit, so a failed AUTO costs a handful of byte tests.
 */
size_t
ts_parse(const char *p, size_t n, enum ts_format fmt, int64_t ref, int64_t *t)
{
	size_t best = 0, len;
	int64_t v, bestv = 0;
	unsigned mask;
	int f;

	if (fmt != TS_AUTO)
		return ts_parse_one(p, n, fmt, ref, t);
	if (n == 0 || (mask = ts_auto_candidates(p, n)) == 0)
		return 0;
	for (f = TS_AUTO + 1; f <= TS_FORMAT_LAST; f++) {
		if ((mask & 1u << f) == 0)
			continue;
		len = ts_parse_one(p, n, (enum ts_format)f, ref, &v);
		if (len > best) {
			best = len;
			bestv = v;
		}
	}
	if (best != 0)
		*t = bestv;
	return best;
}

/* The JSON keys whose value ts_find takes for the line's time. */
static const char *const ts_json_keys[] = { "ts", "time", "timestamp", "@timestamp" };

/* Number of entries in ts_json_keys. */
#define TS_JSON_KEYS (sizeof ts_json_keys / sizeof ts_json_keys[0])

/* Parse the value after a JSON string whose closing quote is at j - 1:
 * blanks, ':', blanks, an optional '"', then any timestamp.  Returns 1 and
 * sets *t, 0 if the value is not a timestamp, or -1 if no ':' follows (the
 * string was a value, not a key). */
static int
ts_json_value(const char *line, size_t n, size_t j, int64_t ref, int64_t *t)
{
	while (j < n && line[j] == ' ')
		j++;
	if (!ts_at(line, n, j, ':'))
		return -1;
	for (j++; j < n && line[j] == ' '; j++)
		;
	if (ts_at(line, n, j, '"'))
		j++;
	return ts_parse(line + j, n - j, TS_AUTO, ref, t) != 0;
}

/* In a JSON object, find the value of the first time key in the first
 * TS_FIND_WINDOW bytes and parse it (quoted or bare).  Returns 1 and sets
 * *t, or 0. */
static int
ts_find_json(const char *line, size_t n, int64_t ref, int64_t *t)
{
	size_t w = n < TS_FIND_WINDOW ? n : TS_FIND_WINDOW, i, j, len, k;
	const char *q;
	int r;

	for (i = 0; (q = memchr(line + i, '"', w - i)) != NULL; i = j) {
		i = (size_t)(q - line) + 1;
		if ((q = memchr(line + i, '"', w - i)) == NULL)
			return 0;
		len = (size_t)(q - line) - i;
		j = i + len + 1;
		for (k = 0; k < TS_JSON_KEYS; k++)
			if (strlen(ts_json_keys[k]) == len &&
			    memcmp(line + i, ts_json_keys[k], len) == 0 &&
			    (r = ts_json_value(line, n, j, ref, t)) >= 0)
				return r;
	}
	return 0;
}

/* Skip a syslog "<PRI>" (1-3 digits) and the RFC 5424 version "1 " after
 * it.  Returns the index after the prefix, or i if there is none. */
static size_t
ts_skip_pri(const char *p, size_t n, size_t i)
{
	size_t j = i + 1;

	if (!ts_at(p, n, i, '<'))
		return i;
	while (j < n && j - i <= 3 && ts_is_digit(p[j]))
		j++;
	if (j == i + 1 || !ts_at(p, n, j, '>'))
		return i;
	j++;
	if (ts_at(p, n, j, '1') && ts_at(p, n, j + 1, ' '))
		j += 2;
	return j;
}

int
ts_find(const char *line, size_t n, int64_t ref, int64_t *t)
{
	size_t w = n < TS_FIND_WINDOW ? n : TS_FIND_WINDOW, i = 0;
	const char *q;
	int k;

	if (ts_at(line, n, 0, '{'))
		return ts_find_json(line, n, ref, t);
	while (i < w && (line[i] == ' ' || line[i] == '\t'))
		i++;
	i = ts_skip_pri(line, n, i);
	if (ts_parse(line + i, n - i, TS_AUTO, ref, t) != 0)
		return 1;
	for (i = 0, k = 0; k < TS_FIND_MAX_BRACKETS && i < w; k++) {
		if ((q = memchr(line + i, '[', w - i)) == NULL)
			return 0;
		i = (size_t)(q - line) + 1;
		if (ts_parse(line + i, n - i, TS_AUTO, ref, t) != 0)
			return 1;
	}
	return 0;
}

int
ts_format_from_name(const char *name)
{
	/* In the order of enum ts_format, so that the index is the value. */
	static const char *const names[] = {
		"auto", "clf", "rfc3164", "iso8601", "nginx-error", "exim",
		"apache-error", "epoch", "tai64n"
	};
	size_t k;

	if (name == NULL)
		return -1;
	for (k = 0; k < sizeof names / sizeof names[0]; k++)
		if (strcmp(name, names[k]) == 0)
			return (int)k;
	return -1;
}
