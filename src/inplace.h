/*
 * inplace: rewrite a file in place, atomically (-i, for logrotate's
 * postrotate).
 *
 * The anonymised text goes to a temporary file in the same directory, which
 * is fsynced, given the original's owner, group and mode, and renamed over
 * the original; then the directory is fsynced.  Readers see the old file or
 * the new one, never a mix, and a crash leaves one of the two.  On any
 * failure (or a stop signal) the original is left as it was and the
 * temporary file is removed.  A name ending in ".gz" is read and written
 * through zlib, so the rewrite works after logrotate's compress without
 * delaycompress; a ".gz" file that is not compressed stays uncompressed.
 */
#ifndef LOGSCRUB_INPLACE_H
#define LOGSCRUB_INPLACE_H

#include "filter.h"
#include "outbuf.h"
#include "stream.h"

/* Room for a message that names the file and the reason. */
#define INPLACE_ERRLEN (STREAM_ERRLEN + 256)

int inplace_run(const char *path, struct filter *f, struct outbuf *o,
    const struct stream_hook *hook, char err[INPLACE_ERRLEN]);

#endif
