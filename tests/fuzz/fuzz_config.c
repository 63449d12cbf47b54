/*
 * libFuzzer target for the configuration file reader: the input is written
 * to a temporary file (mkstemp in /tmp, unlinked after) and read by
 * conffile_read() against a small table mirroring real options of each
 * kind (required_argument, no_argument, optional_argument, and the ones a
 * file may not set).  Beyond memory errors and leaks it checks the contract
 * of a file that was read:
 *   - argv[0] is "logscrub", argv[argc] is NULL, lines[0] is 0;
 *   - every other element is "--NAME" or "--NAME=VALUE" for a NAME of the
 *     table that a file may set; a no_argument option has no value, a
 *     required_argument option a non-empty one; a value has no blank at
 *     either end and no newline;
 *   - the line numbers do not decrease and stay within the file's lines.
 * Any violation aborts, which libFuzzer reports as a crash.
 * Seeds: tests/fuzz/corpus/config/.
 */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conffile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A few options of options.c, one of each kind the reader treats apart. */
static const struct option fuzz_longopts[] = {
	{ "ip", required_argument, NULL, 'I' },
	{ "ipv4-prefix", required_argument, NULL, '4' },
	{ "keep-networks", required_argument, NULL, 'k' },
	{ "key-file", required_argument, NULL, 'K' },
	{ "stats", optional_argument, NULL, 's' },
	{ "progress", no_argument, NULL, 'p' },
	{ "in-place", no_argument, NULL, 'i' },
	{ "config", required_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The entry of fuzz_longopts called name[0..n) that a file may set, or
 * NULL. */
static const struct option *
fuzz_option(const char *name, size_t n)
{
	for (const struct option *o = fuzz_longopts; o->name != NULL; o++)
		if (strlen(o->name) == n && memcmp(o->name, name, n) == 0)
			return strcmp(o->name, "config") == 0 || strcmp(o->name, "help") == 0 ? NULL : o;
	return NULL;
}

/* True for the blanks trimmed around a value. */
static bool
fuzz_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Abort unless element s is a well-formed setting. */
static void
fuzz_check_arg(const char *s)
{
	const char *eq, *v;
	const struct option *o;
	size_t vlen;

	if (strncmp(s, "--", 2) != 0)
		abort();
	s += 2;
	eq = strchr(s, '=');
	if ((o = fuzz_option(s, eq ? (size_t)(eq - s) : strlen(s))) == NULL)
		abort();	/* an unknown or forbidden name went through */
	if (eq == NULL) {
		if (o->has_arg == required_argument)
			abort();
		return;
	}
	if (o->has_arg == no_argument)
		abort();
	v = eq + 1;
	vlen = strlen(v);
	if (vlen == 0 && o->has_arg == required_argument)
		abort();
	if (vlen > 0 && (fuzz_blank(v[0]) || fuzz_blank(v[vlen - 1])))
		abort();
	if (strchr(v, '\n') != NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/fuzz_config.XXXXXX", err[CONFFILE_ERRLEN];
	struct conffile cf;
	unsigned nlines = 1, last = 0;
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, data, size) != (ssize_t)size || close(fd) < 0)
		abort();
	for (size_t i = 0; i < size; i++)
		nlines += data[i] == '\n';
	if (conffile_read(path, fuzz_longopts, &cf, err) == 0) {
		if (cf.argc < 1 || strcmp(cf.argv[0], "logscrub") != 0 ||
		    cf.argv[cf.argc] != NULL || cf.lines[0] != 0)
			abort();
		for (int i = 1; i < cf.argc; i++) {
			if (cf.lines[i] < 1 || cf.lines[i] < last || cf.lines[i] > nlines)
				abort();
			last = cf.lines[i];
			fuzz_check_arg(cf.argv[i]);
		}
		conffile_free(&cf);
	} else if (err[0] == '\0' || cf.argc != 0 || cf.argv != NULL) {
		abort();	/* a failure must say why and leave cf empty */
	}
	unlink(path);
	return 0;
}
