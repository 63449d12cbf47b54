"""An independent re-implementation, in Python, of what logscrub must find and
of how it pseudonymises, used by the tests as an oracle.

It shares no code with the C program: addresses are validated with the
standard library's ipaddress module, SipHash-2-4 is written out below from
the paper, and BLAKE2b comes from hashlib.  If the C scanner misses an
address that this finds, a test fails.
"""
import hashlib
import ipaddress
import re
import struct

# --- extraction -------------------------------------------------------------

_V4 = re.compile(r'(?<![0-9.])(\d{1,3}(?:\.\d{1,3}){3})(?!\d)(?!\.\d+\.\d)')
_RUN = re.compile(r'[0-9A-Fa-f:.]+')
_EMAIL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+(?:@|%40)"
                    r"(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[^\]\s]{1,60}\])")
_WORD = re.compile(r'[A-Za-z0-9_]')


def ipv4s(line):
    """Dotted quads (octets 0-255, zero padding allowed) not inside a longer
    dotted number, as ipaddress.IPv4Address objects."""
    out = []
    for m in _V4.finditer(line):
        parts = [int(p) for p in m.group(1).split('.')]
        if all(p <= 255 for p in parts):
            out.append(ipaddress.IPv4Address('.'.join(map(str, parts))))
    return out


def ipv6s(line):
    """IPv6 addresses: within each run of [0-9a-fA-F:.], the longest valid
    address starting at the run or after one of its colons, not touching a
    letter, digit or '_'.  The bare '::' is left out."""
    out = []
    for m in _RUN.finditer(line):
        run, base = m.group(0), m.start()
        if ':' not in run:
            continue
        starts = [0] + [i + 1 for i, ch in enumerate(run) if ch == ':']
        i = 0
        while i < len(starts):
            s = starts[i]
            found = None
            for e in range(len(run), s + 1, -1):
                cand = run[s:e]
                if cand == '::':
                    continue
                try:
                    addr = ipaddress.IPv6Address(cand)
                except ValueError:
                    continue
                before = line[base + s - 1] if base + s > 0 else ''
                after = line[base + e] if base + e < len(line) else ''
                if _WORD.match(before or ' ') or _WORD.match(after or ' '):
                    continue
                found = (addr, e)
                break
            if found:
                out.append(found[0])
                while i < len(starts) and starts[i] < found[1]:
                    i += 1
            else:
                i += 1
    return out


def emails(line):
    """(local, domain) pairs; domains need a letter, a dotted quad or a
    [literal].  A leading 'key=', and leading dots and quotes (' and `),
    are not part of the local part."""
    out = []
    for m in _EMAIL.finditer(line):
        text = m.group(0)
        sep = '@' if '@' in text else '%40'
        local, domain = text.split(sep, 1)
        local = local.lstrip(".'`")
        km = re.match(r'[A-Za-z_][A-Za-z0-9_]*=(.+)', local)
        if km:
            local = km.group(1)
        domain = domain.rstrip('.-')
        if sep == '%40':
            local = re.sub(r'.*[=&?]', '', local)
        if not local or not domain:
            continue
        if not (re.search(r'[A-Za-z]', domain) or domain.startswith('[')):
            continue
        out.append((local, domain))
    return out


# --- pseudonyms -------------------------------------------------------------

def _rotl(x, b):
    return ((x << b) | (x >> (64 - b))) & 0xffffffffffffffff


def siphash24(key, data, out128=False):
    """SipHash-2-4 (64-bit output), or its 128-bit variant as libsodium's
    crypto_shorthash_siphashx24, written from the reference paper."""
    k0, k1 = struct.unpack('<QQ', key)
    v0 = k0 ^ 0x736f6d6570736575
    v1 = k1 ^ 0x646f72616e646f6d
    v2 = k0 ^ 0x6c7967656e657261
    v3 = k1 ^ 0x7465646279746573
    if out128:
        v1 ^= 0xee

    def rnd(v0, v1, v2, v3):
        v0 = (v0 + v1) & 0xffffffffffffffff; v1 = _rotl(v1, 13); v1 ^= v0; v0 = _rotl(v0, 32)
        v2 = (v2 + v3) & 0xffffffffffffffff; v3 = _rotl(v3, 16); v3 ^= v2
        v0 = (v0 + v3) & 0xffffffffffffffff; v3 = _rotl(v3, 21); v3 ^= v0
        v2 = (v2 + v1) & 0xffffffffffffffff; v1 = _rotl(v1, 17); v1 ^= v2; v2 = _rotl(v2, 32)
        return v0, v1, v2, v3

    n = len(data)
    tail = data[n - n % 8:] + b'\0' * (7 - n % 8) + bytes([n & 0xff])
    blocks = data[:n - n % 8] + tail
    for i in range(0, len(blocks), 8):
        m, = struct.unpack('<Q', blocks[i:i + 8])
        v3 ^= m
        v0, v1, v2, v3 = rnd(*rnd(v0, v1, v2, v3))
        v0 ^= m
    v2 ^= 0xee if out128 else 0xff
    for _ in range(4):
        v0, v1, v2, v3 = rnd(v0, v1, v2, v3)
    h0 = v0 ^ v1 ^ v2 ^ v3
    if not out128:
        return struct.pack('<Q', h0)
    v1 ^= 0xdd
    for _ in range(4):
        v0, v1, v2, v3 = rnd(v0, v1, v2, v3)
    return struct.pack('<QQ', h0, v0 ^ v1 ^ v2 ^ v3)


def kdf(master, subkey_id, length):
    """libsodium crypto_kdf_derive_from_key with context 'logscrub'."""
    return hashlib.blake2b(b'', digest_size=length, key=master,
                           salt=struct.pack('<Q', subkey_id) + b'\0' * 8,
                           person=b'logscrub' + b'\0' * 8).digest()


def pseudo_ip(master, addr):
    """The documented pseudonym of an ipaddress object: IPv4 into 240.0.0.0/4,
    IPv6 into 100::/64, IPv4-mapped keeping its prefix."""
    if addr.version == 6 and addr.ipv4_mapped is not None:
        v4 = pseudo_ip(master, addr.ipv4_mapped)
        return ipaddress.IPv6Address(b'\0' * 10 + b'\xff\xff' + v4.packed)
    if addr.version == 4:
        h = siphash24(kdf(master, 1, 16), addr.packed)
        return ipaddress.IPv4Address(bytes([0xf0 | (h[0] & 15)]) + h[1:4])
    h = siphash24(kdf(master, 2, 16), addr.packed, out128=True)
    return ipaddress.IPv6Address(b'\x01' + b'\0' * 7 + h[:8])


def pseudo_name(master, kind, text):
    """The documented name pseudonym: keyed BLAKE2b (80 bits) of a kind byte
    and the ASCII-lower-cased text, in base32 (a-z, 2-7)."""
    data = bytes([kind]) + text.encode('latin-1').lower()
    h = hashlib.blake2b(data, digest_size=10, key=kdf(master, 3, 32)).digest()
    bits = int.from_bytes(h, 'big')
    alpha = 'abcdefghijklmnopqrstuvwxyz234567'
    return ''.join(alpha[(bits >> (75 - 5 * i)) & 31] for i in range(16))
