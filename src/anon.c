/*
 * anon: the transformations of --ip and --email.
 */
#include "config.h"

#include "anon.h"

#include <string.h>

#include "chars.h"

const char *const anon_ip_names[] = { "truncate", "pseudonymise", "redact", "keep", NULL };
const char *const anon_email_names[] = { "pseudonymise", "hash", "mask", "redact", "keep", NULL };

/* True when the policy makes pseudonyms, so needs a key. */
bool
anon_uses_key(const struct anon_policy *pol)
{
	return pol->ip == ANON_IP_PSEUDONYMISE || pol->email == ANON_EMAIL_PSEUDONYMISE ||
	    pol->email == ANON_EMAIL_HASH;
}

/*
 * The policy for a line whose key epoch is past its linkability window (its
 * key destroyed): pol without a key.  Pseudonymised addresses are truncated
 * to pol's prefixes, pseudonymised or hashed emails masked; the rest as pol.
 * Such a line never gets a pseudonym from a new key.
 */
void
anon_expired(const struct anon_policy *pol, struct anon_policy *out)
{
	*out = *pol;
	if (out->ip == ANON_IP_PSEUDONYMISE)
		out->ip = ANON_IP_TRUNCATE;
	if (out->email == ANON_EMAIL_PSEUDONYMISE || out->email == ANON_EMAIL_HASH)
		out->email = ANON_EMAIL_MASK;
}

/* True when the policy leaves *a as it is: --ip=keep, or a --keep-networks
 * entry holds it. */
bool
anon_ip_kept(const struct anon_policy *pol, const struct ip_addr *a)
{
	if (pol->ip == ANON_IP_KEEP)
		return true;
	for (size_t i = 0; i < pol->nkeep; i++)
		if (ip_net_contains(&pol->keep[i], a))
			return true;
	return false;
}

/*
 * Transform *a by the policy (truncate, pseudonymise or redact; the caller
 * has already asked anon_ip_kept()) and write its text to out (ANON_OUTLEN
 * bytes).  Redact is truncation to nothing: 0.0.0.0, ::, ::ffff:0.0.0.0.
 * Returns the length written.
 */
size_t
anon_ip(const struct anon_policy *pol, const struct pseudo *ps, struct ip_addr *a, char *out)
{
	switch (pol->ip) {
	case ANON_IP_PSEUDONYMISE:
		pseudo_ip(ps, a);
		break;
	case ANON_IP_REDACT:
		ip_truncate(a, 0, 0);
		break;
	default:
		ip_truncate(a, pol->v4bits, pol->v6bits);
		break;
	}
	return ip_format(a, out);
}

/* Feed the name pseudonym p[0..n), decoding %XX when pct is set, so that
 * alice%2Bnews and alice+news give one pseudonym. */
static void
name_add(struct pseudo_name *pn, const char *p, size_t n, bool pct)
{
	size_t i = 0, from = 0;

	if (!pct) {
		pseudo_name_add(pn, p, n);
		return;
	}
	while (i + 2 < n) {
		int hi, lo;

		if (p[i] == '%' && (hi = chars_hexval((unsigned char)p[i + 1])) >= 0 &&
		    (lo = chars_hexval((unsigned char)p[i + 2])) >= 0) {
			char c = (char)(hi << 4 | lo);

			pseudo_name_add(pn, p + from, i - from);
			pseudo_name_add(pn, &c, 1);
			i += 3;
			from = i;
		} else {
			i++;
		}
	}
	pseudo_name_add(pn, p + from, n - from);
}

/* Write "@domain", or "%40domain" in the URL-encoded form; returns the length. */
static size_t
put_domain(char *out, bool pct, const char *domain)
{
	size_t at = pct ? 3 : 1, l = strlen(domain);

	memcpy(out, pct ? "%40" : "@", at);
	memcpy(out + at, domain, l);
	return at + l;
}

/*
 * Write the replacement of email *e to out (ANON_OUTLEN bytes) by the
 * policy, which is not ANON_EMAIL_KEEP.  *whole tells whether it replaces
 * the whole address (hash, redact) or only the local part (pseudonymise,
 * mask: the domain stays, and the caller scans it on for addresses).  The
 * pseudonym of the local part is keyed on the whole address, so alice at two
 * domains gives two unrelated pseudonyms.  nc (may be NULL) caches them.
 * Returns the length written.
 */
size_t
anon_email(const struct anon_policy *pol, const struct pseudo *ps, struct namecache *nc,
    const struct anon_email *e, char *out, bool *whole)
{
	enum pseudo_kind kind;
	struct pseudo_name pn;
	struct namecache_entry *slot = NULL;
	int hit = 0;
	size_t l;

	*whole = pol->email == ANON_EMAIL_HASH || pol->email == ANON_EMAIL_REDACT;
	switch (pol->email) {
	case ANON_EMAIL_MASK:
		memcpy(out, ANON_MASK_LOCAL, sizeof ANON_MASK_LOCAL - 1);
		return sizeof ANON_MASK_LOCAL - 1;
	case ANON_EMAIL_REDACT:
		l = sizeof ANON_REDACTED_LOCAL - 1;
		memcpy(out, ANON_REDACTED_LOCAL, l);
		return put_domain(out + l, e->pct, ANON_REDACTED_DOMAIN) + l;
	default:
		break;
	}
	kind = pol->email == ANON_EMAIL_HASH ? PSEUDO_EMAIL_WHOLE : PSEUDO_EMAIL_LOCAL;
	if (nc != NULL) {
		struct namecache_key k = {
			{ e->local, "@", e->domain }, { e->local_len, 1, e->domain_len },
			(uint8_t)(kind << 1 | e->pct),
		};

		slot = namecache_slot(nc, ps, &k, &hit);
	}
	if (hit) {
		memcpy(out, slot->val, PSEUDO_NAMELEN);
	} else {
		pseudo_name_begin(ps, kind, &pn);
		name_add(&pn, e->local, e->local_len, e->pct);
		pseudo_name_add(&pn, "@", 1);
		name_add(&pn, e->domain, e->domain_len, e->pct);
		pseudo_name_end(&pn, out);
		if (slot != NULL)
			memcpy(slot->val, out, PSEUDO_NAMELEN);
	}
	l = PSEUDO_NAMELEN;
	if (*whole)
		l += put_domain(out + l, e->pct, ANON_HASH_DOMAIN);
	return l;
}
