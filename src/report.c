/*
 * report: the --check list and the --diff pairs.
 */
#include "config.h"

#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ip.h"
#include "pseudo.h"

/* Terminal colours of --diff: the old line, the new line, and a change
 * (reverse video on top of the line's colour). */
#define COLOUR_MINUS "\033[31m"
#define COLOUR_PLUS "\033[32m"
#define COLOUR_CHANGE "\033[7m"
#define COLOUR_CHANGE_END "\033[27m"
#define COLOUR_END "\033[m"

static const char *const kind_names[] = { "ipv4", "ipv6", "email" };

/* True when the identifier of hit h in text is raw: a run would change it,
 * and it is no pseudonym of logscrub's (see report.h). */
static bool
is_raw(const char *text, const struct scan_hit *h)
{
	const char *s = text + h->from;
	size_t n = h->to - h->from, hl = sizeof ANON_HASH_DOMAIN - 1;
	struct ip_addr a;

	if (h->rep == NULL || (h->rep_len == n && memcmp(h->rep, s, n) == 0))
		return false;
	switch (h->kind) {
	case SCAN_IPV4:
		return !(ip_parse4(s, n, &a) == n && pseudo_ip_is(&a));
	case SCAN_IPV6:
		return !(ip_parse6(s, n, &a) == n && pseudo_ip_is(&a));
	default:
		if (pseudo_name_is(s, n))
			return false;
		/* a whole-address pseudonym: NAME@pseudonym.invalid (or %40) */
		if (n > hl && memcmp(s + n - hl, ANON_HASH_DOMAIN, hl) == 0) {
			n -= hl;
			if (n > 1 && s[n - 1] == '@' && pseudo_name_is(s, n - 1))
				return false;
			if (n > 3 && memcmp(s + n - 3, "%40", 3) == 0 && pseudo_name_is(s, n - 3))
				return false;
		}
		return true;
	}
}

/* --check: list the identifier of h if it is raw. */
static void
check_hit(void *arg, const char *text, const struct scan_hit *h)
{
	struct report *r = arg;

	if (!is_raw(text, h))
		return;
	r->found++;
	fprintf(r->out, "%s:%llu:%llu %s\n", r->name,
	    (unsigned long long)(r->f->lines_in - r->line_base),
	    (unsigned long long)(r->f->line_off + h->from + 1), kind_names[h->kind]);
}

/* --check needs nothing at the end of a text. */
static void
check_end(void *arg, const char *text, size_t n)
{
	(void)arg, (void)text, (void)n;
}

/* Append p[0..n) to the line l; on ENOMEM, note it in r. */
static void
line_add(struct report *r, struct report_line *l, const char *p, size_t n)
{
	if (l->len + n > l->cap) {
		size_t cap = (l->len + n) * 2;
		char *q = realloc(l->p, cap);

		if (q == NULL) {
			r->err = ENOMEM;
			return;
		}
		l->p = q, l->cap = cap;
	}
	memcpy(l->p + l->len, p, n);
	l->len += n;
}

/* Append the change text[from..to) -> rep to both lines of r. */
static void
diff_change(struct report *r, const char *text, const struct scan_hit *h)
{
	line_add(r, &r->minus, text + r->done, h->from - r->done);
	line_add(r, &r->plus, text + r->done, h->from - r->done);
	if (r->colour) {
		line_add(r, &r->minus, COLOUR_CHANGE, sizeof COLOUR_CHANGE - 1);
		line_add(r, &r->plus, COLOUR_CHANGE, sizeof COLOUR_CHANGE - 1);
	}
	line_add(r, &r->minus, text + h->from, h->to - h->from);
	line_add(r, &r->plus, h->rep, h->rep_len);
	if (r->colour) {
		line_add(r, &r->minus, COLOUR_CHANGE_END, sizeof COLOUR_CHANGE_END - 1);
		line_add(r, &r->plus, COLOUR_CHANGE_END, sizeof COLOUR_CHANGE_END - 1);
	}
	r->done = h->to;
}

/* --diff: note the change of h, if it is one. */
static void
diff_hit(void *arg, const char *text, const struct scan_hit *h)
{
	struct report *r = arg;

	if (h->rep != NULL && (h->rep_len != h->to - h->from || memcmp(h->rep, text + h->from, h->rep_len) != 0))
		diff_change(r, text, h);
}

/* Write "-" or "+", the line l without its newline, and a newline. */
static void
diff_put(struct report *r, char sign, const struct report_line *l)
{
	size_t n = l->len;

	if (n > 0 && l->p[n - 1] == '\n')
		n--;
	fprintf(r->out, "%s%c%.*s%s\n", r->colour ? (sign == '-' ? COLOUR_MINUS : COLOUR_PLUS) : "",
	    sign, (int)n, l->p, r->colour ? COLOUR_END : "");
}

/* --diff: at the end of a text with a change, write the pair. */
static void
diff_end(void *arg, const char *text, size_t n)
{
	struct report *r = arg;

	if (r->done > 0) {
		line_add(r, &r->minus, text + r->done, n - r->done);
		line_add(r, &r->plus, text + r->done, n - r->done);
		fprintf(r->out, "@@ %s:%llu @@\n", r->name,
		    (unsigned long long)(r->f->lines_in - r->line_base));
		if (r->err == 0) {
			diff_put(r, '-', &r->minus);
			diff_put(r, '+', &r->plus);
		}
	}
	r->done = 0;
	r->minus.len = r->plus.len = 0;
}

/* Set up the report of the given mode (not OPTIONS_REPORT_NONE) on the
 * lines of f, written to out; colour for --diff on a terminal. */
void
report_init(struct report *r, enum options_report mode, const struct filter *f, FILE *out, bool colour)
{
	*r = (struct report){ .out = out, .colour = colour, .f = f, .name = "-" };
	r->hook = mode == OPTIONS_REPORT_CHECK ?
	    (struct scan_report){ check_hit, check_end, r } :
	    (struct scan_report){ diff_hit, diff_end, r };
}

/* A new input begins, called name in the report; its lines count from 1. */
void
report_input(struct report *r, const char *name)
{
	r->name = name;
	r->line_base = r->f->lines_in;
}

/* Release the lines of --diff. */
void
report_free(struct report *r)
{
	free(r->minus.p);
	free(r->plus.p);
}
