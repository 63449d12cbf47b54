/*
 * options: getopt_long parsing and the usage text.
 */
#include "config.h"

#include "options.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
"usage: logscrub [OPTIONS] [FILE...]\n"
"       logscrub keygen FILE\n"
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

/*
 * Parse argv into *opt (defaults first).  Exits 0 after --help or
 * --version, 2 on a usage error.
 */
void
options_parse(int argc, char **argv, struct options *opt)
{
	static const char *const ip_modes[] = { "truncate", "pseudonymise", "redact", "keep", NULL };
	static const char *const email_modes[] = { "pseudonymise", "hash", "mask", "redact", "keep", NULL };
	enum { O_IP = 256, O_V4, O_V6, O_KEEPNETS, O_EMAIL, O_KEYFILE, O_FORMAT, O_RULES, O_LIST_FORMATS, O_EXPLAIN };
	static const struct option longopts[] = {
		{ "ip", required_argument, NULL, O_IP },
		{ "ipv4-prefix", required_argument, NULL, O_V4 },
		{ "ipv6-prefix", required_argument, NULL, O_V6 },
		{ "keep-networks", required_argument, NULL, O_KEEPNETS },
		{ "email", required_argument, NULL, O_EMAIL },
		{ "key-file", required_argument, NULL, O_KEYFILE },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "rules", required_argument, NULL, O_RULES },
		{ "list-formats", no_argument, NULL, O_LIST_FORMATS },
		{ "explain", no_argument, NULL, O_EXPLAIN },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	bool format_given = false;
	int c;

	memset(opt, 0, sizeof *opt);
	opt->pol = (struct anon_policy){
		.ip = ANON_IP_TRUNCATE, .v4bits = 24, .v6bits = 48,
		.email = ANON_EMAIL_PSEUDONYMISE, .keep = opt->keep,
	};
	opt->format = "none";
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
		case O_FORMAT:
			opt->format = optarg;
			format_given = true;
			break;
		case O_RULES:
			if (opt->nrules == OPTIONS_RULES_MAX)
				usage_error("--rules: too many (at most 16; name a directory instead)");
			opt->rules[opt->nrules++] = optarg;
			break;
		case O_LIST_FORMATS:
			opt->command = OPTIONS_LIST_FORMATS;
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
	if (opt->nrules > 0 && !format_given)
		opt->format = "auto";	/* --rules alone: use them */
	opt->files = argv + optind;
	opt->nfiles = argc - optind;
	if (opt->nfiles > 0 && strcmp(opt->files[0], "keygen") == 0) {
		if (opt->nfiles != 2)
			usage_error("keygen takes one FILE");
		opt->command = OPTIONS_KEYGEN;
	}
}
