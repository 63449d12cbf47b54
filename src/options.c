/*
 * options: getopt_long parsing and the usage text.
 */
#include "config.h"

#include "options.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conffile.h"
#include "duration.h"
#include "timestamp.h"

static const char usage_text[] =
"usage: logscrub [OPTIONS] [FILE...]\n"
"       logscrub -i [OPTIONS] FILE...\n"
"       logscrub keygen FILE\n"
"       logscrub keys rotate --key-dir=DIR --keep=DURATION [--epoch=E]\n"
"       logscrub keys list --key-dir=DIR [--epoch=E]\n"
"       logscrub lookup --key-dir=DIR --date=DATE [OPTIONS] ADDRESS|EMAIL\n"
"\n"
"Copy FILEs (or standard input) to standard output with every IP address\n"
"and email address anonymised.\n"
"\n"
"  --ip=MODE            truncate (default), pseudonymise, redact or keep\n"
"  --ipv4-prefix=N      bits of an IPv4 address kept by truncate (default 24)\n"
"  --ipv6-prefix=N      bits of an IPv6 address kept by truncate (default 48)\n"
"  --keep-networks=LIST comma-separated CIDR networks left as they are\n"
"                       (private and documentation ranges are anonymised\n"
"                       unless listed here)\n"
"  --email=MODE         pseudonymise (default: keyed pseudonym of the local\n"
"                       part, domain kept), hash (whole address), mask\n"
"                       (***@domain), redact, or keep\n"
"  --key-file=FILE      32-byte key for pseudonyms (mode 0600; make one with\n"
"                       'logscrub keygen FILE').  Without it, a random key\n"
"                       for this run alone: pseudonyms agree within the run\n"
"                       and cannot be linked across runs.\n"
"  -i, --in-place       rewrite each FILE in place, atomically (temporary file,\n"
"                       fsync, rename; owner, group and mode kept); FILE.gz\n"
"                       is read and written compressed\n"
"  -o, --output=FILE    append to FILE instead of standard output; SIGHUP\n"
"                       reopens it (and reloads the key file)\n"
"  -c, --config=FILE    read settings from FILE (default\n"
"                       " OPTIONS_DEFAULT_CONFIG " when it exists);\n"
"                       the command line wins\n"
"      --check          write nothing; list every identifier a run would\n"
"                       change as FILE:LINE:COLUMN KIND; exit 1 if any\n"
"      --diff           write each change a run would make as a -/+ pair of\n"
"                       lines (coloured on a terminal)\n"
"      --stats[=json]   statistics on standard error at exit and on SIGUSR1\n"
"      --progress       a progress bar on standard error (a terminal) while\n"
"                       reading a regular file\n"
"\n"
"Retention (by each line's own timestamp):\n"
"  --now=TIME           reference time, ISO 8601 or unix seconds (default:\n"
"                       the clock, re-read at each read of input)\n"
"  --max-age=DURATION   drop lines older than this (90d, 13mo, 12h, 1d12h)\n"
"  --raw-for=DURATION   pass lines younger than this untouched (opt-in)\n"
"  --undated=MODE       lines without a timestamp: anonymise (default),\n"
"                       drop, or keep (untouched)\n"
"  --key-dir=DIR        one key per epoch in DIR (mode 700), made on first\n"
"                       need; a line is pseudonymised with the key of its own\n"
"                       timestamp's epoch, and truncated once that key is\n"
"                       destroyed\n"
"  --epoch=E            key epoch: day (default), week or month (UTC)\n"
"  --keep=DURATION      keys rotate: destroy keys of epochs that ended longer\n"
"                       ago than this\n"
"  --date=DATE          lookup: the date (YYYY-MM-DD or ISO 8601) of the\n"
"                       pseudonym wanted\n"
"\n"
"  --no-sandbox         do not restrict the process (by default, on Linux,\n"
"                       once its files are open it may no longer open\n"
"                       sockets or run programs, nor write files unless\n"
"                       -i, -o or --key-dir need it); for debugging\n"
"Geolocation (of the full address, before it is anonymised):\n"
"  --geo=FIELDS         write what the databases say next to each address;\n"
"                       FIELDS: comma list of country, continent, asn, asorg,\n"
"                       subdivision, city\n"
"  --geoip-db=FILE      MaxMind DB file (Country or City, ASN; GeoLite2,\n"
"                       GeoIP2, DB-IP lite, logscrub-mkdb); repeatable.\n"
"                       Default: searched in /usr/share/GeoIP, /var/lib/GeoIP\n"
"  --ip-format=TEMPLATE replacement of an address in free text, with {ip}\n"
"                       {cc} {continent} {asn} {asorg} {subdivision} {city}\n"
"                       (default '{ip} (' the --geo fields ')'); not found:\n"
"                       -- for a code, AS0 for an AS number, - for a name\n"
"  --verbose            say which databases are used\n"
"\n"
"  --format=NAME        the log format: none (default: the free-text scan\n"
"                       alone), auto (per line, the first rule that\n"
"                       matches: also user names and host names that\n"
"                       embed an address), or a rule name from\n"
"                       --list-formats\n"
"  --rules=PATH         add rules from a file or a directory of *.rules\n"
"                       files (repeatable; implies --format=auto unless\n"
"                       --format is given); a rule named like a bundled one\n"
"                       replaces it.  See logscrub.rules(5).\n"
"  --list-formats       list the rules (name and description) and exit\n"
"  --explain            start each output line with the name of the rule\n"
"                       that matched it ('-' for none) and a tab\n"
"  -h, --help           show this help and exit\n"
"  -V, --version        show the version and exit\n"
"\n"
"Exit status: 0 on success, 1 on an input or output error (--check: an\n"
"identifier found), 2 on a usage or configuration error.\n"
"See logscrub(1).\n";

