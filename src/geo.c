/*
 * geo: libmaxminddb lookups, the network cache and the --ip-format template.
 * See geo.h for the contract.
 */
#include "config.h"

#include "geo.h"

#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <maxminddb.h>

/* Cache geometry: GEO_CACHE_SETS sets (a power of two, 2^GEO_CACHE_BITS)
 * of GEO_CACHE_WAYS networks each: 4096 networks, 136 KiB of keys and
 * 900 KiB of answers. */
#define GEO_CACHE_BITS 10
#define GEO_CACHE_SETS (1u << GEO_CACHE_BITS)
#define GEO_CACHE_WAYS 4
/* Bits of an IPv4 (in its 128-bit form) and an IPv6 address that choose a
 * cache set: the /24 and the /48, so that one set holds the few networks of
 * one site and a visitor's next address finds its set at once. */
#define GEO_SET_BYTES4 3
#define GEO_SET_BYTES6 6
/* Decoded data records kept per database (a power of two), by offset: a
 * country database has a few hundred, so a new network of a known country
 * costs a tree walk and no decoding. */
#define GEO_RECORDS 512
/* Bytes between the search tree and the data section (MaxMind DB format). */
#define GEO_DATA_SEPARATOR 16

/* Where the databases are looked for without --geoip-db, in this order. */
static const char *const search_dirs[] = { "/usr/share/GeoIP", "/var/lib/GeoIP" };

/* One field: its name (in --geo and as a key), its placeholder in
 * --ip-format and what stands for it when the database has nothing. */
static const struct field_info {
	enum geo_field field;
	const char *name, *placeholder, *missing;
} field_infos[] = {
	{ GEO_COUNTRY, "country", "{cc}", "--" },
	{ GEO_CONTINENT, "continent", "{continent}", "--" },
	{ GEO_SUBDIVISION, "subdivision", "{subdivision}", "-" },
	{ GEO_CITY, "city", "{city}", "-" },
	{ GEO_ASN, "asn", "{asn}", "AS0" },
	{ GEO_ASORG, "asorg", "{asorg}", "-" },
};
#define NFIELDS (sizeof field_infos / sizeof field_infos[0])

/* Database kinds, recognised by a word in the metadata database_type
 * (case-insensitive): MaxMind's GeoIP2-/GeoLite2-Country, -City, -ASN,
 * -ISP, -Enterprise; DB-IP's DBIP-Country-Lite, DBIP-City-Lite,
 * DBIP-ASN-Lite; logscrub-mkdb's logscrub-GeoLite2-Country-ASN. */
static const struct db_kind {
	const char *word;
	unsigned serves;
} db_kinds[] = {
	{ "country", GEO_COUNTRY | GEO_CONTINENT },
	{ "city", GEO_COUNTRY | GEO_CONTINENT | GEO_SUBDIVISION | GEO_CITY },
	{ "enterprise", GEO_COUNTRY | GEO_CONTINENT | GEO_SUBDIVISION | GEO_CITY | GEO_ASN | GEO_ASORG },
	{ "asn", GEO_ASN | GEO_ASORG },
	{ "isp", GEO_ASN | GEO_ASORG },
};

/* File names looked for in search_dirs (glob patterns; of several matches
 * the last in name order, the newest DB-IP month, wins), in order of
 * preference, and the fields each serves. */
static const struct db_name {
	const char *pattern;
	unsigned serves;
} search_names[] = {
	{ "GeoLite2-Country.mmdb", GEO_COUNTRY | GEO_CONTINENT },
	{ "dbip-country-lite*.mmdb", GEO_COUNTRY | GEO_CONTINENT },
	{ "GeoLite2-City.mmdb", GEO_COUNTRY | GEO_CONTINENT | GEO_SUBDIVISION | GEO_CITY },
	{ "dbip-city-lite*.mmdb", GEO_COUNTRY | GEO_CONTINENT | GEO_SUBDIVISION | GEO_CITY },
	{ "GeoLite2-ASN.mmdb", GEO_ASN | GEO_ASORG },
	{ "dbip-asn-lite*.mmdb", GEO_ASN | GEO_ASORG },
};

