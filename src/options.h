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
#include "epoch.h"
#include "ip.h"
#include "retention.h"

/* Most --keep-networks entries. */
#define OPTIONS_KEEP_MAX 64

enum options_command {
	OPTIONS_FILTER, OPTIONS_KEYGEN, OPTIONS_KEYS_ROTATE, OPTIONS_KEYS_LIST, OPTIONS_LOOKUP
};

struct options {
	enum options_command command;
	struct anon_policy pol;
	struct ip_net keep[OPTIONS_KEEP_MAX];
	const char *key_file;		/* NULL: a random key for this run */
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

#endif
