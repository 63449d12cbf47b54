/*
 * inplace: temporary file, fsync, rename.
 */
#include "config.h"

#include "inplace.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

/* Suffix mkostemp() fills in. */
#define TEMP_SUFFIX ".XXXXXX"
/* What every failure message ends with. */
#define LEFT_ALONE " (file left as it was)"

/* The directory part of path in dir (at least strlen(path) + 2 bytes):
 * "." when there is none. */
static void
dir_of(const char *path, char *dir)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL) {
		strcpy(dir, ".");
		return;
	}
	if (slash == path)
		slash++;
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
}

/* "DIR/.BASE.XXXXXX" for path, malloc'ed: a dot file, so a shell glob over
 * the log directory does not pick up a half-written file. */
static char *
temp_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path) + 1 : 0;
	size_t n = strlen(path) + 1 + sizeof TEMP_SUFFIX;
	char *t = malloc(n);

	if (t != NULL)
		snprintf(t, n, "%.*s.%s" TEMP_SUFFIX, (int)dlen, path, path + dlen);
	return t;
}

/* fsync the directory that holds path, so that the rename is durable. */
static int
sync_dir(const char *path)
{
	size_t n = strlen(path) + 2;
	char *dir = malloc(n);
	int fd, r;

	if (dir == NULL)
		return -1;
	dir_of(path, dir);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return -1;
	r = fsync(fd);
	close(fd);
	return r;
}

/* Give the open temporary file fd the owner, group and mode of st. */
static int
copy_owner(int fd, const struct stat *st)
{
	struct stat tst;

	if (fstat(fd, &tst) < 0)
		return -1;
	if ((tst.st_uid != st->st_uid || tst.st_gid != st->st_gid) &&
	    fchown(fd, st->st_uid, st->st_gid) < 0)
		return -1;
	return fchmod(fd, st->st_mode & 07777);
}

/* True when path ends in ".gz". */
static bool
is_gz(const char *path)
{
	size_t n = strlen(path);

	return n > 3 && strcmp(path + n - 3, ".gz") == 0;
}

/* Open the original path for reading (a regular file, no symlink) into
 * *in and its status into *st; for a ".gz" name also the zlib reader.
 * Returns 0, or -1 with a message in err. */
static int
open_original(const char *path, struct stream_input *in, struct stat *st, char err[INPLACE_ERRLEN])
{
	int fd;

	in->fd = open(path, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (in->fd < 0) {
		snprintf(err, INPLACE_ERRLEN, "%s: %s" LEFT_ALONE, path,
		    errno == ELOOP ? "a symbolic link is not rewritten in place" : strerror(errno));
		return -1;
	}
	if (fstat(in->fd, st) < 0) {
		snprintf(err, INPLACE_ERRLEN, "%s: %s" LEFT_ALONE, path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st->st_mode)) {
		snprintf(err, INPLACE_ERRLEN, "%s: not a regular file" LEFT_ALONE, path);
		goto fail;
	}
	/* zlib reads a duplicate (gzclose() closes it); in->fd stays ours */
	if (is_gz(path) && ((fd = dup(in->fd)) < 0 || (in->gz = gzdopen(fd, "rb")) == NULL)) {
		snprintf(err, INPLACE_ERRLEN, "%s: cannot read it with zlib" LEFT_ALONE, path);
		goto fail;
	}
	return 0;
fail:
	close(in->fd);
	return -1;
}

/*
 * Rewrite the regular file path through the filter f, using o (whose sink
 * is borrowed for the run and handed back flushed).  Returns 0, or -1 with
 * a message in err; the original is then untouched and no temporary file
 * is left.  hook may stop the run (a signal): that is a failure too, since
 * a half-filtered file must not replace the original.
 */
int
inplace_run(const char *path, struct filter *f, struct outbuf *o,
    const struct stream_hook *hook, char err[INPLACE_ERRLEN])
{
	struct stream_input in = { .fd = -1, .gz = NULL, .name = path };
	int out = -1, saved_fd = o->fd, r, zerr, dupfd;
	char serr[STREAM_ERRLEN] = "";
	gzFile gzout = NULL;
	bool created = false;
	const char *what;
	char *tmp = NULL;
	struct stat st;

	if (open_original(path, &in, &st, err) < 0)
		return -1;
	what = "cannot create a temporary file";
	if ((tmp = temp_name(path)) == NULL || (out = mkostemp(tmp, O_CLOEXEC)) < 0)
		goto fail;
	created = true;
	what = "cannot give the temporary file the original's owner and mode";
	if (copy_owner(out, &st) < 0)
		goto fail;
	/* compressed out when it came in compressed; fsync needs out, so
	 * zlib writes (and closes) a duplicate */
	if (in.gz != NULL && !gzdirect(in.gz)) {
		what = "cannot write it with zlib";
		if ((dupfd = dup(out)) < 0)
			goto fail;
		if ((gzout = gzdopen(dupfd, "wb")) == NULL) {
			close(dupfd);
			goto fail;
		}
	}
	o->fd = out, o->gz = gzout, o->err = 0;
	r = stream_run(&in, f, o, hook, serr);
	outbuf_flush(o);
	o->len = 0, o->fd = saved_fd, o->gz = NULL;
	if (gzout != NULL && (zerr = gzclose(gzout)) != Z_OK && o->err == 0)
		o->err = zerr == Z_ERRNO ? errno : EIO;
	gzout = NULL;
	if (r < 0) {
		snprintf(err, INPLACE_ERRLEN, "%s" LEFT_ALONE, serr);
		goto fail_quiet;
	}
	if (r == STREAM_STOPPED) {
		snprintf(err, INPLACE_ERRLEN, "%s: interrupted by a signal" LEFT_ALONE, path);
		goto fail_quiet;
	}
	what = "cannot write the temporary file";
	if (o->err) {
		errno = o->err;
		goto fail;
	}
	if (fsync(out) < 0)
		goto fail;
	r = close(out);
	out = -1;
	if (r < 0)
		goto fail;
	what = "cannot rename the temporary file over it";
	if (rename(tmp, path) < 0)
		goto fail;
	free(tmp);
	if (in.gz != NULL)
		gzclose(in.gz);
	close(in.fd);
	if (sync_dir(path) < 0) {
		snprintf(err, INPLACE_ERRLEN, "%s: rewritten, but its directory cannot be synced: %s",
		    path, strerror(errno));
		return -1;
	}
	return 0;

fail:
	snprintf(err, INPLACE_ERRLEN, "%s: %s: %s" LEFT_ALONE, path, what, strerror(errno));
fail_quiet:
	if (gzout != NULL)
		gzclose(gzout);
	if (out >= 0)
		close(out);
	if (created)
		unlink(tmp);
	free(tmp);
	if (in.gz != NULL)
		gzclose(in.gz);
	close(in.fd);
	return -1;
}
