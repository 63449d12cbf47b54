/*
 * outbuf: buffered writes to a file descriptor.
 */
#include "config.h"

#include "outbuf.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

/* Set up o to write to fd.  Returns 0, or -1 (errno ENOMEM). */
int
outbuf_init(struct outbuf *o, int fd)
{
	o->buf = malloc(OUTBUF_SIZE);
	o->len = 0;
	o->fd = fd;
	o->gz = NULL;
	o->err = 0;
	o->bytes = 0;
	return o->buf ? 0 : -1;
}

/* Release the buffer (without flushing). */
void
outbuf_free(struct outbuf *o)
{
	free(o->buf);
	o->buf = NULL;
}

/* Compress p[0..n) into o->gz; records the first error in o->err (EIO
 * when zlib's own, not the system's, failed). */
static void
gz_out(struct outbuf *o, const char *p, size_t n)
{
	while (n > 0 && o->err == 0) {
		unsigned chunk = n > UINT_MAX ? UINT_MAX : (unsigned)n;
		int w = gzwrite(o->gz, p, chunk), zerr;

		if (w <= 0) {
			gzerror(o->gz, &zerr);
			o->err = zerr == Z_ERRNO && errno != 0 ? errno : EIO;
			return;
		}
		p += w, n -= (size_t)w;
		o->bytes += (unsigned long long)w;
	}
}

/* Write p[0..n) to the sink, retrying short writes and EINTR; records the
 * first error in o->err. */
static void
write_out(struct outbuf *o, const char *p, size_t n)
{
	if (o->gz != NULL) {
		gz_out(o, p, n);
		return;
	}
	while (n > 0 && o->err == 0) {
		ssize_t w = write(o->fd, p, n);

		if (w < 0) {
			if (errno != EINTR)
				o->err = errno;
			continue;
		}
		p += w, n -= (size_t)w;
		o->bytes += (unsigned long long)w;
	}
}

/* Write out what the buffer holds.  Returns 0, or -1 once a write has
 * failed (o->err tells why). */
int
outbuf_flush(struct outbuf *o)
{
	write_out(o, o->buf, o->len);
	o->len = 0;
	return o->err ? -1 : 0;
}

/* outbuf_put() for what does not fit: flush, then buffer or write directly. */
void
outbuf_put_slow(struct outbuf *o, const char *p, size_t n)
{
	outbuf_flush(o);
	if (n < OUTBUF_SIZE) {
		memcpy(o->buf, p, n);
		o->len = n;
	} else {
		write_out(o, p, n);
	}
}
