"""Across the whole corpus, with the bundled rules (--format=auto):

- no line is lost or added;
- no IPv4, IPv6 or email address of a line survives --ip=pseudonymise
  (addresses found by tests/oracle.py, independent of the C code);
- every line that a web-access rule matched before anonymisation is matched
  by the same rule after it (--explain on the input and on the output), so
  log analysers still parse the output;
- format-aware identifiers are gone: the user names and the host names that
  embed an address, found here with regular expressions of their own, no
  longer stand in their context in the output, and each user name was
  replaced by its documented pseudonym (tests/oracle.py's pseudo_name).

usage: rules_corpus.py LOGSCRUB KEYFILE CORPUSDIR
"""
import ipaddress
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

logscrub, keyfile, corpus = sys.argv[1:4]
master = open(keyfile, 'rb').read()
PSEUDO_USER = 3

WEB = {'ingress-nginx', 'vhost_combined', 'combined', 'common', 'haproxy', 'json'}

# A user name in its context: (regex, rules that must handle it).  Group 1 is
# the name.
USERS = [
    (re.compile(r'\buser=<([^>@]+)>'), {'dovecot'}),
    (re.compile(r'\bsasl_username=([^,\s@]+)(?=[,\s]|$)'), {'postfix', 'postfix-message'}),
    (re.compile(r'\bset_id=([^)\s@]+)(?=[)\s]|$)'), {'exim'}),
    (re.compile(r'\bA=[\w-]+:([^\s)@]+)(?=[)\s]|$)'), {'exim'}),
    (re.compile(r'\bpam\(([^,()@]+),'), {'dovecot'}),
    (re.compile(r'[Ii]nvalid user (\S+) from '), {'sshd'}),
    (re.compile(r'Accepted \S+ for (\S+) from '), {'sshd'}),
    (re.compile(r'Failed \S+ for (?!invalid user )(\S+) from '), {'sshd'}),
    (re.compile(r'^\S+ \S+ ([^\s-][^\s@]*) \[\d\d/'), {'combined', 'common', 'ingress-nginx'}),
]

# A host name in a client context: "name[address]" (postfix, sendmail:
# "name [address]"), exim's H=name.
HOSTS = [
    re.compile(r'([A-Za-z0-9][A-Za-z0-9.-]*) ?\[(?:IPv6:)?[0-9a-fA-F.:]+\]'),
    re.compile(r'\bH=([A-Za-z0-9][A-Za-z0-9.-]*)'),
]
# A name that spells an address: four numbers of at most three digits
# joined by '-' or '.', or a run of 8 to 12 digits.
EMBEDS = re.compile(r'(?<![0-9])\d{1,3}[-.]\d{1,3}[-.]\d{1,3}[-.]\d{1,3}(?![0-9])|\d{8,12}')


def run(args, data):
    return subprocess.run([logscrub, '--key-file=' + keyfile] + args, input=data,
                          stdout=subprocess.PIPE, check=True).stdout


def is_pseudonym(a):
    if a.version == 4:
        return a in ipaddress.ip_network('240.0.0.0/4')
    return a in ipaddress.ip_network('100::/64') or (
        a.ipv4_mapped is not None and a.ipv4_mapped in ipaddress.ip_network('240.0.0.0/4'))


def split(out):
    """--explain output: (rule names, lines)."""
    names, lines = [], []
    for ln in out.decode('latin-1').split('\n')[:-1]:
        name, _, rest = ln.partition('\t')
        names.append(name)
        lines.append(rest)
    return names, lines


failures = []
counts = {'lines': 0, 'web': 0, 'users': 0, 'hosts': 0, 'addresses': 0}
files = []
for root, dirs, names in os.walk(corpus):
    dirs.sort()
    files += [os.path.join(root, n) for n in sorted(names)
              if not n.startswith(('COPYING', 'LICENSE', 'README', 'SOURCE'))]
for path in files:
    data = open(path, 'rb').read()
    if data and not data.endswith(b'\n'):
        data += b'\n'
    before, out = split(run(['--format=auto', '--explain', '--ip=pseudonymise'], data))
    ins = data.decode('latin-1').split('\n')[:-1]
    if len(out) != len(ins):
        failures.append('%s: %d lines in, %d out' % (path, len(ins), len(out)))
        continue
    after, _ = split(run(['--format=auto', '--explain', '--ip=pseudonymise'], '\n'.join(out).encode('latin-1') + b'\n'))
    for no, (a, b, ra, rb) in enumerate(zip(ins, out, before, after), 1):
        where = '%s:%d' % (path, no)
        counts['lines'] += 1
        if ra in WEB:
            counts['web'] += 1
            if rb != ra:
                failures.append('%s: matched %s before anonymisation, %s after' % (where, ra, rb))
        left = set(oracle.ipv4s(b)) | set(oracle.ipv6s(b))
        for ip in oracle.ipv4s(a) + oracle.ipv6s(a):
            if ip.is_unspecified or is_pseudonym(ip):
                continue
            counts['addresses'] += 1
            if ip in left:
                failures.append('%s: %s survived' % (where, ip))
        for local, domain in oracle.emails(a):
            counts['addresses'] += 1
            if (local + '@' + domain).lower() in b.lower():
                failures.append('%s: email %s@%s survived' % (where, local, domain))
        for rx, rules in USERS:
            if ra not in rules:
                continue
            for m in rx.finditer(a):
                name = m.group(1)
                counts['users'] += 1
                ctx = m.group(0)
                if ctx in b:
                    failures.append('%s: user %r survived in %r' % (where, name, ctx))
                elif oracle.pseudo_name(master, PSEUDO_USER, name) not in b:
                    failures.append('%s: user %r: no pseudonym %s' % (where, name,
                                    oracle.pseudo_name(master, PSEUDO_USER, name)))
        if ra == '-':
            continue
        for rx in HOSTS:
            for m in rx.finditer(a):
                name = m.group(1)
                if not EMBEDS.search(name) or not re.search(r'[A-Za-z]', name):
                    continue
                counts['hosts'] += 1
                if re.search(r'(?<![A-Za-z0-9.-])' + re.escape(name) + r'(?![A-Za-z0-9-])', b):
                    failures.append('%s: host %s survived (%s)' % (where, name, ra))
for f in failures:
    print('FAIL: ' + f)
print('# %(lines)d lines, %(web)d web-access lines, %(addresses)d addresses, '
      '%(users)d user names, %(hosts)d address-bearing host names' % counts)
sys.exit(1 if failures else 0)
