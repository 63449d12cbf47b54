/*
 * relit: the leading literal of a PCRE2 pattern.  See relit.h.
 */
#include "config.h"

#include "relit.h"

#include <stdbool.h>
#include <string.h>

/* True for a byte that stands for itself in a pattern outside a class
 * (PCRE2 without PCRE2_EXTENDED): letters, digits, blank and the
 * punctuation that is not a metacharacter. */
static bool
plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    (c != '\0' && strchr(" _=<>:,;\"'/-!@%&~`#", c) != NULL);
}

/* True for the punctuation that a backslash makes literal (\( \[ \. ...):
 * ASCII, neither a letter nor a digit (those are escapes with meanings). */
static bool
escaped_plain(unsigned char c)
{
	return c > ' ' && c < 0x7f && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
}

/* Past the escape that p (at '\\') starts: two bytes, three for \cX
 * (control-X, where X may be any byte: \c( is no group, \c] ends no
 * class). */
static const char *
past_escape(const char *p)
{
	if (p[1] == '\0')
		return p + 1;
	return p[1] == 'c' && p[2] != '\0' ? p + 3 : p + 2;
}

/* Past the \Q...\E quoted text that p (at "\Q") opens: after its \E, or
 * at the end of the pattern. */
static const char *
past_quote(const char *p)
{
	const char *e = strstr(p + 2, "\\E");

	return e ? e + 2 : p + strlen(p);
}

/* Past the POSIX class name that p (at "[:" inside a class) opens, or
 * NULL when PCRE2 does not read one there: as its check_posix_syntax(),
 * the first ":]" unless a ']' or a "[:" comes before it (\] and \\ are
 * stepped over). */
static const char *
past_posix(const char *p)
{
	for (p += 2; p[0] != '\0' && p[1] != '\0'; p++) {
		if (p[0] == '\\' && (p[1] == ']' || p[1] == '\\'))
			p++;
		else if ((p[0] == '[' && p[1] == ':') || p[0] == ']')
			return NULL;
		else if (p[0] == ':' && p[1] == ']')
			return p + 2;
	}
	return NULL;
}

/* Past the character class that p (at '[') opens, or NULL when it does
 * not close.  A ']' first in the class (also after '^') is a member;
 * [:name:] and escapes are stepped over. */
static const char *
past_class(const char *p)
{
	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	while (*p != '\0' && *p != ']') {
		if (p[0] == '\\' && p[1] == 'Q') {
			p = past_quote(p);
		} else if (p[0] == '\\') {
			p = past_escape(p);
		} else if (p[0] == '[' && p[1] == ':' && past_posix(p) != NULL) {
			p = past_posix(p);
		} else {
			p++;
		}
	}
	return *p == ']' ? p + 1 : NULL;
}

/* True when the option letters at p (after "(?", up to ')' or ':') set
 * or unset x (extended) or xx. */
static bool
sets_extended(const char *p)
{
	for (; (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '-' || *p == '^'; p++)
		if (*p == 'x')
			return true;
	return false;
}

/*
 * True when pattern has a single top-level branch (no '|' outside groups
 * and classes) and sets no extended option; false when it cannot tell.
 * A verb (*NAME) or (*NAME:ARG) is stepped over whole (its ARG may hold
 * '(' or '|'); (*name: with a lower-case name is an alpha assertion
 * ((*pla:...), (*atomic:...)), a group like any other.  A callout with a
 * string argument, (?C"..."), is not read.
 */
static bool
single_branch(const char *p)
{
	int depth = 0;

	while (*p != '\0') {
		if (p[0] == '\\' && p[1] == 'Q') {
			p = past_quote(p);
		} else if (p[0] == '\\') {
			p = past_escape(p);
		} else if (p[0] == '[') {
			if ((p = past_class(p)) == NULL)
				return false;
		} else if (p[0] == '(' && ((p[1] == '*' && !(p[2] >= 'a' && p[2] <= 'z')) ||
		    (p[1] == '?' && p[2] == '#'))) {
			/* a verb or a comment: no group, whatever its text holds */
			if ((p = strchr(p, ')')) == NULL)
				return false;
			p++;
		} else {
			if (p[0] == '(' && p[1] == '?' && (sets_extended(p + 2) ||
			    (p[2] == 'C' && p[3] != ')' && !(p[3] >= '0' && p[3] <= '9'))))
				return false;
			if (p[0] == '(')
				depth++;
			else if (p[0] == ')')
				depth--;
			else if (p[0] == '|' && depth == 0)
				return false;
			p++;
		}
	}
	return true;
}

/* Past the items at p that match nothing, so that a quantifier after
 * them applies to the character before them: comments (?#...), \E
 * outside a quote and empty quotes \Q\E. */
static const char *
past_noops(const char *p)
{
	for (;;) {
		if (p[0] == '(' && p[1] == '?' && p[2] == '#' && strchr(p, ')') != NULL)
			p = strchr(p, ')') + 1;
		else if (p[0] == '\\' && p[1] == 'E')
			p += 2;
		else if (p[0] == '\\' && p[1] == 'Q' && p[2] == '\\' && p[3] == 'E')
			p += 4;
		else
			return p;
	}
}

/* Write the leading literal of pattern to lit (at most max bytes); see
 * relit.h. */
size_t
relit_lead(const char *pattern, char *lit, size_t max)
{
	const char *p = pattern;
	size_t n = 0;

	if (!single_branch(pattern))
		return 0;
	if (p[0] == '\\' && p[1] == 'b')	/* a word boundary: no text */
		p += 2;
	while (n < max) {
		p = past_noops(p);
		if (p[0] == '\\' && escaped_plain((unsigned char)p[1])) {
			lit[n++] = p[1];
			p += 2;
		} else if (plain((unsigned char)p[0])) {
			lit[n++] = *p++;
		} else {
			break;
		}
	}
	/* a quantifier makes the last character optional or repeated: the
	 * literal ends before it ('{' may open a quantifier too) */
	p = past_noops(p);
	if (n > 0 && (*p == '?' || *p == '*' || *p == '+' || *p == '{'))
		n--;
	return n;
}
