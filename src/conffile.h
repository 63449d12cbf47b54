/*
 * conffile: the configuration file (-c, --config), read into an argument
 * vector that options.c runs through the same getopt_long() table as the
 * command line, so no option is described twice.
 *
 * Syntax, one setting per line:
 *     name = value        any long option that takes a value
 *     name                an option that takes none (or: name = yes)
 *     name = no           the same option, not set (the line is ignored)
 *     # comment           a line whose first non-blank byte is '#'
 * Blank lines are ignored; blanks around the name and the value go; the
 * value runs to the end of the line ('#' in it is part of it, no quoting).
 * Every setting becomes one element "--name=value" (or "--name").
 */
#ifndef LOGSCRUB_CONFFILE_H
#define LOGSCRUB_CONFFILE_H

#include <getopt.h>

/* Room for a message "FILE:LINE: reason". */
#define CONFFILE_ERRLEN 1024

struct conffile {
	int argc;
	char **argv;		/* argv[0] "logscrub", then one element per setting */
	unsigned *lines;	/* the line each element came from (lines[0] is 0) */
};

int conffile_read(const char *path, const struct option *longopts, struct conffile *cf,
    char err[CONFFILE_ERRLEN]);
void conffile_free(struct conffile *cf);

#endif
