/*
 * chars: byte classes for the scanner, one table lookup per byte.
 *
 * The table uses GNU range designators (gcc and clang both take them); it
 * is const, so the classes are fixed at compile time and shared by every
 * module that looks at text.
 */
#ifndef LOGSCRUB_CHARS_H
#define LOGSCRUB_CHARS_H

#include <stdint.h>

enum {
	CH_DIGIT = 1 << 0,	/* 0-9 */
	CH_HEXA = 1 << 1,	/* a-f A-F */
	CH_DOT = 1 << 2,	/* . */
	CH_COLON = 1 << 3,	/* : */
	CH_MAIL = 1 << 4,	/* @ and %, which can start an email */
	CH_ATEXT = 1 << 5,	/* an unquoted local part: RFC 5322 atext and '.', less
				 * "/?&|", which in logs separate URL parts and
				 * fields far more often than they stand in an address */
	CH_DOMAIN = 1 << 6,	/* letters, digits, '-' and '.': a domain */
	CH_WORD = 1 << 7,	/* letters, digits, '_': what may not touch an address */
	CH_ULOCAL = 1 << 8,	/* a local part in a URL: letters, digits, "._~+-%" */
	CH_SPACE = 1 << 9,	/* space, tab, CR, LF, VT, FF: where a long line may be cut */

	CH_HEXDIGIT = CH_DIGIT | CH_HEXA,
	/* bytes every identifier has one of: the scanner skips all others */
	CH_TRIGGER = CH_DOT | CH_COLON | CH_MAIL,
	/* bytes of an address run */
	CH_RUN = CH_DIGIT | CH_HEXA | CH_DOT | CH_COLON,
};

#define CH_LETTER_ (CH_ATEXT | CH_DOMAIN | CH_WORD | CH_ULOCAL)

static const uint16_t chars_class[256] = {
	['0' ... '9'] = CH_DIGIT | CH_LETTER_,
	['a' ... 'f'] = CH_HEXA | CH_LETTER_,
	['A' ... 'F'] = CH_HEXA | CH_LETTER_,
	['g' ... 'z'] = CH_LETTER_,
	['G' ... 'Z'] = CH_LETTER_,
	['_'] = CH_ATEXT | CH_WORD,
	['.'] = CH_DOT | CH_ATEXT | CH_DOMAIN | CH_ULOCAL,
	['-'] = CH_ATEXT | CH_DOMAIN | CH_ULOCAL,
	['+'] = CH_ATEXT | CH_ULOCAL,
	['~'] = CH_ATEXT | CH_ULOCAL,
	['%'] = CH_MAIL | CH_ATEXT | CH_ULOCAL,
	[':'] = CH_COLON,
	['@'] = CH_MAIL,
	['!'] = CH_ATEXT, ['#'] = CH_ATEXT, ['$'] = CH_ATEXT, ['\''] = CH_ATEXT,
	['*'] = CH_ATEXT, ['='] = CH_ATEXT, ['^'] = CH_ATEXT, ['`'] = CH_ATEXT,
	['{'] = CH_ATEXT, ['}'] = CH_ATEXT,
	[' '] = CH_SPACE, ['\t'] = CH_SPACE, ['\r'] = CH_SPACE, ['\n'] = CH_SPACE,
	['\v'] = CH_SPACE, ['\f'] = CH_SPACE,
};

/*
 * Address-run bytes as counters: summing chars_run[] over a run gives, in
 * 16-bit fields, its digits, hex digits (0-9 a-f A-F), dots and colons;
 * 0 ends a run.  The fields are exact for runs of at most RUN_FIELD_MAX
 * bytes; a caller must not trust them for a longer run.
 */
#define RUN_FIELD_MAX 65535
#define RUN_DIGIT_ 1ull
#define RUN_HEX_ (1ull << 16)
#define RUN_DOT_ (1ull << 32)
#define RUN_COLON_ (1ull << 48)
#define RUN_DIGITS(x) ((x) & 0xffff)
#define RUN_HEX(x) ((x) >> 16 & 0xffff)
#define RUN_DOTS(x) ((x) >> 32 & 0xffff)
#define RUN_COLONS(x) ((x) >> 48)

static const uint64_t chars_run[256] = {
	['0' ... '9'] = RUN_DIGIT_ | RUN_HEX_,
	['a' ... 'f'] = RUN_HEX_,
	['A' ... 'F'] = RUN_HEX_,
	['.'] = RUN_DOT_,
	[':'] = RUN_COLON_,
};

/* True when byte c has any of the classes in mask. */
static inline int
chars_is(unsigned char c, unsigned mask)
{
	return chars_class[c] & mask;
}

/* Value of a hex digit, or -1. */
static inline int
chars_hexval(unsigned char c)
{
	if (chars_is(c, CH_DIGIT))
		return c - '0';
	if (chars_is(c, CH_HEXA))
		return (c | 0x20) - 'a' + 10;
	return -1;
}

#endif
