/*
 * relit: the literal text that every match of a PCRE2 pattern starts with,
 * read from the pattern's source.  rules.c uses it to skip, with memchr(3),
 * a fields pattern whose literal a line lacks, instead of letting PCRE2
 * search the line for nothing.
 *
 * The reading is conservative: it may find a shorter literal than the
 * pattern has, or none, but never one that a match can lack.  It gives up
 * (returns 0) on a pattern with a top-level alternation, with an option
 * setting that holds 'x' (extended: blanks and '#' change meaning), with a
 * callout that has a string argument (its text is not read), or whose
 * first item is not a plain character (a group, a class, a verb, an
 * anchor other than a leading \b, an escape that is not a punctuation
 * mark).  Items that match nothing (comments (?#...), \E, \Q\E) are
 * stepped over.  The caller compiles without PCRE2_CASELESS and
 * PCRE2_EXTENDED.
 */
#ifndef LOGSCRUB_RELIT_H
#define LOGSCRUB_RELIT_H

#include <stddef.h>

/* Write the leading literal of pattern (NUL-terminated) to lit, at most
 * max bytes, and return its length; 0 when there is none. */
size_t relit_lead(const char *pattern, char *lit, size_t max);

#endif
