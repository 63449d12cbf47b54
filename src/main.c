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

#include "filter.h"
#include "geo.h"
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

/* SIGHUP: reload the geo databases between two reads. */
static void
on_hup(int sig)
{
	(void)sig;
	stream_reload = 1;
}

/* Open the databases of --geo (NULL without it) and, with --verbose, say
 * which.  Exits 2, before any output, when one cannot be used; installs
 * the SIGHUP handler that reloads them. */
static struct geo *
open_geo(const struct options *opt)
{
	struct sigaction sa = { .sa_handler = on_hup };	/* no SA_RESTART: wake a blocked read */
	char err[GEO_ERRLEN];
	struct geo *geo;

	if (opt->geo.fields == 0)
		return NULL;
	if ((geo = geo_open(&opt->geo, err)) == NULL) {
		fprintf(stderr, "logscrub: %s\n", err);
		exit(2);
	}
	if (opt->verbose)
		geo_describe(geo, stderr);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	return geo;
}

int
main(int argc, char **argv)
{
	char err[KEYS_ERRLEN];
	struct options opt;
	struct pseudo *ps;
	struct namecache *names;
	struct geo *geo;
	struct filter f;
	struct outbuf o;
	int status;

	options_parse(argc, argv, &opt);
	if (sodium_init() < 0) {
		fputs("logscrub: cannot initialise libsodium\n", stderr);
		return 1;
	}
	if (opt.command == OPTIONS_KEYGEN) {
		if (keys_generate(opt.files[1], err) < 0) {
			fprintf(stderr, "logscrub: %s\n", err);
			return 1;
		}
		return 0;
	}
	geo = open_geo(&opt);
	ps = opt.key_file ? keys_load(opt.key_file, err) : keys_random(err);
	if (ps == NULL) {
		fprintf(stderr, "logscrub: %s\n", err);
		geo_close(geo);
		return 1;
	}
	names = namecache_new();
	if (names == NULL || outbuf_init(&o, STDOUT_FILENO) < 0) {
		fprintf(stderr, "logscrub: %s\n", strerror(errno));
		namecache_free(names);
		pseudo_free(ps);
		geo_close(geo);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	filter_init(&f, &opt.pol, ps, names, geo);
	status = run_filter(&opt, &f, &o);
	outbuf_free(&o);
	namecache_free(names);
	pseudo_free(ps);
	geo_close(geo);
	return status;
}
