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

/*
 * Wait up to timeout ms (-1: for ever) until fd has input, or until wake_fd
 * (when >= 0) is readable or a signal interrupts.  Returns true when a
 * read(2) from fd will not block (input, end of file or an error to report).
 */
static bool
input_wait(int fd, int wake_fd, int timeout)
{
	struct pollfd pfd[2] = {
		{ .fd = fd, .events = POLLIN }, { .fd = wake_fd, .events = POLLIN },
	};
	int r = poll(pfd, wake_fd >= 0 ? 2 : 1, timeout);

	if (r < 0)
		return errno != EINTR;
	return r > 0 && pfd[0].revents != 0;
}

/* read(2) or gzread(); on an error, the message in err. */
static ssize_t
input_read(const struct stream_input *in, char *p, size_t n, char err[STREAM_ERRLEN])
{
	ssize_t r;
	int zerr;

	if (in->gz == NULL) {
		while ((r = read(in->fd, p, n)) < 0 && errno == EINTR)
			;
		if (r < 0)
			snprintf(err, STREAM_ERRLEN, "%s: %s", in->name, strerror(errno));
		return r;
	}
	/* at the end, zlib tells a truncated file only through gzerror() */
	r = gzread(in->gz, p, (unsigned)n);
	if (r <= 0) {
		const char *msg = gzerror(in->gz, &zerr);

		if (zerr == Z_OK)
			return r;
		/* zlib names a gzdopen()ed file "<fd:N>": we have a better name */
		if (strncmp(msg, "<fd:", 4) == 0 && strstr(msg, ": ") != NULL)
			msg = strstr(msg, ": ") + 2;
		snprintf(err, STREAM_ERRLEN, "%s: %s", in->name, zerr == Z_ERRNO ? strerror(errno) : msg);
		return -1;
	}
	return r;
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
 * Filter the input in to o until end of file, or until hook (may be NULL)
 * says stop.  Before a wait for input, whatever output is pending is
 * written, so a line leaves as soon as it came in when input trickles (a
 * pipe from syslog-ng) and in big writes when it pours (a file).  Returns
 * STREAM_EOF, STREAM_STOPPED, STREAM_OUTPUT_ERROR, or -1 on a read error
 * (message in err).
 */
int
stream_run(const struct stream_input *in, struct filter *f, struct outbuf *o,
    const struct stream_hook *hook, char err[STREAM_ERRLEN])
{
	size_t cap = STREAM_LINE_MAX + STREAM_READ, len = 0;
	char *buf = malloc(cap);
	int wake = hook != NULL ? hook->wake_fd : -1;
	bool regular, stop = false;
	struct stat st;
	int ret = STREAM_EOF;

	if (buf == NULL) {
		snprintf(err, STREAM_ERRLEN, "%s: %s", in->name, strerror(errno));
		return -1;
	}
	regular = fstat(in->fd, &st) == 0 && S_ISREG(st.st_mode);
	for (;;) {
		char *p, *q, *end, *nl;
		ssize_t r;

		if (o->err)
			break;
		if (!stop && hook != NULL && hook->before_read(hook->arg, in))
			stop = true;
		if (stop)
			ret = STREAM_STOPPED;
		if (stop && regular)
			break;
		/* idle (or stopping, and the pipe is empty): pending output leaves now */
		if (!regular && !input_wait(in->fd, wake, o->len > 0 || stop ? 0 : -1)) {
			outbuf_flush(o);
			if (stop)
				break;
			continue;
		}
		r = input_read(in, buf + len, STREAM_READ, err);
		if (r < 0) {
			ret = -1;
			break;
		}
		if (r == 0)
			break;
		f->bytes_in += (uint64_t)r;
		filter_tick(f);
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
	if (ret >= 0 && len > 0)
		filter_line(f, buf, len, 0, o);
	free(buf);
	return o->err ? STREAM_OUTPUT_ERROR : ret;
}
