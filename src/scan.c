/*
 * scan: the free-text detector and rewriter.  See scan.h for what it finds.
 */
#include "config.h"

#include "scan.h"

#include <stdbool.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "chars.h"

/* Longest domain literal "[...]" after an '@': "[IPv6:" and a dotted IPv6. */
#define DOMAIN_LITERAL_MAX 64
/* Digits of a port written as a fifth dotted part (dante: 198.51.100.131.50550). */
#define DOTTED_PORT_MAX 5

/* Where the scan of one text stands. */
struct cursor {
	struct scan *sc;
	const unsigned char *s;
	size_t n;
	size_t done;		/* s[0..done) has been written */
	size_t mail_floor;	/* a local part may not start before this */
	struct outbuf *o;
};

/* Tell the reporting hook about s[from..to) (callers test that there is
 * one: the normal path pays one test per identifier, nothing more). */
static void
report(struct cursor *c, enum scan_kind kind, size_t from, size_t to, const char *rep, size_t l)
{
	const struct scan_report *r = c->sc->report;
	struct scan_hit h = { kind, from, to, rep, l };

	r->hit(r->arg, (const char *)c->s, &h);
}

/* Write s[done..from) and then the replacement rep[0..l); done = to. */
static void
replace(struct cursor *c, size_t from, size_t to, const char *rep, size_t l)
{
	outbuf_put(c->o, (const char *)c->s + c->done, from - c->done);
	outbuf_put(c->o, rep, l);
	c->done = to;
}

/*
 * Count the address *a and write its replacement to rep (SCAN_OUTLEN
 * bytes): by the policy and, when geo is set (free text with --geo), by the
 * --ip-format template, whose lookup takes the full address before
 * anon_ip() changes it.  Returns the length, or 0 when the policy keeps the
 * address as it is.  Also used for the ip fields of a rule (geo false:
 * a field keeps its format).
 */
size_t
scan_ip(struct scan *sc, struct ip_addr *a, char *rep, bool geo)
{
	bool v4 = a->form == IP_FORM_V4;

	if (v4)
		sc->counts.ipv4++;
	else
		sc->counts.ipv6++;
	if (anon_ip_kept(sc->pol, a)) {
		if (v4)
			sc->counts.ipv4_kept++;
		else
			sc->counts.ipv6_kept++;
		return 0;
	}
	if (geo && sc->geo != NULL) {
		const struct ip_addr raw = *a;
		char ip[ANON_OUTLEN];
		size_t l = anon_ip(sc->pol, sc->ps, a, ip);

		return geo_format(sc->geo, &raw, ip, l, rep);
	}
	return anon_ip(sc->pol, sc->ps, a, rep);
}

/* True when s[i] exists and has a class in mask. */
static inline bool
at_is(const struct cursor *c, size_t i, unsigned mask)
{
	return i < c->n && chars_is(c->s[i], mask);
}

/* True when s[from..to) is a domain of an email: a [literal], a dotted
 * quad, or dot-separated labels of which one holds a letter. */
static bool
domain_ok(const struct cursor *c, size_t from, size_t to)
{
	struct ip_addr a;
	bool letter = false, empty = true;

	if (from == to)
		return false;
	if (c->s[from] == '[')
		return true;
	if (ip_parse4((const char *)c->s + from, to - from, &a) == to - from)
		return true;
	for (size_t i = from; i < to; i++) {
		if (c->s[i] == '.') {
			if (empty)
				return false;
			empty = true;
			continue;
		}
		empty = false;
		if (!chars_is(c->s[i], CH_DIGIT) && c->s[i] != '-')
			letter = true;
	}
	return letter;
}

/* End of the domain that starts at s[from]: a "[literal]" or a run of
 * domain bytes without trailing '.' or '-'. */
static size_t
domain_end(const struct cursor *c, size_t from)
{
	size_t e = from;

	if (from < c->n && c->s[from] == '[') {
		for (e = from + 1; e < c->n && e - from < DOMAIN_LITERAL_MAX; e++)
			if (c->s[e] == ']')
				return e + 1;
		return from;
	}
	while (at_is(c, e, CH_DOMAIN))
		e++;
	while (e > from && (c->s[e - 1] == '.' || c->s[e - 1] == '-'))
		e--;
	return e;
}

