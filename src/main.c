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
#include "keys.h"
#include "options.h"
#include "outbuf.h"
#include "rules.h"
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

/*
 * The rules of --format and --rules: the bundled ones, then each --rules
 * path, compiled once (so a broken file is refused even with
 * --format=none).  *rs is NULL for --format=none.  Returns 0, or the
 * exit status after printing why (2: a rule file is broken or --format
 * names no rule; 1: memory ran out).
 */
static int
load_rules(const struct options *opt, struct rules **rs)
{
	char err[RULES_ERRLEN];

	*rs = NULL;
	if (strcmp(opt->format, "none") == 0 && opt->nrules == 0 && opt->command != OPTIONS_LIST_FORMATS)
		return 0;
	*rs = rules_new();
	if (*rs == NULL) {
		fprintf(stderr, "logscrub: %s\n", strerror(ENOMEM));
		return 1;
	}
	for (const struct rules_source *s = rules_bundled; s->name != NULL; s++)
		if (rules_add_source(*rs, s, err) < 0)
			goto fail;
	for (int i = 0; i < opt->nrules; i++)
		if (rules_add_path(*rs, opt->rules[i], err) < 0)
			goto fail;
	if (rules_compile(*rs, err) < 0)
		goto fail;
	if (strcmp(opt->format, "none") == 0 && opt->command != OPTIONS_LIST_FORMATS) {
		rules_free(*rs);
		*rs = NULL;
		return 0;
	}
	if (opt->command != OPTIONS_LIST_FORMATS && rules_select(*rs, opt->format) < 0) {
		snprintf(err, sizeof err, "--format: no rule named '%s' (see --list-formats)", opt->format);
		goto fail;
	}
	return 0;
fail:
	fprintf(stderr, "logscrub: %s\n", err);
	rules_free(*rs);
	*rs = NULL;
	return 2;
}

/* --list-formats: each rule's name and description, one a line. */
static int
list_formats(const struct rules *rs)
{
	for (size_t i = 0; i < rules_count(rs); i++)
		printf("%-20s %s\n", rules_name(rs, i), rules_description(rs, i));
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "logscrub: standard output: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	char err[KEYS_ERRLEN];
	struct options opt;
	struct pseudo *ps;
	struct rules *rs;
	struct namecache *names;
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
	if ((status = load_rules(&opt, &rs)) != 0)
		return status;
	if (opt.command == OPTIONS_LIST_FORMATS) {
		status = list_formats(rs);
		rules_free(rs);
		return status;
	}
	ps = opt.key_file ? keys_load(opt.key_file, err) : keys_random(err);
	if (ps == NULL) {
		fprintf(stderr, "logscrub: %s\n", err);
		rules_free(rs);
		return 1;
	}
	names = namecache_new();
	if (names == NULL || outbuf_init(&o, STDOUT_FILENO) < 0) {
		fprintf(stderr, "logscrub: %s\n", strerror(errno));
		namecache_free(names);
		pseudo_free(ps);
		rules_free(rs);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	filter_init(&f, &opt.pol, ps, names);
	filter_set_rules(&f, rs, opt.explain);
	status = run_filter(&opt, &f, &o);
	outbuf_free(&o);
	namecache_free(names);
	pseudo_free(ps);
	rules_free(rs);
	return status;
}
