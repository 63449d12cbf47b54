/*
 * geo: coarse geolocation of the full address, before it is anonymised
 * (libmaxminddb, with a cache keyed by network).
 *
 * The databases are GeoIP2/GeoLite2 Country, City and ASN files and DB-IP
 * lite files (same keys), with an IPv4 or an IPv6 tree.  An address that
 * embeds an IPv4 address (IPv4-mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96,
 * IPv4-compatible ::a.b.c.d, 6to4 2002:AABB:CCDD::/48) is looked up as that
 * IPv4 address, so a database without aliases for those ranges still finds
 * it.  Each database is opened, checked (every search tree node and every
 * data record is decoded once) and matched to the fields it can serve by its
 * metadata database_type before any line is read; the same happens again on
 * geo_reload(), which keeps the old databases when the new ones fail.
 *
 * Free-text placement: the address is replaced by a template, --ip-format,
 * with the placeholders {ip} (the anonymised address) and one per field:
 * {cc} {continent} {asn} {asorg} {subdivision} {city}.  A field the
 * database has nothing for is written as its placeholder: "--" for a
 * country or continent, "AS0" for an AS number, "-" for a name.  The
 * template may not hold '"', '\' or control bytes, and '"' and '\' in names
 * from a database come out as '\'' and '/', so a replacement inside a JSON
 * string or a quoted log field keeps it valid.  Names are cut to
 * GEO_NAMELEN - 1 bytes at a UTF-8 character boundary.
 *
 * Placement by format (the rules, "geo = PLACE:GROUP"): geo_place() looks
 * the raw address up and writes each field of the configuration in the form
 * the format wants, for the filter to insert where the format wants it:
 *   GEO_PLACE_END   " VALUE" each (appended to an access-log line);
 *   GEO_PLACE_JSON  ',"geo_NAME":"VALUE"' each (after a JSON string value);
 *   GEO_PLACE_KV    " NAME=VALUE" each (after a syslog or mail token);
 * NAME is the field's --geo name, VALUE as from geo_field(), in double
 * quotes for END and KV when it holds a space (a city, an AS organisation).
 */
#ifndef LOGSCRUB_GEO_H
#define LOGSCRUB_GEO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ip.h"

/* The fields --geo can ask for, as bits of a mask. */
enum geo_field {
	GEO_COUNTRY = 1 << 0,		/* ISO 3166 alpha-2 code */
	GEO_CONTINENT = 1 << 1,		/* two-letter continent code */
	GEO_ASN = 1 << 2,		/* "AS" and the number */
	GEO_ASORG = 1 << 3,		/* AS organisation */
	GEO_SUBDIVISION = 1 << 4,	/* English name of the first subdivision */
	GEO_CITY = 1 << 5,		/* English name of the city */
};

/* Most databases: a Country or City one, an ASN one, and room to spare. */
#define GEO_DB_MAX 4
/* Room for an error message (names the file and libmaxminddb's reason). */
#define GEO_ERRLEN 1024
/* Bytes kept of a name (AS organisation, subdivision, city) with its NUL. */
#define GEO_NAMELEN 64
/* Longest --ip-format. */
#define GEO_TEMPLATE_MAX 256
/* Most pieces (literal runs and placeholders) of one template. */
#define GEO_PIECES_MAX 64
/* Room for one expanded template; geo_template_parse() refuses a template
 * whose longest expansion would not fit. */
#define GEO_OUTLEN 1024

/* What the databases say about one address; "" and 0 where they say nothing. */
struct geo_result {
	char country[3], continent[3];
	uint32_t asn;
	char asorg[GEO_NAMELEN], subdivision[GEO_NAMELEN], city[GEO_NAMELEN];
};

/* A parsed --ip-format: pieces of text[] and placeholders, in order. */
struct geo_template {
	char text[GEO_TEMPLATE_MAX];
	struct geo_piece {
		uint16_t off, len;	/* a literal: text[off..off+len) */
		uint8_t field;		/* 0: literal; GEO_TEMPLATE_IP; or an enum geo_field */
	} piece[GEO_PIECES_MAX];
	size_t npieces;
	unsigned fields;		/* the fields of its placeholders */
};
/* The field of the {ip} placeholder (no enum geo_field has this value). */
#define GEO_TEMPLATE_IP 0x80

/* Where a format wants the fields of a rule's address (see above). */
enum geo_place {
	GEO_PLACE_NONE,
	GEO_PLACE_END,
	GEO_PLACE_JSON,
	GEO_PLACE_KV,
};

/* Where the databases come from, as the options give it. */
struct geo_config {
	unsigned fields;			/* enum geo_field bits; 0: no geo */
	const char *dbs[GEO_DB_MAX];		/* --geoip-db; none: search */
	int ndbs;
	struct geo_template tpl;		/* --ip-format, or the default */
};

struct geo;

int geo_fields_parse(const char *s, unsigned *fields);
int geo_template_parse(const char *s, struct geo_template *t, char err[GEO_ERRLEN]);
void geo_template_default(unsigned fields, struct geo_template *t);
struct geo *geo_open(const struct geo_config *cfg, char err[GEO_ERRLEN]);
int geo_reload(struct geo *g, char err[GEO_ERRLEN]);
void geo_describe(const struct geo *g, FILE *f);
void geo_close(struct geo *g);
const struct geo_result *geo_lookup(struct geo *g, const struct ip_addr *raw);
size_t geo_field(const struct geo_result *r, enum geo_field f, char out[GEO_NAMELEN]);
size_t geo_place(struct geo *g, const struct ip_addr *raw, enum geo_place pl, char out[GEO_OUTLEN]);
size_t geo_format(struct geo *g, const struct ip_addr *raw, const char *ip, size_t iplen, char out[GEO_OUTLEN]);

#endif
