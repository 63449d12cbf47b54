/*
 * mmdbw: a MaxMind DB (format 2.0) writer.  See mmdbw.h for the contract and
 * https://maxmind.github.io/MaxMind-DB/ for the format.
 *
 * The search tree is built in memory as an array of nodes, each holding two
 * records; a record is either the index of a child node or, with LEAF set, a
 * data handle (0 for "no data", otherwise 1 + the record's offset in the data
 * section).  Replacing a subtree by a leaf leaves its nodes unreachable in
 * the array; only reachable nodes are numbered and written.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mmdbw.h"

/* Marks a tree record that holds a data handle rather than a node index. */
#define LEAF UINT32_C(0x80000000)
/* Nodes allocated for a new tree; the array doubles from there. */
#define NODES_INITIAL 4096
/* Slots in a new deduplication table (a power of two); it doubles at 1/2 load. */
#define DEDUP_INITIAL 1024
/* Zero bytes between the search tree and the data section (the spec's 16). */
#define DATA_SEPARATOR_LEN 16
/* Largest string the size field of a control byte can express. */
#define STRING_MAX (65821 + 0xffffff)
/* Data-section types (spec "Output Data Section"); >7 are extended types. */
#define TYPE_UTF8 2
#define TYPE_MAP 7
#define TYPE_UINT16 5
#define TYPE_UINT32 6
#define TYPE_UINT64 9
#define TYPE_ARRAY 11

/* Marks the start of the metadata section. */
static const char metadata_marker[] = "\xab\xcd\xefMaxMind.com";
#define METADATA_MARKER_LEN 14

struct mmdbw_buf {
	uint8_t *p;
	size_t len, cap;
};

/* One serialised record in the deduplication table; len 0 is a free slot. */
struct mmdbw_slot {
	uint32_t off, len;
};

struct mmdbw {
	unsigned bits;			/* tree depth: 32 or 128 */
	uint32_t (*node)[2];
	size_t nnodes, capnodes;
	struct mmdbw_buf data;		/* the data section */
	struct mmdbw_slot *slot;
	size_t nslots, used;
	int finished;
};

/* State of one range insertion, shared down the recursion. */
struct mmdbw_ins {
	const uint8_t *lo, *hi;
	unsigned lo_zeros;		/* trailing zero bits of lo */
	unsigned hi_ones;		/* trailing one bits of hi */
	uint32_t leaf;
};

/* Appends n bytes to b, growing it as needed. */
static int
mmdbw_buf_put(struct mmdbw_buf *b, const void *src, size_t n)
{
	if (b->cap - b->len < n) {
		size_t cap = b->cap ? b->cap : 4096;
		uint8_t *p;

		while (cap - b->len < n)
			cap *= 2;
		if ((p = realloc(b->p, cap)) == NULL)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, src, n);
	b->len += n;
	return 0;
}

/* Appends a control byte for type and size (an extended type gets its
 * second byte, then the size bytes follow, as the spec orders them). */
static int
mmdbw_put_ctrl(struct mmdbw_buf *b, unsigned type, size_t size)
{
	uint8_t c[5];
	size_t n = 1;

	c[0] = type <= 7 ? (uint8_t)(type << 5) : 0;
	if (type > 7)
		c[n++] = (uint8_t)(type - 7);
	if (size < 29) {
		c[0] |= (uint8_t)size;
	} else if (size < 29 + 256) {
		c[0] |= 29;
		c[n++] = (uint8_t)(size - 29);
	} else if (size < 285 + 65536) {
		c[0] |= 30;
		c[n++] = (uint8_t)((size - 285) >> 8);
		c[n++] = (uint8_t)(size - 285);
	} else if (size <= STRING_MAX) {
		c[0] |= 31;
		c[n++] = (uint8_t)((size - 65821) >> 16);
		c[n++] = (uint8_t)((size - 65821) >> 8);
		c[n++] = (uint8_t)(size - 65821);
	} else {
		errno = EOVERFLOW;
		return -1;
	}
	return mmdbw_buf_put(b, c, n);
}

static int
mmdbw_put_str(struct mmdbw_buf *b, const char *s)
{
	size_t n = strlen(s);

	if (mmdbw_put_ctrl(b, TYPE_UTF8, n) == -1)
		return -1;
	return mmdbw_buf_put(b, s, n);
}

