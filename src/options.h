/*
 * options: the command line, parsed once into a struct options that the
 * rest of the program reads as const.  Only this module and main print
 * usage or exit.
 */
#ifndef LOGSCRUB_OPTIONS_H
#define LOGSCRUB_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "anon.h"
#include "conffile.h"
#include "epoch.h"
#include "geo.h"
#include "ip.h"
#include "retention.h"

/* The configuration file read when there is no -c (when it exists). */
#define OPTIONS_DEFAULT_CONFIG SYSCONFDIR "/logscrub/logscrub.conf"

/* Most --keep-networks entries. */
#define OPTIONS_KEEP_MAX 64
/* Most --rules options. */
#define OPTIONS_RULES_MAX 16

enum options_command {
	OPTIONS_FILTER, OPTIONS_KEYGEN, OPTIONS_KEYS_ROTATE, OPTIONS_KEYS_LIST, OPTIONS_LOOKUP
};
enum options_stats { OPTIONS_STATS_NONE, OPTIONS_STATS_TEXT, OPTIONS_STATS_JSON };
/* What the run writes: the text, or a report on it (--check, --diff). */
enum options_report { OPTIONS_REPORT_NONE, OPTIONS_REPORT_CHECK, OPTIONS_REPORT_DIFF };

struct options {
	enum options_command command;
	struct anon_policy pol;
	struct ip_net keep[OPTIONS_KEEP_MAX];
	const char *key_file;		/* NULL: a random key for this run */
	const char *output;		/* -o: append here (reopened on SIGHUP); NULL: stdout */
	bool in_place;			/* -i: rewrite each FILE */
	bool progress;			/* --progress */
	bool no_sandbox;		/* --no-sandbox: no seccomp, no no_new_privs */
	enum options_stats stats;	/* --stats */
	enum options_report report;	/* --check, --diff */
	const char *config;		/* the configuration file read, or NULL */
	struct conffile conf;		/* its settings: fields above point into them */
	struct geo_config geo;		/* --geo, --geoip-db, --ip-format */
	bool verbose;			/* --verbose */
	const char *rules[OPTIONS_RULES_MAX];	/* --rules paths, in order */
	int nrules;
	const char *format;		/* --format: "auto", "none" or a rule name */
	bool format_set;		/* --format given (else --rules implies auto) */
	bool list_formats;		/* --list-formats */
	bool explain;			/* --explain */
	char **files;			/* inputs; none: stdin (a command's operands) */
	int nfiles;
	/* retention and per-epoch keys */
	struct retention_policy ret;	/* --now, --max-age, --raw-for, --undated */
	const char *key_dir;		/* --key-dir, or NULL */
	enum epoch_kind epoch;		/* --epoch */
	int64_t keep_for;		/* --keep (keys rotate) */
	bool date_set;
	int64_t date;			/* --date (lookup), unix seconds */
};

void options_parse(int argc, char **argv, struct options *opt);
void options_free(struct options *opt);

#endif
