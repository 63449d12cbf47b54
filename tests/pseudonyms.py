"""Check logscrub's pseudonyms against the independent implementation of
the documented scheme in oracle.py: same key, same address -> the same
pseudonym, computed twice by unrelated code.  Also: pseudonyms are stable
within a run, differ between keys, and stay valid addresses."""
import ipaddress
import os
import random
import subprocess
import sys

import oracle

logscrub, keyfile, keyfile2 = sys.argv[1:4]
master = open(keyfile, 'rb').read()
rng = random.Random(int(os.environ.get('SEED', '20261124')))


def run(args, text, key=keyfile):
    p = subprocess.run([logscrub, '--key-file=' + key] + args, input=text.encode(),
                       stdout=subprocess.PIPE, check=True)
    return p.stdout.decode()


v4 = ['198.51.100.7', '0.0.0.0', '255.255.255.255', '10.0.0.1'] + \
     ['%d.%d.%d.%d' % tuple(rng.randrange(256) for _ in range(4)) for _ in range(200)]
v6 = ['2001:db8::1', 'fe80::1', '2a02:cf40::1', '::1'] + \
     [str(ipaddress.IPv6Address(rng.getrandbits(128))) for _ in range(200)]
mapped = ['::ffff:' + a for a in v4[:50]]
addrs = v4 + v6 + mapped
got = run(['--ip=pseudonymise'], '\n'.join(addrs) + '\n').splitlines()
failures = 0
for a, g in zip(addrs, got):
    want = oracle.pseudo_ip(master, ipaddress.ip_address(a))
    have = ipaddress.ip_address(g)
    if have != want:
        print('FAIL: pseudonym of %s: got %s, want %s' % (a, g, want))
        failures += 1
    if have.version == 4 and have not in ipaddress.ip_network('240.0.0.0/4'):
        print('FAIL: %s -> %s is outside 240.0.0.0/4' % (a, g))
        failures += 1
if len(got) != len(addrs):
    print('FAIL: %d lines in, %d out' % (len(addrs), len(got)))
    failures += 1

mails = [('alice', 'example.com'), ('Alice', 'Example.COM'), ('bob+news', 'example.org'),
         ('x.y-z', 'mail.example.net')]
text = ''.join('<%s@%s>\n' % m for m in mails) + 'q=alice%40example.com\nq=bob%2Bnews%40example.org\n'
got = run([], text).splitlines()
want = ['<%s@%s>' % (oracle.pseudo_name(master, 1, l + '@' + d), d) for l, d in mails]
want += ['q=%s%%40example.com' % oracle.pseudo_name(master, 1, 'alice@example.com'),
         'q=%s%%40example.org' % oracle.pseudo_name(master, 1, 'bob+news@example.org')]
got_hash = run(['--email=hash'], text).splitlines()
want_hash = ['<%s@pseudonym.invalid>' % oracle.pseudo_name(master, 2, l + '@' + d) for l, d in mails]
for g, w in list(zip(got, want)) + list(zip(got_hash, want_hash)):
    if g != w:
        print('FAIL: email pseudonym: got %r, want %r' % (g, w))
        failures += 1
if got[0].split('@')[0] != got[1].split('@')[0]:
    print('FAIL: case must not change a pseudonym: %r %r' % (got[0], got[1]))
    failures += 1

# another key gives other pseudonyms; the same key the same, run after run
if run(['--ip=pseudonymise'], '198.51.100.7\n', keyfile2) == run(['--ip=pseudonymise'], '198.51.100.7\n'):
    print('FAIL: two keys gave one pseudonym')
    failures += 1
if run(['--ip=pseudonymise'], '198.51.100.7\n') != run(['--ip=pseudonymise'], '198.51.100.7\n'):
    print('FAIL: one key gave two pseudonyms')
    failures += 1
print('%d passed, %d failed' % (len(addrs) + len(mails) + 4 - failures, failures))
sys.exit(1 if failures else 0)
