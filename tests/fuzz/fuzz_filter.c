/*
 * libFuzzer target for the line filter: filter_line(), hence the scanner,
 * the format rules and their field actions, and every transformation, in
 * every mode.  The input is
 *   byte 0: bits 0-1 the --ip mode, bits 2-4 the --email mode (mod 5),
 *           bit 5 --keep-networks=10.0.0.0/8,2001:db8::/32, bit 6 hand
 *           every line over in pieces (FILTER_MORE) cut after each white
 *           space byte, as stream.c cuts an overlong line (a line in
 *           pieces gets no rule, as in the program), bit 7 --format=auto
 *           with the bundled rules (rules_bundled[], as main.c loads them;
 *           clear: --format=none);
 *   byte 1: --ipv4-prefix (mod 33);  byte 2: --ipv6-prefix (mod 129);
 *   the rest: the text, sliced into lines at '\n' as stream.c slices it.
 * The key and the compiled rules are fixed.  The output goes to an
 * unlinked temporary file (the outbuf writes it as it would to stdout) and
 * is read back to check the contract, not only memory safety:
 *   - as many '\n' out as in, and the filter counts each line once;
 *   - with --ip=keep --email=keep and --format=none the output is the
 *     input, byte for byte (not with rules: their user and host actions
 *     pseudonymise user names and host names whatever --ip and --email
 *     say);
 *   - fail closed, with rules as without: a dotted quad standing alone
 *     between white space whose anonymised text differs from it, and
 *     (unless --email=keep) a plain email a.b@example.org standing alone,
 *     never stand alone in the output.  These are found by a finder
 *     written here, independent of the scanner and of the rules.  Tokens
 *     that could be another's replacement (a quad in 240/4 when
 *     pseudonymising, a local part like a pseudonym) are not checked: the
 *     fuzzer learns replacements from this check and feeds them back.
 * Any violation aborts, which libFuzzer reports as a crash.
 * Seeds: tests/fuzz/corpus/filter/.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "filter.h"
#include "ip.h"
#include "namecache.h"
#include "outbuf.h"
#include "pseudo.h"
#include "rules.h"

/* Bytes of the input that select the mode. */
#define FUZZ_HEADER 3

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A byte range of the input or of the output. */
struct span {
	const char *p;
	size_t n;
};

/* State kept across runs (allocating it per run costs more than the
 * filter): the key, the pseudonym cache (it only ever holds pseudonyms of
 * this key), the bundled rules, the networks, the output file and its
 * buffer. */
static struct pseudo *fuzz_ps;
static struct namecache *fuzz_names;
static struct rules *fuzz_rules;
static struct ip_net fuzz_keep[2];
static FILE *fuzz_out;
static struct outbuf fuzz_o;

/* The bundled rules compiled and selected as main.c's load_rules() does
 * for --format=auto, or NULL (with the reason on stderr). */
static struct rules *
fuzz_rules_auto(void)
{
	char err[RULES_ERRLEN];
	struct rules *rs = rules_new();

	if (rs == NULL)
		return NULL;
	for (const struct rules_source *s = rules_bundled; s->name != NULL; s++)
		if (rules_add_source(rs, s, err) < 0)
			goto fail;
	if (rules_compile(rs, err) < 0)
		goto fail;
	if (rules_select(rs, "auto") < 0) {
		snprintf(err, sizeof err, "no rule set 'auto'");
		goto fail;
	}
	return rs;
fail:
	fprintf(stderr, "fuzz_filter: %s\n", err);
	rules_free(rs);
	return NULL;
}

/* Set up the state once; abort if it cannot be had. */
static void
fuzz_init(void)
{
	static const unsigned char key[PSEUDO_KEYBYTES] = "logscrub fuzz key, fixed forever";
	static const char *const nets[] = { "10.0.0.0/8", "2001:db8::/32" };

	if (fuzz_ps != NULL)
		return;
	if (sodium_init() < 0 || (fuzz_ps = pseudo_new(key)) == NULL ||
	    (fuzz_names = namecache_new()) == NULL || (fuzz_rules = fuzz_rules_auto()) == NULL ||
	    (fuzz_out = tmpfile()) == NULL || outbuf_init(&fuzz_o, fileno(fuzz_out)) < 0)
		abort();
	for (size_t i = 0; i < 2; i++)
		if (ip_net_parse(nets[i], strlen(nets[i]), &fuzz_keep[i]) < 0)
			abort();
}