/* One open database and the fields taken from it. */
struct db {
	MMDB_s mmdb;
	unsigned serves, use;
	struct record {
		uint32_t offset1;	/* the record's data offset + 1; 0: empty */
		struct geo_result r;	/* its fields `use` */
	} *records;			/* GEO_RECORDS of them */
	char path[PATH_MAX];
};

/* The databases in use; replaced as a whole by geo_reload(). */
struct dbset {
	struct db db[GEO_DB_MAX];
	int n;
};

/* A cached network in the 128-bit form (an IPv4 network is ::a.b.c.d/96+n):
 * the address with the bits outside the prefix cleared, and the prefix as a
 * mask, both as two words in memory order, so that the test is two XORs. */
struct cache_key {
	uint64_t net[2], mask[2];
};

/* One set: its networks (the answers are in struct geo's res, same index),
 * how many are filled, and which one the next miss replaces (first in,
 * first out: a hit moves nothing). */
struct cache_set {
	struct cache_key key[GEO_CACHE_WAYS];
	uint8_t nvalid, next;
};

struct geo {
	const struct geo_config *cfg;
	struct dbset *set;
	struct cache_set *sets;
	struct geo_result (*res)[GEO_CACHE_WAYS];
};

/* Parse the comma-separated field names s into *fields (added to what is
 * there).  Returns 0, or -1 when s is empty or a name is not a field. */
int
geo_fields_parse(const char *s, unsigned *fields)
{
	if (*s == '\0')
		return -1;
	while (*s) {
		size_t n = strcspn(s, ","), i;

		for (i = 0; i < NFIELDS; i++)
			if (strlen(field_infos[i].name) == n && strncmp(s, field_infos[i].name, n) == 0)
				break;
		if (i == NFIELDS)
			return -1;
		*fields |= field_infos[i].field;
		s += n + (s[n] == ',');
	}
	return 0;
}

/* The longest text geo_field() writes for f. */
static size_t
field_max(enum geo_field f)
{
	switch (f) {
	case GEO_COUNTRY:
	case GEO_CONTINENT:
		return 2;
	case GEO_ASN:
		return sizeof "AS4294967295" - 1;
	default:
		return GEO_NAMELEN - 1;
	}
}

/* True when byte c may not stand in a template: it could end a quoted or
 * JSON string, start an escape, or end the line. */
static bool
template_unsafe(unsigned char c)
{
	return c == '"' || c == '\\' || c < 0x20 || c == 0x7f;
}

/*
 * Parse --ip-format s into *t (t->fields: the fields it names).
 * Refuses (-1, message in err) a template longer than GEO_TEMPLATE_MAX - 1,
 * an unknown placeholder, a '"', '\' or control byte, or one whose longest
 * expansion would not fit in GEO_OUTLEN.
 */
int
geo_template_parse(const char *s, struct geo_template *t, char err[GEO_ERRLEN])
{
	size_t len = strlen(s), i = 0, worst = 0;

	if (len >= GEO_TEMPLATE_MAX) {
		snprintf(err, GEO_ERRLEN, "--ip-format: longer than %d bytes", GEO_TEMPLATE_MAX - 1);
		return -1;
	}
	memcpy(t->text, s, len + 1);
	t->npieces = 0;
	t->fields = 0;
	while (i < len) {
		struct geo_piece *p = &t->piece[t->npieces];
		size_t j = i;

		if (t->npieces == GEO_PIECES_MAX) {
			snprintf(err, GEO_ERRLEN, "--ip-format: more than %d pieces", GEO_PIECES_MAX);
			return -1;
		}
		*p = (struct geo_piece){ .off = (uint16_t)i };
		if (s[i] == '{') {
			size_t k;

			if (strncmp(s + i, "{ip}", 4) == 0) {
				p->field = GEO_TEMPLATE_IP, j = i + 4, worst += IP_STRLEN;
			} else {
				for (k = 0; k < NFIELDS; k++) {
					size_t pl = strlen(field_infos[k].placeholder);

					if (strncmp(s + i, field_infos[k].placeholder, pl) == 0) {
						p->field = (uint8_t)field_infos[k].field, j = i + pl;
						t->fields |= field_infos[k].field;
						worst += field_max(field_infos[k].field);
						break;
					}
				}
				if (k == NFIELDS) {
					snprintf(err, GEO_ERRLEN, "--ip-format: unknown placeholder at '%.20s' "
					    "(the placeholders are {ip} {cc} {continent} {asn} {asorg} {subdivision} {city})", s + i);
					return -1;
				}
			}
		} else {
			for (; j < len && s[j] != '{'; j++)
				if (template_unsafe((unsigned char)s[j])) {
					snprintf(err, GEO_ERRLEN, "--ip-format: may not hold '\"', '\\' or control "
					    "characters (a replacement must not break a quoted or JSON field)");
					return -1;
				}
			worst += j - i;
		}
		p->len = (uint16_t)(j - i);
		t->npieces++;
		i = j;
	}
	if (worst > GEO_OUTLEN) {
		snprintf(err, GEO_ERRLEN, "--ip-format: its replacements could exceed %d bytes", GEO_OUTLEN);
		return -1;
	}
	return 0;
}

