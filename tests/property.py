"""Property test: random IPv4, IPv6 and email addresses, in random textual
forms, inside random text with random punctuation around them.  None may
survive, and the text around them must come out unchanged.  The seed is
printed so a failure can be replayed: SEED=n make check."""
import ipaddress
import os
import random
import re
import subprocess
import sys

logscrub = sys.argv[1]
seed = int(os.environ.get('SEED') or random.SystemRandom().randrange(1 << 30))
rng = random.Random(seed)
print('# seed %d' % seed)

FILLER = 'abcdefghijklmnopqrstuvwxyz ABCXYZ_-/=&?#'
LEFT = ' ,;|([<"\'=\t'
RIGHT = ' ,;|)]>"\'\t'
# ', | and = are atext: "x|alice@example.org" is one local part, which is
# replaced whole (fail closed), so around emails only other separators
# leave the filler untouched
LEFT_MAIL = ' ,;([<"\t'


def ipv4():
    a = ipaddress.IPv4Address(rng.getrandbits(32) | 1)   # host bits set
    return str(a), [str(a)]


def ipv6():
    a = ipaddress.IPv6Address(rng.getrandbits(128) | (1 << 100))  # beyond /48
    forms = [a.compressed, a.exploded, a.compressed.upper()]
    t = rng.choice(forms)
    if rng.random() < 0.2:
        v4 = ipaddress.IPv4Address(rng.getrandbits(32) | 1)
        t = rng.choice(['::ffff:%s' % v4, '64:ff9b::%s' % v4])
        return t, [str(v4)]
    wrap = rng.choice(['%s', '[%s]:443', '[IPv6:%s]', '%s%%eth0', '%s/64'])
    return wrap % t, [a.compressed, a.exploded]


def email():
    alpha = 'abcdefghijklmnopqrstuvwxyz0123456789'
    local = ''.join(rng.choice(alpha) for _ in range(rng.randrange(3, 12)))
    local += rng.choice(['', '+tag', '.x', '=y'])
    domain = ''.join(rng.choice(alpha[:26]) for _ in range(rng.randrange(3, 9))) + '.example'
    if rng.random() < 0.3:
        return '%s%%40%s' % (local.replace('+', '%2B'), domain), [local + '%40', local + '@']
    return '%s@%s' % (local, domain), [local + '@']


lines, secrets, fillers = [], [], []
for _ in range(3000):
    parts, sec, fill = [], [], []
    for _ in range(rng.randrange(1, 5)):
        f = ''.join(rng.choice(FILLER) for _ in range(rng.randrange(0, 12)))
        kind = rng.choice([ipv4, ipv6, email])
        text, raw = kind()
        parts.append(f + rng.choice(LEFT_MAIL if kind is email else LEFT) + text + rng.choice(RIGHT))
        sec.append(raw)
        fill.append(f)
    lines.append(''.join(parts))
    secrets.append(sec)
    fillers.append(fill)

out = subprocess.run([logscrub, '--ip=pseudonymise'], input=('\n'.join(lines) + '\n').encode(),
                     stdout=subprocess.PIPE, check=True).stdout.decode().split('\n')[:-1]
fails = 0
if len(out) != len(lines):
    print('FAIL: %d lines in, %d out' % (len(lines), len(out)))
    sys.exit(1)
checks = 0
for line, got, sec, fill in zip(lines, out, secrets, fillers):
    low = got.lower()
    for raw in sec:
        checks += 1
        for r in raw:
            if re.search(r'(?<![0-9a-z])' + re.escape(r.lower()) + r'(?![0-9])', low):
                print('FAIL: %r survived in %r (from %r)' % (r, got, line))
                fails += 1
    for f in fill:
        checks += 1
        if f not in got:
            print('FAIL: the text %r around the addresses changed: %r -> %r' % (f, line, got))
            fails += 1
print('%d passed, %d failed' % (checks - fails, fails))
sys.exit(1 if fails else 0)
