/*
 * stats: --stats, at exit and on SIGUSR1, on standard error.  Lines in, out
 * and dropped, identifiers found by kind and by what was done to them,
 * bytes in and out, elapsed time and throughput; as text for a person, or
 * as one JSON object per report (--stats=json) for monitoring.
 */
#ifndef LOGSCRUB_STATS_H
#define LOGSCRUB_STATS_H

#include <stdio.h>
#include <time.h>

#include "filter.h"
#include "options.h"

/* When the run began (CLOCK_MONOTONIC). */
struct stats {
	struct timespec start;
};

void stats_start(struct stats *s);
void stats_print(const struct stats *s, enum options_stats format, const struct filter *f,
    unsigned long long bytes_out, FILE *fp);

#endif
