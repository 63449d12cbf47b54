/*
 * progress: --progress, a bar on standard error while a regular file is
 * read: percentage, rate and time left.  Silent when standard error is not
 * a terminal or the input is not a regular file (a pipe has no size).  The
 * position is the input's file offset, so for a .gz file rewritten in
 * place the bar follows the compressed bytes.
 */
#ifndef LOGSCRUB_PROGRESS_H
#define LOGSCRUB_PROGRESS_H

#include <stdbool.h>
#include <sys/types.h>
#include <time.h>

#include "stream.h"

struct progress {
	bool want;			/* --progress and standard error is a terminal */
	const struct stream_input *in;	/* the input the bar is about, or NULL */
	off_t size;			/* its size; 0: no bar for it */
	struct timespec start, last;	/* when it began; the last redraw */
	bool drawn;			/* a bar is on the screen */
};

void progress_init(struct progress *p, bool want);
void progress_tick(struct progress *p, const struct stream_input *in);
void progress_done(struct progress *p);

#endif
