/*
 * options: getopt_long parsing and the usage text.
 */
#include "config.h"

#include "options.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duration.h"
#include "timestamp.h"

static const char usage_text[] =
"usage: logscrub [OPTIONS] [FILE...]\n"
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
"  -h, --help           show this help and exit\n"
"  -V, --version        show the version and exit\n"
"\n"
"Exit status: 0 on success, 1 on an input or output error, 2 on a usage error.\n"
"See logscrub(1).\n";

/* Print "logscrub: msg" and the hint to --help, exit 2. */
static void
usage_error(const char *msg)
{
	fprintf(stderr, "logscrub: %s\nTry 'logscrub --help' for more information.\n", msg);
	exit(2);
}

/* The index of s in names (NULL-terminated), or exit 2 naming the option. */
static int
pick(const char *opt, const char *s, const char *const *names)
{
	for (int i = 0; names[i] != NULL; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	fprintf(stderr, "logscrub: --%s: unknown mode '%s'\n", opt, s);
	usage_error("the modes are listed by --help");
	return -1;
}

/* A whole number from 0 to max, or exit 2 naming the option. */
static int
number(const char *opt, const char *s, int max)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 0 || v > max) {
		fprintf(stderr, "logscrub: --%s: '%s' is not a number from 0 to %d\n", opt, s, max);
		exit(2);
	}
	return (int)v;
}

/* A duration (duration.h), or exit 2 naming the option. */
static int64_t
duration(const char *opt, const char *s)
{
	int64_t v;

	if (duration_parse(s, &v) < 0) {
		fprintf(stderr, "logscrub: --%s: '%s' is not a duration such as 90d, 13mo or 1d12h\n", opt, s);
		exit(2);
	}
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
time_arg(const char *opt, const char *s)
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
	fprintf(stderr, "logscrub: --%s: '%s' is not a time (ISO 8601, YYYY-MM-DD or unix seconds)\n", opt, s);
	exit(2);
}

/* Parse the comma-separated networks of --keep-networks into opt. */
static void
keep_networks(const char *s, struct options *opt)
{
	while (*s) {
		size_t n = strcspn(s, ",");

		if (opt->pol.nkeep == OPTIONS_KEEP_MAX)
			usage_error("--keep-networks: too many networks (at most 64)");
		if (ip_net_parse(s, n, &opt->keep[opt->pol.nkeep]) < 0) {
			fprintf(stderr, "logscrub: --keep-networks: '%.*s' is not a network\n", (int)n, s);
			exit(2);
		}
		opt->pol.nkeep++;
		s += n + (s[n] == ',');
	}
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
	const struct command *c = NULL;
	int words;

	for (size_t i = 0; i < sizeof commands / sizeof commands[0] && c == NULL; i++)
		if (opt->nfiles > 0 && strcmp(opt->files[0], commands[i].word) == 0 &&
		    (commands[i].word2 == NULL ||
		     (opt->nfiles > 1 && strcmp(opt->files[1], commands[i].word2) == 0)))
			c = &commands[i];
	if (c == NULL) {
		if (opt->nfiles > 0 && strcmp(opt->files[0], "keys") == 0)
			usage_error("keys: the commands are 'keys rotate' and 'keys list'");
		return;
	}
	words = c->word2 ? 2 : 1;
	if (opt->nfiles - words != c->operands)
		usage_error(c->usage);
	opt->command = c->command;
	opt->files += words;
	opt->nfiles -= words;
	if (c->command != OPTIONS_KEYGEN && opt->key_dir == NULL)
		usage_error("this command needs --key-dir=DIR");
	if (c->command == OPTIONS_KEYS_ROTATE && opt->keep_for == RETENTION_UNSET)
		usage_error("keys rotate needs --keep=DURATION");
	if (c->command == OPTIONS_LOOKUP && !opt->date_set)
		usage_error("lookup needs --date=DATE");
}

/*
 * Parse argv into *opt (defaults first).  Exits 0 after --help or
 * --version, 2 on a usage error.
 */
