/*
 * logscrub: anonymise IP and email addresses in logs, on the fly.
 *
 * main applies the one fail-closed policy: any error below it comes back as
 * a status and a message, and main decides the exit status.  Exit codes:
 * 0 success, 1 an input, output or key error, 2 a usage error.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "commands.h"
#include "filter.h"
#include "keyring.h"
#include "keys.h"
#include "options.h"
#include "outbuf.h"
#include "stream.h"

/* Filter every input named in opt (standard input when none, or for "-")
 * to o.  Returns the exit status; stops at the first output error. */
static int
run_filter(const struct options *opt, struct filter *f, struct outbuf *o)
{
	char err[STREAM_ERRLEN];
	int status = 0;

	for (int i = 0; i < (opt->nfiles ? opt->nfiles : 1); i++) {
		const char *name = opt->nfiles ? opt->files[i] : "-";
		int fd = strcmp(name, "-") == 0 ? STDIN_FILENO : open(name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		int r;

		if (fd < 0) {
			fprintf(stderr, "logscrub: %s: %s\n", name, strerror(errno));
			status = 1;
			continue;
		}
		r = stream_run(fd, fd == STDIN_FILENO ? "standard input" : name, f, o, err);
		if (fd != STDIN_FILENO)
			close(fd);
		if (r == 1)
			break;
		if (r < 0) {
			fprintf(stderr, "logscrub: %s\n", err);
			status = 1;
		}
	}
	outbuf_flush(o);
	if (o->err == EPIPE)
		return status;
	if (o->err) {
		fprintf(stderr, "logscrub: standard output: %s\n", strerror(o->err));
		return 1;
	}
	return status;
}

int
main(int argc, char **argv)
{
	char err[KEYS_ERRLEN];
	struct options opt;
	struct pseudo *ps;
	struct namecache *names;
	struct keyring kr;
	struct filter f;
	bool keyed;
	struct outbuf o;
	int status;

	options_parse(argc, argv, &opt);
	if (sodium_init() < 0) {
		fputs("logscrub: cannot initialise libsodium\n", stderr);
		return 1;
	}
	if (opt.command != OPTIONS_FILTER)
		return commands_run(&opt);
	/* --key-dir: a key per epoch, when the policy makes pseudonyms at all */
	keyed = opt.key_dir != NULL && anon_uses_key(&opt.pol);
	if (keyed && keyring_open(&kr, opt.key_dir, opt.epoch, true, err) < 0) {
		fprintf(stderr, "logscrub: %s\n", err);
		return 1;
	}
	ps = keyed ? NULL : opt.key_file ? keys_load(opt.key_file, err) : keys_random(err);
	if (ps == NULL && !keyed) {
		fprintf(stderr, "logscrub: %s\n", err);
		return 1;
	}
	names = namecache_new();
	if (names == NULL || outbuf_init(&o, STDOUT_FILENO) < 0) {
		fprintf(stderr, "logscrub: %s\n", strerror(errno));
		namecache_free(names);
		pseudo_free(ps);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	filter_init(&f, &opt.pol, ps, names);
	filter_retention(&f, &opt.ret, keyed ? &kr : NULL);
	status = run_filter(&opt, &f, &o);
	outbuf_free(&o);
	if (keyed) {
		if (kr.errors > 0) {
			fprintf(stderr, "logscrub: %s (%llu lines truncated for want of their key)\n",
			    kr.err, (unsigned long long)f.lines_expired);
			status = 1;
		}
		keyring_close(&kr);	/* before the name cache it purges */
	}
	namecache_free(names);
	pseudo_free(ps);
	return status;
}
