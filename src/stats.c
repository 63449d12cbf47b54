/*
 * stats: counters to text or JSON.
 */
#include "config.h"

#include "stats.h"

#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

/* Note when the run began. */
void
stats_start(struct stats *s)
{
	clock_gettime(CLOCK_MONOTONIC, &s->start);
}

/* One kind of identifier: how many were found, changed and kept. */
struct kind_count {
	const char *kind, *action;	/* "ipv4", and what the policy does to it */
	uint64_t found, kept;
};

/* Write the counts of k: found, changed by the policy's action (unless
 * that is keep) and kept. */
static void
put_kind(FILE *fp, const struct kind_count *k, bool json)
{
	bool act = strcmp(k->action, "keep") != 0;

	if (json) {
		fprintf(fp, "\"%s\":{\"found\":%" PRIu64 ",", k->kind, k->found);
		if (act)
			fprintf(fp, "\"%s\":%" PRIu64 ",", k->action, k->found - k->kept);
		fprintf(fp, "\"keep\":%" PRIu64 "}", k->kept);
		return;
	}
	fprintf(fp, "logscrub: %s: %" PRIu64 " found, ", k->kind, k->found);
	if (act)
		fprintf(fp, "%" PRIu64 " %s, ", k->found - k->kept, k->action);
	fprintf(fp, "%" PRIu64 " keep\n", k->kept);
}

/*
 * Write the statistics of filter f so far (and bytes_out, the bytes of
 * output) to fp in format (text or json), one report per call.
 */
void
stats_print(const struct stats *s, enum options_stats format, const struct filter *f,
    unsigned long long bytes_out, FILE *fp)
{
	const struct scan_counts *n = &f->sc.counts;
	const struct anon_policy *pol = f->sc.pol;
	const struct kind_count k[] = {
		{ "ipv4", anon_ip_names[pol->ip], n->ipv4, n->ipv4_kept },
		{ "ipv6", anon_ip_names[pol->ip], n->ipv6, n->ipv6_kept },
		{ "email", anon_email_names[pol->email], n->email, n->email_kept },
	};
	uint64_t dropped = f->lines_in - f->lines_out;
	struct timespec now;
	double secs, mbs;

	clock_gettime(CLOCK_MONOTONIC, &now);
	secs = (double)(now.tv_sec - s->start.tv_sec) + (double)(now.tv_nsec - s->start.tv_nsec) / 1e9;
	mbs = secs > 0 ? (double)f->bytes_in / secs / 1e6 : 0;
	if (format == OPTIONS_STATS_JSON) {
		fprintf(fp, "{\"lines_in\":%" PRIu64 ",\"lines_out\":%" PRIu64 ",\"lines_dropped\":%" PRIu64
		    ",\"identifiers\":{", f->lines_in, f->lines_out, dropped);
		for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
			fputs(i ? "," : "", fp);
			put_kind(fp, &k[i], true);
		}
		fprintf(fp, "},\"bytes_in\":%" PRIu64 ",\"bytes_out\":%llu,\"elapsed_s\":%.3f,\"mb_per_s\":%.1f}\n",
		    f->bytes_in, bytes_out, secs, mbs);
	} else {
		fprintf(fp, "logscrub: lines: %" PRIu64 " in, %" PRIu64 " out, %" PRIu64 " dropped\n",
		    f->lines_in, f->lines_out, dropped);
		for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
			put_kind(fp, &k[i], false);
		fprintf(fp, "logscrub: bytes: %" PRIu64 " in, %llu out; %.3f s, %.1f MB/s\n",
		    f->bytes_in, bytes_out, secs, mbs);
	}
	fflush(fp);
}
