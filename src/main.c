/*
 * logscrub: anonymise IP and email addresses in logs, on the fly.
 *
 * main applies the one fail-closed policy: any error below it comes back as
 * a status and a message, and main decides the exit status.  Exit codes:
 * 0 success, 1 an input, output or key error (--check: an identifier
 * found), 2 a usage error or a geo database that cannot be used.
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
#include "geo.h"
#include "inplace.h"
#include "keyring.h"
#include "keys.h"
#include "namecache.h"
#include "options.h"
#include "outbuf.h"
#include "progress.h"
#include "report.h"
#include "rules.h"
#include "sandbox.h"
#include "signals.h"
#include "stats.h"
#include "stream.h"

/* Mode of a file created by --output (before the umask): logs, even
 * anonymised ones, are not for everyone. */
#define OUTPUT_MODE 0640

/* Everything one run holds. */
struct run {
	const struct options *opt;
	struct pseudo *ps;		/* the key, or NULL with a keyring */
	struct keyring kr;		/* --key-dir: a key per epoch */
	bool keyed;			/* kr is open */
	struct namecache *names;	/* pseudonyms, or NULL */
	struct geo *geo;		/* --geo databases, or NULL */
	struct rules *rules;		/* --format rules, or NULL */
	struct filter f;
	struct outbuf o;
	const char *out_name;		/* what messages call the output */
	struct report rep;
	struct stats stats;
	struct progress progress;
	struct stream_hook hook;
	bool stopped;			/* SIGTERM or SIGINT came */
};

/* Open --output path for appending; -1 with errno on failure. */
static int
output_open(const char *path)
{
	return open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOCTTY | O_CLOEXEC, OUTPUT_MODE);
}

static int load_rules(const struct options *opt, struct rules **rs);

/*
 * SIGHUP: everything the run loaded from files is loaded again: the output
 * is reopened (logrotate has moved it), the key file reread, the geo
 * databases reopened and the rules (bundled and --rules files) compiled
 * again.  A failure keeps what the run had, which still anonymises, and is
 * reported: the run goes on.
 */
static void
reload(struct run *r)
{
	char err[KEYS_ERRLEN], gerr[GEO_ERRLEN];
	struct pseudo *ps;
	struct rules *rs;
	int fd;

	outbuf_flush(&r->o);
	if (r->opt->output != NULL && !r->opt->in_place) {
		if ((fd = output_open(r->opt->output)) < 0) {
			fprintf(stderr, "logscrub: %s: %s (still writing to the old file)\n",
			    r->opt->output, strerror(errno));
		} else {
			close(r->o.fd);
			r->o.fd = fd;
		}
	}
	if (r->keyed)
		keyring_forget(&r->kr);	/* keys are read again when next needed */
	if (r->opt->key_file != NULL) {
		if ((ps = keys_load(r->opt->key_file, err)) == NULL) {
			fprintf(stderr, "logscrub: %s (old key kept)\n", err);
		} else {
			/* the cache's entries name the old key, whose address the
			 * new one may reuse: start a new cache */
			namecache_free(r->names);
			r->names = r->f.sc.names = namecache_new();
			pseudo_free(r->ps);
			r->f.sc.ps = ps;
			r->ps = ps;
		}
	}
	if (r->geo != NULL && geo_reload(r->geo, gerr) < 0)
		fprintf(stderr, "logscrub: %s (old databases kept)\n", gerr);
	if (r->rules != NULL) {
		if (load_rules(r->opt, &rs) != 0) {
			fprintf(stderr, "logscrub: rules not reloaded (old rules kept)\n");
		} else {
			filter_set_rules(&r->f, rs, r->opt->explain);
			rules_free(r->rules);
			r->rules = rs;
		}
	}
}

/* The stream hook: act on signals, draw the progress bar; true to stop. */
static bool
before_read(void *arg, const struct stream_input *in)
{
	struct run *r = arg;
	unsigned ev = signals_take();

	if (ev & SIGNALS_RELOAD)
		reload(r);
	if (ev & SIGNALS_STATS)
		stats_print(&r->stats, r->opt->stats ? r->opt->stats : OPTIONS_STATS_TEXT, &r->f, r->o.bytes, stderr);
	if (ev & SIGNALS_STOP)
		r->stopped = true;
	progress_tick(&r->progress, in);
	return r->stopped;
}

