/*
 * pseudo: keyed pseudonyms for addresses and names.  See pseudo.h for the
 * target ranges and the collision odds.
 */
#include "config.h"

#include "pseudo.h"

#include <string.h>

/* crypto_kdf context: eight bytes, fixed forever (changing it changes every
 * pseudonym ever written). */
static const char kdf_context[crypto_kdf_CONTEXTBYTES] = "logscrub";

enum { SUBKEY_V4 = 1, SUBKEY_V6, SUBKEY_NAME };

/*
 * Derive the subkeys of master into locked memory.  Returns NULL when
 * memory cannot be had (sodium_malloc failed).  The caller wipes master.
 */
struct pseudo *
pseudo_new(const unsigned char master[PSEUDO_KEYBYTES])
{
	unsigned char k_name[crypto_generichash_KEYBYTES];
	struct pseudo *ps = sodium_malloc(sizeof *ps);

	if (ps == NULL)
		return NULL;
	crypto_kdf_derive_from_key(ps->k_v4, sizeof ps->k_v4, SUBKEY_V4, kdf_context, master);
	crypto_kdf_derive_from_key(ps->k_v6, sizeof ps->k_v6, SUBKEY_V6, kdf_context, master);
	crypto_kdf_derive_from_key(k_name, sizeof k_name, SUBKEY_NAME, kdf_context, master);
	crypto_generichash_init(&ps->name0, k_name, sizeof k_name, 10);
	sodium_memzero(k_name, sizeof k_name);
	return ps;
}

/* Wipe and free; NULL is fine. */
void
pseudo_free(struct pseudo *ps)
{
	if (ps != NULL)
		sodium_free(ps);
}

/*
 * Replace *a by its pseudonym, in its own family and form.  An IPv6 address
 * that embeds an IPv4 address (mapped, NAT64, compatible) keeps its prefix
 * and has the IPv4 part pseudonymised, so ::ffff:a.b.c.d stays mapped and
 * matches the pseudonym of a.b.c.d.
 */
void
pseudo_ip(const struct pseudo *ps, struct ip_addr *a)
{
	if (a->form == IP_FORM_V4 || ip_embedded_v4(a)) {
		unsigned char h[crypto_shorthash_siphash24_BYTES];

		crypto_shorthash_siphash24(h, a->b + 12, 4, ps->k_v4);
		a->b[12] = (uint8_t)(0xf0 | (h[0] & 0x0f));
		memcpy(a->b + 13, h + 1, 3);
	} else {
		unsigned char h[crypto_shorthash_siphashx24_BYTES];

		crypto_shorthash_siphashx24(h, a->b, 16, ps->k_v6);
		memset(a->b, 0, 8);
		a->b[0] = 0x01;		/* 100::/64 */
		memcpy(a->b + 8, h, 8);
		a->form = IP_FORM_V6;
	}
}

/* Start a name pseudonym of the given kind. */
void
pseudo_name_begin(const struct pseudo *ps, enum pseudo_kind kind, struct pseudo_name *pn)
{
	unsigned char tag = (unsigned char)kind;

	pn->st = ps->name0;
	crypto_generichash_update(&pn->st, &tag, 1);
}

/* Feed n bytes of the name, folded to ASCII lower case (names and domains
 * are compared without case in mail and in practice). */
void
pseudo_name_add(struct pseudo_name *pn, const char *p, size_t n)
{
	unsigned char chunk[64];

	while (n > 0) {
		size_t l = n < sizeof chunk ? n : sizeof chunk;

		for (size_t i = 0; i < l; i++) {
			unsigned char c = (unsigned char)p[i];

			chunk[i] = (unsigned)(c - 'A') < 26u ? (unsigned char)(c | 0x20) : c;
		}
		crypto_generichash_update(&pn->st, chunk, l);
		p += l, n -= l;
	}
}

/* Finish: write PSEUDO_NAMELEN base32 characters (a-z, 2-7) to out. */
void
pseudo_name_end(struct pseudo_name *pn, char out[PSEUDO_NAMELEN])
{
	static const char b32[] = "abcdefghijklmnopqrstuvwxyz234567";
	unsigned char h[10];
	uint64_t acc = 0;
	int bits = 0, o = 0;

	crypto_generichash_final(&pn->st, h, sizeof h);
	for (size_t i = 0; i < sizeof h; i++) {
		acc = acc << 8 | h[i];
		bits += 8;
		while (bits >= 5) {
			bits -= 5;
			out[o++] = b32[acc >> bits & 31];
		}
	}
}

/* True when *a lies where pseudo_ip() puts pseudonyms (240.0.0.0/4, also
 * embedded in IPv6, or 100::/64): no real host has such an address. */
bool
pseudo_ip_is(const struct ip_addr *a)
{
	static const uint8_t discard[8] = { 0x01 };

	if (a->form == IP_FORM_V4 || ip_embedded_v4(a))
		return (a->b[12] & 0xf0) == 0xf0;
	return memcmp(a->b, discard, sizeof discard) == 0;
}

/* True when p[0..n) has the shape of a name pseudonym: PSEUDO_NAMELEN
 * characters of a-z and 2-7. */
bool
pseudo_name_is(const char *p, size_t n)
{
	if (n != PSEUDO_NAMELEN)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '2' && p[i] <= '7')))
			return false;
	return true;
}
