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

#include <signal.h>

#include "filter.h"
#include "outbuf.h"

/* One read(2): large enough to amortise the call, small enough for the L2 cache. */
#define STREAM_READ (128 * 1024)
/* Lines longer than this are handed to the filter in pieces (documented in logscrub(1)). */
#define STREAM_LINE_MAX (1024 * 1024)

/* Room for an error message that names the input. */
#define STREAM_ERRLEN 512

/* Set (by main's SIGHUP handler) to have the stream call filter_reload()
 * before its next read: between two reads, so no line is lost or split. */
extern volatile sig_atomic_t stream_reload;

int stream_run(int fd, const char *name, struct filter *f, struct outbuf *o, char err[STREAM_ERRLEN]);

#endif
