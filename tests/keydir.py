"""Expected values for tests/keydir.test, computed without logscrub: the
pseudonyms from oracle.py with the bytes of a per-epoch key file, and epoch
file names from Python's calendar (ISO weeks by date.isocalendar()).

Reads requests on standard input, one per line, and answers each on a line
(one process for many answers: Python starts slowly on a loaded machine):
  ip KEYFILE ADDRESS       the address's pseudonym under that key
  email KEYFILE LOCAL@DOM  the email as --email=pseudonymise writes it
  name day|week|month DATE the key file name of the epoch of DATE
"""
import datetime
import ipaddress
import sys

import oracle


def answer(what, a, b):
    """The answer to one request."""
    if what == 'ip':
        return str(oracle.pseudo_ip(open(a, 'rb').read(), ipaddress.ip_address(b)))
    if what == 'email':
        local, domain = b.split('@')
        return oracle.pseudo_name(open(a, 'rb').read(), 1, local + '@' + domain) + '@' + domain
    if what == 'name':
        d = datetime.date.fromisoformat(b)
        if a == 'day':
            return '%04d-%02d-%02d.key' % (d.year, d.month, d.day)
        if a == 'week':
            y, w, _ = d.isocalendar()
            return '%04d-W%02d.key' % (y, w)
        return '%04d-%02d.key' % (d.year, d.month)
    sys.exit('keydir.py: unknown request ' + what)


for request in sys.stdin:
    print(answer(*request.split()))
