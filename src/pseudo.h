/*
 * pseudo: keyed pseudonyms (libsodium), never an unkeyed hash.
 *
 * One 32-byte master key yields three subkeys (crypto_kdf): SipHash-2-4 for
 * IPv4, SipHash-2-4 with 128-bit output for IPv6, keyed BLAKE2b for names
 * (emails, users, hosts).  The same key and input give the same pseudonym on
 * every host and in every run; without the key nothing links a pseudonym to
 * its input.
 *
 * Target ranges, chosen so that a pseudonym still parses as an address but
 * can never be mistaken for a real host:
 *   IPv4 -> 240.0.0.0/4 (reserved, never routed): 28 bits of SipHash.
 *   IPv6 -> 100::/64 (RFC 6666 discard-only): 64 bits of SipHash.
 *   names -> 16 characters of base32 (a-z, 2-7): 80 bits of BLAKE2b.
 * Collisions: among n distinct IPv4 addresses about n*n/2^29 pairs share a
 * pseudonym (0.2 pairs for 10,000 addresses, 19 for 100,000); IPv6 n*n/2^65;
 * names n*n/2^81.
 */
#ifndef LOGSCRUB_PSEUDO_H
#define LOGSCRUB_PSEUDO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "ip.h"

/* Size of a master key file. */
#define PSEUDO_KEYBYTES 32
/* Characters of a name pseudonym (80 bits in base32). */
#define PSEUDO_NAMELEN 16

/* What a name pseudonym stands for; part of the hash input so that the same
 * text as an email and as a user name gives unrelated pseudonyms. */
enum pseudo_kind {
	PSEUDO_EMAIL_LOCAL = 1,
	PSEUDO_EMAIL_WHOLE,
	PSEUDO_USER,
	PSEUDO_HOST,
};

/* Subkeys of one master key; lives in sodium_malloc() memory (locked,
 * guarded, wiped by sodium_free()). */
struct pseudo {
	unsigned char k_v4[crypto_shorthash_siphash24_KEYBYTES];
	unsigned char k_v6[crypto_shorthash_siphashx24_KEYBYTES];
	crypto_generichash_state name0;	/* BLAKE2b state right after keying */
};

/* Streaming input of one name pseudonym. */
struct pseudo_name {
	crypto_generichash_state st;
};

struct pseudo *pseudo_new(const unsigned char master[PSEUDO_KEYBYTES]);
void pseudo_free(struct pseudo *ps);
void pseudo_ip(const struct pseudo *ps, struct ip_addr *a);
void pseudo_name_begin(const struct pseudo *ps, enum pseudo_kind kind, struct pseudo_name *pn);
void pseudo_name_add(struct pseudo_name *pn, const char *p, size_t n);
void pseudo_name_end(struct pseudo_name *pn, char out[PSEUDO_NAMELEN]);
bool pseudo_ip_is(const struct ip_addr *a);
bool pseudo_name_is(const char *p, size_t n);

#endif