/* Where the settings being applied come from, for error messages. */
struct origin {
	const char *file;		/* the configuration file, or NULL: the command line */
	const unsigned *lines;		/* line of each element of its argv */
	bool keep_reset;		/* --keep-networks has replaced the file's list */
	bool geodb_reset;		/* --geoip-db has replaced the file's list */
};

/* Print "logscrub: [FILE:LINE: ]msg" and exit 2; on the command line also
 * the hint to --help. */
static void __attribute__((format(printf, 2, 3), noreturn))
fail(const struct origin *from, const char *fmt, ...)
{
	va_list ap;

	fputs("logscrub: ", stderr);
	if (from->file != NULL)
		fprintf(stderr, "%s:%u: ", from->file, from->lines[optind - 1]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (from->file == NULL)
		fputs("Try 'logscrub --help' for more information.\n", stderr);
	exit(2);
}

/* The index of s in names (NULL-terminated), or exit 2 naming the option. */
static int
pick(const struct origin *from, const char *opt, const char *s, const char *const *names)
{
	for (int i = 0; names[i] != NULL; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	fail(from, "--%s: unknown mode '%s' (the modes are listed by --help)", opt, s);
}

/* A whole number from 0 to max, or exit 2 naming the option. */
static int
number(const struct origin *from, const char *opt, const char *s, int max)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 0 || v > max)
		fail(from, "--%s: '%s' is not a number from 0 to %d", opt, s, max);
	return (int)v;
}

/* A duration (duration.h), or exit 2 naming the option. */
static int64_t
duration(const struct origin *from, const char *opt, const char *s)
{
	int64_t v;

	if (duration_parse(s, &v) < 0)
		fail(from, "--%s: '%s' is not a duration such as 90d, 13mo or 1d12h", opt, s);
	return v;
}

/* Room for a date with " 00:00:00Z" appended. */
#define DATE_BUFLEN 32

