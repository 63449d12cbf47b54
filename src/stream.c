/*
 * stream: input buffering, line slicing, flush policy.
 */
#include "config.h"

#include "stream.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "chars.h"

volatile sig_atomic_t stream_reload;

/* True when a read from fd would not block now. */
static bool
input_ready(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, 0) != 0;
}

/* True when no identifier can contain byte c. */
static bool
is_cut(unsigned char c)
{
	return !chars_is(c, CH_RUN | CH_ATEXT | CH_MAIL | CH_DOMAIN) && c != '"' &&
	    c != '[' && c != ']';
}

/*
 * Where to cut the overlong line p[0..n): after the last byte in its second
 * half that no identifier can contain; failing that, the last place where
 * an address run does not go on across the cut; failing that, the end.
 */
static size_t
cut_point(const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t k;

	for (k = n; k > n / 2; k--)
		if (is_cut(s[k - 1]))
			return k;
	for (k = n - 1; k > n / 2; k--)
		if (!chars_is(s[k - 1], CH_RUN) || !chars_is(s[k], CH_RUN))
			return k;
	return n;
}

/*
 * Filter the input fd (called name in messages) to o until end of file.
 * Before a read that would block, whatever output is pending is written,
 * so a line leaves as soon as it came in when input trickles (a pipe from
 * syslog-ng) and in big writes when it pours (a file).  A reload asked for
 * by stream_reload happens before the next read; a failed one is reported
 * on standard error and the filter goes on as it was.  Returns 0 at end of
 * file, -1 on a read error (message in err), 1 when output failed.
 */
int
stream_run(int fd, const char *name, struct filter *f, struct outbuf *o, char err[STREAM_ERRLEN])
{
	size_t cap = STREAM_LINE_MAX + STREAM_READ, len = 0;
	char *buf = malloc(cap);
	struct stat st;
	bool regular;
	int ret = 0;

	if (buf == NULL) {
		snprintf(err, STREAM_ERRLEN, "%s: %s", name, strerror(errno));
		return -1;
	}
	regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	for (;;) {
		char *p, *q, *end, *nl;
		ssize_t r;

		if (stream_reload) {
			char rerr[GEO_ERRLEN];

			stream_reload = 0;
			if (filter_reload(f, rerr) < 0)
				fprintf(stderr, "logscrub: %s; keeping the databases in use\n", rerr);
		}
		if (o->len > 0 && !regular && !input_ready(fd))
			outbuf_flush(o);
		if (o->err) {
			ret = 1;
			break;
		}
		r = read(fd, buf + len, STREAM_READ);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(err, STREAM_ERRLEN, "%s: %s", name, strerror(errno));
			ret = -1;
			break;
		}
		if (r == 0)
			break;
		p = buf, q = buf + len, end = buf + len + r;
		while ((nl = memchr(q, '\n', (size_t)(end - q))) != NULL) {
			filter_line(f, p, (size_t)(nl + 1 - p), 0, o);
			p = q = nl + 1;
		}
		len = (size_t)(end - p);
		if (len >= STREAM_LINE_MAX) {
			size_t k = cut_point(p, len);

			filter_line(f, p, k, FILTER_MORE, o);
			p += k, len -= k;
		}
		memmove(buf, p, len);
	}
	if (ret == 0 && len > 0)
		filter_line(f, buf, len, 0, o);
	free(buf);
	return o->err ? 1 : ret;
}
