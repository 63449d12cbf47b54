/*
 * keyring: a --key-dir, one key file per epoch (epoch.h), named
 * EPOCH.key ("2026-11-24.key"), loaded on first need and kept in a small
 * cache so that a line costs one comparison when its epoch is the previous
 * line's.
 *
 * A key file that is missing is created on first need (keys_install():
 * atomic, mode 0600, one key per epoch whatever the number of processes
 * sharing the directory), except when its epoch's key has been destroyed.
 * Destroyed is defined by the file KEYRING_HORIZON in the directory, which
 * keys rotate writes before it destroys keys: it names the oldest epoch
 * whose key was not destroyed, and every epoch before it counts as
 * destroyed, whether its key file is still there or not.  A key is never
 * created, nor used, for such an epoch: its lines are past their
 * linkability window.  Without that file no key counts as destroyed (a
 * key file deleted by hand would be made afresh, with new random bytes
 * that link nothing to the old pseudonyms).
 *
 * The directory must be a directory that group and others can neither read
 * nor write.  Key material stays in locked memory (struct pseudo) and is
 * wiped when a slot is reused, on keyring_forget() and keyring_close().
 */
#ifndef LOGSCRUB_KEYRING_H
#define LOGSCRUB_KEYRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "epoch.h"
#include "keys.h"
#include "namecache.h"
#include "pseudo.h"

/* The file that records which epochs' keys were destroyed. */
#define KEYRING_HORIZON "destroyed-before"

/* Keys held open at once: the current epoch, the previous one (lines that
 * straddle midnight) and two more for reprocessing jobs that interleave. */
#define KEYRING_SLOTS 4

enum keyring_state {
	KEYRING_KEY,		/* the key is in *ps */
	KEYRING_DESTROYED,	/* the epoch's key was destroyed */
	KEYRING_ABSENT,		/* no key yet, and this keyring does not create */
	KEYRING_ERROR,		/* it could not be read or made (message in err) */
};

struct keyring_slot {
	bool valid;
	int64_t epoch;
	enum keyring_state state;
	struct pseudo *ps;	/* when state is KEYRING_KEY */
	uint64_t used;		/* tick of last use, for least-recently-used reuse */
};

struct keyring {
	const char *dir;
	int dirfd;		/* kept open to fsync the directory */
	enum epoch_kind kind;
	bool create;		/* make missing keys (the filter), or not (lookup) */
	struct namecache *names;	/* purged of a key's entries when the key is
					 * dropped (set by the user; may be NULL) */
	struct keyring_slot slot[KEYRING_SLOTS];
	int last;		/* the slot of the last keyring_get() */
	uint64_t tick;
	uint64_t errors;	/* keys that could not be read or made */
	char err[KEYS_ERRLEN];	/* the first such error */
};

int keyring_open(struct keyring *kr, const char *dir, enum epoch_kind kind, bool create, char err[KEYS_ERRLEN]);
void keyring_close(struct keyring *kr);
void keyring_forget(struct keyring *kr);
enum keyring_state keyring_get_slow(struct keyring *kr, int64_t epoch, const struct pseudo **ps);
int keyring_list(struct keyring *kr, int64_t **epochs, size_t *n, char err[KEYS_ERRLEN]);
int keyring_horizon(struct keyring *kr, int64_t *h, char err[KEYS_ERRLEN]);
int keyring_set_horizon(struct keyring *kr, int64_t h, char err[KEYS_ERRLEN]);
int keyring_destroy(struct keyring *kr, int64_t epoch, char err[KEYS_ERRLEN]);

/*
 * The key of epoch: sets *ps and returns KEYRING_KEY, or returns why there
 * is none.  A failure is cached like a key (the first message is kept in
 * kr->err), so a broken key costs no system call per line.  O(1) without
 * a call when epoch is the previous call's.
 */
static inline enum keyring_state
keyring_get(struct keyring *kr, int64_t epoch, const struct pseudo **ps)
{
	const struct keyring_slot *s = &kr->slot[kr->last];

	if (s->valid && s->epoch == epoch) {
		*ps = s->ps;
		return s->state;
	}
	return keyring_get_slow(kr, epoch, ps);
}

#endif