/* The template used when --geo comes without --ip-format: "{ip} (" and the
 * placeholders of fields, in the order of field_infos, then ")". */
void
geo_template_default(unsigned fields, struct geo_template *t)
{
	char s[GEO_TEMPLATE_MAX] = "{ip} (", err[GEO_ERRLEN];
	const char *sep = "";

	for (size_t i = 0; i < NFIELDS; i++)
		if (fields & field_infos[i].field) {
			strcat(s, sep);
			strcat(s, field_infos[i].placeholder);
			sep = " ";
		}
	strcat(s, ")");
	geo_template_parse(s, t, err);	/* cannot fail: at most 6 placeholders */
}

/* Copy the string s[0..n) into out (cap bytes with the NUL), cut at a UTF-8
 * character boundary, with '"' as '\'', '\' as '/' and control bytes as
 * spaces (see geo.h: a name must not break a JSON string). */
static void
copy_name(char *out, size_t cap, const char *s, size_t n)
{
	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		out[i] = c == '"' ? '\'' : c == '\\' ? '/' : c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	out[n] = '\0';
}

/* Copy the string at path in entry e into out (cap bytes); leaves out as
 * it is when the record has no string there. */
static void
get_string(MMDB_entry_s *e, const char *const *path, char *out, size_t cap)
{
	MMDB_entry_data_s d;

	if (MMDB_aget_value(e, &d, path) == MMDB_SUCCESS && d.has_data &&
	    d.type == MMDB_DATA_TYPE_UTF8_STRING)
		copy_name(out, cap, d.utf8_string, d.data_size);
}

/* Fill the fields `use` of *r from the record e. */
static void
get_fields(MMDB_entry_s *e, unsigned use, struct geo_result *r)
{
	static const char *const country[] = { "country", "iso_code", NULL };
	static const char *const registered[] = { "registered_country", "iso_code", NULL };
	static const char *const continent[] = { "continent", "code", NULL };
	static const char *const subdivision[] = { "subdivisions", "0", "names", "en", NULL };
	static const char *const city[] = { "city", "names", "en", NULL };
	static const char *const asn[] = { "autonomous_system_number", NULL };
	static const char *const asorg[] = { "autonomous_system_organization", NULL };
	MMDB_entry_data_s d;

	if (use & GEO_COUNTRY) {
		get_string(e, country, r->country, sizeof r->country);
		if (r->country[0] == '\0')
			get_string(e, registered, r->country, sizeof r->country);
	}
	if (use & GEO_CONTINENT)
		get_string(e, continent, r->continent, sizeof r->continent);
	if (use & GEO_SUBDIVISION)
		get_string(e, subdivision, r->subdivision, sizeof r->subdivision);
	if (use & GEO_CITY)
		get_string(e, city, r->city, sizeof r->city);
	if (use & GEO_ASORG)
		get_string(e, asorg, r->asorg, sizeof r->asorg);
	if ((use & GEO_ASN) && MMDB_aget_value(e, &d, asn) == MMDB_SUCCESS && d.has_data) {
		if (d.type == MMDB_DATA_TYPE_UINT32)
			r->asn = d.uint32;
		else if (d.type == MMDB_DATA_TYPE_UINT16)
			r->asn = d.uint16;
	}
}

/* libmaxminddb's reason for status st, with errno's for a failed open. */
static void
db_error(char err[GEO_ERRLEN], const char *path, int st, int errnum)
{
	if (st == MMDB_FILE_OPEN_ERROR || st == MMDB_IO_ERROR)
		snprintf(err, GEO_ERRLEN, "%s: %s (%s)", path, MMDB_strerror(st), strerror(errnum));
	else
		snprintf(err, GEO_ERRLEN, "%s: %s", path, MMDB_strerror(st));
}

