/*
 * mkdb_input: the parsers for logscrub-mkdb's inputs.  Each reads one file,
 * line by line, and inserts every range it finds into an mmdbw tree, in file
 * order, so a later line (or file) wins where ranges overlap.
 */
#ifndef LOGSCRUB_MKDB_INPUT_H
#define LOGSCRUB_MKDB_INPUT_H

#include <stddef.h>

#include "mmdbw.h"

/* Room for one error message: file name, line number and reason. */
#define MKDB_ERR_LEN 512

enum mkdb_format {
	MKDB_CSV,	/* first,last,country[,asn[,organisation]] */
	MKDB_TOR4,	/* tor-geoipdb geoip: INTLOW,INTHIGH,CC */
	MKDB_TOR6	/* tor-geoipdb geoip6: LOW,HIGH,CC (IPv6) */
};

/* What the inputs held, for the metadata. */
struct mkdb_input_stats {
	unsigned long ranges;		/* ranges inserted */
	unsigned long unknown;		/* tor "??" ranges skipped */
	int has_country;		/* some record has country data */
	int has_asn;			/* some record has ASN data */
};

/* Reads the file at path in format fmt into w, a tree of ip_version 4 or
 * 6 (IPv4 addresses go under ::/96 in an IPv6 tree; IPv6 ones are refused
 * in an IPv4 tree), and adds to *st.  Returns 0, or -1 with a message
 * "FILE:LINE: reason" (or "FILE: reason") in err. */
int mkdb_input_load(struct mmdbw *w, int ip_version, enum mkdb_format fmt,
    const char *path, struct mkdb_input_stats *st, char err[MKDB_ERR_LEN]);

#endif