/* Filter every input named in opt (standard input when none, or for "-")
 * to the output.  Returns the exit status; stops at the first output error
 * or a stop signal. */
static int
run_filter(struct run *r)
{
	const struct options *opt = r->opt;
	char err[STREAM_ERRLEN];
	int status = 0;

	for (int i = 0; i < (opt->nfiles ? opt->nfiles : 1) && !r->stopped; i++) {
		const char *name = opt->nfiles ? opt->files[i] : "-";
		struct stream_input in = { .name = name };
		int ret;

		in.fd = strcmp(name, "-") == 0 ? STDIN_FILENO : open(name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (in.fd < 0) {
			fprintf(stderr, "logscrub: %s: %s\n", name, strerror(errno));
			status = 1;
			continue;
		}
		if (in.fd == STDIN_FILENO)
			in.name = "standard input";
		if (opt->report != OPTIONS_REPORT_NONE)
			report_input(&r->rep, in.fd == STDIN_FILENO ? "(standard input)" : name);
		ret = stream_run(&in, &r->f, &r->o, &r->hook, err);
		progress_done(&r->progress);
		if (in.fd != STDIN_FILENO)
			close(in.fd);
		if (ret == STREAM_OUTPUT_ERROR)
			break;
		if (ret < 0) {
			fprintf(stderr, "logscrub: %s\n", err);
			status = 1;
		}
	}
	outbuf_flush(&r->o);
	if (r->o.err != 0 && r->o.err != EPIPE) {
		fprintf(stderr, "logscrub: %s: %s\n", r->out_name, strerror(r->o.err));
		return 1;
	}
	return status;
}

/* -i: rewrite each file in place.  Returns the exit status (1 when any
 * file failed; the others are still rewritten). */
static int
run_in_place(struct run *r)
{
	char err[INPLACE_ERRLEN];
	int status = 0;

	for (int i = 0; i < r->opt->nfiles && !r->stopped; i++) {
		int ret = inplace_run(r->opt->files[i], &r->f, &r->o, &r->hook, err);

		progress_done(&r->progress);
		if (ret < 0) {
			fprintf(stderr, "logscrub: %s\n", err);
			status = 1;
		}
	}
	return status;
}

/* --check and --diff: the report goes to standard output, the text
 * nowhere.  Returns the exit status. */
static int
run_report(struct run *r)
{
	int status = run_filter(r);

	if (r->rep.err != 0) {
		fprintf(stderr, "logscrub: %s\n", strerror(r->rep.err));
		status = 1;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE)
			fprintf(stderr, "logscrub: standard output: %s\n", strerror(errno));
		status = errno == EPIPE ? status : 1;
	}
	if (status == 0 && r->opt->report == OPTIONS_REPORT_CHECK && r->rep.found > 0)
		status = 1;
	return status;
}

/* The output of the run: standard output, --output, or nowhere (the
 * reports and -i write elsewhere).  Returns the fd, or -1 with a message. */
static int
open_output(struct run *r)
{
	const struct options *opt = r->opt;
	int fd = STDOUT_FILENO;

	r->out_name = "standard output";
	if (opt->report != OPTIONS_REPORT_NONE || opt->in_place) {
		r->out_name = "/dev/null";
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	} else if (opt->output != NULL) {
		r->out_name = opt->output;
		fd = output_open(opt->output);
	}
	if (fd < 0)
		fprintf(stderr, "logscrub: %s: %s\n", r->out_name, strerror(errno));
	return fd;
}

/*
 * The key of the run: with --key-dir (and a policy that makes pseudonyms)
 * a keyring of per-epoch keys, else the key file or a random key.  Returns
 * 0, or -1 with a message printed.
 */
static int
open_keys(struct run *r)
{
	const struct options *opt = r->opt;
	char err[KEYS_ERRLEN];

	r->keyed = opt->key_dir != NULL && anon_uses_key(&opt->pol);
	if (r->keyed) {
		if (keyring_open(&r->kr, opt->key_dir, opt->epoch, true, err) == 0)
			return 0;
		r->keyed = false;
	} else if ((r->ps = opt->key_file ? keys_load(opt->key_file, err) : keys_random(err)) != NULL) {
		return 0;
	}
	fprintf(stderr, "logscrub: %s\n", err);
	return -1;
}

/* Open the databases of --geo (none without it) and, with --verbose, say
 * which serve what.  Returns 0, or -1 with a message printed. */