/* True when the IPv4 address ending at s[to] is the local part of an
 * email the policy replaces: "@" or "%40" and a domain follow.  scan_email
 * then takes the local part whole (its bytes are all atext), so
 * 1.2.3.4@example.org is pseudonymised as an email, not truncated to
 * 1.2.3.0@example.org.  Under --email=keep the address is anonymised. */
static bool
ip_is_local_part(const struct cursor *c, size_t to)
{
	size_t sep;

	if (c->sc->pol->email == ANON_EMAIL_KEEP || to >= c->n)
		return false;
	if (c->s[to] == '@')
		sep = 1;
	else if (to + 2 < c->n && c->s[to] == '%' && c->s[to + 1] == '4' && c->s[to + 2] == '0')
		sep = 3;
	else
		return false;
	return domain_ok(c, to + sep, domain_end(c, to + sep));
}

/* Apply the policy to the address *a found at s[from..to).  An IPv4
 * address that is an email's local part is left to scan_email.  An
 * address that comes out as it went in (--ipv4-prefix=32, 0.0.0.0
 * redacted) is left unwritten, like a kept one, so that nothing stops an
 * email around it from being found. */
static void
emit_ip(struct cursor *c, size_t from, size_t to, struct ip_addr *a)
{
	enum scan_kind kind = a->form == IP_FORM_V4 ? SCAN_IPV4 : SCAN_IPV6;
	char rep[SCAN_OUTLEN];
	size_t l;

	if (kind == SCAN_IPV4 && ip_is_local_part(c, to))
		return;
	l = scan_ip(c->sc, a, rep, true);
	if (c->sc->report != NULL)
		report(c, kind, from, to, l > 0 ? rep : NULL, l);
	if (l > 0 && (l != to - from || memcmp(rep, c->s + from, l) != 0))
		replace(c, from, to, rep, l);
}

/* An IPv6 address at s[q..end): its length if it parses and its boundaries
 * hold (no letter or '_' on either side, no ".digit" after), else 0. */
static size_t
try_ip6(const struct cursor *c, size_t q, size_t end, struct ip_addr *a)
{
	size_t l = ip_parse6((const char *)c->s + q, end - q, a);

	if (l == 0 || (l == 2 && c->s[q] == ':'))
		return 0;
	if (q > 0 && chars_is(c->s[q - 1], CH_WORD))
		return 0;
	if (at_is(c, q + l, CH_WORD) ||
	    (at_is(c, q + l, CH_DOT) && at_is(c, q + l + 1, CH_DIGIT)))
		return 0;
	return l;
}

/* An IPv4 address at s[q..end): its length if it is a dotted quad that the
 * run does not continue with more dotted numbers (one ".port" of at most
 * DOTTED_PORT_MAX digits is allowed), else 0. */
static size_t
try_ip4(const struct cursor *c, size_t q, size_t end, struct ip_addr *a)
{
	size_t l = ip_parse4((const char *)c->s + q, end - q, a), e, d;

	if (l == 0)
		return 0;
	e = q + l;
	if (!(at_is(c, e, CH_DOT) && at_is(c, e + 1, CH_DIGIT)))
		return l;
	for (d = 0; at_is(c, e + 1 + d, CH_DIGIT); d++)
		;
	if (d > DOTTED_PORT_MAX ||
	    (at_is(c, e + 1 + d, CH_DOT) && at_is(c, e + 2 + d, CH_DIGIT)))
		return 0;
	return l;
}

/*
 * Look for addresses in the run s[start..end) of address bytes: at its
 * start and after each ':' in it, IPv6 first, then IPv4 (after any hex
 * letters: "a1.2.3.4").  Emits what it finds.
 */
static void
scan_run(struct cursor *c, size_t start, size_t end, bool colon)
{
	size_t q = start;

	while (q < end) {
		struct ip_addr a;
		size_t l = colon ? try_ip6(c, q, end, &a) : 0, from = q;

		if (l == 0) {
			while (from < end && chars_is(c->s[from], CH_HEXA))
				from++;
			l = try_ip4(c, from, end, &a);
		}
		if (l > 0) {
			emit_ip(c, from, from + l, &a);
			q = from + l;
			continue;
		}
		while (q < end && c->s[q] != ':')
			q++;
		q++;
	}
}

