/*
 * continent: a static ISO 3166-1 alpha-2 -> continent table, sorted by
 * country code for bsearch(3).  Codes follow GeoNames' countryInfo (the
 * source GeoLite2 uses); a few non-ISO codes that real data still carries
 * are listed with a comment where they stand.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "continent.h"

struct continent_entry {
	char country[3];
	char continent[3];
};

static const struct continent_entry continent_table[] = {
	{ "AD", "EU" }, { "AE", "AS" }, { "AF", "AS" }, { "AG", "NA" },
	{ "AI", "NA" }, { "AL", "EU" }, { "AM", "AS" },
	{ "AN", "NA" },	/* Netherlands Antilles, withdrawn 2010, still in data */
	{ "AO", "AF" },
	{ "AP", "AS" },	/* "Asia/Pacific", a legacy registry-level code */
	{ "AQ", "AN" }, { "AR", "SA" }, { "AS", "OC" }, { "AT", "EU" },
	{ "AU", "OC" }, { "AW", "NA" }, { "AX", "EU" }, { "AZ", "AS" },
	{ "BA", "EU" }, { "BB", "NA" }, { "BD", "AS" }, { "BE", "EU" },
	{ "BF", "AF" }, { "BG", "EU" }, { "BH", "AS" }, { "BI", "AF" },
	{ "BJ", "AF" }, { "BL", "NA" }, { "BM", "NA" }, { "BN", "AS" },
	{ "BO", "SA" }, { "BQ", "NA" }, { "BR", "SA" }, { "BS", "NA" },
	{ "BT", "AS" }, { "BV", "AN" }, { "BW", "AF" }, { "BY", "EU" },
	{ "BZ", "NA" },
	{ "CA", "NA" }, { "CC", "AS" }, { "CD", "AF" }, { "CF", "AF" },
	{ "CG", "AF" }, { "CH", "EU" }, { "CI", "AF" }, { "CK", "OC" },
	{ "CL", "SA" }, { "CM", "AF" }, { "CN", "AS" }, { "CO", "SA" },
	{ "CR", "NA" },
	{ "CS", "EU" },	/* Serbia and Montenegro, withdrawn 2006, still in data */
	{ "CU", "NA" }, { "CV", "AF" }, { "CW", "NA" }, { "CX", "OC" },
	{ "CY", "EU" }, { "CZ", "EU" },
	{ "DE", "EU" }, { "DJ", "AF" }, { "DK", "EU" }, { "DM", "NA" },
	{ "DO", "NA" }, { "DZ", "AF" },
	{ "EC", "SA" }, { "EE", "EU" }, { "EG", "AF" }, { "EH", "AF" },
	{ "ER", "AF" }, { "ES", "EU" }, { "ET", "AF" },
	{ "EU", "EU" },	/* "Europe", a legacy registry-level code */
	{ "FI", "EU" }, { "FJ", "OC" }, { "FK", "SA" }, { "FM", "OC" },
	{ "FO", "EU" }, { "FR", "EU" },
	{ "GA", "AF" }, { "GB", "EU" }, { "GD", "NA" }, { "GE", "AS" },
	{ "GF", "SA" }, { "GG", "EU" }, { "GH", "AF" }, { "GI", "EU" },
	{ "GL", "NA" }, { "GM", "AF" }, { "GN", "AF" }, { "GP", "NA" },
	{ "GQ", "AF" }, { "GR", "EU" }, { "GS", "AN" }, { "GT", "NA" },
	{ "GU", "OC" }, { "GW", "AF" }, { "GY", "SA" },
	{ "HK", "AS" }, { "HM", "AN" }, { "HN", "NA" }, { "HR", "EU" },
	{ "HT", "NA" }, { "HU", "EU" },
	{ "ID", "AS" }, { "IE", "EU" }, { "IL", "AS" }, { "IM", "EU" },
	{ "IN", "AS" }, { "IO", "AS" }, { "IQ", "AS" }, { "IR", "AS" },
	{ "IS", "EU" }, { "IT", "EU" },
	{ "JE", "EU" }, { "JM", "NA" }, { "JO", "AS" }, { "JP", "AS" },
	{ "KE", "AF" }, { "KG", "AS" }, { "KH", "AS" }, { "KI", "OC" },
	{ "KM", "AF" }, { "KN", "NA" }, { "KP", "AS" }, { "KR", "AS" },
	{ "KW", "AS" }, { "KY", "NA" }, { "KZ", "AS" },
	{ "LA", "AS" }, { "LB", "AS" }, { "LC", "NA" }, { "LI", "EU" },
	{ "LK", "AS" }, { "LR", "AF" }, { "LS", "AF" }, { "LT", "EU" },
	{ "LU", "EU" }, { "LV", "EU" }, { "LY", "AF" },
	{ "MA", "AF" }, { "MC", "EU" }, { "MD", "EU" }, { "ME", "EU" },
	{ "MF", "NA" }, { "MG", "AF" }, { "MH", "OC" }, { "MK", "EU" },
	{ "ML", "AF" }, { "MM", "AS" }, { "MN", "AS" }, { "MO", "AS" },
	{ "MP", "OC" }, { "MQ", "NA" }, { "MR", "AF" }, { "MS", "NA" },
	{ "MT", "EU" }, { "MU", "AF" }, { "MV", "AS" }, { "MW", "AF" },
	{ "MX", "NA" }, { "MY", "AS" }, { "MZ", "AF" },
	{ "NA", "AF" }, { "NC", "OC" }, { "NE", "AF" }, { "NF", "OC" },
	{ "NG", "AF" }, { "NI", "NA" }, { "NL", "EU" }, { "NO", "EU" },
	{ "NP", "AS" }, { "NR", "OC" }, { "NU", "OC" }, { "NZ", "OC" },
	{ "OM", "AS" },
	{ "PA", "NA" }, { "PE", "SA" }, { "PF", "OC" }, { "PG", "OC" },
	{ "PH", "AS" }, { "PK", "AS" }, { "PL", "EU" }, { "PM", "NA" },
	{ "PN", "OC" }, { "PR", "NA" }, { "PS", "AS" }, { "PT", "EU" },
	{ "PW", "OC" }, { "PY", "SA" },
	{ "QA", "AS" },
	{ "RE", "AF" }, { "RO", "EU" }, { "RS", "EU" }, { "RU", "EU" },
	{ "RW", "AF" },
	{ "SA", "AS" }, { "SB", "OC" }, { "SC", "AF" }, { "SD", "AF" },
	{ "SE", "EU" }, { "SG", "AS" }, { "SH", "AF" }, { "SI", "EU" },
	{ "SJ", "EU" }, { "SK", "EU" }, { "SL", "AF" }, { "SM", "EU" },
	{ "SN", "AF" }, { "SO", "AF" }, { "SR", "SA" }, { "SS", "AF" },
	{ "ST", "AF" }, { "SV", "NA" }, { "SX", "NA" }, { "SY", "AS" },
	{ "SZ", "AF" },
	{ "TC", "NA" }, { "TD", "AF" }, { "TF", "AN" }, { "TG", "AF" },
	{ "TH", "AS" }, { "TJ", "AS" }, { "TK", "OC" }, { "TL", "OC" },
	{ "TM", "AS" }, { "TN", "AF" }, { "TO", "OC" }, { "TR", "AS" },
	{ "TT", "NA" }, { "TV", "OC" }, { "TW", "AS" }, { "TZ", "AF" },
	{ "UA", "EU" }, { "UG", "AF" },
	{ "UK", "EU" },	/* reserved for GB by ISO, still in data */
	{ "UM", "OC" }, { "US", "NA" }, { "UY", "SA" }, { "UZ", "AS" },
	{ "VA", "EU" }, { "VC", "NA" }, { "VE", "SA" }, { "VG", "NA" },
	{ "VI", "NA" }, { "VN", "AS" }, { "VU", "OC" },
	{ "WF", "OC" }, { "WS", "OC" },
	{ "XK", "EU" },	/* Kosovo: user-assigned, used by MaxMind and others */
	{ "YE", "AS" }, { "YT", "AF" },
	{ "ZA", "AF" }, { "ZM", "AF" }, { "ZW", "AF" },
};

/* The seven continent codes GeoNames uses, with their English names. */
static const struct {
	char code[3];
	const char *name;
} continent_names[] = {
	{ "AF", "Africa" }, { "AN", "Antarctica" }, { "AS", "Asia" },
	{ "EU", "Europe" }, { "NA", "North America" }, { "OC", "Oceania" },
	{ "SA", "South America" },
};

static int
continent_cmp(const void *key, const void *elem)
{
	const struct continent_entry *e = elem;

	return strcmp(key, e->country);
}

const char *
continent_of_country(const char *cc)
{
	const struct continent_entry *e;

	e = bsearch(cc, continent_table,
	    sizeof continent_table / sizeof continent_table[0],
	    sizeof continent_table[0], continent_cmp);
	return e != NULL ? e->continent : NULL;
}

const char *
continent_name(const char *code)
{
	for (size_t i = 0; i < sizeof continent_names / sizeof continent_names[0];
	    i++)
		if (strcmp(code, continent_names[i].code) == 0)
			return continent_names[i].name;
	return NULL;
}
