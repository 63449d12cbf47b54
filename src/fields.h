/*
 * fields: what a rule's group actions do to the bytes of one group (see
 * rules.h and logscrub.rules(5)).  Each writes the group's replacement to
 * the output buffer; anything a field action does not recognise gets the
 * free-text scan, so a group never passes raw unless its action is keep.
 *
 *   ip      an address (IPv4, IPv6) that fills the group: the --ip policy;
 *   user    "-" and "" stay; a name with '@' is an email (the scan); an
 *           address is an ip; anything else its keyed pseudonym (PSEUDO_USER);
 *   host    an address is an ip; a name that may spell an address (four
 *           runs of digits, or a run of eight digits or hex digits:
 *           203-0-113-77.dsl.example.net, 061238241086.static.example.net)
 *           is cut at its registered domain (the last two labels, three
 *           under a known second-level suffix such as co.uk: a
 *           simplification of the Public Suffix List); other names stay.
 *           host:reduce writes the registered domain alone,
 *           host:pseudonymise (the default) PSEUDONYM.registered-domain,
 *           the pseudonym (PSEUDO_HOST) keyed on the whole name.  A
 *           registered label or a TLD that itself spells an address
 *           (1-2-3-4-example.com), or a single label that does, is replaced
 *           by the pseudonym too;
 *   keep    as it is; redact: the action's text;
 *   scan, email, time: the free-text scan.
 */
#ifndef LOGSCRUB_FIELDS_H
#define LOGSCRUB_FIELDS_H

#include <stddef.h>

#include "outbuf.h"
#include "rules.h"
#include "scan.h"

void fields_write(struct scan *sc, const struct rules_act *a, const char *p, size_t n, struct outbuf *o);

#endif
