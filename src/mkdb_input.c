/*
 * mkdb_input: CSV and tor-geoipdb parsers for logscrub-mkdb.  Speed does
 * not matter here (the biggest input, tor's geoip6, loads in a second), so
 * the parsers favour exact error messages: every rejected line is named by
 * file and line, with the offending field quoted.
 */
#define _POSIX_C_SOURCE 200809L /* getline(3) */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "continent.h"
#include "mkdb_input.h"

/* Most fields on a CSV line: first, last, country, asn, organisation. */
#define CSV_FIELDS_MAX 5
/* Fewest fields on a CSV line: first, last, country. */
#define CSV_FIELDS_MIN 3
/* Fields on a tor-geoipdb line: low, high, country. */
#define TOR_FIELDS 3
/* Longest field quoted back in an error message. */
#define ERR_FIELD_MAX 64

/* One input file being read. */
struct mkdb_reader {
	const char *path;
	unsigned long line;
	char *err;
};

/* Formats "PATH:LINE: message" into the reader's error buffer. */
static void
mkdb_input_error(const struct mkdb_reader *rd, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(rd->err, MKDB_ERR_LEN, "%s:%lu: ", rd->path, rd->line);
	if (n < 0 || n >= MKDB_ERR_LEN)
		return;
	va_start(ap, fmt);
	vsnprintf(rd->err + n, MKDB_ERR_LEN - (size_t)n, fmt, ap);
	va_end(ap);
}

/* Strips spaces and tabs from both ends of s, in place. */
static char *
mkdb_trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/* Splits line at commas into at most max fields, in place.  A field that
 * starts with '"' (after blanks) is CSV-quoted: it runs to the next lone
 * '"', and "" inside stands for one '"'.  Returns the number of fields, or
 * -1 (with an error set) on bad quoting or too many fields. */
static int
mkdb_split(const struct mkdb_reader *rd, char *line, char **field, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		char *start;

		if (n == max) {
			mkdb_input_error(rd, "more than %d fields", max);
			return -1;
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '"') {
			char *out = start = ++p;

			for (;;) {
				if (*p == '\0') {
					mkdb_input_error(rd,
					    "unterminated quoted field");
					return -1;
				}
				if (*p == '"' && p[1] != '"')
					break;
				if (*p == '"')
					p++;
				*out++ = *p++;
			}
			p++;
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p != ',' && *p != '\0') {
				mkdb_input_error(rd,
				    "text after closing quote in field %d",
				    n + 1);
				return -1;
			}
			*out = '\0';
			field[n++] = start;
			if (*p++ == '\0')
				return n;
		} else {
			char *comma = strchr(start = p, ',');

			if (comma != NULL)
				*comma = '\0';
			field[n++] = mkdb_trim(start);
			if (comma == NULL)
				return n;
			p = comma + 1;
		}
	}
}

/* Parses an IPv4 or IPv6 address in s into the tree's byte layout: an IPv4
 * tree takes IPv4 only, in bytes 0-3; an IPv6 tree takes both, IPv4 under
 * ::/96.  *family is set to 4 or 6.  Returns 0, or -1 with an error set. */
static int
mkdb_parse_addr(const struct mkdb_reader *rd, const char *s, int ip_version,
    uint8_t addr[MMDBW_ADDR_LEN], int *family)
{
	uint8_t v4[4];

	memset(addr, 0, MMDBW_ADDR_LEN);
	if (inet_pton(AF_INET, s, v4) == 1) {
		memcpy(ip_version == 4 ? addr : addr + MMDBW_ADDR_LEN - 4, v4, 4);
		*family = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, s, addr) == 1) {
		if (ip_version == 4) {
			mkdb_input_error(rd, "IPv6 address \"%.*s\" in an "
			    "IPv4 database", ERR_FIELD_MAX, s);
			return -1;
		}
		*family = 6;
		return 0;
	}
	mkdb_input_error(rd, "bad address \"%.*s\"", ERR_FIELD_MAX, s);
	return -1;
}

/* Parses a decimal number from 0 to max (digits only). */
static int
mkdb_parse_uint(const char *s, unsigned long max, unsigned long *v)
{
	unsigned long n = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || n > (max - (unsigned)(*s - '0')) / 10)
			return -1;
		n = n * 10 + (unsigned)(*s - '0');
	}
	*v = n;
	return 0;
}

/* Checks that s is well-formed UTF-8 (no overlongs, surrogates or code
 * points past U+10FFFF), as the format requires of utf8_string. */
static int
mkdb_utf8_valid(const unsigned char *s)
{
	while (*s != '\0') {
		unsigned long cp;
		int more;

		if (*s < 0x80) {
			s++;
			continue;
		} else if ((*s & 0xe0) == 0xc0) {
			cp = *s & 0x1f, more = 1;
		} else if ((*s & 0xf0) == 0xe0) {
			cp = *s & 0x0f, more = 2;
		} else if ((*s & 0xf8) == 0xf0) {
			cp = *s & 0x07, more = 3;
		} else {
			return 0;
		}
		for (int i = 1; i <= more; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i] & 0x3f);
		}
		if ((more == 1 && cp < 0x80) || (more == 2 && cp < 0x800) ||
		    (more == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		s += more + 1;
	}
	return 1;
}

/* Fills rec's country and continent from a two-letter code (either case).
 * Returns 0, or -1 with an error set. */
static int
mkdb_parse_country(const struct mkdb_reader *rd, const char *s,
    struct mmdbw_record *rec)
{
	const char *cont;

