/*
 * scan: find IP and email addresses in free text and write the text with
 * each one replaced by the policy.  Works on any bytes (NUL, invalid UTF-8,
 * CR); bytes that are not part of an identifier are copied unchanged.
 *
 * The scanner jumps from one byte that can start an identifier (a digit,
 * ':', '@', '%') to the next with one table lookup per byte.  At a digit or
 * ':' it takes the maximal run of address bytes (hex digits, '.', ':'),
 * backing up over hex letters ("fe80::1"), and looks for addresses in it:
 *   - IPv6 by ip_parse6() (greedy), at the run's start and after each ':'
 *     in it ("IPv6:2001:db8::1" finds 2001:db8::1);
 *   - IPv4 as a strict dotted quad that fills the run, or is followed by
 *     ":port", "#port", "/bits", or one ".port" (dante), or by a letter.
 *     "1111.1.1.8", "256.0.0.0", "Chrome/119.0.6045.199" and OIDs such as
 *     1.3.6.1.4.1 are not addresses and stay as they are.
 * An IPv6 address may not touch a letter or '_' on either side; the bare
 * unspecified address "::" is left alone (it identifies nobody).
 * At '@' (and "%40") it backs up over the local part (atext but "/?&|",
 * which separate URL parts and fields in logs; a quoted local part;
 * "user:pass" after "//" in a URL) and forward over the domain, which
 * must be a hostname with a letter in it, a dotted quad or a [literal]:
 * "SDID@32473" in RFC 5424 structured data is not an email.  A local part
 * that starts with "key=" (sasl_username=alice@example.com) loses the key,
 * which stays as it was.  After a local part is replaced, the domain is
 * scanned on, so user@[192.0.2.1] loses its address too.
 * With geo set, an address that is not kept becomes geo_format() of its
 * full form and its anonymised text (--ip-format).
 */
#ifndef LOGSCRUB_SCAN_H
#define LOGSCRUB_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "anon.h"
#include "geo.h"
#include "outbuf.h"

/* Room for any replacement of an address: the --ip-format template
 * (GEO_OUTLEN is at least ANON_OUTLEN). */
#define SCAN_OUTLEN GEO_OUTLEN

/* Identifiers found, by kind, and of those the ones left as they were
 * (--keep-networks, --ip=keep, --email=keep). */
struct scan_counts {
	uint64_t ipv4, ipv6, email;
	uint64_t ipv4_kept, ipv6_kept, email_kept;
};

enum scan_kind { SCAN_IPV4, SCAN_IPV6, SCAN_EMAIL };

/* One identifier found: where it stands in the text scanned, and what
 * replaces it (rep NULL when it is left as it was). */
struct scan_hit {
	enum scan_kind kind;
	size_t from, to;
	const char *rep;
	size_t rep_len;
};

/* Reporting hook for --check and --diff: hit() is called for each
 * identifier found in text, in order, and end() at the end of every
 * scan_text(), with the whole text.  NULL on the normal path, where it
 * costs one test per identifier and one per text. */
struct scan_report {
	void (*hit)(void *arg, const char *text, const struct scan_hit *h);
	void (*end)(void *arg, const char *text, size_t n);
	void *arg;
};

struct scan {
	const struct anon_policy *pol;
	const struct pseudo *ps;	/* key of the line being scanned */
	struct namecache *names;	/* cache of name pseudonyms, or NULL */
	struct geo *geo;		/* --geo: addresses become its template; or NULL */
	struct scan_counts counts;
	const struct scan_report *report;
};

void scan_text(struct scan *sc, const char *text, size_t n, struct outbuf *o);
size_t scan_ip(struct scan *sc, struct ip_addr *a, char *rep, bool geo);

#endif