/* Start of the local part that ends at s[at] (an '@' or "%40"), or at when
 * there is none.  pct selects the URL alphabet.  A quoted local part is
 * taken whatever its length (fail closed: a 10,000-byte one is still an
 * address); the backward searches stop at mail_floor, which every '@'
 * moves past itself, so each byte is searched at most once per line. */
static size_t
local_start(const struct cursor *c, size_t at, bool pct)
{
	size_t floor = c->mail_floor > c->done ? c->mail_floor : c->done;
	size_t ls = at, k;

	if (!pct && at > floor && c->s[at - 1] == '"') {
		for (k = at - 1; k > floor; k--)
			if (c->s[k - 1] == '"')
				return k - 1;
		return at;
	}
	while (ls > floor && chars_is(c->s[ls - 1], pct ? CH_ULOCAL : CH_ATEXT))
		ls--;
	/* a leading dot, and a quote around the value ('bob@example.com'),
	 * are not part of it */
	while (ls < at && (c->s[ls] == '.' || c->s[ls] == '\'' || c->s[ls] == '`'))
		ls++;
	if (pct || ls == at)
		return ls;
	/* "key=value@domain": the key is not part of the address */
	if (chars_is(c->s[ls], CH_WORD) && !chars_is(c->s[ls], CH_DIGIT)) {
		for (k = ls; k < at && chars_is(c->s[k], CH_WORD); k++)
			;
		if (k + 1 < at && c->s[k] == '=')
			return k + 1;
	}
	/* "//user:password@host" in a URL: both go */
	if (ls > floor && c->s[ls - 1] == ':') {
		for (k = ls - 1; k > floor && chars_is(c->s[k - 1], CH_ATEXT) && c->s[k - 1] != '/'; k--)
			;
		if (k >= 2 && c->s[k - 1] == '/' && c->s[k - 2] == '/')
			return k;
	}
	return ls;
}

/*
 * At s[at], an '@' (seplen 1) or "%40" (seplen 3): if an email address
 * stands around it, emit its replacement.  Returns where scanning goes on:
 * the domain when only the local part was replaced, else after it.
 */
static size_t
scan_email(struct cursor *c, size_t at, size_t seplen)
{
	bool pct = seplen == 3, whole;
	size_t ls = local_start(c, at, pct), ds = at + seplen, de;
	struct anon_email e;
	char rep[ANON_OUTLEN];
	size_t l;

	c->mail_floor = at + seplen;
	if (ls == at)
		return at + seplen;
	de = domain_end(c, ds);
	if (!domain_ok(c, ds, de))
		return at + seplen;
	c->sc->counts.email++;
	if (c->sc->pol->email == ANON_EMAIL_KEEP) {
		c->sc->counts.email_kept++;
		if (c->sc->report != NULL)
			report(c, SCAN_EMAIL, ls, de, NULL, 0);
		return at + seplen;
	}
	e.local = (const char *)c->s + ls, e.local_len = at - ls;
	e.domain = (const char *)c->s + ds, e.domain_len = de - ds;
	e.pct = pct;
	l = anon_email(c->sc->pol, c->sc->ps, c->sc->names, &e, rep, &whole);
	if (c->sc->report != NULL)
		report(c, SCAN_EMAIL, ls, whole ? de : at, rep, l);
	replace(c, ls, whole ? de : at, rep, l);
	return whole ? de : at + seplen;
}

/* True when s[i] exists and is a digit. */
static inline bool
at_digit(const unsigned char *s, size_t i, size_t n)
{
	return i < n && chars_is(s[i], CH_DIGIT);
}

/* True when s[i] exists and is a hex digit or ':'. */
static inline bool
at_hexcolon(const unsigned char *s, size_t i, size_t n)
{
	return i < n && chars_is(s[i], CH_HEXDIGIT | CH_COLON);
}

/* True when s[from..to) holds "::". */
static bool
has_dcolon(const unsigned char *s, size_t from, size_t to)
{
	for (size_t k = from; k + 1 < to; k++)
		if (s[k] == ':' && s[k + 1] == ':')
			return true;
	return false;
}

/*
 * First i' >= i with s[i'] one of '.', ':', '@', '%' (every IPv4 address has
 * a '.', every IPv6 address a ':', every email an '@' or "%40"), or n.  The
 * hot loop of the program: SSE2 looks at 16 bytes at once where the target
 * has it, a table lookup per byte elsewhere and for the tail.
 */
