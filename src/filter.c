/*
 * filter: the per-line pipeline.
 */
#include "config.h"

#include "filter.h"

/* Set up a filter with a policy, a key, a name cache (may be NULL) and the
 * geo databases (NULL: no --geo); all outlive it. */
void
filter_init(struct filter *f, const struct anon_policy *pol, const struct pseudo *ps, struct namecache *names,
    struct geo *geo)
{
	*f = (struct filter){ .sc = { .pol = pol, .ps = ps, .names = names, .geo = geo } };
}

/* Reload what the filter reads from files (SIGHUP): the geo databases.
 * Returns 0, or -1 with a message in err, the old ones still in use. */
int
filter_reload(struct filter *f, char err[GEO_ERRLEN])
{
	return f->sc.geo != NULL ? geo_reload(f->sc.geo, err) : 0;
}

/*
 * Filter one line, or one piece of an overlong line (flags FILTER_MORE on
 * every piece but the last), and write the result to o.  Counts a line when
 * its first piece arrives.
 */
void
filter_line(struct filter *f, const char *p, size_t n, unsigned flags, struct outbuf *o)
{
	if (!(f->prev_flags & FILTER_MORE)) {
		f->lines_in++;
		f->lines_out++;
	}
	f->prev_flags = flags;
	scan_text(&f->sc, p, n, o);
}