/*
 * A point in time, or exit 2 naming the option: unix seconds (digits), an
 * ISO 8601 / RFC 3339 timestamp (no zone: UTC), or a date YYYY-MM-DD (its
 * midnight UTC).
 */
static int64_t
time_arg(const struct origin *from, const char *opt, const char *s)
{
	size_t n = strlen(s);
	char buf[DATE_BUFLEN];
	int64_t t;

	/* 12 digits: past year 9999, the timestamps' limit */
	if (n > 0 && n <= 12 && strspn(s, "0123456789") == n)
		return strtoll(s, NULL, 10);
	if (ts_parse(s, n, TS_ISO8601, 0, &t) == n)
		return t;
	if (n < DATE_BUFLEN - 11) {
		snprintf(buf, sizeof buf, "%s 00:00:00Z", s);
		if (ts_parse(buf, n + 10, TS_ISO8601, 0, &t) == n + 10)
			return t;
	}
	fail(from, "--%s: '%s' is not a time (ISO 8601, YYYY-MM-DD or unix seconds)", opt, s);
}

/* Parse the comma-separated networks of --keep-networks into opt. */
static void
keep_networks(const struct origin *from, const char *s, struct options *opt)
{
	while (*s) {
		size_t n = strcspn(s, ",");

		if (opt->pol.nkeep == OPTIONS_KEEP_MAX)
			fail(from, "--keep-networks: too many networks (at most %d)", OPTIONS_KEEP_MAX);
		if (ip_net_parse(s, n, &opt->keep[opt->pol.nkeep]) < 0)
			fail(from, "--keep-networks: '%.*s' is not a network", (int)n, s);
		opt->pol.nkeep++;
		s += n + (s[n] == ',');
	}
}

