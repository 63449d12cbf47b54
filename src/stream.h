/*
 * stream: read an input with big read(2)s, slice it into lines, hand each
 * to the filter, and decide when output leaves (idle flush).
 *
 * Memory is bounded whatever the input: a line longer than STREAM_LINE_MAX
 * is handed over in pieces, each cut where no identifier can be cut in two
 * (white space or punctuation; failing that, between two bytes that cannot
 * both belong to one address), so it is still anonymised, never passed
 * through.  Only an email local part or a run of address characters longer
 * than STREAM_LINE_MAX / 2 could be cut, and such a thing is no address.
 */
#ifndef LOGSCRUB_STREAM_H
#define LOGSCRUB_STREAM_H

#include <stdbool.h>

#include <zlib.h>

#include "filter.h"
#include "outbuf.h"

/* One read(2): large enough to amortise the call, small enough for the L2 cache. */
#define STREAM_READ (128 * 1024)
/* Lines longer than this are handed to the filter in pieces (documented in logscrub(1)). */
#define STREAM_LINE_MAX (1024 * 1024)

/* Room for an error message that names the input. */
#define STREAM_ERRLEN 512

/* stream_run() results. */
enum {
	STREAM_EOF = 0,		/* the input ended */
	STREAM_OUTPUT_ERROR = 1,	/* a write failed: outbuf.err says why */
	STREAM_STOPPED = 2,	/* the hook said stop */
};

/* One input: a file descriptor, read with read(2), or through zlib when gz
 * is set (gz then reads fd).  name is what messages call it. */
struct stream_input {
	int fd;
	gzFile gz;
	const char *name;
};

/* The caller's say between reads (signals, progress).  before_read runs
 * before every read of the input in and returns true to stop: the input is then read on
 * only as far as it has bytes ready now (a pipe: what was already written
 * to it), so no line that reached logscrub is lost.  When wake_fd >= 0, a
 * wait for input on a pipe or socket also ends when wake_fd becomes
 * readable, and before_read runs again: before_read must drain it. */
struct stream_hook {
	bool (*before_read)(void *arg, const struct stream_input *in);
	void *arg;
	int wake_fd;
};

int stream_run(const struct stream_input *in, struct filter *f, struct outbuf *o,
    const struct stream_hook *hook, char err[STREAM_ERRLEN]);

#endif