static int
open_geo(struct run *r)
{
	char err[GEO_ERRLEN];

	if (r->opt->geo.fields == 0)
		return 0;
	if ((r->geo = geo_open(&r->opt->geo, err)) == NULL) {
		fprintf(stderr, "logscrub: %s\n", err);
		return -1;
	}
	if (r->opt->verbose)
		geo_describe(r->geo, stderr);
	return 0;
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
	if (strcmp(opt->format, "none") == 0 && opt->nrules == 0 && !opt->list_formats)
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
	if (strcmp(opt->format, "none") == 0 && !opt->list_formats) {
		rules_free(*rs);
		*rs = NULL;
		return 0;
	}
	if (!opt->list_formats && rules_select(*rs, opt->format) < 0) {
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

/* The --list-formats command.  Returns the exit status. */
static int
run_list_formats(const struct options *opt)
{
	struct rules *rs;
	int status = load_rules(opt, &rs);

	if (status == 0)
		status = list_formats(rs);
	rules_free(rs);
	return status;
}

/* Run the filter command.  Returns the exit status. */
static int
run(const struct options *opt)
{
	struct run r = { .opt = opt, .o = { .fd = -1 } };
	char err[SANDBOX_ERRLEN];
	int status = 1;

	stats_start(&r.stats);
	if ((status = load_rules(opt, &r.rules)) != 0)
		return status;
	if (open_geo(&r) < 0) {		/* before any output: exit 2 */
		status = 2;
		goto out;
	}
	status = 1;
	if (open_keys(&r) < 0)
		goto out;
	if ((r.o.fd = open_output(&r)) < 0)
		goto out;
	if ((r.names = namecache_new()) == NULL || outbuf_init(&r.o, r.o.fd) < 0) {
		fprintf(stderr, "logscrub: %s\n", strerror(errno));
		goto out;
	}
	if (signals_install() < 0) {
		fprintf(stderr, "logscrub: cannot install signal handlers: %s\n", strerror(errno));
		goto out;
	}
	signal(SIGPIPE, SIG_IGN);
	filter_init(&r.f, &opt->pol, r.ps, r.names, r.geo);
	filter_retention(&r.f, &opt->ret, r.keyed ? &r.kr : NULL);
	progress_init(&r.progress, opt->progress);
	r.hook = (struct stream_hook){ before_read, &r, signals_wake_fd() };
	if (opt->report != OPTIONS_REPORT_NONE) {
		report_init(&r.rep, opt->report, &r.f, stdout,
		    opt->report == OPTIONS_REPORT_DIFF && isatty(STDOUT_FILENO));
		r.f.sc.report = &r.rep.hook;
	}
	filter_set_rules(&r.f, r.rules, opt->explain);
	if (sandbox_enter(opt, err) < 0) {
		fprintf(stderr, "logscrub: %s\n", err);
		goto out;
	}
	if (opt->in_place)
		status = run_in_place(&r);
	else if (opt->report != OPTIONS_REPORT_NONE)
		status = run_report(&r);
	else
		status = run_filter(&r);
	if (opt->stats != OPTIONS_STATS_NONE)
		stats_print(&r.stats, opt->stats, &r.f, r.o.bytes, stderr);
	if (r.keyed && r.kr.errors > 0) {
		fprintf(stderr, "logscrub: %s (%llu lines truncated for want of their key)\n",
		    r.kr.err, (unsigned long long)r.f.lines_expired);
		status = 1;
	}
out:
	if (r.keyed)
		keyring_close(&r.kr);	/* before the name cache it purges */
	if (r.o.fd > STDERR_FILENO)
		close(r.o.fd);
	report_free(&r.rep);
	outbuf_free(&r.o);
	namecache_free(r.names);
	pseudo_free(r.ps);
	geo_close(r.geo);
	rules_free(r.rules);
	return status;
}

int
main(int argc, char **argv)
{
	struct options opt;
	int status = 1;

	options_parse(argc, argv, &opt);
	/* a file-size limit makes write(2) fail with EFBIG, reported like any
	 * write error, rather than kill the process with a file half-written */
	signal(SIGXFSZ, SIG_IGN);
	if (sodium_init() < 0)
		fputs("logscrub: cannot initialise libsodium\n", stderr);
	else if (opt.list_formats)
		status = run_list_formats(&opt);
	else if (opt.command != OPTIONS_FILTER)
		status = commands_run(&opt);
	else
		status = run(&opt);
	options_free(&opt);
	return status;
}
