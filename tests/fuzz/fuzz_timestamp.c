/*
 * libFuzzer target for timestamp and duration: every format of ts_parse,
 * TS_AUTO and ts_find on the input as it is (libFuzzer's buffer is exactly
 * size bytes, so AddressSanitizer catches any read past n), and
 * duration_parse on a NUL-terminated copy.  Beyond memory errors it checks
 * the contract: nothing consumed beyond size, and every time returned within
 * the range four-digit years allow.
 * Seeds: tests/fuzz/corpus/timestamp/.
 */
#include "config.h"

#include "duration.h"
#include "timestamp.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Reference time for RFC 3164 year inference: 2026-11-24T12:00:00Z. */
#define FUZZ_REF INT64_C(1795521600)

/* Earliest and latest times any format can give: 0000-01-01T00:00:00+23:59
 * and 9999-12-31T23:59:60-23:59. */
#define FUZZ_MIN_TIME (INT64_C(-62167219200) - 86400)
#define FUZZ_MAX_TIME (INT64_C(253402300800) + 86400)

/* Longest input copied for duration_parse: durations are short. */
#define FUZZ_DURATION_MAX 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_check_time(int64_t t)
{
	if (t < FUZZ_MIN_TIME || t > FUZZ_MAX_TIME)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	char buf[FUZZ_DURATION_MAX + 1];
	int64_t t, d;
	size_t got;
	int f;

	for (f = TS_AUTO; f <= TS_FORMAT_LAST; f++) {
		got = ts_parse(p, size, (enum ts_format)f, FUZZ_REF, &t);
		if (got > size)
			abort();
		if (got != 0)
			fuzz_check_time(t);
	}
	if (ts_find(p, size, FUZZ_REF, &t))
		fuzz_check_time(t);
	if (size <= FUZZ_DURATION_MAX) {
		memcpy(buf, data, size);
		buf[size] = '\0';
		if (duration_parse(buf, &d) == 0 && (d < 0 || d > DURATION_MAX))
			abort();
	}
	return 0;
}