enum {
	O_IP = 256, O_V4, O_V6, O_KEEPNETS, O_EMAIL, O_KEYFILE, O_CHECK, O_DIFF, O_STATS,
	O_PROGRESS, O_NOW, O_MAXAGE, O_RAWFOR, O_UNDATED, O_KEYDIR, O_EPOCH, O_KEEP, O_DATE,
	O_NOSANDBOX,
	O_GEO, O_GEODB, O_IPFORMAT, O_VERBOSE,
	O_FORMAT, O_RULES, O_LIST_FORMATS, O_EXPLAIN,
};
static const char shortopts[] = "c:io:hV";
/* The one table of options: the command line and the configuration file. */
static const struct option longopts[] = {
	{ "ip", required_argument, NULL, O_IP },
	{ "ipv4-prefix", required_argument, NULL, O_V4 },
	{ "ipv6-prefix", required_argument, NULL, O_V6 },
	{ "keep-networks", required_argument, NULL, O_KEEPNETS },
	{ "email", required_argument, NULL, O_EMAIL },
	{ "key-file", required_argument, NULL, O_KEYFILE },
	{ "in-place", no_argument, NULL, 'i' },
	{ "output", required_argument, NULL, 'o' },
	{ "config", required_argument, NULL, 'c' },
	{ "now", required_argument, NULL, O_NOW },
	{ "max-age", required_argument, NULL, O_MAXAGE },
	{ "raw-for", required_argument, NULL, O_RAWFOR },
	{ "undated", required_argument, NULL, O_UNDATED },
	{ "key-dir", required_argument, NULL, O_KEYDIR },
	{ "epoch", required_argument, NULL, O_EPOCH },
	{ "keep", required_argument, NULL, O_KEEP },
	{ "date", required_argument, NULL, O_DATE },
	{ "check", no_argument, NULL, O_CHECK },
	{ "diff", no_argument, NULL, O_DIFF },
	{ "stats", optional_argument, NULL, O_STATS },
	{ "progress", no_argument, NULL, O_PROGRESS },
	{ "no-sandbox", no_argument, NULL, O_NOSANDBOX },
	{ "geo", required_argument, NULL, O_GEO },
	{ "geoip-db", required_argument, NULL, O_GEODB },
	{ "ip-format", required_argument, NULL, O_IPFORMAT },
	{ "verbose", no_argument, NULL, O_VERBOSE },
	{ "format", required_argument, NULL, O_FORMAT },
	{ "rules", required_argument, NULL, O_RULES },
	{ "list-formats", no_argument, NULL, O_LIST_FORMATS },
	{ "explain", no_argument, NULL, O_EXPLAIN },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* Apply the option c (getopt_long's result, argument optarg) to opt. */
static void
apply(struct origin *from, int c, struct options *opt)
{
	static const char *const stats_formats[] = { "text", "json", NULL };
	static const char *const undated_modes[] = { "anonymise", "drop", "keep", NULL };
	static const char *const epoch_kinds[] = { "day", "week", "month", NULL };
	char err[GEO_ERRLEN];
	unsigned fields = 0;

	switch (c) {
	case O_IP:
		opt->pol.ip = (enum anon_ip_action)pick(from, "ip", optarg, anon_ip_names);
		break;
	case O_V4:
		opt->pol.v4bits = number(from, "ipv4-prefix", optarg, 32);
		break;
	case O_V6:
		opt->pol.v6bits = number(from, "ipv6-prefix", optarg, 128);
		break;
	case O_KEEPNETS:
		/* the command line's list replaces the file's */
		if (from->file == NULL && !from->keep_reset)
			opt->pol.nkeep = 0;
		from->keep_reset = true;
		keep_networks(from, optarg, opt);
		break;
	case O_EMAIL:
		opt->pol.email = (enum anon_email_action)pick(from, "email", optarg, anon_email_names);
		break;
	case O_KEYFILE:
		opt->key_file = optarg;
		break;
	case O_NOW:
		opt->ret.now = time_arg(from, "now", optarg);
		opt->ret.now_fixed = true;
		break;
	case O_MAXAGE:
		opt->ret.max_age = duration(from, "max-age", optarg);
		break;
	case O_RAWFOR:
		opt->ret.raw_for = duration(from, "raw-for", optarg);
		break;
	case O_UNDATED:
		opt->ret.undated = (enum retention_undated)pick(from, "undated", optarg, undated_modes);
		break;
	case O_KEYDIR:
		opt->key_dir = optarg;
		break;
	case O_EPOCH:
		opt->epoch = (enum epoch_kind)pick(from, "epoch", optarg, epoch_kinds);
		break;
	case O_KEEP:
		opt->keep_for = duration(from, "keep", optarg);
		break;
	case O_DATE:
		opt->date = time_arg(from, "date", optarg);
		opt->date_set = true;
		break;
	case 'i':
		opt->in_place = true;
		break;
	case 'o':
		opt->output = optarg;
		break;
	case 'c':
		break;		/* read before everything else */
	case O_CHECK:
	case O_DIFF:
		opt->report = c == O_CHECK ? OPTIONS_REPORT_CHECK : OPTIONS_REPORT_DIFF;
		break;
	case O_STATS:
		opt->stats = optarg == NULL ? OPTIONS_STATS_TEXT :
		    (enum options_stats)(pick(from, "stats", optarg, stats_formats) + OPTIONS_STATS_TEXT);
		break;
	case O_PROGRESS:
		opt->progress = true;
		break;
	case O_NOSANDBOX:
		opt->no_sandbox = true;
		break;
	case O_GEO:
		if (geo_fields_parse(optarg, &fields) < 0)
			fail(from, "--geo: '%s' is not a list of country, continent, asn, asorg, subdivision, city",
			    optarg);
		opt->geo.fields = fields;
		break;
	case O_GEODB:
		/* the command line's list replaces the file's */
		if (from->file == NULL && !from->geodb_reset)
			opt->geo.ndbs = 0;
		from->geodb_reset = true;
		if (opt->geo.ndbs == GEO_DB_MAX)
			fail(from, "--geoip-db: at most %d databases", GEO_DB_MAX);
		opt->geo.dbs[opt->geo.ndbs++] = optarg;
		break;
	case O_IPFORMAT:
		if (geo_template_parse(optarg, &opt->geo.tpl, err) < 0)
			fail(from, "%s", err);
		break;
	case O_VERBOSE:
		opt->verbose = true;
		break;
	case O_FORMAT:
		opt->format = optarg;
		opt->format_set = true;
		break;
	case O_RULES:
		if (opt->nrules == OPTIONS_RULES_MAX)
			fail(from, "--rules: too many (at most 16; name a directory instead)");
		opt->rules[opt->nrules++] = optarg;
		break;
	case O_LIST_FORMATS:
		opt->list_formats = true;
		break;
	case O_EXPLAIN:
		opt->explain = true;
		break;
	case 'h':
		fputs(usage_text, stdout);
		exit(0);
	case 'V':
		puts(PACKAGE_STRING);
		exit(0);
	default:
		fputs(usage_text, stderr);
		exit(2);
	}
}

/* The configuration file named by -c/--config in argv, the default one
 * when it exists, or NULL (also for --help and --version).  Leaves argv
 * permuted as getopt_long() does. */
static const char *
find_config(int argc, char **argv)
{
	const char *path = NULL;
	bool help = false;
	int c;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == 'c')
			path = optarg;
		if (c == 'h' || c == 'V')
			help = true;	/* --help works whatever the file holds */
	}
	opterr = 1;
	optind = 0;
	if (help)
		return NULL;
	if (path == NULL && access(OPTIONS_DEFAULT_CONFIG, F_OK) == 0)
		path = OPTIONS_DEFAULT_CONFIG;
	return path;
}

