/*
 * outbuf: the output buffer.  Bytes are appended with memcpy and leave with
 * one write(2) when the buffer is full or when the caller flushes.  After a
 * write error every further call is a no-op and err holds the errno, so the
 * hot path never checks a return value.
 *
 * The sink is a file descriptor, or a zlib stream (gz) for a .gz file
 * rewritten in place; only the flush looks at which, so appending costs the
 * same either way.
 */
#ifndef LOGSCRUB_OUTBUF_H
#define LOGSCRUB_OUTBUF_H

#include <stddef.h>
#include <string.h>

#include <zlib.h>

/* Output buffer size: large enough that a write(2) costs little per byte,
 * small enough to stay in the L2 cache with the input buffer. */
#define OUTBUF_SIZE (256 * 1024)

struct outbuf {
	char *buf;
	size_t len;
	int fd;
	gzFile gz;		/* non-NULL: flushes go through zlib, not to fd */
	int err;		/* errno of the first failed write, or 0 */
	unsigned long long bytes;	/* bytes handed to the sink so far (before compression) */
};

int outbuf_init(struct outbuf *o, int fd);
void outbuf_free(struct outbuf *o);
int outbuf_flush(struct outbuf *o);
void outbuf_put_slow(struct outbuf *o, const char *p, size_t n);

/* Append p[0..n). */
static inline void
outbuf_put(struct outbuf *o, const char *p, size_t n)
{
	if (n <= OUTBUF_SIZE - o->len) {
		memcpy(o->buf + o->len, p, n);
		o->len += n;
	} else {
		outbuf_put_slow(o, p, n);
	}
}

#endif
