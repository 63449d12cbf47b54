/*
 * epoch: the key epochs of --key-dir.  An epoch is a span of UTC time that
 * has one pseudonym key: a day (00:00:00 to 23:59:59 UTC), an ISO 8601 week
 * (Monday to Sunday, UTC) or a calendar month (UTC).  Epochs are numbered
 * so that consecutive epochs have consecutive numbers, and each has a name
 * that sorts by time and is the name of its key file without ".key":
 *   day    2026-11-24   number floor(t / 86400)
 *   week   2026-W48     ISO week-numbering year and week (the year of the
 *                       week's Thursday), number floor((days + 3) / 7)
 *   month  2026-11      number year * 12 + month - 1
 */
#ifndef LOGSCRUB_EPOCH_H
#define LOGSCRUB_EPOCH_H

#include <stddef.h>
#include <stdint.h>

enum epoch_kind { EPOCH_DAY, EPOCH_WEEK, EPOCH_MONTH };

/* Room for an epoch name and its NUL: "2026-11-24", and room enough for
 * any int64_t year, so that no name is ever cut. */
#define EPOCH_NAMELEN 32

int64_t epoch_of(enum epoch_kind kind, int64_t t);
int64_t epoch_start(enum epoch_kind kind, int64_t e);
void epoch_name(enum epoch_kind kind, int64_t e, char out[EPOCH_NAMELEN]);
int epoch_parse(enum epoch_kind kind, const char *s, size_t n, int64_t *e);

#endif