/* The two records of node i of m's search tree into r, read from the file
 * as the MaxMind DB format lays out 24-, 28- and 32-bit records
 * (MMDB_open() has checked the record size and that the tree fits). */
static void
node_records(const MMDB_s *m, uint32_t i, uint32_t r[2])
{
	const uint8_t *p = m->file_content + (size_t)i * m->full_record_byte_size;

	switch (m->metadata.record_size) {
	case 24:
		r[0] = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
		r[1] = (uint32_t)p[3] << 16 | (uint32_t)p[4] << 8 | p[5];
		break;
	case 28:
		r[0] = (uint32_t)(p[3] & 0xf0) << 20 | (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
		r[1] = (uint32_t)(p[3] & 0x0f) << 24 | (uint32_t)p[4] << 16 | (uint32_t)p[5] << 8 | p[6];
		break;
	default:
		r[0] = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
		r[1] = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7];
		break;
	}
}

/* Check the data record that tree record rec (> node count) points to,
 * unless seen (a bit per data section byte) says it was.  Returns
 * MMDB_SUCCESS or libmaxminddb's status; a record that points into the
 * separator or past the data section is MMDB_CORRUPT_SEARCH_TREE_ERROR. */
static int
check_record(MMDB_s *m, uint32_t rec, unsigned char *seen)
{
	uint32_t nodes = m->metadata.node_count, off;
	MMDB_entry_data_list_s *list = NULL;
	MMDB_entry_s e;
	int st;

	if (rec - nodes < GEO_DATA_SEPARATOR ||
	    (off = rec - nodes - GEO_DATA_SEPARATOR) >= m->data_section_size)
		return MMDB_CORRUPT_SEARCH_TREE_ERROR;
	if (seen[off / 8] & 1u << off % 8)
		return MMDB_SUCCESS;
	seen[off / 8] |= (unsigned char)(1u << off % 8);
	e = (MMDB_entry_s){ .mmdb = m, .offset = off };
	st = MMDB_get_entry_data_list(&e, &list);
	MMDB_free_entry_data_list(list);
	return st;
}

/*
 * Check every record of m's search tree and decode every data record one
 * points to (each once), so that a corrupt file is refused at start rather
 * than failing on some line.  The tree is read directly: MMDB_read_node()
 * per node costs three times as much (40 ms for tor-geoipdb's 2.5 million
 * nodes).  Returns MMDB_SUCCESS or libmaxminddb's status.
 */
static int
db_check(MMDB_s *m)
{
	uint32_t nodes = m->metadata.node_count, r[2];
	unsigned char *seen = calloc(m->data_section_size / 8 + 1, 1);
	int st = MMDB_SUCCESS;

	if (seen == NULL)
		return MMDB_OUT_OF_MEMORY_ERROR;
	for (uint32_t i = 0; i < nodes; i++) {
		node_records(m, i, r);
		if ((r[0] > nodes && (st = check_record(m, r[0], seen)) != MMDB_SUCCESS) ||
		    (r[1] > nodes && (st = check_record(m, r[1], seen)) != MMDB_SUCCESS))
			break;
	}
	free(seen);
	return st;
}

/* The fields a database of type t serves (0: none known). */
static unsigned
db_serves(const char *t)
{
	unsigned serves = 0;
	size_t wl;

	for (size_t i = 0; i < sizeof db_kinds / sizeof db_kinds[0]; i++) {
		wl = strlen(db_kinds[i].word);
		for (const char *p = t; *p; p++)
			if (strncasecmp(p, db_kinds[i].word, wl) == 0) {
				serves |= db_kinds[i].serves;
				break;
			}
	}
	return serves;
}

/* Open and check the database at path into d.  Returns 0, or -1 with the
 * file name and libmaxminddb's reason in err. */
