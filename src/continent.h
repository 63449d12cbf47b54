/*
 * continent: the continent of an ISO 3166-1 alpha-2 country code, as
 * GeoNames (and so GeoLite2's continent.code) assigns it.
 */
#ifndef LOGSCRUB_CONTINENT_H
#define LOGSCRUB_CONTINENT_H

/* Returns the two-letter continent code (AF AN AS EU NA OC SA) of the
 * upper-case country code cc, or NULL when cc is not in the table. */
const char *continent_of_country(const char *cc);

/* Returns the English name of a continent code, or NULL if unknown. */
const char *continent_name(const char *code);

#endif
