/*
 * libFuzzer target for the MaxMind DB writer (mmdbw) against the reader
 * (libmaxminddb): a database built from ranges taken from the input is
 * written to a temporary file (mkstemp in /tmp, unlinked after), opened
 * with MMDB_open() and looked up.  The input is
 *   byte 0: bit 0 the tree (IPv4, or IPv6), bits 1-2 the record size
 *           (24, 28, 32; 3 is 24);
 *   then up to FUZZ_RANGES_MAX ranges of 1 + 2 * ALEN bytes each (ALEN 4
 *   or 16): a country (index into a fixed list) and two bounds, swapped
 *   when the first is above the second.
 * Every range's low and high ends, and the addresses just outside them,
 * must look up as a model says: the country of the last range holding the
 * address (a later range wins where they overlap, logscrub-mkdb(1)), or no
 * entry when none holds it.  Addresses of an IPv6 tree under ::ffff:0:0/96
 * and 2002::/16 are not checked: mmdbw_write() makes them aliases of the
 * IPv4 subtree.  Any mismatch aborts, which libFuzzer reports as a crash.
 * Seeds: tests/fuzz/corpus/mkdb/.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <maxminddb.h>

#include "continent.h"
#include "mmdbw.h"

/* Build time written to the metadata: 2026-11-24T12:00:00Z (libmaxminddb
 * 1.7.1 refuses a database whose build_epoch is 0). */
#define FUZZ_EPOCH UINT64_C(1795521600)

/* Most ranges read from one input: enough for overlaps of overlaps. */
#define FUZZ_RANGES_MAX 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Countries the ranges get, one per continent and a few more. */
static const char *const fuzz_countries[] = {
	"DE", "FR", "US", "BR", "JP", "AU", "ZA", "AQ", "CN", "GB", "CA", "IN",
};
#define FUZZ_NCOUNTRIES (sizeof fuzz_countries / sizeof *fuzz_countries)

/* One range as inserted. */
struct fuzz_range {
	uint8_t lo[MMDBW_ADDR_LEN], hi[MMDBW_ADDR_LEN];
	const char *country;
};

/* The country the model gives address a (alen bytes): the last range
 * holding it, or NULL. */
static const char *
fuzz_expected(const struct fuzz_range *r, size_t n, const uint8_t *a, size_t alen)
{
	while (n-- > 0)
		if (memcmp(r[n].lo, a, alen) <= 0 && memcmp(a, r[n].hi, alen) <= 0)
			return r[n].country;
	return NULL;
}

/* a += d (1 or -1) over alen big-endian bytes; false when it wraps. */
static bool
fuzz_step(uint8_t *a, size_t alen, int d)
{
	for (size_t i = alen; i-- > 0;) {
		uint8_t old = a[i];

		a[i] = (uint8_t)(a[i] + d);
		if ((d > 0 && a[i] > old) || (d < 0 && a[i] < old))
			return true;
	}
	return false;
}

/* True for an IPv6 address under ::ffff:0:0/96 or 2002::/16. */
static bool
fuzz_aliased(const uint8_t *a)
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	return memcmp(a, mapped, sizeof mapped) == 0 || (a[0] == 0x20 && a[1] == 0x02);
}

/* Abort unless address a (alen bytes) looks up in db as the model says. */
static void
fuzz_check(MMDB_s *db, const struct fuzz_range *r, size_t n, const uint8_t *a, size_t alen)
{
	const char *want = fuzz_expected(r, n, a, alen);
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
	const struct sockaddr *sa;
	MMDB_lookup_result_s res;
	MMDB_entry_data_s v;
	int err;

	if (alen == 16 && fuzz_aliased(a))
		return;
	if (alen == 4) {
		memcpy(&sin.sin_addr, a, 4);
		sa = (const struct sockaddr *)&sin;
	} else {
		memcpy(&sin6.sin6_addr, a, 16);
		sa = (const struct sockaddr *)&sin6;
	}
	res = MMDB_lookup_sockaddr(db, sa, &err);
	if (err != MMDB_SUCCESS)
		abort();
	if (want == NULL) {
		if (res.found_entry)
			abort();	/* an address of no range has data */
		return;
	}
	if (!res.found_entry ||
	    MMDB_get_value(&res.entry, &v, "country", "iso_code", NULL) != MMDB_SUCCESS ||
	    !v.has_data || v.type != MMDB_DATA_TYPE_UTF8_STRING || v.data_size != 2 ||
	    memcmp(v.utf8_string, want, 2) != 0) {
		fprintf(stderr, "fuzz_mkdb: wrong country, %s expected\n", want);
		abort();
	}
}

/* Check each range's ends and the addresses just outside them. */
static void
fuzz_check_all(MMDB_s *db, const struct fuzz_range *r, size_t n, size_t alen)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t a[MMDBW_ADDR_LEN];

		fuzz_check(db, r, n, r[i].lo, alen);
		fuzz_check(db, r, n, r[i].hi, alen);
		memcpy(a, r[i].lo, alen);
		if (fuzz_step(a, alen, -1))
			fuzz_check(db, r, n, a, alen);
		memcpy(a, r[i].hi, alen);
		if (fuzz_step(a, alen, 1))
			fuzz_check(db, r, n, a, alen);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned record_sizes[] = { 24, 28, 32, 24 };
	struct fuzz_range r[FUZZ_RANGES_MAX];
	struct mmdbw_meta meta = { 0, "GeoLite2-Country", "logscrub fuzz", FUZZ_EPOCH };
	char path[] = "/tmp/fuzz_mkdb.XXXXXX";
	size_t alen, n = 0, off = 1;
	struct mmdbw *w;
	MMDB_s db;
	FILE *f;
	int fd;

	if (size < 1)
		return 0;
	alen = data[0] & 1 ? 16 : 4;
	meta.record_size = record_sizes[data[0] >> 1 & 3];
	if ((w = mmdbw_new(alen == 16 ? 6 : 4)) == NULL)
		abort();
	for (; n < FUZZ_RANGES_MAX && size - off >= 1 + 2 * alen; n++, off += 1 + 2 * alen) {
		struct mmdbw_record rec = { 0 };
		const uint8_t *lo = data + off + 1, *hi = lo + alen;
		const char *cont;
		uint32_t handle;

		if (memcmp(lo, hi, alen) > 0) {
			const uint8_t *t = lo;

			lo = hi, hi = t;
		}
		memset(&r[n], 0, sizeof r[n]);
		memcpy(r[n].lo, lo, alen);
		memcpy(r[n].hi, hi, alen);
		r[n].country = fuzz_countries[data[off] % FUZZ_NCOUNTRIES];
		memcpy(rec.country, r[n].country, 3);
		if ((cont = continent_of_country(rec.country)) == NULL)
			abort();	/* every country of the list has one */
		memcpy(rec.continent, cont, 3);
		rec.continent_name = continent_name(rec.continent);
		if (mmdbw_add_record(w, &rec, &handle) < 0 ||
		    mmdbw_insert_range(w, r[n].lo, r[n].hi, handle) < 0)
			abort();
	}
	if ((fd = mkstemp(path)) < 0 || (f = fdopen(fd, "wb")) == NULL ||
	    mmdbw_write(w, &meta, f) < 0 || fclose(f) != 0)
		abort();
	mmdbw_free(w);
	if (MMDB_open(path, MMDB_MODE_MMAP, &db) != MMDB_SUCCESS)
		abort();
	unlink(path);
	fuzz_check_all(&db, r, n, alen);
	MMDB_close(&db);
	return 0;
}
