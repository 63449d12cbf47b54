/*
 * mmdbw: a MaxMind DB (format 2.0) writer.
 *
 * The caller creates a tree of a given depth (32 bits for an IPv4 database,
 * 128 for IPv6), adds the data records it needs (each gets a handle; identical
 * records share one copy in the data section), assigns ranges of addresses to
 * handles, and writes the file.  A later range overwrites an earlier one where
 * they overlap.  All functions return 0 on success and -1 with errno set on
 * failure (ENOMEM, EOVERFLOW when the tree or data outgrow the record size,
 * EINVAL on a bad argument, or the errno of a failed write).
 */
#ifndef LOGSCRUB_MMDBW_H
#define LOGSCRUB_MMDBW_H

#include <stdint.h>
#include <stdio.h>

/* Bytes in an address as the tree sees it (IPv6; IPv4 uses the first 4). */
#define MMDBW_ADDR_LEN 16

struct mmdbw;

/* One data record, in the GeoLite2 Country/ASN schema.  Empty strings and
 * has_asn == 0 leave the matching keys out. */
struct mmdbw_record {
	char country[3];		/* ISO 3166 alpha-2, or "" */
	char continent[3];		/* continent code, or "" */
	const char *continent_name;	/* English continent name, or NULL */
	int has_asn;
	uint32_t asn;
	const char *org;		/* AS organisation (UTF-8), or NULL */
};

/* Metadata written after the data section. */
struct mmdbw_meta {
	unsigned record_size;		/* 24, 28 or 32 */
	const char *database_type;
	const char *description;	/* English description */
	uint64_t build_epoch;		/* seconds since 1970 */
};

/* Returns a new, empty tree of ip_version 4 (32 bits deep) or 6 (128 bits),
 * or NULL on failure. */
struct mmdbw *mmdbw_new(int ip_version);
void mmdbw_free(struct mmdbw *w);

/* Serialises rec into the data section unless an identical record is there
 * already, and stores its handle in *handle. */
int mmdbw_add_record(struct mmdbw *w, const struct mmdbw_record *rec,
    uint32_t *handle);

/* Points every address from lo to hi inclusive (big-endian, MMDBW_ADDR_LEN
 * bytes; an IPv4 tree reads the first 4) at the record handle, replacing
 * what was there.  lo must not be above hi. */
int mmdbw_insert_range(struct mmdbw *w, const uint8_t *lo, const uint8_t *hi,
    uint32_t handle);

/* Finishes the tree and writes the whole database to f.  In an IPv6 tree,
 * ::ffff:0:0/96 and 2002::/16 are made aliases of the IPv4 subtree ::/96,
 * replacing whatever data had been inserted under them.  The tree cannot be
 * changed afterwards. */
int mmdbw_write(struct mmdbw *w, const struct mmdbw_meta *meta, FILE *f);

#endif
