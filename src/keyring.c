/*
 * keyring: per-epoch keys in a directory, with a small cache.  See keyring.h.
 */
#include "config.h"

#include "keyring.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

/* Suffix of a key file name. */
#define KEYRING_SUFFIX ".key"
/* Longest directory name: leaves room in a PATH_MAX path for "/", a
 * temporary key file name (TMP_NAMELEN) and a NUL. */
#define KEYRING_DIRMAX (PATH_MAX - 64)
/* Room for ".EPOCH.key.tmp.PID.RANDOM". */
#define TMP_NAMELEN 64

/*
 * Open the key directory dir for epochs of kind.  Refuses what is not a
 * directory and a directory that group or others may read or write (its
 * file names show which epochs were active, and a writer could plant keys).
 * Returns 0, or -1 with a message in err.
 */
int
keyring_open(struct keyring *kr, const char *dir, enum epoch_kind kind, bool create, char err[KEYS_ERRLEN])
{
	struct stat st;

	*kr = (struct keyring){ .dir = dir, .kind = kind, .create = create, .dirfd = -1 };
	if (strlen(dir) > KEYRING_DIRMAX) {
		snprintf(err, KEYS_ERRLEN, "%.64s...: key directory name too long", dir);
		return -1;
	}
	kr->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (kr->dirfd < 0) {
		snprintf(err, KEYS_ERRLEN, "%s: %s%s", dir, strerror(errno),
		    errno == ENOENT ? " (create the key directory with mkdir -m 700)" : "");
		return -1;
	}
	if (fstat(kr->dirfd, &st) < 0 || (st.st_mode & 066)) {
		if (st.st_mode & 066)
			snprintf(err, KEYS_ERRLEN, "%s: group or others may read or write this key "
			    "directory (mode %04o); run chmod 700 on it", dir, (unsigned)(st.st_mode & 07777));
		else
			snprintf(err, KEYS_ERRLEN, "%s: %s", dir, strerror(errno));
		close(kr->dirfd);
		kr->dirfd = -1;
		return -1;
	}
	return 0;
}

/* Wipe and drop the key of slot s, and the name cache's entries made with
 * it (a key loaded later may get the same address). */
static void
slot_clear(struct keyring *kr, struct keyring_slot *s)
{
	if (s->ps != NULL && kr->names != NULL)
		namecache_forget(kr->names, s->ps);
	pseudo_free(s->ps);
	*s = (struct keyring_slot){ 0 };
}

/* Wipe and drop every cached key (a long-running filter calls this when
 * the current epoch changes, so that keys destroyed meanwhile by keys
 * rotate are no longer used). */
void
keyring_forget(struct keyring *kr)
{
	for (int i = 0; i < KEYRING_SLOTS; i++)
		slot_clear(kr, &kr->slot[i]);
}

/* Wipe the cached keys and close the directory. */
void
keyring_close(struct keyring *kr)
{
	keyring_forget(kr);
	if (kr->dirfd >= 0)
		close(kr->dirfd);
	kr->dirfd = -1;
}

/* The path of epoch's key file. */
static void
key_path(const struct keyring *kr, int64_t epoch, char path[PATH_MAX])
{
	char name[EPOCH_NAMELEN];

	epoch_name(kr->kind, epoch, name);
	snprintf(path, PATH_MAX, "%s/%s" KEYRING_SUFFIX, kr->dir, name);
}

/* err = "path: strerror(errno)"; a path too long for err is cut (only in
 * the message). */
static void
path_error(char err[KEYS_ERRLEN], const char *path)
{
	snprintf(err, KEYS_ERRLEN, "%.400s: %s", path, strerror(errno));
}

/* fsync the directory, so that a link or unlink in it is on disk. */
static int
sync_dir(const struct keyring *kr, char err[KEYS_ERRLEN])
{
	if (fsync(kr->dirfd) == 0)
		return 0;
	snprintf(err, KEYS_ERRLEN, "%s: fsync: %s", kr->dir, strerror(errno));
	return -1;
}

static int
epoch_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/*
 * The epochs of the key files of this keyring's kind in the directory
 * (names EPOCH.key; anything else, temporary files included, is not a key
 * of this kind), oldest first, in a malloc()ed array the caller frees.
 * Returns 0, or -1 with a message in err.
 */
int
keyring_list(struct keyring *kr, int64_t **epochs, size_t *n, char err[KEYS_ERRLEN])
{
	size_t cap = 0, len = strlen(KEYRING_SUFFIX);
	int64_t *v = NULL, e;
	struct dirent *de;
	DIR *d = opendir(kr->dir);

	*n = 0;
	if (d == NULL) {
		snprintf(err, KEYS_ERRLEN, "%s: %s", kr->dir, strerror(errno));
		return -1;
	}
	while ((errno = 0, de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (l <= len || strcmp(de->d_name + l - len, KEYRING_SUFFIX) != 0 ||
		    epoch_parse(kr->kind, de->d_name, l - len, &e) < 0)
			continue;
		if (*n == cap) {
			int64_t *nv = realloc(v, (cap = cap ? 2 * cap : 16) * sizeof *v);

			if (nv == NULL) {
				errno = ENOMEM;
				break;
			}
			v = nv;
		}
		v[(*n)++] = e;
	}
	if (errno != 0) {
		snprintf(err, KEYS_ERRLEN, "%s: %s", kr->dir, strerror(errno));
		closedir(d);
		free(v);
		return -1;
	}
	closedir(d);
	if (*n > 0)
		qsort(v, *n, sizeof *v, epoch_cmp);
	*epochs = v;
	return 0;
}

/*
 * The destruction horizon: *h is the first epoch whose key was not
 * destroyed, read from the file KEYRING_HORIZON (an epoch name and a
 * newline), or INT64_MIN when there is no such file (no key was ever
 * destroyed).  Returns 0, or -1 with a message in err: a horizon that
 * cannot be read fails closed.
 */
int
keyring_horizon(struct keyring *kr, int64_t *h, char err[KEYS_ERRLEN])
{
	char path[PATH_MAX], buf[EPOCH_NAMELEN];
	ssize_t r;
	int fd;

	snprintf(path, sizeof path, "%s/" KEYRING_HORIZON, kr->dir);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 && errno == ENOENT) {
		*h = INT64_MIN;
		return 0;
	}
	if (fd < 0) {
		path_error(err, path);
		return -1;
	}
	r = read(fd, buf, sizeof buf);
	close(fd);
	if (r < 0) {
		path_error(err, path);
		return -1;
	}
	if (r < 2 || buf[r - 1] != '\n' || epoch_parse(kr->kind, buf, (size_t)r - 1, h) < 0) {
		snprintf(err, KEYS_ERRLEN, "%.400s: not an epoch name of this --epoch and a newline", path);
		return -1;
	}
	return 0;
}

