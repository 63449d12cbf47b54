/*
 * anon: what happens to each identifier found.  The policy is built once
 * from the options; the functions here turn one identifier into the bytes
 * that replace it.
 */
#ifndef LOGSCRUB_ANON_H
#define LOGSCRUB_ANON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ip.h"
#include "namecache.h"
#include "pseudo.h"

enum anon_ip_action { ANON_IP_TRUNCATE, ANON_IP_PSEUDONYMISE, ANON_IP_REDACT, ANON_IP_KEEP };
enum anon_email_action {
	ANON_EMAIL_PSEUDONYMISE, ANON_EMAIL_HASH, ANON_EMAIL_MASK, ANON_EMAIL_REDACT, ANON_EMAIL_KEEP
};
/* The actions' names (--ip=, --email=, statistics), indexed by the enums
 * above and ended by NULL. */
extern const char *const anon_ip_names[];
extern const char *const anon_email_names[];

/* Room for any replacement anon_*() writes: an address, or an email hash
 * (a pseudonym and ANON_HASH_DOMAIN). */
#define ANON_OUTLEN 64
/* Domain of --email=hash and --email=redact results: .invalid never resolves. */
#define ANON_HASH_DOMAIN "pseudonym.invalid"
#define ANON_REDACTED_LOCAL "redacted"
#define ANON_REDACTED_DOMAIN "redacted.invalid"
/* Local part written by --email=mask. */
#define ANON_MASK_LOCAL "***"

struct anon_policy {
	enum anon_ip_action ip;
	int v4bits, v6bits;		/* prefixes kept by truncation */
	enum anon_email_action email;
	const struct ip_net *keep;	/* --keep-networks */
	size_t nkeep;
};

/* An email address as found in text: where its parts are.  local and
 * domain point into the line; pct is true for the URL-encoded "%40" form. */
struct anon_email {
	const char *local, *domain;
	size_t local_len, domain_len;
	bool pct;
};

bool anon_uses_key(const struct anon_policy *pol);
void anon_expired(const struct anon_policy *pol, struct anon_policy *out);
bool anon_ip_kept(const struct anon_policy *pol, const struct ip_addr *a);
size_t anon_ip(const struct anon_policy *pol, const struct pseudo *ps, struct ip_addr *a, char *out);
size_t anon_email(const struct anon_policy *pol, const struct pseudo *ps, struct namecache *nc,
    const struct anon_email *e, char *out, bool *whole);

#endif