/* True for the bytes the scanner counts as white space. */
static bool
fuzz_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Number of '\n' in p[0..n). */
static size_t
fuzz_newlines(const char *p, size_t n)
{
	size_t k = 0;

	for (const char *q = p; (q = memchr(q, '\n', n - (size_t)(q - p))) != NULL; q++)
		k++;
	return k;
}

/* True when t is a dotted quad and nothing else: four parts of one to
 * three digits, each at most 255. */
static bool
fuzz_is_quad(struct span t)
{
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		unsigned v = 0, d = 0;

		if (part > 0 && (i >= t.n || t.p[i++] != '.'))
			return false;
		for (; i < t.n && t.p[i] >= '0' && t.p[i] <= '9'; i++, d++)
			v = v * 10 + (unsigned)(t.p[i] - '0');
		if (d == 0 || d > 3 || v > 255)
			return false;
	}
	return i == t.n;
}

/* True for a letter or digit. */
static bool
fuzz_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* True when t is a plain email: dot-separated words of letters and digits,
 * '@', then at least two dot-separated labels of letters and digits, the
 * last all letters. */
static bool
fuzz_is_email(struct span t)
{
	const char *at = memchr(t.p, '@', t.n), *end = t.p + t.n, *q;
	bool letters = false;
	int dots = 0;

	if (at == NULL || at == t.p || !fuzz_alnum(t.p[0]) || !fuzz_alnum(at[-1]))
		return false;
	for (q = t.p; q < at; q++)
		if (!fuzz_alnum(*q) && !(*q == '.' && q[-1] != '.'))
			return false;
	for (q = at + 1; q < end; q++) {
		if (*q == '.') {
			if (q[-1] == '.' || q[-1] == '@' || q + 1 == end)
				return false;
			dots++, letters = true;
		} else if (!fuzz_alnum(*q)) {
			return false;
		} else if (*q >= '0' && *q <= '9') {
			letters = false;
		}
	}
	return dots > 0 && letters && end[-1] > '9';
}

/* True when the policy changes the text of quad t, and no other address
 * can become t: under --ip=pseudonymise a quad in 240.0.0.0/4 may be the
 * pseudonym of another (the fuzzer learns them from this very check). */
static bool
fuzz_quad_changes(const struct anon_policy *pol, struct span t)
{
	char rep[ANON_OUTLEN];
	struct ip_addr a;
	size_t l;

	if (ip_parse4(t.p, t.n, &a) != t.n)
		abort();	/* the finder and the parser disagree */
	if (anon_ip_kept(pol, &a) || (pol->ip == ANON_IP_PSEUDONYMISE && a.b[12] >= 240))
		return false;
	l = anon_ip(pol, fuzz_ps, &a, rep);
	return l != t.n || memcmp(rep, t.p, l) != 0;
}

/* Order of spans for qsort and bsearch: by length, then bytes. */
static int
fuzz_span_cmp(const void *x, const void *y)
{
	const struct span *a = x, *b = y;

	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	return memcmp(a->p, b->p, a->n);
}

/* True when email t could be another's replacement: a local part of
 * PSEUDO_NAMELEN base32 characters, or ANON_REDACTED_LOCAL. */
static bool
fuzz_email_replacement(struct span t)
{
	size_t l = (size_t)((const char *)memchr(t.p, '@', t.n) - t.p);

	if (l == sizeof ANON_REDACTED_LOCAL - 1 && memcmp(t.p, ANON_REDACTED_LOCAL, l) == 0)
		return true;
	if (l != PSEUDO_NAMELEN)
		return false;
	for (size_t i = 0; i < l; i++)
		if (!((t.p[i] >= 'a' && t.p[i] <= 'z') || (t.p[i] >= '2' && t.p[i] <= '7')))
			return false;
	return true;
}

/* Append the white-space-separated tokens of p[0..n) that must not survive
 * anonymisation under pol to v (room for n / 2 + 1). */
static size_t
fuzz_forbidden(const struct anon_policy *pol, const char *p, size_t n, struct span *v)
{
	size_t k = 0, i = 0;

	while (i < n) {
		struct span t;

		while (i < n && fuzz_space(p[i]))
			i++;
		t.p = p + i;
		while (i < n && !fuzz_space(p[i]))
			i++;
		t.n = (size_t)(p + i - t.p);
		if (t.n == 0)
			break;
		if ((fuzz_is_quad(t) && fuzz_quad_changes(pol, t)) ||
		    (pol->email != ANON_EMAIL_KEEP && fuzz_is_email(t) && !fuzz_email_replacement(t)))
			v[k++] = t;
	}
	return k;
}