static size_t
next_trigger(const unsigned char *s, size_t i, size_t n)
{
#ifdef __SSE2__
	const __m128i dot = _mm_set1_epi8('.'), colon = _mm_set1_epi8(':');
	const __m128i at = _mm_set1_epi8('@'), pct = _mm_set1_epi8('%');

	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i m = _mm_or_si128(
		    _mm_or_si128(_mm_cmpeq_epi8(v, dot), _mm_cmpeq_epi8(v, colon)),
		    _mm_or_si128(_mm_cmpeq_epi8(v, at), _mm_cmpeq_epi8(v, pct)));
		unsigned bits = (unsigned)_mm_movemask_epi8(m);

		if (bits != 0)
			return i + (size_t)__builtin_ctz(bits);
	}
#endif
	while (i < n && !chars_is(s[i], CH_TRIGGER))
		i++;
	return i;
}

/* Write text[0..n), which holds no trigger byte, to o: the work of
 * scan_text for such a text, without its set-up (the blanks between the
 * fields of a rule are such texts). */
static void
scan_plain(struct scan *sc, const char *text, size_t n, struct outbuf *o)
{
	outbuf_put(o, text, n);
	if (sc->report != NULL)
		sc->report->end(sc->report->arg, text, n);
}

/* The longest text that scan_text looks over byte by byte for a trigger
 * before its set-up: as long as the blanks between fields get. */
#define SCAN_SHORT 4

/* scan_text for a text that may hold an identifier. */
static void
scan_long(struct scan *sc, const char *text, size_t n, struct outbuf *o)
{
	struct cursor c = { sc, (const unsigned char *)text, n, 0, 0, o };
	const unsigned char *s = c.s;
	size_t i = 0, run_floor = 0;

	while ((i = next_trigger(s, i, n)) < n) {
		size_t start, end;
		uint64_t seen = chars_run[s[i]], cl;
		bool v4, v6;

		if (s[i] == '@') {
			i = scan_email(&c, i, 1);
			continue;
		}
		if (s[i] == '%') {
			i = i + 2 < n && s[i + 1] == '4' && s[i + 2] == '0' ? scan_email(&c, i, 3) : i + 1;
			continue;
		}
		/* a '.' in an IPv4 address stands between digits; a ':' in an
		 * IPv6 address next to a hex digit or another ':' */
		if (s[i] == '.' ? !(i > 0 && chars_is(s[i - 1], CH_DIGIT) && at_digit(s, i + 1, n)) :
		    !((i > 0 && chars_is(s[i - 1], CH_HEXDIGIT)) || at_hexcolon(s, i + 1, n))) {
			i++;
			continue;
		}
		if (run_floor < c.done)
			run_floor = c.done;
		for (start = i; start > run_floor && (cl = chars_run[s[start - 1]]) != 0; start--)
			seen += cl;
		for (end = i + 1; end < n && (cl = chars_run[s[end]]) != 0; end++)
			seen += cl;
		/* an IPv4 address has 3 dots and a digit; an IPv6 address a hex
		 * digit and "::", or 7 colons (6 before a dotted tail) */
		v4 = RUN_DOTS(seen) >= 3 && RUN_DIGITS(seen) > 0;
		v6 = RUN_COLONS(seen) >= 2 && RUN_HEX(seen) > 0 &&
		    (RUN_COLONS(seen) >= 6 || has_dcolon(s, start, end));
		if (end - start > RUN_FIELD_MAX)	/* a count may have wrapped */
			v4 = v6 = true;
		if (v4 || v6)
			scan_run(&c, start, end, v6);
		i = run_floor = end;
	}
	outbuf_put(o, text + c.done, n - c.done);
	if (sc->report != NULL)
		sc->report->end(sc->report->arg, text, n);
}

/*
 * Scan text[0..n) and write it to o with every identifier replaced.
 */
void
scan_text(struct scan *sc, const char *text, size_t n, struct outbuf *o)
{
	if (n <= SCAN_SHORT) {
		size_t i = 0;

		while (i < n && !chars_is((unsigned char)text[i], CH_TRIGGER))
			i++;
		if (i == n) {
			scan_plain(sc, text, n, o);
			return;
		}
	}
	scan_long(sc, text, n, o);
}
