/*
 * keys: create and read key files, and the random key of a run without one.
 */
#include "config.h"

#include "keys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Write all of buf to fd; 0 or -1 with errno set. */
static int
write_all(int fd, const unsigned char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		buf += w, n -= (size_t)w;
	}
	return 0;
}

/*
 * Create path with PSEUDO_KEYBYTES fresh random bytes, mode 0600, refusing
 * to overwrite or follow a link.  The file is fsynced before success; on any
 * failure it is removed, so no half-written key is ever left.  Returns 0, or
 * -1 with a message in err.
 */
int
keys_generate(const char *path, char err[KEYS_ERRLEN])
{
	unsigned char *key = sodium_malloc(PSEUDO_KEYBYTES);
	int fd = -1, saved;

	if (key == NULL) {
		snprintf(err, KEYS_ERRLEN, "%s: cannot allocate locked memory", path);
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, KEYS_ERRLEN, "%s: %s%s", path, strerror(errno),
		    errno == EEXIST ? " (refusing to overwrite a key)" : "");
		sodium_free(key);
		return -1;
	}
	randombytes_buf(key, PSEUDO_KEYBYTES);
	if (fchmod(fd, 0600) < 0 || write_all(fd, key, PSEUDO_KEYBYTES) < 0 ||
	    fsync(fd) < 0)
		goto fail;
	sodium_free(key);
	if (close(fd) < 0) {
		fd = -1;
		goto fail_closed;
	}
	return 0;

fail:
	saved = errno;
	sodium_free(key);
	close(fd);
	errno = saved;
fail_closed:
	snprintf(err, KEYS_ERRLEN, "%s: %s (key not written)", path, strerror(errno));
	unlink(path);
	return -1;
}

/*
 * Create the key file path unless it exists, atomically even when several
 * processes try at once: a fresh key is written and fsynced under the
 * unique name tmp (in the same directory), then link(2)ed to path, which
 * fails with EEXIST when another process got there first; tmp is removed
 * either way.  So path, once it exists, always holds a whole key, and one
 * path never gets two keys.  The caller fsyncs the directory.  Returns 0
 * when this call created path, 1 when it already existed (read that one),
 * -1 with a message in err.
 */
int
keys_install(const char *tmp, const char *path, char err[KEYS_ERRLEN])
{
	int r, saved;

	if (keys_generate(tmp, err) < 0)
		return -1;
	r = link(tmp, path);
	saved = errno;
	unlink(tmp);
	if (r == 0)
		return 0;
	if (saved == EEXIST)
		return 1;
	snprintf(err, KEYS_ERRLEN, "%s: %s (key not created)", path, strerror(saved));
	return -1;
}

/*
 * Destroy the key file path: overwrite its bytes with zeros, fsync, unlink.
 * Overwriting first means a copy of the directory entry that survives the
 * unlink (an open descriptor, a hard link) holds no key either; on a
 * copy-on-write or journalled file system the old blocks may still exist
 * on disk until reused, which no user-space program can prevent.  The
 * caller fsyncs the directory.  Returns 0, or -1 with a message in err.
 */
int
keys_destroy(const char *path, char err[KEYS_ERRLEN])
{
	static const unsigned char zeros[PSEUDO_KEYBYTES];
	int fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0) {
		snprintf(err, KEYS_ERRLEN, "%s: %s (key not destroyed)", path, strerror(errno));
		return -1;
	}
	if (write_all(fd, zeros, sizeof zeros) < 0 || fsync(fd) < 0) {
		snprintf(err, KEYS_ERRLEN, "%s: %s (key not destroyed)", path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	if (unlink(path) < 0) {
		snprintf(err, KEYS_ERRLEN, "%s: %s (key overwritten with zeros, not unlinked)", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Read the key file at path and derive its subkeys.  Refuses a symlink,
 * anything but a regular file, a file that group or others may read or
 * write, and a file of the wrong size, each with its own message.  Returns
 * the subkeys in locked memory, or NULL with a message in err.
 */
struct pseudo *
keys_load(const char *path, char err[KEYS_ERRLEN])
{
	unsigned char *key = NULL;
	struct pseudo *ps = NULL;
	struct stat st;
	size_t got = 0;
	int fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ELOOP)
			snprintf(err, KEYS_ERRLEN, "%s: is a symbolic link; give the key file itself", path);
		else
			snprintf(err, KEYS_ERRLEN, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		snprintf(err, KEYS_ERRLEN, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, KEYS_ERRLEN, "%s: not a regular file", path);
		goto out;
	}
	if (st.st_mode & 077) {
		snprintf(err, KEYS_ERRLEN, "%s: group or others have access (mode %04o); "
		    "run chmod 600 on it", path, (unsigned)(st.st_mode & 07777));
		goto out;
	}
	if (st.st_size != PSEUDO_KEYBYTES) {
		snprintf(err, KEYS_ERRLEN, "%s: is %lld bytes, a key is %d bytes "
		    "(make one with logscrub keygen)", path, (long long)st.st_size, PSEUDO_KEYBYTES);
		goto out;
	}
	if ((key = sodium_malloc(PSEUDO_KEYBYTES)) == NULL) {
		snprintf(err, KEYS_ERRLEN, "%s: cannot allocate locked memory", path);
		goto out;
	}
	while (got < PSEUDO_KEYBYTES) {
		ssize_t r = read(fd, key + got, PSEUDO_KEYBYTES - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			snprintf(err, KEYS_ERRLEN, "%s: %s", path, r < 0 ? strerror(errno) : "file shrank while reading");
			goto out;
		}
		got += (size_t)r;
	}
	if ((ps = pseudo_new(key)) == NULL)
		snprintf(err, KEYS_ERRLEN, "%s: cannot allocate locked memory", path);
out:
	if (key != NULL)
		sodium_free(key);
	close(fd);
	return ps;
}

/* A fresh random key for this run alone: pseudonyms agree within the run
 * and cannot be linked across runs.  NULL with a message in err. */
struct pseudo *
keys_random(char err[KEYS_ERRLEN])
{
	unsigned char *key = sodium_malloc(PSEUDO_KEYBYTES);
	struct pseudo *ps;

	if (key == NULL) {
		snprintf(err, KEYS_ERRLEN, "cannot allocate locked memory for a key");
		return NULL;
	}
	randombytes_buf(key, PSEUDO_KEYBYTES);
	ps = pseudo_new(key);
	sodium_free(key);
	if (ps == NULL)
		snprintf(err, KEYS_ERRLEN, "cannot allocate locked memory for a key");
	return ps;
}
