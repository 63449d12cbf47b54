/*
 * filter: the per-line pipeline.
 */
#include "config.h"

#include "filter.h"

/* Set up a filter with a policy, a key and a name cache (may be NULL);
 * all three outlive it. */
void
filter_init(struct filter *f, const struct anon_policy *pol, const struct pseudo *ps, struct namecache *names)
{
	*f = (struct filter){ .sc = { .pol = pol, .ps = ps, .names = names } };
}

/*
 * Filter one line, or one piece of an overlong line (flags FILTER_MORE on
 * every piece but the last), and write the result to o.  Counts a line when
 * its first piece arrives, and keeps line_off for reports (--check).
 */
void
filter_line(struct filter *f, const char *p, size_t n, unsigned flags, struct outbuf *o)
{
	if (!(f->prev_flags & FILTER_MORE)) {
		f->lines_in++;
		f->lines_out++;
		f->line_off = 0;
	} else {
		f->line_off = f->next_off;
	}
	if (flags & FILTER_MORE)
		f->next_off = f->line_off + n;
	f->prev_flags = flags;
	scan_text(&f->sc, p, n, o);
}
