"""Leak test over the real-world corpus (../shared/corpus): every IPv4, IPv6
and email address that the independent oracle finds in a line must be gone
from that line of logscrub's output, and no line may be lost or added.

Run in two modes: --ip=pseudonymise (every real address must change), and
the default truncation (no address with host bits beyond /24 or /48 may
survive)."""
import ipaddress
import os
import subprocess
import sys

import oracle

logscrub, keyfile, corpus = sys.argv[1:4]
PSEUDO_NETS = [ipaddress.ip_network('240.0.0.0/4'), ipaddress.ip_network('100::/64')]


def ips(line):
    return oracle.ipv4s(line) + oracle.ipv6s(line)


def is_pseudonym(a):
    if a.version == 6 and a.ipv4_mapped is not None:
        a = a.ipv4_mapped
    return any(a.version == n.version and a in n for n in PSEUDO_NETS)


def truncated(a):
    if a.version == 6 and a.ipv4_mapped is not None:
        return ipaddress.ip_network(str(a.ipv4_mapped) + '/24', strict=False).network_address == a.ipv4_mapped
    bits = 24 if a.version == 4 else 48
    return ipaddress.ip_network('%s/%d' % (a, bits), strict=False).network_address == a


def check(path, args, leaked):
    data = open(path, 'rb').read()
    out = subprocess.run([logscrub, '--key-file=' + keyfile] + args, input=data,
                         stdout=subprocess.PIPE, check=True).stdout
    if data.count(b'\n') != out.count(b'\n'):
        print('FAIL: %s %s: %d lines in, %d out' % (path, args, data.count(b'\n'), out.count(b'\n')))
        return 1, 0
    found = 0
    fails = 0
    for no, (a, b) in enumerate(zip(data.decode('latin-1').split('\n'),
                                    out.decode('latin-1').split('\n')), 1):
        after = set(ips(b))
        for ip in ips(a):
            if ip.is_unspecified or is_pseudonym(ip):
                continue
            found += 1
            if ip in after and (args or not truncated(ip)):
                fails += 1
                leaked.append('%s:%d: %s survived %s' % (path, no, ip, ' '.join(args) or 'default'))
        low = b.lower()
        for local, domain in oracle.emails(a):
            found += 1
            for sep in ('@', '%40'):
                if (local + sep + domain).lower() in low:
                    fails += 1
                    leaked.append('%s:%d: email %s%s%s survived' % (path, no, local, sep, domain))
    return fails, found


files = []
for root, dirs, names in os.walk(corpus):
    dirs.sort()
    for n in sorted(names):
        if not n.startswith(('COPYING', 'LICENSE', 'README')):
            files.append(os.path.join(root, n))
leaked = []
total_found = 0
for f in files:
    for args in ([], ['--ip=pseudonymise']):
        fails, found = check(f, args, leaked)
        total_found += found
for line in leaked:
    print('FAIL: ' + line)
print('# %d files, %d identifiers checked twice' % (len(files), total_found // 2))
print('%d passed, %d failed' % (total_found - len(leaked), len(leaked)))
sys.exit(1 if leaked else 0)
