/*
 * namecache: remembers recent name pseudonyms, so that an address seen
 * again (mail logs name the same senders all day) costs a hash and a
 * memcmp instead of a keyed BLAKE2b.  Direct-mapped; an entry belongs to
 * one key (struct pseudo), so a change of key (another retention epoch)
 * can never return a pseudonym made with the wrong key.  It holds raw
 * names, so it is wiped when freed.
 */
#ifndef LOGSCRUB_NAMECACHE_H
#define LOGSCRUB_NAMECACHE_H

#include <stddef.h>
#include <stdint.h>

#include "pseudo.h"

/* Entries: a power of two; about 440 KB. */
#define NAMECACHE_SIZE 4096
/* Longest name (all its parts) the cache holds; longer ones are computed. */
#define NAMECACHE_KEYMAX 86

struct namecache_entry {
	const struct pseudo *ps;
	uint8_t tag, len;
	char key[NAMECACHE_KEYMAX];
	char val[PSEUDO_NAMELEN];
};

struct namecache {
	struct namecache_entry e[NAMECACHE_SIZE];
};

/* One name to look up: up to three parts, concatenated (e.g. local, '@',
 * domain); tag tells apart kinds and encodings of the same bytes. */
struct namecache_key {
	const char *part[3];
	size_t len[3];
	uint8_t tag;
};

struct namecache *namecache_new(void);
void namecache_free(struct namecache *nc);
void namecache_forget(struct namecache *nc, const struct pseudo *ps);
struct namecache_entry *namecache_slot(struct namecache *nc, const struct pseudo *ps, const struct namecache_key *k, int *hit);

#endif