static int
db_open(struct db *d, const char *path, char err[GEO_ERRLEN])
{
	int st;

	snprintf(d->path, sizeof d->path, "%s", path);
	errno = 0;
	st = MMDB_open(path, MMDB_MODE_MMAP, &d->mmdb);
	if (st != MMDB_SUCCESS) {
		db_error(err, path, st, errno);
		return -1;
	}
	st = db_check(&d->mmdb);
	if (st != MMDB_SUCCESS) {
		db_error(err, path, st, 0);
		MMDB_close(&d->mmdb);
		return -1;
	}
	d->serves = db_serves(d->mmdb.metadata.database_type);
	d->use = 0;
	if ((d->records = calloc(GEO_RECORDS, sizeof *d->records)) == NULL) {
		snprintf(err, GEO_ERRLEN, "%s: %s", path, strerror(errno));
		MMDB_close(&d->mmdb);
		return -1;
	}
	return 0;
}

/* Close every database of s and free it. */
static void
dbset_free(struct dbset *s)
{
	if (s == NULL)
		return;
	for (int i = 0; i < s->n; i++) {
		MMDB_close(&s->db[i].mmdb);
		free(s->db[i].records);
	}
	free(s);
}

/*
 * Find databases for fields in search_dirs: for each name of search_names
 * that serves a field still wanted, the first directory that has it.
 * Stores up to GEO_DB_MAX paths in found and returns how many, or -1 with
 * a message when some field has no database.
 */
static int
db_search(unsigned fields, char found[GEO_DB_MAX][PATH_MAX], char err[GEO_ERRLEN])
{
	int n = 0;

	for (size_t i = 0; i < sizeof search_names / sizeof search_names[0] && n < GEO_DB_MAX; i++) {
		if (!(search_names[i].serves & fields))
			continue;
		for (size_t k = 0; k < sizeof search_dirs / sizeof search_dirs[0]; k++) {
			char pat[PATH_MAX];
			glob_t gl;

			snprintf(pat, sizeof pat, "%s/%s", search_dirs[k], search_names[i].pattern);
			if (glob(pat, 0, NULL, &gl) != 0)
				continue;
			snprintf(found[n++], PATH_MAX, "%s", gl.gl_pathv[gl.gl_pathc - 1]);
			globfree(&gl);
			fields &= ~search_names[i].serves;
			break;
		}
	}
	if (fields == 0)
		return n;
	for (size_t i = 0; i < NFIELDS; i++)
		if (fields & field_infos[i].field) {
			snprintf(err, GEO_ERRLEN, "--geo=%s: no database for it in %s or %s "
			    "(GeoLite2-Country/City/ASN.mmdb, dbip-*-lite*.mmdb); give --geoip-db=FILE",
			    field_infos[i].name, search_dirs[0], search_dirs[1]);
			break;
		}
	return -1;
}

/* Give each field of cfg to the first database that serves it.  Returns 0,
 * or -1 with a message naming the databases when one has no database. */
static int
dbset_assign(struct dbset *s, unsigned fields, char err[GEO_ERRLEN])
{
	for (size_t i = 0; i < NFIELDS; i++) {
		unsigned f = field_infos[i].field;
		int k;

		if (!(fields & f))
			continue;
		for (k = 0; k < s->n && !(s->db[k].serves & f); k++)
			;
		if (k < s->n) {
			s->db[k].use |= f;
			continue;
		}
		snprintf(err, GEO_ERRLEN, "--geo=%s: the database %.640s (type '%s') does not have it%s",
		    field_infos[i].name, s->db[0].path, s->db[0].mmdb.metadata.database_type,
		    s->n > 1 ? ", nor do the others" : "");
		return -1;
	}
	return 0;
}

/* Open the databases of cfg (given, or found by db_search()) into a new
 * set.  Returns it, or NULL with a message in err. */
static struct dbset *
dbset_open(const struct geo_config *cfg, char err[GEO_ERRLEN])
{
	char found[GEO_DB_MAX][PATH_MAX];
	struct dbset *s = calloc(1, sizeof *s);
	int n = cfg->ndbs;

	if (s == NULL) {
		snprintf(err, GEO_ERRLEN, "%s", strerror(errno));
		return NULL;
	}
	if (n == 0 && (n = db_search(cfg->fields, found, err)) < 0)
		goto fail;
	for (; s->n < n; s->n++)
		if (db_open(&s->db[s->n], cfg->ndbs ? cfg->dbs[s->n] : found[s->n], err) < 0)
			goto fail;
	if (dbset_assign(s, cfg->fields, err) < 0)
		goto fail;
	return s;
fail:
	dbset_free(s);
	return NULL;
}