/*
 * Record that the keys of every epoch before h are destroyed (or are to be:
 * the caller destroys them next), unless the horizon is already later.  The
 * file is replaced atomically (a temporary file, fsync, rename, fsync of the
 * directory).  Returns 0, or -1 with a message in err.
 */
int
keyring_set_horizon(struct keyring *kr, int64_t h, char err[KEYS_ERRLEN])
{
	char path[PATH_MAX], tmp[PATH_MAX], name[EPOCH_NAMELEN + 1];
	int64_t old;
	size_t l;
	int fd;

	if (keyring_horizon(kr, &old, err) < 0)
		return -1;
	if (old >= h)
		return 0;
	epoch_name(kr->kind, h, name);
	l = strlen(name);
	name[l++] = '\n';
	snprintf(path, sizeof path, "%s/" KEYRING_HORIZON, kr->dir);
	snprintf(tmp, sizeof tmp, "%s/." KEYRING_HORIZON ".tmp.%ld", kr->dir, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, name, l) != (ssize_t)l || fsync(fd) < 0 || close(fd) < 0 ||
	    rename(tmp, path) < 0) {
		path_error(err, path);
		if (fd >= 0)
			unlink(tmp);
		return -1;
	}
	return sync_dir(kr, err);
}

/* Create epoch's key at path unless another process did, and fsync the
 * directory.  0, or -1 with a message in err. */
static int
create(struct keyring *kr, int64_t epoch, const char *path, char err[KEYS_ERRLEN])
{
	char tmp[PATH_MAX], name[EPOCH_NAMELEN];

	epoch_name(kr->kind, epoch, name);
	snprintf(tmp, sizeof tmp, "%s/.%s" KEYRING_SUFFIX ".tmp.%ld.%08x", kr->dir, name,
	    (long)getpid(), (unsigned)randombytes_random());
	if (keys_install(tmp, path, err) < 0)
		return -1;
	return sync_dir(kr, err);
}

/* Find or make the key of epoch: the state, and in *ps the key.  The
 * horizon is checked first, so that a key file an older process may have
 * made for a destroyed epoch is not used either. */
static enum keyring_state
load(struct keyring *kr, int64_t epoch, struct pseudo **ps)
{
	char path[PATH_MAX], err[KEYS_ERRLEN];
	struct stat st;
	int64_t h;

	if (keyring_horizon(kr, &h, err) < 0)
		goto fail;
	if (epoch < h)
		return KEYRING_DESTROYED;
	key_path(kr, epoch, path);
	if (lstat(path, &st) < 0 && errno == ENOENT) {
		if (!kr->create)
			return KEYRING_ABSENT;
		if (create(kr, epoch, path, err) < 0)
			goto fail;
	}
	if ((*ps = keys_load(path, err)) != NULL)
		return KEYRING_KEY;
fail:
	if (kr->errors++ == 0)
		memcpy(kr->err, err, sizeof kr->err);
	return KEYRING_ERROR;
}

/*
 * keyring_get() when epoch is not the last one asked for: a cached slot,
 * or the least recently used slot refilled from the directory.
 */
enum keyring_state
keyring_get_slow(struct keyring *kr, int64_t epoch, const struct pseudo **ps)
{
	struct keyring_slot *s = NULL;

	for (int i = 0; i < KEYRING_SLOTS && s == NULL; i++)
		if (kr->slot[i].valid && kr->slot[i].epoch == epoch)
			s = &kr->slot[i];
	if (s == NULL) {
		s = &kr->slot[0];
		for (int i = 1; i < KEYRING_SLOTS; i++)
			if (kr->slot[i].used < s->used)
				s = &kr->slot[i];
		slot_clear(kr, s);
		*s = (struct keyring_slot){ .valid = true, .epoch = epoch };
		s->state = load(kr, epoch, &s->ps);
	}
	s->used = ++kr->tick;
	kr->last = (int)(s - kr->slot);
	*ps = s->ps;
	return s->state;
}

/*
 * Destroy epoch's key (keys_destroy(): zeros, fsync, unlink) and fsync the
 * directory; a cached copy is wiped too.  0, or -1 with a message in err.
 */
int
keyring_destroy(struct keyring *kr, int64_t epoch, char err[KEYS_ERRLEN])
{
	char path[PATH_MAX];

	for (int i = 0; i < KEYRING_SLOTS; i++)
		if (kr->slot[i].valid && kr->slot[i].epoch == epoch)
			slot_clear(kr, &kr->slot[i]);
	key_path(kr, epoch, path);
	if (keys_destroy(path, err) < 0)
		return -1;
	return sync_dir(kr, err);
}
