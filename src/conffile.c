/*
 * conffile: lines to "--name=value" elements.
 */
#include "config.h"

#include "conffile.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for the reason part of a message (a setting's name and a word). */
#define REASON_LEN 256

/* Settings that make no sense in a file. */
static const char *const not_settings[] = { "config", "help", "version", NULL };

/* Blanks trimmed around a name and a value. */
static bool
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* The entry of longopts called name[0..n), or NULL. */
static const struct option *
find(const struct option *longopts, const char *name, size_t n)
{
	for (; longopts->name != NULL; longopts++)
		if (strlen(longopts->name) == n && memcmp(longopts->name, name, n) == 0)
			return longopts;
	return NULL;
}

/* Append the element arg (malloc'ed, taken over) from line to cf.
 * Returns 0, or -1 on ENOMEM. */
static int
push(struct conffile *cf, char *arg, unsigned line)
{
	char **argv = realloc(cf->argv, (size_t)(cf->argc + 2) * sizeof *argv);
	unsigned *lines;

	if (argv == NULL)
		return -1;
	cf->argv = argv;
	lines = realloc(cf->lines, (size_t)(cf->argc + 1) * sizeof *lines);
	if (lines == NULL)
		return -1;
	cf->lines = lines;
	argv[cf->argc] = arg;
	lines[cf->argc] = line;
	argv[++cf->argc] = NULL;
	return 0;
}

/*
 * Turn one line (NUL-terminated, newline removed) into an element of cf.
 * Returns 0 (also for a blank line or a comment), or -1 with the reason in
 * err (no file or line: the caller adds them).
 */
static int
parse_line(char *s, const struct option *longopts, struct conffile *cf, unsigned line,
    char err[REASON_LEN])
{
	const struct option *o;
	size_t nlen, vlen;
	char *name, *value = NULL, *arg;

	while (blank(*s))
		s++;
	if (*s == '\0' || *s == '#')
		return 0;
	name = s;
	nlen = strcspn(s, "= \t\r");
	s += nlen;
	while (blank(*s))
		s++;
	if (*s == '=') {
		for (value = s + 1; blank(*value); value++)
			;
		for (vlen = strlen(value); vlen > 0 && blank(value[vlen - 1]); vlen--)
			;
		value[vlen] = '\0';
	} else if (*s != '\0') {
		snprintf(err, REASON_LEN, "expected 'name = value'");
		return -1;
	}
	if ((o = find(longopts, name, nlen)) == NULL) {
		snprintf(err, REASON_LEN, "unknown setting '%.*s'", (int)nlen, name);
		return -1;
	}
	for (int i = 0; not_settings[i] != NULL; i++)
		if (strcmp(o->name, not_settings[i]) == 0) {
			snprintf(err, REASON_LEN, "'%s' cannot be set in a configuration file", o->name);
			return -1;
		}
	/* an option whose value may be left out: yes, no */
	if (o->has_arg != required_argument && value != NULL) {
		if (strcmp(value, "no") == 0)
			return 0;
		if (strcmp(value, "yes") == 0)
			value = NULL;
	}
	if (o->has_arg == no_argument && value != NULL) {
		snprintf(err, REASON_LEN, "'%s' takes no value (or: yes, no)", o->name);
		return -1;
	}
	if (o->has_arg == required_argument && (value == NULL || *value == '\0')) {
		snprintf(err, REASON_LEN, "'%s' needs a value", o->name);
		return -1;
	}
	vlen = value != NULL ? strlen(value) : 0;
	if ((arg = malloc(nlen + vlen + 4)) == NULL)
		goto nomem;
	if (value != NULL)
		sprintf(arg, "--%s=%s", o->name, value);
	else
		sprintf(arg, "--%s", o->name);
	if (push(cf, arg, line) < 0) {
		free(arg);
		goto nomem;
	}
	return 0;
nomem:
	snprintf(err, REASON_LEN, "%s", strerror(ENOMEM));
	return -1;
}

/*
 * Read the configuration file path into cf, checking each name against
 * longopts (values are checked by the caller, which knows their meaning).
 * The elements live until conffile_free(): struct options points into
 * them.  Returns 0, or -1 with "path:LINE: reason" (or "path: reason") in
 * err (cf is then freed).
 */
int
conffile_read(const char *path, const struct option *longopts, struct conffile *cf,
    char err[CONFFILE_ERRLEN])
{
	char reason[REASON_LEN], *line = NULL, *arg0 = strdup("logscrub");
	FILE *fp = fopen(path, "re");
	unsigned lineno = 0;
	size_t cap = 0;
	ssize_t n;

	*cf = (struct conffile){ 0 };
	if (fp == NULL || arg0 == NULL || push(cf, arg0, 0) < 0) {
		snprintf(err, CONFFILE_ERRLEN, "%s: %s", path, strerror(errno));
		free(arg0);
		if (fp != NULL)
			fclose(fp);
		return -1;
	}
	while ((n = getline(&line, &cap, fp)) >= 0) {
		size_t len = (size_t)n;

		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (strlen(line) != len) {
			snprintf(err, CONFFILE_ERRLEN, "%s:%u: a NUL byte in the line", path, lineno);
			goto fail;
		}
		if (parse_line(line, longopts, cf, lineno, reason) < 0) {
			snprintf(err, CONFFILE_ERRLEN, "%s:%u: %s", path, lineno, reason);
			goto fail;
		}
	}
	if (ferror(fp)) {
		snprintf(err, CONFFILE_ERRLEN, "%s: %s", path, strerror(errno));
		goto fail;
	}
	free(line);
	fclose(fp);
	return 0;
fail:
	free(line);
	fclose(fp);
	conffile_free(cf);
	return -1;
}

/* Release the elements of cf (nothing when it was never read). */
void
conffile_free(struct conffile *cf)
{
	for (int i = 0; i < cf->argc; i++)
		free(cf->argv[i]);
	free(cf->argv);
	free(cf->lines);
	*cf = (struct conffile){ 0 };
}