/* Open the databases cfg names (cfg outlives the result).  Returns NULL
 * with the file name and the reason in err when one is missing, unreadable
 * or corrupt, or when no database has a field cfg asks for. */
struct geo *
geo_open(const struct geo_config *cfg, char err[GEO_ERRLEN])
{
	struct geo *g = calloc(1, sizeof *g);

	if (g == NULL || (g->sets = calloc(GEO_CACHE_SETS, sizeof *g->sets)) == NULL ||
	    (g->res = calloc(GEO_CACHE_SETS, sizeof *g->res)) == NULL) {
		snprintf(err, GEO_ERRLEN, "%s", strerror(errno));
		geo_close(g);
		return NULL;
	}
	g->cfg = cfg;
	if ((g->set = dbset_open(cfg, err)) == NULL) {
		geo_close(g);
		return NULL;
	}
	return g;
}

/*
 * Reopen the databases (the same files, or what the search finds now) and,
 * when they all open and check, swap them in, close the old ones and empty
 * the cache.  Returns 0, or -1 with a message in err, the old databases
 * still in use.
 */
int
geo_reload(struct geo *g, char err[GEO_ERRLEN])
{
	struct dbset *s = dbset_open(g->cfg, err);

	if (s == NULL)
		return -1;
	dbset_free(g->set);
	g->set = s;
	memset(g->sets, 0, GEO_CACHE_SETS * sizeof *g->sets);
	return 0;
}

/* Write one line per database to f: its file, type, build date and the
 * fields taken from it (for --verbose). */
void
geo_describe(const struct geo *g, FILE *f)
{
	for (int i = 0; i < g->set->n; i++) {
		const struct db *d = &g->set->db[i];
		time_t t = (time_t)d->mmdb.metadata.build_epoch;
		char day[16] = "?";
		const char *sep = " ";

		strftime(day, sizeof day, "%Y-%m-%d", gmtime(&t));
		fprintf(f, "logscrub: geo: %s (%s, built %s):", d->path, d->mmdb.metadata.database_type, day);
		for (size_t k = 0; k < NFIELDS; k++)
			if (d->use & field_infos[k].field) {
				fprintf(f, "%s%s", sep, field_infos[k].name);
				sep = ",";
			}
		fputs(d->use ? "\n" : " not used\n", f);
	}
}

/* Close the databases and free g (NULL is fine). */
void
geo_close(struct geo *g)
{
	if (g == NULL)
		return;
	dbset_free(g->set);
	free(g->sets);
	free(g->res);
	free(g);
}

/* The address the databases are asked about for a, in k (128-bit form):
 * the embedded IPv4 address of a mapped, NAT64, compatible or 6to4 one.
 * Returns true for an IPv4 address, which is also what an address in ::/96
 * is (an IPv6 tree keeps the IPv4 addresses there). */
static bool
lookup_key(const struct ip_addr *a, uint8_t k[16])
{
	static const uint8_t zero[12];

	memset(k, 0, 12);
	if (a->form == IP_FORM_V4 || ip_embedded_v4(a)) {
		memcpy(k + 12, a->b + 12, 4);
		return true;
	}
	if (a->b[0] == 0x20 && a->b[1] == 0x02) {
		memcpy(k + 12, a->b + 2, 4);
		return true;
	}
	memcpy(k, a->b, 16);
	return memcmp(k, zero, 12) == 0;
}

/* The cache set of key k: a multiplicative hash of its /24 or /48. */
static size_t
set_of(const uint8_t k[16], bool v4)
{
	const uint8_t *p = v4 ? k + 12 : k;
	size_t n = v4 ? GEO_SET_BYTES4 : GEO_SET_BYTES6;
	uint64_t x = v4;

	for (size_t i = 0; i < n; i++)
		x = x << 8 | p[i];
	return (size_t)((x * 0x9e3779b97f4a7c15ull) >> (64 - GEO_CACHE_BITS));
}

/* The cache key of the network k/bits. */
static void
key_make(const uint8_t k[16], unsigned bits, struct cache_key *key)
{
	uint8_t m[16];

	for (unsigned i = 0; i < 16; i++)
		m[i] = i < bits / 8 ? 0xff : i == bits / 8 ? (uint8_t)(0xff00u >> bits % 8) : 0;
	memcpy(key->mask, m, 16);
	memcpy(key->net, k, 16);
	key->net[0] &= key->mask[0];
	key->net[1] &= key->mask[1];
}

