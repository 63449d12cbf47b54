/*
 * ip: hand-written parsers and formatter for IPv4 and IPv6 text.
 *
 * inet_pton() needs a NUL-terminated copy and rejects what logs contain
 * (zero-padded octets); these parse in place, accept what an address can
 * look like in a log, and return how far the address reaches so that the
 * scanner can check its boundaries.
 */
#include "config.h"

#include "ip.h"

#include <string.h>

#include "chars.h"

/*
 * Parse a dotted quad at p: four decimal parts of one to three digits, each
 * at most 255 (leading zeros allowed: logs pad them).  Returns its length
 * and fills *a, or 0.  A fourth part followed by a further digit is no
 * address ("1.2.3.4567").
 */
size_t
ip_parse4(const char *p, size_t n, struct ip_addr *a)
{
	const unsigned char *s = (const unsigned char *)p;
	uint8_t q[4];
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		unsigned v, d;

		if (part > 0 && (i >= n || s[i++] != '.'))
			return 0;
		if (i >= n || (v = (unsigned)s[i] - '0') > 9)
			return 0;
		for (int k = 1; ++i < n && (d = (unsigned)s[i] - '0') <= 9; k++) {
			if (k == 3)
				return 0;
			v = v * 10 + d;
		}
		if (v > 255)
			return 0;
		q[part] = (uint8_t)v;
	}
	memset(a->b, 0, 12);
	memcpy(a->b + 12, q, 4);
	a->form = IP_FORM_V4;
	return i;
}

/*
 * Parse the longest IPv6 address (RFC 4291 text forms: full, compressed with
 * one "::", with a dotted IPv4 tail) that starts at p.  Greedy and
 * prefix-based: "2001:db8::1:80" is all one address, and in "a:b:c:d:e:f:1:2:3"
 * the address is the first eight groups.  Returns its length and fills *a,
 * or 0.  Reads at most a few dozen bytes whatever n is.
 */
size_t
ip_parse6(const char *p, size_t n, struct ip_addr *a)
{
	uint16_t g[8];
	int ng = 0, dc = -1;		/* groups so far; where "::" stood */
	int best_ng = 0, best_dc = -1;
	bool tail = false;
	size_t i = 0, best = 0;

	if (n >= 2 && p[0] == ':' && p[1] == ':') {
		dc = 0;
		i = best = 2;
		best_dc = 0;
	} else if (n == 0 || p[0] == ':') {
		return 0;
	}
	while (i < n && ng < 8) {
		unsigned v = 0;
		size_t j = i;
		int h;

		while (j < n && j - i < 4 && (h = chars_hexval((unsigned char)p[j])) >= 0) {
			v = v << 4 | (unsigned)h;
			j++;
		}
		if (j == i || (j < n && chars_hexval((unsigned char)p[j]) >= 0))
			break;
		if (j < n && p[j] == '.') {
			struct ip_addr v4;
			size_t l;

			if (ng > 6 || (dc < 0 && ng != 6))
				break;
			if ((l = ip_parse4(p + i, n - i, &v4)) == 0)
				break;
			g[ng++] = (uint16_t)(v4.b[12] << 8 | v4.b[13]);
			g[ng++] = (uint16_t)(v4.b[14] << 8 | v4.b[15]);
			best = i + l, best_ng = ng, best_dc = dc, tail = true;
			break;
		}
		g[ng++] = (uint16_t)v;
		i = j;
		if (dc >= 0 ? ng <= 7 : ng == 8)
			best = i, best_ng = ng, best_dc = dc;
		if (i >= n || p[i] != ':')
			break;
		if (i + 1 < n && p[i + 1] == ':') {
			if (dc >= 0 || ng > 7)
				break;
			dc = ng;
			i += 2;
			best = i, best_ng = ng, best_dc = dc;
		} else {
			i++;
		}
	}
	if (best == 0)
		return 0;

	memset(a->b, 0, 16);
	int head = best_dc >= 0 ? best_dc : best_ng;
	for (int k = 0; k < head; k++) {
		a->b[2 * k] = (uint8_t)(g[k] >> 8);
		a->b[2 * k + 1] = (uint8_t)g[k];
	}
	for (int k = head, at = 8 - (best_ng - head); k < best_ng; k++, at++) {
		a->b[2 * at] = (uint8_t)(g[k] >> 8);
		a->b[2 * at + 1] = (uint8_t)g[k];
	}
	a->form = tail ? IP_FORM_V6_DOTTED : IP_FORM_V6;
	return best;
}

/* Write v as decimal; returns the length. */
static size_t
put_dec(char *out, unsigned v)
{
	char *o = out;

	if (v >= 100)
		*o++ = (char)('0' + v / 100);
	if (v >= 10)
		*o++ = (char)('0' + v / 10 % 10);
	*o++ = (char)('0' + v % 10);
	return (size_t)(o - out);
}

/* Write a dotted quad from four bytes; returns the length. */
static size_t
put_quad(char *out, const uint8_t *q)
{
	size_t l = 0;

	for (int k = 0; k < 4; k++) {
		if (k)
			out[l++] = '.';
		l += put_dec(out + l, q[k]);
	}
	return l;
}

/*
 * Format *a into out (at least IP_STRLEN bytes, not NUL-terminated) in its
 * own form: a dotted quad, or RFC 5952 IPv6 (lower case, longest run of two
 * or more zero groups as "::", the first such run on a tie), keeping a
 * dotted tail when the address was written with one.  Returns the length.
 */