void
options_parse(int argc, char **argv, struct options *opt)
{
	static const char *const ip_modes[] = { "truncate", "pseudonymise", "redact", "keep", NULL };
	static const char *const email_modes[] = { "pseudonymise", "hash", "mask", "redact", "keep", NULL };
	static const char *const undated_modes[] = { "anonymise", "drop", "keep", NULL };
	static const char *const epoch_kinds[] = { "day", "week", "month", NULL };
	enum {
		O_IP = 256, O_V4, O_V6, O_KEEPNETS, O_EMAIL, O_KEYFILE,
		O_NOW, O_MAXAGE, O_RAWFOR, O_UNDATED, O_KEYDIR, O_EPOCH, O_KEEP, O_DATE
	};
	static const struct option longopts[] = {
		{ "ip", required_argument, NULL, O_IP },
		{ "ipv4-prefix", required_argument, NULL, O_V4 },
		{ "ipv6-prefix", required_argument, NULL, O_V6 },
		{ "keep-networks", required_argument, NULL, O_KEEPNETS },
		{ "email", required_argument, NULL, O_EMAIL },
		{ "key-file", required_argument, NULL, O_KEYFILE },
		{ "now", required_argument, NULL, O_NOW },
		{ "max-age", required_argument, NULL, O_MAXAGE },
		{ "raw-for", required_argument, NULL, O_RAWFOR },
		{ "undated", required_argument, NULL, O_UNDATED },
		{ "key-dir", required_argument, NULL, O_KEYDIR },
		{ "epoch", required_argument, NULL, O_EPOCH },
		{ "keep", required_argument, NULL, O_KEEP },
		{ "date", required_argument, NULL, O_DATE },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(opt, 0, sizeof *opt);
	opt->pol = (struct anon_policy){
		.ip = ANON_IP_TRUNCATE, .v4bits = 24, .v6bits = 48,
		.email = ANON_EMAIL_PSEUDONYMISE, .keep = opt->keep,
	};
	opt->ret = (struct retention_policy){ .max_age = RETENTION_UNSET, .raw_for = RETENTION_UNSET };
	opt->keep_for = RETENTION_UNSET;
	while ((c = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		switch (c) {
		case O_IP:
			opt->pol.ip = (enum anon_ip_action)pick("ip", optarg, ip_modes);
			break;
		case O_V4:
			opt->pol.v4bits = number("ipv4-prefix", optarg, 32);
			break;
		case O_V6:
			opt->pol.v6bits = number("ipv6-prefix", optarg, 128);
			break;
		case O_KEEPNETS:
			keep_networks(optarg, opt);
			break;
		case O_EMAIL:
			opt->pol.email = (enum anon_email_action)pick("email", optarg, email_modes);
			break;
		case O_KEYFILE:
			opt->key_file = optarg;
			break;
		case O_NOW:
			opt->ret.now = time_arg("now", optarg);
			opt->ret.now_fixed = true;
			break;
		case O_MAXAGE:
			opt->ret.max_age = duration("max-age", optarg);
			break;
		case O_RAWFOR:
			opt->ret.raw_for = duration("raw-for", optarg);
			break;
		case O_UNDATED:
			opt->ret.undated = (enum retention_undated)pick("undated", optarg, undated_modes);
			break;
		case O_KEYDIR:
			opt->key_dir = optarg;
			break;
		case O_EPOCH:
			opt->epoch = (enum epoch_kind)pick("epoch", optarg, epoch_kinds);
			break;
		case O_KEEP:
			opt->keep_for = duration("keep", optarg);
			break;
		case O_DATE:
			opt->date = time_arg("date", optarg);
			opt->date_set = true;
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
	opt->files = argv + optind;
	opt->nfiles = argc - optind;
	if (opt->key_dir != NULL && opt->key_file != NULL)
		usage_error("--key-dir and --key-file exclude each other");
	command(opt);
}