/* Read the configuration file path into opt->conf and apply its settings
 * to opt; exit 2 with "FILE:LINE: reason" on an error. */
static void
apply_config(const char *path, struct options *opt)
{
	char err[CONFFILE_ERRLEN];
	struct origin from = { .file = path };
	int c;

	if (conffile_read(path, longopts, &opt->conf, err) < 0) {
		fprintf(stderr, "logscrub: %s\n", err);
		exit(2);
	}
	from.lines = opt->conf.lines;
	optind = 0;
	while ((c = getopt_long(opt->conf.argc, opt->conf.argv, shortopts, longopts, NULL)) != -1)
		apply(&from, c, opt);
	optind = 0;
}

/* The commands: their words, and how many operands follow them. */
static const struct command {
	const char *word, *word2;	/* "keys" "rotate"; word2 NULL: one word */
	enum options_command command;
	int operands;
	const char *usage;		/* the message when the operands are wrong */
} commands[] = {
	{ "keygen", NULL, OPTIONS_KEYGEN, 1, "keygen takes one FILE" },
	{ "keys", "rotate", OPTIONS_KEYS_ROTATE, 0, "keys rotate takes no operand" },
	{ "keys", "list", OPTIONS_KEYS_LIST, 0, "keys list takes no operand" },
	{ "lookup", NULL, OPTIONS_LOOKUP, 1, "lookup takes one ADDRESS or EMAIL" },
};

/*
 * If the first operand names a command, set opt->command and leave its
 * operands in opt->files; check the operands and the options it needs.
 */
