/*
 * rules: log-format rules (logscrub.rules(5)), compiled with PCRE2.
 *
 * A rule names a log format: a literal prefilter, a pattern whose match
 * identifies the format, optional fields patterns each applied again and again
 * over the rest of the line, and an action for each named group (ip, email,
 * user, host, time, scan, keep, redact).  rules_match() finds the rule of a
 * line and the spans its groups cover; the filter then writes the line with
 * each span transformed by its action and every byte outside the spans
 * through the free-text scan, so a rule can add to what is anonymised and
 * never take away from it.
 *
 * Everything is compiled once (JIT) at start; one match data and one match
 * context (match and depth limits) serve every line, so matching allocates
 * nothing.  A line on which PCRE2 fails (a limit, any error) has
 * rules_line.failed set (rules_line.rule may still name the rule that
 * failed): it gets the free-text scan of the whole line.
 */
#ifndef LOGSCRUB_RULES_H
#define LOGSCRUB_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "geo.h"

/* Room for an error message: "FILE:LINE:COLUMN: message". */
#define RULES_ERRLEN 1024
/* Most group spans recorded for one line; the bytes of further matches of a
 * fields pattern just get the free-text scan. */
#define RULES_SPANS_MAX 64
/* PCRE2 match limit (backtracking steps of one match attempt) and depth
 * limit (nested backtracking frames): far above what a sane rule needs on a
 * line, far below what a pathological pattern would burn. */
#define RULES_MATCH_LIMIT 100000
#define RULES_DEPTH_LIMIT 1000

/* What happens to the bytes of a group. */
enum rules_action {
	RULES_SCAN,		/* the free-text scan (also: a group without action) */
	RULES_IP,		/* an address; anything else in it gets the scan */
	RULES_EMAIL,		/* an email address: the scan, which knows them */
	RULES_USER,		/* a user name: keyed pseudonym */
	RULES_HOST,		/* a host name that may embed an address */
	RULES_TIME,		/* the line's timestamp: recorded, and scanned */
	RULES_KEEP,		/* copied as it is */
	RULES_REDACT,		/* replaced by the action's text */
};

/* The action of one group: arg is the host mode ("reduce",
 * "pseudonymise"), the time format name, or the redaction text;
 * time_format: for time, the format as an enum ts_format (timestamp.h);
 * geo: the group is the one its rule's "geo = PLACE:GROUP" names. */
struct rules_act {
	enum rules_action action;
	const char *arg;
	size_t arg_len;
	int time_format;
	bool geo;
};

/* One transformed group of a line: line[from..to). */
struct rules_span {
	size_t from, to;
	const struct rules_act *act;
};

struct rule;

/* What rules_match() found on one line. */
struct rules_line {
	const struct rule *rule;	/* NULL: no rule matched */
	bool failed;			/* PCRE2 failed (limit, error): scan it all */
	const char *time;		/* the time group, or NULL */
	size_t time_len;
	int time_format;		/* its format (enum ts_format) */
	struct rules_span span[RULES_SPANS_MAX];	/* by position, disjoint */
	size_t nspans;
};

/* A rule source: a file name (for messages) and its whole text. */
struct rules_source {
	const char *name;
	const char *text;
};

/* The bundled rules, generated from rules/ at build time; ends with
 * { NULL, NULL }. */
extern const struct rules_source rules_bundled[];

struct rules;

struct rules *rules_new(void);
void rules_free(struct rules *rs);
int rules_add_source(struct rules *rs, const struct rules_source *src, char err[RULES_ERRLEN]);
int rules_add_path(struct rules *rs, const char *path, char err[RULES_ERRLEN]);
int rules_compile(struct rules *rs, char err[RULES_ERRLEN]);
int rules_select(struct rules *rs, const char *format);
size_t rules_count(const struct rules *rs);
const char *rules_name(const struct rules *rs, size_t i);
const char *rules_description(const struct rules *rs, size_t i);
const char *rules_rule_name(const struct rule *r);
enum geo_place rules_geo(const struct rule *r);
void rules_match(struct rules *rs, const char *p, size_t n, struct rules_line *res);

#endif