/* Abort if a token of out[0..n) is one of the sorted forbidden v[0..k). */
static void
fuzz_check_gone(const char *out, size_t n, const struct span *v, size_t k)
{
	size_t i = 0;

	while (i < n && k > 0) {
		struct span t;

		while (i < n && fuzz_space(out[i]))
			i++;
		t.p = out + i;
		while (i < n && !fuzz_space(out[i]))
			i++;
		t.n = (size_t)(out + i - t.p);
		if (t.n > 0 && bsearch(&t, v, k, sizeof *v, fuzz_span_cmp) != NULL) {
			fprintf(stderr, "fuzz_filter: '%.*s' went through\n", (int)t.n, t.p);
			abort();
		}
	}
}

/* Filter text[0..n) by pol and the rules rs (NULL: --format=none) to the
 * output file: line by line, or in pieces cut after white space. */
static void
fuzz_filter(const struct anon_policy *pol, struct rules *rs, bool pieces, const char *text, size_t n)
{
	struct filter f;
	struct outbuf *o = &fuzz_o;
	size_t lines = 0;
	const char *p = text, *end = text + n;

	filter_init(&f, pol, fuzz_ps, fuzz_names, NULL);	/* no --geo */
	filter_set_rules(&f, rs, false);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl + 1 : end, *q = p;

		lines++;
		while (pieces && q < e - 1) {
			if (fuzz_space(*q++)) {
				filter_line(&f, p, (size_t)(q - p), FILTER_MORE, o);
				p = q;
			}
		}
		filter_line(&f, p, (size_t)(e - p), 0, o);
		p = e;
	}
	if (outbuf_flush(o) < 0 || f.lines_in != lines || f.lines_out != lines)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum anon_ip_action ip_modes[] = {
		ANON_IP_TRUNCATE, ANON_IP_PSEUDONYMISE, ANON_IP_REDACT, ANON_IP_KEEP,
	};
	static const enum anon_email_action email_modes[] = {
		ANON_EMAIL_PSEUDONYMISE, ANON_EMAIL_HASH, ANON_EMAIL_MASK,
		ANON_EMAIL_REDACT, ANON_EMAIL_KEEP,
	};
	struct anon_policy pol;
	struct rules *rs;
	const char *text = (const char *)data + FUZZ_HEADER;
	size_t n, outlen, k;
	struct span *forbidden;
	char *out;
	int fd;

	if (size < FUZZ_HEADER)
		return 0;
	fuzz_init();
	n = size - FUZZ_HEADER;
	pol = (struct anon_policy){
		.ip = ip_modes[data[0] & 3],
		.email = email_modes[(data[0] >> 2 & 7) % 5],
		.keep = fuzz_keep,
		.nkeep = data[0] & 0x20 ? 2 : 0,
		.v4bits = data[1] % 33,
		.v6bits = data[2] % 129,
	};
	fd = fileno(fuzz_out);
	if (ftruncate(fd, 0) < 0 || lseek(fd, 0, SEEK_SET) < 0)
		abort();
	rs = data[0] & 0x80 ? fuzz_rules : NULL;
	fuzz_filter(&pol, rs, data[0] & 0x40, text, n);

	outlen = (size_t)lseek(fd, 0, SEEK_CUR);
	if ((out = malloc(outlen + 1)) == NULL || pread(fd, out, outlen, 0) != (ssize_t)outlen)
		abort();
	if (fuzz_newlines(out, outlen) != fuzz_newlines(text, n))
		abort();	/* a line was lost or made */
	if (rs == NULL && pol.ip == ANON_IP_KEEP && pol.email == ANON_EMAIL_KEEP &&
	    (outlen != n || memcmp(out, text, n) != 0))
		abort();	/* keep/keep without rules must change nothing */
	if ((forbidden = malloc((n / 2 + 1) * sizeof *forbidden)) == NULL)
		abort();
	k = fuzz_forbidden(&pol, text, n, forbidden);
	qsort(forbidden, k, sizeof *forbidden, fuzz_span_cmp);
	fuzz_check_gone(out, outlen, forbidden, k);
	free(forbidden);
	free(out);
	return 0;
}
