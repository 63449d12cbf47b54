/*
 * ip: parse, format and truncate IPv4 and IPv6 addresses in place.
 *
 * The parsers read a byte range (no NUL needed, no locale, no copy) and
 * return how many bytes form an address; they never look past the range.
 * Boundaries (what may stand before and after an address) are the
 * scanner's business, not theirs.
 */
#ifndef LOGSCRUB_IP_H
#define LOGSCRUB_IP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest address ip_format() writes: 8 groups of 4 hex digits and 7 colons
 * (39), or 6 groups with a dotted tail (45); 48 leaves room for a NUL. */
#define IP_STRLEN 48

enum ip_form {
	IP_FORM_V4,		/* dotted quad */
	IP_FORM_V6,		/* hex groups */
	IP_FORM_V6_DOTTED,	/* hex groups ending in a dotted quad */
};

/* An address: 16 bytes in network order; an IPv4 address uses b[12..15]
 * (b[0..11] zero) and form IP_FORM_V4. */
struct ip_addr {
	uint8_t b[16];
	enum ip_form form;
};

/* A network for --keep-networks: an address and a prefix length that counts
 * bits of the 128-bit form (an IPv4 /24 is stored as 96 + 24). */
struct ip_net {
	struct ip_addr addr;
	int bits;
	bool v4;
};

size_t ip_parse4(const char *p, size_t n, struct ip_addr *a);
size_t ip_parse6(const char *p, size_t n, struct ip_addr *a);
size_t ip_format(const struct ip_addr *a, char *out);
void ip_truncate(struct ip_addr *a, int v4bits, int v6bits);
void ip_mask(struct ip_addr *a, int bits);
bool ip_embedded_v4(const struct ip_addr *a);
int ip_net_parse(const char *s, size_t n, struct ip_net *net);
bool ip_net_contains(const struct ip_net *net, const struct ip_addr *a);

#endif