size_t
ip_format(const struct ip_addr *a, char *out)
{
	static const char hex[] = "0123456789abcdef";
	int ng = a->form == IP_FORM_V6_DOTTED ? 6 : 8;
	int run = -1, runlen = 0;
	size_t l = 0;

	if (a->form == IP_FORM_V4)
		return put_quad(out, a->b + 12);

	for (int k = 0; k < ng;) {
		int e = k;

		while (e < ng && a->b[2 * e] == 0 && a->b[2 * e + 1] == 0)
			e++;
		if (e - k > runlen && e - k >= 2)
			run = k, runlen = e - k;
		k = e > k ? e : k + 1;
	}
	for (int k = 0; k < ng; k++) {
		unsigned v = (unsigned)a->b[2 * k] << 8 | a->b[2 * k + 1];
		bool started = false;

		if (k == run) {
			out[l++] = ':';
			out[l++] = ':';
			k += runlen - 1;
			continue;
		}
		if (k > 0 && k != run + runlen)
			out[l++] = ':';
		for (int s = 12; s >= 0; s -= 4) {
			unsigned d = v >> s & 15;

			if (d || started || s == 0) {
				out[l++] = hex[d];
				started = true;
			}
		}
	}
	if (a->form == IP_FORM_V6_DOTTED) {
		if (run + runlen != 6)
			out[l++] = ':';
		l += put_quad(out + l, a->b + 12);
	}
	return l;
}

/* Clear every bit of *a after the first bits (0..128) of its 16 bytes. */
void
ip_mask(struct ip_addr *a, int bits)
{
	for (int k = 0; k < 16; k++) {
		int keep = bits - 8 * k;

		if (keep <= 0)
			a->b[k] = 0;
		else if (keep < 8)
			a->b[k] &= (uint8_t)(0xff << (8 - keep));
	}
}

/* Prefix constants of the IPv6 ranges that carry an IPv4 address. */
static const uint8_t pfx_mapped[12] = { 0,0,0,0, 0,0,0,0, 0,0,0xff,0xff };
static const uint8_t pfx_nat64[12] = { 0,0x64,0xff,0x9b, 0,0,0,0, 0,0,0,0 };
static const uint8_t pfx_zero[12];

/*
 * True when the IPv6 address *a carries an IPv4 address in its last 32 bits
 * that is the client's identity: IPv4-mapped (::ffff:0:0/96), the NAT64
 * well-known prefix (64:ff9b::/96), or an IPv4-compatible address written
 * with a dotted tail (::a.b.c.d).
 */
bool
ip_embedded_v4(const struct ip_addr *a)
{
	if (a->form == IP_FORM_V4)
		return false;
	return memcmp(a->b, pfx_mapped, 12) == 0 ||
	    memcmp(a->b, pfx_nat64, 12) == 0 ||
	    (a->form == IP_FORM_V6_DOTTED && memcmp(a->b, pfx_zero, 12) == 0);
}

/*
 * Truncate *a to its network: v4bits for IPv4, v6bits for IPv6.  An IPv6
 * address that embeds an IPv4 address is cut by the IPv4 rule: the mapped,
 * NAT64 and compatible forms at 96 + v4bits, 6to4 (2002::/16, the IPv4
 * address in bits 16..47) at no more than 16 + v4bits, so that the /48
 * default never keeps a whole IPv4 address.
 */
void
ip_truncate(struct ip_addr *a, int v4bits, int v6bits)
{
	int bits = v6bits;

	if (a->form == IP_FORM_V4) {	/* the common case, without the loop */
		uint32_t v = (uint32_t)a->b[12] << 24 | (uint32_t)a->b[13] << 16 |
		    (uint32_t)a->b[14] << 8 | a->b[15];

		v &= v4bits ? ~(uint32_t)0 << (32 - v4bits) : 0;
		a->b[12] = (uint8_t)(v >> 24), a->b[13] = (uint8_t)(v >> 16);
		a->b[14] = (uint8_t)(v >> 8), a->b[15] = (uint8_t)v;
		return;
	}
	if (ip_embedded_v4(a))
		bits = 96 + v4bits;
	else if (a->b[0] == 0x20 && a->b[1] == 0x02 && v6bits > 16 + v4bits)
		bits = 16 + v4bits;
	ip_mask(a, bits);
}

/*
 * Parse "ADDR" or "ADDR/BITS" (IPv4 or IPv6) from s[0..n).  An IPv4 network
 * also matches the same addresses written IPv4-mapped.  Returns 0, or -1
 * when s is not exactly such a network.
 */
int
ip_net_parse(const char *s, size_t n, struct ip_net *net)
{
	size_t l = ip_parse4(s, n, &net->addr);
	int max = 32, bits = -1;

	net->v4 = l > 0;
	if (l == 0) {
		l = ip_parse6(s, n, &net->addr);
		max = 128;
	}
	if (l == 0)
		return -1;
	if (l < n) {
		if (s[l] != '/' || l + 1 == n || n - l > 4)
			return -1;
		bits = 0;
		for (size_t i = l + 1; i < n; i++) {
			if ((unsigned)((unsigned char)s[i] - '0') >= 10u)
				return -1;
			bits = bits * 10 + (s[i] - '0');
		}
		if (bits > max)
			return -1;
	}
	net->bits = (bits < 0 ? max : bits) + (net->v4 ? 96 : 0);
	ip_mask(&net->addr, net->bits);
	return 0;
}

/* True when *a lies in *net; IPv4 networks match IPv4-mapped addresses too. */
bool
ip_net_contains(const struct ip_net *net, const struct ip_addr *a)
{
	struct ip_addr m = *a;

	if (net->v4) {
		if (a->form != IP_FORM_V4 && memcmp(a->b, pfx_mapped, 12) != 0)
			return false;
		memset(m.b, 0, 12);
	} else if (a->form == IP_FORM_V4) {
		return false;
	}
	ip_mask(&m, net->bits);
	return memcmp(m.b, net->addr.b, 16) == 0;
}