/* The fields of d's data record e, decoded on first use. */
static const struct geo_result *
record(struct db *d, MMDB_entry_s *e)
{
	struct record *slot = &d->records[(e->offset * 0x9e3779b1u) >> 16 & (GEO_RECORDS - 1)];

	if (slot->offset1 != e->offset + 1) {
		memset(&slot->r, 0, sizeof slot->r);
		get_fields(e, d->use, &slot->r);
		slot->offset1 = e->offset + 1;
	}
	return &slot->r;
}

/* Copy the fields `use` of from into r. */
static void
merge(struct geo_result *r, const struct geo_result *from, unsigned use)
{
	if (use & GEO_COUNTRY)
		memcpy(r->country, from->country, sizeof r->country);
	if (use & GEO_CONTINENT)
		memcpy(r->continent, from->continent, sizeof r->continent);
	if (use & GEO_ASN)
		r->asn = from->asn;
	if (use & GEO_ASORG)
		memcpy(r->asorg, from->asorg, sizeof r->asorg);
	if (use & GEO_SUBDIVISION)
		memcpy(r->subdivision, from->subdivision, sizeof r->subdivision);
	if (use & GEO_CITY)
		memcpy(r->city, from->city, sizeof r->city);
}

/* Ask database d about key k into *r (the fields d->use).  Returns the
 * prefix length of the network the answer holds for, in the 128-bit form. */
static unsigned
db_lookup(struct db *d, const uint8_t k[16], bool v4, struct geo_result *r)
{
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} u;
	MMDB_lookup_result_s res;
	int st;

	memset(&u, 0, sizeof u);
	if (v4) {
		u.in.sin_family = AF_INET;
		memcpy(&u.in.sin_addr, k + 12, 4);
	} else {
		u.in6.sin6_family = AF_INET6;
		memcpy(&u.in6.sin6_addr, k, 16);
	}
	res = MMDB_lookup_sockaddr(&d->mmdb, &u.sa, &st);
	if (st == MMDB_IPV6_LOOKUP_IN_IPV4_DATABASE_ERROR)	/* nothing, for all of IPv6 */
		return 0;
	if (st != MMDB_SUCCESS)		/* nothing, for this address alone */
		return 128;
	if (res.found_entry)
		merge(r, record(d, &res.entry), d->use);
	/* an IPv4 tree counts from 0; an IPv6 one from :: (96 at ::a.b.c.d) */
	if (v4 && d->mmdb.metadata.ip_version == 4)
		return 96u + res.netmask;
	return v4 && res.netmask < 96 ? 96u : res.netmask;
}

/*
 * What the databases say about the raw (full, not yet anonymised) address.
 * A cache hit is one hash and a masked compare per way; a miss asks each
 * database once and caches the answer for the smallest of their networks
 * (each holds the address, so one holds the other).  The result stays
 * valid until the next call.
 */
const struct geo_result *
geo_lookup(struct geo *g, const struct ip_addr *raw)
{
	uint8_t k[16];
	uint64_t w0, w1;
	bool v4 = lookup_key(raw, k);
	size_t si = set_of(k, v4);
	struct cache_set *set = &g->sets[si];
	struct geo_result *r;
	unsigned bits = 0;
	int w;

	memcpy(&w0, k, 8);
	memcpy(&w1, k + 8, 8);
	for (w = 0; w < set->nvalid; w++)
		if ((((w0 ^ set->key[w].net[0]) & set->key[w].mask[0]) |
		    ((w1 ^ set->key[w].net[1]) & set->key[w].mask[1])) == 0)
			return &g->res[si][w];
	w = set->next;
	set->next = (uint8_t)((w + 1) % GEO_CACHE_WAYS);
	if (set->nvalid < GEO_CACHE_WAYS)
		set->nvalid++;
	r = &g->res[si][w];
	memset(r, 0, sizeof *r);
	for (int i = 0; i < g->set->n; i++) {
		unsigned b = g->set->db[i].use ? db_lookup(&g->set->db[i], k, v4, r) : 0;

		if (b > bits)
			bits = b;
	}
	key_make(k, bits, &set->key[w]);
	return r;
}

