/*
 * filter: the per-line pipeline.
 */
#include "config.h"

#include "filter.h"

#include <string.h>

#include "anon.h"
#include "fields.h"
#include "ip.h"
#include "timestamp.h"

/* No retention options: every line anonymised, by the fixed policy and key. */
static const struct retention_policy no_retention = {
	.max_age = RETENTION_UNSET, .raw_for = RETENTION_UNSET,
};

/* Point the scanner at the key of epoch, or at the keyless policy when the
 * epoch's key was destroyed or cannot be had (fail closed: truncated,
 * never a pseudonym from a new key). */
static void
line_key(struct filter *f, int64_t epoch)
{
	const struct pseudo *ps;

	if (keyring_get(f->kr, epoch, &ps) == KEYRING_KEY) {
		f->sc.pol = f->pol;
		f->sc.ps = ps;
	} else {
		f->sc.pol = &f->expired;
		f->lines_expired++;
	}
}

/* The geo fields of a line and the offset in the line they go before. */
struct geo_insert {
	char text[GEO_OUTLEN];
	size_t len, at;
};

/*
 * With --geo and a rule with "geo = PLACE:GROUP": when the line's first
 * span of that group is exactly one address that the policy does not keep,
 * its fields from the raw address in the form of the placement, and where
 * they go in p[0..n) (the whole line): end, before the end of line; json,
 * after the quote that closes the group; kv, at the first space or tab
 * after the group (or the next span, or the end of line).  gi->len stays 0
 * otherwise.
 */
static void
geo_prepare(struct filter *f, enum geo_place pl, const char *p, size_t n, struct geo_insert *gi)
{
	const struct rules_line *rl = &f->rl;
	const struct rules_span *s;
	size_t i, eol = n - (n > 0 && p[n - 1] == '\n'), lim, len;
	struct ip_addr raw;

	eol -= eol > 0 && eol < n && p[eol - 1] == '\r';
	for (i = 0; i < rl->nspans && !rl->span[i].act->geo; i++)
		;
	if (i == rl->nspans)
		return;
	s = &rl->span[i];
	len = s->to - s->from;
	if (len == 0 || (ip_parse4(p + s->from, len, &raw) != len && ip_parse6(p + s->from, len, &raw) != len) ||
	    anon_ip_kept(f->sc.pol, &raw))
		return;
	lim = i + 1 < rl->nspans ? rl->span[i + 1].from : eol;
	if (pl == GEO_PLACE_END) {
		gi->at = eol;
	} else if (pl == GEO_PLACE_JSON) {
		if (s->to >= lim || p[s->to] != '"')
			return;
		gi->at = s->to + 1;
	} else {
		for (gi->at = s->to; gi->at < lim && p[gi->at] != ' ' && p[gi->at] != '\t'; gi->at++)
			;
	}
	gi->len = geo_place(f->sc.geo, &raw, pl, gi->text);
}

/* The free-text scan of p[from..to), with the geo fields inserted when
 * their place is in it (once). */
static void
scan_part(struct filter *f, const char *p, size_t from, size_t to, struct geo_insert *gi, struct outbuf *o)
{
	if (gi->len > 0 && gi->at >= from && gi->at <= to) {
		scan_text(&f->sc, p + from, gi->at - from, o);
		outbuf_put(o, gi->text, gi->len);
		gi->len = 0;
		from = gi->at;
	}
	scan_text(&f->sc, p + from, to - from, o);
}

/*
 * Anonymise the line or piece p[0..n): when a rule matched the (whole)
 * line, each group by its action and every byte between groups (and the
 * newline) through the free-text scan, with the geo fields where the rule
 * places them (--geo); else the scan of it all.
 */
static void
line_scan(struct filter *f, const char *p, size_t n, struct outbuf *o)
{
	const struct rules_line *rl = &f->rl;
	struct geo_insert gi;
	size_t done = 0;

	if (rl->rule == NULL || rl->failed) {
		scan_text(&f->sc, p, n, o);
		return;
	}
	gi.len = 0;
	if (f->sc.geo != NULL && rules_geo(rl->rule) != GEO_PLACE_NONE)
		geo_prepare(f, rules_geo(rl->rule), p, n, &gi);
	for (size_t i = 0; i < rl->nspans; i++) {
		const struct rules_span *s = &rl->span[i];

		if (s->from > done || gi.len > 0)
			scan_part(f, p, done, s->from, &gi, o);
		fields_write(&f->sc, s->act, p + s->from, s->to - s->from, o);
		done = s->to;
	}
	scan_part(f, p, done, n, &gi, o);
}

/* --explain: the name of the line's rule ("-" for none) and a tab. */
static void
put_explain(const struct filter *f, struct outbuf *o)
{
	const char *name = f->rl.rule && !f->rl.failed ? rules_rule_name(f->rl.rule) : "-";

	outbuf_put(o, name, strlen(name));
	outbuf_put(o, "\t", 1);
}

/* Write the line or piece p[0..n) by the verdict of its line. */
static void
line_out(struct filter *f, const char *p, size_t n, struct outbuf *o)
{
	if (f->verdict == RETENTION_ANON)
		line_scan(f, p, n, o);
	else if (f->verdict == RETENTION_RAW)
		outbuf_put(o, p, n);
}

