/*
 * fields: the group actions of a rule.  See fields.h.
 */
#include "config.h"

#include "fields.h"

#include <stdbool.h>
#include <string.h>

#include "chars.h"
#include "ip.h"
#include "namecache.h"
#include "pseudo.h"

/* Second-level public suffixes under which a registered domain has three
 * labels (example.co.uk): the common ones, not the whole Public Suffix
 * List; a name under another such suffix is cut one label short, which
 * removes more of it, never less. */
#define SL(s) { s, sizeof s - 1 }
static const struct {
	const char *s;
	size_t len;
} second_level[] = {
	SL("ac.uk"), SL("co.uk"), SL("gov.uk"), SL("ltd.uk"), SL("me.uk"), SL("net.uk"),
	SL("org.uk"), SL("plc.uk"), SL("sch.uk"), SL("com.au"), SL("edu.au"), SL("gov.au"),
	SL("net.au"), SL("org.au"), SL("co.nz"), SL("net.nz"), SL("org.nz"), SL("ac.jp"),
	SL("co.jp"), SL("go.jp"), SL("ne.jp"), SL("or.jp"), SL("co.kr"), SL("or.kr"), SL("ac.kr"),
	SL("com.br"), SL("net.br"), SL("org.br"), SL("com.cn"), SL("net.cn"), SL("org.cn"),
	SL("edu.cn"), SL("com.tw"), SL("net.tw"), SL("org.tw"), SL("com.hk"), SL("com.sg"),
	SL("com.my"), SL("co.th"), SL("in.th"), SL("co.id"), SL("com.vn"), SL("com.ph"),
	SL("com.pk"), SL("co.in"), SL("net.in"), SL("org.in"), SL("co.za"), SL("org.za"),
	SL("co.il"), SL("org.il"), SL("com.tr"), SL("com.mx"), SL("com.ar"), SL("com.co"),
	SL("com.ua"), SL("com.pl"), SL("co.at"), SL("or.at"), SL("com.eg"), SL("com.sa"),
};
#undef SL

/* Digit runs in a name that make it spell an address (203-0-113-77), and
 * the length of a digit or hex run that does (061238241086, the hex
 * p5B0A3C4D of some providers). */
#define SPELL_RUNS 4
#define SPELL_RUN_LEN 8

/*
 * True when p[0..n) may spell an IP address: SPELL_RUNS or more runs of
 * digits, or a run of SPELL_RUN_LEN or more digits or hex digits (with a
 * digit among them).  mx1, host-2 or web2py do not; 203-0-113-77,
 * ec2-3-84-57-208, 061238241086 and p5b0a3c4d do.
 */
static bool
spells_address(const char *p, size_t n)
{
	size_t runs = 0, dl = 0, hl = 0;
	bool hexdigit = false;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (chars_is(c, CH_DIGIT)) {
			runs += dl++ == 0;
			hexdigit = true;
		} else {
			dl = 0;
		}
		if (chars_is(c, CH_DIGIT | CH_HEXA)) {
			hl++;
		} else {
			hl = 0;
			hexdigit = false;
		}
		if (runs >= SPELL_RUNS || dl >= SPELL_RUN_LEN || (hl >= SPELL_RUN_LEN && hexdigit))
			return true;
	}
	return false;
}

/* True when p[0..n) can be a host name: letters, digits, '-', '_', '.'.
 * Anything else in a host group is not a name, and gets the scan. */
static bool
is_hostname(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!chars_is((unsigned char)p[i], CH_DOMAIN) && p[i] != '_')
			return false;
	return true;
}

/* True when p[0..n) is one of second_level[] (ASCII case ignored). */
static bool
is_second_level(const char *p, size_t n)
{
	for (size_t i = 0; i < sizeof second_level / sizeof second_level[0]; i++)
		if (second_level[i].len == n && strncasecmp(second_level[i].s, p, n) == 0)
			return true;
	return false;
}

/* Write the address that fills p[0..n) by the policy and return true, or
 * return false when p[0..n) is not exactly one address. */
static bool
put_ip(struct scan *sc, const char *p, size_t n, struct outbuf *o)
{
	struct ip_addr a;
	char rep[ANON_OUTLEN];
	size_t l;

	if (n == 0 || (ip_parse4(p, n, &a) != n && ip_parse6(p, n, &a) != n))
		return false;
	l = scan_ip(sc, &a, rep, false);
	if (l > 0)
		outbuf_put(o, rep, l);
	else
		outbuf_put(o, p, n);
	return true;
}

/* Write the keyed pseudonym of kind k of p[0..n), through the name cache
 * (tagged by kind, apart from the email pseudonyms) when there is one. */
