/*
 * commands: keygen, keys rotate, keys list, lookup.
 */
#include "config.h"

#include "commands.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keyring.h"
#include "keys.h"
#include "outbuf.h"
#include "scan.h"

/* Room for an age written as "-12345d23h59m". */
#define AGE_LEN 32

/* Print "logscrub: msg" on standard error; returns 1 (the exit status). */
static int
failed(const char *msg)
{
	fprintf(stderr, "logscrub: %s\n", msg);
	return 1;
}

/* Write secs as days, hours and minutes ("3d4h", "0m"), the units of --keep. */
static void
format_age(int64_t secs, char out[AGE_LEN])
{
	int64_t a = secs < 0 ? -secs : secs;
	int l = 0;

	if (a >= 86400)
		l += snprintf(out + l, AGE_LEN - (size_t)l, "%" PRId64 "d", a / 86400);
	if (a % 86400 >= 3600)
		l += snprintf(out + l, AGE_LEN - (size_t)l, "%" PRId64 "h", a % 86400 / 3600);
	if (l == 0 || a % 3600 >= 60)
		snprintf(out + l, AGE_LEN - (size_t)l, "%" PRId64 "m", a % 3600 / 60);
}

/* True when e is in the sorted v[0..n). */
static bool
has_epoch(const int64_t *v, size_t n, int64_t e)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == e)
			return true;
	return false;
}

/*
 * keys rotate: make the current and the next epochs' keys if they are
 * missing (so that a process starting the next epoch finds its key), then
 * move the horizon to the oldest epoch that ended less than --keep ago and
 * destroy every key before it.  Prints one line per key made or destroyed.
 */
static int
keys_rotate(const struct options *opt, struct keyring *kr, int64_t now)
{
	int64_t cur = epoch_of(opt->epoch, now), h = epoch_of(opt->epoch, now - opt->keep_for), *v;
	char err[KEYS_ERRLEN], name[EPOCH_NAMELEN];
	const struct pseudo *ps;
	int status = 0;
	size_t n;

	if (keyring_list(kr, &v, &n, err) < 0)
		return failed(err);
	for (int64_t e = cur; e <= cur + 1; e++) {
		if (has_epoch(v, n, e))
			continue;
		epoch_name(opt->epoch, e, name);
		if (keyring_get(kr, e, &ps) == KEYRING_KEY)
			printf("created %s.key\n", name);
		else
			status = failed(kr->errors ? kr->err : "the current epoch's key was destroyed");
	}
	if (keyring_set_horizon(kr, h, err) < 0 || keyring_horizon(kr, &h, err) < 0) {
		free(v);
		return failed(err);
	}
	for (size_t i = 0; i < n && v[i] < h; i++) {
		epoch_name(opt->epoch, v[i], name);
		if (keyring_destroy(kr, v[i], err) < 0)
			status = failed(err);
		else
			printf("destroyed %s.key\n", name);
	}
	free(v);
	return status;
}

/* keys list: each key file's epoch and age (time since the epoch began;
 * "in ..." for one still to come), oldest first; never key material. */
static int
keys_list(const struct options *opt, struct keyring *kr, int64_t now)
{
	char err[KEYS_ERRLEN], name[EPOCH_NAMELEN], age[AGE_LEN];
	int64_t cur = epoch_of(opt->epoch, now), *v, h;
	size_t n;

	if (keyring_list(kr, &v, &n, err) < 0 || keyring_horizon(kr, &h, err) < 0)
		return failed(err);
	if (h != INT64_MIN) {
		epoch_name(opt->epoch, h, name);
		printf("keys of epochs before %s destroyed\n", name);
	}
	for (size_t i = 0; i < n; i++) {
		int64_t secs = now - epoch_start(opt->epoch, v[i]);

		epoch_name(opt->epoch, v[i], name);
		format_age(secs, age);
		printf("%s\t%s%s%s\n", name, secs < 0 ? "in " : "", age,
		    v[i] == cur ? "\tcurrent" : v[i] > cur ? "\tto come" : "");
	}
	free(v);
	return 0;
}

/*
 * lookup: what the filter writes for the identifier opt->files[0] in a line
 * dated opt->date, by the same scanner, policy and epoch key.  Exit 1 when
 * that key was destroyed (or never made: no key is made here), 2 when the
 * operand is not exactly one address or email.
 */
static int
lookup(const struct options *opt, struct keyring *kr)
{
	const char *id = opt->files[0];
	char name[EPOCH_NAMELEN], msg[KEYS_ERRLEN + EPOCH_NAMELEN * 2];
	int64_t e = epoch_of(opt->epoch, opt->date);
	struct scan sc = { .pol = &opt->pol };
	struct outbuf o;
	int status = 0;

	epoch_name(opt->epoch, e, name);
	switch (keyring_get(kr, e, &sc.ps)) {
	case KEYRING_KEY:
		break;
	case KEYRING_DESTROYED:
		snprintf(msg, sizeof msg, "%s/%s.key: destroyed: pseudonyms of epoch %s can no longer be "
		    "linked to anyone", kr->dir, name, name);
		return failed(msg);
	case KEYRING_ABSENT:
		snprintf(msg, sizeof msg, "%s/%s.key: no key for epoch %s (nothing was pseudonymised "
		    "with one)", kr->dir, name, name);
		return failed(msg);
	default:
		return failed(kr->err);
	}
	if (outbuf_init(&o, STDOUT_FILENO) < 0)
		return failed(strerror(errno));
	scan_text(&sc, id, strlen(id), &o);
	if (sc.counts.ipv4 + sc.counts.ipv6 + sc.counts.email != 1) {
		fprintf(stderr, "logscrub: lookup: '%s' is not one IP address or email address\n", id);
		status = 2;
	} else {
		outbuf_put(&o, "\n", 1);
		if (outbuf_flush(&o) < 0)
			status = failed(strerror(o.err));
	}
	outbuf_free(&o);
	return status;
}

/* Run the command opt->command (not OPTIONS_FILTER); the exit status. */
int
commands_run(const struct options *opt)
{
	int64_t now = retention_now(&opt->ret);
	char err[KEYS_ERRLEN];
	struct keyring kr;
	int status;

	if (opt->command == OPTIONS_KEYGEN)
		return keys_generate(opt->files[0], err) < 0 ? failed(err) : 0;
	if (keyring_open(&kr, opt->key_dir, opt->epoch, opt->command == OPTIONS_KEYS_ROTATE, err) < 0)
		return failed(err);
	if (opt->command == OPTIONS_KEYS_ROTATE)
		status = keys_rotate(opt, &kr, now);
	else if (opt->command == OPTIONS_KEYS_LIST)
		status = keys_list(opt, &kr, now);
	else
		status = lookup(opt, &kr);
	keyring_close(&kr);
	if (fflush(stdout) != 0 && status == 0)
		status = failed(strerror(errno));
	return status;
}