/*
 * The first piece p[0..n) of a line, with retention: decide the line's fate
 * (f->verdict, its key, the counts), then write the piece.  The line's time
 * comes from ts_find() on its text; when format rules give a time group,
 * its span and format replace that one call
 * (ts_parse(group, len, fmt, f->now, &t) > 0).
 */
static void
line_first(struct filter *f, const char *p, size_t n, struct outbuf *o)
{
	int64_t t = 0;
	const struct rules_line *rl = &f->rl;
	bool dated = rl->time != NULL && !rl->failed ?
	    ts_parse(rl->time, rl->time_len, (enum ts_format)rl->time_format, f->now, &t) > 0 :
	    ts_find(p, n - (n > 0 && p[n - 1] == '\n'), f->now, &t) == 1;

	f->verdict = retention_judge(f->rp, f->now, dated, t);
	if (f->verdict == RETENTION_DROP)
		f->lines_dropped++;
	else
		f->lines_out++;
	if (f->verdict == RETENTION_ANON && f->kr != NULL)
		line_key(f, dated ? epoch_of(f->kr->kind, t) : f->now_epoch);
	if (f->explain && f->verdict != RETENTION_DROP)
		put_explain(f, o);
	line_out(f, p, n, o);
}

/* The first piece of a line without retention: counted, then scanned. */
static void
line_plain(struct filter *f, const char *p, size_t n, struct outbuf *o)
{
	f->lines_out++;
	if (f->explain)
		put_explain(f, o);
	line_scan(f, p, n, o);
}

/* Set up a filter with a policy, a key (NULL when every line's key comes
 * from a keyring), a name cache (may be NULL) and the geo databases (NULL:
 * no --geo); all outlive it.  No retention until filter_retention(). */
void
filter_init(struct filter *f, const struct anon_policy *pol, const struct pseudo *ps, struct namecache *names,
    struct geo *geo)
{
	*f = (struct filter){
		.sc = { .pol = pol, .ps = ps, .names = names, .geo = geo }, .pol = pol, .rp = &no_retention,
		.first = line_plain,
	};
	anon_expired(pol, &f->expired);
}

/*
 * Apply the retention policy rp, and take each line's key from kr (per
 * epoch) when kr is not NULL.  Reads the reference time.  rp and kr outlive
 * the filter.
 */
void
filter_retention(struct filter *f, const struct retention_policy *rp, struct keyring *kr)
{
	f->rp = rp;
	f->kr = kr;
	if (kr != NULL)
		kr->names = f->sc.names;
	f->use_time = kr != NULL || retention_uses_time(rp);
	f->first = f->use_time ? line_first : line_plain;
	f->now = retention_now(rp);
	if (kr != NULL)
		f->now_epoch = epoch_of(kr->kind, f->now);
}

/* Match lines against rs (NULL: free text only); explain: --explain.  The
 * reports of --check and --diff look at free text only: a filter with a
 * report hook uses no rules. */
void
filter_set_rules(struct filter *f, struct rules *rs, bool explain)
{
	f->rules = f->sc.report == NULL ? rs : NULL;
	f->explain = explain;
}

/*
 * Refresh the reference time from the clock (no-op with --now).  The stream
 * calls it once per read(2), so a long-running filter ages lines against a
 * clock at most one read behind at no cost per line.  When the current key
 * epoch changes, cached keys are dropped: a key that keys rotate destroyed
 * meanwhile is then no longer used.
 */
void
filter_tick(struct filter *f)
{
	if (f->rp->now_fixed || !f->use_time)
		return;
	f->now = retention_now(f->rp);
	if (f->kr != NULL && epoch_of(f->kr->kind, f->now) != f->now_epoch) {
		f->now_epoch = epoch_of(f->kr->kind, f->now);
		keyring_forget(f->kr);
	}
}

/*
 * Filter one line, or one piece of an overlong line (flags FILTER_MORE on
 * every piece but the last), and write the result to o.  Counts a line and
 * decides its fate when its first piece arrives (f->first: line_plain, or
 * line_first with retention; called through a pointer so that neither
 * path's registers cost the other anything); the later pieces follow.
 * A whole line (not a piece) is first matched against the format rules,
 * without its end of line.  Keeps line_off for reports (--check).
 */
void
filter_line(struct filter *f, const char *p, size_t n, unsigned flags, struct outbuf *o)
{
	bool first = !(f->prev_flags & FILTER_MORE);

	f->line_off = first ? 0 : f->next_off;
	if (flags & FILTER_MORE)
		f->next_off = f->line_off + n;
	f->prev_flags = flags;
	if (first) {
		f->lines_in++;
		f->rl.rule = NULL;
		f->rl.time = NULL;
		if (f->rules != NULL && !(flags & FILTER_MORE))
			rules_match(f->rules, p, n - (n > 0 && p[n - 1] == '\n') - (n > 1 && p[n - 1] == '\n' && p[n - 2] == '\r'), &f->rl);
		f->first(f, p, n, o);
	} else {
		line_out(f, p, n, o);
	}
}