/* Appends an unsigned integer of the given type in as few bytes as it
 * needs (zero takes none), big-endian. */
static int
mmdbw_put_uint(struct mmdbw_buf *b, unsigned type, uint64_t v)
{
	uint8_t be[8];
	size_t n = 0;

	for (uint64_t t = v; t != 0; t >>= 8)
		n++;
	for (size_t i = 0; i < n; i++)
		be[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
	if (mmdbw_put_ctrl(b, type, n) == -1)
		return -1;
	return mmdbw_buf_put(b, be, n);
}

/* Appends a key followed by a UTF-8 string value. */
static int
mmdbw_put_kv(struct mmdbw_buf *b, const char *key, const char *value)
{
	if (mmdbw_put_str(b, key) == -1)
		return -1;
	return mmdbw_put_str(b, value);
}

/* Serialises rec as a GeoLite2-style map: continent {code, names {en}},
 * country {iso_code}, autonomous_system_number, autonomous_system_organization;
 * each present only when rec has it. */
static int
mmdbw_put_record(struct mmdbw_buf *b, const struct mmdbw_record *rec)
{
	size_t keys = (rec->continent[0] != '\0') + (rec->country[0] != '\0') +
	    (rec->has_asn != 0) + (rec->org != NULL);

	if (mmdbw_put_ctrl(b, TYPE_MAP, keys) == -1)
		return -1;
	if (rec->continent[0] != '\0') {
		if (mmdbw_put_str(b, "continent") == -1 ||
		    mmdbw_put_ctrl(b, TYPE_MAP,
		    rec->continent_name != NULL ? 2 : 1) == -1 ||
		    mmdbw_put_kv(b, "code", rec->continent) == -1)
			return -1;
		if (rec->continent_name != NULL &&
		    (mmdbw_put_str(b, "names") == -1 ||
		    mmdbw_put_ctrl(b, TYPE_MAP, 1) == -1 ||
		    mmdbw_put_kv(b, "en", rec->continent_name) == -1))
			return -1;
	}
	if (rec->country[0] != '\0' &&
	    (mmdbw_put_str(b, "country") == -1 ||
	    mmdbw_put_ctrl(b, TYPE_MAP, 1) == -1 ||
	    mmdbw_put_kv(b, "iso_code", rec->country) == -1))
		return -1;
	if (rec->has_asn &&
	    (mmdbw_put_str(b, "autonomous_system_number") == -1 ||
	    mmdbw_put_uint(b, TYPE_UINT32, rec->asn) == -1))
		return -1;
	if (rec->org != NULL &&
	    mmdbw_put_kv(b, "autonomous_system_organization", rec->org) == -1)
		return -1;
	return 0;
}

/* Appends a node whose two records both hold r; returns its index, or
 * UINT32_MAX when out of memory or past the LEAF bit. */
static uint32_t
mmdbw_node_new(struct mmdbw *w, uint32_t r)
{
	if (w->nnodes == w->capnodes) {
		size_t cap = w->capnodes * 2;
		uint32_t (*p)[2];

		if (cap >= LEAF) {
			errno = EOVERFLOW;
			return UINT32_MAX;
		}
		if ((p = realloc(w->node, cap * sizeof *p)) == NULL)
			return UINT32_MAX;
		w->node = p;
		w->capnodes = cap;
	}
	w->node[w->nnodes][0] = w->node[w->nnodes][1] = r;
	return (uint32_t)w->nnodes++;
}

struct mmdbw *
mmdbw_new(int ip_version)
{
	struct mmdbw *w;

	if (ip_version != 4 && ip_version != 6) {
		errno = EINVAL;
		return NULL;
	}
	if ((w = calloc(1, sizeof *w)) == NULL)
		return NULL;
	w->bits = ip_version == 4 ? 32 : 128;
	w->capnodes = NODES_INITIAL;
	w->nslots = DEDUP_INITIAL;
	if ((w->node = malloc(w->capnodes * sizeof *w->node)) == NULL ||
	    (w->slot = calloc(w->nslots, sizeof *w->slot)) == NULL) {
		mmdbw_free(w);
		return NULL;
	}
	mmdbw_node_new(w, LEAF);	/* the root, all "no data" */
	return w;
}

void
mmdbw_free(struct mmdbw *w)
{
	if (w == NULL)
		return;
	free(w->node);
	free(w->data.p);
	free(w->slot);
	free(w);
}

/* FNV-1a: a small, well-spread hash for the deduplication table. */
static uint32_t
mmdbw_hash(const uint8_t *p, size_t n)
{
	uint32_t h = UINT32_C(2166136261);

	while (n-- > 0)
		h = (h ^ *p++) * UINT32_C(16777619);
	return h;
}

/* Returns the slot holding the n bytes at p (compared against the data
 * section), or the free slot where they belong. */
static struct mmdbw_slot *
mmdbw_slot_find(struct mmdbw *w, const uint8_t *p, size_t n)
{
	size_t mask = w->nslots - 1;
	size_t i = mmdbw_hash(p, n) & mask;

	while (w->slot[i].len != 0 && (w->slot[i].len != n ||
	    memcmp(w->data.p + w->slot[i].off, p, n) != 0))
		i = (i + 1) & mask;
	return &w->slot[i];
}

/* Doubles the deduplication table and rehashes every record into it. */
static int
mmdbw_slot_grow(struct mmdbw *w)
{
	struct mmdbw_slot *old = w->slot;
	size_t oldn = w->nslots;

	if ((w->slot = calloc(oldn * 2, sizeof *w->slot)) == NULL) {
		w->slot = old;
		return -1;
	}
	w->nslots = oldn * 2;
	for (size_t i = 0; i < oldn; i++)
		if (old[i].len != 0)
			*mmdbw_slot_find(w, w->data.p + old[i].off,
			    old[i].len) = old[i];
	free(old);
	return 0;
}

/* Serialises rec at the end of the data section, then either keeps it (a
 * new record) or drops it again (a copy of one already there).  The handle
 * is 1 + the offset of the kept copy. */
int
mmdbw_add_record(struct mmdbw *w, const struct mmdbw_record *rec,
    uint32_t *handle)
{
	size_t start = w->data.len, n;
	struct mmdbw_slot *s;

	if (w->used * 2 >= w->nslots && mmdbw_slot_grow(w) == -1)
		return -1;
	if (mmdbw_put_record(&w->data, rec) == -1) {
		w->data.len = start;
		return -1;
	}
	n = w->data.len - start;
	if (start + n >= LEAF - 1) {
		w->data.len = start;
		errno = EOVERFLOW;
		return -1;
	}
	s = mmdbw_slot_find(w, w->data.p + start, n);
	if (s->len != 0) {
		w->data.len = start;
	} else {
		s->off = (uint32_t)start;
		s->len = (uint32_t)n;
		w->used++;
	}
	*handle = s->off + 1;
	return 0;
}

static unsigned
mmdbw_bit(const uint8_t *a, unsigned i)
{
	return a[i >> 3] >> (7 - (i & 7)) & 1;
}

/* Sets every record under node n (at prefix length d) that the range
 * covers.  lo_tight says the prefix so far equals lo's (so the range may
 * start inside it), hi_tight the same for hi.  A child wholly inside the
 * range becomes a leaf; a child partly inside is split and descended, so a
 * range costs at most two paths of nodes. */
static int
mmdbw_insert_at(struct mmdbw *w, const struct mmdbw_ins *in, uint32_t n,
    unsigned d, int lo_tight, int hi_tight)
{
	unsigned lb = mmdbw_bit(in->lo, d), hb = mmdbw_bit(in->hi, d);

	for (unsigned b = 0; b < 2; b++) {
		int clo = lo_tight && b == lb, chi = hi_tight && b == hb;
		uint32_t r, m;

		if ((lo_tight && b < lb) || (hi_tight && b > hb))
			continue;
		if ((!clo || d + 1 >= w->bits - in->lo_zeros) &&
		    (!chi || d + 1 >= w->bits - in->hi_ones)) {
			w->node[n][b] = in->leaf;
			continue;
		}
		r = w->node[n][b];
		if (r & LEAF) {
			if ((m = mmdbw_node_new(w, r)) == UINT32_MAX)
				return -1;
			w->node[n][b] = m;
		} else {
			m = r;
		}
		if (mmdbw_insert_at(w, in, m, d + 1, clo, chi) == -1)
			return -1;
	}
	return 0;
}

int
mmdbw_insert_range(struct mmdbw *w, const uint8_t *lo, const uint8_t *hi,
    uint32_t handle)
{
	struct mmdbw_ins in = { lo, hi, 0, 0, LEAF | handle };

	if (w->finished || memcmp(lo, hi, w->bits / 8) > 0) {
		errno = EINVAL;
		return -1;
	}
	while (in.lo_zeros < w->bits &&
	    mmdbw_bit(lo, w->bits - 1 - in.lo_zeros) == 0)
		in.lo_zeros++;
	while (in.hi_ones < w->bits &&
	    mmdbw_bit(hi, w->bits - 1 - in.hi_ones) == 1)
		in.hi_ones++;
	return mmdbw_insert_at(w, &in, 0, 0, 1, 1);
}

/* Replaces every node whose two records are the same leaf by that leaf,
 * bottom-up, so that adjacent ranges with equal data share one record. */
static void
mmdbw_merge(struct mmdbw *w, uint32_t n)
{
	for (unsigned b = 0; b < 2; b++) {
		uint32_t r = w->node[n][b];

		if (r & LEAF)
			continue;
		mmdbw_merge(w, r);
		if ((w->node[r][0] & LEAF) && w->node[r][0] == w->node[r][1])
			w->node[n][b] = w->node[r][0];
	}
}

/* Walks from the root along the first plen - 1 bits of p, splitting leaves
 * on the way, and returns the node that holds the record for p/plen (its
 * side is bit plen - 1), or UINT32_MAX when out of memory. */
static uint32_t
mmdbw_walk(struct mmdbw *w, const uint8_t *p, unsigned plen)
{
	uint32_t n = 0;

	for (unsigned d = 0; d + 1 < plen; d++) {
		unsigned b = mmdbw_bit(p, d);
		uint32_t r = w->node[n][b];

		if (r & LEAF) {
			if ((r = mmdbw_node_new(w, r)) == UINT32_MAX)
				return UINT32_MAX;
			w->node[n][b] = r;
		}
		n = r;
	}
	return n;
}

/* Makes ::ffff:0:0/96 (IPv4-mapped) and 2002::/16 (6to4) point at the
 * record for ::/96, as MaxMind's writer does, so that those addresses find
 * the IPv4 data.  The tree becomes a DAG; numbering copes with that. */
static int
mmdbw_alias(struct mmdbw *w)
{
	static const uint8_t v4[MMDBW_ADDR_LEN];
	static const uint8_t mapped[MMDBW_ADDR_LEN] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	static const uint8_t sixtofour[MMDBW_ADDR_LEN] = { 0x20, 0x02 };
	uint32_t n, r;

	if ((n = mmdbw_walk(w, v4, 96)) == UINT32_MAX)
		return -1;
	r = w->node[n][0];
	if ((n = mmdbw_walk(w, mapped, 96)) == UINT32_MAX)
		return -1;
	w->node[n][1] = r;
	if ((n = mmdbw_walk(w, sixtofour, 16)) == UINT32_MAX)
		return -1;
	w->node[n][0] = r;
	return 0;
}

/* Writes one node's two record values in the record size's layout (for 28
 * bits the middle byte holds the top nibble of each record). */
static int
mmdbw_put_node(struct mmdbw_buf *b, unsigned rs, uint32_t l, uint32_t r)
{
	uint8_t c[8];
	size_t n = 0;

	if (rs == 32) {
		c[n++] = (uint8_t)(l >> 24);
	}
	c[n++] = (uint8_t)(l >> 16);
	c[n++] = (uint8_t)(l >> 8);
	c[n++] = (uint8_t)l;
	if (rs == 28)
		c[n++] = (uint8_t)(((l >> 24) & 0x0f) << 4 | ((r >> 24) & 0x0f));
	if (rs == 32)
		c[n++] = (uint8_t)(r >> 24);
	c[n++] = (uint8_t)(r >> 16);
	c[n++] = (uint8_t)(r >> 8);
	c[n++] = (uint8_t)r;
	return mmdbw_buf_put(b, c, n);
}

/* Appends the metadata section for a tree of node_count nodes. */
static int
mmdbw_put_meta(struct mmdbw_buf *b, const struct mmdbw *w,
    const struct mmdbw_meta *meta, uint32_t node_count)
{
	if (mmdbw_buf_put(b, metadata_marker, METADATA_MARKER_LEN) == -1 ||
	    mmdbw_put_ctrl(b, TYPE_MAP, 9) == -1 ||
	    mmdbw_put_str(b, "binary_format_major_version") == -1 ||
	    mmdbw_put_uint(b, TYPE_UINT16, 2) == -1 ||
	    mmdbw_put_str(b, "binary_format_minor_version") == -1 ||
	    mmdbw_put_uint(b, TYPE_UINT16, 0) == -1 ||
	    mmdbw_put_str(b, "build_epoch") == -1 ||
	    mmdbw_put_uint(b, TYPE_UINT64, meta->build_epoch) == -1 ||
	    mmdbw_put_kv(b, "database_type", meta->database_type) == -1 ||
	    mmdbw_put_str(b, "description") == -1 ||
	    mmdbw_put_ctrl(b, TYPE_MAP, 1) == -1 ||
	    mmdbw_put_kv(b, "en", meta->description) == -1 ||
	    mmdbw_put_str(b, "ip_version") == -1 ||
	    mmdbw_put_uint(b, TYPE_UINT16, w->bits == 32 ? 4 : 6) == -1 ||
	    mmdbw_put_str(b, "languages") == -1 ||
	    mmdbw_put_ctrl(b, TYPE_ARRAY, 1) == -1 ||
	    mmdbw_put_str(b, "en") == -1 ||
	    mmdbw_put_str(b, "node_count") == -1 ||
	    mmdbw_put_uint(b, TYPE_UINT32, node_count) == -1 ||
	    mmdbw_put_str(b, "record_size") == -1 ||
	    mmdbw_put_uint(b, TYPE_UINT16, meta->record_size) == -1)
		return -1;
	return 0;
}

/* Merges and aliases the tree, numbers the reachable nodes breadth-first
 * (a node reached twice through an alias keeps its first number), checks
 * that every record value fits the record size, and writes tree, separator,
 * data section and metadata to f. */
int
mmdbw_write(struct mmdbw *w, const struct mmdbw_meta *meta, FILE *f)
{
	static const uint8_t zero[DATA_SEPARATOR_LEN];
	unsigned rs = meta->record_size;
	uint32_t *num = NULL, *order = NULL, count = 0;
	struct mmdbw_buf out = { NULL, 0, 0 };
	int ret = -1;

	if (w->finished || (rs != 24 && rs != 28 && rs != 32)) {
		errno = EINVAL;
		return -1;
	}
	w->finished = 1;
	mmdbw_merge(w, 0);
	if (w->bits == 128 && mmdbw_alias(w) == -1)
		return -1;
	if ((num = malloc(w->nnodes * sizeof *num)) == NULL ||
	    (order = malloc(w->nnodes * sizeof *order)) == NULL)
		goto fail;
	memset(num, 0xff, w->nnodes * sizeof *num);
	num[0] = 0;
	order[count++] = 0;
	for (uint32_t i = 0; i < count; i++)
		for (unsigned b = 0; b < 2; b++) {
			uint32_t r = w->node[order[i]][b];

			if (!(r & LEAF) && num[r] == UINT32_MAX) {
				num[r] = count;
				order[count++] = r;
			}
		}
	if ((uint64_t)count + DATA_SEPARATOR_LEN + w->data.len >=
	    (UINT64_C(1) << rs)) {
		errno = EOVERFLOW;
		goto fail;
	}
	for (uint32_t i = 0; i < count; i++) {
		uint32_t v[2];

		for (unsigned b = 0; b < 2; b++) {
			uint32_t r = w->node[order[i]][b];

			if (!(r & LEAF))
				v[b] = num[r];
			else if (r == LEAF)
				v[b] = count;
			else
				v[b] = count + DATA_SEPARATOR_LEN + (r & ~LEAF) - 1;
		}
		if (mmdbw_put_node(&out, rs, v[0], v[1]) == -1)
			goto fail;
	}
	if (mmdbw_buf_put(&out, zero, sizeof zero) == -1 ||
	    (w->data.len > 0 &&
	    mmdbw_buf_put(&out, w->data.p, w->data.len) == -1) ||
	    mmdbw_put_meta(&out, w, meta, count) == -1)
		goto fail;
	if (fwrite(out.p, 1, out.len, f) != out.len)
		goto fail;
	ret = 0;
fail:
	free(out.p);
	free(order);
	free(num);
	return ret;
}