static void
put_pseudonym(struct scan *sc, enum pseudo_kind k, const char *p, size_t n, struct outbuf *o)
{
	struct namecache_key key = { { p, "", "" }, { n, 0, 0 }, (uint8_t)(k << 1) };
	struct namecache_entry *slot = NULL;
	struct pseudo_name pn;
	char out[PSEUDO_NAMELEN];
	int hit = 0;

	if (sc->names != NULL)
		slot = namecache_slot(sc->names, sc->ps, &key, &hit);
	if (hit) {
		outbuf_put(o, slot->val, PSEUDO_NAMELEN);
		return;
	}
	pseudo_name_begin(sc->ps, k, &pn);
	pseudo_name_add(&pn, p, n);
	pseudo_name_end(&pn, out);
	if (slot != NULL)
		memcpy(slot->val, out, PSEUDO_NAMELEN);
	outbuf_put(o, out, sizeof out);
}

/*
 * A host name p[0..n) (not an address): as it is, unless it may spell an
 * address (spells_address); then cut at its registered domain, as fields.h
 * says.  reduce: host:reduce.
 */
static void
put_host(struct scan *sc, const char *p, size_t n, bool reduce, struct outbuf *o)
{
	size_t dots[3] = { 0, 0, 0 }, nd = 0, suffix, reg;
	bool spelt;

	if (!spells_address(p, n)) {
		outbuf_put(o, p, n);
		return;
	}
	for (size_t i = n; i > 0 && nd < 3; i--)
		if (p[i - 1] == '.')
			dots[nd++] = i - 1;
	if (nd == 0 || spells_address(p + dots[0] + 1, n - dots[0] - 1)) {
		put_pseudonym(sc, PSEUDO_HOST, p, n, o);	/* one label, or no real TLD */
		return;
	}
	/* suffix: where the public suffix starts; reg: where the registered label starts */
	suffix = dots[0] + 1;
	if (nd >= 2 && is_second_level(p + dots[1] + 1, n - dots[1] - 1))
		suffix = dots[1] + 1;
	reg = suffix == dots[0] + 1 ? (nd >= 2 ? dots[1] + 1 : 0) : (nd >= 3 ? dots[2] + 1 : 0);
	spelt = spells_address(p + reg, suffix - 1 - reg);
	if (spelt || !reduce) {
		put_pseudonym(sc, PSEUDO_HOST, p, n, o);
		outbuf_put(o, ".", 1);
	}
	if (spelt)
		outbuf_put(o, p + suffix, n - suffix);
	else
		outbuf_put(o, p + reg, n - reg);
}

/*
 * One item of an ip or host group: an address, also as "[address]" or
 * "[IPv6:address]" (the brackets and the tag stay); else, for host, a host
 * name; else the scan.
 */
static void
put_addr_or_host(struct scan *sc, const struct rules_act *a, const char *p, size_t n, struct outbuf *o)
{
	size_t lead = 0, trail = 0;

	if (n >= 2 && p[0] == '[' && p[n - 1] == ']') {
		lead = n > 7 && strncasecmp(p + 1, "IPv6:", 5) == 0 ? 6 : 1;
		trail = 1;
	}
	outbuf_put(o, p, lead);
	if (put_ip(sc, p + lead, n - lead - trail, o))
		outbuf_put(o, p + n - trail, trail);
	else if (a->action == RULES_HOST && lead == 0 && is_hostname(p, n))
		put_host(sc, p, n, a->arg[0] == 'r', o);
	else
		scan_text(sc, p + lead, n - lead, o);
}

/* An ip or host group: a list ("10.0.0.2, 10.0.0.1": X-Forwarded-For) is
 * taken item by item, the commas and spaces between them kept. */
static void
put_list(struct scan *sc, const struct rules_act *a, const char *p, size_t n, struct outbuf *o)
{
	const char *end = p + n;

	while (p < end) {
		const char *c = memchr(p, ',', (size_t)(end - p)), *q;

		if (c == NULL)
			c = end;
		put_addr_or_host(sc, a, p, (size_t)(c - p), o);
		for (q = c; q < end && (*q == ',' || *q == ' '); q++)
			;
		outbuf_put(o, c, (size_t)(q - c));
		p = q;
	}
}

/* Write group p[0..n) transformed by its action a. */
void
fields_write(struct scan *sc, const struct rules_act *a, const char *p, size_t n, struct outbuf *o)
{
	switch (a->action) {
	case RULES_KEEP:
		outbuf_put(o, p, n);
		return;
	case RULES_REDACT:
		outbuf_put(o, a->arg, a->arg_len);
		return;
	case RULES_IP:
	case RULES_HOST:
		put_list(sc, a, p, n, o);
		return;
	case RULES_USER:
		if (n == 1 && p[0] == '-')	/* no user */
			outbuf_put(o, p, n);
		else if (memchr(p, '@', n) != NULL)
			scan_text(sc, p, n, o);
		else if (!put_ip(sc, p, n, o))
			put_pseudonym(sc, PSEUDO_USER, p, n, o);
		return;
	default:
		scan_text(sc, p, n, o);
		return;
	}
}
