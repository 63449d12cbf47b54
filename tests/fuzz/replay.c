/*
 * replay: the main() of a fuzz target in an ordinary build.  It feeds every
 * file named on the command line, and every file of every directory named
 * there, to LLVMFuzzerTestOneInput() once, so that make check runs each
 * target over its committed seed corpus (tests/fuzz/corpus/NAME/) as a
 * regression test.  Arguments that start with '-' are libFuzzer options
 * and are ignored, so one command line serves both builds:
 *   tests/fuzz/fuzz_NAME -runs=0 tests/fuzz/corpus/NAME
 * A target reports a finding by crashing (abort()); replay itself exits 1
 * when an input cannot be read, and 0 after the last input.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Run the target on the contents of the file path, in a buffer of exactly
 * its size (so AddressSanitizer sees a read past the input); 0, or -1
 * with a message on stderr. */
static int
replay_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	struct stat st;
	uint8_t *data = NULL;
	size_t size = 0;
	int status = -1;

	if (fp == NULL || fstat(fileno(fp), &st) < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		goto out;
	}
	size = (size_t)st.st_size;
	if ((data = malloc(size ? size : 1)) == NULL || fread(data, 1, size, fp) != size) {
		fprintf(stderr, "replay: %s: cannot read %zu bytes\n", path, size);
		goto out;
	}
	fprintf(stderr, "replay: %s\n", path);	/* the culprit, if it aborts */
	LLVMFuzzerTestOneInput(data, size);
	status = 0;
out:
	free(data);
	if (fp != NULL)
		fclose(fp);
	return status;
}

/* Run the target on path, or on each regular file of the directory path. */
static int
replay_path(const char *path)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	int status = 0;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path);
	if ((d = opendir(path)) == NULL) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		char sub[4096];

		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
		if (stat(sub, &st) == 0 && S_ISREG(st.st_mode) && replay_file(sub) < 0)
			status = -1;
	}
	closedir(d);
	return status;
}

int
main(int argc, char **argv)
{
	int status = 0, inputs = 0;

	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			continue;
		inputs++;
		if (replay_path(argv[i]) < 0)
			status = 1;
	}
	if (inputs == 0) {
		fputs("usage: fuzz_NAME [-libFuzzer-options] CORPUS-DIR|FILE...\n", stderr);
		return 2;
	}
	return status;
}
