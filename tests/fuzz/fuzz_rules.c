/*
 * libFuzzer target for the rules parser and matcher: the input (up to its
 * first NUL) is the text of a rules file, given to rules_add_source() as an
 * in-memory source as the bundled rules are, then rules_compile().  When it
 * compiles, rules_match() runs on a few fixed log lines and on the input
 * itself (libFuzzer's buffer is exactly size bytes, so AddressSanitizer
 * catches any read past it).  Beyond memory errors, leaks and hangs (the
 * match and depth limits must bound every line) it checks the contract of
 * each match:
 *   - at most RULES_SPANS_MAX spans, each inside the line, in order and
 *     disjoint, each with an action;
 *   - a time group lies inside the line and has a format; a rule found
 *     has a name.  A failed line may keep the rule that failed and the
 *     spans found before the failure (try_rule(); the filter ignores both
 *     when failed is set), so failed alone is not checked against them.
 * Any violation aborts, which libFuzzer reports as a crash.
 * Seeds: tests/fuzz/corpus/rules/ (the bundled rules and broken ones).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Lines of the formats the bundled rules know, and one of none. */
static const char *const fuzz_lines[] = {
	"Nov 24 10:00:01 mail postfix/smtpd[123]: connect from unknown[192.0.2.7]",
	"Nov 24 10:00:01 host sshd[42]: Failed password for invalid user bob from 2001:db8::1 port 22 ssh2",
	"192.0.2.1 - alice [24/Nov/2026:10:00:01 +0000] \"GET /?mail=a@example.org HTTP/1.1\" 200 5 \"-\" \"-\"",
	"<34>1 2026-11-24T10:00:01Z s166-62-100-187 app - - [x a=\"b\\\"c\"] hello",
	"no rule here, only 10.1.2.3",
	"",
};

/* Abort unless res is a well-formed match of line[0..n). */
static void
fuzz_check(const char *line, size_t n, const struct rules_line *res)
{
	size_t end = 0;

	if (res->nspans > RULES_SPANS_MAX)
		abort();
	if (res->rule != NULL && rules_rule_name(res->rule) == NULL)
		abort();
	for (size_t i = 0; i < res->nspans; i++) {
		const struct rules_span *s = &res->span[i];

		if (s->from < end || s->from > s->to || s->to > n || s->act == NULL)
			abort();
		end = s->to;
	}
	if (res->time != NULL && (res->time < line || res->time_len > n ||
	    (size_t)(res->time - line) > n - res->time_len || res->time_format < 0))
		abort();
}

/* Match line[0..n) and check what was found. */
static void
fuzz_match(struct rules *rs, const char *line, size_t n)
{
	struct rules_line res;

	rules_match(rs, line, n, &res);
	fuzz_check(line, n, &res);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[RULES_ERRLEN];
	char *text = malloc(size + 1);
	struct rules_source src = { "fuzz.rules", text };
	struct rules *rs = rules_new();

	if (text == NULL || rs == NULL)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	err[0] = '\0';
	if (rules_add_source(rs, &src, err) == 0 && rules_compile(rs, err) == 0) {
		for (size_t i = 0; i < rules_count(rs); i++)
			if (rules_name(rs, i) == NULL)
				abort();
		for (size_t i = 0; i < sizeof fuzz_lines / sizeof *fuzz_lines; i++)
			fuzz_match(rs, fuzz_lines[i], strlen(fuzz_lines[i]));
		fuzz_match(rs, (const char *)data, size);
	} else if (err[0] == '\0') {
		abort();	/* a failure must say why */
	}
	rules_free(rs);
	free(text);
	return 0;
}
