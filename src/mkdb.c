/*
 * logscrub-mkdb: writes a MaxMind DB (GeoLite2 Country/ASN schema) from CSV
 * ranges and Debian's tor-geoipdb files, so that logscrub can geolocate
 * without a MaxMind account.  This file holds the option parser, the choice
 * of metadata and the atomic write; mkdb_input parses, mmdbw writes.
 *
 * Exit status: 0 on success, 1 on an input or output error, 2 on a usage
 * error.
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fchmod, fsync, sigaction */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mkdb_input.h"
#include "mmdbw.h"

#define PROG "logscrub-mkdb"
/* Default record size, MaxMind's for GeoLite2: up to 2^28 nodes and data
 * bytes, where tor-geoipdb needs about 2^21 and 24 bits stop at 2^24. */
#define RECORD_SIZE_DEFAULT 28
/* Room for the description with the IPFire attribution appended. */
#define DESCRIPTION_LEN 1024

/* Attribution that CC BY-SA 4.0 asks for when tor-geoipdb data is used. */
#define IPFIRE_NOTICE "Contains IPFire Location data " \
	"(https://location.ipfire.org/) via Debian's tor-geoipdb, " \
	"licensed under CC BY-SA 4.0 " \
	"(https://creativecommons.org/licenses/by-sa/4.0/)."

/* One input file, in the order given. */
struct mkdb_source {
	enum mkdb_format fmt;
	const char *path;
};

struct mkdb_options {
	unsigned record_size;
	int ip_version;
	const char *database_type;	/* NULL: chosen from the data */
	const char *description;	/* NULL: a default */
	struct mkdb_source *sources;
	size_t nsources;
	const char *output;
};

/* The temporary output file, for the signal handler to remove; NULL when
 * there is none. */
static const char *volatile mkdb_tmp_path;

static const char usage_text[] =
    "usage: " PROG " [--record-size=24|28|32] [--ip-version=6|4]\n"
    "           [--database-type=NAME] [--description=TEXT]\n"
    "           (--csv=FILE | --tor-geoip=FILE | --tor-geoip6=FILE)...\n"
    "           -o OUT.mmdb\n";

static const char help_text[] =
    "\n"
    "Writes a MaxMind DB (GeoLite2 Country/ASN schema) from address ranges.\n"
    "\n"
    "  --csv=FILE            lines first,last,country[,asn[,organisation]]\n"
    "  --tor-geoip=FILE      tor-geoipdb IPv4 file (/usr/share/tor/geoip)\n"
    "  --tor-geoip6=FILE     tor-geoipdb IPv6 file (/usr/share/tor/geoip6)\n"
    "  -o, --output=FILE     the database to write (atomically)\n"
    "  --record-size=BITS    24, 28 (default) or 32\n"
    "  --ip-version=6|4      tree for IPv6 and IPv4 (default) or IPv4 only\n"
    "  --database-type=NAME  metadata database_type (default from the data)\n"
    "  --description=TEXT    metadata description (English)\n"
    "  -h, --help            show this help\n"
    "  -V, --version         show the version\n"
    "\n"
    "Inputs are read in order; where ranges overlap, the later one wins.\n";

/* Prints why the command line is wrong and the usage, and exits 2. */
static void mkdb_usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

static void
mkdb_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", usage_text);
	exit(2);
}

/* Parses the value of the option called name, which must be one of the
 * numbers in allowed (a list ending in 0, spelt out in hint). */
static unsigned
mkdb_parse_choice(const char *name, const char *hint, const char *s,
    const unsigned *allowed)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	for (; errno == 0 && *s != '\0' && *end == '\0' && *allowed != 0;
	    allowed++)
		if (v == *allowed)
			return *allowed;
	mkdb_usage_error("bad %s \"%s\" (%s)", name, s, hint);
}

/* Names the option getopt_long has just refused: the argument itself for
 * a long option, "-c" (written into buf) for a short one, which may share
 * its argument with others. */
static const char *
mkdb_bad_option(char **argv, char buf[3])
{
	if (strncmp(argv[optind - 1], "--", 2) == 0)
		return argv[optind - 1];
	buf[0] = '-';
	buf[1] = (char)optopt;
	buf[2] = '\0';
	return buf;
}

