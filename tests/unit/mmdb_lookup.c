/*
 * mmdb_lookup: a second reader for the tests, built on libmaxminddb, so
 * that logscrub-mkdb's output is checked by the library logscrub uses and
 * not only by mmdblookup(1).
 *
 *   mmdb_lookup DB ADDR PATH...   one line: the value at each dotted PATH
 *                                 (e.g. country.iso_code), tab-separated,
 *                                 "-" where the address or key is absent
 *   mmdb_lookup DB - PATH...      the same for each address on standard
 *                                 input, one a line, each output line
 *                                 starting with the address and a tab
 *   mmdb_lookup -m DB             the metadata, one "key<TAB>value" a line
 *
 * Exit status 0, or 1 when the database cannot be opened or an address
 * not parsed.
 */
#define _POSIX_C_SOURCE 200809L /* getline(3) */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <maxminddb.h>

/* Most keys in one dotted lookup path. */
#define PATH_KEYS_MAX 8
/* Longest dotted lookup path, in bytes with its NUL. */
#define PATH_LEN_MAX 256

/* Prints the value at the dotted path in the entry of res, or "-". */
static int
lookup_print(MMDB_lookup_result_s *res, const char *path)
{
	const char *keys[PATH_KEYS_MAX + 1];
	char buf[PATH_LEN_MAX];
	MMDB_entry_data_s v;
	size_t n = 0;

	if (strlen(path) >= sizeof buf) {
		fprintf(stderr, "mmdb_lookup: path too long\n");
		return -1;
	}
	strcpy(buf, path);
	for (char *k = strtok(buf, "."); k != NULL; k = strtok(NULL, ".")) {
		if (n == PATH_KEYS_MAX) {
			fprintf(stderr, "mmdb_lookup: path too long\n");
			return -1;
		}
		keys[n++] = k;
	}
	keys[n] = NULL;
	if (!res->found_entry ||
	    MMDB_aget_value(&res->entry, &v, keys) != MMDB_SUCCESS ||
	    !v.has_data) {
		fputs("-", stdout);
		return 0;
	}
	switch (v.type) {
	case MMDB_DATA_TYPE_UTF8_STRING:
		printf("%.*s", (int)v.data_size, v.utf8_string);
		break;
	case MMDB_DATA_TYPE_UINT16:
		printf("%" PRIu16, v.uint16);
		break;
	case MMDB_DATA_TYPE_UINT32:
		printf("%" PRIu32, v.uint32);
		break;
	case MMDB_DATA_TYPE_UINT64:
		printf("%" PRIu64, v.uint64);
		break;
	case MMDB_DATA_TYPE_INT32:
		printf("%" PRId32, v.int32);
		break;
	case MMDB_DATA_TYPE_DOUBLE:
		printf("%g", v.double_value);
		break;
	case MMDB_DATA_TYPE_BOOLEAN:
		fputs(v.boolean ? "true" : "false", stdout);
		break;
	default:
		printf("<type %" PRIu32 ">", v.type);
		break;
	}
	return 0;
}

/* Prints the metadata fields the tests check. */
static void
lookup_meta(const MMDB_s *db)
{
	const MMDB_metadata_s *m = &db->metadata;

	printf("database_type\t%s\n", m->database_type);
	printf("ip_version\t%" PRIu16 "\n", m->ip_version);
	printf("record_size\t%" PRIu16 "\n", m->record_size);
	printf("node_count\t%" PRIu32 "\n", m->node_count);
	printf("binary_format\t%" PRIu16 ".%" PRIu16 "\n",
	    m->binary_format_major_version, m->binary_format_minor_version);
	for (size_t i = 0; i < m->description.count; i++)
		printf("description.%s\t%s\n",
		    m->description.descriptions[i]->language,
		    m->description.descriptions[i]->description);
}

/* Looks addr up and prints the values at paths[0..npaths - 1] on one line,
 * tab-separated, after "addr<TAB>" when echo is set.  Returns 0, or -1 when
 * addr is not an address or the lookup fails. */
static int
lookup_line(MMDB_s *db, const char *addr, char **paths, int npaths, int echo)
{
	MMDB_lookup_result_s res;
	int gai, mmerr;

	res = MMDB_lookup_string(db, addr, &gai, &mmerr);
	if (gai != 0 || mmerr != MMDB_SUCCESS) {
		fprintf(stderr, "mmdb_lookup: %s: %s\n", addr,
		    gai != 0 ? gai_strerror(gai) : MMDB_strerror(mmerr));
		return -1;
	}
	if (echo)
		printf("%s\t", addr);
	for (int i = 0; i < npaths; i++) {
		if (i > 0)
			putchar('\t');
		if (lookup_print(&res, paths[i]) == -1)
			return -1;
	}
	putchar('\n');
	return 0;
}

int
main(int argc, char **argv)
{
	MMDB_s db;
	int st, meta = argc == 3 && strcmp(argv[1], "-m") == 0;
	int status = 1;

	if (!meta && argc < 4) {
		fprintf(stderr, "usage: mmdb_lookup DB ADDR PATH...\n"
		    "       mmdb_lookup -m DB\n");
		return 2;
	}
	if ((st = MMDB_open(argv[meta ? 2 : 1], MMDB_MODE_MMAP, &db)) !=
	    MMDB_SUCCESS) {
		fprintf(stderr, "mmdb_lookup: %s: %s\n", argv[meta ? 2 : 1],
		    MMDB_strerror(st));
		return 1;
	}
	if (meta) {
		lookup_meta(&db);
		status = 0;
		goto done;
	}
	if (strcmp(argv[2], "-") != 0) {
		if (lookup_line(&db, argv[2], argv + 3, argc - 3, 0) == -1)
			goto done;
	} else {
		char *line = NULL;
		size_t cap = 0;
		ssize_t len;

		while ((len = getline(&line, &cap, stdin)) != -1) {
			if (len > 0 && line[len - 1] == '\n')
				line[len - 1] = '\0';
			if (lookup_line(&db, line, argv + 3, argc - 3, 1) == -1) {
				free(line);
				goto done;
			}
		}
		free(line);
	}
	status = fflush(stdout) == 0 && !ferror(stdin) ? 0 : 1;
done:
	MMDB_close(&db);
	return status;
}
