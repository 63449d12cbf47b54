/*
 * filter: the per-line pipeline.
 */
#include "config.h"

#include "filter.h"

#include <string.h>

#include "fields.h"

/* Set up a filter with a policy, a key and a name cache (may be NULL);
 * all three outlive it. */
void
filter_init(struct filter *f, const struct anon_policy *pol, const struct pseudo *ps, struct namecache *names)
{
	*f = (struct filter){ .sc = { .pol = pol, .ps = ps, .names = names } };
}

/* Match lines against rs (NULL: free text only); explain: --explain. */
void
filter_set_rules(struct filter *f, struct rules *rs, bool explain)
{
	f->rules = rs;
	f->explain = explain;
}

/*
 * The rule step of one whole line p[0..n): find its rule, write each group
 * by its action and every byte between groups (and the newline) through
 * the free-text scan.  A line without a rule, or on which PCRE2 failed,
 * gets the scan of the whole line.
 */
static void
filter_rules(struct filter *f, const char *p, size_t n, struct outbuf *o)
{
	struct rules_line *rl = &f->rl;
	size_t m = n, done = 0;

	if (m > 0 && p[m - 1] == '\n')
		m--;
	if (m > 0 && p[m - 1] == '\r')
		m--;
	rules_match(f->rules, p, m, rl);
	if (f->explain) {
		const char *name = rl->rule && !rl->failed ? rules_rule_name(rl->rule) : "-";

		outbuf_put(o, name, strlen(name));
		outbuf_put(o, "\t", 1);
	}
	if (rl->rule == NULL || rl->failed) {
		scan_text(&f->sc, p, n, o);
		return;
	}
	for (size_t i = 0; i < rl->nspans; i++) {
		const struct rules_span *s = &rl->span[i];

		scan_text(&f->sc, p + done, s->from - done, o);
		fields_write(&f->sc, s->act, p + s->from, s->to - s->from, o);
		done = s->to;
	}
	scan_text(&f->sc, p + done, n - done, o);
}

/*
 * Filter one line, or one piece of an overlong line (flags FILTER_MORE on
 * every piece but the last), and write the result to o.  Counts a line when
 * its first piece arrives.
 */
void
filter_line(struct filter *f, const char *p, size_t n, unsigned flags, struct outbuf *o)
{
	bool first = !(f->prev_flags & FILTER_MORE);

	if (first) {
		f->lines_in++;
		f->lines_out++;
	}
	f->prev_flags = flags;
	if (f->rules != NULL && first && !(flags & FILTER_MORE)) {
		filter_rules(f, p, n, o);
		return;
	}
	f->rl.rule = NULL;
	f->rl.time = NULL;
	if (f->explain && first)
		outbuf_put(o, "-\t", 2);
	scan_text(&f->sc, p, n, o);
}
