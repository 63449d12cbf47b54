/*
 * options: the command line, parsed once into a struct options that the
 * rest of the program reads as const.  Only this module and main print
 * usage or exit.
 */
#ifndef LOGSCRUB_OPTIONS_H
#define LOGSCRUB_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "anon.h"
#include "ip.h"

/* Most --keep-networks entries. */
#define OPTIONS_KEEP_MAX 64
/* Most --rules options. */
#define OPTIONS_RULES_MAX 16

enum options_command { OPTIONS_FILTER, OPTIONS_KEYGEN, OPTIONS_LIST_FORMATS };

struct options {
	enum options_command command;
	struct anon_policy pol;
	struct ip_net keep[OPTIONS_KEEP_MAX];
	const char *key_file;		/* NULL: a random key for this run */
	const char *rules[OPTIONS_RULES_MAX];	/* --rules paths, in order */
	int nrules;
	const char *format;		/* --format: "auto", "none" or a rule name */
	bool explain;			/* --explain */
	char **files;			/* inputs; none: stdin */
	int nfiles;
};

void options_parse(int argc, char **argv, struct options *opt);

#endif
