/*
 * filter: what happens to one line, from the bytes read to the bytes
 * written.  Today: the free-text scan.  The stream hands it whole lines
 * (with their '\n', if any) or, for a line longer than STREAM_LINE_MAX,
 * consecutive pieces of one line.
 */
#ifndef LOGSCRUB_FILTER_H
#define LOGSCRUB_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "outbuf.h"
#include "scan.h"

/* Flags of filter_line(). */
enum {
	FILTER_MORE = 1,	/* the line goes on in the next call (an overlong line) */
};

struct filter {
	struct scan sc;
	uint64_t lines_in, lines_out;
	unsigned prev_flags;	/* flags of the previous call */
};

void filter_init(struct filter *f, const struct anon_policy *pol, const struct pseudo *ps, struct namecache *names,
    struct geo *geo);
int filter_reload(struct filter *f, char err[GEO_ERRLEN]);
void filter_line(struct filter *f, const char *p, size_t n, unsigned flags, struct outbuf *o);

#endif