/* Builds the options from argv; exits 0 after --help or --version and 2 on
 * a usage error. */
static void
mkdb_options_parse(int argc, char **argv, struct mkdb_options *o)
{
	static const struct option longopts[] = {
		{ "record-size", required_argument, NULL, 'r' },
		{ "ip-version", required_argument, NULL, 'i' },
		{ "database-type", required_argument, NULL, 't' },
		{ "description", required_argument, NULL, 'd' },
		{ "csv", required_argument, NULL, 'c' },
		{ "tor-geoip", required_argument, NULL, 'g' },
		{ "tor-geoip6", required_argument, NULL, 'G' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static const unsigned sizes[] = { 24, 28, 32, 0 };
	static const unsigned versions[] = { 4, 6, 0 };
	char short_opt[3];
	int c;

	memset(o, 0, sizeof *o);
	o->record_size = RECORD_SIZE_DEFAULT;
	o->ip_version = 6;
	/* Every argument could be an input: argc bounds their number. */
	if ((o->sources = calloc((size_t)argc, sizeof *o->sources)) == NULL) {
		perror(PROG);
		exit(1);
	}
	opterr = 0;	/* getopt's messages would name argv[0], not PROG */
	while ((c = getopt_long(argc, argv, ":o:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			o->record_size = mkdb_parse_choice("record size",
			    "24, 28 or 32", optarg, sizes);
			break;
		case 'i':
			o->ip_version = (int)mkdb_parse_choice("IP version",
			    "4 or 6", optarg, versions);
			break;
		case 't':
			o->database_type = optarg;
			break;
		case 'd':
			o->description = optarg;
			break;
		case 'c':
		case 'g':
		case 'G':
			o->sources[o->nsources].fmt = c == 'c' ? MKDB_CSV :
			    c == 'g' ? MKDB_TOR4 : MKDB_TOR6;
			o->sources[o->nsources++].path = optarg;
			break;
		case 'o':
			o->output = optarg;
			break;
		case 'h':
			printf("%s%s", usage_text, help_text);
			exit(fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1);
		case 'V':
			printf(PROG " (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			exit(fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1);
		case ':':
			mkdb_usage_error("option \"%s\" needs an argument",
			    mkdb_bad_option(argv, short_opt));
		default:
			mkdb_usage_error("unknown option \"%s\"",
			    mkdb_bad_option(argv, short_opt));
		}
	}
	if (optind < argc)
		mkdb_usage_error("unexpected argument \"%s\"", argv[optind]);
	if (o->nsources == 0)
		mkdb_usage_error("no input (--csv, --tor-geoip, --tor-geoip6)");
	if (o->output == NULL || o->output[0] == '\0')
		mkdb_usage_error("no output file (-o)");
	for (size_t i = 0; i < o->nsources; i++)
		if (o->ip_version == 4 && o->sources[i].fmt == MKDB_TOR6)
			mkdb_usage_error("--tor-geoip6=%s needs --ip-version=6",
			    o->sources[i].path);
}

/* The metadata database_type: the user's, or one named for the data. */
static const char *
mkdb_database_type(const struct mkdb_options *o,
    const struct mkdb_input_stats *st)
{
	if (o->database_type != NULL)
		return o->database_type;
	if (st->has_asn && st->has_country)
		return "logscrub-GeoLite2-Country-ASN";
	if (st->has_asn)
		return "logscrub-GeoLite2-ASN";
	return "logscrub-GeoLite2-Country";
}

/* Fills buf with the metadata description: the user's text or a default,
 * followed by the IPFire attribution whenever a tor-geoipdb file was read
 * (its licence asks for it, so --description cannot drop it). */
static void
mkdb_description(const struct mkdb_options *o, char buf[DESCRIPTION_LEN])
{
	int tor = 0;

	for (size_t i = 0; i < o->nsources; i++)
		tor |= o->sources[i].fmt != MKDB_CSV;
	snprintf(buf, DESCRIPTION_LEN, "%s%s%s",
	    o->description != NULL ? o->description :
	    "IP geolocation database written by " PROG ".",
	    tor ? " " : "", tor ? IPFIRE_NOTICE : "");
}

/* build_epoch: $SOURCE_DATE_EPOCH when set (reproducible builds), else now.
 * Zero is ignored: libmaxminddb 1.7 calls such metadata invalid. */
static uint64_t
mkdb_build_epoch(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	unsigned long long v;

	if (s != NULL && *s != '\0') {
		errno = 0;
		v = strtoull(s, &end, 10);
		if (errno == 0 && *end == '\0' && v > 0)
			return v;
	}
	return (uint64_t)time(NULL);
}

/* Removes the temporary output file on SIGINT, SIGTERM, SIGHUP or SIGPIPE,
 * then dies of the same signal. */
static void
mkdb_on_signal(int sig)
{
	if (mkdb_tmp_path != NULL)
		unlink(mkdb_tmp_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Writes the database to a temporary file beside o->output (so rename(2)
 * stays within one file system), syncs it and renames it into place: the
 * output is either the old file or the whole new one, never a part.
 * Returns 0, or -1 after printing the error; the temporary file is gone
 * either way. */
static int
mkdb_write_atomic(const struct mkdb_options *o, struct mmdbw *w,
    const struct mmdbw_meta *meta)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
	const char *slash = strrchr(o->output, '/');
	size_t dirlen = slash != NULL ? (size_t)(slash - o->output) + 1 : 0;
	char *tmp;
	FILE *f = NULL;
	mode_t mask;
	int fd, ret = -1;

	if ((tmp = malloc(strlen(o->output) + sizeof ".XXXXXX" + 1)) == NULL) {
		fprintf(stderr, PROG ": %s: %s\n", o->output, strerror(errno));
		return -1;
	}
	sprintf(tmp, "%.*s.%s.XXXXXX", (int)dirlen, o->output,
	    o->output + dirlen);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		signal(sigs[i], mkdb_on_signal);
	if ((fd = mkstemp(tmp)) == -1)
		goto fail_free;
	mkdb_tmp_path = tmp;
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) == -1 ||
	    (f = fdopen(fd, "wb")) == NULL) {
		close(fd);
		goto fail;
	}
	if (mmdbw_write(w, meta, f) == -1) {
		if (errno == EOVERFLOW)
			fprintf(stderr, PROG ": %s: too much data for record "
			    "size %u; try a larger --record-size\n", o->output,
			    meta->record_size);
		else
			fprintf(stderr, PROG ": %s: %s\n", o->output,
			    strerror(errno));
		fclose(f);
		unlink(tmp);
		goto done;
	}
	if (fflush(f) == EOF || fsync(fileno(f)) == -1) {
		fclose(f);
		goto fail;
	}
	if (fclose(f) == EOF || rename(tmp, o->output) == -1)
		goto fail;
	ret = 0;
	goto done;
fail:
	fprintf(stderr, PROG ": %s: %s\n", o->output, strerror(errno));
	unlink(tmp);
	goto done;
fail_free:
	fprintf(stderr, PROG ": %s: %s\n", o->output, strerror(errno));
done:
	mkdb_tmp_path = NULL;
	free(tmp);
	return ret;
}

int
main(int argc, char **argv)
{
	struct mkdb_options o;
	struct mkdb_input_stats st = { 0, 0, 0, 0 };
	struct mmdbw *w;
	struct mmdbw_meta meta;
	char err[MKDB_ERR_LEN], desc[DESCRIPTION_LEN];
	int status = 1;

	mkdb_options_parse(argc, argv, &o);
	if ((w = mmdbw_new(o.ip_version)) == NULL) {
		fprintf(stderr, PROG ": %s\n", strerror(errno));
		goto fail;
	}
	for (size_t i = 0; i < o.nsources; i++)
		if (mkdb_input_load(w, o.ip_version, o.sources[i].fmt,
		    o.sources[i].path, &st, err) == -1) {
			fprintf(stderr, PROG ": %s\n", err);
			goto fail;
		}
	mkdb_description(&o, desc);
	meta.record_size = o.record_size;
	meta.database_type = mkdb_database_type(&o, &st);
	meta.description = desc;
	meta.build_epoch = mkdb_build_epoch();
	if (mkdb_write_atomic(&o, w, &meta) == -1)
		goto fail;
	status = 0;
fail:
	mmdbw_free(w);
	free(o.sources);
	return status;
}