/* Write "AS" and the decimal n so that it ends just before end; returns
 * where it starts. */
static const char *
asn_text(uint32_t n, char *end)
{
	char *p = end;

	*--p = '\0';
	do
		*--p = (char)('0' + n % 10);
	while ((n /= 10) != 0);
	*--p = 'S';
	*--p = 'A';
	return p;
}

/* Write the text of field f of r to out (no NUL): the code, "AS" and the
 * number, or the name; its placeholder ("--", "AS0", "-") when r has none.
 * Returns the length, at most GEO_NAMELEN - 1. */
size_t
geo_field(const struct geo_result *r, enum geo_field f, char out[GEO_NAMELEN])
{
	char num[sizeof "AS4294967295"];
	const char *s = NULL;
	size_t i, l;

	switch (f) {
	case GEO_COUNTRY: s = r->country; break;
	case GEO_CONTINENT: s = r->continent; break;
	case GEO_ASORG: s = r->asorg; break;
	case GEO_SUBDIVISION: s = r->subdivision; break;
	case GEO_CITY: s = r->city; break;
	case GEO_ASN:
		if (r->asn != 0)
			s = asn_text(r->asn, num + sizeof num);
		break;
	}
	if (s == NULL || *s == '\0')
		for (i = 0; i < NFIELDS; i++)
			if (field_infos[i].field == f)
				s = field_infos[i].missing;
	l = strlen(s);
	memcpy(out, s, l);
	return l;
}

/* Append s[0..n) to out at *o. */
static void
put_bytes(char *out, size_t *o, const char *s, size_t n)
{
	memcpy(out + *o, s, n);
	*o += n;
}

/*
 * The fields of the configuration for raw (the full address) in the form
 * of placement pl (see geo.h), written to out (no NUL); returns the
 * length.  Each field takes at most 21 bytes of keys and quotes and
 * GEO_NAMELEN - 1 of value: six of them fit in GEO_OUTLEN.
 */
size_t
geo_place(struct geo *g, const struct ip_addr *raw, enum geo_place pl, char out[GEO_OUTLEN])
{
	const struct geo_result *r = geo_lookup(g, raw);
	size_t o = 0;

	for (size_t i = 0; i < NFIELDS; i++) {
		const struct field_info *fi = &field_infos[i];
		char v[GEO_NAMELEN];
		size_t l;
		bool quote;

		if (!(g->cfg->fields & fi->field))
			continue;
		l = geo_field(r, fi->field, v);
		quote = pl == GEO_PLACE_JSON || memchr(v, ' ', l) != NULL;
		if (pl == GEO_PLACE_JSON) {
			put_bytes(out, &o, ",\"geo_", 6);
			put_bytes(out, &o, fi->name, strlen(fi->name));
			put_bytes(out, &o, "\":", 2);
		} else {
			put_bytes(out, &o, " ", 1);
			if (pl == GEO_PLACE_KV) {
				put_bytes(out, &o, fi->name, strlen(fi->name));
				put_bytes(out, &o, "=", 1);
			}
		}
		if (quote)
			put_bytes(out, &o, "\"", 1);
		put_bytes(out, &o, v, l);
		if (quote)
			put_bytes(out, &o, "\"", 1);
	}
	return o;
}

/*
 * The replacement of an address by the template: look up raw (the full
 * address) and expand the template with ip[0..iplen) (the anonymised
 * address, at most IP_STRLEN bytes) for {ip}.  Returns the length written
 * to out (no NUL).
 */
size_t
geo_format(struct geo *g, const struct ip_addr *raw, const char *ip, size_t iplen, char out[GEO_OUTLEN])
{
	const struct geo_template *t = &g->cfg->tpl;
	const struct geo_result *r = geo_lookup(g, raw);
	size_t l = 0;

	for (size_t i = 0; i < t->npieces; i++) {
		const struct geo_piece *p = &t->piece[i];

		if (p->field == 0) {
			memcpy(out + l, t->text + p->off, p->len);
			l += p->len;
		} else if (p->field == GEO_TEMPLATE_IP) {
			memcpy(out + l, ip, iplen);
			l += iplen;
		} else {
			l += geo_field(r, (enum geo_field)p->field, out + l);
		}
	}
	return l;
}