	for (int i = 0; i < 2; i++) {
		char c = s[i];

		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c < 'A' || c > 'Z') {
			mkdb_input_error(rd, "bad country \"%.*s\"",
			    ERR_FIELD_MAX, s);
			return -1;
		}
		rec->country[i] = c;
	}
	if (s[2] != '\0') {
		mkdb_input_error(rd, "bad country \"%.*s\"", ERR_FIELD_MAX, s);
		return -1;
	}
	rec->country[2] = '\0';
	if ((cont = continent_of_country(rec->country)) != NULL) {
		memcpy(rec->continent, cont, sizeof rec->continent);
		rec->continent_name = continent_name(cont);
	}
	return 0;
}

/* Parses a tor-geoipdb geoip bound: an IPv4 address as a decimal integer. */
static int
mkdb_parse_tor4(const struct mkdb_reader *rd, const char *s, int ip_version,
    uint8_t addr[MMDBW_ADDR_LEN])
{
	uint8_t *p = ip_version == 4 ? addr : addr + MMDBW_ADDR_LEN - 4;
	unsigned long v;

	if (mkdb_parse_uint(s, UINT32_MAX, &v) == -1) {
		mkdb_input_error(rd, "bad address \"%.*s\"", ERR_FIELD_MAX, s);
		return -1;
	}
	memset(addr, 0, MMDBW_ADDR_LEN);
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (24 - 8 * i));
	return 0;
}

/* Parses one non-blank, non-comment line and inserts its range.  Returns 0,
 * or -1 with an error set. */
static int
mkdb_input_line(const struct mkdb_reader *rd, struct mmdbw *w,
    int ip_version, enum mkdb_format fmt, char *line,
    struct mkdb_input_stats *st)
{
	struct mmdbw_record rec = { "", "", NULL, 0, 0, NULL };
	uint8_t lo[MMDBW_ADDR_LEN], hi[MMDBW_ADDR_LEN];
	char *field[CSV_FIELDS_MAX];
	int n, flo, fhi;
	uint32_t handle;

	n = mkdb_split(rd, line, field,
	    fmt == MKDB_CSV ? CSV_FIELDS_MAX : TOR_FIELDS);
	if (n == -1)
		return -1;
	if (n < (fmt == MKDB_CSV ? CSV_FIELDS_MIN : TOR_FIELDS)) {
		mkdb_input_error(rd, "expected %s fields, got %d",
		    fmt == MKDB_CSV ? "3 to 5" : "3", n);
		return -1;
	}
	if (fmt == MKDB_TOR4) {
		if (mkdb_parse_tor4(rd, field[0], ip_version, lo) == -1 ||
		    mkdb_parse_tor4(rd, field[1], ip_version, hi) == -1)
			return -1;
	} else {
		if (mkdb_parse_addr(rd, field[0], ip_version, lo, &flo) == -1 ||
		    mkdb_parse_addr(rd, field[1], ip_version, hi, &fhi) == -1)
			return -1;
		if (flo != fhi) {
			mkdb_input_error(rd, "\"%.*s\" and \"%.*s\" are not "
			    "the same address family", ERR_FIELD_MAX, field[0],
			    ERR_FIELD_MAX, field[1]);
			return -1;
		}
		if (fmt == MKDB_TOR6 && flo != 6) {
			mkdb_input_error(rd, "IPv4 range \"%.*s\" in a geoip6 "
			    "file", ERR_FIELD_MAX, field[0]);
			return -1;
		}
	}
	if (memcmp(lo, hi, MMDBW_ADDR_LEN) > 0) {
		mkdb_input_error(rd, "first address \"%.*s\" is above last "
		    "\"%.*s\"", ERR_FIELD_MAX, field[0], ERR_FIELD_MAX,
		    field[1]);
		return -1;
	}
	if (fmt != MKDB_CSV && strcmp(field[2], "??") == 0) {
		st->unknown++;
		return 0;
	}
	if ((fmt != MKDB_CSV || field[2][0] != '\0' || n < 4) &&
	    mkdb_parse_country(rd, field[2], &rec) == -1)
		return -1;
	if (n >= 4) {
		unsigned long asn;

		if (mkdb_parse_uint(field[3], UINT32_MAX, &asn) == -1) {
			mkdb_input_error(rd, "bad AS number \"%.*s\"",
			    ERR_FIELD_MAX, field[3]);
			return -1;
		}
		rec.has_asn = 1;
		rec.asn = (uint32_t)asn;
	}
	if (n == 5 && field[4][0] != '\0') {
		if (!mkdb_utf8_valid((const unsigned char *)field[4])) {
			mkdb_input_error(rd, "organisation is not valid UTF-8");
			return -1;
		}
		rec.org = field[4];
	}
	if (mmdbw_add_record(w, &rec, &handle) == -1 ||
	    mmdbw_insert_range(w, lo, hi, handle) == -1) {
		mkdb_input_error(rd, "%s", strerror(errno));
		return -1;
	}
	st->ranges++;
	st->has_country |= rec.country[0] != '\0';
	st->has_asn |= rec.has_asn;
	return 0;
}

int
mkdb_input_load(struct mmdbw *w, int ip_version, enum mkdb_format fmt,
    const char *path, struct mkdb_input_stats *st, char err[MKDB_ERR_LEN])
{
	struct mkdb_reader rd = { path, 0, err };
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f;
	int ret = -1;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, MKDB_ERR_LEN, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) != -1) {
		char *s;

		rd.line++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (strlen(line) != (size_t)len) {
			mkdb_input_error(&rd, "NUL byte in line");
			goto fail;
		}
		s = mkdb_trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		if (mkdb_input_line(&rd, w, ip_version, fmt, s, st) == -1)
			goto fail;
	}
	if (ferror(f)) {
		snprintf(err, MKDB_ERR_LEN, "%s: %s", path, strerror(errno));
		goto fail;
	}
	ret = 0;
fail:
	free(line);
	fclose(f);
	return ret;
}