static void
command(struct options *opt)
{
	const struct origin cli = { 0 };
	const struct command *c = NULL;
	int words;

	for (size_t i = 0; i < sizeof commands / sizeof commands[0] && c == NULL; i++)
		if (opt->nfiles > 0 && strcmp(opt->files[0], commands[i].word) == 0 &&
		    (commands[i].word2 == NULL ||
		     (opt->nfiles > 1 && strcmp(opt->files[1], commands[i].word2) == 0)))
			c = &commands[i];
	if (c == NULL) {
		if (opt->nfiles > 0 && strcmp(opt->files[0], "keys") == 0)
			fail(&cli, "keys: the commands are 'keys rotate' and 'keys list'");
		return;
	}
	words = c->word2 ? 2 : 1;
	if (opt->nfiles - words != c->operands)
		fail(&cli, "%s", c->usage);
	opt->command = c->command;
	opt->files += words;
	opt->nfiles -= words;
	if (c->command != OPTIONS_KEYGEN && opt->key_dir == NULL)
		fail(&cli, "this command needs --key-dir=DIR");
	if (c->command == OPTIONS_KEYS_ROTATE && opt->keep_for == RETENTION_UNSET)
		fail(&cli, "keys rotate needs --keep=DURATION");
	if (c->command == OPTIONS_LOOKUP && !opt->date_set)
		fail(&cli, "lookup needs --date=DATE");
}

/* Complete the geo settings: the fields --ip-format names join --geo's, and
 * --geo without --ip-format gets the default template. */
static void
geo_settings(struct options *opt)
{
	const struct origin cli = { 0 };

	opt->geo.fields |= opt->geo.tpl.fields;
	if (opt->geo.tpl.npieces > 0 && opt->geo.fields == 0)
		fail(&cli, "--ip-format names no geo field and --geo is not given");
	if (opt->geo.ndbs > 0 && opt->geo.fields == 0)
		fail(&cli, "--geoip-db needs --geo");
	if (opt->geo.fields != 0 && opt->geo.tpl.npieces == 0)
		geo_template_default(opt->geo.fields, &opt->geo.tpl);
}

/* Reject settings that contradict each other (the command line and the
 * configuration file together). */
static void
check_combination(struct options *opt)
{
	const struct origin cli = { 0 };

	if (opt->key_dir != NULL && opt->key_file != NULL)
		fail(&cli, "--key-dir and --key-file exclude each other");
	if (opt->in_place && opt->nfiles == 0)
		fail(&cli, "--in-place needs FILE...");
	for (int i = 0; opt->in_place && i < opt->nfiles; i++)
		if (strcmp(opt->files[i], "-") == 0)
			fail(&cli, "--in-place cannot rewrite standard input");
	if (opt->in_place && opt->output != NULL)
		fail(&cli, "--in-place and --output exclude each other");
	if (opt->report != OPTIONS_REPORT_NONE && (opt->in_place || opt->output != NULL))
		fail(&cli, "--check and --diff write a report to standard output, not to files");
}

/*
 * Parse the configuration file (the one -c names, else the default when it
 * exists) and then argv into *opt (defaults first), so the command line
 * wins.  Exits 0 after --help or --version, 2 on a usage error.
 */
void
options_parse(int argc, char **argv, struct options *opt)
{
	struct origin cli = { 0 };
	int c;

	memset(opt, 0, sizeof *opt);
	opt->pol = (struct anon_policy){
		.ip = ANON_IP_TRUNCATE, .v4bits = 24, .v6bits = 48,
		.email = ANON_EMAIL_PSEUDONYMISE, .keep = opt->keep,
	};
	opt->ret = (struct retention_policy){ .max_age = RETENTION_UNSET, .raw_for = RETENTION_UNSET };
	opt->keep_for = RETENTION_UNSET;
	opt->format = "none";
	opt->config = find_config(argc, argv);
	if (opt->config != NULL)
		apply_config(opt->config, opt);
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1)
		apply(&cli, c, opt);
	if (opt->nrules > 0 && !opt->format_set)
		opt->format = "auto";	/* --rules alone: use them */
	opt->files = argv + optind;
	opt->nfiles = argc - optind;
	geo_settings(opt);
	check_combination(opt);
	command(opt);
}

/* Release what options_parse() allocated (the configuration file's
 * settings); opt's strings from the file are gone after this. */
void
options_free(struct options *opt)
{
	conffile_free(&opt->conf);
}
