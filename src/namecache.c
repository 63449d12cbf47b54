/*
 * namecache: a direct-mapped cache of name pseudonyms.
 */
#include "config.h"

#include "namecache.h"

#include <stdlib.h>
#include <string.h>

/* An empty cache, or NULL when memory cannot be had. */
struct namecache *
namecache_new(void)
{
	return calloc(1, sizeof(struct namecache));
}

/* Wipe (it holds raw names) and free; NULL is fine. */
void
namecache_free(struct namecache *nc)
{
	if (nc != NULL) {
		sodium_memzero(nc, sizeof *nc);
		free(nc);
	}
}

/* Wipe every entry made with key ps.  Call it before freeing ps: a later
 * key may be allocated at the same address (per-epoch keys come and go). */
void
namecache_forget(struct namecache *nc, const struct pseudo *ps)
{
	for (size_t i = 0; i < NAMECACHE_SIZE; i++)
		if (nc->e[i].ps == ps)
			sodium_memzero(&nc->e[i], sizeof nc->e[i]);
}

/*
 * The slot of name *k under key ps.  *hit is 1 when the slot already holds
 * its pseudonym (in ->val).  Otherwise, when the name fits, the slot has
 * been claimed for it: the caller writes the pseudonym to ->val.  Returns
 * NULL (and *hit 0) for a name too long to cache.
 */
struct namecache_entry *
namecache_slot(struct namecache *nc, const struct pseudo *ps, const struct namecache_key *k, int *hit)
{
	char key[NAMECACHE_KEYMAX];
	uint64_t h = 0xcbf29ce484222325u ^ k->tag;	/* FNV-1a */
	struct namecache_entry *e;
	size_t len = 0;

	*hit = 0;
	for (int i = 0; i < 3; i++) {
		if (k->len[i] > NAMECACHE_KEYMAX - len)
			return NULL;
		memcpy(key + len, k->part[i], k->len[i]);
		len += k->len[i];
	}
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)key[i]) * 0x100000001b3u;
	e = &nc->e[(h ^ h >> 29) & (NAMECACHE_SIZE - 1)];
	if (e->ps == ps && e->tag == k->tag && e->len == len && memcmp(e->key, key, len) == 0) {
		*hit = 1;
		return e;
	}
	e->ps = ps, e->tag = k->tag, e->len = (uint8_t)len;
	memcpy(e->key, key, len);
	return e;
}
